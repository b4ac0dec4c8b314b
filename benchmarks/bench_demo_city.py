"""The coordinator demo: how long ``caseworker --demo --coordinator`` takes to build its city.

    python benchmarks/bench_demo_city.py [--repeat N]

Target: the city (30 districts, their 43 centres, two years of months, about a thousand bundles
sealed and imported through the real import) in <= 15 s, so that a newcomer waits no longer
than for a program to start. Baseline in the same run: the centre demo (``caseworker --demo``,
one centre's store with a year of contacts tallied one by one), which people already wait for;
a slow machine shows up as a slow baseline too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app.demo import create_demo_store  # noqa: E402
from caseworker.app.demo_city import create_demo_city  # noqa: E402

TARGET_SECONDS = 15.0


def centre_demo() -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        create_demo_store(Path(folder) / "home").close()
        return time.perf_counter() - started


def city_demo() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        city = create_demo_city(Path(folder) / "home")
        seconds = time.perf_counter() - started
        city.session.close()
        return seconds, city.bundles_imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    baseline = statistics.median(centre_demo() for _ in range(args.repeat))
    runs = [city_demo() for _ in range(args.repeat)]
    seconds = statistics.median(run[0] for run in runs)
    bundles = runs[0][1]
    print(f"baseline: centre demo (one store, a year of contacts)     {baseline:6.2f} s")
    print(f"coordinator demo ({bundles} bundles sealed and imported)  {seconds:6.2f} s = {bundles / seconds:5.0f} bundles/s, "
          f"{seconds / baseline:4.1f} x the baseline")
    print(f"demo city: {seconds:.2f} s, target <= {TARGET_SECONDS:.0f} s: {'OK' if seconds <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
