"""Sums and comparisons of counts: over months, quarters and years, over centres and districts.

Pure functions on mappings ``CellKey -> int`` (one month's figures of one unit, as the store
gives them); nothing here reads the store. A missing cell counts as 0. Sums keep every cell that
appears in any input, so a cell that adds up to 0 is still there (a zero is a figure, not a gap).

- ``add_up``: cell by cell sum of several mappings (months of a quarter, centres of a district).
- ``over_periods`` / ``by_quarter`` / ``by_year``: sums over the months of a period.
- ``by_group``: sums over units grouped by a key (centre → district → city).
- ``totals`` / ``total`` / ``breakdown``: an indicator's total, or its figures by one dimension.
- ``compare`` / ``compare_month``: change against another period (previous month, same month
  last year), per indicator total and per cell.
- ``trend``: an indicator's total month by month, the twelve months up to a period by default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, Quarter, Year

Counts = Mapping[CellKey, int]
Unit = TypeVar("Unit", bound=Hashable)
Group = TypeVar("Group", bound=Hashable)


def add_up(mappings: Iterable[Counts]) -> dict[CellKey, int]:
    """The cell-by-cell sum of ``mappings``."""
    summed: dict[CellKey, int] = defaultdict(int)
    for mapping in mappings:
        for cell, value in mapping.items():
            summed[cell] += value
    return dict(summed)


def over_periods(by_month: Mapping[Period, Counts], periods: Iterable[Period]) -> dict[CellKey, int]:
    """The sum over ``periods``; a month missing from ``by_month`` adds nothing."""
    return add_up(by_month.get(period, {}) for period in periods)


def by_quarter(by_month: Mapping[Period, Counts]) -> dict[Quarter, dict[CellKey, int]]:
    """The sum of each quarter that has at least one month in ``by_month``."""
    quarters = sorted({period.quarter for period in by_month})
    return {quarter: over_periods(by_month, quarter.months()) for quarter in quarters}


def by_year(by_month: Mapping[Period, Counts]) -> dict[Year, dict[CellKey, int]]:
    """The sum of each year that has at least one month in ``by_month``."""
    years = sorted({period.whole_year for period in by_month})
    return {year: over_periods(by_month, year.months()) for year in years}


def missing_months(by_month: Mapping[Period, Counts], periods: Iterable[Period]) -> tuple[Period, ...]:
    """The months of ``periods`` with no figures at all (to say that a sum is incomplete)."""
    return tuple(period for period in periods if period not in by_month)


def by_group(by_unit: Mapping[Unit, Counts], group_of: Callable[[Unit], Group]) -> dict[Group, dict[CellKey, int]]:
    """Sums over units that share a group: centres by district, districts into the city."""
    members: dict[Group, list[Counts]] = defaultdict(list)
    for unit, counts in by_unit.items():
        members[group_of(unit)].append(counts)
    return {group: add_up(counts) for group, counts in members.items()}


def totals(values: Counts) -> dict[str, int]:
    """Each indicator's total over all its cells."""
    summed: dict[str, int] = defaultdict(int)
    for cell, value in values.items():
        summed[cell.indicator] += value
    return dict(summed)


def total(values: Counts, indicator: str) -> int:
    return sum(value for cell, value in values.items() if cell.indicator == indicator)


def breakdown(values: Counts, indicator: str, dimension: str) -> dict[str, int]:
    """An indicator's figures by the options of one of its dimensions (others summed over)."""
    summed: dict[str, int] = defaultdict(int)
    for cell, value in values.items():
        option = cell.option(dimension) if cell.indicator == indicator else None
        if option is not None:
            summed[option] += value
    return dict(summed)


@dataclass(frozen=True)
class Change:
    """A figure against the same figure of another period."""

    current: int
    other: int

    @property
    def difference(self) -> int:
        return self.current - self.other

    @property
    def percent(self) -> float | None:
        """The change in per cent of the other figure; ``None`` when that is 0."""
        return None if self.other == 0 else 100.0 * self.difference / self.other


def compare(current: Counts, other: Counts) -> dict[str, Change]:
    """Each indicator's total now against ``other``, for every indicator in either."""
    now, then = totals(current), totals(other)
    return {indicator: Change(now.get(indicator, 0), then.get(indicator, 0)) for indicator in sorted(now.keys() | then.keys())}


def compare_cells(current: Counts, other: Counts) -> dict[CellKey, Change]:
    """Each cell now against ``other``, for every cell in either."""
    return {cell: Change(current.get(cell, 0), other.get(cell, 0)) for cell in sorted(current.keys() | other.keys())}


@dataclass(frozen=True)
class MonthComparison:
    """A month's indicator totals against the previous month and the same month a year before."""

    period: Period
    previous: dict[str, Change]
    last_year: dict[str, Change]


def compare_month(by_month: Mapping[Period, Counts], period: Period) -> MonthComparison:
    current = by_month.get(period, {})
    return MonthComparison(
        period,
        previous=compare(current, by_month.get(period.previous(), {})),
        last_year=compare(current, by_month.get(period.same_month_last_year(), {})),
    )


def trend(by_month: Mapping[Period, Counts], end: Period, indicator: str, months: int = 12) -> list[tuple[Period, int]]:
    """``indicator``'s total in each of the ``months`` months ending with ``end``, oldest first."""
    periods = [end.plus(offset) for offset in range(1 - months, 1)]
    return [(period, total(by_month.get(period, {}), indicator)) for period in periods]
