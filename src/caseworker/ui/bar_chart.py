"""A small horizontal bar chart widget for the dashboards (labels, values, figures at the bars)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

ACCENT = QColor("#6b2d5c")


class BarChart(QWidget):
    ROW = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.items: list[tuple[str, int]] = []

    def set_data(self, title: str, items: list[tuple[str, int]]) -> None:
        self.title, self.items = title, items
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, 30 + self.ROW * max(1, len(self.items)))

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        painter.drawText(QRectF(0, 0, self.width(), 22), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        label_width = max((metrics.horizontalAdvance(label) for label, _ in self.items), default=0) + 10
        largest = max((value for _, value in self.items), default=0) or 1
        room = max(10, self.width() - label_width - 50)
        for row, (label, value) in enumerate(self.items):
            top = 28 + row * self.ROW
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, top, label_width - 6, self.ROW - 4), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            width = room * value / largest
            painter.fillRect(QRectF(label_width, top + 3, width, self.ROW - 10), ACCENT)
            painter.drawText(QRectF(label_width + width + 4, top, 60, self.ROW - 4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(value))
        painter.end()
