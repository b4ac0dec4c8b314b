"""Figures as a printed report writes them: thousands grouped in the report's language.

Turkish groups thousands with a full stop (``1.234``), English with a comma (``1,234``), as
TÜİK and Eurostat tables do. Only the PDF is formatted: CSV files keep plain digits so that a
spreadsheet reads them as numbers in either language. Texts (the not-published symbol, a dash,
a change already written out) pass through unchanged.
"""

from __future__ import annotations

SEPARATOR = {"tr": ".", "en": ","}


def number_text(value: int, language: str) -> str:
    """``12345`` → ``12.345`` in Turkish, ``12,345`` in English; negative figures keep their sign."""
    grouped = f"{value:,}"
    separator = SEPARATOR.get(language, ",")
    return grouped if separator == "," else grouped.replace(",", separator)


def cell_text(value: object, language: str | None) -> str:
    """A table cell as printed: a figure grouped (when ``language`` is given), anything else as is."""
    if language is not None and isinstance(value, int) and not isinstance(value, bool):
        return number_text(value, language)
    return str(value)
