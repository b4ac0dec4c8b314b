"""The tile map of İzmir's 30 districts: one square per district, placed as the districts lie
(``domain/district_tiles.py``), filled from a light-to-dark ramp by the chosen figure, with the
district's name and figure written in the square. A district without a centre is hatched grey
with "—" for its figure, and the legend says what the hatching means. A legend gives each class's bounds. Clicking a square (or Enter on the
square chosen with the arrow keys) emits ``district_chosen``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from caseworker.app.city_view import TileValue, class_of
from caseworker.domain.district_tiles import GRID_COLUMNS, GRID_ROWS, TILES
from caseworker.i18n import t
from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import Chart
from caseworker.ui.charts.figures import DASH, decimal, integer

GAP = 4
LEGEND_WIDTH = 150


class TileMap(Chart):
    district_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: list[TileValue] = []
        self.bounds: tuple[float, ...] = ()
        self.figure_name = ""
        self.format: Callable[[float | None], str] = lambda v: integer(None if v is None else int(v))
        self.focused = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(GRID_COLUMNS * 46 + LEGEND_WIDTH, GRID_ROWS * 46 + 10))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(GRID_COLUMNS * 72 + LEGEND_WIDTH, GRID_ROWS * 72 + 10)

    def set_data(self, figure_name: str, tiles: Sequence[TileValue], bounds: tuple[float, ...]) -> None:
        """``tiles`` of all districts; each is coloured by its ``total`` in the classes ``bounds``."""
        self.figure_name, self.tiles, self.bounds = figure_name, list(tiles), bounds
        with_data = [tile for tile in self.tiles if tile.total is not None]
        without = len(self.tiles) - len(with_data)
        top = max(with_data, key=lambda tile: tile.total, default=None)
        summary = t("Map of İzmir's 30 districts, each square coloured by {figure}, darker for more.", figure=figure_name)
        if top is not None:
            summary += " " + t("Highest: {district}, {value}.", district=top.district, value=integer(top.total))
        if without:
            summary += " " + t("{count} districts have no centre (hatched).", count=without)
        self.describe(t("Tile map: {figure}", figure=figure_name), summary)
        self.update()
        self.changed.emit()

    def table(self) -> tuple[list[str], list[list[str]]]:
        headers = [t("District"), t("Centres"), self.figure_name, t("Per month")]
        rows = sorted(self.tiles, key=lambda tile: (tile.total is None, -(tile.total or 0)))
        return headers, [[tile.district, integer(tile.centres), integer(tile.total) if tile.total is not None else t("no centre"),
                          decimal(tile.per_month)] for tile in rows]

    # geometry --------------------------------------------------------------------------------

    def _cell(self) -> float:
        return max(20.0, min((self.width() - LEGEND_WIDTH - GAP) / GRID_COLUMNS, (self.height() - GAP) / GRID_ROWS))

    def tile_rect(self, district: str) -> QRectF:
        tile = next(tile for tile in TILES if tile.district == district)
        size = self._cell()
        return QRectF(tile.column * size + GAP / 2, tile.row * size + GAP / 2, size - GAP, size - GAP)

    def district_at(self, point: QPointF) -> str | None:
        return next((tile.district for tile in TILES if self.tile_rect(tile.district).contains(point)), None)

    # events ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        district = self.district_at(event.position())
        if district is not None and event.button() == Qt.MouseButton.LeftButton:
            self.focused = next(i for i, tile in enumerate(TILES) if tile.district == district)
            self.update()
            self.district_chosen.emit(district)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        over = self.district_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
        if step is not None:
            self.focused = (self.focused + step) % len(TILES)
            self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.district_chosen.emit(TILES[self.focused].district)
        else:
            super().keyPressEvent(event)

    # painting --------------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)  # squares and text only: no antialiasing needed
        values = {tile.district: tile for tile in self.tiles}
        name_font, figure_font = QFont(self.font()), QFont(self.font())
        size = self._cell()
        name_font.setPixelSize(max(8, int(size * 0.17)))
        figure_font.setPixelSize(max(9, int(size * 0.24)))
        figure_font.setBold(True)
        for index, tile in enumerate(TILES):
            value = values.get(tile.district)
            rect = self.tile_rect(tile.district)
            has_data = value is not None and value.total is not None
            fill = palette.RAMP[class_of(value.total, self.bounds)] if has_data and self.bounds else palette.NO_DATA_FILL
            painter.fillRect(rect, fill)
            if not has_data:
                painter.fillRect(rect, QBrush(palette.NO_DATA_HATCH, Qt.BrushStyle.BDiagPattern))
            focused = self.hasFocus() and index == self.focused
            painter.setPen(QPen(palette.FOCUS if focused else palette.GRID_LINE, 3 if focused else 1))
            painter.drawRect(rect)
            ink = palette.text_on(fill) if has_data else palette.DARK_TEXT
            painter.setPen(ink)
            inner = rect.adjusted(3, 2, -3, -2)
            painter.setFont(_fitted(name_font, tile.district, inner.width()))
            name = painter.fontMetrics().elidedText(tile.district, Qt.TextElideMode.ElideRight, int(inner.width()))
            painter.drawText(QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2), Qt.AlignmentFlag.AlignCenter, name)
            painter.setFont(figure_font)
            text = integer(value.total) if has_data else DASH
            text = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
            painter.drawText(QRectF(inner.left(), inner.center().y(), inner.width(), inner.height() / 2), Qt.AlignmentFlag.AlignCenter, text)
        self._paint_legend(painter, QRectF(GRID_COLUMNS * size + 10, 0, LEGEND_WIDTH - 12, self.height()))
        painter.end()

    def _paint_legend(self, painter: QPainter, area: QRectF) -> None:
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        line = metrics.height() + 6
        painter.setPen(self.palette().text().color())
        title = QRectF(area.left(), area.top(), area.width(), line * 3)
        painter.drawText(title, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.figure_name)
        top = area.top() + metrics.boundingRect(title.toRect(), Qt.TextFlag.TextWordWrap, self.figure_name).height() + 8
        swatch = metrics.height()
        for label, fill, hatched in [*((text, palette.RAMP[i], False) for i, text in enumerate(class_labels(self.bounds))),
                                     (t("no centre"), palette.NO_DATA_FILL, True)]:
            box = QRectF(area.left(), top, swatch * 1.4, swatch)
            painter.fillRect(box, fill)
            if hatched:
                painter.fillRect(box, QBrush(palette.NO_DATA_HATCH, Qt.BrushStyle.BDiagPattern))
            painter.setPen(palette.GRID_LINE)
            painter.drawRect(box)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(box.right() + 6, top - 3, area.width() - box.width() - 6, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            top += line


def class_labels(bounds: tuple[float, ...]) -> list[str]:
    """"0–12", "13–20", … for integer figures: each class from just above the previous bound."""
    labels, low = [], 0
    for bound in bounds:
        high = int(bound)
        labels.append(integer(high) if high <= low else f"{integer(low)}–{integer(high)}")
        low = high + 1
    return labels


def _fitted(font: QFont, text: str, width: float, smallest: int = 8) -> QFont:
    """``font`` made smaller, down to ``smallest`` pixels, until ``text`` fits in ``width``."""
    fitted = QFont(font)
    while fitted.pixelSize() > smallest and QFontMetricsF(fitted).horizontalAdvance(text) > width:
        fitted.setPixelSize(fitted.pixelSize() - 1)
    return fitted
