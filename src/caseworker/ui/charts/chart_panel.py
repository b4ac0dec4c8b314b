"""A chart with its numbers one click away: a title, a "Show as table" toggle and, in place of
the chart, a table view of the same figures (what a screen reader reads).

Every chart derives from ``Chart``: it says what it shows in its accessible name and
description, gives its figures as rows (``table()``), and signals ``changed`` after new data,
so the table is always the chart's own numbers."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget

from caseworker.i18n import t
from caseworker.ui.common import heading


class Chart(QWidget):
    """A chart drawn with QPainter that can give its figures as a table."""

    changed = Signal()

    def table(self) -> tuple[list[str], list[list[str]]]:  # pragma: no cover - every chart overrides it
        raise NotImplementedError

    def describe(self, name: str, description: str) -> None:
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.setToolTip(description)


class ChartPanel(QWidget):
    """``chart`` under a heading, swapped for a table of its numbers by the toggle."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.title = heading(size=12)
        self.toggle = QPushButton()
        self.toggle.setCheckable(True)
        self.model = QStandardItemModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.view)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.toggle.toggled.connect(self._show)
        chart.changed.connect(self._chart_changed)
        self.retranslate()

    @property
    def showing_table(self) -> bool:
        return self.stack.currentWidget() is self.view

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def retranslate(self) -> None:
        self.toggle.setText(t("Show as chart") if self.toggle.isChecked() else t("Show as table"))
        self.toggle.setAccessibleDescription(t("Swaps the chart for a table of the same figures, and back."))
        self._chart_changed()

    def _show(self, as_table: bool) -> None:
        self.stack.setCurrentWidget(self.view if as_table else self.chart)
        self.toggle.setText(t("Show as chart") if as_table else t("Show as table"))
        if as_table:
            self._fill()
            self.view.setFocus()

    def _chart_changed(self) -> None:
        if self.showing_table:  # a hidden table is filled when it is shown
            self._fill()

    def _fill(self) -> None:
        headers, rows = self.chart.table()
        self.model.clear()
        self.model.setHorizontalHeaderLabels(headers)
        for row in rows:
            self.model.appendRow([QStandardItem(text) for text in row])
        self.view.setAccessibleName(t("{chart}, as a table", chart=self.chart.accessibleName()))
        self.view.setAccessibleDescription(self.chart.accessibleDescription())

    def cell_texts(self) -> list[list[str]]:
        """The table's figures as shown, row by row."""
        return [[self.model.item(r, c).text() for c in range(self.model.columnCount())] for r in range(self.model.rowCount())]
