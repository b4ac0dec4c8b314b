"""A centre's figures as first submitted (the basis of public editions) are kept once: a month
submitted and never changed reads its basis from its counts and writes nothing twice; a later
snapshot that replaces the counts keeps the basis; a snapshot with a basis of its own replaces
it; and a store whose bases were written apart by an earlier version (before migration 11) is
upgraded and reads the same; a range of months sums both kinds of month."""

from __future__ import annotations

from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator

NOW = "2026-11-01T00:00:00+00:00"
CENTRE = "konak-0001"
APPLICANTS = CellKey.of("NEW_APPLICANTS", {"age": "25-34"})
CHILDREN = CellKey("WITH_CHILDREN")


def _put(conn, period, status, sequence, counts, basis) -> None:
    sync_repo.replace_centre_month(conn, CENTRE, period, status, sequence, f"{sequence:032x}", 1, counts, basis, NOW)


def _kept_apart(conn) -> int:
    return conn.execute("SELECT count(*) FROM centre_public_basis").fetchone()[0]


def test_a_month_submitted_once_keeps_its_basis_in_its_counts_only(coordinator):
    first = {APPLICANTS: KeyedCount(4, 11), CHILDREN: KeyedCount(1, 12)}
    with coordinator.transaction() as conn:
        sync_repo.upsert_centre(conn, sync_repo.Centre(CENTRE, "Konak", "Konak", NOW))
        _put(conn, "2026-01", "submitted", 1, first, first)
        _put(conn, "2026-02", "open", 2, {CHILDREN: KeyedCount(2, 5)}, None)
    with coordinator.reading() as conn:
        assert sync_repo.centre_bases(conn, "2026-01") == {CENTRE: first}
        assert sync_repo.centre_bases(conn, "2026-02") == {}
        assert _kept_apart(conn) == 0


def test_figures_changed_later_leave_the_basis_as_first_submitted(coordinator):
    first = {APPLICANTS: KeyedCount(4, 11), CHILDREN: KeyedCount(1, 12)}
    changed = {APPLICANTS: KeyedCount(5, 13)}
    own_basis = {APPLICANTS: KeyedCount(3, 14)}
    with coordinator.transaction() as conn:
        sync_repo.upsert_centre(conn, sync_repo.Centre(CENTRE, "Konak", "Konak", NOW))
        _put(conn, "2026-01", "submitted", 1, first, first)
        _put(conn, "2026-01", "reopened", 2, changed, None)
    with coordinator.reading() as conn:
        assert sync_repo.centre_bases(conn, "2026-01") == {CENTRE: first}
        assert sync_repo.centre_values(conn, "2026-01") == {CENTRE: {APPLICANTS: 5}}
        assert _kept_apart(conn) == 2
    with coordinator.transaction() as conn:
        _put(conn, "2026-01", "submitted", 3, changed, changed)  # submitted again: the basis stays apart, unchanged
        _put(conn, "2026-01", "submitted", 4, changed, own_basis)  # a snapshot carrying its own first figures replaces them
    with coordinator.reading() as conn:
        assert sync_repo.centre_bases(conn, "2026-01") == {CENTRE: own_basis}
        assert _kept_apart(conn) == 1
    with coordinator.transaction() as conn:
        _put(conn, "2026-01", "submitted", 5, changed, changed)
    with coordinator.reading() as conn:
        assert sync_repo.centre_bases(conn, "2026-01") == {CENTRE: changed}
        assert _kept_apart(conn) == 0


def test_bases_written_apart_before_migration_11_read_the_same_after_it(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    with earlier_coordinator(home, 10, monkeypatch) as session, session.transaction() as conn:
        sync_repo.upsert_centre(conn, sync_repo.Centre(CENTRE, "Konak", "Konak", NOW))
        conn.execute("INSERT INTO centre_months (centre_id, period, status, sequence, bundle_id, first_received_at, received_at, "
                     "submitted_received_at, catalogue_version, has_basis, basis_keyed) VALUES (?, '2026-01', 'submitted', 1, 'b', ?, ?, ?, 1, 1, 1)",
                     (CENTRE, NOW, NOW, NOW))
        for table in ("centre_counts", "centre_public_basis"):
            conn.execute(f"INSERT INTO {table} (centre_id, period, indicator, options, value, noise_key) VALUES (?, '2026-01', 'WITH_CHILDREN', '', 3, 9)",
                         (CENTRE,))
    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 11
        with session.reading() as conn:
            assert sync_repo.centre_bases(conn, "2026-01")[CENTRE] == {CHILDREN: KeyedCount(3, 9)}
        with session.transaction() as conn:
            _put(conn, "2026-01", "reopened", 2, {CHILDREN: KeyedCount(4, 10)}, None)
        with session.reading() as conn:
            assert sync_repo.centre_bases(conn, "2026-01")[CENTRE] == {CHILDREN: KeyedCount(3, 9)}
            assert sync_repo.centre_values(conn, "2026-01")[CENTRE] == {CHILDREN: 4}


def test_a_range_of_bases_adds_months_kept_apart_to_months_read_from_their_counts(coordinator):
    january = {APPLICANTS: KeyedCount(4, 11), CHILDREN: KeyedCount(1, KEY_MODULUS - 1)}
    february = {APPLICANTS: KeyedCount(2, 7)}
    with coordinator.transaction() as conn:
        sync_repo.upsert_centre(conn, sync_repo.Centre(CENTRE, "Konak", "Konak", NOW))
        _put(conn, "2026-01", "submitted", 1, january, january)
        _put(conn, "2026-01", "reopened", 3, february, None)  # January's basis now kept apart
        _put(conn, "2026-02", "submitted", 2, february, february)  # February's read from its counts
        _put(conn, "2026-03", "submitted", 4, {CHILDREN: KeyedCount(0, 0)}, {CHILDREN: KeyedCount(0, 0)})  # submitted, nothing counted
    with coordinator.reading() as conn:
        assert _kept_apart(conn) == 2
        assert sync_repo.centre_basis_sums(conn, "2026-01", "2026-02") == {CENTRE: {APPLICANTS: KeyedCount(6, 18), CHILDREN: KeyedCount(1, KEY_MODULUS - 1)}}
        assert sync_repo.centre_basis_sums(conn, "2026-02", "2026-03") == {CENTRE: february}
        assert sync_repo.centre_basis_sums(conn, "2026-03", "2026-03") == {CENTRE: {}}
        assert sync_repo.centre_basis_sums(conn, "2026-04", "2026-05") == {}
