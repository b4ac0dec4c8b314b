"""Numbered schema migrations, each applied in one transaction together with its record.

A migration is a module ``mNNNN_short_name.py`` in this package with a docstring saying what it
changes and a function ``apply(conn)`` that runs its statements. Numbers start at 1, have no
gaps and are never reused or edited once released: a change to the schema is a new module.

The table ``schema_migrations`` records each applied number, its name and when. A store whose
highest number is above the newest known one was made by a newer Caseworker and is refused
rather than misread.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from caseworker.errors import StoreIncompatible
from caseworker.i18n import t
from caseworker.storage.database import Connection

_MODULE_NAME = re.compile(r"^m(\d{4})_([a-z0-9_]+)$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[Connection], None]


def all_migrations() -> list[Migration]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _MODULE_NAME.match(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(int(match.group(1)), match.group(2), module.apply))
    found.sort(key=lambda m: m.number)
    if [m.number for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps: {[m.number for m in found]}")
    return found


def latest_version() -> int:
    return len(all_migrations())


def current_version(conn: Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(number) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Apply every migration above the store's version (up to ``target``); returns those applied."""
    migrations = all_migrations()
    newest = len(migrations)
    target = newest if target is None else target
    version = current_version(conn)
    if version > newest:
        raise StoreIncompatible(
            t("This store was made by a newer version of Caseworker (schema {found}, this version knows up to {known}). Install the newer version to open it.", found=version, known=newest)
        )
    applied = []
    for migration in migrations:
        if version < migration.number <= target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                migration.apply(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    (migration.number, migration.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            applied.append(migration.number)
    return applied
