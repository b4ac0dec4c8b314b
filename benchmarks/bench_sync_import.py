"""Coordinator import: bundles per second and memory, at 100, 1,000 and 10,000 bundles.

    python benchmarks/bench_sync_import.py [--sizes 100,1000,10000] [--centres 30] [--runs 3]

Targets: >= 1,000 bundles/s at 1,000 and at 10,000 bundles, and peak memory flat: the import
of 10,000 bundles peaks within 10 MiB of the import of 1,000. Each size runs in processes of its
own: one makes the coordinator's store and the bundles (files of about 6 KB, one month of
realistic counts with cell keys each); then, ``--runs`` times, each into a fresh copy of that
store, one imports them, sampling the resident memory of the
importing process and of the worker it starts to open bundles on the second core (the importing
process's ``ru_maxrss`` is printed too, but unlocking sets it first). The baseline, measured
in the same run on the same files in a third process, is opening each bundle (ZIP, signature,
decryption, schema and meaning) without storing anything: the ratio shows what storing costs.
Beside each rate, the rate per second of CPU time (for the import, of both its processes): on
a busy machine the two part; with the second core at work, the import's rate is above it.

The rate a target is judged by is the median of the runs, and the memory the highest of them:
on the shared 2-core machine the same import of 1,000 bundles took 0.67 s of CPU in one run and
0.96 s in the next (the machine itself ran slower for a while), so one run alone says more about
the moment than about the import.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import coordination, sync_import, sync_keys  # noqa: E402
from caseworker.app.session import Credentials, initialise, unlock  # noqa: E402
from caseworker.domain.counts import KEY_MODULUS, KeyedCount  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.sync import minisign  # noqa: E402
from caseworker.sync.bundles import Signer, open_bundle, seal  # noqa: E402
from caseworker.sync.enrolment import EnrolmentRequest  # noqa: E402
from caseworker.sync.payload import MonthSnapshot, Payload  # noqa: E402

PASSPHRASE = "benchmark passphrase, long enough"
RATE_TARGET = 1000
FLAT_MIB = 10


def rss_mib() -> float:
    """The process's peak resident memory so far, as the operating system counts it."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(path: str) -> bytes:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return os.read(descriptor, 4096)
    finally:
        os.close(descriptor)


def _resident_pages(pid: str) -> int:
    return int(_read(f"/proc/{pid}/statm").split()[1])


def started_children() -> list[str]:
    """This process's children that run a program of their own (the import's worker that opens
    bundles on a second core, and multiprocessing's resource tracker).

    A child caught between its fork and the start of its own program (its command line still
    ours) is left out: its pages are this process's own, shared until it starts, and counting
    them twice made a run look 10 MiB heavier now and then."""
    ours = _read("/proc/self/cmdline")
    found = []
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                if _read(f"/proc/{pid}/cmdline") != ours:
                    found.append(pid)
            except OSError:  # ended meanwhile
                pass
    return found


def current_rss_mib(children: list[str]) -> float | None:
    """The resident memory now of this process and of ``children``, from Linux's /proc; None
    where it cannot be read."""
    try:
        pages = _resident_pages("self")
        for pid in children:
            try:
                pages += _resident_pages(pid)
            except OSError:  # ended meanwhile
                pass
        return pages * resource.getpagesize() / 1024 / 1024
    except (OSError, IndexError, ValueError):
        return None


