"""The coordinator's import in batches: each bundle all or nothing under its own savepoint, a
refused bundle in the middle of a batch changing nothing, a process killed mid-batch losing
nothing it reported as imported, and the city's sums following months sent again inside a batch
and across batches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from caseworker.app import sync_import, sync_keys
from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.storage import audit
from caseworker.storage import sync as sync_repo
from caseworker.sync import bundle_file
from caseworker.sync.bundles import seal
from caseworker.sync.payload import MonthSnapshot, Payload
from tests.conftest import PACKAGE_PARENT, PASSPHRASE

CHILDREN = CellKey.of("WITH_CHILDREN")
OLDER = CellKey.of("NEW_APPLICANTS", {"age": "65+"})


def _month(sequence: int) -> MonthSnapshot:
    """Each bundle its own month, with its sequence as the figure, so what landed is readable."""
    values = {CHILDREN: KeyedCount(sequence, 1000 + sequence)}
    return MonthSnapshot(str(Period(2024, 1).plus(sequence)), "submitted", 1, values, values)


def _bundle(centre, coordinator, folder: Path, sequence: int, bundle_id: str | None = None, name: str | None = None,
            month: MonthSnapshot | None = None) -> Path:
    ident = sync_keys.identity(centre)
    payload = Payload(bundle_id or f"{sequence:032x}", ident.centre_id, sequence, "2026-11-01T00:00:00+00:00", 1, None, (month or _month(sequence),))
    data, _ = seal(payload, sync_keys.signing_key(centre), list(sync_keys.profile(coordinator).age_recipients))
    path = folder / (name or f"{sequence:04d}.cwbundle")
    path.write_bytes(data)
    return path


def _stored(conn) -> dict[str, object]:
    months = dict(conn.execute("SELECT period, sequence FROM centre_months").fetchall())
    return {
        "received": sorted(row[0] for row in conn.execute("SELECT sequence FROM received_bundles")),
        "months": months,
        "counts": dict(conn.execute("SELECT period, value FROM centre_counts").fetchall()),
        # One centre: the city's sum of each month is its count, kept as the counts are written.
        "city": dict(conn.execute("SELECT period, value FROM city_counts WHERE value > 0").fetchall()),
        "basis": {period: cells[CHILDREN].value for period in months for cells in sync_repo.centre_bases(conn, period).values()},
        "log": sorted(conn.execute("SELECT file_name, status FROM import_log").fetchall()),
        "audit": sorted(e.subject for e in audit.latest(conn, 100_000) if e.action == "sync.import"),
    }


def _expected(centre_id: str, sequences: list[int]) -> dict[str, object]:
    return {
        "received": sorted(sequences),
        "months": {str(_month(s).period): s for s in sequences},
        "counts": {str(_month(s).period): s for s in sequences},
        "city": {str(_month(s).period): s for s in sequences},
        "basis": {str(_month(s).period): s for s in sequences},
        "audit": sorted(f"{centre_id} {s}" for s in sequences),
    }


def test_a_refused_bundle_inside_a_batch_changes_nothing_and_its_neighbours_are_imported(pair, tmp_path, monkeypatch, english):
    centre, coordinator = pair
    monkeypatch.setattr(sync_import, "BATCH_SIZE", 4)
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = [1, 2, 3, 5, 6, 7, 8]
    for sequence in good:
        _bundle(centre, coordinator, folder, sequence)
    # Refused by the checks before the store is touched: a payload altered after signing.
    encrypted, signature = bundle_file.unpack(_bundle(centre, coordinator, tmp_path, 9).read_bytes())
    (folder / "0004a.cwbundle").write_bytes(bundle_file.pack(encrypted[:-1] + bytes([encrypted[-1] ^ 1]), signature))
    # Refused inside the batch's transaction, after its savepoint was opened: a sequence already used.
    _bundle(centre, coordinator, folder, 3, bundle_id="e" * 32, name="0004b.cwbundle")

    outcomes = sync_import.import_bundles(coordinator, [folder])

    assert [(o.file, o.status) for o in outcomes] == [
        ("0001.cwbundle", "imported"), ("0002.cwbundle", "imported"), ("0003.cwbundle", "imported"),
        ("0004a.cwbundle", "rejected"), ("0004b.cwbundle", "rejected"),
        ("0005.cwbundle", "imported"), ("0006.cwbundle", "imported"), ("0007.cwbundle", "imported"), ("0008.cwbundle", "imported"),
    ]
    assert "altered or forged" in outcomes[3].reason
    assert "sequence 3" in outcomes[4].reason and "already used" in outcomes[4].reason
    centre_id = sync_keys.keys(centre).centre_id
    with coordinator.reading() as conn:
        stored = _stored(conn)
        reasons = dict(conn.execute("SELECT file_name, reason FROM import_log WHERE status = 'rejected'").fetchall())
    log = stored.pop("log")
    assert stored == _expected(centre_id, good)  # the month of the refused sequence-3 bundle is the good one's
    assert log == sorted((o.file, o.status) for o in outcomes)  # every file has its line, with its outcome
    assert reasons == {"0004a.cwbundle": outcomes[3].reason, "0004b.cwbundle": outcomes[4].reason}


def test_progress_counts_only_committed_bundles_and_a_dry_run_judges_each_on_the_store_as_it_was(pair, tmp_path, monkeypatch):
    centre, coordinator = pair
    monkeypatch.setattr(sync_import, "BATCH_SIZE", 3)
    folder = tmp_path / "inbox"
    folder.mkdir()
    for sequence in range(1, 8):
        _bundle(centre, coordinator, folder, sequence)
    (folder / "0001-again.cwbundle").write_bytes((folder / "0001.cwbundle").read_bytes())  # the same bundle twice in one batch

    dry = sync_import.import_bundles(coordinator, [folder], dry_run=True)
    assert [o.status for o in dry] == ["imported"] * 8  # the copy is judged against the store before the original
    with coordinator.reading() as conn:
        assert _stored(conn)["received"] == [] and _stored(conn)["log"] == []

    seen: list[tuple[int, int, list[int]]] = []

    def progress(done: int, total: int) -> None:
        with coordinator.reading() as conn:
            seen.append((done, total, _stored(conn)["received"]))

    outcomes = sync_import.import_bundles(coordinator, [folder], progress=progress)
    assert [o.status for o in outcomes] == ["imported", "duplicate"] + ["imported"] * 6
    assert [done for done, _, _ in seen] == list(range(1, 9)) and {total for _, total, _ in seen} == {8}
    for done, _, received in seen:  # each bundle counted as done is already committed
        assert len(received) >= sum(o.status == "imported" for o in outcomes[:done])


def test_the_citys_sums_follow_months_replaced_inside_a_batch_and_across_batches(pair, tmp_path, monkeypatch):
    """Two months sent again and again, a later snapshot with fewer cells, files in another order
    than their sequences (so some snapshots come after a newer one and change nothing): after a
    dry run the city's sums are as before, after the import the sums of the counts held."""
    centre, coordinator = pair
    monkeypatch.setattr(sync_import, "BATCH_SIZE", 4)
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, sequence in enumerate([1, 2, 3, 6, 4, 5, 7, 9, 8, 10]):
        values = {CHILDREN: KeyedCount(sequence, sequence)} | ({OLDER: KeyedCount(2 * sequence, sequence)} if sequence % 3 else {})
        month = MonthSnapshot(f"2024-0{1 + sequence % 2}", "submitted", 1, values, values)
        _bundle(centre, coordinator, folder, sequence, name=f"{name:02d}.cwbundle", month=month)

    def sums(conn) -> tuple[dict, dict]:
        city = {row[:3]: row[3] for row in conn.execute("SELECT period, indicator, options, value FROM city_counts WHERE value > 0")}
        held = {row[:3]: row[3] for row in conn.execute("SELECT period, indicator, options, sum(value) FROM centre_counts GROUP BY 1, 2, 3")}
        return city, held

    assert {o.status for o in sync_import.import_bundles(coordinator, [folder], dry_run=True)} == {"imported"}
    with coordinator.reading() as conn:
        assert sums(conn) == ({}, {})
    sync_import.import_bundles(coordinator, [folder])
    with coordinator.reading() as conn:
        city, held = sums(conn)
    # The newest snapshots: sequence 10 (January, both cells) and 9 (February, one cell).
    assert city == held == {("2024-01", "NEW_APPLICANTS", "age=65+"): 20, ("2024-01", "WITH_CHILDREN", ""): 10,
                            ("2024-02", "WITH_CHILDREN", ""): 9}


KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from caseworker.app import sync_import
from caseworker.app.session import Credentials, unlock
from caseworker.storage import sync as sync_repo

sync_import.BATCH_SIZE = int(sys.argv[4])
kill_at = int(sys.argv[5])
added = 0
add_received = sync_repo.add_received

def add_then_die(*args, **kwargs):
    global added
    add_received(*args, **kwargs)
    added += 1
    if added == kill_at:  # between two bundles of a batch: this one stored under its savepoint, the batch not committed
        os.kill(os.getpid(), signal.SIGKILL)

sync_repo.add_received = add_then_die
session = unlock(Path(sys.argv[1]), Credentials("koord", sys.argv[2]))
sync_import.import_bundles(session, [Path(sys.argv[3])], progress=lambda done, total: print(done, flush=True))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems")
@pytest.mark.parametrize("kill_at", [6, 11])
def test_a_kill_between_bundles_of_a_batch_loses_nothing_reported_and_leaves_no_half_bundle(pair, tmp_path, kill_at):
    centre, coordinator = pair
    centre_id = sync_keys.keys(centre).centre_id
    folder = tmp_path / "inbox"
    folder.mkdir()
    sequences = list(range(1, 13))
    for sequence in sequences:
        _bundle(centre, coordinator, folder, sequence)
    home = coordinator.store.paths.home
    coordinator.close()

    child = subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(home), PASSPHRASE, str(folder), "4", str(kill_at)],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": PACKAGE_PARENT}, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr
    reported = [int(line) for line in child.stdout.split()]
    committed = (kill_at - 1) // 4 * 4  # the batches of four finished before the kill
    assert reported == list(range(1, committed + 1))

    with unlock(home, Credentials("koord", PASSPHRASE)) as session:
        with session.reading() as conn:
            stored = _stored(conn)
        log = stored.pop("log")
        assert stored == _expected(centre_id, sequences[:committed])  # every reported bundle whole, nothing of the batch cut short
        assert log == [(f"{s:04d}.cwbundle", "imported") for s in sequences[:committed]]
        again = sync_import.import_bundles(session, [folder])
        assert [o.status for o in again] == ["duplicate"] * committed + ["imported"] * (len(sequences) - committed)
        with session.reading() as conn:
            stored = _stored(conn)
        stored.pop("log")
        assert stored == _expected(centre_id, sequences)
