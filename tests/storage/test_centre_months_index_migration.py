"""Migrations 9 and 12 index the coordinator's centre months and counts by month (15 drops the
counts' index again): a store made by the previous version (tests/fixtures/schema-5, filled at
the schema before this migration) is upgraded, its figures read the same afterwards, and a
month's rows are found through the months' index."""

from __future__ import annotations

from caseworker.app import coordination
from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator

CHILDREN = CellKey.of("WITH_CHILDREN")
OLDER = CellKey.of("NEW_APPLICANTS", {"age": "65+"})


def _fill(session) -> None:
    """Three centres' first quarter, written as an import of that version left them (its schema, its basis table)."""
    with session.transaction() as conn:
        for number in range(3):
            centre_id = f"centre-{number}"
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"Merkez {number}", "Konak", "2025-01-01T00:00:00+00:00"))
            for month in range(1, 4):
                period, received = f"2025-{month:02d}", f"2025-{month + 1:02d}-05T10:00:00+00:00"
                conn.execute("INSERT INTO centre_months (centre_id, period, status, sequence, bundle_id, first_received_at, received_at, "
                             "submitted_received_at, catalogue_version, has_basis, basis_keyed) VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, 1, 1, 1)",
                             (centre_id, period, month, f"{number}{month:031d}", received, received, received))
                for table in ("centre_counts", "centre_public_basis"):
                    conn.executemany(f"INSERT INTO {table} (centre_id, period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?, ?)",
                                     [(centre_id, period, "WITH_CHILDREN", "", number + month, 1), (centre_id, period, "NEW_APPLICANTS", "age=65+", 10 * number + 1, 2)])


def test_an_older_coordinator_store_is_upgraded_and_reads_the_same(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    with earlier_coordinator(home, 8, monkeypatch) as session:
        _fill(session)
        before = [coordination.consolidated(session, Period(2025, month), district="Konak") for month in range(1, 4)]  # every centre, named
        grid = coordination.reporting_rate(session, Period(2025, 1), Period(2025, 3), deadline_day=10)

    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 9
        with session.reading() as conn:
            indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            assert "centre_months_by_period" in indexes
            assert "centre_counts_by_period" not in indexes  # dropped by migration 15, when the city's sums came to be kept
            plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN SELECT centre_id FROM centre_months WHERE period = ?", ("2025-02",)))
            assert "centre_months_by_period" in plan
            assert sync_repo.summed_values(conn, "2025-02") == {CHILDREN: 2 + 3 + 4, OLDER: 1 + 11 + 21}
            assert sync_repo.summed_values(conn, "2025-02", [f"centre-{n}" for n in range(100)]) == {CHILDREN: 2 + 3 + 4, OLDER: 1 + 11 + 21}
            assert sync_repo.centre_values(conn, "2025-02") == {f"centre-{n}": {CHILDREN: n + 2, OLDER: 10 * n + 1} for n in range(3)}
        after = [coordination.consolidated(session, Period(2025, month)) for month in range(1, 4)]
        assert [(month.values, month.statuses) for month in after] == [(month.values, month.statuses) for month in before]
        assert after[1].values == {CHILDREN: 2 + 3 + 4, OLDER: 1 + 11 + 21}
        assert after[1].statuses == {f"centre-{n}": "submitted" for n in range(3)}
        assert coordination.reporting_rate(session, Period(2025, 1), Period(2025, 3), deadline_day=10) == grid
