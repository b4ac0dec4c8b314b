"""CSV cells that a spreadsheet shows as text, never runs as a formula (the OWASP rule).

Every CSV the program writes (counts, report tables, directory exports) passes each cell
through ``cell``; every CSV it reads back passes each cell through ``read_cell``. The rules:

1. A number — an ``int``, a ``float``, or text that is a plain decimal number such as ``-12`` or
   ``3.5`` — is written as it is: spreadsheets read it as a number, never as a formula.
2. Any other text whose first character is in ``FORMULA_STARTS`` (``=``, ``+``, ``-``, ``@``, a
   tab or a carriage return) gets ``QUOTE`` in front: a spreadsheet shows the rest as text.
   A service named ``=HYPERLINK(...)`` shows as that text, and does not run.
3. So that reading back gives exactly what was written, text that starts with ``QUOTE`` itself
   gets one more in front; ``read_cell`` removes one leading ``QUOTE`` when a formula character
   or another ``QUOTE`` follows it, and leaves every other cell unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def cell(value: object) -> object:
    """``value`` as a CSV writer should get it; only text that could start a formula changes."""
    if not isinstance(value, str) or not value or _NUMBER.fullmatch(value):
        return value
    if value.startswith(FORMULA_STARTS) or value.startswith(QUOTE):
        return QUOTE + value
    return value


def row(values: Iterable[object]) -> list[object]:
    return [cell(value) for value in values]


def read_cell(text: str) -> str:
    """A cell as written by ``cell``, back to what it was."""
    if text.startswith(QUOTE) and text[1:2] and (text[1:].startswith(FORMULA_STARTS) or text[1] == QUOTE):
        return text[1:]
    return text
