"""Changing one directory entry (mark verified, edit, add, remove) as the directory grows.

    python benchmarks/bench_directory_edit.py [--rounds N]

Every change goes through the directory use case, as the Directory screen and the command line
call it: it checks the directory's rules (shared places, phones, organizations…) with targeted
look-ups and writes the entry's row, records and search keys in one durable transaction.

Baselines, measured in the same run: the same change at 500 services (a change should cost about
the same whatever the size of the directory), an empty durable transaction in the same store
(the floor a change cannot go under), and reading the whole directory (what a change used to
cost before it touched only its own rows). Each change's CPU time of the thread is printed too:
on a busy machine it says what the change costs apart from waiting for a core.

Targets: a change at 10,000 services <= 20 ms, and within 3x of the same change at 500.
"""

from __future__ import annotations

import argparse
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
TARGET_MS = 20.0
TARGET_RATIO = 3.0
CHANGES = ("mark verified", "edit", "add", "remove")


CPU: dict[str, float] = {}  # the last measurement's median CPU time of this thread, ms


def median_ms(action, rounds: int) -> float:
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.thread_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times)


def measure(size: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        session, _ = initialise(Path(tmp) / "home", store_role=StoreRole.CENTRE, name="Bench", district="Konak",
                                user_name="bench", passphrase="correct horse battery staple")
        try:
            directory = generate(size + rounds, seed=1)
            stored = replace(directory, services=directory.services[:size])
            with session.transaction() as conn:
                directory_repo.save(conn, stored, "2026-01-01T00:00:00+00:00")
            target = stored.services[size // 2]
            directory_uc.search(session, "warm", limit=1)  # caches warm, as in a running program
            counter = iter(range(1_000_000))
            spare = iter(directory.services[size:])
            added: list[str] = []

            def add() -> None:
                added.append(directory_uc.add(session, next(spare)).service.id)

            changes = {
                "mark verified": lambda: directory_uc.mark_verified(session, target.id, today=date(2026, 11, 30)),
                "edit": lambda: directory_uc.edit(session, replace(target, name=f"{target.name} {next(counter)}")),
                "add": add,
                "remove": lambda: directory_uc.remove(session, added.pop()),
            }
            figures: dict[str, float] = {}
            for change, action in changes.items():
                figures[change] = median_ms(action, rounds)
                figures[f"{change}, CPU time"] = CPU["last"]

            def empty_transaction() -> None:
                with session.transaction() as conn:
                    session.audit(conn, "bench.empty", "")

            def read_all() -> None:
                with session.reading() as conn:
                    directory_repo.load(conn)

            figures["empty durable transaction"] = median_ms(empty_transaction, rounds)
            figures["read the whole directory"] = median_ms(read_all, 3)
        finally:
            session.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    results = {size: measure(size, args.rounds) for size in SIZES}
    labels = list(results[SIZES[0]])
    print(f"median of {args.rounds} rounds, ms")
    print(f"{'':<28}" + "".join(f"{size:>10,}" for size in SIZES) + f"{'10k / 500':>11}")
    for label in labels:
        row = [results[size][label] for size in SIZES]
        print(f"{label:<28}" + "".join(f"{value:>10.1f}" for value in row) + f"{row[-1] / row[0]:>10.1f}x")
    big, small = results[SIZES[-1]], results[SIZES[0]]
    for change in CHANGES:
        print(f"{change} at 10,000 services: {big[change]:.1f} ms (baseline: empty durable transaction {big['empty durable transaction']:.1f} ms, "
              f"whole-directory read {big['read the whole directory']:.0f} ms); target <= {TARGET_MS:.0f} ms: {'OK' if big[change] <= TARGET_MS else 'NOT met'}")
    for change in CHANGES:
        ratio = big[change] / small[change]
        print(f"{change}, 10,000 vs 500 services: {ratio:.2f}x ({big[change]:.1f} vs {small[change]:.1f} ms); target <= {TARGET_RATIO:.0f}x: "
              f"{'OK' if ratio <= TARGET_RATIO else 'NOT met'}")


if __name__ == "__main__":
    main()
