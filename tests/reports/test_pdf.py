"""The shared building blocks of the PDF reports: what is measured once lays out and draws as it
would if it were measured every time; a figure table's headings, figures and total rows are
printed in their fonts and colours, whether a heading fits on one line or wraps."""

from __future__ import annotations

import ctypes
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab import rl_config
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from caseworker.reports import pdf
from caseworker.reports.tables import ReportTable, Row

LONG = ("Şiddet türleri: fiziksel, psikolojik, ekonomik, cinsel ve dijital şiddet; bir kadın birden çok türü "
        "bildirebilir, bu yüzden satırların toplamı başvuran sayısından büyük olabilir. ")
PAGE = pdf.PageInfo(title="Deneme", header_left="İzmir", header_right="Ocak 2026", footer_notice="Kişisel veri içermez.",
                    footer_generated="Üretildi.", page_label=lambda number, total: f"{number} / {total}", language="tr")


def _story(make: type[Paragraph]) -> list:
    s = pdf.styles()
    table = ReportTable("t", "Başvurular", ("İlçe (uzun bir sütun başlığı, iki satıra bölünür)", "Ocak", "Şubat"),
                        tuple(Row(f"{LONG[:40 + 7 * index]}", (index, 2 * index)) for index in range(30)))
    small = ReportTable("s", "Küçük", table.columns, table.rows[:8])
    block = [make(pdf.escape("Bir tablonun başlığı"), s.table_title), pdf.compact_table(small, pdf.natural_widths(small, "tr"), "tr"),
             make(pdf.escape(LONG), s.source)]
    return [
        make(pdf.escape("Kent raporu"), s.title),
        pdf.callout([LONG, LONG * 2]),
        KeepTogether([make(pdf.escape(LONG * 3), s.body), Spacer(1, 4)]),
        pdf.side_by_side([block, [make(pdf.escape(LONG * 4), s.small)]], [pdf.CONTENT_WIDTH * 0.6, pdf.CONTENT_WIDTH * 0.35]),
        *[make(pdf.escape(LONG * 12), s.body) for _ in range(4)],  # split across pages
        *pdf.table_flowables(table, language="tr"),
    ]


def test_paragraphs_and_tables_measured_once_per_width_print_as_if_measured_every_time(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)
    monkeypatch.setattr(pdf, "MeasuredParagraph", Paragraph)  # what the tables' own cells use too
    monkeypatch.setattr(pdf, "_MeasuredTable", Table)
    plain = pdf.render(_story(Paragraph), PAGE)
    monkeypatch.undo()
    monkeypatch.setattr(rl_config, "invariant", 1)
    measured = pdf.render(_story(pdf.MeasuredParagraph), PAGE)
    assert measured.pages == plain.pages > 2
    assert measured.data == plain.data


@pytest.mark.parametrize("width", [120.0, 300.0])
def test_a_measured_paragraph_breaks_its_lines_anew_at_another_width(width):
    measured, plain = pdf.paragraph(LONG, pdf.styles().body), Paragraph(pdf.escape(LONG), pdf.styles().body)
    measured.wrap(200.0, 500)
    assert measured.wrap(width, 500) == plain.wrap(width, 500)
    assert measured.blPara.lines == plain.blPara.lines


def _characters(data: bytes) -> tuple[str, Callable[[int], tuple[str, float, tuple[int, int, int]]]]:
    """The first page's text, and the font, size and colour of its character at an index (pdfium)."""
    page = pdfium.PdfDocument(data)[0]
    text_page = page.get_textpage()

    def look(index: int) -> tuple[str, float, tuple[int, int, int]]:
        name, flags = ctypes.create_string_buffer(100), ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(text_page.raw, index, name, 100, ctypes.byref(flags))
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        pdfium_c.FPDFText_GetFillColor(text_page.raw, index, *map(ctypes.byref, (red, green, blue, alpha)))
        return name.value.decode(), round(pdfium_c.FPDFText_GetFontSize(text_page.raw, index), 1), (red.value, green.value, blue.value)

    return text_page.get_text_range(0, text_page.count_chars()), look


@pytest.mark.parametrize("compact", [False, True])
def test_a_figure_tables_headings_are_white_and_bold_its_total_row_bold(compact):
    table = ReportTable("t", "Başvurular", ("İlçe", "Mart", "Önceki aya göre değişim, uzun bir sütun başlığı"),
                        (Row("Konak", (1234, 5)), Row("Kent toplamı", (1240, 9), is_total=True)))
    flowables = [pdf.compact_table(table, pdf.natural_widths(table, "tr"), "tr")] if compact else pdf.table_flowables(table, language="tr")
    text, look = _characters(pdf.render(flowables, PAGE).data)
    heading, figure = (6.6, 7.5) if compact else (7.5, 8.0)
    white, black = (255, 255, 255), (0, 0, 0)
    expected = {"İlçe": ("DejaVuSans-Bold", heading, white), "Mart": ("DejaVuSans-Bold", heading, white),  # one line: plain text
                "Önceki": ("DejaVuSans-Bold", heading, white), "başlığı": ("DejaVuSans-Bold", heading, white),  # wrapped
                "Konak": ("DejaVuSans", figure, black), "1.234": ("DejaVuSans", figure, black),
                "Kent toplamı": ("DejaVuSans-Bold", figure, black), "1.240": ("DejaVuSans-Bold", figure, black)}
    body = text.index("\n")  # below the page's header line
    for word, wanted in expected.items():
        assert look(text.index(word, body)) == wanted, word
