"""Coordinator import: bundles per second and memory, at 100, 1,000 and 10,000 bundles.

    python benchmarks/bench_sync_import.py [--sizes 100,1000,10000] [--centres 30] [--runs 3]

Targets: >= 1,000 bundles/s at 1,000 and at 10,000 bundles, and peak memory flat: the import
of 10,000 bundles peaks within 10 MiB of the import of 1,000. Each size runs in processes of its
own: one makes the coordinator's store and the bundles (files of about 6 KB, one month of
realistic counts with cell keys each); then, ``--runs`` times, each into a fresh copy of that
store, one imports them. An import of 1,000 bundles or more is measured both ways the program
runs it: as the ``caseworker`` command does, from a process of one thread, whose worker on the
second core is forked; and as the window does, from a thread of its own beside others, whose
worker is a fresh Python process (spawned). The baseline, measured in the same run on the same
files in a process of its own, is opening each bundle (ZIP, signature, decryption, schema and
meaning) without storing anything: the ratio shows what storing costs. Beside each rate, the
rate per second of CPU time (for the import, of both its processes): on a busy machine the two
part; with the second core at work, the import's rate is above it.

Memory is sampled from outside the importing process, which must run one thread for its
worker to be forked: every 10 ms its resident memory, and every 100 ms the private memory of
its children (the worker, and multiprocessing's resource tracker beside a spawned one). A
forked worker shares the importer's pages until one of the two writes to them, so only its
private pages are memory it adds; a spawned worker's are nearly all its own. The importing
process's ``ru_maxrss`` is printed too, but unlocking sets it first.

The rate a target is judged by is the median of the runs, and the memory the highest of them:
on the shared 2-core machine the same import of 1,000 bundles took 0.67 s of CPU in one run and
0.96 s in the next (the machine itself ran slower for a while), so one run alone says more about
the moment than about the import.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
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


COMMAND, WINDOW = "command", "window"
SAMPLE_SECONDS = 0.01
CHILDREN_EVERY = 10  # samples: reading a process's private memory costs about 1 ms, its resident memory 15 µs


def rss_mib() -> float:
    """The process's peak resident memory so far, as the operating system counts it."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def resident_mib(pid: int | str) -> float:
    """The resident memory of a process now, from Linux's /proc."""
    return int(_read(f"/proc/{pid}/statm").split()[1]) * resource.getpagesize() / 1024 / 1024


def private_mib(pid: int | str) -> float:
    """The pages of a process no other process shares, from Linux's /proc."""
    fields = dict(line.split(b":", 1) for line in _read(f"/proc/{pid}/smaps_rollup").splitlines()[1:])
    return sum(int(fields[name].split()[0]) for name in (b"Private_Clean", b"Private_Dirty")) / 1024


def children_private_mib(pid: int) -> float:
    """The private memory of a process's children now (those that end meanwhile count nothing)."""
    total = 0.0
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            try:
                total += private_mib(child)
            except (OSError, KeyError):
                pass
    return total


