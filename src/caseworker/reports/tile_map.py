"""The tile map of İzmir's 30 districts on a printed page: one square per district, laid out as
``domain.district_tiles`` places them, shaded by a figure, with the figure written in it.

Shades are five classes of the figures shown (cut at their quintiles), explained in a legend to
the right. A district whose figure is not published gets a pale dashed square with the
not-published symbol; a district with no centre an empty outline. The map is drawn straight on
the canvas (no chart objects), so it costs little to print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from caseworker.domain.district_tiles import GRID_COLUMNS, GRID_ROWS, TILES
from caseworker.reports import fonts
from caseworker.reports.numbers import cell_text
from caseworker.reports.pdf import GRID, HIDDEN_FILL, MUTED

SHADES = tuple(colors.HexColor(code) for code in ("#f3e9f0", "#dcbcd3", "#b77fa6", "#8c4a7a", "#5a1f4b"))
DARK_FROM = 3  # the classes printed with white text
LEGEND_WIDTH = 128
GAP = 2


def class_breaks(values: Sequence[int], classes: int = len(SHADES)) -> list[int]:
    """The upper bound of each class: the figures cut at their quantiles, never two equal bounds."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds: list[int] = []
    for number in range(1, classes + 1):
        bound = ordered[min(len(ordered) - 1, round(number * len(ordered) / classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


class TileMap(Flowable):
    """``values``: each district's figure, ``None`` where it is not published; districts not in
    ``values`` have no centre. ``texts``: the legend's words (``hidden``, ``no_centre``)."""

    def __init__(self, values: Mapping[str, int | None], symbol: str, language: str, texts: Mapping[str, str], tile: float = 37) -> None:
        super().__init__()
        self.values, self.symbol, self.language, self.texts, self.tile = dict(values), symbol, language, texts, tile
        self.breaks = class_breaks([value for value in self.values.values() if value is not None])

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return GRID_COLUMNS * self.tile + LEGEND_WIDTH, GRID_ROWS * self.tile

    def shade(self, value: int) -> int:
        return next((index for index, bound in enumerate(self.breaks) if value <= bound), len(self.breaks) - 1)

    def draw(self) -> None:
        canvas, size = self.canv, self.tile
        height = GRID_ROWS * size
        for tile in TILES:
            x, y = tile.column * size, height - (tile.row + 1) * size
            inner = size - GAP
            present = tile.district in self.values
            value = self.values.get(tile.district)
            canvas.saveState()
            canvas.setLineWidth(0.5)
            if not present:
                canvas.setStrokeColor(GRID)
                canvas.rect(x, y, inner, inner, stroke=1, fill=0)
                ink = MUTED
            elif value is None:
                canvas.setFillColor(HIDDEN_FILL)
                canvas.setStrokeColor(MUTED)
                canvas.setDash(1.5, 1.5)
                canvas.rect(x, y, inner, inner, stroke=1, fill=1)
                ink = MUTED
            else:
                shade = self.shade(value)
                canvas.setFillColor(SHADES[shade])
                canvas.rect(x, y, inner, inner, stroke=0, fill=1)
                ink = colors.white if shade >= DARK_FROM else colors.black
            canvas.restoreState()
            name_size = 5.4
            while stringWidth(tile.district, fonts.REGULAR, name_size) > inner - 3 and name_size > 3.5:
                name_size -= 0.2
            canvas.setFillColor(ink)
            canvas.setFont(fonts.REGULAR, name_size)
            canvas.drawCentredString(x + inner / 2, y + inner - 9, tile.district)
            if present:
                canvas.setFont(fonts.BOLD, 8.5)
                canvas.drawCentredString(x + inner / 2, y + inner / 2 - 8, self.symbol if value is None else cell_text(value, self.language))
        self._legend(GRID_COLUMNS * size + 10, height)

    def _legend(self, left: float, top: float) -> None:
        canvas = self.canv
        y = top - 10
        lower = min((value for value in self.values.values() if value is not None), default=0)
        for index, bound in enumerate(self.breaks):
            canvas.setFillColor(SHADES[index if len(self.breaks) == len(SHADES) else min(index, len(SHADES) - 1)])
            canvas.rect(left, y - 2, 12, 9, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.setFont(fonts.REGULAR, 7.5)
            text = cell_text(bound, self.language) if lower == bound else f"{cell_text(lower, self.language)}–{cell_text(bound, self.language)}"
            canvas.drawString(left + 17, y, text)
            lower = bound + 1
            y -= 13
        y -= 4
        if any(value is None for value in self.values.values()):
            canvas.saveState()
            canvas.setFillColor(HIDDEN_FILL)
            canvas.setStrokeColor(MUTED)
            canvas.setDash(1.5, 1.5)
            canvas.rect(left, y - 2, 12, 9, stroke=1, fill=1)
            canvas.restoreState()
            canvas.setFillColor(colors.black)
            canvas.setFont(fonts.REGULAR, 7.5)
            canvas.drawString(left + 17, y, f"{self.symbol} {self.texts['hidden']}")
            y -= 13
        if any(tile.district not in self.values for tile in TILES):
            canvas.setStrokeColor(GRID)
            canvas.setLineWidth(0.5)
            canvas.rect(left, y - 2, 12, 9, stroke=1, fill=0)
            canvas.setFillColor(colors.black)
            canvas.setFont(fonts.REGULAR, 7.5)
            canvas.drawString(left + 17, y, self.texts["no_centre"])
