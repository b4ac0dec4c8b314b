"""An indicator month by month: one column per month with its figure above it, months along the
bottom (the year written under January and under the first month). A month no centre sent is
left without a column and marked "no data", never drawn as a zero."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from caseworker.app.city_view import TrendPoint
from caseworker.i18n import t
from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import Chart
from caseworker.ui.charts.figures import integer, month, month_abbreviations


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 4, 5 × 10ⁿ not below ``value`` (the top of the axis: quarters of it are round)."""
    scale = 1
    while True:
        for step in (1, 2, 4, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


class TrendChart(Chart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[TrendPoint] = []
        self.figure_name = ""
        self.setMinimumSize(QSize(360, 200))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(640, 260)

    def set_data(self, figure_name: str, points: Sequence[TrendPoint]) -> None:
        self.figure_name, self.points = figure_name, list(points)
        held = [p for p in self.points if p.value is not None]
        summary = t("{figure}, month by month.", figure=figure_name)
        if held:
            top, low = max(held, key=lambda p: p.value), min(held, key=lambda p: p.value)
            summary += " " + t("Highest {value} in {month}, lowest {low} in {low_month}.", value=integer(top.value), month=month(top.period),
                               low=integer(low.value), low_month=month(low.period))
        missing = len(self.points) - len(held)
        if missing:
            summary += " " + t("{count} months without data.", count=missing)
        self.describe(t("Trend chart: {figure}", figure=figure_name), summary)
        self.update()
        self.changed.emit()

    def table(self) -> tuple[list[str], list[list[str]]]:
        return [t("Month"), self.figure_name], [[month(p.period), integer(p.value) if p.value is not None else t("no data")] for p in self.points]

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        line = metrics.height()
        top_value = nice_ceiling(max((p.value or 0 for p in self.points), default=0))
        axis_width = metrics.horizontalAdvance(integer(top_value)) + 8
        plot = QRectF(axis_width, line + 4, self.width() - axis_width - 4, self.height() - 3 * line - 12)
        text = self.palette().text().color()
        for fraction in (0, 0.25, 0.5, 0.75, 1):
            y = plot.bottom() - fraction * plot.height()
            painter.setPen(QPen(palette.GRID_LINE, 1, Qt.PenStyle.DotLine if fraction else Qt.PenStyle.SolidLine))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(palette.AXIS)
            painter.drawText(QRectF(0, y - line / 2, axis_width - 4, line), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             integer(round(top_value * fraction)))
        if not self.points:
            painter.end()
            return
        slot = plot.width() / len(self.points)
        bar = max(2.0, slot * 0.7)
        label_fits = metrics.horizontalAdvance(integer(top_value)) <= slot - 2
        month_fits = metrics.horizontalAdvance(max(month_abbreviations(), key=metrics.horizontalAdvance)) <= slot
        for index, point in enumerate(self.points):
            centre = plot.left() + slot * (index + 0.5)
            if point.value is None:
                painter.setPen(palette.AXIS)
                painter.drawText(QRectF(centre - slot / 2, plot.bottom() - line - 2, slot, line), Qt.AlignmentFlag.AlignCenter, "—")
            else:
                height = plot.height() * point.value / top_value
                painter.fillRect(QRectF(centre - bar / 2, plot.bottom() - height, bar, height), palette.ACCENT)
                if label_fits:
                    painter.setPen(text)
                    painter.drawText(QRectF(centre - slot / 2, plot.bottom() - height - line - 1, slot, line), Qt.AlignmentFlag.AlignCenter,
                                     integer(point.value))
            painter.setPen(text)
            if month_fits or index % 3 == 0:
                painter.drawText(QRectF(centre - slot, plot.bottom() + 3, slot * 2, line), Qt.AlignmentFlag.AlignCenter,
                                 month_abbreviations()[point.period.month - 1])
            if index == 0 or point.period.month == 1:
                painter.drawText(QRectF(centre - slot / 2, plot.bottom() + 3 + line, slot * 3, line), Qt.AlignmentFlag.AlignLeft,
                                 str(point.period.year))
        if any(p.value is None for p in self.points):
            painter.setPen(palette.AXIS)
            painter.drawText(QRectF(plot.left(), 0, plot.width(), line), Qt.AlignmentFlag.AlignRight, t("— no data"))
        painter.end()
