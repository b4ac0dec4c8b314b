"""Helpers of the storage tests: stores made by an earlier version, as their users have them."""

from __future__ import annotations

import contextlib
import functools
import shutil
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from caseworker.app.session import Credentials, Session, unlock
from caseworker.storage import migrations

EARLIER_STORES = Path(__file__).resolve().parents[1] / "fixtures" / "schema-5"
EARLIER_PASSPHRASE = "mavi deniz kırmızı kapı"


@contextlib.contextmanager
def earlier_coordinator(home: Path, schema: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    """The coordinator's store made by an earlier version (tests/fixtures/schema-5), copied to
    ``home``, brought up to ``schema`` only and unlocked: the store as that version left it."""
    shutil.copytree(EARLIER_STORES / "coordinator-schema-5", home)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "migrate", functools.partial(migrations.migrate, target=schema))
        with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
            assert session.store.schema_version() == schema
            yield session


def undo_migrations_from_13(conn) -> None:
    """Take the store back to before migration 13, in a transaction of the caller's: the
    register's editions held as text again (migration 16), the city's sums of migration 15
    dropped and the counts' index by month back, the months' indicator totals of migration 14
    dropped, the directory's search tables as before 13."""
    conn.execute("ALTER TABLE releases ADD COLUMN as_text TEXT NOT NULL DEFAULT ''")
    held = conn.execute("SELECT id, edition FROM releases").fetchall()
    conn.executemany("UPDATE releases SET as_text = ? WHERE id = ?", [(zlib.decompress(edition).decode("utf-8"), id_) for id_, edition in held])
    conn.execute("ALTER TABLE releases DROP COLUMN edition")
    conn.execute("ALTER TABLE releases RENAME COLUMN as_text TO edition")
    conn.execute("DELETE FROM schema_migrations WHERE number = 16")
    conn.execute("DROP TABLE city_counts")
    conn.execute("CREATE INDEX centre_counts_by_period ON centre_counts (period, centre_id, indicator, options, value)")
    conn.execute("DELETE FROM schema_migrations WHERE number = 15")
    conn.execute("ALTER TABLE centre_months DROP COLUMN indicator_totals")
    conn.execute("DELETE FROM schema_migrations WHERE number = 14")
    conn.execute("DROP INDEX directory_search_keys_sort")
    conn.execute("CREATE INDEX directory_search_keys_sort ON directory_search_keys (sort_key, seq)")
    conn.execute("DROP TABLE directory_names")
    conn.execute("DELETE FROM schema_migrations WHERE number = 13")


def write_months_as_before(conn, held: Mapping[tuple[str, str], Sequence[tuple[str, str, int]]], now: str) -> None:
    """Centres' months written straight into the tables, as an earlier version's import left them:
    ``held`` maps ``(centre, month)`` to its counts ``(indicator, options as stored, value)``; each
    month submitted, its figures as first submitted read from its counts (migration 11). Nothing
    a later version keeps beside them is written (what the migration under test must make)."""
    for sequence, ((centre_id, period), cells) in enumerate(held.items(), start=1):
        conn.execute("INSERT INTO centre_months (centre_id, period, status, sequence, bundle_id, first_received_at, received_at, "
                     "submitted_received_at, catalogue_version, has_basis, basis_keyed, basis_in_counts) "
                     "VALUES (?, ?, 'submitted', ?, ?, ?, ?, ?, 1, 1, 1, 1)", (centre_id, period, sequence, f"b{sequence}", now, now, now))
        conn.executemany("INSERT INTO centre_counts (centre_id, period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?, 7)",
                         [(centre_id, period, *cell) for cell in cells])
