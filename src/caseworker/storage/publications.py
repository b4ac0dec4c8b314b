"""The serial of the last publication of each kind: published (coordinator) or applied (centre)."""

from __future__ import annotations

from caseworker.storage.database import Connection


def last_serial(conn: Connection, kind: str) -> int:
    row = conn.execute("SELECT serial FROM publication_state WHERE kind = ?", (kind,)).fetchone()
    return int(row[0]) if row else 0


def record_serial(conn: Connection, kind: str, serial: int, now: str) -> None:
    conn.execute(
        "INSERT INTO publication_state (kind, serial, at) VALUES (?, ?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET serial = excluded.serial, at = excluded.at",
        (kind, serial, now),
    )


def reset_serials(conn: Connection) -> None:
    """Forget the serials applied: the centre now follows another coordinator."""
    conn.execute("DELETE FROM publication_state")
