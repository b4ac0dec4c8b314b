"""Coordinator import: bundles per second and memory, from 100 to 10,000 bundles.

    python benchmarks/bench_sync_import.py [--sizes 100,1000,10000] [--centres 30]

Target (DESIGN.md): >= 100 bundles/s; 10,000 bundles with flat memory. The baseline, measured
in the same run on the same files, is opening each bundle (ZIP, signature, decryption, schema)
without storing anything: the ratio shows what the one-transaction-per-bundle store costs.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import sync_import, sync_keys  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.sync import minisign  # noqa: E402
from caseworker.sync.bundles import Signer, open_bundle, seal  # noqa: E402
from caseworker.sync.enrolment import EnrolmentRequest  # noqa: E402
from caseworker.sync.payload import MonthSnapshot, Payload  # noqa: E402

PASSPHRASE = "benchmark passphrase, long enough"


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
        period = Period(2020, 1).plus(sequence % 120)
        values = {cell: (index + position) % 7 for position, cell in enumerate(cells)}
        payload = Payload(uuid.uuid4().hex, centre_id, sequence, "2026-11-01T00:00:00+00:00", catalogue.version, None,
                          (MonthSnapshot(str(period), "submitted", catalogue.version, values),))
        data, _ = seal(payload, key, recipients)
        (folder / f"{centre_id}-{sequence:06d}.cwbundle").write_bytes(data)
    return signers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--centres", type=int, default=30)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            coordinator, _ = initialise(Path(tmp) / "koord", store_role=StoreRole.COORDINATOR, name="Bench", district="", user_name="koord", passphrase=PASSPHRASE)
            inbox = Path(tmp) / "inbox"
            inbox.mkdir()
            signers = make_bundles(inbox, size, args.centres, coordinator)
            identities = [sync_keys.identity(coordinator).age_identity]
            files = sorted(inbox.iterdir())

            start = time.perf_counter()
            for path in files:
                open_bundle(path.read_bytes(), signers.get, identities)
            baseline = time.perf_counter() - start

            before = rss_mib()
            start = time.perf_counter()
            outcomes = sync_import.import_bundles(coordinator, [inbox])
            elapsed = time.perf_counter() - start
            after = rss_mib()
            assert all(o.status == "imported" for o in outcomes), {o.reason for o in outcomes if o.reason}
            rate = size / elapsed
            print(
                f"{size:>6} bundles: import {elapsed:6.2f} s = {rate:6.0f} bundles/s (target >= 100: {'OK' if rate >= 100 else 'SLOW'}); "
                f"baseline open-only {size / baseline:6.0f} bundles/s, ratio {elapsed / baseline:.2f}x; "
                f"peak RSS {before:.0f} -> {after:.0f} MiB"
            )
            coordinator.close()


if __name__ == "__main__":
    main()
