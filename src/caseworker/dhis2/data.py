"""What an export carries: each approved centre-month with its whole grid of figures, and each
figure's DHIS2 address (data element, option combination, category options).

An approved month is a complete report, so every cell of the catalogue it was counted under is
sent, a zero as "0": a month reopened and approved again then replaces every figure DHIS2
holds for it, including one that fell to zero (the data elements are ``zeroIsSignificant``).

A month's figures are kept as the grid's cells and a tuple of values in the same order: the
months of one catalogue share one tuple of cells, so a writer works out each cell's codes once
per export, not once per figure (an export of 100 centres × 5 years holds 400,000 figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from caseworker.dhis2 import codes
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period


@dataclass(frozen=True)
class Address:
    """Where a figure goes in DHIS2: the data element's code, the option combination's code
    (None: DHIS2's default), and ``(category code, option code)`` for each dimension."""

    data_element: str
    category_option_combo: str | None
    categories: tuple[tuple[str, str], ...]


@lru_cache(maxsize=4096)
def address(cell: CellKey) -> Address:
    categories = tuple((codes.category(dimension), codes.category_option(dimension, option)) for dimension, option in cell.options)
    return Address(codes.data_element(cell.indicator), codes.cell_combo(cell), categories)


def addresses(cells: Sequence[CellKey]) -> tuple[Address, ...]:
    return tuple(address(cell) for cell in cells)


@dataclass(frozen=True)
class ApprovedMonth:
    """One centre's approved month: ``values[i]`` is the figure of ``cells[i]``, zeros included."""

    centre_id: str
    period: Period
    cells: tuple[CellKey, ...]
    values: tuple[int, ...]

    def figures(self) -> dict[CellKey, int]:
        return dict(zip(self.cells, self.values))


class Grid:
    """Every cell a month counted under one catalogue reports, in catalogue order.

    Figures read from the store repeat the same few hundred cell objects month after month: a
    cell's place in the grid is looked up once per object, then found by the object's identity."""

    def __init__(self, cells: tuple[CellKey, ...]) -> None:
        self.cells = cells
        self._index = {cell: position for position, cell in enumerate(cells)}
        self._seen: dict[int, tuple[CellKey, int | None]] = {}

    @classmethod
    def of(cls, catalogue: Catalogue) -> Grid:
        return cls(tuple(cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)))

    def _position(self, cell: CellKey) -> int | None:
        seen = self._seen.get(id(cell))
        if seen is None or seen[0] is not cell:
            seen = self._seen[id(cell)] = (cell, self._index.get(cell))
        return seen[1]

    def month(self, centre_id: str, period: Period, stored: Mapping[CellKey, int] | Iterable[tuple[CellKey, int]]) -> ApprovedMonth:
        """The month over the whole grid (the store keeps non-zero figures only); a stored cell
        outside the grid (a retired option still counted) comes after it."""
        values = [0] * len(self.cells)
        extra = []
        for cell, value in stored.items() if isinstance(stored, Mapping) else stored:
            position = self._position(cell)
            if position is None:
                extra.append((cell, value))
            else:
                values[position] = value
        cells = self.cells
        if extra:
            extra.sort()
            cells += tuple(cell for cell, _ in extra)
            values += [value for _, value in extra]
        return ApprovedMonth(centre_id, period, cells, tuple(values))


def figures(month: ApprovedMonth) -> Iterator[tuple[Address, int]]:
    """Each figure of the month with its address."""
    return zip(addresses(month.cells), month.values)


Made = TypeVar("Made")


class PerCells(Generic[Made]):
    """What a writer works out once for each tuple of cells it meets (months of one catalogue
    share theirs): ``make(addresses)``, kept while the writer runs."""

    def __init__(self, make: Callable[[tuple[Address, ...]], Made]) -> None:
        self._make = make
        self._made: dict[int, tuple[tuple[CellKey, ...], Made]] = {}

    def __call__(self, cells: tuple[CellKey, ...]) -> Made:
        found = self._made.get(id(cells))
        if found is None or found[0] is not cells:
            found = self._made[id(cells)] = (cells, self._make(addresses(cells)))
        return found[1]
