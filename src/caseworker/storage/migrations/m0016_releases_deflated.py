"""The release register keeps each edition deflated (zlib).

An edition was kept as its canonical JSON text: some 200 KB for a city year, and issuing a
year registers five editions at once (the year and its quarters), a megabyte written, encrypted
and synced in one durable commit. Deflated, the five take a twelfth of that (83 KB for a year
of 30 centres). The figures' hashes are of the canonical JSON, as before, and do not change;
``storage.releases`` alone deflates and inflates.

The column ``edition`` becomes a BLOB: a new column takes every edition held, deflated, and
then the name of the one it replaces.
"""

from __future__ import annotations

import zlib

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("ALTER TABLE releases ADD COLUMN deflated BLOB NOT NULL DEFAULT x''")
    held = conn.execute("SELECT id, edition FROM releases").fetchall()
    conn.executemany("UPDATE releases SET deflated = ? WHERE id = ?", [(zlib.compress(edition.encode("utf-8"), 1), id_) for id_, edition in held])
    conn.execute("ALTER TABLE releases DROP COLUMN edition")
    conn.execute("ALTER TABLE releases RENAME COLUMN deflated TO edition")
