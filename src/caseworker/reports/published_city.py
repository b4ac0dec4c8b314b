"""The city's figures of a period as a report may show them: for each indicator, one table of
districts by its breakdown, with district totals, city totals by option and the city total.

In an internal report every figure is shown. In a public one each indicator's table goes
through disclosure control as a two-dimensional table (``caseworker.stats.disclosure``): rows
are districts, columns the indicator's breakdown; the row totals are the district figures, the
column totals the city's breakdown, the grand total the city figure. An indicator without a
breakdown is one column: its column total is the city figure.

Tables tied by validation rules (``rule_bounds``: ``NEW_APPLICANTS == REFERRED_FROM``,
``SESSIONS >= RETURNING_CLIENTS``) are protected together, area by area (each district, and the
city): a reader who knows the rules may narrow a hidden total with the tied total of another
table, shown or hidden. For every tie and area the module works out the range each hidden
total keeps once both tables are read together (the intersection of what each table allows);
when that range is a single value, or a small count can no longer reach ``k``, both totals are
hidden and must be able to rise to ``k`` (at least by one), and the tables are protected again,
until nothing changes. A tie between two hidden totals then leaves both with at least the range
from their value up to ``max(value + 1, k)``.

Limits: the check goes tie by tie. A reader who combines several ties with the additivity of
one table at once could in principle narrow a hidden total further; the pairwise check is the
same kind of approximation that the monthly summary makes (``tables._hide_bounding_totals``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.reports.tables import Entry, layout_cells, rule_bounds
from caseworker.stats import disclosure
from caseworker.stats.audit import HIDDEN_AT_LEAST, HiddenValues, Position
from caseworker.stats.disclosure import ProtectedTable, Suppressed, Table, protect


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator's published figures: ``grid`` has a row per district and a last row for the
    city, a column per cell of the breakdown and a last column for the district totals (a
    single-column table has no last column: its one column is the total)."""

    indicator: str
    districts: tuple[str, ...]
    cells: tuple[CellKey, ...]
    grid: tuple[tuple[Entry, ...], ...]

    @property
    def broken_down(self) -> bool:
        return len(self.grid[0]) > 1

    def cell(self, district: str, key: CellKey) -> Entry:
        return self.grid[self.districts.index(district)][self.cells.index(key)]

    def city_cell(self, key: CellKey) -> Entry:
        return self.grid[-1][self.cells.index(key)]

    def district_total(self, district: str) -> Entry:
        return self.grid[self.districts.index(district)][-1]

    @property
    def city_total(self) -> Entry:
        return self.grid[-1][-1]

    @property
    def hidden(self) -> int:
        return sum(1 for row in self.grid for entry in row if isinstance(entry, Suppressed))


@dataclass(frozen=True)
class PublishedCity:
    """Every indicator's ``IndicatorTable`` for one period; ``k`` is ``None`` in an internal report."""

    districts: tuple[str, ...]
    tables: Mapping[str, IndicatorTable]
    k: int | None = None

    def table(self, indicator: str) -> IndicatorTable:
        return self.tables[indicator]

    def district_total(self, indicator: str, district: str) -> Entry:
        return self.tables[indicator].district_total(district)

    def city_total(self, indicator: str) -> Entry:
        return self.tables[indicator].city_total

    @property
    def hidden(self) -> int:
        return sum(table.hidden for table in self.tables.values())

    @property
    def public(self) -> bool:
        return self.k is not None


def tie_group(catalogue: Catalogue, indicator: str) -> frozenset[str]:
    """``indicator`` and every indicator tied to it by rules, directly or through others: the
    tables that must be protected together to publish its figures."""
    group, queue = {indicator}, deque([indicator])
    while queue:
        code = queue.popleft()
        for bounded, bounding, _ in rule_bounds(catalogue):
            for one, other in ((bounded, bounding), (bounding, bounded)):
                if one == code and other not in group:
                    group.add(other)
                    queue.append(other)
    return frozenset(group)


