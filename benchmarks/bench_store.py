"""Store figures: unlock time (key derivation vs open + first query), and the encrypted store's
cost against plain sqlite3 on the same work, as a ratio.

    python benchmarks/bench_store.py [--rows N] [--stretch N]

Targets: unlock <= 0.5 s (DESIGN.md), of which the deliberate Argon2id cost is most; durable
commits of the encrypted store against plain SQLite with the same settings (WAL,
``synchronous=FULL``), same work: <= 1.3x with the machine quiet; reads <= 1.5x. The plain
database is the baseline, measured in the same run.

A durable commit costs a fraction of a millisecond, most of it the ``fsync``, whose time
wanders with whatever else the disk is doing. So the commits are measured in pairs of short
stretches (``--stretch`` commits to one database, then as many to the other, the one to go
first alternating), each pair giving one ratio, and the figure is the median of those ratios:
a burst of load elsewhere falls on both halves of a pair, or spoils one pair only. A stretch
is long enough to hold a checkpoint of the log now and then, which is part of what commits cost.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.paths import HomePaths  # noqa: E402
from caseworker.storage import database, keyring  # noqa: E402
from caseworker.storage.keyslots import derive_passphrase_key, open_secret, unwrap_database_keys  # noqa: E402

PASSPHRASE = "a passphrase of fair length"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def create_table(conn) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS cells (period TEXT, indicator TEXT, options TEXT, value INTEGER, PRIMARY KEY (period, indicator, options))")


def commits(conn, first: int, count: int) -> float:
    """``count`` single-row durable commits, the same for both databases; their time."""
    start = time.perf_counter()
    for i in range(first, first + count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO cells VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET value = value + 1",
            (f"2026-{i % 12 + 1:02d}", f"IND_{i % 13}", f"opt{i % 9}"),
        )
        conn.execute("COMMIT")
    return time.perf_counter() - start


def reads(conn) -> float:
    """50 grouped scans of what the commits wrote; their time."""
    start = time.perf_counter()
    for _ in range(50):
        conn.execute("SELECT period, indicator, sum(value) FROM cells GROUP BY period, indicator").fetchall()
    return time.perf_counter() - start


def paired_commits(encrypted, plain, rows: int, stretch: int) -> tuple[list[float], list[float]]:
    """``rows`` commits to each database in pairs of stretches; the stretches' times, in pairs."""
    enc_times: list[float] = []
    plain_times: list[float] = []
    for pair, first in enumerate(range(0, rows, stretch)):
        count = min(stretch, rows - first)
        if pair % 2:
            plain_times.append(commits(plain, first, count))
            enc_times.append(commits(encrypted, first, count))
        else:
            enc_times.append(commits(encrypted, first, count))
            plain_times.append(commits(plain, first, count))
    return enc_times, plain_times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000, help="durable commits to each database")
    parser.add_argument("--stretch", type=int, default=250, help="commits in each half of a pair")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        session, _ = initialise(home, store_role=StoreRole.CENTRE, name="Bench", district="Konak", user_name="bench", passphrase=PASSPHRASE)
        session.close()
        paths = HomePaths(home)
        slot = keyring.read_keyring(paths).for_user("bench")

        kdf = timed(lambda: derive_passphrase_key(PASSPHRASE, slot.kdf), 5)
        secret = open_secret(slot, PASSPHRASE)
        key = unwrap_database_keys(slot, secret)[0][1]

        def open_and_query():
            conn = database.connect(paths.database, key)
            conn.execute("SELECT count(*) FROM users").fetchone()
            conn.close()

        opened = timed(open_and_query, 5)
        print(f"unlock: key derivation (Argon2id 64 MiB, t=3, p=4) median {statistics.median(kdf) * 1000:.0f} ms")
        print(f"unlock: open + first query                     median {statistics.median(opened) * 1000:.1f} ms")
        total = statistics.median(kdf) + statistics.median(opened)
        print(f"unlock: total {total * 1000:.0f} ms")

        encrypted = database.connect(Path(tmp) / "encrypted.db", os.urandom(32))
        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY", f"cache_size = -{database.CACHE_KIB}"):
            plain.execute(f"PRAGMA {pragma}")
        create_table(encrypted)
        create_table(plain)
        enc_times, plain_times = paired_commits(encrypted, plain, args.rows, args.stretch)
        enc_reads = [reads(encrypted) for _ in range(3)]
        plain_reads = [reads(plain) for _ in range(3)]
        encrypted.close()
        plain.close()
        ratios = sorted(e / p for e, p in zip(enc_times, plain_times, strict=True))
        write_ratio = statistics.median(ratios)
        enc_r, plain_r = statistics.median(enc_reads), statistics.median(plain_reads)
        per_commit = 1000 / args.stretch
        print(
            f"writes ({args.rows} durable commits to each, {len(ratios)} pairs of {args.stretch}): "
            f"encrypted {sum(enc_times) * 1000:.0f} ms, plain {sum(plain_times) * 1000:.0f} ms in all"
        )
        print(
            f"per durable commit, median stretch: encrypted {statistics.median(enc_times) * per_commit:.3f} ms, "
            f"plain {statistics.median(plain_times) * per_commit:.3f} ms"
        )
        print(
            f"encrypted / plain, pair by pair: median {write_ratio:.2f}x, "
            f"middle half {ratios[len(ratios) // 4]:.2f}-{ratios[(3 * len(ratios)) // 4]:.2f}x"
        )
        print(f"reads (50 grouped scans, median of 3):            encrypted {enc_r * 1000:.0f} ms, plain {plain_r * 1000:.0f} ms, ratio {enc_r / plain_r:.2f}x")
        print(f"target unlock: {total * 1000:.0f} ms (target <= 500 ms): {'OK' if total <= 0.5 else 'NOT met'}")
        print(f"target durable commits, encrypted / plain: {write_ratio:.2f}x (target <= 1.3x, machine quiet): {'OK' if write_ratio <= 1.3 else 'NOT met'}")
        print(f"target reads, encrypted / plain: {enc_r / plain_r:.2f}x (target <= 1.5x): {'OK' if enc_r / plain_r <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
