"""The indicator catalogue in use, months with their status, and the month's counts."""

from __future__ import annotations

STATEMENTS = (
    # Every catalogue version the store has applied; the highest is the one in use.
    """CREATE TABLE catalogues (
        version     INTEGER PRIMARY KEY,
        document    TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('default', 'file', 'coordinator')),
        applied_at  TEXT NOT NULL
    )""",
    # A month of the centre's own figures: open, submitted (locked) or reopened (editable).
    # The reopen reason is a code, never free text. ``revision`` grows with every change, so
    # sync can tell which months changed since the last bundle.
    """CREATE TABLE months (
        period            TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
        status            TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'reopened')),
        catalogue_version INTEGER NOT NULL REFERENCES catalogues (version),
        revision          INTEGER NOT NULL DEFAULT 0,
        changed_at        TEXT NOT NULL,
        status_by         TEXT,
        status_at         TEXT,
        reopen_reason     TEXT CHECK (reopen_reason IS NULL OR reopen_reason IN ('correction', 'late_data', 'catalogue_change', 'other'))
    )""",
    # One integer >= 0 per (month, indicator, option combination); options are written
    # "dimension=option;..." sorted by dimension ("" for an indicator without dimensions).
    """CREATE TABLE counts (
        period    TEXT NOT NULL REFERENCES months (period),
        indicator TEXT NOT NULL,
        options   TEXT NOT NULL,
        value     INTEGER NOT NULL CHECK (value >= 0),
        PRIMARY KEY (period, indicator, options)
    ) WITHOUT ROWID""",
)


def apply(conn) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
