"""Right-to-left text in the PDFs handed to women: Arabic and Persian, shaped and ordered.

reportlab orders right-to-left text only with its ``rlbidi`` extension, which is not on the
package index, so Caseworker does it with two maintained libraries that ship wheels for every
platform: ``arabic-reshaper`` joins the letters (their initial, medial and final forms, the
lam-alef ligatures, Persian letters included) and ``python-bidi`` orders a line for display by
the Unicode bidirectional algorithm (its ``bidi.algorithm`` implementation, which also mirrors
brackets as rule L4 asks; the faster ``bidi.get_display`` does not). Lines are broken in logical order first and each line is
then ordered by itself, so a paragraph reads top to bottom and every line right to left; a
Turkish service name or a phone number inside an Arabic line keeps its own left-to-right order.

Noto Naskh Arabic has no Latin letters, so each line is drawn in runs: Arabic letters in Naskh,
everything else in DejaVu Sans. PDF text extraction (pdftotext, PDFium) reads the words back in
logical order.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable, Paragraph

from caseworker.reports import fonts

_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_IS_ARABIC = re.compile(f"[{_ARABIC}]")


class RtlText(Flowable):
    """One paragraph of right-to-left text in one style, broken into lines that fit."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = re.sub(r"[ \t\r\n]+", " ", text).strip()  # no-break spaces stay
        self.style = style
        arabic = fonts.register_arabic()
        self._arabic_font = arabic.bold if style.fontName == fonts.register().bold else arabic.regular
        self._arabic_glyphs = getFont(self._arabic_font).face.charToGlyph
        # A paragraph without Arabic letters (a service name, a Turkish description) keeps its
        # own left-to-right order; it is still aligned to the right of the page.
        self._base = "R" if _IS_ARABIC.search(self.text) else "L"
        self._lines: list[str] = []
        self._broken: dict[float, list[str]] = {}  # tables wrap a cell more than once

    def _runs(self, shaped: str) -> list[tuple[str, str]]:
        """``shaped`` cut into runs of one font: Arabic letters in Naskh, other letters in DejaVu,
        and spaces, digits and punctuation in the font of the letters around them, so that a
        sentence is one run (PDF readers then keep its words together and in order)."""
        strong = [("A" if _IS_ARABIC.match(ch) else "L") if ch.isalpha() else "" for ch in shaped]
        before, after = [""] * len(shaped), [""] * len(shaped)
        for index in range(1, len(shaped)):
            before[index] = strong[index - 1] or before[index - 1]
        for index in range(len(shaped) - 2, -1, -1):
            after[index] = strong[index + 1] or after[index + 1]
        kinds = []
        for index, ch in enumerate(shaped):
            kind = strong[index]
            if not kind:
                kind = before[index] if before[index] == after[index] else before[index] or after[index] or "L"
                if kind == "A" and ord(ch) not in self._arabic_glyphs:
                    kind = "L"
            kinds.append(kind)
        runs: list[tuple[str, str]] = []
        for ch, kind in zip(shaped, kinds):
            font = self._arabic_font if kind == "A" else self.style.fontName
            if runs and runs[-1][1] == font:
                runs[-1] = (runs[-1][0] + ch, font)
            else:
                runs.append((ch, font))
        return runs

    def _width(self, logical: str) -> float:
        return sum(stringWidth(text, font, self.style.fontSize) for text, font in self._runs(arabic_reshaper.reshape(logical)))

    def _break(self, width: float) -> list[str]:
        if width in self._broken:
            return self._broken[width]
        if self._width(self.text) <= width:  # most labels fit on one line
            self._broken[width] = [self.text]
            return self._broken[width]
        lines: list[str] = []
        current = ""
        for word in self.text.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and self._width(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        self._broken[width] = lines
        return lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._lines = self._break(available_width - self.style.leftIndent - self.style.rightIndent)
        self.width = available_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list:
        return []

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.style.textColor)
        size = self.style.fontSize
        baseline = self.height - self.style.leading + (self.style.leading - size) / 2 + size * 0.22
        for line in self._lines:
            runs = self._runs(get_display(arabic_reshaper.reshape(line), base_dir=self._base))
            total = sum(stringWidth(text, font, size) for text, font in runs)
            if self.style.alignment == TA_CENTER:
                x = (self.width - total) / 2
            elif self.style.alignment == TA_RIGHT:  # "end": the left edge in right-to-left
                x = self.style.leftIndent
            else:  # "start" (TA_LEFT, reportlab's default): the right edge
                x = self.width - self.style.rightIndent - total
            for text, font in runs:
                canvas.setFont(font, size)
                canvas.drawString(x, baseline, text)
                x += stringWidth(text, font, size)
            baseline -= self.style.leading


def paragraph(text: str, style: ParagraphStyle, rtl: bool) -> Flowable:
    """``text`` (plain, not markup) as a paragraph in the direction of the sheet's language."""
    return RtlText(text, style) if rtl else Paragraph(escape(text), style)
