"""The referral pathway dialog of the Directory page: choose the district (or the whole city) and
the language of the sheet, see the page as it will print, print it or save it as PDF.

The sheet's language is the woman's, chosen here whatever the interface speaks. A translation
not yet reviewed by a native speaker is said so here (and in small print on the sheet); a
supervisor or the coordinator can mark the language reviewed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import directory as directory_uc
from caseworker.app import pathways as pathways_uc
from caseworker.app.session import Session
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import note
from caseworker.ui.design import set_tone
from caseworker.ui.errors import show_error
from caseworker.ui.operations import run_with_session
from caseworker.ui.pdf_preview import PdfPreview, print_images


def language_items(session: Session) -> list[tuple[str, str]]:
    """``(code, label)`` of every handout language; one not reviewed says so in its label."""
    return [
        (item.code, item.name if item.reviewed else t("{language} (translation to be reviewed)", language=item.name))
        for item in pathways_uc.handout_languages(session)
    ]


def fill_languages(box: QComboBox, session: Session) -> None:
    """Fill ``box`` with the handout languages, keeping the one chosen."""
    chosen = box.currentData()
    box.blockSignals(True)
    box.clear()
    for code, label in language_items(session):
        box.addItem(label, code)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    box.blockSignals(False)


class PathwayDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None, district: str | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(t("Referral pathway"))
        self.resize(900, 900)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.district = QComboBox()
        self.district.addItem(t("The whole city"), "")
        for name in directory_uc.districts(session):
            self.district.addItem(name, name)
        self.district.setCurrentIndex(max(0, self.district.findData(district or "")))
        self.language = QComboBox()
        fill_languages(self.language, session)
        form.addRow(t("District"), self.district)
        form.addRow(t("Language of the sheet"), self.language)
        layout.addLayout(form)
        self.review_note = note()
        set_tone(self.review_note, "error")
        self.review_button = QPushButton()
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_note, 1)
        review_row.addWidget(self.review_button)
        layout.addLayout(review_row)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(t("Print…"))
        self.save_button = QPushButton(t("Save as PDF…"))
        self.close_button = QPushButton(t("Close"))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.data: bytes = b""
        self.district.currentIndexChanged.connect(lambda _index: self.refresh())
        self.language.currentIndexChanged.connect(lambda _index: self.refresh())
        self.review_button.clicked.connect(self.toggle_reviewed)
        self.print_button.clicked.connect(self.print_pathway)
        self.save_button.clicked.connect(self.choose_file)
        self.close_button.clicked.connect(self.reject)
        self.refresh()

    def chosen(self) -> tuple[str, str]:
        return self.district.currentData() or "", self.language.currentData()

    def _show_review_state(self) -> None:
        code = self.language.currentData()
        item = next(item for item in pathways_uc.handout_languages(self.session) if item.code == code)
        self.review_note.setText("" if item.reviewed else t("The {language} translation is to be reviewed by a native speaker; the sheet says so in small print.", language=item.name))
        built_in = pathways_uc.handout_language_is_built_in(code)
        self.review_button.setVisible(pathways_uc.may_mark_reviewed(self.session) and not built_in)
        self.review_button.setText(t("Withdraw “reviewed”") if item.reviewed else t("Mark as reviewed by a native speaker"))

    def refresh(self) -> None:
        """Render the chosen pathway off the GUI thread and show it."""
        district, language = self.chosen()
        self._show_review_state()
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

        def shown(result: pathways_uc.PathwayResult) -> None:
            if self.chosen() != (result.district, result.language):
                return  # another choice was made meanwhile; its own rendering follows
            self.data = result.data
            self.preview.show_pdf(result.data)
            self.print_button.setEnabled(True)
            self.save_button.setEnabled(True)

        run_with_session(self, self.session, lambda session: pathways_uc.pathway_pdf(session, district, language), shown)

    def toggle_reviewed(self) -> None:
        code = self.language.currentData()
        try:
            pathways_uc.mark_reviewed(self.session, code, not pathways_uc.is_reviewed(self.session, code))
        except CaseworkerError as error:
            show_error(self, error)
        fill_languages(self.language, self.session)
        self.refresh()

    def print_pathway(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_images(self.preview.images, printer)

    def choose_file(self) -> None:
        district, language = self.chosen()
        suggested = f"yonlendirme-{(district or 'izmir').lower()}-{language}.pdf"
        target, _ = QFileDialog.getSaveFileName(self, t("Save the referral pathway"), suggested, t("PDF documents (*.pdf)"))
        if target:
            self.save(Path(target), open_after=True)

    def save(self, target: Path, open_after: bool = False) -> None:
        district, language = self.chosen()

        def done(result: pathways_uc.PathwayResult) -> None:
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

        run_with_session(self, self.session, lambda session: pathways_uc.write_pathway(session, target, district, language), done)
