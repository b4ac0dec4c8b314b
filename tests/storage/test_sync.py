"""Reading the centres' figures of a range in one pass: the same figures as month by month,
only the months of the status asked for, and a month held without any count; each indicator's
total of a range, the sum of the cells held, following each new snapshot of a month; a range
summed by the database, for every centre or those named; the city's totals month by month, of
the centres named; the city's sums of each month kept, whatever the order of the snapshots
written and undone."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.app import catalogue as catalogue_uc
from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.stats.aggregate import totals
from caseworker.storage import sync as sync_repo

NOW = "2026-11-01T00:00:00+00:00"
APPLICANTS = CellKey.of("NEW_APPLICANTS", {"age": "25-34"})
CHILDREN = CellKey("WITH_CHILDREN")


def _random_months(coordinator, seed: int, districts: list[str], months_of, cells_a_month: int) -> None:
    """Centres ``centre-0``, ``centre-1`` … (one per district named), each submitting the months
    ``months_of(number)`` with ``cells_a_month`` cells drawn at random (counts 0 to 3)."""
    rng = random.Random(seed)
    catalogue = catalogue_uc.current(coordinator)
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    with coordinator.transaction() as conn:
        for number, district in enumerate(districts):
            centre_id = f"centre-{number}"
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"{district} KDM", district, NOW))
            for sequence, period in enumerate(months_of(number), start=1):
                values = {cell: KeyedCount(rng.randint(0, 3), rng.randrange(KEY_MODULUS)) for cell in rng.sample(cells, cells_a_month)}
                sync_repo.replace_centre_month(conn, centre_id, str(period), "submitted", sequence, f"b{number}{sequence}", catalogue.version,
                                               values, values, NOW)


def test_a_range_in_one_pass_matches_month_by_month(coordinator):
    months = {
        ("konak-0001", "2026-01"): ("submitted", {APPLICANTS: 4, CHILDREN: 1}),
        ("konak-0001", "2026-02"): ("open", {APPLICANTS: 2}),
        ("buca-0002", "2026-01"): ("submitted", {}),
        ("buca-0002", "2026-04"): ("submitted", {CHILDREN: 3}),
    }
    with coordinator.transaction() as conn:
        for centre_id in ("konak-0001", "buca-0002"):
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, centre_id, "Konak", NOW))
        for (centre_id, period), (status, values) in months.items():
            counts = {cell: KeyedCount(value, 7) for cell, value in values.items()}
            sync_repo.replace_centre_month(conn, centre_id, period, status, 1, "b", 1, counts, None, NOW)
    with coordinator.reading() as conn:
        every = sync_repo.centre_counts_between(conn, "2026-01", "2026-03")
        approved = sync_repo.centre_counts_between(conn, "2026-01", "2026-03", "submitted")
        versions = sync_repo.centre_month_catalogues(conn, "2026-01", "2026-12")
        by_month = {(centre_id, period): values for period in ("2026-01", "2026-02")
                    for centre_id, values in sync_repo.centre_values(conn, period).items()}
    assert {key: dict(pairs) for key, pairs in every.items() if pairs} == by_month
    assert set(every) == {("konak-0001", "2026-01"), ("konak-0001", "2026-02"), ("buca-0002", "2026-01")}
    assert {key: dict(pairs) for key, pairs in approved.items()} == {("konak-0001", "2026-01"): {APPLICANTS: 4, CHILDREN: 1},
                                                                    ("buca-0002", "2026-01"): {}}
    assert versions == {key: 1 for key in months}


def test_indicator_totals_of_a_range_are_the_sums_of_the_cells(coordinator):
    months = [Period(2025, 11).plus(i) for i in range(4)]
    _random_months(coordinator, 5, ["Konak", "Buca"], lambda number: months, 40)
    with coordinator.reading() as conn:
        found = sync_repo.indicator_totals(conn, str(months[1]), str(months[2]))
        expected = {(centre_id, str(period)): totals(values) for period in months[1:3]
                    for centre_id, values in sync_repo.centre_values(conn, str(period)).items()}
    assert found == expected and {period for _, period in found} == {"2025-12", "2026-01"} and len(found) == 4


def test_indicator_totals_follow_every_new_snapshot_of_a_month(coordinator):
    """Kept with the month as it is written: a month sent again with other counts, with fewer
    indicators, with no count at all, with and without its basis, reads the totals of its last
    snapshot only."""
    months = [Period(2026, 1).plus(i) for i in range(3)]
    _random_months(coordinator, 11, ["Konak", "Buca"], lambda number: months, 25)
    rng = random.Random(12)
    catalogue = catalogue_uc.current(coordinator)
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    with coordinator.transaction() as conn:
        for sequence, (centre_id, period, drawn) in enumerate([("centre-0", "2026-01", 40), ("centre-1", "2026-01", 3),
                                                              ("centre-0", "2026-02", 0), ("centre-1", "2026-03", 10)], start=10):
            values = {cell: KeyedCount(rng.randint(1, 5), rng.randrange(KEY_MODULUS)) for cell in rng.sample(cells, drawn)}
            sync_repo.replace_centre_month(conn, centre_id, period, "reopened", sequence, f"again{sequence}", catalogue.version,
                                           values, values if sequence % 2 else None, NOW)
    with coordinator.reading() as conn:
        found = sync_repo.indicator_totals(conn, "2026-01", "2026-03")
        expected = {(centre_id, str(period)): totals(values) for period in months
                    for centre_id, values in sync_repo.centre_values(conn, str(period)).items() if values}
    assert found == expected
    assert ("centre-0", "2026-02") not in found and len(found) == 5
    assert len(found[("centre-1", "2026-01")]) <= 3


def test_the_citys_totals_by_month_are_the_sums_of_the_centres_named(coordinator):
    months = [Period(2025, 11).plus(i) for i in range(4)]
    _random_months(coordinator, 8, ["Konak"] * 3, lambda number: months[number:], 30)
    with coordinator.transaction() as conn:
        sync_repo.replace_centre_month(conn, "centre-0", "2025-10", "open", 9, "b09", 1, {}, None, NOW)  # held, no count
    named = ["centre-1", "centre-2"]
    with coordinator.reading() as conn:
        found = sync_repo.city_totals_by_month(conn, "2025-10", "2026-01", named)
        expected = {}
        for period in ("2025-10", "2025-11", "2025-12", "2026-01"):
            for centre_id, values in sync_repo.centre_values(conn, period, named).items():
                for indicator, total in totals(values).items():
                    expected.setdefault(period, {}).setdefault(indicator, 0)
                    expected[period][indicator] += total
    assert found == expected and set(found) == {"2025-12", "2026-01"}  # centre-0's months are not asked for


def test_a_range_summed_by_the_database_is_the_sum_of_its_months(coordinator):
    months = [Period(2025, 11).plus(i) for i in range(4)]
    _random_months(coordinator, 9, ["Konak"] * 3, lambda number: months, 30)
    with coordinator.reading() as conn:
        every = sync_repo.centre_sums(conn, "2025-12", "2026-02")
        named = sync_repo.centre_sums(conn, "2025-12", "2026-02", ["centre-2", "centre-0"])
        expected: dict[str, dict[CellKey, int]] = {}
        for period in ("2025-12", "2026-01", "2026-02"):
            for centre_id, values in sync_repo.centre_values(conn, period).items():
                for cell, value in values.items():
                    expected.setdefault(centre_id, {}).setdefault(cell, 0)
                    expected[centre_id][cell] += value
    assert every == expected and named == {key: expected[key] for key in ("centre-0", "centre-2")}


CENTRES = [f"centre-{number}" for number in range(3)]
PERIODS = ["2026-01", "2026-02"]
CELLS = [APPLICANTS, CHILDREN, CellKey.of("NEW_APPLICANTS", {"age": "65+"}), CellKey.of("SESSIONS")]
SNAPSHOT = st.tuples(st.sampled_from(CENTRES), st.sampled_from(PERIODS), st.dictionaries(st.sampled_from(CELLS), st.integers(0, 5)),
                     st.booleans(), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snapshots=st.lists(SNAPSHOT, max_size=12))
def test_the_citys_sums_kept_are_the_sums_of_the_counts_held(coordinator, snapshots):
    """Snapshots of months written in any order, a month replaced by fewer cells or by none, with
    or without a basis, and some written in a transaction that is then undone: the city's sums
    read for every month are the sums of the centres' counts held, cell by cell, and no cell is
    read that every centre's counts left."""
    with coordinator.transaction() as conn:
        for centre_id in CENTRES:
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, centre_id, "Konak", NOW))
    for number, (centre_id, period, values, with_basis, undone) in enumerate(snapshots):
        counts = {cell: KeyedCount(value, number) for cell, value in values.items()}
        try:
            with coordinator.transaction() as conn:
                sync_repo.replace_centre_month(conn, centre_id, period, "submitted", number, f"b{number}", 1, counts, counts if with_basis else None, NOW)
                if undone:
                    raise _Undone
        except _Undone:
            pass
    with coordinator.reading() as conn:
        for period in PERIODS:
            expected: dict[CellKey, int] = {}
            for values in sync_repo.centre_values(conn, period).values():
                for cell, value in values.items():
                    expected[cell] = expected.get(cell, 0) + value
            assert sync_repo.summed_values(conn, period) == expected
            assert sync_repo.summed_values(conn, period, CENTRES) == expected


