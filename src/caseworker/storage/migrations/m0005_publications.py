"""Publications of the coordinator: the serial of the last catalogue and directory it published
(coordinator side) or that were applied (centre side), so that an old one is never applied again."""

from __future__ import annotations

STATEMENTS = (
    """CREATE TABLE publication_state (
        kind        TEXT PRIMARY KEY CHECK (kind IN ('catalogue', 'directory')),
        serial      INTEGER NOT NULL CHECK (serial >= 1),
        at          TEXT NOT NULL
    )""",
)


def apply(conn) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
