"""DHIS2 export: the time to write the coordinator's approved figures as ADX, against the target
of 2 s for 100 centres × 5 years.

    python benchmarks/bench_dhis2_export.py [--centres 100] [--years 5] [--repeat 3]

The coordinator's store is filled directly through the storage layer (one approved snapshot per
centre-month, about 60 % of the cells non-zero, as the import of real bundles stores them);
making 6,000 signed bundles would measure the import, which bench_sync_import.py does. Measured
in the same run: reading the approved figures alone, the export as dataValueSets JSON, and the
baseline, writing the same figures (every cell, zeros included) as plain CSV.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import dhis2 as dhis2_uc  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.dhis2.data import Grid  # noqa: E402
from caseworker.domain.counts import KeyedCount  # noqa: E402
from caseworker.domain.districts import IZMIR_DISTRICTS  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.storage import sync as sync_repo  # noqa: E402
from caseworker.storage.atomic import write_atomic  # noqa: E402
from caseworker.storage.counts import options_text  # noqa: E402

PASSPHRASE = "benchmark passphrase, long enough"
TARGET_SECONDS = 2.0
FIRST = Period(2021, 1)
NOW = "2026-11-01T00:00:00+00:00"


def fill(session, centres: int, months: int) -> None:
    catalogue = catalogue_uc.current(session)
    cells = Grid.of(catalogue).cells
    rng = random.Random(7)
    with session.transaction() as conn:
        for number in range(centres):
            centre_id = f"centre-{number:03d}"
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"Merkez {number}", IZMIR_DISTRICTS[number % 30], "2020-12-01T00:00:00+00:00"))
            for offset in range(months):
                counts = {cell: KeyedCount(rng.randint(1, 30), rng.getrandbits(32)) for cell in cells if rng.random() < 0.6}
                sync_repo.replace_centre_month(conn, centre_id, str(FIRST.plus(offset)), "submitted", offset + 1, f"b{number}-{offset}",
                                               catalogue.version, counts, counts, NOW)


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (on a shared machine the CPU time shows what the
    export itself costs, the wall clock what the coordinator waits)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return walls, cpus


def csv_baseline(session, last: Period, out: Path) -> None:
    figures = dhis2_uc.approved_figures(session, FIRST, last)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for month in figures.months:
        for cell, value in zip(month.cells, month.values):
            writer.writerow((month.centre_id, str(month.period), cell.indicator, options_text(cell), value))
    write_atomic(out, buffer.getvalue().encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centres", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    months = 12 * args.years
    last = FIRST.plus(months - 1)
    with tempfile.TemporaryDirectory() as folder:
        session, _ = initialise(Path(folder) / "store", store_role=StoreRole.COORDINATOR, name="Koordinasyon", district="",
                                user_name="koord", passphrase=PASSPHRASE)
        with session:
            start = time.perf_counter()
            fill(session, args.centres, months)
            print(f"store filled: {args.centres} centres x {months} months in {time.perf_counter() - start:.1f} s")
            out = Path(folder)
            result = dhis2_uc.export(session, FIRST, last, out / "figures.xml")
            rows = [
                ("read the approved figures", timed(lambda: dhis2_uc.approved_figures(session, FIRST, last), args.repeat)),
                ("export ADX", timed(lambda: dhis2_uc.export(session, FIRST, last, out / "figures.xml"), args.repeat)),
                ("export dataValueSets JSON", timed(lambda: dhis2_uc.export(session, FIRST, last, out / "figures.json", "json"), args.repeat)),
                ("baseline: the same figures as CSV", timed(lambda: csv_baseline(session, last, out / "figures.csv"), args.repeat)),
            ]
            sizes = {name: (out / name).stat().st_size / 1e6 for name in ("figures.xml", "figures.json", "figures.csv")}
    print(f"{result.months} centre-months, {result.values} figures; files: ADX {sizes['figures.xml']:.1f} MB, "
          f"JSON {sizes['figures.json']:.1f} MB, CSV {sizes['figures.csv']:.1f} MB; {args.repeat} runs each")
    for name, (walls, cpus) in rows:
        print(f"{name:<40} median {statistics.median(walls) * 1000:8.0f} ms   slowest {max(walls) * 1000:8.0f} ms   "
              f"CPU median {statistics.median(cpus) * 1000:8.0f} ms")
    adx_walls, adx_cpus = rows[1][1]
    baseline = statistics.median(rows[3][1][0])
    print(f"ADX / CSV baseline: {statistics.median(adx_walls) / baseline:.2f}x")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"ADX export of {args.centres} centres x {args.years} years: {max(adx_walls):.2f} s (slowest run; CPU {max(adx_cpus):.2f} s), "
          f"target <= {TARGET_SECONDS:.0f} s: {'OK' if max(adx_walls) <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
