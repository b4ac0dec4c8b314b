"""Settings: language (applied at once, no restart) and the idle time before the window locks."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker import i18n, settings
from caseworker.app.session import Session
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.ui.common import Retranslatable, heading, note


class SettingsPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.window_ = window
        self.path = HomePaths(session.home).settings
        layout = QVBoxLayout(self)
        self.title = heading()
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.language = QComboBox()
        self.language.addItem("Türkçe", "tr")
        self.language.addItem("English", "en")
        self.idle = QSpinBox()
        self.idle.setRange(1, 240)
        self.language_label, self.idle_label = QLabel(), QLabel()
        self.language_label.setBuddy(self.language)
        self.idle_label.setBuddy(self.idle)
        form.addRow(self.language_label, self.language)
        form.addRow(self.idle_label, self.idle)
        layout.addLayout(form)
        self.explain = note()
        layout.addWidget(self.explain)
        layout.addStretch()
        current = settings.load(self.path)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.idle.setValue(current.idle_lock_minutes)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.idle.valueChanged.connect(self._idle_chosen)
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("Settings"))
        with QSignalBlocker(self.language):
            self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language_label.setText(t("&Language:"))
        self.language.setAccessibleName(t("Language"))
        self.idle_label.setText(t("Lock after this many &idle minutes:"))
        self.idle.setAccessibleName(t("Idle minutes before locking"))
        self.explain.setText(t("The window also locks at once with Ctrl+L. Locking closes the store; work in a form is kept until you unlock again."))

    def _language_chosen(self) -> None:
        language = self.language.currentData()
        settings.save(self.path, replace(settings.load(self.path), language=language))
        i18n.set_language(language)

    def _idle_chosen(self, minutes: int) -> None:
        settings.save(self.path, replace(settings.load(self.path), idle_lock_minutes=minutes))
        self.window_.restart_idle_timer()
