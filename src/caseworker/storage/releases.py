"""Repository of the release register: every public edition issued, with its figures.

An edition is kept deflated (zlib, migration 16): a city year's canonical JSON is some 200 KB,
and issuing a year registers five editions at once (the year and its quarters) in one durable
commit. This module alone deflates and inflates; a ``Release`` holds the canonical JSON itself.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from caseworker.storage.database import Connection


@dataclass(frozen=True)
class Release:
    scope: str
    first: str
    last: str
    issued_at: str
    issued_by: str
    figures_hash: str
    edition: bytes
    """The edition as its canonical JSON, UTF-8 (``PublicEdition.canonical_bytes``)."""


_COLUMNS = "scope, first, last, issued_at, issued_by, figures_hash, edition"
DEFLATE_LEVEL = 1
"""zlib's fastest level: a city year's edition of 30 centres (218 KB) deflated to 19 KB in 0.5 ms;
the default level 6 takes 2.3 ms for 15 KB."""


def _release(row: tuple[Any, ...]) -> Release:
    *described, deflated = row
    return Release(*described, zlib.decompress(deflated))


def find(conn: Connection, scope: str, first: str, last: str) -> Release | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM releases WHERE scope = ? AND first = ? AND last = ?", (scope, first, last)).fetchone()
    return _release(row) if row else None


def exists(conn: Connection, scope: str, first: str, last: str) -> bool:
    return conn.execute("SELECT 1 FROM releases WHERE scope = ? AND first = ? AND last = ?", (scope, first, last)).fetchone() is not None


def listed(conn: Connection) -> list[tuple[str, str, str, str, str, str]]:
    """Every release as the register lists it, oldest period first: ``(scope, first, last,
    issued_at, issued_by, figures_hash)``. The editions themselves (a city year's is some 200 KB)
    are not read."""
    return conn.execute("SELECT scope, first, last, issued_at, issued_by, figures_hash FROM releases ORDER BY first, last, scope").fetchall()


def add(conn: Connection, release: Release) -> None:
    conn.execute(
        "INSERT INTO releases (scope, first, last, issued_at, issued_by, figures_hash, edition) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (release.scope, release.first, release.last, release.issued_at, release.issued_by, release.figures_hash,
         zlib.compress(release.edition, DEFLATE_LEVEL)),
    )
