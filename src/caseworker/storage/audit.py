"""Repository of the audit log: who did what and when, never which categories a contact had."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker.storage.database import Connection


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    action: str
    subject: str | None


def append(conn: Connection, at: str, actor: str, action: str, subject: str | None = None) -> None:
    conn.execute("INSERT INTO audit_log (at, actor, action, subject) VALUES (?, ?, ?, ?)", (at, actor, action, subject))


def latest(conn: Connection, limit: int = 100) -> list[AuditEntry]:
    rows = conn.execute("SELECT at, actor, action, subject FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    return [AuditEntry(*row) for row in rows]


def has_action(conn: Connection, action: str) -> bool:
    """Whether the log holds an entry of ``action`` at all."""
    return conn.execute("SELECT 1 FROM audit_log WHERE action = ? LIMIT 1", (action,)).fetchone() is not None
