"""Changing one directory entry (mark verified, edit) as the directory grows.

    python benchmarks/bench_directory_edit.py

Every change goes through the directory use case, which reads the whole directory to check its
invariants (shared places, phones, organizations) and writes only what differs; so its cost
grows with the directory. The baseline, in the same run and store, is reading the whole
directory alone: the ratio shows how much of a change is that reading.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory_search import generate  # noqa: E402

from caseworker.app import directory as directory_uc  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.storage import directory as directory_repo  # noqa: E402

SIZES = (500, 2_000, 10_000)
ROUNDS = 5


def median_seconds(action) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"{'services':>9} {'mark verified':>14} {'edit':>8} {'read all (baseline)':>20} {'edit / read':>12}")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            session, _ = initialise(Path(tmp) / "home", store_role=StoreRole.CENTRE, name="Bench", district="Konak",
                                    user_name="bench", passphrase="correct horse battery staple")
            directory = generate(size, seed=1)
            with session.transaction() as conn:
                directory_repo.save(conn, directory, "2026-01-01T00:00:00+00:00")
            target = directory.services[size // 2]
            verify = median_seconds(lambda: directory_uc.mark_verified(session, target.id, today=date(2026, 11, 30)))
            counter = iter(range(10_000))
            edit = median_seconds(lambda: directory_uc.edit(session, replace(target, name=f"{target.name} {next(counter)}")))

            def read_all() -> None:
                with session.reading() as conn:
                    directory_repo.load(conn)

            baseline = median_seconds(read_all)
            session.close()
        print(f"{size:>9} {verify:>13.3f}s {edit:>7.3f}s {baseline:>19.3f}s {edit / baseline:>11.1f}×")


if __name__ == "__main__":
    main()
