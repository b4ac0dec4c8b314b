"""Migration 15 keeps the city's sum of each cell, month by month, and drops the counts' index by
month: a store made by the previous version (tests/fixtures/schema-5, filled at schema 14) is
upgraded, the sums of the months it held are those of their counts, the city's figures read the
same, and a month sent again afterwards moves the sums with it."""

from __future__ import annotations

from caseworker.app import coordination
from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo
from caseworker.storage.cell_rows import options_text
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator, write_months_as_before

NOW = "2025-04-05T10:00:00+00:00"
OLDER = CellKey.of("NEW_APPLICANTS", {"age": "65+"})
YOUNG = CellKey.of("NEW_APPLICANTS", {"age": "18-24"})
SESSIONS = CellKey.of("SESSIONS")
# {(centre, month): {cell: value}} as the previous version stored them
HELD = {
    ("centre-0", "2025-01"): {OLDER: 1, SESSIONS: 4},
    ("centre-0", "2025-02"): {SESSIONS: 9},
    ("centre-1", "2025-01"): {YOUNG: 3, SESSIONS: 5},
    ("centre-1", "2025-02"): {},
    ("centre-2", "2025-01"): {OLDER: 2},
}


def _fill(session) -> None:
    """The months as that version's import wrote them: its month rows and their counts, no city sums
    (nor the months' indicator totals, which are not read here)."""
    with session.transaction() as conn:
        for number, district in enumerate(("Konak", "Buca", "Konak")):
            sync_repo.upsert_centre(conn, sync_repo.Centre(f"centre-{number}", f"{district} KDM {number}", district, "2024-12-01T00:00:00+00:00"))
        write_months_as_before(conn, {month: [(cell.indicator, options_text(cell), value) for cell, value in cells.items()]
                                      for month, cells in HELD.items()}, NOW)


def test_the_months_held_get_the_citys_sums_of_their_counts(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    with earlier_coordinator(home, 14, monkeypatch) as session:
        _fill(session)
        with session.reading() as conn:  # that version summed every centre's counts of the month
            before = [sync_repo.summed_values(conn, f"2025-0{month}", ["centre-0", "centre-1", "centre-2"]) for month in (1, 2)]
        konak = coordination.consolidated(session, Period(2025, 1), district="Konak")

    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 15
        with session.reading() as conn:
            kept = {row[:3]: row[3] for row in conn.execute("SELECT period, indicator, options, value FROM city_counts")}
            counted = {row[:3]: row[3] for row in conn.execute("SELECT period, indicator, options, sum(value) FROM centre_counts GROUP BY 1, 2, 3")}
            indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert kept == counted  # the months the store held before, as well as those filled here
        assert {key: value for key, value in kept.items() if key[0] < "2025-03"} == {("2025-01", "NEW_APPLICANTS", "age=65+"): 3, ("2025-01", "NEW_APPLICANTS", "age=18-24"): 3,
                        ("2025-01", "SESSIONS", ""): 9, ("2025-02", "SESSIONS", ""): 9}
        assert "centre_counts_by_period" not in indexes
        after = [coordination.consolidated(session, Period(2025, month)) for month in (1, 2)]
        assert [month.values for month in after] == before
        assert after[0].values == {OLDER: 3, YOUNG: 3, SESSIONS: 9}
        assert coordination.consolidated(session, Period(2025, 1), district="Konak") == konak

        with session.transaction() as conn:  # a month sent again after the upgrade moves the sums
            sync_repo.replace_centre_month(conn, "centre-2", "2025-01", "reopened", 9, "b9", 1, {SESSIONS: KeyedCount(1, 3)}, None, NOW)
            sync_repo.replace_centre_month(conn, "centre-1", "2025-03", "submitted", 10, "b10", 1, {YOUNG: KeyedCount(2, 4)}, None, NOW)
        assert coordination.consolidated(session, Period(2025, 1)).values == {OLDER: 1, YOUNG: 3, SESSIONS: 10}
        assert coordination.consolidated(session, Period(2025, 3)).values == {YOUNG: 2}
