"""The district comparison: one horizontal bar per district, longest first, its rate per month
written at the bar, and the district's reporting completeness (months received of those
expected) in a column of its own at the right, so a short bar from missing reports shows as such."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from caseworker.app.city_view import DistrictRow
from caseworker.i18n import t
from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import Chart
from caseworker.ui.charts.figures import decimal, integer, percent


def completeness_text(row: DistrictRow) -> str:
    share = row.completeness.share
    return f"{integer(row.completeness.received)}/{integer(row.completeness.expected)} ({percent(None if share is None else 100 * share)})"


class BarChart(Chart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DistrictRow] = []
        self.figure_name = ""

    def _row_height(self) -> int:
        return max(22, self.fontMetrics().height() + 6)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, (len(self.rows) + 1) * self._row_height() + 6)

    def set_data(self, figure_name: str, rows: Sequence[DistrictRow]) -> None:
        self.figure_name, self.rows = figure_name, list(rows)
        summary = t("{figure} per month in each district with a centre, highest first, with the share of expected monthly reports received.",
                    figure=figure_name)
        if self.rows:
            summary += " " + t("Highest: {district}, {value}.", district=self.rows[0].district, value=decimal(self.rows[0].per_month))
        self.describe(t("District comparison: {figure}", figure=figure_name), summary)
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()
        self.changed.emit()

    def table(self) -> tuple[list[str], list[list[str]]]:
        headers = [t("District"), t("Centres"), t("Per month"), t("Total"), t("Reports received")]
        return headers, [[row.district, integer(row.centres), decimal(row.per_month), integer(row.total), completeness_text(row)] for row in self.rows]

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        height = self._row_height()
        text = self.palette().text().color()
        label_width = max((metrics.horizontalAdvance(row.district) for row in self.rows), default=0) + 12
        note_width = max([metrics.horizontalAdvance(completeness_text(row)) for row in self.rows] + [metrics.horizontalAdvance(t("Reports received"))]) + 10
        value_width = max((metrics.horizontalAdvance(decimal(row.per_month)) for row in self.rows), default=0) + 10
        room = max(10.0, self.width() - label_width - value_width - note_width)
        largest = max((row.per_month for row in self.rows), default=0) or 1
        painter.setPen(palette.AXIS)
        painter.drawText(QRectF(label_width, 0, room, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, t("Per month"))
        painter.drawText(QRectF(self.width() - note_width, 0, note_width, height), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         t("Reports received"))
        for index, row in enumerate(self.rows):
            top = (index + 1) * height
            painter.setPen(text)
            painter.drawText(QRectF(0, top, label_width - 6, height), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, row.district)
            width = room * row.per_month / largest
            painter.fillRect(QRectF(label_width, top + 4, width, height - 8), palette.ACCENT)
            painter.drawText(QRectF(label_width + width + 4, top, value_width, height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             decimal(row.per_month))
            share = row.completeness.share
            painter.setPen(text if share is None or share >= 0.9 else palette.MISSING.darker(220))
            painter.drawText(QRectF(self.width() - note_width, top, note_width, height), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             completeness_text(row))
        painter.end()
