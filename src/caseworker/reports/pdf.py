"""The shared page template and building blocks of every PDF report (reportlab).

Every report is A4 with the same frame: a header (the unit on the left, the report and its
period on the right), and a footer that says the document holds no personal data and must be
kept as an official document, when it was generated and by which version, and the page as
``n / N``. Pages are portrait; after ``landscape_pages()`` they turn landscape (wide tables),
after ``portrait_pages()`` back. Reports only assemble a story of flowables from the helpers here:

- ``styles()``: paragraph styles on the embedded DejaVu family (``fonts``), built once.
- ``table_flowables``: a ``ReportTable`` with heading, note, figures right-aligned, total rows
  in bold, the footnote that explains the not-published symbol and a source line.
- ``compact_table`` / ``natural_widths`` / ``side_by_side``: dense statistical tables sized to
  their content, and several blocks next to each other on a landscape page.
- ``key_figures``: a row of boxes with a large figure, its label and a comparison line.
- ``horizontal_bars`` / ``vertical_bars``: bar charts drawn straight on the page, whose hidden
  values get a dashed "not shown" mark with the symbol, never a bar of no height.
- ``callout``: a shaded box for the status line and notices.
- ``Marks``: a contents list with page numbers and the PDF outline, in one layout pass.
- ``render(story, page)``: the PDF bytes and the number of pages.

Figures are printed with thousands grouped in the report's language (``numbers``). Nothing here
knows about months or indicators; the city report reuses all of it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from caseworker.reports import fonts, plain_paragraph
from caseworker.reports.numbers import cell_text
from caseworker.reports.tables import ReportTable
from caseworker.reports.text_canvas import TextCanvas

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 26 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
CONTENT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
LANDSCAPE_WIDTH = PAGE_HEIGHT - 2 * MARGIN_X
LANDSCAPE_MARGIN_TOP = 19 * mm  # landscape pages are short: the frame comes closer to header and footer
LANDSCAPE_MARGIN_BOTTOM = 21 * mm
LANDSCAPE_HEIGHT = PAGE_WIDTH - LANDSCAPE_MARGIN_TOP - LANDSCAPE_MARGIN_BOTTOM

ACCENT = colors.HexColor("#6b2d5c")
ACCENT_LIGHT = colors.HexColor("#f3e9f0")
GRID = colors.HexColor("#c9c2c7")
MUTED = colors.HexColor("#5f5a5e")
STRIPE = colors.HexColor("#f7f5f6")
WARNING = colors.HexColor("#fff4d6")
WARNING_EDGE = colors.HexColor("#d9a400")
HIGHLIGHT = colors.HexColor("#c0417f")


@dataclass(frozen=True)
class PageInfo:
    """What the frame of every page shows; the texts are already in the report's language."""

    title: str
    header_left: str
    header_right: str
    footer_notice: str
    footer_generated: str
    page_label: Callable[[int, int], str]
    language: str
    subject: str = ""
    creator: str = ""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    footnote: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_compact: ParagraphStyle
    cell_compact_bold: ParagraphStyle
    source: ParagraphStyle
    table_title: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    head_compact: ParagraphStyle
    head_compact_right: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle
    figure_note: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    family = fonts.register()
    regular, bold = family.regular, family.bold

    def style(name: str, font: str = regular, size: float = 9, leading: float | None = None, **extra: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25, **extra)

    return Styles(
        title=style("title", bold, 17, 21, textColor=ACCENT, spaceAfter=2),
        subtitle=style("subtitle", regular, 10.5, 14, textColor=MUTED, spaceAfter=8),
        heading=style("heading", bold, 12, 15, textColor=ACCENT, spaceBefore=10, spaceAfter=5),
        subheading=style("subheading", bold, 9.5, 12, spaceBefore=6, spaceAfter=3),
        body=style("body", regular, 9, 12),
        small=style("small", regular, 7.5, 9.5, textColor=MUTED),
        footnote=style("footnote", regular, 7.5, 9.5, textColor=MUTED, spaceBefore=2),
        cell=style("cell", regular, 8, 10),
        cell_bold=style("cell_bold", bold, 8, 10),
        cell_compact=style("cell_compact", regular, 7.5, 8.8),
        cell_compact_bold=style("cell_compact_bold", bold, 7.5, 8.8),
        table_title=style("table_title", bold, 8.5, 10.5, textColor=ACCENT, spaceAfter=2),
        source=style("source", regular, 6.5, 8, textColor=MUTED, spaceBefore=1.5),
        head=style("head", bold, 7.5, 9.5, textColor=colors.white),
        head_right=style("head_right", bold, 7.5, 9.5, textColor=colors.white, alignment=TA_RIGHT),
        head_compact=style("head_compact", bold, 6.6, 7.8, textColor=colors.white),
        head_compact_right=style("head_compact_right", bold, 6.6, 7.8, textColor=colors.white, alignment=TA_RIGHT),
        figure=style("figure", bold, 20, 23, textColor=ACCENT, alignment=TA_LEFT),
        figure_label=style("figure_label", regular, 8, 10),
        figure_note=style("figure_note", regular, 7, 9, textColor=MUTED),
    )


