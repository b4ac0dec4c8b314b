"""What reportlab's markup parser makes of a plain text, made without running the parser.

A report's paragraphs hold text as it stands (a title, a label, a note), never markup, yet
reportlab reads the text of every ``Paragraph`` as markup, with a parser of its own for each one;
that costs more than laying the paragraph out. ``fragments`` gives a ``Paragraph`` what the parser
would have given it:

1. the text with its white space run together, by the same function reportlab cleans every
   paragraph's text with (``cleanBlockQuotedText``); no text, no fragment;
2. one fragment holding that text, a copy of the fragment the parser makes of a one-letter text in
   the same style (font, size, colour and whatever else reportlab puts there), taken from the
   parser once per style.

Where a text holds ``&``, ``<`` or ``>`` (escaped for the parser) the parser would make several
fragments of the same style out of it. The one fragment here is broken into the same lines at any
width that holds the text's longest word, as a report's columns do; a word wider than its line is
laid out as in any other text, the way reportlab lays out a single fragment.
tests/reports/test_plain_paragraph.py holds both to that.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

_first_fragments: WeakKeyDictionary[ParagraphStyle, ParaFrag] = WeakKeyDictionary()


def fragments(text: str, style: ParagraphStyle) -> tuple[str, list[ParaFrag]]:
    """``text`` cleaned as reportlab cleans a paragraph's text, and its fragments in ``style``."""
    cleaned = cleanBlockQuotedText(text)
    if not cleaned:
        return cleaned, []
    return cleaned, [_fragment_of(style).clone(text=cleaned, link=[], us_lines=[])]


def _fragment_of(style: ParagraphStyle) -> ParaFrag:
    found = _first_fragments.get(style)
    if found is None:
        _, parsed, _ = ParaParser().parse("x", style)
        found = _first_fragments[style] = parsed[0]
    return found
