"""The shared page template and building blocks of every PDF report (reportlab).

Every report is A4 portrait with the same frame: a header (the unit on the left, the report
and its period on the right), and a footer that says the document holds no personal data and
must be kept as an official document, when it was generated and by which version, and the page
as ``n / N``. Reports only assemble a story of flowables from the helpers here:

- ``styles()``: paragraph styles on the embedded DejaVu family (``fonts``).
- ``table_flowables``: a ``ReportTable`` with heading, note, figures right-aligned, total rows
  in bold, and the footnote that explains the not-published symbol.
- ``key_figures``: a row of boxes with a large figure, its label and a comparison line.
- ``horizontal_bars`` / ``vertical_bars``: bar charts (reportlab.graphics) whose hidden values
  are drawn as no bar, labelled with the not-published symbol.
- ``callout``: a shaded box for the status line and notices.
- ``render(story, page)``: the PDF bytes and the number of pages.

Nothing here knows about months or indicators; the city report reuses all of it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table, TableStyle

from caseworker.reports import fonts
from caseworker.reports.tables import ReportTable

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 26 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

ACCENT = colors.HexColor("#6b2d5c")
ACCENT_LIGHT = colors.HexColor("#f3e9f0")
GRID = colors.HexColor("#c9c2c7")
MUTED = colors.HexColor("#5f5a5e")
STRIPE = colors.HexColor("#f7f5f6")
WARNING = colors.HexColor("#fff4d6")
WARNING_EDGE = colors.HexColor("#d9a400")


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
    head: ParagraphStyle
    head_right: ParagraphStyle
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
        head=style("head", bold, 7.5, 9.5, textColor=colors.white),
        head_right=style("head_right", bold, 7.5, 9.5, textColor=colors.white, alignment=TA_RIGHT),
        figure=style("figure", bold, 20, 23, textColor=ACCENT, alignment=TA_LEFT),
        figure_label=style("figure_label", regular, 8, 10),
        figure_note=style("figure_note", regular, 7, 9, textColor=MUTED),
    )


def escape(text: str) -> str:
    """Text for a ``Paragraph`` (which reads a little markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


# ---------------------------------------------------------------------------- tables


def table_flowables(table: ReportTable, label_share: float = 0.44, width: float = CONTENT_WIDTH) -> list[Flowable]:
    """The table with its heading, note and footnote; small tables are kept on one page."""
    s = styles()
    n_values = len(table.columns) - 1
    label_width = width * label_share if n_values else width
    widths = [label_width] + [(width - label_width) / n_values] * n_values if n_values else [width]
    header = [paragraph(table.columns[0], s.head)] + [paragraph(text, s.head_right) for text in table.columns[1:]]
    body = []
    for row in table.rows:
        label_style = s.cell_bold if row.is_total else s.cell
        body.append([paragraph(row.label, label_style)] + [str(value) for value in row.values])
    grid = Table([header, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for index, row in enumerate(table.rows, start=1):
        if row.is_total:
            commands += [("FONT", (1, index), (-1, index), fonts.BOLD, 8), ("LINEABOVE", (0, index), (-1, index), 0.8, colors.black)]
        elif index % 2 == 0:
            commands.append(("BACKGROUND", (0, index), (-1, index), STRIPE))
    grid.setStyle(TableStyle(commands))
    parts: list[Flowable] = [paragraph(table.title, s.subheading)] if table.title else []
    if table.note:
        parts.append(paragraph(table.note, s.small))
        parts.append(Spacer(1, 2))
    parts.append(grid)
    if table.footnote:
        parts.append(paragraph(table.footnote, s.footnote))
    parts.append(Spacer(1, 6))
    return [KeepTogether(parts)] if len(table.rows) <= 18 else parts


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


def _bar_data(values: Sequence[int | None], texts: Sequence[str] | None, symbol: str) -> tuple[list[int], list[str]]:
    data = [value or 0 for value in values]
    labels = list(texts) if texts is not None else [symbol if value is None else str(value) for value in values]
    return data, labels


def _style_values(chart, font: fonts.FontFamily, axis: tuple[int, int], texts: list[str], anchor: str) -> None:
    """The value axis, grid and bar figures both bar charts share."""
    maximum, step = axis
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, maximum, step
    chart.valueAxis.labels.fontName = font.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.strokeColor = GRID
    chart.barLabelFormat = "values"
    chart.barLabelArray = [texts]
    chart.barLabels.fontName = font.bold
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = anchor


def horizontal_bars(labels: Sequence[str], values: Sequence[int | None], symbol: str = "..",
                    width: float = CONTENT_WIDTH, bar_height: float = 13) -> Drawing:
    """One bar per label, top to bottom, each with its figure; ``None`` is a hidden value."""
    font = fonts.register()
    label_width = max(stringWidth(label, font.regular, 8) for label in labels) + 8
    plot_height = bar_height * len(labels)
    drawing = Drawing(width, plot_height + 22, initialFontName=font.regular)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 28, plot_height
    data, texts = _bar_data(values, None, symbol)
    chart.data = [data]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = bar_height * 0.62
    chart.groupSpacing = bar_height * 0.38
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = font.regular
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = GRID
    _style_values(chart, font, nice_axis(max(data)), texts, anchor="w")
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def vertical_bars(labels: Sequence[str], values: Sequence[int | None], symbol: str = "..",
                  width: float = CONTENT_WIDTH, height: float = 150, highlight_last: bool = True) -> Drawing:
    """Columns left to right (months of a trend), each with its figure; ``None`` is a hidden value.
    Labels may hold a line break (``Oca\\n2026``)."""
    font = fonts.register()
    drawing = Drawing(width, height, initialFontName=font.regular)
    chart = VerticalBarChart()
    chart.x, chart.y = 26, 26
    chart.width, chart.height = width - 34, height - 40
    data, texts = _bar_data(values, None, symbol)
    chart.data = [data]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    if highlight_last and data:
        chart.bars[(0, len(data) - 1)].fillColor = colors.HexColor("#c0417f")
    chart.groupSpacing = 8
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = font.regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.labels.leading = 8.5
    chart.categoryAxis.strokeColor = GRID
    _style_values(chart, font, nice_axis(max(data) * 1.1 if data else 0), texts, anchor="s")
    chart.barLabels.dy = 2
    drawing.add(chart)
    return drawing


# ---------------------------------------------------------------------------- the document


def _draw_header(canvas: Canvas, page: PageInfo) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 12 * mm
    canvas.setFont(fonts.BOLD, 8)
    canvas.setFillColor(ACCENT)
    canvas.drawString(MARGIN_X, top, page.header_left)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, page.header_right)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, page: PageInfo, number: int, total: int) -> None:
    canvas.saveState()
    line = 17 * mm
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, line, PAGE_WIDTH - MARGIN_X, line)
    canvas.setFont(fonts.REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, line - 4 * mm, page.footer_notice)
    canvas.drawString(MARGIN_X, line - 7.5 * mm, page.footer_generated)
    canvas.setFont(fonts.BOLD, 8)
    canvas.setFillColor(colors.black)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, line - 4 * mm, page.page_label(number, total))
    canvas.restoreState()


def _canvas_class(page: PageInfo, pages: list[int]) -> type[Canvas]:
    """A canvas that holds back each finished page until the last, so the footer can say "n / N"."""

    class FramedCanvas(Canvas):
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
                _draw_footer(self, page, number, total)
                Canvas.showPage(self)
            pages.append(total)
            Canvas.save(self)

    return FramedCanvas


def render(story: Sequence[Flowable], page: PageInfo) -> RenderedPdf:
    """Lay ``story`` out on A4 pages with the shared header and footer."""
    family = fonts.register()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=page.title, subject=page.subject, creator=page.creator, author="", lang=page.language,
        initialFontName=family.regular, displayDocTitle=True,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=lambda canvas, _doc: _draw_header(canvas, page))])
    pages: list[int] = []
    doc.build(list(story), canvasmaker=_canvas_class(page, pages))
    return RenderedPdf(buffer.getvalue(), pages[0] if pages else 0)