class _Undone(Exception):
    """Raised to undo a transaction."""


def test_a_month_replaced_by_fewer_cells_leaves_the_citys_sums_of_the_others(coordinator):
    with coordinator.transaction() as conn:
        for centre_id in CENTRES[:2]:
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, centre_id, "Konak", NOW))
        sync_repo.replace_centre_month(conn, "centre-0", "2026-01", "submitted", 1, "b1", 1, {APPLICANTS: KeyedCount(4, 1), CHILDREN: KeyedCount(2, 2)}, None, NOW)
        sync_repo.replace_centre_month(conn, "centre-1", "2026-01", "submitted", 1, "b2", 1, {APPLICANTS: KeyedCount(3, 3)}, None, NOW)
    with coordinator.reading() as conn:
        assert sync_repo.summed_values(conn, "2026-01") == {APPLICANTS: 7, CHILDREN: 2}
    with coordinator.transaction() as conn:
        sync_repo.replace_centre_month(conn, "centre-0", "2026-01", "reopened", 2, "b3", 1, {APPLICANTS: KeyedCount(1, 1)}, None, NOW)
    with coordinator.reading() as conn:
        assert sync_repo.summed_values(conn, "2026-01") == {APPLICANTS: 4}
        assert sync_repo.summed_values(conn, "2026-02") == {}
