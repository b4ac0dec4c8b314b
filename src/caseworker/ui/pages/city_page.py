"""City (coordinator): the city over a chosen range of months, read at a glance.

Headline figures against the same months a year before; a tile map of the 30 districts and a
district comparison for the figure chosen in the combo box; that figure month by month; the
reporting grid (centres × months). Each chart has a "Show as table" toggle. Clicking a district
on the map (or double-clicking its row in the table) opens that district's figures.

The figures come from ``app.city_view.CityFigures``: each month is read once while the page is
shown (read afresh each time it is shown), so another range reads only the months it adds and
choosing another figure only redraws. Shortly after the page is up it reads the year before
the range ahead, while the reader looks at the page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import city_view as city_uc
from caseworker.app.city_view import Change, CityView
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.i18n import t
from caseworker.ui.charts.bar_chart import BarChart, completeness_text
from caseworker.ui.charts.chart_panel import ChartPanel
from caseworker.ui.charts.figures import DASH, integer, month, month_range, percent, signed
from caseworker.ui.charts.rate_grid import RateGrid
from caseworker.ui.charts.tile_map import TileMap
from caseworker.ui.charts.trend_chart import TrendChart
from caseworker.ui.common import Retranslatable, heading, note, plain_label

RANGE_MONTHS = 36
PREFETCH_AFTER_MS = 400


def change_text(change: Change, first: Period, last: Period) -> str:
    before = month_range(first.plus(-12), last.plus(-12))
    if change.year_ago is None:
        return t("{dash} no figures for {range}", dash=DASH, range=before)
    return t("{difference} ({percent}) against {range}", difference=signed(change.difference), percent=percent(change.percent, sign=True),
             range=before)


class HeadlineCard(QFrame):
    """One headline figure: its name, the figure of the range, the change against a year before."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.name, self.figure, self.change = plain_label(), heading(size=18), plain_label()
        self.name.setWordWrap(True)
        self.change.setWordWrap(True)
        for label in (self.name, self.figure, self.change):
            layout.addWidget(label)

    def show_figure(self, name: str, figure: str, change: str) -> None:
        self.name.setText(name)
        self.figure.setText(figure)
        self.change.setText(change)
        self.setAccessibleName(f"{name}: {figure}")
        self.setAccessibleDescription(change)


class DistrictDialog(QDialog):
    """One district's figures over the range: every indicator against a year before."""

    def __init__(self, view: CityView, district: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.district = district
        self.setWindowTitle(t("{district}: figures", district=district))
        layout = QVBoxLayout(self)
        row = next((r for r in view.districts(view.indicators[0]) if r.district == district), None)
        title = heading(t("{district}, {range}", district=district, range=month_range(view.first, view.last)), size=13)
        if row is None:
            summary = t("No enrolled centre is in this district, so there are no figures for it.")
        else:
            summary = t("{centres} centres; monthly reports received: {received}.", centres=integer(row.centres), received=completeness_text(row))
        layout.addWidget(title)
        layout.addWidget(note(summary))
        self.table = QTableWidget()
        self.table.setAccessibleName(t("Figures of {district}", district=district))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        before = month_range(view.first.plus(-12), view.last.plus(-12))
        self.table.setColumnCount(5)
        self.table.setHorizontalHeaderLabels([t("Indicator"), month_range(view.first, view.last), before, t("Change"), t("Change, %")])
        figures = view.district_figures(district) if row is not None else []
        self.table.setRowCount(len(figures))
        for index, figure in enumerate(figures):
            change = figure.change
            for column, text in enumerate((view.label(figure.indicator), integer(change.current), integer(change.year_ago),
                                           signed(change.difference), percent(change.percent, sign=True))):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(index, column, item)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 520)


class CityPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.view: CityView | None = None
        self.figures: city_uc.CityFigures | None = None
        self.district_dialog: DistrictDialog | None = None
        content = QWidget()
        layout = QVBoxLayout(content)
        top = QHBoxLayout()
        self.title = heading()
        self.from_label, self.to_label = plain_label(), plain_label()
        self.first, self.last = QComboBox(), QComboBox()
        current = Period.current()
        for offset in range(1, RANGE_MONTHS + 1):
            for box in (self.first, self.last):
                box.addItem(str(current.plus(-offset)), current.plus(-offset))
        self.first.setCurrentIndex(11)
        top.addWidget(self.title, 1)
        for widget in (self.from_label, self.first, self.to_label, self.last):
            top.addWidget(widget)
        layout.addLayout(top)
        self.explain = note()
        layout.addWidget(self.explain)
        self.cards = [HeadlineCard() for _ in city_uc.HEADLINE_INDICATORS]
        cards = QGridLayout()
        for index, card in enumerate(self.cards):
            cards.addWidget(card, index // 3, index % 3)
        layout.addLayout(cards)
        self.completeness = note()
        layout.addWidget(self.completeness)
        chooser = QHBoxLayout()
        self.indicator_label = plain_label()
        self.indicator = QComboBox()
        self.indicator_label.setBuddy(self.indicator)
        chooser.addWidget(self.indicator_label)
        chooser.addWidget(self.indicator, 1)
        layout.addLayout(chooser)
        self.tile_map, self.bars, self.trend, self.grid = TileMap(), BarChart(), TrendChart(), RateGrid()
        self.map_panel, self.bars_panel = ChartPanel(self.tile_map), ChartPanel(self.bars)
        self.trend_panel, self.grid_panel = ChartPanel(self.trend), ChartPanel(self.grid)
        # The map and the district comparison side by side on a wide window, one above the other
        # on a small screen (``resizeEvent``), so the page never scrolls sideways.
        self.side_by_side = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.side_by_side.addWidget(self.map_panel, 3)
        self.side_by_side.addWidget(self.bars_panel, 2)
        layout.addLayout(self.side_by_side)
        layout.addWidget(self.trend_panel)
        layout.addWidget(self.grid_panel)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        for box in (self.first, self.last):
            box.currentIndexChanged.connect(lambda _i: self.load())
        self.indicator.currentIndexChanged.connect(lambda _i: self.draw_charts())
        self.tile_map.district_chosen.connect(self.open_district)
        self.map_panel.view.doubleClicked.connect(lambda index: self.open_district(self.map_panel.model.item(index.row(), 0).text()))
        self.bars_panel.view.doubleClicked.connect(lambda index: self.open_district(self.bars_panel.model.item(index.row(), 0).text()))
        self.watch_language()

    def choose_range(self, first: Period, last: Period) -> None:
        """Set the range pickers to ``first`` – ``last`` (months the pickers offer)."""
        for box, wanted in ((self.first, first), (self.last, last)):
            box.setCurrentIndex(next(i for i in range(box.count()) if box.itemData(i) == wanted))

    @property
    def chosen_range(self) -> tuple[Period, Period]:
        return tuple(sorted((self.first.currentData(), self.last.currentData())))  # type: ignore[return-value]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        both = self.map_panel.minimumSizeHint().width() + self.bars_panel.minimumSizeHint().width() + 40
        wanted = QBoxLayout.Direction.LeftToRight if event.size().width() >= both else QBoxLayout.Direction.TopToBottom
        if self.side_by_side.direction() != wanted:
            self.side_by_side.setDirection(wanted)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(t("City figures"))
        self.from_label.setText(t("From"))
        self.to_label.setText(t("to"))
        for box in (self.first, self.last):
            for index in range(box.count()):
                box.setItemText(index, month(box.itemData(index)))
        self.first.setAccessibleName(t("First month of the range"))
        self.last.setAccessibleName(t("Last month of the range"))
        self.indicator_label.setText(t("Figure on the map and charts:"))
        self.indicator.setAccessibleName(t("Figure on the map and charts"))
        self.explain.setText(t("Exact figures from the centres' latest bundles, summed over the months chosen, for internal use. "
                               "Published reports go through disclosure control."))
        for panel in (self.map_panel, self.bars_panel, self.trend_panel, self.grid_panel):
            panel.retranslate()
        if self.view is not None:
            for index in range(self.indicator.count()):
                self.indicator.setItemText(index, self.view.label(self.indicator.itemData(index)))
        self.draw()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Read the figures afresh each time the page is shown: bundles may have come in meanwhile."""
        super().showEvent(event)
        self.figures = None
        self.load()

    def load(self) -> None:
        if not self.session.is_open or not self.isVisible() or self.first.currentData() is None or self.last.currentData() is None:
            return
        if self.figures is None:
            self.figures = city_uc.CityFigures(self.session)
            QTimer.singleShot(PREFETCH_AFTER_MS, self._prefetch)
        self.view = self.figures.view(*self.chosen_range)
        self._fill_indicators()
        self.draw()

    def _prefetch(self) -> None:
        """Once the page is up: read the reporting and figures of the year before the range too,
        so that moving the start of the range back redraws at once."""
        if self.figures is None or not self.session.is_open or not self.isVisible():
            return
        first, last = self.chosen_range
        oldest = self.first.itemData(self.first.count() - 1)
        self.figures.prefetch(max(first.plus(-12), oldest), last)

    def _fill_indicators(self) -> None:
        assert self.view is not None
        codes = list(self.view.indicators)
        if [self.indicator.itemData(i) for i in range(self.indicator.count())] == codes:
            return
        chosen = self.indicator.currentData() or city_uc.DEFAULT_INDICATOR
        self.indicator.blockSignals(True)
        self.indicator.clear()
        for code in codes:
            self.indicator.addItem(self.view.label(code), code)
        self.indicator.setCurrentIndex(max(0, self.indicator.findData(chosen)))
        self.indicator.blockSignals(False)

    @property
    def chosen_indicator(self) -> str:
        return self.indicator.currentData() or city_uc.DEFAULT_INDICATOR

    def draw(self) -> None:
        """Show the range's figures: headlines and reporting at once, the charts for the chosen figure."""
        view = self.view
        if view is None:
            return
        span = month_range(view.first, view.last)
        headlines = view.headlines()
        for card, headline in zip(self.cards, headlines):
            card.show_figure(view.label(headline.indicator), integer(headline.change.current), change_text(headline.change, view.first, view.last))
            card.setVisible(True)
        for card in self.cards[len(headlines):]:
            card.setVisible(False)
        rate = view.city_completeness
        if not view.centres:
            self.completeness.setText(t("No centre is enrolled yet. Enrol the centres and import their bundles on the Sync page."))
        else:
            self.completeness.setText(t("Monthly reports, {range}: {received} of {expected} expected received ({share}), {on_time} on time.",
                                        range=span, received=integer(rate.received), expected=integer(rate.expected),
                                        share=percent(None if rate.share is None else 100 * rate.share), on_time=integer(rate.on_time)))
        self.draw_charts()
        self.grid_panel.set_title(t("Reporting by centre and month, {range}", range=span))
        self.grid.set_data(view.grid, view.periods)

    def draw_charts(self) -> None:
        """The map, the district comparison and the trend for the chosen figure (no store reading)."""
        view = self.view
        if view is None:
            return
        code = self.chosen_indicator
        name = view.label(code)
        span = month_range(view.first, view.last)
        tiles = view.tiles(code)
        self.map_panel.set_title(t("{figure} by district, {range}", figure=name, range=span))
        self.tile_map.set_data(t("{figure}, total", figure=name), tiles, city_uc.class_bounds([tile.total for tile in tiles if tile.total is not None]))
        self.bars_panel.set_title(t("Districts compared: {figure} per month", figure=name))
        self.bars.set_data(name, view.districts(code))
        self.trend_panel.set_title(t("{figure} in the city, month by month", figure=name))
        self.trend.set_data(name, view.trend(code))

    def open_district(self, district: str) -> None:
        if self.view is None:
            return
        if self.district_dialog is not None:
            self.district_dialog.close()
        self.district_dialog = DistrictDialog(self.view, district, self)
        self.district_dialog.open()