def escape(text: str) -> str:
    """Text for a ``Paragraph`` (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MeasuredParagraph(Paragraph):
    """A paragraph whose lines are broken once per width: a table measures its cells to lay
    itself out and again to draw them, and a block beside others is measured to choose its place."""

    _measured_at: float | None = None
    _measured: tuple[float, float] = (0, 0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._measured_at != available_width or not hasattr(self, "blPara"):  # a failed split forgets the lines
            self._measured = super().wrap(available_width, available_height)
            self._measured_at = available_width
        return self._measured


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """``text`` as it stands (markup is not read), in ``style``."""
    cleaned, fragments = plain_paragraph.fragments(text, style)
    return MeasuredParagraph(escape(cleaned), style, frags=fragments)


# ---------------------------------------------------------------------------- tables


TABLE_FONT_SIZE = 7.5
MIN_VALUE_WIDTH = 30.0


def label_cell(text: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A row label or heading: plain text where it fits on one line (cheap to lay out; the cell's
    style must then give the font of ``style``), else a wrapping paragraph."""
    if stringWidth(text, style.fontName, style.fontSize) <= width:
        return text
    return paragraph(text, style)


class _MeasuredTable(Table):
    """A table of fixed column widths measured once per width: a table kept together with its
    title is measured to see whether it fits, then again to be placed; one standing beside others
    is measured to choose its place, then again by the row that holds it."""

    _measured_at: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._measured_at != available_width:
            super().wrap(available_width, available_height)
            self._measured_at = available_width
        return self._width, self._height


def table_flowables(table: ReportTable, label_share: float = 0.44, width: float = CONTENT_WIDTH,
                    language: str | None = None, source: str | None = None) -> list[Flowable]:
    """The table with its heading, note, footnote and source line; small tables are kept on one
    page, longer ones repeat their header row on every page. ``language``: figures are printed
    with thousands grouped in that language."""
    s = styles()
    n_values = len(table.columns) - 1
    label_width = width * label_share if n_values else width
    widths = [label_width] + [(width - label_width) / n_values] * n_values if n_values else [width]
    grid = _figure_grid(table, widths, language, compact=False)
    parts: list[Flowable] = [paragraph(table.title, s.subheading)] if table.title else []
    if table.note:
        parts.append(paragraph(table.note, s.small))
        parts.append(Spacer(1, 2))
    parts.append(grid)
    if table.footnote:
        parts.append(paragraph(table.footnote, s.footnote))
    if source:
        parts.append(paragraph(source, s.source))
    parts.append(Spacer(1, 6))
    return [KeepTogether(parts)] if len(table.rows) <= 18 else parts


@dataclass(frozen=True)
class Widths:
    """The columns of a compact statistical table: the row labels, then each figure column."""

    label: float
    values: tuple[float, ...]

    @property
    def total(self) -> float:
        return self.label + sum(self.values)


