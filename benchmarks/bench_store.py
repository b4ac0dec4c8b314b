"""Store figures: unlock time (key derivation vs open + first query), and the encrypted store's
cost against plain sqlite3 on the same work, as a ratio.

    python benchmarks/bench_store.py [--rows N]

Targets: unlock <= 0.5 s (DESIGN.md), of which the deliberate Argon2id cost is most; durable
commits of the encrypted store against plain SQLite with the same settings (WAL,
``synchronous=FULL``), same work: <= 1.3x with the machine quiet; reads <= 1.5x. The plain
database is the baseline, measured in the same run: the two are run in turns, three rounds,
and the medians compared, so that a burst of load elsewhere falls on both.
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


def workload(conn, rows: int) -> tuple[float, float]:
    """The same work for both databases: single-row durable commits, then reads."""
    conn.execute("CREATE TABLE IF NOT EXISTS cells (period TEXT, indicator TEXT, options TEXT, value INTEGER, PRIMARY KEY (period, indicator, options))")
    start = time.perf_counter()
    for i in range(rows):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO cells VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET value = value + 1",
            (f"2026-{i % 12 + 1:02d}", f"IND_{i % 13}", f"opt{i % 9}"),
        )
        conn.execute("COMMIT")
    write = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(50):
        conn.execute("SELECT period, indicator, sum(value) FROM cells GROUP BY period, indicator").fetchall()
    read = time.perf_counter() - start
    return write, read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
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

        rounds: list[tuple[float, float, float, float]] = []
        for round_ in range(3):
            encrypted = database.connect(Path(tmp) / f"enc{round_}.db", os.urandom(32))
            plain = sqlite3.connect(Path(tmp) / f"plain{round_}.db", isolation_level=None)
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY", f"cache_size = -{database.CACHE_KIB}"):
                plain.execute(f"PRAGMA {pragma}")
            enc_w, enc_r = workload(encrypted, args.rows)
            plain_w, plain_r = workload(plain, args.rows)
            encrypted.close()
            plain.close()
            rounds.append((enc_w, enc_r, plain_w, plain_r))
        enc_w, enc_r, plain_w, plain_r = (statistics.median(r[i] for r in rounds) for i in range(4))
        print(f"writes ({args.rows} durable commits, median of 3): encrypted {enc_w * 1000:.0f} ms, plain {plain_w * 1000:.0f} ms, ratio {enc_w / plain_w:.2f}x")
        print(f"reads (50 grouped scans, median of 3):            encrypted {enc_r * 1000:.0f} ms, plain {plain_r * 1000:.0f} ms, ratio {enc_r / plain_r:.2f}x")
        print(f"per durable commit: encrypted {enc_w / args.rows * 1000:.2f} ms, plain {plain_w / args.rows * 1000:.2f} ms")
        print(f"target unlock: {total * 1000:.0f} ms (target <= 500 ms): {'OK' if total <= 0.5 else 'NOT met'}")
        print(f"target durable commits, encrypted / plain: {enc_w / plain_w:.2f}x (target <= 1.3x, machine quiet): {'OK' if enc_w / plain_w <= 1.3 else 'NOT met'}")
        print(f"target reads, encrypted / plain: {enc_r / plain_r:.2f}x (target <= 1.5x): {'OK' if enc_r / plain_r <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
