"""The City page's figures: a real coordinator store filled by imported bundles
(``tests/reports/city_stores.py``), compared with what the centres hold and with
``coordination.consolidated``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caseworker.app import coordination
from caseworker.app.city_view import (
    HEADLINE_INDICATORS,
    LATE,
    MISSING,
    ON_TIME,
    CityFigures,
    CityView,
    class_bounds,
    class_of,
    city_view,
)
from caseworker.domain.district_tiles import TILES
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.periods import Period, months_between
from caseworker.errors import PermissionDenied
from caseworker.stats.aggregate import total
from tests.reports.city_stores import FIRST, LAST, PLANS, CityStore, build_city_store

RANGE = months_between(FIRST, LAST)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityStore]:
    store = build_city_store(tmp_path_factory.mktemp("city"))
    yield store
    store.coordinator.close()


@pytest.fixture(scope="module")
def view(city: CityStore) -> CityView:
    return city_view(city.coordinator, FIRST, LAST)


def consolidated_total(city: CityStore, periods, indicator: str, district: str | None = None) -> int:
    return sum(total(coordination.consolidated(city.coordinator, p, district=district).values, indicator) for p in periods)


def test_headline_figures_equal_the_consolidated_city(city, view):
    assert [h.indicator for h in view.headlines()] == list(HEADLINE_INDICATORS)
    for headline in view.headlines():
        assert headline.change.current == consolidated_total(city, RANGE, headline.indicator)
    new = next(h for h in view.headlines() if h.indicator == "NEW_APPLICANTS")
    assert new.change.current == sum(city.district_sum(d, RANGE, "NEW_APPLICANTS") for d in ("Konak", "Çiğli")) > 0


def test_change_against_the_same_months_a_year_before(city, view):
    year_ago = tuple(p.plus(-12) for p in RANGE)
    new = next(h for h in view.headlines() if h.indicator == "NEW_APPLICANTS").change
    before = sum(plan.new_applicants.get(p, 0) for plan in PLANS for p in year_ago)
    assert before > 0 and new.year_ago == before == consolidated_total(city, year_ago, "NEW_APPLICANTS")
    assert new.difference == new.current - before
    assert new.percent == pytest.approx(100 * (new.current - before) / before)
    # figures were sent a year before, none of this indicator: a change from 0 has no per cent
    returning = next(h for h in view.headlines() if h.indicator == "RETURNING_CLIENTS").change
    assert returning.year_ago == 0 and returning.percent is None and returning.difference == returning.current


def test_no_year_ago_figure_when_nothing_was_sent_then(city):
    february = Period(2026, 2)
    assert not any(february.plus(-12) in plan.new_applicants or february.plus(-12) in plan.follow_ups for plan in PLANS)
    view = city_view(city.coordinator, february, february)
    for headline in view.headlines():
        assert headline.change.year_ago is None and headline.change.difference is None and headline.change.percent is None


def test_trend_is_the_city_month_by_month(city, view):
    for indicator in ("NEW_APPLICANTS", "RETURNING_CLIENTS", "SESSIONS"):
        assert [(point.period, point.value) for point in view.trend(indicator)] == [
            (p, consolidated_total(city, (p,), indicator)) for p in RANGE]


def test_districts_sorted_by_rate_per_month_with_completeness(city, view):
    rows = view.districts("NEW_APPLICANTS")
    assert [row.per_month for row in rows] == sorted((row.per_month for row in rows), reverse=True)
    assert {row.district for row in rows} == {plan.district for plan in PLANS}
    for row in rows:
        assert row.total == city.district_sum(row.district, RANGE, "NEW_APPLICANTS") == consolidated_total(city, RANGE, "NEW_APPLICANTS", row.district)
        assert row.per_month == pytest.approx(row.total / len(RANGE))
        plans = [plan for plan in PLANS if plan.district == row.district]
        assert row.centres == len(plans)
        held = [p for plan in plans for p in RANGE if p in plan.new_applicants or p in plan.follow_ups]
        on_time = [p for plan in plans for p in plan.submitted_on_time if p in RANGE]
        # every centre was enrolled before the range: each of its months is expected
        assert (row.completeness.expected, row.completeness.received, row.completeness.on_time) == (len(plans) * len(RANGE), len(held), len(on_time))
    assert view.city_completeness.expected == len(PLANS) * len(RANGE)


def test_tile_values_for_all_thirty_districts(city, view):
    tiles = view.tiles("RETURNING_CLIENTS")
    assert sorted(tile.district for tile in tiles) == sorted(IZMIR_DISTRICTS) and len(tiles) == 30
    assert [(tile.column, tile.row) for tile in tiles] == [(tile.column, tile.row) for tile in TILES]
    with_centre = {plan.district for plan in PLANS}
    for tile in tiles:
        if tile.district in with_centre:
            assert tile.total == city.district_sum(tile.district, RANGE, "RETURNING_CLIENTS")
            assert tile.per_month == pytest.approx(tile.total / len(RANGE))
        else:
            assert tile.total is None and tile.per_month is None and tile.centres == 0


def test_reporting_grid_states(view):
    cells = {(row.centre_id, cell.period): cell.state for row in view.grid for cell in row.cells}
    names = {row.centre_id: row.name for row in view.grid}
    for plan in PLANS:
        centre_id = next(cid for cid, name in names.items() if name == plan.name)
        for period in RANGE:
            held = period in plan.new_applicants or period in plan.follow_ups
            expected = ON_TIME if period in plan.submitted_on_time else LATE if held else MISSING
            assert cells[(centre_id, period)] == expected, (plan.name, period)


def test_district_figures_cover_every_indicator(city, view):
    figures = view.district_figures("Çiğli")
    assert [f.indicator for f in figures] == list(view.indicators)
    for figure in figures:
        assert figure.change.current == consolidated_total(city, RANGE, figure.indicator, "Çiğli")


def test_class_bounds_split_at_quantiles():
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 100]
    bounds = class_bounds(values)
    assert bounds == (1, 3, 5, 7, 100)
    assert [class_of(v, bounds) for v in (0, 1, 2, 7, 8, 100)] == [0, 0, 1, 3, 4, 4]
    assert class_bounds([4, 4, 4]) == (4,) and class_bounds([]) == ()


def test_a_centre_store_has_no_city_view(centre):
    with pytest.raises(PermissionDenied):
        city_view(centre.session, FIRST, LAST)


def test_kept_figures_give_the_same_view_for_another_range(city):
    figures = CityFigures(city.coordinator)
    figures.view(FIRST, LAST)
    figures.prefetch(FIRST.plus(-24), LAST)
    for first, last in ((FIRST, FIRST), (LAST, LAST), (FIRST.plus(-14), LAST)):
        kept, fresh = figures.view(first, last), city_view(city.coordinator, first, last)
        assert kept.headlines() == fresh.headlines() and kept.grid == fresh.grid
        assert kept.tiles("NEW_APPLICANTS") == fresh.tiles("NEW_APPLICANTS") and kept.city_completeness == fresh.city_completeness


def test_a_district_that_sent_nothing_a_year_before_has_no_year_ago_figure(view):
    # only the Konak centre sent months of 2025
    assert all(f.change.year_ago is None for f in view.district_figures("Çiğli"))
    konak = {f.indicator: f.change for f in view.district_figures("Konak")}
    assert konak["NEW_APPLICANTS"].year_ago == sum(plan.new_applicants.get(p.plus(-12), 0) for plan in PLANS if plan.district == "Konak" for p in RANGE)
