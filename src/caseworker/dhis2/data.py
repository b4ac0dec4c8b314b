"""What an export carries: each approved centre-month with its whole grid of figures, and each
figure as a DHIS2 data value (data element, option combination, category options, value).

An approved month is a complete report, so every cell of the catalogue it was counted under is
sent, a zero as "0": a month reopened and approved again then replaces every figure DHIS2
holds for it, including one that fell to zero (the data elements are ``zeroIsSignificant``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from caseworker.dhis2 import codes
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period


@dataclass(frozen=True)
class ApprovedMonth:
    """One centre's approved month: ``values`` holds every cell, zeros included."""

    centre_id: str
    period: Period
    values: Mapping[CellKey, int]


@dataclass(frozen=True)
class DataValue:
    data_element: str
    category_option_combo: str | None
    categories: tuple[tuple[str, str], ...]
    value: int


def grid(catalogue: Catalogue) -> tuple[CellKey, ...]:
    """Every cell a month counted under ``catalogue`` reports, in catalogue order."""
    return tuple(cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator))


def full_month(cells: tuple[CellKey, ...], stored: Mapping[CellKey, int]) -> dict[CellKey, int]:
    """The month's figures over its whole grid (the store keeps non-zero figures only); a stored
    cell outside the grid (a retired option still counted) is kept after it."""
    values = {cell: stored.get(cell, 0) for cell in cells}
    for cell in sorted(stored.keys() - values.keys()):
        values[cell] = stored[cell]
    return values


_values_cache: dict[CellKey, tuple[str, str | None, tuple[tuple[str, str], ...]]] = {}


def _address(cell: CellKey) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
    found = _values_cache.get(cell)
    if found is None:
        categories = tuple((codes.category(dimension), codes.category_option(dimension, option)) for dimension, option in cell.options)
        found = _values_cache[cell] = (codes.data_element(cell.indicator), codes.cell_combo(cell), categories)
    return found


def data_values(month: ApprovedMonth) -> Iterator[DataValue]:
    for cell, value in month.values.items():
        element, combo, categories = _address(cell)
        yield DataValue(element, combo, categories, value)