def children_cpu() -> float:
    """The CPU seconds of this process's children that ended (the import's worker, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Sampler(threading.Thread):
    """The highest resident memory seen while the import runs, sampled every 10 ms: unlocking
    (Argon2id takes 64 MiB) sets the process's peak before the import starts, so the peak alone
    would hide what the import itself holds. Which children there are is looked up every tenth
    sample only: a sample then costs the import some 30 µs of its time, not 200."""

    LOOK_FOR_CHILDREN_EVERY = 10

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.highest = current_rss_mib(started_children()) or 0.0
        self.done = threading.Event()

    def run(self) -> None:
        samples, children = 0, started_children()
        while not self.done.wait(0.01):
            samples += 1
            if samples % self.LOOK_FOR_CHILDREN_EVERY == 0:
                children = started_children()
            self.highest = max(self.highest, current_rss_mib(children) or 0.0)


def make_bundles(folder: Path, count: int, centres: int, coordinator) -> dict[bytes, Signer]:
    catalogue = catalogue_uc.current(coordinator)
    cells = [cell for indicator in catalogue.indicators for cell in catalogue.cells(indicator)]
    recipients = list(sync_keys.profile(coordinator).age_recipients)
    keys, signers = [], {}
    for number in range(centres):
        key = minisign.generate_keypair()
        public = key.public_key()
        request = EnrolmentRequest(f"centre-{number:02d}", f"Merkez {number}", "Konak", public.to_base64())
        sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
        keys.append((request.centre_id, key))
        signers[public.key_id] = Signer(request.centre_id, public, False)
    for index in range(count):
        centre_id, key = keys[index % centres]
        sequence = index // centres + 1
        period = Period(2020, 1).plus(sequence % 72)  # 2020 to 2025: never a month a bundle may not carry
        values = {cell: KeyedCount(value, (index * 7919 + position) % KEY_MODULUS)
                  for position, cell in enumerate(cells) if (value := (index + position) % 7)}
        payload = Payload(uuid.uuid4().hex, centre_id, sequence, "2026-11-01T00:00:00+00:00", catalogue.version, None,
                          (MonthSnapshot(str(period), "submitted", catalogue.version, values),))
        data, _ = seal(payload, key, recipients)
        (folder / f"{centre_id}-{sequence:06d}.cwbundle").write_bytes(data)
    return signers


def _make(home: Path, inbox: Path, size: int, centres: int) -> None:
    coordinator, _ = initialise(home, store_role=StoreRole.COORDINATOR, name="Bench", district="", user_name="koord", passphrase=PASSPHRASE)
    with coordinator:
        make_bundles(inbox, size, centres, coordinator)


def _open_only(home: Path, inbox: Path, results) -> None:
    with unlock(home, Credentials("koord", PASSPHRASE)) as coordinator:
        identities = [sync_keys.identity(coordinator).age_identity]
        signers = {minisign.PublicKey.from_base64(key.signing_public).key_id: Signer(key.centre_id, minisign.PublicKey.from_base64(key.signing_public), False)
                   for key in coordination.centre_keys(coordinator)}
    files = sorted(inbox.iterdir())
    start, start_cpu = time.perf_counter(), time.process_time()
    for path in files:
        open_bundle(path.read_bytes(), signers.get, identities)
    results.put((time.perf_counter() - start, time.process_time() - start_cpu))


def _import(home: Path, inbox: Path, results) -> None:
    with unlock(home, Credentials("koord", PASSPHRASE)) as coordinator:
        before = current_rss_mib(started_children()) or rss_mib()
        sampler = Sampler()
        sampler.start()
        start, start_cpu = time.perf_counter(), time.process_time() + children_cpu()
        outcomes = sync_import.import_bundles(coordinator, [inbox])
        elapsed, cpu = time.perf_counter() - start, time.process_time() + children_cpu() - start_cpu
        sampler.done.set()
        sampler.join()
        rejected = {o.reason for o in outcomes if o.status != "imported"}
    results.put((elapsed, cpu, before, max(sampler.highest, before), rss_mib(), len(outcomes), rejected))


def _run(target, *args):
    context = multiprocessing.get_context("spawn")  # a fresh process: its peak memory is its own, not its parent's
    results = context.Queue()
    child = context.Process(target=target, args=(*args, results) if target is not _make else args)
    child.start()
    value = results.get() if target is not _make else None
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed")
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--centres", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="imports of each size, each into a fresh copy of the same store")
    args = parser.parse_args()
    peaks: dict[int, float] = {}
    verdicts = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            made, inbox = Path(tmp) / "made", Path(tmp) / "inbox"
            inbox.mkdir()
            _run(_make, made, inbox, size, args.centres)
            rates, peak_of_runs = [], 0.0
            for run in range(1, args.runs + 1):
                home = Path(tmp) / f"koord-{run}"
                shutil.copytree(made, home)
                baseline, baseline_cpu = _run(_open_only, home, inbox)
                elapsed, cpu, before, peak, process_peak, count, rejected = _run(_import, home, inbox)
                assert count == size and not rejected, rejected
                shutil.rmtree(home)
                rates.append(size / elapsed)
                peak_of_runs = max(peak_of_runs, peak)
                print(f"{size:>6} bundles, run {run}: import {elapsed:6.2f} s = {size / elapsed:6.0f} bundles/s (per CPU second {size / cpu:6.0f}); "
                      f"baseline open-only {size / baseline:6.0f} bundles/s (per CPU second {size / baseline_cpu:6.0f}), ratio {elapsed / baseline:.2f}x; "
                      f"resident memory {before:.1f} MiB before the import, at most {peak:.1f} MiB during it "
                      f"(process peak, unlocking included: {process_peak:.0f} MiB)")
            rate = statistics.median(rates)
            peaks[size] = peak_of_runs
            if size >= 1000:
                verdicts.append(f"target import rate at {size} bundles: {rate:.0f} bundles/s, median of {len(rates)} runs ({min(rates):.0f}-{max(rates):.0f}) "
                                f"(target >= {RATE_TARGET}): {'OK' if rate >= RATE_TARGET else 'NOT met'}")
    for line in verdicts:
        print(line)
    if 1000 in peaks and 10000 in peaks:
        growth = peaks[10000] - peaks[1000]
        print(f"target memory flat: highest resident memory during the imports of 10,000 bundles {growth:+.1f} MiB against 1,000 "
              f"(target within +/- {FLAT_MIB} MiB): {'OK' if abs(growth) <= FLAT_MIB else 'NOT met'}")


if __name__ == "__main__":
    main()
