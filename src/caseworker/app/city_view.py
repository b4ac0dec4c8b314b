"""The coordinator's city at a glance over a range of months: the figures behind the City page.

``city_view`` reads the store in one pass per range: every centre's indicator totals for the
months of the range and the same months a year before (the sums of the cells
``coordination.consolidated`` adds up, in one query), and the reporting rate
(``coordination.reporting_rate``). It returns a ``CityView`` of plain data; asking it for another
indicator (``trend``, ``districts``, ``tiles``) only adds up what it holds, so a screen that
switches the indicator reads nothing again. ``CityFigures`` keeps what it has read, so that a
screen changing the range reads only the months the new range adds.

How the figures are read:

- A district's figure is the sum of its enrolled centres', the city's the sum of all; a range's
  figure is the sum of its months.
- **Rate per month** (district comparison, tile map): the district's figure over the range
  divided by the number of months in the range. It is not divided by the months its centres
  reported: that would give a full-looking rate to a district whose reports are missing. The
  reporting completeness (months received / months expected) stands beside it instead.
- **Year-ago change**: against the same months a year before. When no centre (of the city, or
  of the district) sent any of those months there is no year-ago figure (``None``, shown as "—"), never a 0; when the year-ago
  figure is 0 the change in per cent is ``None``.
- A district without an enrolled centre has no figure (``None``), never 0; a month without any
  centre's figures has no value in the trend (``None``, a gap).
- **Tile colour classes**: up to five classes cut at the quantiles of the districts' figures
  (totals and rates per month give the same classes: every district has the same months), so
  that each class holds about as many districts (a city with one large district would
  otherwise put every other district in the lowest class).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.district_tiles import TILE_OF, TILES
from caseworker.domain.districts import normalised_district
from caseworker.domain.periods import Period, months_between
from caseworker.domain.text import tr_sort_key
from caseworker.domain.users import Permission, StoreRole
from caseworker.settings import load as load_settings
from caseworker.stats import aggregate
from caseworker.storage import sync as sync_repo

HEADLINE_INDICATORS = ("NEW_APPLICANTS", "RETURNING_CLIENTS", "SESSIONS", "AWARENESS_EVENTS", "AWARENESS_PARTICIPANTS",
                       "PROTECTIVE_ORDER_SUPPORT")
DEFAULT_INDICATOR = "NEW_APPLICANTS"
CLASSES = 5

ON_TIME, LATE, MISSING, NOT_EXPECTED = "on_time", "late", "missing", "not_expected"
GRID_STATES = (ON_TIME, LATE, MISSING, NOT_EXPECTED)


@dataclass(frozen=True)
class Change:
    """A figure of the range and of the same months a year before (``None``: no data then)."""

    current: int
    year_ago: int | None

    @property
    def difference(self) -> int | None:
        return None if self.year_ago is None else aggregate.Change(self.current, self.year_ago).difference

    @property
    def percent(self) -> float | None:
        return None if self.year_ago is None else aggregate.Change(self.current, self.year_ago).percent


@dataclass(frozen=True)
class Headline:
    indicator: str
    change: Change


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: int | None


@dataclass(frozen=True)
class Completeness:
    """Centre-months of the range: expected, received (of those expected), received on time."""

    expected: int
    received: int
    on_time: int

    @property
    def share(self) -> float | None:
        return None if self.expected == 0 else self.received / self.expected


@dataclass(frozen=True)
class DistrictRow:
    district: str
    centres: int
    total: int
    per_month: float
    completeness: Completeness


@dataclass(frozen=True)
class TileValue:
    """One district's square of the tile map; ``total`` and ``per_month`` are None without a centre."""

    district: str
    column: int
    row: int
    centres: int
    total: int | None
    per_month: float | None


@dataclass(frozen=True)
class GridCell:
    period: Period
    state: str


@dataclass(frozen=True)
class GridRow:
    centre_id: str
    name: str
    district: str
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class DistrictFigure:
    indicator: str
    change: Change


