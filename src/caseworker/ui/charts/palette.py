"""The charts' colours, by name. The sequential ramp goes from light to dark in one hue, so that
more reads as darker in grey print and for colour-blind readers too; text on a fill takes the
colour that contrasts with it (``text_on``). Colour is never the only signal: every chart also
writes its figures or a symbol."""

from __future__ import annotations

from PySide6.QtGui import QColor

ACCENT = QColor("#6b2d5c")
ACCENT_LIGHT = QColor("#d9b3cf")
GRID_LINE = QColor("#c8c8c8")
AXIS = QColor("#707070")

# five classes, lightest first (a purple ramp: ColorBrewer "RdPu"-like, darkened at the top)
RAMP = (QColor("#f6e8f1"), QColor("#e3b9d4"), QColor("#c97fb0"), QColor("#9a4a84"), QColor("#5e1c52"))

NO_DATA_FILL = QColor("#eeeeee")
NO_DATA_HATCH = QColor("#ababab")
FOCUS = QColor("#1f5fbf")

ON_TIME = QColor("#bfe3c6")
LATE = QColor("#fde3a7")
MISSING = QColor("#f4b6bf")
NOT_EXPECTED = QColor("#f4f4f4")

DARK_TEXT = QColor("#1a1a1a")
LIGHT_TEXT = QColor("#ffffff")


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill`` (relative luminance)."""
    return DARK_TEXT if fill.lightnessF() > 0.55 else LIGHT_TEXT
