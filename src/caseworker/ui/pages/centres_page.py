"""Centres (coordinator): every enrolled centre with its district, its last bundle, how completely
it reported the chosen year and the fingerprint of its key; the actions on centres in one place
(accept an enrolment request, replace a centre's key, revoke a centre whose laptop was lost);
and the reporting-rate grid (expected, received, on time, status) for the last twelve months."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import centre_overview, coordination, sync_keys
from caseworker.app.centre_overview import CentreSummary
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.ui.common import Retranslatable, heading, inform, message, note, plain_label
from caseworker.ui.errors import show_error
from caseworker.ui.fingerprint_dialog import FingerprintDialog
from caseworker.ui.operations import run_in_background, run_with_session

_MARKS = {"submitted": "✔", "open": "…", "reopened": "↺", None: ""}
_MISSING, _LATE, _REVOKED = QColor("#f6c9cf"), QColor("#fde9b8"), QColor("#a0153e")
COLUMNS = 7  # district, centre, last bundle, on time, late, missing, key fingerprint
_COUNT_COLUMNS = (3, 4, 5)


def _day(stamp: str) -> str:
    return stamp[:10]


def last_bundle_text(summary: CentreSummary) -> str:
    bundle = summary.last_bundle
    if bundle is None:
        return t("none yet")
    if not bundle.periods:
        return t("{day} (no. {sequence})", day=_day(bundle.received_at), sequence=bundle.sequence)
    return t("{day}: {months}", day=_day(bundle.received_at), months=", ".join(bundle.periods))


def fingerprint_text(summary: CentreSummary) -> str:
    if summary.fingerprint:
        return summary.fingerprint
    return t("revoked on {day}", day=_day(summary.revoked_at)) if summary.revoked_at else t("revoked")


class CentresPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.summaries: list[CentreSummary] = []
        self.year: int | None = None
        layout = QVBoxLayout(self)
        self.title = heading()
        self.summary = note()
        self.empty = note()
        year_row = QHBoxLayout()
        self.year_label = plain_label()
        self.year_choice = QComboBox()
        self.year_label.setBuddy(self.year_choice)
        year_row.addWidget(self.year_label)
        year_row.addWidget(self.year_choice)
        year_row.addStretch()
        self.centres = QTableWidget(0, COLUMNS)
        self.centres.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.centres.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.centres.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.centres.verticalHeader().setVisible(False)
        # The names, the last bundle and the fingerprint share the width and wrap, so the table fits
        # a small screen without scrolling sideways; the counts take what they need.
        header = self.centres.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in _COUNT_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.centres.setWordWrap(True)
        self.centres.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.completeness_note = note()
        actions = QHBoxLayout()
        self.accept_button, self.replace_button, self.revoke_button = QPushButton(), QPushButton(), QPushButton()
        for button in (self.accept_button, self.replace_button, self.revoke_button):
            actions.addWidget(button)
        actions.addStretch()
        self.matrix_title = heading(size=12)
        self.legend = note()
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for table in (self.centres, self.matrix):
            table.setCornerButtonEnabled(False)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addLayout(year_row)
        layout.addWidget(self.centres, 3)
        layout.addWidget(self.completeness_note)
        layout.addLayout(actions)
        for widget in (self.matrix_title, self.legend):
            layout.addWidget(widget)
        layout.addWidget(self.matrix, 2)
        self.accept_button.clicked.connect(self.accept_request)
        self.replace_button.clicked.connect(self.replace_key)
        self.revoke_button.clicked.connect(self.revoke)
        self.centres.itemSelectionChanged.connect(self._update_buttons)
        self.year_choice.activated.connect(lambda _index: self._choose_year())
        self.watch_language()

    def retranslate(self) -> None:
        if not self.session.is_open:
            return
        self.title.setText(t("Centres"))
        self.year_label.setText(t("Reporting year:"))
        self.centres.setHorizontalHeaderLabels([t("District"), t("Centre"), t("Last bundle"), t("On time"), t("Late"),
                                                t("Missing"), t("Key fingerprint")])
        self.centres.horizontalHeaderItem(2).setToolTip(t("Last bundle (received: months)"))
        self.completeness_note.setText(t("On time: submitted by the deadline day of the following month. Late: arrived after it, or not submitted by it. Missing: the deadline has passed and nothing arrived. Months whose deadline is still ahead are not counted as missing."))
        self.empty.setText(t("No centre is enrolled yet. When a centre gives you its enrolment request file (by USB stick or e-mail), choose “Accept an enrolment request…” below and pick the file; then call the centre on a number you know and compare the fingerprint its supervisor reads to you. Once enrolled, the centre's bundles are accepted and its months appear here and on the City page."))
        self.accept_button.setText(t("Accept an enrolment request…"))
        self.replace_button.setText(t("Replace the selected centre's key…"))
        self.revoke_button.setText(t("Revoke the selected centre…"))
        self.matrix_title.setText(t("Reporting rate, last twelve months"))
        self.centres.setAccessibleName(t("Enrolled centres"))
        self.matrix.setAccessibleName(t("Reporting rate, last twelve months"))
        self.matrix.setAccessibleDescription(t("One row per centre, one column per month; each cell says whether the month arrived on time, late or not at all."))
        self.legend.setText(t("✔ submitted, … open, ↺ reopened; red: expected but not received by the deadline; amber: received late; blank: not received, deadline still ahead."))
        self.load()

    # --- showing ---------------------------------------------------------------------------

    def load(self) -> None:
        found = centre_overview.overview(self.session, self.year)
        self.year = found.year
        self.summaries = found.centres
        self.year_choice.clear()
        for year in found.years:
            self.year_choice.addItem(str(year), year)
        self.year_choice.setCurrentIndex(max(0, self.year_choice.findData(found.year)))
        has_centres = bool(found.centres)
        self.empty.setVisible(not has_centres)
        for widget in (self.summary, self.centres, self.completeness_note, self.matrix_title, self.legend, self.matrix,
                       self.year_label, self.year_choice, self.replace_button, self.revoke_button):
            widget.setVisible(has_centres)
        self._show_summary()
        self._fill_table()
        self._fill_matrix()
        self._update_buttons()

    def _show_summary(self) -> None:
        centres = self.summaries
        due = sum(c.completeness.expected - c.completeness.awaited for c in centres)
        on_time = sum(c.completeness.on_time for c in centres)
        revoked = sum(c.revoked for c in centres)
        text = t("{centres} centres in {districts} districts. {year}: {on_time} of {due} months due arrived on time, {late} late, {missing} missing.",
                 centres=len(centres), districts=len({c.district for c in centres}), year=self.year, on_time=on_time, due=due,
                 late=sum(c.completeness.late for c in centres), missing=sum(c.completeness.missing for c in centres))
        if revoked:
            text += " " + t("Revoked: {count}.", count=revoked)
        self.summary.setText(text)

    def _fill_table(self) -> None:
        self.centres.setRowCount(len(self.summaries))
        for row, summary in enumerate(self.summaries):
            done = summary.completeness
            values: list[Any] = [summary.district, summary.name, last_bundle_text(summary), done.on_time, done.late, done.missing,
                                 fingerprint_text(summary)]
            for column, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.centres.setItem(row, column, item)
            self.centres.item(row, 1).setToolTip(summary.centre_id)
            if done.missing:
                self.centres.item(row, 5).setBackground(_MISSING)
            if done.late:
                self.centres.item(row, 4).setBackground(_LATE)
            if summary.revoked:
                self.centres.item(row, 6).setForeground(_REVOKED)

    def _fill_matrix(self) -> None:
        last = Period.current().previous()
        deadline_day = load_settings(HomePaths(self.session.home).settings).report_deadline_day
        rate = coordination.reporting_rate(self.session, last.plus(-11), last, deadline_day)
        now = datetime.now(timezone.utc)
        self.matrix.setRowCount(len(rate.centres))
        self.matrix.setColumnCount(len(rate.periods))
        self.matrix.setHorizontalHeaderLabels([f"{p.month:02d}\n{p.year}" for p in rate.periods])  # narrow: fits a small screen
        self.matrix.setVerticalHeaderLabels([c.name for c in rate.centres])
        for row, centre in enumerate(rate.centres):
            for column, period in enumerate(rate.periods):
                cell = rate.cells[(centre.centre_id, period)]
                item = QTableWidgetItem(_MARKS[cell.status])
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if cell.expected and not cell.received and coordination.deadline(period, deadline_day) < now:
                    item.setBackground(_MISSING)
                elif cell.received and not cell.on_time:
                    item.setBackground(_LATE)
                self.matrix.setItem(row, column, item)
        header = self.matrix.horizontalHeader()  # the months share the width: no sideways scrolling
        header.setMinimumSectionSize(30)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def selected(self) -> CentreSummary | None:
        rows = self.centres.selectionModel().selectedRows()
        return self.summaries[rows[0].row()] if rows else None

    def select(self, centre_id: str) -> None:
        for row, summary in enumerate(self.summaries):
            if summary.centre_id == centre_id:
                self.centres.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.replace_button.setEnabled(chosen is not None and not chosen.revoked)
        self.revoke_button.setEnabled(chosen is not None and not chosen.revoked)

    def _choose_year(self) -> None:
        self.year = self.year_choice.currentData()
        self.load()

    # --- actions ---------------------------------------------------------------------------

    def _request_file(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, t("Choose a centre's enrolment request"), "", t("Enrolment files (*.json)"))
        return Path(chosen) if chosen else None

    def _fingerprint_read_aloud(self, request: Any, action: str, warning: str = "") -> str | None:
        claims = [(t("Centre:"), request.name), (t("District:"), request.district), (t("Centre id:"), request.centre_id)]
        dialog = FingerprintDialog(self, request.fingerprint, claims, action, warning)
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return None
        return dialog.chosen()

    def _done(self, title: str, text: str) -> None:
        inform(self, title, text)
        self.load()

    def accept_request(self) -> None:
        source = self._request_file()
        if source:
            run_in_background(self, lambda: sync_keys.read_enrolment_request(source), self._accept_if_confirmed)

    def _accept_if_confirmed(self, request: Any) -> None:
        current = sync_keys.active_key(self.session, request.centre_id)
        if current is not None and current.signing_public != request.signing_public:
            self.select(request.centre_id)
            self._replace_if_confirmed(request)
            return
        chosen = self._fingerprint_read_aloud(request, t("Enrol the centre"))
        if chosen is not None:
            run_with_session(self, self.session, lambda session: sync_keys.accept_enrolment(session, request, chosen),
                             lambda outcome: self._done(t("Centre enrolled"), t("{name} is enrolled as {centre}.", name=request.name, centre=outcome.centre_id)))

    def replace_key(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        source = self._request_file()
        if source:
            run_in_background(self, lambda: sync_keys.read_enrolment_request(source), lambda request: self._check_and_replace(chosen, request))

    def _check_and_replace(self, chosen: CentreSummary, request: Any) -> None:
        if request.centre_id != chosen.centre_id:
            show_error(self, InvalidInput(t("This enrolment request is for centre {named}, not for the selected {centre}. Choose the request the selected centre made, or select its centre first.",
                                            named=request.centre_id, centre=chosen.name)))
            return
        self._replace_if_confirmed(request)

    def _replace_if_confirmed(self, request: Any) -> None:
        current = sync_keys.active_key(self.session, request.centre_id)
        old = current.fingerprint if current else "—"
        warning = t("Centre {centre} is already enrolled, with the key of fingerprint {old}. Replacing revokes that key: do it only if the centre told you, on a number you know, that its key changed.",
                    centre=request.centre_id, old=old)
        chosen = self._fingerprint_read_aloud(request, t("Replace this centre's key"), warning)
        if chosen is not None:
            run_with_session(self, self.session, lambda session: sync_keys.replace_centre_key(session, request, chosen),
                             lambda outcome: self._done(t("Key replaced"), t("Replaced the key of centre {id}: the key with fingerprint {old} is revoked, the key with fingerprint {new} counts from now on.",
                                                                              id=outcome.centre_id, old=outcome.old_fingerprint, new=request.fingerprint)))

    def confirm_revoke(self, chosen: CentreSummary) -> bool:
        """Asks, naming the centre; No (keep it) is the default."""
        box = message(self, QMessageBox.Icon.Question, t("Revoke a centre"),
                      t("Revoke {name} ({district}, fingerprint {fingerprint})?\n\nDo this when the centre's laptop or its store was lost or stolen. From now on every bundle signed with its key is refused, and the import log says why. The months it sent before stay in the city's figures. To report again, the centre makes a new enrolment request.",
                        name=chosen.name, district=chosen.district, fingerprint=chosen.fingerprint),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(t("Revoke {name}", name=chosen.name))
        box.button(QMessageBox.StandardButton.No).setText(t("Keep it"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes.value

    def revoke(self) -> None:
        chosen = self.selected()
        if chosen is None or not self.confirm_revoke(chosen):
            return
        run_with_session(self, self.session, lambda session: sync_keys.revoke_centre(session, chosen.centre_id),
                         lambda _count: self._done(t("Centre revoked"), t("{name} is revoked: its bundles are refused from now on; the months it sent before are kept.", name=chosen.name)))