@dataclass(frozen=True)
class CityView:
    first: Period
    last: Period
    periods: tuple[Period, ...]
    catalogue: Catalogue
    centres: tuple[sync_repo.Centre, ...]
    grid: tuple[GridRow, ...]
    city_completeness: Completeness
    district_completeness: dict[str, Completeness]
    # {period: {district: {indicator: total}}} for the months of the range and a year before that hold figures
    sums: dict[Period, dict[str, dict[str, int]]]
    _memo: dict[tuple[str, str], list] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.catalogue.active_indicators())

    @property
    def districts_with_centres(self) -> tuple[str, ...]:
        return tuple(sorted({centre.district for centre in self.centres}, key=tr_sort_key))

    def label(self, indicator: str, language: str | None = None) -> str:
        return self.catalogue.indicator(indicator).label(language)

    def _total(self, indicator: str, periods: tuple[Period, ...], district: str | None = None) -> int | None:
        """The sum over ``periods`` (None when none of them holds any figure of the city, or of ``district``)."""
        held = [self.sums[p] for p in periods if p in self.sums and (district is None or district in self.sums[p])]
        if not held:
            return None
        return sum(month.get(d, {}).get(indicator, 0) for month in held for d in ([district] if district else month))

    def change(self, indicator: str, district: str | None = None) -> Change:
        current = self._total(indicator, self.periods, district) or 0
        return Change(current, self._total(indicator, tuple(p.plus(-12) for p in self.periods), district))

    def headlines(self) -> list[Headline]:
        codes = [code for code in HEADLINE_INDICATORS if code in self.indicators]
        return [Headline(code, self.change(code)) for code in codes]

    def trend(self, indicator: str) -> list[TrendPoint]:
        if ("trend", indicator) not in self._memo:
            self._memo[("trend", indicator)] = [TrendPoint(p, self._total(indicator, (p,))) for p in self.periods]
        return list(self._memo[("trend", indicator)])

    def districts(self, indicator: str) -> list[DistrictRow]:
        """The districts with a centre, highest rate per month first (then by name)."""
        if ("districts", indicator) not in self._memo:
            self._memo[("districts", indicator)] = self._districts(indicator)
        return list(self._memo[("districts", indicator)])

    def _districts(self, indicator: str) -> list[DistrictRow]:
        counts = defaultdict(int)
        for centre in self.centres:
            counts[centre.district] += 1
        rows = []
        for district in self.districts_with_centres:
            total = self._total(indicator, self.periods, district) or 0
            rows.append(DistrictRow(district, counts[district], total, total / len(self.periods), self.district_completeness[district]))
        return sorted(rows, key=lambda row: (-row.per_month, tr_sort_key(row.district)))

    def tiles(self, indicator: str) -> list[TileValue]:
        """Every one of the 30 districts, in the tile map's order."""
        rows = {row.district: row for row in self.districts(indicator)}
        tiles = []
        for tile in TILES:
            row = rows.get(tile.district)
            tiles.append(TileValue(tile.district, tile.column, tile.row, row.centres if row else 0,
                                   row.total if row else None, row.per_month if row else None))
        return tiles

    def district_figures(self, district: str) -> list[DistrictFigure]:
        """Every indicator of one district over the range, against a year before."""
        return [DistrictFigure(code, self.change(code, district)) for code in self.indicators]