def natural_widths(table: ReportTable, language: str | None, label_at_most: float = 130) -> Widths:
    """The narrowest columns that hold the table's labels, and in each figure column its widest
    figure and the longest word of its heading."""
    s = styles()
    head = s.head_compact
    label = max((stringWidth(row.label, fonts.BOLD if row.is_total else fonts.REGULAR, TABLE_FONT_SIZE) for row in table.rows), default=40)
    label = max(label, max((stringWidth(word, head.fontName, head.fontSize) for word in table.columns[0].split()), default=0))
    values = []
    for index, heading in enumerate(table.columns[1:]):
        texts = [cell_text(row.values[index], language) for row in table.rows]
        longest = max((len(text) for text in texts), default=0)  # figures: DejaVu's digits are all as wide
        figures = max((stringWidth(text, fonts.BOLD, TABLE_FONT_SIZE) for text in texts if len(text) >= longest - 1), default=0)
        words = max((stringWidth(word, head.fontName, head.fontSize) for word in heading.split()), default=0)
        values.append(max(MIN_VALUE_WIDTH, figures + 8, words + 7))
    return Widths(min(label + 8, label_at_most), tuple(values))


@dataclass(frozen=True)
class _GridLook:
    """The type and spacing of a figure table's cells. Header and row label cells take the font of
    their paragraph style (``label_cell``); figures are in the labels' size and leading."""

    head: ParagraphStyle
    head_right: ParagraphStyle
    label: ParagraphStyle
    total_label: ParagraphStyle
    size: float
    leading: float
    head_valign: str
    head_padding: tuple[float, float]  # top, bottom
    body_padding: tuple[float, float]
    side_padding: float
    rule_under_head: bool


@dataclass(frozen=True)
class _GridCells:
    """A figure table's few cell styles, each shared by all the cells it is for (reportlab would
    otherwise make one per cell and set each by every command of the table's style)."""

    head: CellStyle
    head_right: CellStyle
    label: CellStyle
    figure: CellStyle
    total_label: CellStyle
    total_figure: CellStyle


@lru_cache(maxsize=2)
def _grid_look(compact: bool) -> _GridLook:
    s = styles()
    if compact:
        return _GridLook(s.head_compact, s.head_compact_right, s.cell_compact, s.cell_compact_bold, TABLE_FONT_SIZE, TABLE_FONT_SIZE + 1,
                         "BOTTOM", (2.5, 2.5), (1.2, 1.5), 3, rule_under_head=False)
    return _GridLook(s.head, s.head_right, s.cell, s.cell_bold, 8, 9.6, "MIDDLE", (2.2, 2.2), (2.2, 2.2), 4, rule_under_head=True)


@lru_cache(maxsize=2)
def _grid_cells(look: _GridLook) -> _GridCells:
    def make(name: str, style: ParagraphStyle, alignment: str, head: bool) -> CellStyle:
        cell = CellStyle(name)
        cell.fontname, cell.alignment = style.fontName, alignment
        if head:
            cell.fontsize, cell.leading, cell.color, cell.valign = style.fontSize, style.leading, style.textColor, look.head_valign
            cell.topPadding, cell.bottomPadding = look.head_padding
        else:
            cell.fontsize, cell.leading, cell.valign = look.size, look.leading, "MIDDLE"
            cell.topPadding, cell.bottomPadding = look.body_padding
        cell.leftPadding = cell.rightPadding = look.side_padding
        return cell

    return _GridCells(
        head=make("head", look.head, "LEFT", head=True),
        head_right=make("head_right", look.head_right, "RIGHT", head=True),
        label=make("label", look.label, "LEFT", head=False),
        figure=make("figure", look.label, "RIGHT", head=False),
        total_label=make("total_label", look.total_label, "LEFT", head=False),
        total_figure=make("total_figure", look.total_label, "RIGHT", head=False),
    )


