"""City (coordinator): consolidated figures for a month, by district, for every indicator."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.text import tr_sort_key
from caseworker.i18n import current_language, t
from caseworker.ui.common import Retranslatable, heading, note


class CityPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading()
        self.period = QComboBox()
        current = Period.current()
        for offset in range(1, 25):
            self.period.addItem(str(current.plus(-offset)), current.plus(-offset))
        top.addWidget(self.title, 1)
        top.addWidget(self.period)
        layout.addLayout(top)
        self.explain = note()
        self.table = QTableWidget()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.explain)
        layout.addWidget(self.table, 1)
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("City figures"))
        self.explain.setText(t("Exact figures from the centres' latest bundles, for internal use. Published reports go through disclosure control."))
        self.load()

    def load(self) -> None:
        if not self.session.is_open:
            return
        period, language = self.period.currentData(), current_language()
        catalogue = catalogue_uc.current(self.session)
        districts = sorted({c.district for c in coordination.centres(self.session)}, key=tr_sort_key)
        columns = districts + [t("City")]
        totals = {d: coordination.consolidated(self.session, period, district=d).values for d in districts}
        totals[t("City")] = coordination.consolidated(self.session, period).values
        indicators = catalogue.active_indicators()
        self.table.setRowCount(len(indicators))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setVerticalHeaderLabels([i.label(language) for i in indicators])
        for row, indicator in enumerate(indicators):
            for column, name in enumerate(columns):
                value = sum(v for cell, v in totals[name].items() if cell.indicator == indicator.code)
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
