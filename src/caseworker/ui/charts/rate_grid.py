"""The reporting grid: one row per centre, one column per month, each cell filled and marked by
whether the month's report came on time (✔), late (◑), not at all (✘) or was not expected (·).
A legend under the grid says what each fill and mark means."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from caseworker.app.city_view import LATE, MISSING, NOT_EXPECTED, ON_TIME, GridRow
from caseworker.domain.periods import Period
from caseworker.i18n import t
from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import Chart
from caseworker.ui.charts.figures import month, month_abbreviations

ROW = 20
NAME_WIDTH = 230
SYMBOLS = {ON_TIME: "✔", LATE: "◑", MISSING: "✘", NOT_EXPECTED: "·"}
FILLS: dict[str, QColor] = {ON_TIME: palette.ON_TIME, LATE: palette.LATE, MISSING: palette.MISSING, NOT_EXPECTED: palette.NOT_EXPECTED}


def state_label(state: str) -> str:
    return {ON_TIME: t("on time"), LATE: t("late"), MISSING: t("missing"), NOT_EXPECTED: t("not expected")}[state]


class RateGrid(Chart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []
        self.periods: list[Period] = []

    def _row_height(self) -> int:
        return max(ROW, self.fontMetrics().height() + 4)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(NAME_WIDTH + 28 * max(1, len(self.periods)), (len(self.rows) + 4) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(NAME_WIDTH + 14 * max(1, len(self.periods)), self.sizeHint().height())

    def set_data(self, rows: Sequence[GridRow], periods: Sequence[Period]) -> None:
        self.rows, self.periods = list(rows), list(periods)
        counts = {state: sum(cell.state == state for row in self.rows for cell in row.cells) for state in SYMBOLS}
        summary = t("{centres} centres by {months} months: {on_time} reports on time, {late} late, {missing} missing, {not_expected} not expected.",
                    centres=len(self.rows), months=len(self.periods), on_time=counts[ON_TIME], late=counts[LATE],
                    missing=counts[MISSING], not_expected=counts[NOT_EXPECTED])
        self.describe(t("Reporting grid"), summary)
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()
        self.changed.emit()

    def table(self) -> tuple[list[str], list[list[str]]]:
        headers = [t("Centre"), t("District"), *(month(p) for p in self.periods)]
        return headers, [[row.name, row.district, *(f"{SYMBOLS[c.state]} {state_label(c.state)}" for c in row.cells)] for row in self.rows]

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        height = self._row_height()
        metrics = painter.fontMetrics()
        text = self.palette().text().color()
        columns = max(1, len(self.periods))
        width = max(12.0, (self.width() - NAME_WIDTH - 4) / columns)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.85))
        painter.setFont(small)
        for index, period in enumerate(self.periods):
            left = NAME_WIDTH + index * width
            painter.setPen(text)
            painter.drawText(QRectF(left, 0, width, height), Qt.AlignmentFlag.AlignCenter, month_abbreviations()[period.month - 1][:3])
            if index == 0 or period.month == 1:
                painter.drawText(QRectF(left, height, width * 4, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(period.year))
        painter.setFont(self.font())
        top = 2 * height
        cells: dict[str, list[QRectF]] = defaultdict(list)
        painter.setPen(text)
        for row in self.rows:
            name = metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 8)
            painter.drawText(QRectF(0, top, NAME_WIDTH - 6, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            for index, cell in enumerate(row.cells):
                cells[cell.state].append(QRectF(NAME_WIDTH + index * width, top, width, height))
            top += height
        # one fill per state, then the marks: few painter calls however many cells
        painter.setPen(palette.GRID_LINE)
        for state, rects in cells.items():
            painter.setBrush(FILLS[state])
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(palette.DARK_TEXT)
        for state, rects in cells.items():
            for rect in rects:
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, SYMBOLS[state])
        self._paint_legend(painter, top + height / 2, height)
        painter.end()

    def _paint_legend(self, painter: QPainter, top: float, height: int) -> None:
        left = 0.0
        metrics = painter.fontMetrics()
        for state in SYMBOLS:
            box = QRectF(left, top, height * 1.4, height)
            painter.fillRect(box, FILLS[state])
            painter.setPen(palette.GRID_LINE)
            painter.drawRect(box)
            painter.setPen(palette.DARK_TEXT)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, SYMBOLS[state])
            label = state_label(state)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(box.right() + 6, top, metrics.horizontalAdvance(label) + 4, height), Qt.AlignmentFlag.AlignVCenter, label)
            left = box.right() + 6 + metrics.horizontalAdvance(label) + 24
