"""Caseworker's visual language in one place: colours, type scale, spacing and button roles,
turned into one application-wide style sheet.

The colours come from the application icon (``resources/icons/caseworker.svg``): its purple
tile (#5b2a86, #6f3aa0) is the accent, its yellow stroke (#f5c542) the highlight. There are
three palettes: light, dark (when the system asks for a dark scheme, Qt 6.5+) and none at all
for Windows high-contrast mode, where the system's own colours are kept untouched.

Pages never style themselves: they mark what a widget *is* with a dynamic property and the
style sheet says how it looks.

- ``QLabel[type="title"|"section"|"subsection"|"caption"]``: the type scale (``heading``,
  ``note`` in ``ui/common.py`` set it).
- ``QListView[entries="true"]``: a list of several-line entries (the directory's results), each
  item padded and ruled off from the next;
- ``QLabel[tone="error"|"success"|"warning"|"muted"]``: a coloured sentence (``set_tone``); the
  words always say the same, colour is never the only signal.
- ``QPushButton[role="primary"|"secondary"|"destructive"]``: the main action of a place, the
  others, and one that removes something (``set_role``).
- ``QFrame[card="true"]``: a panel of the home page.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

# Type scale in points, relative to nothing: one step is about 1.2 times the one below.
TYPE_SCALE = {"title": 17, "section": 13, "subsection": 11, "body": 10, "caption": 9}
# Spacing in pixels: every margin and gap is one of these.
SPACE = {"xs": 4, "s": 8, "m": 12, "l": 16, "xl": 24}
ROLES = ("primary", "secondary", "destructive")
TONES = ("error", "success", "warning", "muted")


@dataclass(frozen=True)
class Palette:
    window: str
    surface: str  # cards, lists, fields
    text: str
    muted: str  # secondary text
    border: str
    accent: str  # the icon's purple: primary buttons, the current page
    on_accent: str
    accent_soft: str  # hovered and current navigation entries
    on_accent_soft: str
    highlight: str  # the icon's yellow stroke: the focus ring
    error: str
    success: str
    warning: str
    destructive: str
    on_destructive: str


LIGHT = Palette(
    window="#f6f4f8", surface="#ffffff", text="#1f1a24", muted="#5c5566", border="#cfc8d8",
    accent="#5b2a86", on_accent="#ffffff", accent_soft="#ebe1f4", on_accent_soft="#3d1a5c",
    highlight="#d9a514", error="#a0153e", success="#1d6b35", warning="#7a4f00",
    destructive="#a0153e", on_destructive="#ffffff",
)
DARK = Palette(
    window="#1c1921", surface="#26222c", text="#ece8f1", muted="#b7afc2", border="#4a4354",
    accent="#c9a6ec", on_accent="#1c1921", accent_soft="#3b2c4d", on_accent_soft="#eadcf7",
    highlight="#f5c542", error="#ff8fa8", success="#7fd69a", warning="#f5c542",
    destructive="#ff8fa8", on_destructive="#1c1921",
)


def text_pairs(palette: Palette) -> list[tuple[str, str, str]]:
    """Every (name, foreground, background) pair of text the style sheet draws."""
    pairs = []
    for background in ("window", "surface"):
        for foreground in ("text", "muted", "error", "success", "warning", "accent"):
            pairs.append((f"{foreground} on {background}", getattr(palette, foreground), getattr(palette, background)))
    pairs += [
        ("primary button", palette.on_accent, palette.accent),
        ("destructive button", palette.on_destructive, palette.destructive),
        ("current navigation entry", palette.on_accent_soft, palette.accent_soft),
        ("destructive text on surface", palette.destructive, palette.surface),
    ]
    return pairs


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio, from 1 to 21; text needs at least 4.5 (AA)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def style_sheet(palette: Palette) -> str:
    """The application's style sheet for one palette."""
    p = palette
    s = SPACE
    return f"""
QMainWindow, QDialog, QWizard, QStackedWidget#pages {{ background: {p.window}; }}
QLabel {{ background: transparent; qproperty-indent: 0; }}
QLabel[type="title"] {{ font-size: {TYPE_SCALE["title"]}pt; font-weight: 600; padding-top: 3px; }}
QLabel[type="section"] {{ font-size: {TYPE_SCALE["section"]}pt; font-weight: 600; padding-top: 3px; }}
QLabel[type="subsection"] {{ font-size: {TYPE_SCALE["subsection"]}pt; font-weight: 600; padding-top: 2px; }}
QLabel[type="caption"] {{ font-size: {TYPE_SCALE["caption"]}pt; color: {p.muted}; }}
QLabel[type="figure"] {{ font-size: {TYPE_SCALE["title"] + 5}pt; font-weight: 600; color: {p.text}; }}
QLabel[tone="error"] {{ color: {p.error}; font-weight: 600; }}
QLabel[tone="success"] {{ color: {p.success}; }}
QLabel[tone="warning"] {{ color: {p.warning}; }}
QLabel[tone="muted"] {{ color: {p.muted}; }}
QFrame[card="true"] {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; }}
QListWidget, QTreeWidget, QTableWidget, QTableView, QTreeView, QListView, QPlainTextEdit, QTextEdit {{
    background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; border-radius: 4px;
    selection-background-color: {p.accent}; selection-color: {p.on_accent};
}}
QListView[entries="true"]::item {{ padding: {s["xs"]}px; border-bottom: 1px solid {p.border}; }}
QListView[entries="true"]::item:selected {{ background: {p.accent}; color: {p.on_accent}; }}
QLineEdit, QSpinBox, QComboBox, QDateEdit {{
    background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; border-radius: 4px;
    padding: 3px {s["xs"] + 2}px; selection-background-color: {p.accent}; selection-color: {p.on_accent};
}}
QLineEdit:focus, QSpinBox:focus, QComboBox:focus, QDateEdit:focus, QListWidget:focus, QTableView:focus,
QTableWidget:focus, QTreeWidget:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {p.accent}; }}
QPushButton {{
    background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; border-radius: 5px;
    padding: 5px {s["s"] + 2}px; min-height: 20px;
}}
QPushButton:hover {{ border-color: {p.accent}; }}
QPushButton:focus {{ border: 2px solid {p.highlight}; }}
QPushButton:disabled {{ color: {p.muted}; }}
QPushButton:checked {{ background: {p.accent_soft}; color: {p.on_accent_soft}; border: 2px solid {p.accent}; font-weight: 600; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.on_accent}; border: 1px solid {p.accent}; font-weight: 600; }}
QPushButton[role="primary"]:focus {{ border: 2px solid {p.highlight}; }}
QPushButton[role="primary"]:disabled {{ background: {p.border}; color: {p.text}; border-color: {p.border}; }}
QPushButton[role="destructive"] {{ background: {p.destructive}; color: {p.on_destructive}; border: 1px solid {p.destructive}; }}
QPushButton[role="link"] {{ background: transparent; border: none; color: {p.accent}; text-decoration: underline; padding: 2px 0; text-align: left; }}
QPushButton[role="link"]:focus {{ border: 1px dashed {p.highlight}; }}
QListWidget#navigation {{
    background: {p.surface}; border: none; border-right: 1px solid {p.border}; border-radius: 0;
    font-size: {TYPE_SCALE["subsection"]}pt; padding: {s["s"]}px {s["xs"]}px; outline: none;
}}
QListWidget#navigation::item {{ padding: {s["s"]}px {s["s"]}px; border-radius: 6px; margin: 1px 0; color: {p.text}; }}
QListWidget#navigation::item:hover {{ background: {p.accent_soft}; color: {p.on_accent_soft}; }}
QListWidget#navigation::item:selected {{
    background: {p.accent_soft}; color: {p.on_accent_soft}; font-weight: 600; border-left: 4px solid {p.accent};
}}
QListWidget#navigation::item:disabled {{ color: {p.muted}; font-size: {TYPE_SCALE["caption"]}pt; font-weight: 600; padding-top: {s["m"]}px; }}
QStatusBar {{ background: {p.surface}; border-top: 1px solid {p.border}; }}
QStatusBar QLabel {{ padding: 1px {s["m"]}px; }}
QStatusBar::item {{ border: none; border-left: 1px solid {p.border}; }}
QToolTip {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; }}
"""


