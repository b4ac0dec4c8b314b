"""Migration 14 keeps each centre's month's indicator totals beside its counts: a store made by
the previous version (tests/fixtures/schema-5, filled at schema 13) is upgraded, every month it
held gets the totals of its counts, a month without a count none, and the City figures read them."""

from __future__ import annotations

from caseworker.app import city_view
from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator, write_months_as_before

NOW = "2025-04-05T10:00:00+00:00"
# {(centre, month): [(indicator, options, value), ...]} as the previous version stored them
HELD = {
    ("centre-0", "2025-01"): [("NEW_APPLICANTS", "age=25-34", 4), ("NEW_APPLICANTS", "age=65+", 1), ("WITH_CHILDREN", "", 2)],
    ("centre-0", "2025-02"): [("SESSIONS", "", 9)],
    ("centre-1", "2025-01"): [("NEW_APPLICANTS", "age=18-24", 3), ("SESSIONS", "", 5), ("SESSIONS", "kind=online", 2)],
    ("centre-1", "2025-02"): [],
}


def _fill(session) -> None:
    with session.transaction() as conn:
        for number, district in enumerate(("Konak", "Buca")):
            sync_repo.upsert_centre(conn, sync_repo.Centre(f"centre-{number}", f"{district} KDM", district, "2024-12-01T00:00:00+00:00"))
        write_months_as_before(conn, HELD, NOW)


def test_the_months_held_get_the_totals_of_their_counts(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    with earlier_coordinator(home, 13, monkeypatch) as session:
        _fill(session)

    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 14
        with session.reading() as conn:
            assert sync_repo.indicator_totals(conn, "2025-01", "2025-02") == {
                ("centre-0", "2025-01"): {"NEW_APPLICANTS": 5, "WITH_CHILDREN": 2},
                ("centre-0", "2025-02"): {"SESSIONS": 9},
                ("centre-1", "2025-01"): {"NEW_APPLICANTS": 3, "SESSIONS": 7},
            }
            assert sync_repo.city_totals_by_month(conn, "2025-01", "2025-02", ["centre-0", "centre-1"]) == {
                "2025-01": {"NEW_APPLICANTS": 8, "WITH_CHILDREN": 2, "SESSIONS": 7}, "2025-02": {"SESSIONS": 9}}
        view = city_view.city_view(session, Period(2025, 1), Period(2025, 2))
        totals = {row.district: row.total for row in view.districts("NEW_APPLICANTS")}
        assert (totals["Konak"], totals["Buca"]) == (5, 3)
        assert [point.value for point in view.trend("SESSIONS")] == [7, 9]

        with session.transaction() as conn:  # a month sent again after the upgrade replaces its totals
            sync_repo.replace_centre_month(conn, "centre-1", "2025-01", "reopened", 9, "b9", 1,
                                           {CellKey.of("SESSIONS"): KeyedCount(1, 3)}, None, NOW)
        with session.reading() as conn:
            assert sync_repo.indicator_totals(conn, "2025-01", "2025-01")[("centre-1", "2025-01")] == {"SESSIONS": 1}
