"""A paragraph of plain text made without reportlab's markup parser is the paragraph the parser
would have made: the same fragments where the text holds no ``&``, ``<`` or ``>`` (so the same
bytes in the PDF), and where it does, the same lines at every width that holds its longest word."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from caseworker.reports import pdf, plain_paragraph

STYLES = ("title", "heading", "body", "small", "cell", "cell_bold", "head", "head_right", "head_compact", "figure")
LONG = ("Şiddet türleri: fiziksel, psikolojik, ekonomik; bir kadın birden çok türü bildirebilir, bu yüzden satırların toplamı "
        "başvuran sayısından büyük olabilir.")
TEXTS = ("Kent toplamı", "  Çiğli\n  Kadın Danışma   Merkezi ", LONG, "..", "İĞÜŞÖÇ ığüşöç", "", "   ")
WORDS = st.text(alphabet="aeıioöuüçğşİIÇĞŞ0123456789.,;:-()/%&<>'\"", min_size=1, max_size=14)
SPACES = st.sampled_from([" ", "  ", "\n", " \t ", "\n  "])


def _parsed(text: str, style_name: str) -> Paragraph:
    return Paragraph(pdf.escape(text), getattr(pdf.styles(), style_name))


def _measured_and_parsed(text: str, style: ParagraphStyle) -> Paragraph:
    return pdf.MeasuredParagraph(pdf.escape(text), style)


def _lines(paragraph: Paragraph, width: float) -> tuple[float, list[str]]:
    """The paragraph's height at ``width`` and the text of each of its lines."""
    height = paragraph.wrap(width, 10_000)[1]
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        texts = [" ".join(words) for _, words in lines]
    else:
        texts = ["".join(fragment.text for fragment in line.words) for line in lines]
    return height, [" ".join(text.split()) for text in texts]


@pytest.mark.parametrize("style_name", STYLES)
@pytest.mark.parametrize("text", TEXTS)
def test_a_plain_text_has_the_fragments_the_parser_makes_of_it(text, style_name):
    parsed = _parsed(text, style_name)
    cleaned, fragments = plain_paragraph.fragments(text, getattr(pdf.styles(), style_name))
    assert pdf.escape(cleaned) == parsed.text
    assert [fragment.__dict__ for fragment in fragments] == [fragment.__dict__ for fragment in parsed.frags]


def test_plain_paragraphs_print_as_parsed_ones(monkeypatch):
    page = pdf.PageInfo(title="Deneme", header_left="İzmir", header_right="Ocak 2026", footer_notice="Kişisel veri içermez.",
                        footer_generated="Üretildi.", page_label=lambda number, total: f"{number} / {total}", language="tr")

    def story(make: Callable[[str, ParagraphStyle], Paragraph]) -> list[Paragraph]:
        return [make(text * repeat, getattr(pdf.styles(), name)) for name in STYLES for text in TEXTS for repeat in (1, 4)]

    monkeypatch.setattr(rl_config, "invariant", 1)
    parsed = pdf.render(story(_measured_and_parsed), page)
    plain = pdf.render(story(pdf.paragraph), page)
    assert plain.pages == parsed.pages > 1
    assert plain.data == parsed.data


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.tuples(WORDS, SPACES), min_size=1, max_size=25), style_name=st.sampled_from(STYLES),
       room=st.floats(min_value=0, max_value=400))
def test_a_plain_paragraph_breaks_into_the_lines_of_the_parsed_one(words, style_name, room):
    """At any width that holds its longest word (a report's columns do: ``pdf.natural_widths``)."""
    style = getattr(pdf.styles(), style_name)
    text = "".join(word + space for word, space in words)
    width = max(stringWidth(word, style.fontName, style.fontSize) for word, _ in words) + 0.01 + room
    plain = pdf.paragraph(text, style)
    assert _lines(plain, width) == _lines(_parsed(text, style_name), width)
