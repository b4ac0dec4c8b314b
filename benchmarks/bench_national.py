"""National scale: a coordinator's store holding 1,000 centres x 5 years, and what it is asked.

    python benchmarks/bench_national.py [--centres 1000] [--years 5] [--repeat 3]

Measured on that store, each through the use case Caseworker runs:

- the city's figures for one year: ``coordination.consolidated`` for each of its twelve months,
  summed with ``stats.aggregate`` (target <= 1 s), and what the City figures page computes for
  the year, ``app.city_view`` (every district and the city, the year before, the reporting grid;
  same target);
- the reporting grid of that year, ``coordination.reporting_rate`` (target <= 0.5 s);
- the internal city report of that year, ``app.reports.city_report`` (measured only: its target
  belongs to the reports' own benchmark);
- the measuring process's peak memory, as the operating system counts it (``ru_maxrss``),
  target <= 500 MiB.

Set-up: the store is filled in a child process (so that its memory is not counted) straight
through the storage layer's own functions (``storage.sync.upsert_centre`` and
``replace_centre_month``), as an import leaves it, without making and opening a million bundles:
importing is measured by bench_sync_import.py. The centres are spread over İzmir's 30 districts;
each month's counts are drawn around the centre's usual size; the figures as first submitted are
not stored (no figure measured here reads them).

Baselines in the same run, so that a busy machine shows up as slow baselines too: for the
figures, the database alone summing the year's counts from every centre's cells in one query
(what the figures would cost without the city's sums that the store keeps month by month,
migration 15; with no index by month, it reads the whole table); for the grid, reading the
year's month rows; for the report, a bare reportlab document with the same number of pages.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import bare_document  # noqa: E402

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import city_view, coordination  # noqa: E402
from caseworker.app.reports import city_report  # noqa: E402
from caseworker.app.session import Credentials, initialise, unlock  # noqa: E402
from caseworker.domain.counts import KEY_MODULUS, KeyedCount  # noqa: E402
from caseworker.domain.districts import IZMIR_DISTRICTS  # noqa: E402
from caseworker.domain.periods import Period, months_between  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.stats import aggregate  # noqa: E402
from caseworker.storage import sync as sync_repo  # noqa: E402

PASSPHRASE = "a passphrase of fair length"
USER = "bench"
DEADLINE_DAY = 10
FIGURES_TARGET, GRID_TARGET, MEMORY_TARGET_MIB = 1.0, 0.5, 500


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(home: Path, centres: int, years: int, last_year: int) -> None:
    """Make the store and write every centre's months (run in a child process)."""
    session, _ = initialise(home, store_role=StoreRole.COORDINATOR, name="Ulusal Koordinasyon", district="", user_name=USER, passphrase=PASSPHRASE)
    rng = random.Random(2026)
    catalogue = catalogue_uc.current(session)
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    first = Period(last_year - years + 1, 1)
    with session:
        for start in range(0, centres, 50):
            with session.transaction() as conn:
                for number in range(start, min(start + 50, centres)):
                    district = IZMIR_DISTRICTS[number % len(IZMIR_DISTRICTS)]
                    centre_id = f"centre-{number:04d}"
                    sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"{district} Merkez {number}", district, f"{first.year - 1}-12-01T09:00:00+00:00"))
                    size = rng.choice([1, 2, 4, 6, 8])
                    for offset in range(12 * years):
                        period = first.plus(offset)
                        values = {cell: KeyedCount(value, rng.randrange(KEY_MODULUS)) for cell in cells if (value := max(0, int(rng.gauss(size, size))))}
                        received = f"{period.next().year}-{period.next().month:02d}-{rng.randint(1, 14):02d}T10:00:00+00:00"
                        sync_repo.replace_centre_month(conn, centre_id, str(period), "submitted", offset + 1, f"{number:04d}{offset:028d}",
                                                       catalogue.version, values, None, received)


@dataclass(frozen=True)
class Timing:
    """Wall-clock and CPU seconds of each run: on a busy machine the two part, and the
    wall-clock time is what a person waits."""

    wall: list[float]
    cpu: list[float]

    def __str__(self) -> str:
        return f"median {statistics.median(self.wall):7.3f} s (cpu {statistics.median(self.cpu):6.3f} s), max {max(self.wall):7.3f} s"


