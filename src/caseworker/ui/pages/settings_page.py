"""Settings: language (applied at once, no restart), the idle time before the window locks, and
the store itself: an integrity check and an encrypted backup (supervisors, the coordinator)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker import i18n, settings
from caseworker.app import maintenance
from caseworker.app.session import Session
from caseworker.domain.users import Permission
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.storage.store import now_utc
from caseworker.ui.common import Retranslatable, heading, inform, note, plain_label, warn
from caseworker.ui.operations import run_with_session


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
        self.language_label, self.idle_label = plain_label(), plain_label()
        self.language_label.setBuddy(self.language)
        self.idle_label.setBuddy(self.idle)
        form.addRow(self.language_label, self.language)
        form.addRow(self.idle_label, self.idle)
        layout.addLayout(form)
        self.explain = note()
        layout.addWidget(self.explain)

        self.session = session
        self.store_title = heading(size=12)
        self.store_note = note()
        self.check_button, self.backup_button = QPushButton(), QPushButton()
        self.backup_button.setVisible(session.may(Permission.BACKUP))
        store_buttons = QHBoxLayout()
        store_buttons.addWidget(self.check_button)
        store_buttons.addWidget(self.backup_button)
        store_buttons.addStretch()
        for widget in (self.store_title, self.store_note):
            layout.addWidget(widget)
        layout.addLayout(store_buttons)
        self.check_button.clicked.connect(self.check_store)
        self.backup_button.clicked.connect(self.back_up)
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
        self.store_title.setText(t("The store"))
        self.store_note.setText(
            t("The check reads every page of the encrypted store. A backup is one encrypted file that opens with any current passphrase or the recovery key; keep it away from this computer, for example on a USB stick in the safe.")
            if self.session.may(Permission.BACKUP) else t("The check reads every page of the encrypted store.")
        )
        self.check_button.setText(t("Check the store"))
        self.backup_button.setText(t("Back up the store…"))

    def _language_chosen(self) -> None:
        language = self.language.currentData()
        settings.save(self.path, replace(settings.load(self.path), language=language))
        i18n.set_language(language)

    def _idle_chosen(self, minutes: int) -> None:
        settings.save(self.path, replace(settings.load(self.path), idle_lock_minutes=minutes))
        self.window_.restart_idle_timer()

    def check_store(self) -> None:
        def show(report: maintenance.CheckReport) -> None:
            lines = [t("checked: {item}", item=item) for item in report.checked] + [t("PROBLEM: {problem}", problem=p) for p in report.problems] + [t("NOTE: {note}", note=n) for n in report.notes]
            if report.ok:
                inform(self, t("The store"), t("The store is intact.") + "\n\n" + "\n".join(lines))
            else:
                warn(self, t("The store"), report.summary() + "\n\n" + "\n".join(lines))

        run_with_session(self, self.session, maintenance.check, show)

    def back_up(self) -> None:
        suggested = f"caseworker-{now_utc()[:10]}.cwbackup"
        chosen, _ = QFileDialog.getSaveFileName(self, t("Back up the store"), suggested, t("Caseworker backups (*.cwbackup)"))
        if chosen:
            run_with_session(self, self.session, lambda session: maintenance.backup(session, Path(chosen), overwrite=True),
                             lambda path: inform(self, t("The store"), t("Encrypted backup written to {path}. It opens with any current passphrase or the recovery key.", path=path)))
