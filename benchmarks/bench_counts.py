"""Recording contacts and the month grid on the encrypted store.

    python benchmarks/bench_counts.py [--contacts 500]

Targets (DESIGN.md): record one contact (commit, durable) p95 <= 25 ms; load or save the month
grid <= 30 ms. The baseline, in the same run, is the same contacts as single-row durable
commits in plain sqlite3 with the same pragmas.

Record keys (docs/disclosure.md): a contact draws one random key and adds it to the key of each
cell it counts. What that costs is measured apart, in the same run: the draw itself, and the
same plain-sqlite3 commits with and without the key column and its arithmetic, interleaved so
that both see the same machine. Target: no measurable difference.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app import counts as counts_uc  # noqa: E402
from caseworker.app import months as months_uc  # noqa: E402
from caseworker.app.demo import create_demo_store  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.stats.perturbation import new_record_key  # noqa: E402

ANSWERS = {"age": "25-34", "status": "citizen", "source": "self", "violence": ["physical", "economic"],
           "perpetrator": ["spouse"], "referral": ["legal_aid"], "protective_order": True, "children": False}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session = create_demo_store(Path(tmp) / "demo")
        book = counts_uc.TallyBook(session)
        period = Period.current()
        record = []
        for _ in range(args.contacts):
            start = time.perf_counter()
            book.record(period, "new_applicant", ANSWERS)
            record.append(time.perf_counter() - start)
        load, save = [], []
        for _ in range(50):
            start = time.perf_counter()
            counts = counts_uc.month_counts(session, period)
            months_uc.review(session, period)
            load.append(time.perf_counter() - start)
            start = time.perf_counter()
            counts_uc.set_counts(session, period, dict(list(counts.values.items())[:20]))
            save.append(time.perf_counter() - start)
        session.close()

        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY"):
            plain.execute(f"PRAGMA {pragma}")
        plain.execute("CREATE TABLE counts (period TEXT, indicator TEXT, options TEXT, value INTEGER, PRIMARY KEY (period, indicator, options))")
        plain.execute("CREATE TABLE keyed (period TEXT, indicator TEXT, options TEXT, value INTEGER, noise_key INTEGER, "
                      "PRIMARY KEY (period, indicator, options))")
        baseline, keyed = [], []
        for index in range(args.contacts):
            start = time.perf_counter()
            plain.execute("BEGIN IMMEDIATE")
            plain.executemany(
                "INSERT INTO counts VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET value = value + 1",
                [("2026-11", f"I{n}", f"o{index % 5}") for n in range(9)],
            )
            plain.execute("COMMIT")
            baseline.append(time.perf_counter() - start)
            start = time.perf_counter()
            key = new_record_key()
            plain.execute("BEGIN IMMEDIATE")
            plain.executemany(
                "INSERT INTO keyed VALUES (?, ?, ?, 1, ?) ON CONFLICT DO UPDATE SET value = value + 1, "
                "noise_key = (noise_key + excluded.noise_key) % 4294967296",
                [("2026-11", f"I{n}", f"o{index % 5}", key) for n in range(9)],
            )
            plain.execute("COMMIT")
            keyed.append(time.perf_counter() - start)
        draws = []
        for _ in range(10_000):
            start = time.perf_counter()
            new_record_key()
            draws.append(time.perf_counter() - start)

    print(f"record a contact: p50 {statistics.median(record) * 1000:.2f} ms, p95 {p95(record) * 1000:.2f} ms (target p95 <= 25 ms); "
          f"baseline plain sqlite3 p95 {p95(baseline) * 1000:.2f} ms, ratio {p95(record) / p95(baseline):.1f}x")
    difference = statistics.median(keyed) - statistics.median(baseline)
    print(f"record keys: drawing one {statistics.median(draws) * 1e6:.1f} us; plain-sqlite3 commit with keys p50 "
          f"{statistics.median(keyed) * 1000:.3f} ms against {statistics.median(baseline) * 1000:.3f} ms without "
          f"({difference * 1000:+.3f} ms, {100 * difference / statistics.median(record):+.1f}% of recording a contact)")
    print(f"load the month grid (counts + checks + outlier hints): median {statistics.median(load) * 1000:.1f} ms, max {max(load) * 1000:.1f} ms (target <= 30 ms)")
    print(f"save 20 cells of the month grid: median {statistics.median(save) * 1000:.1f} ms, max {max(save) * 1000:.1f} ms (target <= 30 ms)")


if __name__ == "__main__":
    main()
