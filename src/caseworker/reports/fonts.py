"""The fonts of every PDF the program prints: DejaVu Sans, embedded, with full Turkish letters.

reportlab's built-in Helvetica is a standard PDF font that is not embedded and has no ğ, ş, ı
or İ, so a Turkish report would print boxes or wrong letters. DejaVu Sans (regular and bold) is
shipped in ``resources/fonts/`` with its licence (Bitstream Vera licence, DejaVu changes in the
public domain) and embedded as a subset in each document.

``register()`` registers the family once per process and returns its names; every style, table
and chart of ``caseworker.reports`` uses ``REGULAR`` / ``BOLD``, never a reportlab default.

Arabic script (Arabic and Persian handouts): Noto Naskh Arabic, regular and bold, shipped beside
DejaVu with its licence (SIL Open Font License 1.1, ``LICENSE-Noto-OFL.txt``; taken from the
Debian package fonts-noto-core). ``register_arabic()`` registers it; it has no Latin letters,
so text is set in runs: Arabic letters in Naskh, everything else in DejaVu (``reports.rtl``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from caseworker.paths import resource

REGULAR = "CaseworkerSans"
BOLD = "CaseworkerSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
ARABIC_REGULAR = "CaseworkerNaskh"
ARABIC_BOLD = "CaseworkerNaskh-Bold"
ARABIC_FILES = {ARABIC_REGULAR: "NotoNaskhArabic-Regular.ttf", ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf"}


@dataclass(frozen=True)
class FontFamily:
    regular: str
    bold: str


@lru_cache(maxsize=1)
def register() -> FontFamily:
    """Register the embedded family with reportlab (idempotent) and return its font names."""
    _register_files(FILES)
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return FontFamily(REGULAR, BOLD)


@lru_cache(maxsize=1)
def register_arabic() -> FontFamily:
    """Register Noto Naskh Arabic (idempotent) and return its font names."""
    _register_files(ARABIC_FILES)
    return FontFamily(ARABIC_REGULAR, ARABIC_BOLD)


def _register_files(files: dict[str, str]) -> None:
    """Each font file of ``resources/fonts`` under its reportlab name."""
    folder = resource("fonts")
    for name, file_name in files.items():
        with resources.as_file(folder / file_name) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
