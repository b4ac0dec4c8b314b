"""A reportlab canvas that writes a plain line of text without building a text object for it.

Tables print thousands of figures, each one line drawn with ``drawString``, ``drawRightString``
or ``drawCentredString``; reportlab makes a text object for every one of them, which costs more
than the line itself. ``TextCanvas`` writes the same operators straight into the page, byte for
byte what the text object would write, for the lines that need nothing else: an embedded
(TrueType) font, text that is not shaped, no render mode, spacing or direction. Every other call
goes to reportlab as before.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas


class TextCanvas(Canvas):
    def drawString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802 (reportlab's name)
        if args or kwargs or not self._line(x, y, text):
            super().drawString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def drawRightString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if args or kwargs or not self._line(x - stringWidth(text, self._fontname, self._fontsize), y, text):
            super().drawRightString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def drawCentredString(self, x: float, y: float, text: str, *args: object, **kwargs: object) -> None:  # noqa: N802
        if args or kwargs or not self._line(x - 0.5 * stringWidth(text, self._fontname, self._fontsize), y, text):
            super().drawCentredString(x, y, text, *args, **kwargs)  # type: ignore[arg-type]

    def _line(self, x: float, y: float, text: str) -> bool:
        """Write ``text`` as one line starting at ``x``, ``y``, as ``PDFTextObject.textLine`` would;
        False (nothing written) where that needs more than a plain string in an embedded font."""
        font = getFont(self._fontname)
        if type(text) is not str or not font._dynamicFont or not self.bottomup:
            return False
        shown, current = [], -1
        size = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
        for subset, chunk in font.splitString(text, self._doc):
            if subset != current:
                shown.append(f"{font.getSubsetInternalName(subset, self._doc)} {size}")
                current = subset
            shown.append(f"({self._escape(chunk)}) Tj")
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {' '.join(shown)} T* ET")
        return True