def timed(fn, repeat: int) -> tuple[Timing, object]:
    """``repeat`` runs of ``fn`` timed, and the last one's result."""
    timing, result = Timing([], []), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        timing.wall.append(time.perf_counter() - start)
        timing.cpu.append(time.process_time() - start_cpu)
    return timing, result


def city_year(session, periods: list[Period]) -> dict:
    """The city's figures for the year: each month consolidated, then summed, by indicator."""
    return aggregate.totals(aggregate.add_up(coordination.consolidated(session, period).values for period in periods))


def city_page_year(session, first: Period, last: Period) -> city_view.CityView:
    """What the City figures page computes for a year (``app.city_view``, afresh): every district
    and the city, the year before, the trend, the reporting grid."""
    return city_view.city_view(session, first, last)


def bare_sum(session, first: Period, last: Period) -> int:
    with session.reading() as conn:
        return len(conn.execute("SELECT indicator, options, sum(value) FROM centre_counts WHERE period BETWEEN ? AND ? GROUP BY indicator, options",
                                (str(first), str(last))).fetchall())


def bare_months(session, first: Period, last: Period) -> int:
    with session.reading() as conn:
        return len(conn.execute("SELECT * FROM centre_months WHERE period BETWEEN ? AND ?", (str(first), str(last))).fetchall())


def verdict(name: str, figure: float, target: float, unit: str = "s") -> str:
    return f"target {name}: {figure:.3f} {unit} (target <= {target} {unit}): {'OK' if figure <= target else 'NOT met'}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centres", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    year = Period.current().year - 1
    first, last = Period(year, 1), Period(year, 12)
    periods = months_between(first, last)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "national"
        start = time.perf_counter()
        child = multiprocessing.get_context("fork").Process(target=fill, args=(home, args.centres, args.years, year))
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("filling the store failed")
        built = time.perf_counter() - start
        size = sum(path.stat().st_size for path in home.glob("store.db*")) / 1024 / 1024
        print(f"store: {args.centres} centres x {args.years} years, built in {built:.0f} s, {size:.0f} MiB on disk")

        before = rss_mib()
        with unlock(home, Credentials(USER, PASSPHRASE)) as session:
            figures, totals = timed(lambda: city_year(session, periods), args.repeat)
            page, _ = timed(lambda: city_page_year(session, first, last), args.repeat)
            figures_base, _ = timed(lambda: bare_sum(session, first, last), args.repeat)
            grid, rate = timed(lambda: coordination.reporting_rate(session, first, last, DEADLINE_DAY), args.repeat)
            grid_base, _ = timed(lambda: bare_months(session, first, last), args.repeat)
            out = Path(tmp) / "city.pdf"
            report, result = timed(lambda: city_report(session, first, last, out), args.repeat)
            report_base, _ = timed(lambda: bare_document(result.pages), args.repeat)
        peak = rss_mib()

    expected, received, on_time = rate.rate(last)
    print(f"year {year}: {len(totals)} indicators; December: {expected} centres expected, {received} received, {on_time} on time")
    print(f"city figures, one year (12 x consolidated + sums): {figures}; baseline, the database summing the year's cells alone: {figures_base}")
    print(f"City figures page (every district and the city, the year before, the grid), one year: {page}")
    print(f"reporting grid, {args.centres} centres x 12 months: {grid}; baseline, reading the year's month rows: {grid_base}")
    print(f"internal city report, {result.pages} pages: {report}; baseline, bare reportlab with the same pages: {report_base}")
    print(f"peak memory (ru_maxrss) of the measuring process: {before:.0f} MiB before unlocking, {peak:.0f} MiB at the end")
    print(verdict("city figures, one year (slowest run)", max(figures.wall), FIGURES_TARGET))
    print(verdict("City figures page, one year (slowest run)", max(page.wall), FIGURES_TARGET))
    print(verdict("reporting grid (slowest run)", max(grid.wall), GRID_TARGET))
    print(verdict("peak memory", peak, MEMORY_TARGET_MIB, "MiB"))


if __name__ == "__main__":
    main()
