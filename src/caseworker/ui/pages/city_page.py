"""City (coordinator): consolidated figures over a chosen range of months, by district, for every
indicator, with a chart of new applicants by district."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app.session import Session
from caseworker.domain.periods import Period, months_between
from caseworker.domain.text import tr_sort_key
from caseworker.i18n import current_language, t
from caseworker.ui.bar_chart import BarChart
from caseworker.ui.common import Retranslatable, heading, note


class CityPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading()
        self.first, self.last = QComboBox(), QComboBox()
        current = Period.current()
        for offset in range(1, 25):
            self.first.addItem(str(current.plus(-offset)), current.plus(-offset))
            self.last.addItem(str(current.plus(-offset)), current.plus(-offset))
        self.first.setCurrentIndex(11)
        top.addWidget(self.title, 1)
        top.addWidget(self.first)
        top.addWidget(self.last)
        layout.addLayout(top)
        self.explain = note()
        self.chart = BarChart()
        self.table = QTableWidget()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.explain)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        for box in (self.first, self.last):
            box.currentIndexChanged.connect(lambda _i: self.load())
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("City figures"))
        self.explain.setText(t("Exact figures from the centres' latest bundles, summed over the months chosen, for internal use. Published reports go through disclosure control."))
        self.load()

    def load(self) -> None:
        if not self.session.is_open or self.first.currentData() is None or self.last.currentData() is None:
            return
        first, last = sorted((self.first.currentData(), self.last.currentData()))
        language = current_language()
        catalogue = catalogue_uc.current(self.session)
        districts = sorted({c.district for c in coordination.centres(self.session)}, key=tr_sort_key)
        columns = districts + [t("City")]
        totals: dict[str, dict] = {name: {} for name in columns}
        for period in months_between(first, last):
            for name in columns:
                values = coordination.consolidated(self.session, period, district=None if name == t("City") else name).values
                for cell, value in values.items():
                    totals[name][cell] = totals[name].get(cell, 0) + value
        self.chart.set_data(
            t("New applicants by district, {first} – {last}", first=first, last=last),
            [(name, sum(v for c, v in totals[name].items() if c.indicator == "NEW_APPLICANTS")) for name in districts],
        )
        indicators = catalogue.active_indicators()
        self.table.setRowCount(len(indicators))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setVerticalHeaderLabels([i.label(language) for i in indicators])
        for row, indicator in enumerate(indicators):
            for column, name in enumerate(columns):
                value = sum(v for cell, v in totals[name].items() if cell.indicator == indicator.code)
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