def _figure_grid(table: ReportTable, widths: Sequence[float], language: str | None, compact: bool) -> Table:
    """The table's figures in a grid: a shaded header row repeated on every page, the row labels
    on the left and the figures right-aligned, every other row striped, total rows in bold over a
    rule. ``compact``: the dense look of a statistical yearbook."""
    look = _grid_look(compact)
    cells = _grid_cells(look)
    inner = [width - 2 * look.side_padding for width in widths]
    header = [label_cell(table.columns[0], look.head, inner[0]), *(label_cell(text, look.head_right, width)
                                                                   for text, width in zip(table.columns[1:], inner[1:], strict=True))]
    body = [[label_cell(row.label, look.total_label if row.is_total else look.label, inner[0]), *(cell_text(value, language) for value in row.values)]
            for row in table.rows]
    n_values = len(widths) - 1
    plain = [cells.label, *([cells.figure] * n_values)]
    total = [cells.total_label, *([cells.total_figure] * n_values)]
    cell_styles = [[cells.head, *([cells.head_right] * n_values)], *(list(total if row.is_total else plain) for row in table.rows)]
    grid = _MeasuredTable([header, *body], colWidths=list(widths), repeatRows=1, hAlign="LEFT", cellStyles=cell_styles)
    # Lines and backgrounds only: a command that sets a cell's font or padding would change the shared styles.
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("LINEBELOW", (0, 0 if look.rule_under_head else 1), (-1, -1), 0.25, GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, STRIPE]),
    ]
    for index, row in enumerate(table.rows, start=1):
        if row.is_total:
            commands += [("LINEABOVE", (0, index), (-1, index), 0.8, colors.black), ("BACKGROUND", (0, index), (-1, index), colors.white)]
    grid.setStyle(TableStyle(commands))
    return grid


def compact_table(table: ReportTable, widths: Widths, language: str | None) -> Table:
    """The figures of ``table`` in a dense grid (statistical yearbook style): a shaded header
    row repeated on every page, the row labels on the left, total rows in bold over a rule."""
    return _figure_grid(table, [widths.label, *widths.values], language, compact=True)


def side_by_side(blocks: Sequence[Sequence[Flowable]], widths: Sequence[float], gap: float = 14) -> Table:
    """Several blocks (each a list of flowables: a table with its title and source line, a
    chart) next to each other, tops aligned; the whole row stays on one page."""
    cells: list[object] = []
    columns: list[float] = []
    for index, (block, width) in enumerate(zip(blocks, widths, strict=True)):
        if index:
            cells.append("")
            columns.append(gap)
        cells.append(list(block))
        columns.append(width)
    row = Table([cells], colWidths=columns, hAlign="LEFT", spaceAfter=10)
    row.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return row

# ---------------------------------------------------------------------------- boxes


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


def key_figures(items: Sequence[KeyFigure], width: float = CONTENT_WIDTH) -> Table:
    """A row of boxes: a large figure, what it counts, and a comparison line under it."""
    s = styles()
    cells = [[[paragraph(item.value, s.figure), paragraph(item.label, s.figure_label), paragraph(item.note, s.figure_note)] for item in items]]
    gap = 5
    box = (width - gap * (len(items) - 1)) / len(items)
    widths: list[float] = []
    row: list[object] = []
    for index, cell in enumerate(cells[0]):
        if index:
            widths.append(gap)
            row.append("")
        widths.append(box)
        row.append(cell)
    grid = Table([row], colWidths=widths, hAlign="LEFT")
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for column in range(0, len(row), 2):
        commands += [("BACKGROUND", (column, 0), (column, 0), ACCENT_LIGHT), ("LINEABOVE", (column, 0), (column, 0), 2, ACCENT)]
    grid.setStyle(TableStyle(commands))
    return grid


def callout(lines: Sequence[str], warning: bool = False, width: float = CONTENT_WIDTH) -> Table:
    """A shaded box holding a few lines (the first in bold)."""
    s = styles()
    content = [paragraph(line, s.cell_bold if index == 0 else s.cell) for index, line in enumerate(lines)]
    box = Table([[content]], colWidths=[width], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8),
        ("BACKGROUND", (0, 0), (-1, -1), WARNING if warning else ACCENT_LIGHT),
        ("LINEBEFORE", (0, 0), (0, -1), 3, WARNING_EDGE if warning else ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
    ]))
    return box


# ---------------------------------------------------------------------------- charts