def published_city(catalogue: Catalogue, by_district: Mapping[str, Mapping[CellKey, int]], districts: Sequence[str],
                   k: int | None, indicators: Iterable[str] | None = None) -> PublishedCity:
    """The figures of ``districts`` (in that order; a district missing from ``by_district`` has
    zeros) for ``indicators`` (default: every indicator of the catalogue), all of them
    (``k`` None) or disclosure-controlled."""
    districts = tuple(districts)
    wanted = set(indicators) if indicators is not None else None
    chosen = [i for i in catalogue.indicators if wanted is None or i.code in wanted]
    layouts = {i.code: _layout(catalogue, i, by_district) for i in chosen}
    tables = {i.code: _table(i, layouts[i.code], by_district, districts) for i in chosen}
    if k is None:
        protected = {code: _shown(table) for code, table in tables.items()}
    else:
        protected = protect_tied(tables, k, [b for b in rule_bounds(catalogue) if b[0] in tables and b[1] in tables])
    return PublishedCity(districts, {code: IndicatorTable(code, districts, layouts[code], protected[code]) for code in tables}, k)


def _layout(catalogue: Catalogue, indicator: Indicator, by_district: Mapping[str, Mapping[CellKey, int]]) -> tuple[CellKey, ...]:
    if not indicator.dimensions:
        return (CellKey(indicator.code),)
    return tuple(layout_cells(catalogue, indicator, *by_district.values()))


def _table(indicator: Indicator, cells: Sequence[CellKey], by_district: Mapping[str, Mapping[CellKey, int]], districts: Sequence[str]) -> Table:
    values = tuple(tuple(by_district.get(district, {}).get(cell, 0) for cell in cells) for district in districts)
    broken_down = len(cells) > 1
    return Table(tuple(districts), tuple(str(cell) for cell in cells), values, indicator.sensitive,
                 row_totals=broken_down, column_totals=True, grand_total=broken_down)


def _shown(table: Table) -> tuple[tuple[Entry, ...], ...]:
    return _trimmed(table, tuple(tuple(table.value((r, c)) for c in range(table.n_cols + 1)) for r in range(table.n_rows + 1)))


def _trimmed(table: Table, grid: Sequence[Sequence[Entry | None]]) -> tuple[tuple[Entry, ...], ...]:
    """The grid without the column of row totals when the table publishes none (one column)."""
    width = table.n_cols + 1 if table.publishes_row_totals else table.n_cols
    return tuple(tuple(row[:width]) for row in grid)  # type: ignore[misc]


def area_position(table: Table, row: int) -> Position:
    """Where the total of an area sits: a district's row (``row < n_rows``) or the city (``row == n_rows``)."""
    return (row, table.n_cols) if table.publishes_row_totals else (row, 0)


# ---------------------------------------------------------------------------- protection


def protect_tied(tables: Mapping[str, Table], k: int, bounds: Sequence[tuple[str, str, bool]]) -> dict[str, tuple[tuple[Entry, ...], ...]]:
    """Protect each table, then widen the hidden totals that a tie (``bounds``, as ``rule_bounds``
    gives them) would narrow, until every tie leaves every hidden total protected."""
    required: dict[str, dict[Position, int]] = {code: {} for code in tables}
    protected = {code: protect(table, k) for code, table in tables.items()}
    ranges = _Ranges(protected)
    while True:
        grown: set[str] = set()
        for code, position, rise in _tie_requirements(tables, protected, ranges, k, bounds):
            if required[code].get(position, 0) < rise:
                required[code][position] = rise
                grown.add(code)
        if not grown:
            return {code: _trimmed(tables[code], protected[code].grid) for code in tables}
        for code in grown:
            protected[code] = protect_requiring(tables[code], k, required[code])
            ranges.forget(code)


class _Ranges:
    """The ranges of hidden values of the current protected tables, worked out once each."""

    def __init__(self, protected: Mapping[str, ProtectedTable]) -> None:
        self._protected = protected
        self._unknowns: dict[str, HiddenValues] = {}
        self._ranges: dict[tuple[str, Position], tuple[int, float]] = {}

    def of(self, code: str, position: Position) -> tuple[int, float]:
        if (code, position) not in self._ranges:
            if code not in self._unknowns:
                self._unknowns[code] = _unknowns(self._protected[code])
            self._ranges[(code, position)] = self._unknowns[code].range_of(position)
        return self._ranges[(code, position)]

    def forget(self, code: str) -> None:
        self._unknowns.pop(code, None)
        self._ranges = {key: span for key, span in self._ranges.items() if key[0] != code}


