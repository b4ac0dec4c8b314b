"""A reportlab canvas that writes a plain line of text without building a text object for it.

Tables print thousands of figures, each one line drawn with ``drawString``, ``drawRightString``
or ``drawCentredString``; reportlab makes a text object for every one of them, which costs more
than the line itself. ``TextCanvas`` writes the same operators straight into the page, byte for
byte what the text object would write, for the lines that need nothing else: an embedded
(TrueType) font, text that is not shaped, no render mode, spacing or direction. Every other call
goes to reportlab as before.

The same text in the same font and size is written the same way throughout a document (its
letters keep the place in the font's subsets they were given first), so each one's width and
operators are worked out once per document.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas


class TextCanvas(Canvas):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown: dict[tuple[str, float, float, str], tuple[float, str]] = {}

    def drawString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802 (reportlab's name)
        if args or kwargs or not self._line(x, y, text, 0):
            super().drawString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def drawRightString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if args or kwargs or not self._line(x, y, text, 1):
            super().drawRightString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def drawCentredString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if args or kwargs or not self._line(x, y, text, 0.5):
            super().drawCentredString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def _line(self, x: float, y: float, text: str, shift: float) -> bool:
        """Write ``text`` as one line, as ``PDFTextObject.textLine`` would, from ``x`` less
        ``shift`` times its width; False (nothing written) where that needs more than a plain
        string in an embedded font."""
        if type(text) is not str or not self.bottomup:
            return False
        key = (self._fontname, self._fontsize, self._leading, text)
        found = self._shown.get(key)
        if found is None:
            font = getFont(self._fontname)
            if not font._dynamicFont:
                return False
            shown, current = [], -1
            size = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
            for subset, chunk in font.splitString(text, self._doc):
                if subset != current:
                    shown.append(f"{font.getSubsetInternalName(subset, self._doc)} {size}")
                    current = subset
                shown.append(f"({self._escape(chunk)}) Tj")
            found = self._shown[key] = (font.stringWidth(text, self._fontsize), " ".join(shown))
        width, shown_text = found
        start = x if shift == 0 else x - width if shift == 1 else x - 0.5 * width
        self._code.append(f"BT 1 0 0 1 {fp_str(start, y)} Tm {shown_text} T* ET")
        return True