def high_contrast() -> bool:
    """True when Windows high-contrast mode is on: then the system's colours are kept as they are."""
    import sys

    if sys.platform != "win32":
        return False
    try:
        import ctypes

        class _HighContrast(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwFlags", ctypes.c_uint), ("lpszDefaultScheme", ctypes.c_wchar_p)]

        info = _HighContrast()
        info.cbSize = ctypes.sizeof(_HighContrast)
        if ctypes.windll.user32.SystemParametersInfoW(0x0042, info.cbSize, ctypes.byref(info), 0):  # SPI_GETHIGHCONTRAST
            return bool(info.dwFlags & 0x1)  # HCF_HIGHCONTRASTON
    except (AttributeError, OSError):
        return False
    return False


def current_palette(app: QGuiApplication | None = None) -> Palette | None:
    """The palette for the system's colour scheme now; None in high-contrast mode."""
    if high_contrast():
        return None
    app = app or QGuiApplication.instance()
    scheme = app.styleHints().colorScheme() if app is not None else Qt.ColorScheme.Unknown
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def qt_palette(palette: Palette) -> QPalette:
    """The Qt palette of a design palette, for what the style sheet does not name."""
    qt = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, palette.window), (roles.WindowText, palette.text), (roles.Base, palette.surface),
        (roles.AlternateBase, palette.window), (roles.Text, palette.text), (roles.Button, palette.surface),
        (roles.ButtonText, palette.text), (roles.Highlight, palette.accent), (roles.HighlightedText, palette.on_accent),
        (roles.ToolTipBase, palette.surface), (roles.ToolTipText, palette.text), (roles.PlaceholderText, palette.muted),
        (roles.Link, palette.accent), (roles.BrightText, palette.error), (roles.Mid, palette.border),
    ):
        qt.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        qt.setColor(QPalette.ColorGroup.Disabled, role, QColor(palette.muted))
    return qt


