"""A sparkline: a year of one figure as a small line, the last month marked with a dot.

Months the store holds nothing for are left as gaps. The figures themselves are the widget's
accessible description, so a screen reader says what the line shows.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from caseworker.ui import design


class Sparkline(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[int | None] = []
        self.setMinimumSize(QSize(90, 28))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: list[int | None], description: str) -> None:
        self.values = list(values)
        self.setAccessibleDescription(description)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(140, 32)

    def paintEvent(self, _event) -> None:  # noqa: N802
        known = [v for v in self.values if v is not None]
        if not known:
            return
        palette = design.active_palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        margin = 4.0
        width, height = self.width() - 2 * margin, self.height() - 2 * margin
        top = max(known) or 1
        step = width / max(len(self.values) - 1, 1)

        def point(index: int, value: int) -> QPointF:
            return QPointF(margin + index * step, margin + height - height * value / top)

        path = QPainterPath()
        drawing = False
        for index, value in enumerate(self.values):
            if value is None:
                drawing = False
                continue
            if drawing:
                path.lineTo(point(index, value))
            else:
                path.moveTo(point(index, value))
                drawing = True
        painter.setPen(QPen(QColor(palette.accent), 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.drawPath(path)
        last = len(self.values) - 1
        if self.values[last] is not None:
            painter.setBrush(QColor(palette.accent))
            painter.drawEllipse(point(last, self.values[last]), 3, 3)
        painter.end()
