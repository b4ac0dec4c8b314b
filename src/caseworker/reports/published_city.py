"""The city's figures of a period as a report shows them: each district's and the city's total of
every indicator, and for each indicator with a breakdown a table of rows by its options.

In an internal report (``exact_city``) every figure is exact and every district has its row. In
a public one (``public_city``) the figures are those of the period's public edition
(``caseworker.stats.publication``): every total, and breakdown rows only for the districts the
edition shows, then "other districts" where it merged some, then the city; ``NOT_SHOWN`` where
the edition publishes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.reports.tables import NOT_SHOWN, Entry, NotShown, layout_cells
from caseworker.stats.publication import CITY, PublicEdition


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator's breakdown: ``grid`` has a row per area of ``rows`` (districts, perhaps
    "other districts") and a last row for the city; a column per cell, then the total."""

    indicator: str
    rows: tuple[str, ...]
    cells: tuple[CellKey, ...]
    grid: tuple[tuple[Entry, ...], ...]

    def city_cell(self, key: CellKey) -> Entry:
        return self.grid[-1][self.cells.index(key)]

    @property
    def not_shown(self) -> int:
        return sum(1 for row in self.grid for entry in row if isinstance(entry, NotShown))


@dataclass(frozen=True)
class PublishedCity:
    """Every indicator's totals by area (each district, and ``CITY``) and breakdown tables."""

    districts: tuple[str, ...]
    totals: Mapping[tuple[str, str], Entry]
    tables: Mapping[str, IndicatorTable]
    public: bool = False

    def table(self, indicator: str) -> IndicatorTable:
        return self.tables[indicator]

    def district_total(self, indicator: str, district: str) -> Entry:
        return self.totals.get((indicator, district), NOT_SHOWN if self.public else 0)

    def city_total(self, indicator: str) -> Entry:
        return self.totals.get((indicator, CITY), NOT_SHOWN if self.public else 0)


def exact_city(catalogue: Catalogue, by_district: Mapping[str, Mapping[CellKey, int]], districts: Sequence[str]) -> PublishedCity:
    """Every figure of ``districts`` (in that order; a district missing from ``by_district`` has zeros)."""
    districts = tuple(districts)
    city: dict[CellKey, int] = {}
    for values in by_district.values():
        for cell, value in values.items():
            city[cell] = city.get(cell, 0) + value
    areas = {**{district: by_district.get(district, {}) for district in districts}, CITY: city}
    totals: dict[tuple[str, str], Entry] = {(indicator.code, area): 0 for indicator in catalogue.indicators for area in areas}
    for area, values in areas.items():
        for cell, value in values.items():
            key = (cell.indicator, area)
            if key in totals:
                totals[key] += value
    tables = {}
    for indicator in catalogue.indicators:
        cells = _cells(catalogue, indicator, *by_district.values())
        grid = tuple((*(values.get(cell, 0) for cell in cells), totals[(indicator.code, area)]) for area, values in areas.items())
        tables[indicator.code] = IndicatorTable(indicator.code, districts, cells, grid)
    return PublishedCity(districts, totals, tables)


def public_city(catalogue: Catalogue, edition: PublicEdition) -> PublishedCity:
    """The figures of a public city edition, read in one pass over its figures."""
    districts = tuple(area for area in edition.areas if area != CITY)
    published: dict[str, dict[str, dict[tuple[tuple[str, str], ...], int | None]]] = {}
    breakdown_rows: dict[str, dict[str, None]] = {}  # an indicator's areas with a breakdown, in edition order
    for area, code, options, value in edition.figures:
        by_area = published.get(code)
        if by_area is None:
            by_area = published[code] = {}
        values = by_area.get(area)
        if values is None:
            values = by_area[area] = {}
        values[options] = value
        if options:
            breakdown_rows.setdefault(code, {})[area] = None
    totals: dict[tuple[str, str], Entry] = {}
    tables = {}
    for indicator in catalogue.indicators:
        by_area = published.get(indicator.code, {})
        for area in edition.areas:
            values = by_area.get(area, {})
            if () in values:
                totals[(indicator.code, area)] = _entry(values[()])
        rows = tuple(area for area in breakdown_rows.get(indicator.code, {}) if area != CITY)
        city = by_area.get(CITY, {})
        cells = tuple(cell for cell in catalogue.cells(indicator, include_retired=True) if cell.options in city)
        grid = tuple((*(_entry(values.get(cell.options)) for cell in cells), _entry(values.get(())))
                     for values in (by_area.get(area, {}) for area in (*rows, CITY)))
        tables[indicator.code] = IndicatorTable(indicator.code, rows, cells, grid)
    return PublishedCity(districts, totals, tables, public=True)


def _entry(value: int | None) -> Entry:
    return NOT_SHOWN if value is None else value


def _cells(catalogue: Catalogue, indicator: Indicator, *values: Mapping[CellKey, int]) -> tuple[CellKey, ...]:
    if not indicator.dimensions:
        return ()
    return tuple(layout_cells(catalogue, indicator, *values))
