"""A cell's stored form: the indicator and its options as one text (``age=25-34;status=citizen``),
the form every table of counts keeps them in.

Kept apart from the repositories so that what makes rows of a bundle's cells (the coordinator's
import, in a worker process of its own) needs nothing of the database to do it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from caseworker.domain.counts import CellKey, KeyedCount, canonical

# A month's cells as the import hands them over: (indicator, options as stored, value, cell key).
CellRow = tuple[str, str, int, int]


def options_text(cell: CellKey) -> str:
    return ";".join(f"{dimension}={option}" for dimension, option in cell.options)


@functools.lru_cache(maxsize=8192)
def cell_from_row(indicator: str, options: str) -> CellKey:
    """The cell a stored row names (rows repeat the same few hundred cells: parsed once each)."""
    pairs = [tuple(part.split("=", 1)) for part in options.split(";")] if options else []
    return canonical(CellKey(indicator, tuple((a, b) for a, b in pairs)))


# The same few hundred cells are written again and again: each one's stored form is made once.
_options_text = functools.lru_cache(maxsize=8192)(options_text)


def cell_rows(counts: Mapping[CellKey, KeyedCount]) -> tuple[CellRow, ...]:
    """The cells with a count, in their stored form."""
    return tuple((cell.indicator, _options_text(cell), value, key) for cell, (value, key) in counts.items() if value)