def class_bounds(values: list[float], classes: int = CLASSES) -> tuple[float, ...]:
    """Upper bounds of up to ``classes`` classes cut at the quantiles of ``values`` (ascending,
    the last one the largest value); a value belongs to the first class whose bound it does
    not exceed. Empty for no values."""
    ordered = sorted(values)
    if not ordered:
        return ()
    bounds: list[float] = []
    for number in range(1, classes + 1):
        bound = ordered[max(0, math.ceil(number * len(ordered) / classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return tuple(bounds)


def class_of(value: float, bounds: tuple[float, ...]) -> int:
    return next((index for index, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)


def _state(cell: coordination.ReportingCell) -> str:
    if not cell.expected:
        return NOT_EXPECTED
    if not cell.received:
        return MISSING
    return ON_TIME if cell.on_time else LATE


def _tile_district(text: str) -> str:
    if text in TILE_OF:
        return text
    name = normalised_district(text)
    return name if name in TILE_OF else text


class CityFigures:
    """What has been read from the store for the City page, kept for the next range.

    Each month's figures are read once; another range reads only the months it adds (one
    query). The reporting rate is read for the range asked and cut from there for any range
    inside it; ``prefetch`` reads a wider span ahead (when the screen is idle), so that moving
    the range within it reads no reporting again. Make a new one to see bundles imported since."""

    def __init__(self, session: Session, today: date | None = None) -> None:
        _require_role(session, StoreRole.COORDINATOR)
        session.require(Permission.COORDINATE)
        self.session, self.today = session, today or date.today()
        self._rates: list[coordination.ReportingRate] = []
        self._months: dict[Period, dict[str, dict[str, int]] | None] = {}
        self._catalogue: Catalogue | None = None
        self._views: dict[tuple[Period, Period], CityView] = {}

    def _rate(self, first: Period, last: Period) -> coordination.ReportingRate:
        for rate in self._rates:
            if rate.periods and rate.periods[0] <= first and last <= rate.periods[-1]:
                return rate
        deadline_day = load_settings(self.session.store.paths.settings).report_deadline_day
        rate = coordination.reporting_rate(self.session, first, last, deadline_day, self.today)
        self._rates.append(rate)
        return rate

    def prefetch(self, first: Period, last: Period) -> None:
        """Read ahead the reporting rate and the figures of ``first`` to ``last`` and the year before."""
        first, last = sorted((first, last))
        rate = self._rate(first, last)
        centres = {c.centre_id: _tile_district(c.district) for c in rate.centres}
        self._read([*months_between(first.plus(-12), last)], centres)

    def _read(self, periods: list[Period], district_of: dict[str, str]) -> None:
        """Read the months of ``periods`` not read yet, in one query from the first to the last of them."""
        wanted = {p for p in periods if p not in self._months}
        if not wanted:
            return
        with self.session.reading() as conn:
            rows = sync_repo.indicator_totals(conn, str(min(wanted)), str(max(wanted)))
        sums: dict[str, dict[str, dict[str, int]]] = {str(p): {} for p in wanted}
        for (centre_id, period), totals in rows.items():
            if period in sums and centre_id in district_of:
                district = sums[period].setdefault(district_of[centre_id], {})
                for indicator, value in totals.items():
                    district[indicator] = district.get(indicator, 0) + value
        for period in wanted:
            self._months[period] = sums[str(period)] or None

    def view(self, first: Period, last: Period) -> CityView:
        """The city over the months ``first`` to ``last`` (either order), and a year before."""
        first, last = sorted((first, last))
        if (first, last) not in self._views:
            self._views[(first, last)] = self._view(first, last)
        return self._views[(first, last)]

    def _view(self, first: Period, last: Period) -> CityView:
        periods = months_between(first, last)
        rate = self._rate(first, last)
        enrolled = tuple(sync_repo.Centre(c.centre_id, c.name, _tile_district(c.district), c.enrolled_at) for c in rate.centres)
        self._read([*(p.plus(-12) for p in periods), *periods], {centre.centre_id: centre.district for centre in enrolled})
        sums = {p: held for p in (*(p.plus(-12) for p in periods), *periods) if (held := self._months[p]) is not None}
        grid = tuple(GridRow(c.centre_id, c.name, c.district, tuple(GridCell(p, _state(rate.cells[(c.centre_id, p)])) for p in periods))
                     for c in enrolled)
        tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for centre in enrolled:
            for period in periods:
                cell = rate.cells[(centre.centre_id, period)]
                if cell.expected:
                    tally = tallies[centre.district]
                    tally[0] += 1
                    tally[1] += cell.received
                    tally[2] += cell.on_time
        completeness = {district: Completeness(*tallies[district]) for district in {c.district for c in enrolled}}
        city = Completeness(*(sum(tally[i] for tally in tallies.values()) for i in range(3)))
        if self._catalogue is None:
            self._catalogue = catalogue_uc.current(self.session)
        return CityView(first, last, periods, self._catalogue, enrolled, grid, city, completeness, sums)


def city_view(session: Session, first: Period, last: Period, today: date | None = None) -> CityView:
    """The city over the months ``first`` to ``last`` (either order), and a year before."""
    return CityFigures(session, today=today).view(first, last)
