"""Reports: choose the report, the period, the language and public or internal; see the PDF
inside the application, print it through the system's print dialog, or save it as a file. The
release register lists the public editions issued so far (docs/disclosure.md): a public edition
is issued the first time it is shown or saved, and given again unchanged afterwards."""

from __future__ import annotations

import secrets
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import releases as releases_uc
from caseworker.app import reports as reports_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note, plain_label
from caseworker.paths import make_private_dir
from caseworker.ui.operations import run_with_session
from caseworker.ui.pdf_preview import PdfPreview, print_images


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
        self.first_label, self.last_label, self.language_label = plain_label(), plain_label(), plain_label()
        form.addRow(self.first_label, self.first)
        if self.city:
            form.addRow(self.last_label, self.last)
        form.addRow(self.language_label, self.language)
        form.addRow("", self.public)
        layout.addLayout(form)
        self.explain = note()
        buttons = QHBoxLayout()
        self.preview_button, self.print_button, self.save_button = QPushButton(), QPushButton(), QPushButton()
        for button in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch()
        self.result = note()
        self.result.setAccessibleName("report-result")
        self.preview = PdfPreview()
        layout.addWidget(self.explain)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.preview, 1)
        self.register_title = plain_label()
        self.register = QTableWidget(0, 4)
        self.register.setAccessibleName("release-register")
        self.register.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.register.verticalHeader().setVisible(False)
        self.register.horizontalHeader().setStretchLastSection(True)
        self.register.setMaximumHeight(110)
        self.method = note()
        layout.addWidget(self.register_title)
        layout.addWidget(self.register)
        layout.addWidget(self.method)
        self.entries: list[releases_uc.ReleaseEntry] = []
        self.print_button.setEnabled(False)
        self.preview_button.clicked.connect(self.make_preview)
        self.print_button.clicked.connect(self.print_preview)
        self.save_button.clicked.connect(self.choose_file)
        self.watch_language()
        self.refresh_register()

    def refresh_register(self) -> None:
        def shown(entries: list[releases_uc.ReleaseEntry]) -> None:
            self.entries = entries
            self.fill_register()

        run_with_session(self, self.session, releases_uc.releases, shown)

    def fill_register(self) -> None:
        self.register.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            period = str(entry.first) if entry.first == entry.last else f"{entry.first} – {entry.last}"
            for column, text in enumerate((period, t("city") if entry.scope == "city" else t("centre"), entry.issued_at[:16].replace("T", " "),
                                           entry.issued_by)):
                self.register.setItem(row, column, QTableWidgetItem(text))
        self.register.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.title.setText(t("City report") if self.city else t("Monthly summary"))
        self.first_label.setText(t("From:") if self.city else t("Month:"))
        self.last_label.setText(t("To:"))
        self.language_label.setText(t("Language of the report:"))
        self.public.setText(t("Public edition, for publication"))
        self.public.setToolTip(t("Perturbed figures; the edition is issued once, then given again unchanged."))
        self.register_title.setText(t("Public editions issued (release register)"))
        self.register.setHorizontalHeaderLabels([t("Period (report column)"), t("Scope"), t("Issued at"), t("By")])
        self.method.setText(t("A public edition needs a period that has ended with every month approved: a month for a centre, a calendar "
                              "quarter or year for the city. Its figures are perturbed so that no woman can be identified, even by "
                              "combining editions; how, and how to publish, is in Caseworker's documentation (docs/disclosure.md)."))
        self.fill_register()
        self.explain.setText(t("The PDF is not encrypted: keep it as an official document and do not leave copies on shared computers."))
        self.preview_button.setText(t("Show"))
        self.print_button.setText(t("Print…"))
        self.save_button.setText(t("Save as PDF…"))

    def make_preview(self) -> None:
        """Write the report into a private folder of the store, show it, and delete the file."""
        folder = make_private_dir(self.session.home / "preview")
        target = folder / f"{secrets.token_hex(6)}.pdf"

        def shown(_result) -> None:
            try:
                self.preview.show_pdf(target.read_bytes())
            finally:
                target.unlink(missing_ok=True)
            self.print_button.setEnabled(bool(self.preview.images))

        self.write(target, on_done=shown)

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_images(self.preview.images, printer)

    def choose_file(self) -> None:
        suggested = f"{'kent' if self.city else 'aylik'}-{self.first.currentData()}.pdf"
        target, _ = QFileDialog.getSaveFileName(self, t("Save the report"), suggested, t("PDF documents (*.pdf)"))
        if target:
            self.write(Path(target), open_after=True)

    def write(self, target: Path, open_after: bool = False, on_done=None) -> None:
        language, public = self.language.currentData(), self.public.isChecked()
        if self.city:
            first, last = sorted((self.first.currentData(), self.last.currentData()))
            work = lambda session: reports_uc.city_report(session, first, last, target, language=language, public=public)  # noqa: E731
        else:
            period = self.first.currentData()
            work = lambda session: reports_uc.monthly_summary(session, period, target, language=language, public=public)  # noqa: E731

        def done(result) -> None:
            if result.release is not None:
                self.refresh_register()
            if on_done is not None:
                self.result.setText(t("{pages} pages.", pages=result.pages))
                on_done(result)
                return
            self.result.setText(t("Written: {path} ({pages} pages).", path=result.path, pages=result.pages))
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

        run_with_session(self, self.session, work, done)
