"""Reports: choose the report, the period, the language and public or internal; save the PDF
(and its tables as CSV) and open it with the system's PDF viewer to read or print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseworker.app import reports as reports_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note
from caseworker.ui.operations import run_with_session


class ReportsPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.city = session.store_role is StoreRole.COORDINATOR
        layout = QVBoxLayout(self)
        self.title = heading()
        layout.addWidget(self.title)
        form = QFormLayout()
        self.first = QComboBox()
        self.last = QComboBox()
        current = Period.current()
        for offset in range(1, 25):
            period = current.plus(-offset)
            self.first.addItem(str(period), period)
            self.last.addItem(str(period), period)
        self.first.setCurrentIndex(11 if self.city else 0)
        self.language = QComboBox()
        self.language.addItem("Türkçe", "tr")
        self.language.addItem("English", "en")
        self.public = QCheckBox()
        self.first_label, self.last_label, self.language_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.first_label, self.first)
        if self.city:
            form.addRow(self.last_label, self.last)
        form.addRow(self.language_label, self.language)
        form.addRow("", self.public)
        layout.addLayout(form)
        self.explain = note()
        self.save_button = QPushButton()
        self.result = note()
        self.result.setAccessibleName("report-result")
        for widget in (self.explain, self.save_button, self.result):
            layout.addWidget(widget)
        layout.addStretch()
        self.save_button.clicked.connect(self.choose_file)
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("City report") if self.city else t("Monthly summary"))
        self.first_label.setText(t("From:") if self.city else t("Month:"))
        self.last_label.setText(t("To:"))
        self.language_label.setText(t("Language of the report:"))
        self.public.setText(t("For publication (small numbers are suppressed)"))
        self.explain.setText(t("The PDF is not encrypted: keep it as an official document and do not leave copies on shared computers."))
        self.save_button.setText(t("Save as PDF and open…"))

    def choose_file(self) -> None:
        suggested = f"{'kent' if self.city else 'aylik'}-{self.first.currentData()}.pdf"
        target, _ = QFileDialog.getSaveFileName(self, t("Save the report"), suggested, t("PDF documents (*.pdf)"))
        if target:
            self.write(Path(target), open_after=True)

    def write(self, target: Path, open_after: bool = False) -> None:
        language, public = self.language.currentData(), self.public.isChecked()
        if self.city:
            first, last = sorted((self.first.currentData(), self.last.currentData()))
            work = lambda session: reports_uc.city_report(session, first, last, target, language=language, public=public)  # noqa: E731
        else:
            period = self.first.currentData()
            work = lambda session: reports_uc.monthly_summary(session, period, target, language=language, public=public)  # noqa: E731

        def done(result) -> None:
            self.result.setText(t("Written: {path} ({pages} pages).", path=result.path, pages=result.pages))
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

        run_with_session(self, self.session, work, done)
