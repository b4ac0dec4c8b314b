"""A large import's bundles opened on a second core: the same outcomes, reasons and store as
opened by the importer alone, in their order, whether the worker is forked or spawned; a worker
that dies, fails or is stuck leaves its pieces to the importer; reasons come in the importer's
language; the worker is forked only from a process of one thread, and a spawned one starts
without the program's main module; no process is left behind, even when the importer is killed."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest

from caseworker.app import bundle_opening, sync_import, sync_keys
from caseworker.app.bundle_checks import BundleChecks, CheckedBundle, Refused
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.sync import bundle_file
from caseworker.sync.bundles import seal
from caseworker.sync.payload import MonthSnapshot, Payload

CHILDREN = CellKey.of("WITH_CHILDREN")
OLDER = CellKey.of("NEW_APPLICANTS", {"age": "65+"})


def _inbox(centre, coordinator, folder: Path, count: int) -> Path:
    """``count`` bundles of a centre, one of them forged and one a sequence used twice."""
    folder.mkdir()
    recipients = list(sync_keys.profile(coordinator).age_recipients)
    centre_id = sync_keys.identity(centre).centre_id
    for sequence in range(1, count + 1):
        values = {CHILDREN: KeyedCount(sequence, 1000 + sequence), OLDER: KeyedCount(sequence % 4 + 1, 7)}
        month = MonthSnapshot(str(Period(2024, 1).plus(sequence)), "submitted", 1, values, values)
        payload = Payload(f"{sequence:032x}", centre_id, sequence if sequence != 7 else 3, "2026-11-01T00:00:00+00:00", 1, None, (month,))
        data, _ = seal(payload, sync_keys.signing_key(centre), recipients)
        if sequence == 5:
            encrypted, signature = bundle_file.unpack(data)
            data = bundle_file.pack(encrypted[:-1] + bytes([encrypted[-1] ^ 1]), signature)
        (folder / f"{sequence:04d}.cwbundle").write_bytes(data)
    return folder


def _outcomes(coordinator, folder: Path, *, dry_run: bool = True):
    return [(o.file, o.status, o.reason, o.centre, o.sequence, o.months_applied) for o in sync_import.import_bundles(coordinator, [folder], dry_run=dry_run)]


@pytest.fixture(params=["fork", "spawn"])
def method(request, monkeypatch) -> str:
    """The worker started each way there is: forked (the command line on Linux) and spawned."""
    monkeypatch.setattr(bundle_opening, "start_method", lambda: request.param)
    return request.param


@pytest.fixture
def large(monkeypatch, method):
    """Imports of two bundles a batch count as large, and the importer leaves every piece to the worker."""
    monkeypatch.setattr(sync_import, "BATCH_SIZE", 2)
    monkeypatch.setattr(bundle_opening, "PARALLEL_FROM", 1)
    monkeypatch.setattr(bundle_opening, "IMPORTER_OPENS_TOO", False)
    monkeypatch.setattr(bundle_opening, "cores", lambda: 2)
    yield
    assert multiprocessing.active_children() == []


def test_bundles_opened_by_the_worker_are_judged_and_stored_as_the_importer_alone_would(pair, tmp_path, monkeypatch, english, method):
    centre, coordinator = pair
    folder = _inbox(centre, coordinator, tmp_path / "inbox", 9)
    alone = _outcomes(coordinator, folder)
    with monkeypatch.context() as patch:
        patch.setattr(sync_import, "BATCH_SIZE", 2)
        assert _outcomes(coordinator, folder) == alone  # the batch size changes nothing either
        patch.setattr(bundle_opening, "PARALLEL_FROM", 1)
        patch.setattr(bundle_opening, "IMPORTER_OPENS_TOO", False)
        patch.setattr(bundle_opening, "cores", lambda: 2)
        assert _outcomes(coordinator, folder) == alone
        shared = _outcomes(coordinator, folder, dry_run=False)
    assert [status for _, status, *_ in shared] == ["imported"] * 4 + ["rejected"] + ["imported"] + ["rejected"] + ["imported"] * 2
    assert "altered or forged" in shared[4][2] and "sequence 3" in shared[6][2]  # in English, as the importer speaks
    assert multiprocessing.active_children() == []
    with coordinator.reading() as conn:
        assert conn.execute("SELECT count(*) FROM received_bundles").fetchone()[0] == 7


def _as(kind: type[BundleChecks], checks: BundleChecks) -> BundleChecks:
    return kind(**{field.name: getattr(checks, field.name) for field in dataclasses.fields(checks) if field.init})


class _DiesInTheWorker(BundleChecks):
    def open(self, path: Path) -> CheckedBundle | Refused:
        if multiprocessing.parent_process() is not None:
            os._exit(3)
        return super().open(path)


class _FailsInTheWorker(BundleChecks):
    def open(self, path: Path) -> CheckedBundle | Refused:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("a fault of the code, met only in the worker")
        return super().open(path)


class _StuckInTheWorker(BundleChecks):
    def open(self, path: Path) -> CheckedBundle | Refused:
        if multiprocessing.parent_process() is not None:
            time.sleep(3600)
        return super().open(path)


@pytest.mark.parametrize("kind", [_DiesInTheWorker, _FailsInTheWorker, _StuckInTheWorker], ids=["worker dies", "worker fails", "worker stuck"])
def test_pieces_the_worker_does_not_give_back_are_opened_by_the_importer(pair, tmp_path, large, kind, monkeypatch):
    monkeypatch.setattr(bundle_opening, "STUCK_SECONDS", 1)
    centre, coordinator = pair
    folder = _inbox(centre, coordinator, tmp_path / "inbox", 9)
    files = sync_import.bundle_files([folder])
    checks = BundleChecks.of(coordinator)
    expected = [checks.open(path) for path in files]
    with bundle_opening.opened_bundles(_as(kind, checks), files) as opened:
        assert list(opened) == expected


def test_an_import_stopped_midway_stops_the_worker(pair, tmp_path, large):
    centre, coordinator = pair
    folder = _inbox(centre, coordinator, tmp_path / "inbox", 9)
    files = sync_import.bundle_files([folder])
    with bundle_opening.opened_bundles(BundleChecks.of(coordinator), files) as opened:
        first = next(opened)
    assert type(first) is CheckedBundle


@pytest.mark.parametrize("opens_too", [False, True], ids=["worker alone", "importer too"])
def test_bundles_come_back_in_their_order_whoever_opened_their_piece(pair, tmp_path, large, monkeypatch, opens_too):
    monkeypatch.setattr(bundle_opening, "PIECE", 2)
    monkeypatch.setattr(bundle_opening, "LOOKAHEAD", 3)
    monkeypatch.setattr(bundle_opening, "IMPORTER_OPENS_TOO", opens_too)
    centre, coordinator = pair
    folder = _inbox(centre, coordinator, tmp_path / "inbox", 9)
    files = sync_import.bundle_files([folder])  # pieces of 2, 2, 2, 2 and 1
    checks = BundleChecks.of(coordinator)
    with bundle_opening.opened_bundles(checks, files) as opened:
        assert list(opened) == [checks.open(path) for path in files]


MAIN_MODULE = """
from pathlib import Path
Path({marker!r}).write_text("the main module ran")
"""


def test_the_worker_starts_without_running_the_programs_main_module_again(tmp_path, monkeypatch):
    marker, script = tmp_path / "ran", tmp_path / "program.py"
    script.write_text(MAIN_MODULE.format(marker=str(marker)), encoding="utf-8")
    program = types.ModuleType("__main__")
    program.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", program)
    assert bundle_opening.second_process_answers() == bundle_opening.cores()
    assert not marker.exists()
    assert sys.modules["__main__"] is program
    # What the worker is spared: a process started plainly runs the program again.
    context = multiprocessing.get_context("spawn")
    plain = context.Process(target=os.getpid)
    plain.start()
    plain.join(60)
    assert marker.read_text() == "the main module ran"


def test_the_worker_is_forked_only_from_a_process_of_one_thread():
    command = "from caseworker.app import bundle_opening; print(bundle_opening.start_method())"
    alone = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, check=True).stdout.strip()
    assert alone == ("fork" if sys.platform == "linux" else "spawn")  # as the caseworker command runs
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert bundle_opening.start_method() == "spawn"  # beside another thread, as in the window
    finally:
        stop.set()
        other.join()


def _import_then_get_killed(checks: BundleChecks, files: list[Path], method: str, lookahead: int, told) -> None:
    """An importer that tells its worker's process id, then is killed: with its worker waiting
    for pieces, or with pieces it has opened and cannot give back (more than a pipe holds)."""
    bundle_opening.PARALLEL_FROM, bundle_opening.IMPORTER_OPENS_TOO = 1, False
    bundle_opening.PIECE, bundle_opening.LOOKAHEAD = 1, lookahead
    bundle_opening.start_method = lambda: method
    with bundle_opening.opened_bundles(checks, files) as opened:
        next(opened)
        (worker,) = multiprocessing.active_children()
        told.put(worker.pid)
        told.close()
        told.join_thread()
        os.kill(os.getpid(), signal.SIGKILL)


def _ended(pid: int) -> bool:
    if sys.platform != "linux":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # ended, waiting for a parent that is gone to collect it


@pytest.mark.skipif(sys.platform == "win32", reason="the importer is killed with SIGKILL, which is POSIX")
@pytest.mark.parametrize("method", ["fork", "spawn"])
@pytest.mark.parametrize("pieces", ["waiting", "undelivered"])
def test_a_worker_whose_importer_is_killed_ends_on_its_own(pair, tmp_path, method, pieces):
    centre, coordinator = pair
    files = sync_import.bundle_files([_inbox(centre, coordinator, tmp_path / "inbox", 9)])
    lookahead = 1
    if pieces == "undelivered":
        files, lookahead = files[:1] * 300, 300  # some 150 KB opened: a pipe holds 64 KB
    context = multiprocessing.get_context("spawn")
    told = context.Queue()
    importer = context.Process(target=_import_then_get_killed, args=(BundleChecks.of(coordinator), files, method, lookahead, told))
    importer.start()
    worker = told.get(timeout=60)
    importer.join(60)
    assert importer.exitcode == -signal.SIGKILL
    deadline = time.monotonic() + 10 * bundle_opening.ORPHAN_SECONDS
    while not _ended(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(worker)