def apply(app: QApplication, palette: Palette | None | str = "system") -> None:
    """Style the whole application; ``"system"`` follows the scheme and high-contrast mode, and
    keeps following them while the program runs."""
    chosen = current_palette(app) if palette == "system" else palette
    if chosen is not None:
        if not app.property("caseworker_fusion"):
            app.setProperty("caseworker_native_style", app.style().name())
            app.setStyle("Fusion")  # by name, so that Qt owns the style; the one that draws with the palette everywhere
            app.setProperty("caseworker_fusion", True)
        app.setPalette(qt_palette(chosen))  # type: ignore[arg-type]
        app.setStyleSheet(style_sheet(chosen))  # type: ignore[arg-type]
    else:
        app.setStyleSheet("")
        native = app.property("caseworker_native_style")
        if native and app.property("caseworker_fusion"):
            app.setStyle(str(native))
            app.setProperty("caseworker_fusion", False)
        app.setPalette(app.style().standardPalette())
    app.setProperty("caseworker_palette", "dark" if chosen is DARK else "light" if chosen is LIGHT else "system")
    if palette == "system" and not app.property("caseworker_follows_scheme"):
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply(app))
        app.setProperty("caseworker_follows_scheme", True)


def active_palette() -> Palette:
    """The palette in use (light when the system's own colours are kept); for drawings."""
    app = QApplication.instance()
    return DARK if app is not None and app.property("caseworker_palette") == "dark" else LIGHT


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_role(button: QPushButton, role: str) -> QPushButton:
    """Mark a button primary, secondary or destructive (or a link-like one inside text)."""
    if role not in ROLES + ("link",):
        raise ValueError(f"unknown button role {role}")
    button.setProperty("role", role)
    _repolish(button)
    return button


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Colour a label's text as an error, success, warning or muted sentence (None: plain)."""
    if tone is not None and tone not in TONES:
        raise ValueError(f"unknown tone {tone}")
    widget.setProperty("tone", tone or "")
    _repolish(widget)


def set_type(widget: QWidget, kind: str) -> None:
    """A label's place in the type scale: title, section, subsection, caption or figure."""
    widget.setProperty("type", kind)
    _repolish(widget)



def fingerprint_font() -> QFont:
    """Fingerprints and keys read aloud: a fixed-width face, a step larger than the text."""
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(TYPE_SCALE["section"])
    return font