def children_cpu() -> float:
    """The CPU seconds of this process's children that ended (the import's worker, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def _import(home: Path, inbox: Path, way: str, results, importing) -> None:
    with unlock(home, Credentials("koord", PASSPHRASE)) as coordinator:
        before = resident_mib("self")
        importing.set()
        start, start_cpu = time.perf_counter(), time.process_time() + children_cpu()
        if way == COMMAND:
            outcomes = sync_import.import_bundles(coordinator, [inbox])
        else:
            outcomes = []
            importer = threading.Thread(target=lambda: outcomes.extend(sync_import.import_bundles(coordinator, [inbox])))
            importer.start()
            importer.join()
        elapsed, cpu = time.perf_counter() - start, time.process_time() + children_cpu() - start_cpu
        importing.clear()
        rejected = {o.reason for o in outcomes if o.status != "imported"}
    results.put((elapsed, cpu, before, rss_mib(), len(outcomes), rejected))


def _measured_import(home: Path, inbox: Path, way: str):
    """What ``_import`` gives back, with the highest memory of the importing process and its
    children sampled while it imports."""
    context = multiprocessing.get_context("spawn")
    results, importing = context.Queue(), context.Event()
    child = context.Process(target=_import, args=(home, inbox, way, results, importing))
    child.start()
    highest, samples, children = 0.0, 0, 0.0
    while True:
        try:
            value = results.get(timeout=SAMPLE_SECONDS)
            break
        except queue.Empty:
            if not child.is_alive():
                raise SystemExit("_import failed") from None
        if importing.is_set():
            try:
                if samples % CHILDREN_EVERY == 0:
                    children = children_private_mib(child.pid)
                highest = max(highest, resident_mib(child.pid) + children)
            except OSError:  # the import ended meanwhile
                pass
            samples += 1
    child.join()
    elapsed, cpu, before, process_peak, count, rejected = value
    return elapsed, cpu, before, max(highest, before), process_peak, count, rejected


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
    parser.add_argument("--runs", type=int, default=3, help="imports of each size each way, each into a fresh copy of the same store")
    args = parser.parse_args()
    peaks: dict[tuple[str, int], float] = {}
    verdicts = []
    for size in (int(s) for s in args.sizes.split(",")):
        ways = [COMMAND, WINDOW] if size >= 1000 else [COMMAND]  # below, no worker is started
        with tempfile.TemporaryDirectory() as tmp:
            made, inbox = Path(tmp) / "made", Path(tmp) / "inbox"
            inbox.mkdir()
            _run(_make, made, inbox, size, args.centres)
            rates: dict[str, list[float]] = {way: [] for way in ways}
            for run in range(1, args.runs + 1):
                home = Path(tmp) / f"koord-{run}"
                shutil.copytree(made, home)
                baseline, baseline_cpu = _run(_open_only, home, inbox)
                shutil.rmtree(home)
                print(f"{size:>6} bundles, run {run}: baseline open-only {size / baseline:6.0f} bundles/s (per CPU second {size / baseline_cpu:6.0f})")
                for way in ways if run % 2 else ways[::-1]:  # which way goes first alternates
                    shutil.copytree(made, home)
                    elapsed, cpu, before, peak, process_peak, count, rejected = _measured_import(home, inbox, way)
                    assert count == size and not rejected, rejected
                    shutil.rmtree(home)
                    rates[way].append(size / elapsed)
                    peaks[way, size] = max(peaks.get((way, size), 0.0), peak)
                    print(f"        as the {way:<7}: import {elapsed:6.2f} s = {size / elapsed:6.0f} bundles/s (per CPU second {size / cpu:6.0f}), "
                          f"ratio {elapsed / baseline:.2f}x; memory {before:.1f} MiB before the import, at most {peak:.1f} MiB during it "
                          f"(process peak, unlocking included: {process_peak:.0f} MiB)")
            if size >= 1000:
                for way in ways:
                    rate = statistics.median(rates[way])
                    verdicts.append(f"target import rate at {size} bundles, as the {way}: {rate:.0f} bundles/s, median of {len(rates[way])} runs "
                                    f"({min(rates[way]):.0f}-{max(rates[way]):.0f}) (target >= {RATE_TARGET}): {'OK' if rate >= RATE_TARGET else 'NOT met'}")
    for line in verdicts:
        print(line)
    for way in (COMMAND, WINDOW):
        if (way, 1000) in peaks and (way, 10000) in peaks:
            growth = peaks[way, 10000] - peaks[way, 1000]
            print(f"target memory flat, as the {way}: highest memory during the imports of 10,000 bundles {growth:+.1f} MiB against 1,000 "
                  f"(target within +/- {FLAT_MIB} MiB): {'OK' if abs(growth) <= FLAT_MIB else 'NOT met'}")


if __name__ == "__main__":
    main()
