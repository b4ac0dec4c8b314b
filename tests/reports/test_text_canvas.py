"""Plain lines of text written straight into the page are the bytes reportlab's text objects write,
in any font, size and leading, the same text again and again."""

from __future__ import annotations

import io

import pytest
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from caseworker.reports import fonts
from caseworker.reports.text_canvas import TextCanvas

LINES = ["1.234", "..", "", "Kent toplamı (rapor satırı)", "Çiğli, Şişli, Ödemiş, Ürgüp, İğdır", "(a) \\ b) ( ç", "…—%25", " boşluklu  metin "]
LETTERS = "".join(chr(code) for code in (*range(0x21, 0x7F), *range(0xC0, 0x100)))  # within one font subset


def _page(canvas_class: type[Canvas]) -> bytes:
    family = fonts.register()
    buffer = io.BytesIO()
    canvas = canvas_class(buffer)
    y = 800.0
    for font, size, leading in ((family.regular, 7.5, 8.8), (family.bold, 7.5, 8.8), (family.regular, 6.6, 8.8), (family.regular, 7.5, 10)):
        canvas.setFont(font, size, leading)
        for text in [*LINES, LETTERS]:
            canvas.drawString(20, y, text)
            canvas.drawRightString(570.5, y, text)
            canvas.drawCentredString(300.25, y - 4, text)
            y -= 11
        canvas.drawString(20, y, "sözcük arası", wordSpace=2)  # spacing: reportlab's own text object
        canvas.drawRightString(570, y, "karakter", charSpace=0.5)
        canvas.drawCentredString(300, y, "kip", mode=1)
    canvas.setFont("Helvetica", 9)  # a standard font: reportlab's own text object
    canvas.drawString(20, 40, "Helvetica (not embedded)")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_lines_of_text_are_written_as_reportlab_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    assert _page(TextCanvas) == _page(Canvas)