def nice_axis(largest: float, ticks: int = 5) -> tuple[int, int]:
    """(maximum, step) of a value axis from 0 that holds ``largest`` in about ``ticks`` whole steps."""
    if largest <= 0:
        return 1, 1
    rough = largest / ticks
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(1, int(step))
    return int(math.ceil(largest / step) * step), step


HIDDEN_FILL = colors.HexColor("#eeeaed")


class _Bars(Flowable):
    """What both bar charts share: the figures, their texts, the axis and the not-shown mark.

    A hidden figure (``None``) is never drawn as a bar of no height, which would read as a zero:
    it gets a small dashed box and the not-published symbol instead; a real zero prints ``0``."""

    def __init__(self, labels: Sequence[str], values: Sequence[int | None], symbol: str, width: float, height: float,
                 language: str | None) -> None:
        super().__init__()
        self.labels, self.values, self.symbol = list(labels), list(values), symbol
        self.width, self.height, self.language = width, height, language
        self.axis = nice_axis(max((value for value in values if value is not None), default=0))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def text(self, value: int | None) -> str:
        return self.symbol if value is None else cell_text(value, self.language)

    def hidden_mark(self, x: float, y: float, width: float, height: float) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HIDDEN_FILL)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.5)
        canvas.setDash(1.5, 1.5)
        canvas.rect(x, y, width, height, stroke=1, fill=1)
        canvas.restoreState()


class HorizontalBars(_Bars):
    """One bar per label, top to bottom, each with its figure."""

    def __init__(self, labels: Sequence[str], values: Sequence[int | None], symbol: str, width: float, bar_height: float,
                 language: str | None) -> None:
        super().__init__(labels, values, symbol, width, bar_height * len(labels) + 16, language)
        self.bar_height = bar_height

    def draw(self) -> None:
        canvas = self.canv
        maximum, step = self.axis
        label_width = max((stringWidth(label, fonts.REGULAR, 8) for label in self.labels), default=0) + 6
        text_room = max((stringWidth(self.text(value), fonts.BOLD, 7.5) for value in self.values), default=0) + 8
        left, bottom, top = label_width, 12, self.height
        plot = max(self.width - label_width - text_room, 10)
        canvas.setLineWidth(0.3)
        canvas.setStrokeColor(GRID)
        canvas.setFont(fonts.REGULAR, 7)
        canvas.setFillColor(MUTED)
        for tick in range(0, maximum + 1, step):
            x = left + plot * tick / maximum
            canvas.line(x, bottom, x, top)
            canvas.drawCentredString(x, bottom - 9, cell_text(tick, self.language))
        for index, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            middle = top - (index + 0.5) * self.bar_height
            bar = self.bar_height * 0.62
            canvas.setFont(fonts.REGULAR, 8)
            canvas.setFillColor(colors.black)
            canvas.drawRightString(left - 4, middle - 2.8, label)
            if value is None:
                self.hidden_mark(left + 1, middle - bar / 2, 12, bar)
                end = left + 13
            else:
                end = left + plot * value / maximum
                if value:
                    canvas.setFillColor(ACCENT)
                    canvas.rect(left, middle - bar / 2, end - left, bar, stroke=0, fill=1)
            canvas.setFont(fonts.BOLD, 7.5)
            canvas.setFillColor(MUTED if value is None else colors.black)
            canvas.drawString(end + 3, middle - 2.6, self.text(value))


