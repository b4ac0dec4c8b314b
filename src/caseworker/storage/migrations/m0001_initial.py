"""The first schema: store identity and secrets, users, and the coarse audit log."""

from __future__ import annotations

STATEMENTS = (
    # Store identity (id, role, centre name, district, key generation) and the authority key
    # pair that seals the database key to each key slot.
    """CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE users (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('caseworker', 'supervisor', 'coordinator')),
        slot_id    TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        created_by TEXT
    )""",
    # Who did what and when, at the level of "recorded a contact": never which categories.
    """CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT
    )""",
    "CREATE INDEX audit_log_at ON audit_log (at)",
)


def apply(conn) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
