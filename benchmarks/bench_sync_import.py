"""Coordinator import: bundles per second and memory, at 100, 1,000 and 10,000 bundles.

    python benchmarks/bench_sync_import.py [--sizes 100,1000,10000] [--centres 30]

Targets: >= 1,000 bundles/s at 1,000 and at 10,000 bundles, and peak memory flat: the import
of 10,000 bundles peaks within 10 MiB of the import of 1,000. Each size runs in processes of its
own: one makes the coordinator's store and the bundles (files of about 6 KB, one month of
realistic counts with cell keys each); one imports them, so that its peak memory (``ru_maxrss``,
as the operating system counts it) is the unlocking and the import alone. The baseline, measured
in the same run on the same files in a third process, is opening each bundle (ZIP, signature,
decryption, schema and meaning) without storing anything: the ratio shows what storing costs.
Beside each rate, the rate per second of the process's CPU time: on a busy machine the two part.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
        before = rss_mib()
        start, start_cpu = time.perf_counter(), time.process_time()
        outcomes = sync_import.import_bundles(coordinator, [inbox])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        rejected = {o.reason for o in outcomes if o.status != "imported"}
    results.put((elapsed, cpu, before, rss_mib(), len(outcomes), rejected))


def _run(target, *args):
    context = multiprocessing.get_context("fork")
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
    args = parser.parse_args()
    peaks: dict[int, float] = {}
    verdicts = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            home, inbox = Path(tmp) / "koord", Path(tmp) / "inbox"
            inbox.mkdir()
            _run(_make, home, inbox, size, args.centres)
            baseline, baseline_cpu = _run(_open_only, home, inbox)
            elapsed, cpu, before, peak, count, rejected = _run(_import, home, inbox)
            assert count == size and not rejected, rejected
            rate = size / elapsed
            peaks[size] = peak
            print(f"{size:>6} bundles: import {elapsed:6.2f} s = {rate:6.0f} bundles/s (per CPU second {size / cpu:6.0f}); "
                  f"baseline open-only {size / baseline:6.0f} bundles/s (per CPU second {size / baseline_cpu:6.0f}), ratio {elapsed / baseline:.2f}x; "
                  f"peak RSS {before:.0f} MiB after unlocking -> {peak:.0f} MiB after the import")
            if size >= 1000:
                verdicts.append(f"target import rate at {size} bundles: {rate:.0f} bundles/s (target >= {RATE_TARGET}): {'OK' if rate >= RATE_TARGET else 'NOT met'}")
    for line in verdicts:
        print(line)
    if 1000 in peaks and 10000 in peaks:
        growth = peaks[10000] - peaks[1000]
        print(f"target memory flat: peak at 10,000 bundles {growth:+.1f} MiB against 1,000 (target within +/- {FLAT_MIB} MiB): "
              f"{'OK' if abs(growth) <= FLAT_MIB else 'NOT met'}")


if __name__ == "__main__":
    main()