class VerticalBars(_Bars):
    """Columns left to right (months of a trend), each with its figure above it; labels may hold
    a line break (``Oca\\n2026``)."""

    def __init__(self, labels: Sequence[str], values: Sequence[int | None], symbol: str, width: float, height: float,
                 language: str | None, highlight_last: bool) -> None:
        super().__init__(labels, values, symbol, width, height, language)
        self.highlight_last = highlight_last

    def draw(self) -> None:
        canvas = self.canv
        maximum, step = nice_axis(max((value for value in self.values if value is not None), default=0) * 1.12)
        axis_width = stringWidth(cell_text(maximum, self.language), fonts.REGULAR, 7) + 6
        left, bottom, top = axis_width, 22, self.height - 4
        plot_width, plot_height = self.width - left - 2, top - bottom
        canvas.setLineWidth(0.3)
        canvas.setStrokeColor(GRID)
        canvas.setFont(fonts.REGULAR, 7)
        canvas.setFillColor(MUTED)
        for tick in range(0, maximum + 1, step):
            y = bottom + plot_height * tick / maximum
            canvas.line(left, y, left + plot_width, y)
            canvas.drawRightString(left - 3, y - 2.4, cell_text(tick, self.language))
        slot = plot_width / max(len(self.values), 1)
        bar = min(slot * 0.66, 36)
        size = 7.5 if max((stringWidth(self.text(v), fonts.BOLD, 7.5) for v in self.values), default=0) <= slot - 1 else 6
        for index, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            middle = left + (index + 0.5) * slot
            canvas.setFont(fonts.REGULAR, 7)
            canvas.setFillColor(colors.black)
            for line_number, line in enumerate(label.split("\n")):
                canvas.drawCentredString(middle, bottom - 9 - 8.5 * line_number, line)
            if value is None:
                self.hidden_mark(middle - bar / 2, bottom + 1, bar, 10)
                end = bottom + 11
            else:
                end = bottom + plot_height * value / maximum
                if value:
                    last = self.highlight_last and index == len(self.values) - 1
                    canvas.setFillColor(HIGHLIGHT if last else ACCENT)
                    canvas.rect(middle - bar / 2, bottom, bar, end - bottom, stroke=0, fill=1)
            canvas.setFont(fonts.BOLD, size)
            canvas.setFillColor(MUTED if value is None else colors.black)
            canvas.drawCentredString(middle, end + 2, self.text(value))


def horizontal_bars(labels: Sequence[str], values: Sequence[int | None], symbol: str = "..",
                    width: float = CONTENT_WIDTH, bar_height: float = 13, language: str | None = None) -> Flowable:
    """One bar per label, top to bottom, each with its figure; ``None`` is a hidden value."""
    return HorizontalBars(labels, values, symbol, width, bar_height, language)


def vertical_bars(labels: Sequence[str], values: Sequence[int | None], symbol: str = "..",
                  width: float = CONTENT_WIDTH, height: float = 150, highlight_last: bool = True, language: str | None = None) -> Flowable:
    """Columns left to right (months of a trend), each with its figure; ``None`` is a hidden value.
    Labels may hold a line break (``Oca\\n2026``)."""
    return VerticalBars(labels, values, symbol, width, height, language, highlight_last)


# ---------------------------------------------------------------------------- contents