def _tie_requirements(tables: Mapping[str, Table], protected: Mapping[str, ProtectedTable], ranges: _Ranges, k: int,
                      bounds: Sequence[tuple[str, str, bool]]) -> list[tuple[str, Position, int]]:
    """``(indicator, position, rise)`` for both totals of every tie and area where a hidden total
    loses its protection once the two tables are read together."""

    def known(code: str, position: Position) -> tuple[float, float, Suppressed | None]:
        entry = protected[code].grid[position[0]][position[1]]
        if not isinstance(entry, Suppressed):
            value = tables[code].value(position)
            return value, value, None
        low, high = ranges.of(code, position)
        return low, high, entry

    needed = []
    for bounded, bounding, exact in bounds:
        table_a, table_b = tables[bounded], tables[bounding]
        for row in range(table_a.n_rows + 1):
            pos_a, pos_b = area_position(table_a, row), area_position(table_b, row)
            low_a, high_a, mark_a = known(bounded, pos_a)
            low_b, high_b, mark_b = known(bounding, pos_b)
            if mark_a is None and mark_b is None:
                continue
            # what a reader knows of each once both are read: bounded <= bounding (or ==)
            range_a = (max(low_a, low_b) if exact else low_a, min(high_a, high_b))
            range_b = (max(low_b, low_a), min(high_b, high_a) if exact else high_b)
            if _exposed(mark_a, range_a, k) or _exposed(mark_b, range_b, k):
                for code, position in ((bounded, pos_a), (bounding, pos_b)):
                    value = tables[code].value(position)
                    if value > 0:
                        needed.append((code, position, max(1, k - value)))
    return needed


def _exposed(mark: Suppressed | None, span: tuple[float, float], k: int) -> bool:
    if mark is None:
        return False
    low, high = span
    return high - low < 1 or (mark.primary and high < k)


def _unknowns(protected: ProtectedTable) -> HiddenValues:
    """The hidden values of a published table as a reader can work them out (as ``disclosure.feasible_ranges``)."""
    shown: dict[Position, int] = {}
    lower: dict[Position, int] = {}
    for r, row in enumerate(protected.grid):
        for c, entry in enumerate(row):
            if isinstance(entry, Suppressed):
                lower[(r, c)] = HIDDEN_AT_LEAST
            elif entry is None:
                lower[(r, c)] = 0
            else:
                shown[(r, c)] = entry
    return HiddenValues.from_published(protected.n_rows, protected.n_cols, shown, lower)


def protect_requiring(table: Table, k: int, required: Mapping[Position, int]) -> ProtectedTable:
    """``disclosure.protect``, with each position of ``required`` (a non-zero value) hidden too
    and able to rise by the amount given, and further values hidden until every hidden value
    meets the protection rule.

    It runs the same loop as ``protect`` with the same helpers (cheapest complements first, a
    fixed order), so with nothing required it gives exactly ``protect``'s result. (It belongs
    in ``disclosure`` as a parameter of ``protect``; kept here until that module grows one.)
    """
    unpublished = [p for p in table.positions() if not table.is_published(p)]
    hidden = HiddenValues(table.n_rows, table.n_cols, lower={p: 0 for p in unpublished}, flow={p: table.value(p) for p in unpublished})
    status: dict[Position, Suppressed] = {}
    upward: dict[Position, int] = {}

    def hide(position: Position, primary: bool) -> None:
        status[position] = Suppressed(primary)
        hidden.lower[position] = HIDDEN_AT_LEAST
        hidden.flow[position] = table.value(position)

    queue: deque[Position] = deque()
    for position in table.positions():
        value = table.value(position)
        if table.is_published(position) and table.is_sensitive(position) and 1 <= value < k:
            hide(position, primary=True)
            upward[position] = k - value
            queue.append(position)
    for position, rise in sorted(required.items()):
        if table.value(position) <= 0 or not table.is_published(position):
            continue
        if position not in status:
            hide(position, primary=False)
            queue.append(position)
        upward[position] = max(upward.get(position, 0), rise)
    while queue:
        position = queue.popleft()
        rise = upward.get(position, 1)
        while not disclosure._is_protected(hidden, position, rise, position in upward):
            for complement in disclosure._cheapest_complements(table, hidden, position, rise):
                hide(complement, primary=False)
                queue.append(complement)
    return disclosure._published(table, k, status)
