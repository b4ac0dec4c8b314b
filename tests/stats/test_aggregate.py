"""Sums over months, quarters, years and units, and comparisons between periods."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, Quarter, Year
from caseworker.stats.aggregate import (
    Change,
    add_up,
    breakdown,
    by_group,
    by_quarter,
    by_year,
    compare,
    compare_cells,
    compare_month,
    missing_months,
    over_periods,
    total,
    totals,
    trend,
)

CELLS = [
    CellKey.of("NEW_APPLICANTS", {"age": "18-24"}),
    CellKey.of("NEW_APPLICANTS", {"age": "25-34"}),
    CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}),
    CellKey.of("VIOLENCE_TYPE", {"violence": "digital"}),
    CellKey("WITH_CHILDREN"),
]
counts = st.dictionaries(st.sampled_from(CELLS), st.integers(0, 500), max_size=len(CELLS))
months_2025 = st.dictionaries(st.builds(Period, st.just(2025), st.integers(1, 12)), counts, max_size=12)
PROPERTY = settings(max_examples=150, deadline=None)


def by_hand(mappings, cell):
    return sum(mapping.get(cell, 0) for mapping in mappings)


@PROPERTY
@given(st.lists(counts, max_size=6))
def test_add_up_is_the_cell_by_cell_sum_and_keeps_zero_cells(mappings):
    summed = add_up(mappings)
    assert set(summed) == {cell for mapping in mappings for cell in mapping}
    for cell in summed:
        assert summed[cell] == by_hand(mappings, cell)
    assert totals(summed) == {
        indicator: sum(totals(m).get(indicator, 0) for m in mappings) for indicator in {c.indicator for m in mappings for c in m}
    }


@PROPERTY
@given(months_2025)
def test_quarters_add_up_to_the_year_and_months_to_their_quarter(by_month):
    quarters = by_quarter(by_month)
    assert set(quarters) == {period.quarter for period in by_month}
    for quarter, summed in quarters.items():
        assert summed == add_up(by_month[p] for p in quarter.months() if p in by_month)
    if by_month:
        year = by_year(by_month)[Year(2025)]
        assert year == over_periods(by_month, Year(2025).months())
        assert totals(add_up(quarters.values())) == totals(year)
    assert missing_months(by_month, Year(2025).months()) == tuple(p for p in Year(2025).months() if p not in by_month)


def test_a_quarter_sums_only_its_own_months():
    by_month = {Period(2026, 3): {CELLS[0]: 2}, Period(2026, 4): {CELLS[0]: 5}, Period(2026, 6): {CELLS[0]: 1}}
    quarters = by_quarter(by_month)
    assert quarters == {Quarter(2026, 1): {CELLS[0]: 2}, Quarter(2026, 2): {CELLS[0]: 6}}


@PROPERTY
@given(st.dictionaries(st.sampled_from(["c1", "c2", "c3", "c4"]), counts, max_size=4))
def test_groups_add_up_to_the_whole(by_centre):
    district = {"c1": "Konak", "c2": "Konak", "c3": "Buca", "c4": "Çiğli"}
    districts = by_group(by_centre, district.__getitem__)
    assert set(districts) == {district[c] for c in by_centre}
    city = by_group(districts, lambda _district: "İzmir")
    assert city.get("İzmir", {}) == add_up(by_centre.values())


@PROPERTY
@given(counts, counts)
def test_compare_gives_the_difference_of_each_indicator_total(current, other):
    changes = compare(current, other)
    for indicator, change in changes.items():
        assert change.current == total(current, indicator)
        assert change.other == total(other, indicator)
        assert change.difference == change.current - change.other
        assert (change.percent is None) == (change.other == 0)
    assert set(changes) == {c.indicator for c in current} | {c.indicator for c in other}
    for cell, change in compare_cells(current, other).items():
        assert (change.current, change.other) == (current.get(cell, 0), other.get(cell, 0))


def test_percent_change():
    assert Change(15, 10).percent == 50.0
    assert Change(5, 10).percent == -50.0
    assert Change(3, 0).percent is None


def test_compare_month_uses_the_previous_month_and_the_same_month_last_year():
    march = Period(2026, 3)
    by_month = {march: {CELLS[0]: 9}, Period(2026, 2): {CELLS[0]: 4}, Period(2025, 3): {CELLS[0]: 12}, Period(2025, 4): {CELLS[0]: 99}}
    result = compare_month(by_month, march)
    assert result.previous["NEW_APPLICANTS"] == Change(9, 4)
    assert result.last_year["NEW_APPLICANTS"] == Change(9, 12)


@PROPERTY
@given(months_2025, st.integers(1, 12), st.integers(1, 24))
def test_trend_lists_each_month_up_to_the_end_with_missing_months_as_zero(by_month, end_month, length):
    end = Period(2025, end_month)
    series = trend(by_month, end, "NEW_APPLICANTS", months=length)
    assert [period for period, _ in series] == [end.plus(offset) for offset in range(1 - length, 1)]
    for period, value in series:
        assert value == total(by_month.get(period, {}), "NEW_APPLICANTS")


@PROPERTY
@given(counts)
def test_breakdown_by_the_only_dimension_adds_up_to_the_total(values):
    assert sum(breakdown(values, "VIOLENCE_TYPE", "violence").values()) == total(values, "VIOLENCE_TYPE")
    assert breakdown(values, "VIOLENCE_TYPE", "age") == {}
