"""The release register keeps each edition deflated (zlib).

An edition was kept as its canonical JSON text: some 200 KB for a city year, and issuing a
year registers five editions at once (the year and its quarters), a megabyte written, encrypted
and synced in one durable commit. Deflated, the five take a twelfth of that (83 KB for a year
of 30 centres). The figures' hashes are of the canonical JSON, as before, and do not change;
``storage.releases`` alone deflates and inflates.

The table is made anew with ``edition`` a BLOB, and every edition held is deflated into it.
"""

from __future__ import annotations

import zlib

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("ALTER TABLE releases RENAME TO releases_as_text")
    conn.execute("""CREATE TABLE releases (
        id            INTEGER PRIMARY KEY,
        scope         TEXT NOT NULL CHECK (scope IN ('centre', 'city')),
        first         TEXT NOT NULL,
        last          TEXT NOT NULL,
        issued_at     TEXT NOT NULL,
        issued_by     TEXT NOT NULL,
        edition       BLOB NOT NULL,
        figures_hash  TEXT NOT NULL,
        UNIQUE (scope, first, last)
    )""")
    held = conn.execute("SELECT id, scope, first, last, issued_at, issued_by, edition, figures_hash FROM releases_as_text").fetchall()
    conn.executemany("INSERT INTO releases (id, scope, first, last, issued_at, issued_by, edition, figures_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [(*described, zlib.compress(edition.encode("utf-8"), 1), figures_hash) for *described, edition, figures_hash in held])
    conn.execute("DROP TABLE releases_as_text")