class Marks:
    """Where each section of a report begins: its page, for the contents list and the PDF's
    outline. The contents list is drawn before the pages it names are laid out, so its page
    numbers are written on its page when the document is finished (see ``render``)."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}
        self._late: dict[int, list[tuple[float, float, str]]] = {}

    def heading(self, key: str, text: str, style: ParagraphStyle, level: int = 0) -> Paragraph:
        """A heading that marks where its section begins."""
        return _Heading(self, key, level, escape(text), style)

    def contents(self, entries: Sequence[tuple[str, str, int]], width: float = CONTENT_WIDTH) -> Flowable:
        """The contents list: ``(key, title, level)`` per line, its page on the right."""
        return _Contents(self, list(entries), width)

    def page_number_at(self, page: int, x: float, y: float, key: str) -> None:
        self._late.setdefault(page, []).append((x, y, key))

    def draw_late(self, canvas: Canvas, page: int) -> None:
        canvas.setFont(fonts.REGULAR, 9)
        canvas.setFillColor(colors.black)
        for x, y, key in self._late.get(page, ()):
            canvas.drawRightString(x, y, str(self.pages.get(key, "")))


class _Heading(MeasuredParagraph):
    def __init__(self, marks: Marks, key: str, level: int, text: str, style: ParagraphStyle) -> None:
        super().__init__(text, style)
        self.marks, self.key, self.level = marks, key, level

    def draw(self) -> None:
        self.marks.pages.setdefault(self.key, self.canv.getPageNumber())
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.getPlainText(), self.key, self.level)
        super().draw()


class _Contents(Flowable):
    LEADING = 11.5

    def __init__(self, marks: Marks, entries: list[tuple[str, str, int]], width: float) -> None:
        super().__init__()
        self.marks, self.entries, self.width = marks, entries, width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.LEADING * len(self.entries)

    def draw(self) -> None:
        canvas = self.canv
        page = canvas.getPageNumber()
        height = self.LEADING * len(self.entries)
        for index, (key, title, level) in enumerate(self.entries):
            y = height - (index + 1) * self.LEADING + 3
            indent = 12 * level
            font = fonts.BOLD if level == 0 else fonts.REGULAR
            canvas.setFont(font, 9)
            canvas.setFillColor(colors.black)
            canvas.drawString(indent, y, title)
            start = indent + stringWidth(title, font, 9) + 4
            canvas.saveState()
            canvas.setStrokeColor(GRID)
            canvas.setDash(1, 2)
            canvas.line(start, y + 1, self.width - 18, y + 1)
            canvas.restoreState()
            self.marks.page_number_at(page, *canvas.absolutePosition(self.width, y), key)
            canvas.linkAbsolute(title, key, Rect=(*canvas.absolutePosition(indent, y - 2), *canvas.absolutePosition(self.width, y + 9)))


# ---------------------------------------------------------------------------- the document


def landscape_pages() -> list[Flowable]:
    """What follows starts on a new landscape page (for wide tables)."""
    return [NextPageTemplate("landscape"), PageBreak()]


def portrait_pages() -> list[Flowable]:
    """What follows starts on a new portrait page."""
    return [NextPageTemplate("page"), PageBreak()]


def _draw_header(canvas: Canvas, page: PageInfo) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    top = height - 12 * mm
    canvas.setFont(fonts.BOLD, 8)
    canvas.setFillColor(ACCENT)
    canvas.drawString(MARGIN_X, top, page.header_left)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - MARGIN_X, top, page.header_right)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top - 2.5 * mm, width - MARGIN_X, top - 2.5 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, page: PageInfo, number: int, total: int) -> None:
    width = canvas._pagesize[0]
    canvas.saveState()
    line = 17 * mm
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, line, width - MARGIN_X, line)
    canvas.setFont(fonts.REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, line - 4 * mm, page.footer_notice)
    canvas.drawString(MARGIN_X, line - 7.5 * mm, page.footer_generated)
    canvas.setFont(fonts.BOLD, 8)
    canvas.setFillColor(colors.black)
    canvas.drawRightString(width - MARGIN_X, line - 4 * mm, page.page_label(number, total))
    canvas.restoreState()


def _canvas_class(page: PageInfo, pages: list[int], marks: Marks | None) -> type[Canvas]:
    """A canvas that holds back each finished page until the last, so the footer can say "n / N"
    (and the contents list its page numbers); it writes plain lines of text itself (``TextCanvas``)."""

    class FramedCanvas(TextCanvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._held: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                if marks is not None:
                    marks.draw_late(self, number)
                _draw_footer(self, page, number, total)
                Canvas.showPage(self)
            pages.append(total)
            Canvas.save(self)

    return FramedCanvas


def render(story: Sequence[Flowable], page: PageInfo, marks: Marks | None = None) -> RenderedPdf:
    """Lay ``story`` out on A4 pages with the shared header and footer: portrait, and landscape
    after ``landscape_pages()``; ``marks``: the story's contents list and section headings."""
    family = fonts.register()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=page.title, subject=page.subject, creator=page.creator, author="", lang=page.language,
        initialFontName=family.regular, displayDocTitle=True,
    )

    def header(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        _draw_header(canvas, page)

    portrait = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, CONTENT_HEIGHT, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    wide = Frame(MARGIN_X, LANDSCAPE_MARGIN_BOTTOM, LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT, id="wide", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[portrait], onPage=header, pagesize=A4),
                          PageTemplate(id="landscape", frames=[wide], onPage=header, pagesize=landscape(A4))])
    pages: list[int] = []
    doc.build(list(story), canvasmaker=_canvas_class(page, pages, marks))
    return RenderedPdf(buffer.getvalue(), pages[0] if pages else 0)
