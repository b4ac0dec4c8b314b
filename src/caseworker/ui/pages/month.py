"""Month: the grid of every indicator and option for a month, editable while open, with totals,
validation results and outlier hints beside it; Submit and Reopen for supervisors."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app.session import Session
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import Permission
from caseworker.errors import CaseworkerError, InvalidInput
from caseworker.i18n import current_language, t
from caseworker.ui.common import Retranslatable, heading, note
from caseworker.ui.design import set_role
from caseworker.ui.errors import show_error


class MonthPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        top = QHBoxLayout()
        self.title = heading()
        self.period_choice = QComboBox()
        current = Period.current()
        for offset in range(0, 13):
            period = current.plus(-offset)
            self.period_choice.addItem(str(period), period)
        self.period_choice.setCurrentIndex(1)
        top.addWidget(self.title, 1)
        top.addWidget(self.period_choice)
        left.addLayout(top)
        self.status = note()
        left.addWidget(self.status)
        self.table = QTableWidget(0, 2)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        left.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.save_button, self.submit_button, self.reopen_button = QPushButton(), set_role(QPushButton(), "primary"), QPushButton()
        buttons.addStretch()
        for button in (self.save_button, self.submit_button, self.reopen_button):
            buttons.addWidget(button)
        left.addLayout(buttons)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        self.checks_title = heading(size=12)
        self.checks = note()
        self.checks.setAccessibleName("checks")
        right.addWidget(self.checks_title)
        right.addWidget(self.checks)
        right.addStretch()
        outer.addLayout(right, 2)
        self.cells: dict[int, CellKey] = {}
        self._edits: dict[CellKey, int] = {}
        self.period_choice.currentIndexChanged.connect(lambda _i: self.load())
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.submit)
        self.reopen_button.clicked.connect(self.reopen)
        self.table.itemChanged.connect(self._edited)
        self.watch_language()

    @property
    def period(self) -> Period:
        return self.period_choice.currentData()

    def retranslate(self) -> None:
        self.title.setText(t("Month"))
        self.table.setHorizontalHeaderLabels([t("Indicator / option"), t("Count")])
        self.save_button.setText(t("Save changes"))
        self.submit_button.setText(t("Submit the month"))
        self.reopen_button.setText(t("Reopen…"))
        self.checks_title.setText(t("Checks and unusual figures"))
        self.period_choice.setAccessibleName(t("Month shown"))
        self.table.setAccessibleName(t("The month's counts"))
        self.table.setAccessibleDescription(t("One row per indicator and option; the counts can be changed while the month is open."))
        self.save_button.setAccessibleName(t("Save changes"))
        self.submit_button.setAccessibleName(t("Submit the month"))
        self.reopen_button.setAccessibleName(t("Reopen the month"))
        self.load()

    def show_period(self, period: Period) -> None:
        """Show ``period`` if it is one of the months offered."""
        for index in range(self.period_choice.count()):
            if self.period_choice.itemData(index) == period:
                self.period_choice.setCurrentIndex(index)
                return

    def load(self) -> None:
        if not self.session.is_open:
            return
        counts = counts_uc.month_counts(self.session, self.period)
        catalogue = catalogue_uc.version(self.session, counts.catalogue_version)
        review = months_uc.review(self.session, self.period)
        language = current_language()
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.cells.clear()
        self._edits.clear()
        bold = QFont(self.table.font())
        bold.setBold(True)
        for indicator in catalogue.active_indicators():
            cells = catalogue.cells(indicator)
            total = sum(counts.values.get(cell, 0) for cell in cells)
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(indicator.label(language))
            name.setFont(bold)
            value = QTableWidgetItem(str(total))
            value.setFont(bold)
            for item in (name, value):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, value)
            if not indicator.dimensions:
                self.cells[row] = cells[0]
                value.setFlags(Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.ItemIsEditable if review.editable else Qt.ItemFlag.NoItemFlags))
                continue
            for cell in cells:
                row = self.table.rowCount()
                self.table.insertRow(row)
                label = ", ".join(catalogue.dimension(d).option(o).label(language) for d, o in cell.options)
                name = QTableWidgetItem("    " + label)
                name.setFlags(Qt.ItemFlag.ItemIsEnabled)
                value = QTableWidgetItem(str(counts.values.get(cell, 0)))
                value.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | (Qt.ItemFlag.ItemIsEditable if review.editable else Qt.ItemFlag.NoItemFlags))
                self.table.setItem(row, 0, name)
                self.table.setItem(row, 1, value)
                self.cells[row] = cell
        self.table.blockSignals(False)
        supervisor = self.session.may(Permission.SUBMIT_MONTH)
        self.save_button.setEnabled(False)
        self.submit_button.setVisible(supervisor)
        self.reopen_button.setVisible(supervisor)
        self.submit_button.setEnabled(review.status != "submitted" and self.period < Period.current())
        self.reopen_button.setEnabled(review.status == "submitted")
        line = t("{period}: {status}", period=self.period, status=months_uc.status_label(review.status))
        if review.status_by:
            line += " " + t("(by {user}, {when})", user=review.status_by, when=review.status_at)
        if not review.editable:
            line += " — " + t("locked; a supervisor can reopen it.")
        self.status.setText(line)
        lines = [
            t("{importance}: {problem}", importance=months_uc.importance_label(r.rule.importance), problem=months_uc.problem_text(r, language))
            for r in review.problems
        ]
        lines += [
            t("Unusual: {subject} is {value}, usually about {typical:g}", subject=_subject_label(catalogue, h.subject, language), value=h.value, typical=h.typical)
            for h in review.outliers
        ]
        self.checks.setText("\n".join(f"• {line}" for line in lines) or t("All {count} checks pass.", count=len(review.rules)))

    def _edited(self, item: QTableWidgetItem) -> None:
        cell = self.cells.get(item.row())
        if cell is None or item.column() != 1:
            return
        try:
            self._edits[cell] = counts_uc.parse_value(item.text())
        except InvalidInput as error:
            show_error(self, error)
            return
        self.save_button.setEnabled(True)

    def save(self) -> None:
        try:
            counts_uc.set_counts(self.session, self.period, dict(self._edits))
        except CaseworkerError as error:
            show_error(self, error)
            return
        self.load()

    def submit(self) -> None:
        sending = None
        try:
            sending = months_uc.submit(self.session, self.period, in_window=True).sending
        except CaseworkerError as error:
            show_error(self, error)
        self.load()
        if sending:
            self.status.setText(self.status.text() + "\n" + sending)

    def reopen(self) -> None:
        labels = [months_uc.reason_label(code) for code in months_uc.REOPEN_REASONS]
        choice, ok = QInputDialog.getItem(self, t("Reopen the month"), t("Why is the month reopened?"), labels, 0, False)
        if ok:
            try:
                months_uc.reopen(self.session, self.period, months_uc.REOPEN_REASONS[labels.index(choice)])
            except CaseworkerError as error:
                show_error(self, error)
            self.load()

    def draft(self) -> dict[str, Any] | None:
        return {"period": str(self.period), "edits": [(c.indicator, c.options, v) for c, v in self._edits.items()]} if self._edits else None

    def restore_draft(self, draft: dict[str, Any]) -> None:
        index = self.period_choice.findText(draft["period"])
        if index >= 0:
            self.period_choice.setCurrentIndex(index)
        wanted = {CellKey(indicator, tuple(tuple(p) for p in options)): value for indicator, options, value in draft["edits"]}
        for row, cell in self.cells.items():
            if cell in wanted:
                self.table.item(row, 1).setText(str(wanted[cell]))


def _subject_label(catalogue, subject: str, language: str) -> str:
    """``SESSIONS[session=legal]`` as "Counselling sessions held: Legal"."""
    code, _, rest = subject.partition("[")
    label = catalogue.indicator(code).label(language)
    if not rest:
        return label
    options = [part.split("=", 1) for part in rest.rstrip("]").split(",")]
    return label + ": " + ", ".join(catalogue.dimension(d).option(o).label(language) for d, o in options)
