"""Directory: search as you type (Turkish-aware), filters, a detail pane, add and edit local
entries, mark verified, print the info sheet of the selected services in the woman's language,
open the referral pathway of a district (``ui.pathway_dialog``).

The result list shows the first page of hits as soon as typing pauses and reads the next pages
as it is scrolled (``ui.directory_model``), so a key press never waits for every match.

Confidential entries (shelters) show their address and phone only here, to a signed-in user,
marked as confidential; nothing of them leaves through exports or printed sheets.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import directory as directory_uc
from caseworker.app.service_sheet import info_sheet
from caseworker.app.session import Session
from caseworker.domain.taxonomy import category_label, support_taxonomy
from caseworker.errors import CaseworkerError
from caseworker.i18n import current_language, t, tn
from caseworker.ui.common import Retranslatable, heading
from caseworker.ui.directory_model import ID_ROLE, SearchResults
from caseworker.ui.errors import show_error
from caseworker.ui.operations import run_with_session
from caseworker.ui.pages.directory_editor import EntryDialog
from caseworker.ui.pathway_dialog import PathwayDialog, fill_languages


class DirectoryPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        outer = QVBoxLayout(self)
        self.title = heading()
        outer.addWidget(self.title)
        filters = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setClearButtonEnabled(True)
        self.district = QComboBox()
        self.category = QComboBox()
        self.open_now = QCheckBox()
        self.review_only = QCheckBox()
        # Two rows, so the page fits a small laptop screen at 150 %: what to look for, then where.
        outer.addWidget(self.query)
        for box in (self.district, self.category):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
            filters.addWidget(box, 1)
        filters.addWidget(self.open_now)
        filters.addWidget(self.review_only)
        outer.addLayout(filters)
        body = QHBoxLayout()
        self.model = SearchResults()
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        # A long name is cut with "…" at the list's edge (its tooltip holds it whole), never scrolled to.
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setProperty("entries", True)  # drawn as separate entries by the style (ui/design.py)
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.count = heading(size=10)
        listing = QVBoxLayout()  # the count under the list it counts
        listing.addWidget(self.results, 1)
        listing.addWidget(self.count)
        body.addLayout(listing, 2)
        body.addWidget(self.detail, 3)
        outer.addLayout(body, 1)
        self.verify_button = QPushButton()
        self.new_button, self.edit_button, self.sheet_button = QPushButton(), QPushButton(), QPushButton()
        self.sheet_language, self.pathway_button = QComboBox(), QPushButton()
        printing, editing = QHBoxLayout(), QHBoxLayout()  # what is handed to a woman; keeping the directory
        for row, widgets in ((printing, (self.sheet_language, self.sheet_button, self.pathway_button)),
                             (editing, (self.new_button, self.edit_button, self.verify_button))):
            row.addStretch(1)
            for widget in widgets:
                row.addWidget(widget)
            outer.addLayout(row)
        self.new_button.setVisible(directory_uc.may_edit(session))
        self.edit_button.setVisible(directory_uc.may_edit(session))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        for box in (self.district, self.category):
            box.currentIndexChanged.connect(lambda _i: self.search())
        for box in (self.open_now, self.review_only):
            box.toggled.connect(lambda _on: self.search())
        # The detail of the current entry is drawn in the event loop's next turn, apart from
        # the list's refresh, so that neither holds a key press up for long.
        self._detail_later = QTimer(self)
        self._detail_later.setSingleShot(True)
        self._detail_later.setInterval(0)
        self._detail_later.timeout.connect(lambda: self.show_detail(self.results.currentIndex()))
        self.results.selectionModel().currentChanged.connect(lambda _index, _previous: self._detail_later.start())
        self.model.rowsInserted.connect(lambda *_: self._show_count())
        self.verify_button.clicked.connect(self.mark_verified)
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.sheet_button.clicked.connect(self.choose_sheet_file)
        self.pathway_button.clicked.connect(self.open_pathway)
        self.edit_button.clicked.connect(lambda: self.open_editor(self._current_detail))
        self._current_detail: directory_uc.ServiceDetail | None = None
        self.watch_language()

    def retranslate(self) -> None:
        if not self.session.is_open:
            return
        language = current_language()
        self.title.setText(t("Support-service directory"))
        self.query.setPlaceholderText(t("Search by name, service, district… (e.g. karsiyaka, sonim)"))
        self.query.setAccessibleName(t("Search the directory"))
        self.results.setAccessibleName(t("Services found"))
        self.results.setAccessibleDescription(t("Choose a service to see its details; more are read as the list scrolls."))
        self.detail.setAccessibleName(t("Details of the chosen service"))
        self.open_now.setText(t("Open now"))
        self.review_only.setText(t("Needs review"))
        self.verify_button.setText(t("Mark as verified today"))
        self.new_button.setText(t("New entry…"))
        self.sheet_button.setText(t("Print info sheet of the selected…"))
        self.edit_button.setText(t("Edit…"))
        self.pathway_button.setText(t("Referral pathway…"))
        self.sheet_language.setToolTip(t("Language of the sheet: the woman's, whatever the screen speaks"))
        self.sheet_language.setAccessibleName(t("Language of the sheet"))
        fill_languages(self.sheet_language, self.session)
        for box, first, items in (
            (self.district, t("All districts"), [(d, d) for d in directory_uc.districts(self.session)]),
            (self.category, t("All services"), [(term.code, category_label(term.code, language)) for term in support_taxonomy().terms]),
        ):
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for data, label in items:
                box.addItem(label, data)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.blockSignals(False)
        self.search()

    def search(self) -> None:
        if not self.session.is_open:
            return
        from datetime import datetime

        if self.review_only.isChecked():
            hits = directory_uc.entries_needing_review(self.session)
            self.model.show(lambda offset, limit: hits[offset : offset + limit])
        else:
            filters = directory_uc.SearchFilters(
                district=self.district.currentData(),
                category=self.category.currentData(),
                open_at=datetime.now().astimezone() if self.open_now.isChecked() else None,
            )
            text, session = self.query.text(), self.session
            self.model.show(lambda offset, limit: directory_uc.search(session, text, filters, limit=limit, offset=offset))
        self._show_count()
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0))
        else:
            self._current_detail = None
            self.detail.clear()

    def _show_count(self) -> None:
        found = self.model.rowCount()
        if self.model.complete():
            self.count.setText(tn(found, "{count} service found", "{count} services found"))
        else:
            self.count.setText(t("First {count} services found; scroll for more", count=found))

    def show_detail(self, index: QModelIndex | None) -> None:
        if index is None or not index.isValid() or not self.session.is_open:
            self.detail.clear()
            return
        detail = directory_uc.get(self.session, index.data(ID_ROLE))
        self._current_detail = detail
        self.edit_button.setEnabled(detail.editable)
        service, language = detail.service, current_language()
        parts = [f"<h2>{escape(service.name)}</h2>", f"<p><b>{escape(detail.organization.name)}</b></p>"]
        if detail.confidential:
            parts.append(f"<p style='color:#a0153e'><b>{escape(t('CONFIDENTIAL: the address and phone of this entry never leave this computer. Do not write them down for anyone.'))}</b></p>")
        if service.categories:
            parts.append("<p>" + escape(", ".join(category_label(code, language) for code in service.categories)) + "</p>")
        if service.description:
            parts.append(f"<p>{escape(service.description)}</p>")
        phones = list(service.phones) + [p for location in service.locations for p in location.phones]
        if phones:
            parts.append(f"<p><b>{escape(t('Phone'))}:</b> " + escape(", ".join(p.number for p in phones)) + "</p>")
        for location in service.locations:
            for address in location.addresses:
                parts.append(f"<p><b>{escape(t('Address'))}:</b> {escape(address.address_1)}, {escape(address.district)}/{escape(address.province)}</p>")
        if service.languages:
            parts.append(f"<p><b>{escape(t('Languages'))}:</b> " + escape(", ".join(lang.name or lang.code for lang in service.languages)) + "</p>")
        verified = service.verified_at.isoformat() if service.verified_at else t("never")
        parts.append(f"<p><i>{escape(t('Last verified: {date}', date=verified))}</i>" + (f" — <b>{escape(t('needs review'))}</b>" if detail.needs_review else "") + "</p>")
        self.detail.setHtml("".join(parts))
        self.verify_button.setEnabled(detail.editable)

    def open_editor(self, detail: directory_uc.ServiceDetail | None) -> EntryDialog:
        dialog = EntryDialog(self.session, detail, self)
        dialog.accepted.connect(self.search)
        dialog.open()
        return dialog

    def selected_ids(self) -> list[str]:
        return [index.data(ID_ROLE) for index in sorted(self.results.selectionModel().selectedRows(), key=QModelIndex.row)]

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows of the result list (as a click with Ctrl held would)."""
        for row in rows:
            self.results.selectionModel().select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)

    def choose_sheet_file(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, t("Save the info sheet"), "bilgi-sayfasi.pdf", t("PDF documents (*.pdf)"))
        if target:
            self.write_sheet(Path(target), open_after=True)

    def write_sheet(self, target: Path, open_after: bool = False) -> None:
        ids, language = self.selected_ids(), self.sheet_language.currentData() or "tr"

        def done(result) -> None:
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))

        run_with_session(self, self.session, lambda session: info_sheet(session, target, ids, language), done)

    def open_pathway(self) -> PathwayDialog:
        dialog = PathwayDialog(self.session, self, district=self.district.currentData())
        dialog.open()
        return dialog

    def mark_verified(self) -> None:
        index = self.results.currentIndex()
        if not index.isValid():
            return
        try:
            directory_uc.mark_verified(self.session, index.data(ID_ROLE))
        except CaseworkerError as error:
            show_error(self, error)
        self.show_detail(index)
