"""Opening the SQLCipher database: the raw key, the pragmas, the build check, error translation,
and the connection class, which can remember what it read while the store is unchanged.

The database is opened with a raw 256-bit key (no passphrase derivation inside SQLCipher; key
derivation is the key slots' job). Settings: WAL, ``synchronous=FULL``, ``temp_store=MEMORY``
(no plaintext temporary files), a page cache for the working set, ``cipher_log_level=NONE``,
``cipher_memory_security=OFF`` (SQLCipher's own default, pinned); docs/store.md gives the
measurements behind each.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlcipher3

from caseworker.errors import DiskFull, FileAccessError, StoreDamaged, StoreIncompatible, StoreLocked, fault_from_os_error
from caseworker.i18n import t

DatabaseError = sqlcipher3.DatabaseError


class Connection(sqlcipher3.Connection):
    """A connection to the store that can remember what it read while the store is unchanged.

    ``remembered`` is a dictionary a reader may keep results derived from the store in
    (directory search keeps what an index look-up found: the next key press asks again). It is
    kept only for what is read inside ``reading`` (a read transaction, which writes nothing),
    and emptied when the store may have changed since: a change made through this connection
    (committed or rolled back), a commit by another connection, a change of schema. Outside
    ``reading`` it is a new, empty dictionary each time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading = False
        self._remembered: dict[Any, Any] = {}
        self._remembered_at: tuple[int, ...] = ()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot over several statements, rolled back at
        the end."""
        changes = self.total_changes
        self.execute("BEGIN")
        self._reading = True
        try:
            yield self
        finally:
            self._reading = False
            self.execute("ROLLBACK")
            if self.total_changes != changes:  # written after all, inside a read: forget it
                self._remembered, self._remembered_at = {}, ()

    def remembered(self) -> dict[Any, Any]:
        if not self._reading:
            return {}
        at = (self.total_changes, *self.execute("SELECT * FROM pragma_data_version, pragma_schema_version").fetchone())
        if at != self._remembered_at:
            self._remembered, self._remembered_at = {}, at
        return self._remembered


BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024


@lru_cache(maxsize=1)
def check_build() -> str:
    """The SQLCipher version, after checking the build has its codec and FTS5.

    Refuses (``StoreIncompatible``) to go on with a plain SQLite or a build without FTS5: the
    first would write the store unencrypted, the second breaks directory search.
    """
    conn = sqlcipher3.connect(":memory:")
    try:
        version_row = conn.execute("PRAGMA cipher_version").fetchone()
        options = {row[0] for row in conn.execute("PRAGMA compile_options")}
        if not version_row or not version_row[0] or "HAS_CODEC" not in options:
            raise StoreIncompatible(
                t("This SQLCipher build has no encryption codec; Caseworker will not store data unencrypted. Reinstall Caseworker.")
            )
        try:
            conn.execute("CREATE VIRTUAL TABLE fts_probe USING fts5(body)")
        except sqlcipher3.DatabaseError:
            raise StoreIncompatible(t("This SQLCipher build lacks full-text search (FTS5). Reinstall Caseworker.")) from None
        return str(version_row[0])
    finally:
        conn.close()


def connect(path: Path, key: bytes) -> Connection:
    """Open (or create) the database at ``path`` with ``key``; proves the key by reading.

    Raises ``StoreDamaged`` if the key does not open it (damaged, truncated or another store's
    database) and ``StoreLocked`` if another program holds it.
    """
    check_build()
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if not path.exists():
        create_private_file(path)
    with translate_errors(path):
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000, factory=Connection)
    try:
        with translate_errors(path):
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            # Wiping every allocation SQLite frees nearly doubles the time of bulk writes (an import)
            # and, once on, stays on for the whole process; SQLCipher wipes its key material either way.
            conn.execute("PRAGMA cipher_memory_security = OFF")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def create_private_file(path: Path) -> None:
    """An empty file readable by the owner only; SQLite gives its -wal and -shm the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as error:
        raise fault_from_os_error(error, path) from error


def set_key(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page with ``new_key`` (atomically, outside WAL mode, as SQLCipher asks)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    conn.execute("PRAGMA journal_mode = WAL").fetchone()


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors into Caseworker's: damaged, locked, disk full, no access."""
    try:
        yield
    except sqlcipher3.OperationalError as error:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            raise StoreLocked(
                t("The store is in use by another Caseworker window or command. Close it and try again.")
            ) from None
        if "disk is full" in text or "database or disk is full" in text:
            raise DiskFull(t("The disk holding the store is full. Free some space and try again; nothing was changed.")) from None
        if "unable to open" in text or "readonly" in text or "disk i/o" in text:
            raise FileAccessError(
                t("Cannot read or write the store at {path}: {reason}. Check the folder and its permissions.", path=path, reason=error)
            ) from None
        raise
    except sqlcipher3.DatabaseError as error:
        text = str(error).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise StoreDamaged(
                t("The store database {path} cannot be read: it is damaged or does not belong to these key slots. Run 'caseworker check' or restore a backup.", path=path)
            ) from None
        raise
