"""The encrypted store: creating it, unlocking it with a key slot, transactions, rekeying.

``Store`` is an open, unlocked database with the key slots beside it. Repositories run their SQL
through ``store.transaction()`` (one ``BEGIN IMMEDIATE`` ... ``COMMIT``; any error rolls back) or
``store.reading()``. Nothing above ``storage/`` sees the connection or the keys.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from caseworker.errors import AlreadyExists, EnvironmentFault, StoreDamaged, fault_from_os_error
from caseworker.i18n import t
from caseworker.paths import HomePaths, make_private_dir
from caseworker.storage import authority, database, keyring, migrations
from caseworker.storage.database import Connection
from caseworker.storage.keyslots import KEY_BYTES, KeySlot, SlotSecret, create_slot, open_secret, seal_secret, user_tag, wrap_database_key


@dataclass(frozen=True)
class StoreInfo:
    store_id: str
    role: str
    name: str
    district: str
    created_at: str


@dataclass(frozen=True)
class NewSlot:
    """What ``Store.issue_slot`` needs to make a slot: its id, kind, owner and passphrase."""

    slot_id: str
    kind: str
    user_name: str | None
    passphrase: str


# The moment ``now_utc`` gives while history is replayed (the coordinator demo imports two years
# of bundles as of the days they arrived); None: the real clock. Per thread of work.
_replayed_now: ContextVar[datetime | None] = ContextVar("caseworker_replayed_now", default=None)


def now_utc() -> str:
    return (_replayed_now.get() or datetime.now(timezone.utc)).isoformat(timespec="seconds")


@contextlib.contextmanager
def replayed_clock(moment: datetime) -> Iterator[None]:
    """Within the block, on this thread, every time stamp the store writes is ``moment`` (aware, UTC)."""
    token = _replayed_now.set(moment.astimezone(timezone.utc))
    try:
        yield
    finally:
        _replayed_now.reset(token)


class Store:
    """An unlocked store. Close it when done (``with`` works too)."""

    def __init__(self, paths: HomePaths, conn: Connection, key: bytes, generation: int, store_id: str) -> None:
        self.paths = paths
        self._conn: Connection | None = conn
        self._key = key
        self._generation = generation
        self.store_id = store_id

    # --- opening -----------------------------------------------------------------------------

    @staticmethod
    def refuse_existing(paths: HomePaths) -> None:
        """``AlreadyExists`` when ``paths`` holds a store: a new one is never made over it."""
        if paths.database.exists():
            raise AlreadyExists(t("A store already exists in {home}. Use it, or choose another folder with --home.", home=paths.home))

    @classmethod
    def create(cls, paths: HomePaths, *, role: str, name: str, district: str, first_user: NewSlot, recovery_passphrase: str) -> "Store":
        """Make a new store with its first user's slot and the recovery slot, atomically.

        Everything is built in a private staging folder inside the home and moved into place
        at the end, the database last: a store either exists whole or not at all.
        """
        cls.refuse_existing(paths)
        make_private_dir(paths.home)
        if paths.keyslots.exists() and any(paths.keyslots.iterdir()):
            raise AlreadyExists(
                t("The folder {folder} holds key slots but no database. Move it away (it may belong to a lost store) and try again.", folder=paths.keyslots)
            )
        staging = HomePaths(make_private_dir(paths.home / f".init-{secrets.token_hex(4)}"))
        try:
            key = os.urandom(KEY_BYTES)
            store_id = uuid.uuid4().hex
            conn = database.connect(staging.database, key)
            store = cls(staging, conn, key, 0, store_id)
            migrations.migrate(conn)
            with store.transaction() as tx:
                for meta_key, value in {
                    "store_id": store_id,
                    "role": role,
                    "name": name,
                    "district": district,
                    "created_at": now_utc(),
                }.items():
                    tx.execute("INSERT INTO store_meta (key, value) VALUES (?, ?)", (meta_key, value))
            for new in (first_user, NewSlot(keyring.RECOVERY_SLOT_ID, "recovery", None, recovery_passphrase)):
                store.issue_slot(new)
            store.close()
            make_private_dir(paths.keyslots)
            for slot_file in staging.keyslots.iterdir():
                os.replace(slot_file, paths.keyslots / slot_file.name)
            os.replace(staging.database, paths.database)
        except OSError as error:
            raise fault_from_os_error(error, paths.home) from error
        finally:
            shutil.rmtree(staging.home, ignore_errors=True)
        return cls.open_with_slot(paths, keyring.read_keyring(paths).by_id(first_user.slot_id), first_user.passphrase)[0]

    @classmethod
    def open_with_slot(cls, paths: HomePaths, slot: KeySlot | None, passphrase: str) -> tuple["Store", SlotSecret]:
        """Unlock with one slot: Argon2id, unwrap the key, open the database, migrate it.

        A slot that reached the authority of the key that opened the database through links
        (a rekey happened since its passphrase last sealed it) is sealed again pinning that
        authority, and its links are dropped.
        """
        if slot is None:
            raise StoreDamaged(t("A key slot of this store is missing. Restore it from a backup."))
        secret = open_secret(slot, passphrase)
        last_error: StoreDamaged | None = None
        for generation, key, authority_public in authority.unwrap_all(slot, secret):
            try:
                conn = database.connect(paths.database, key)
            except StoreDamaged as error:
                last_error = error
                continue
            store = cls(paths, conn, key, generation, slot.store_id)
            try:
                with database.translate_errors(paths.database):
                    migrations.migrate(conn)
                    if store.meta("store_id") != slot.store_id:
                        raise StoreDamaged(t("The key slots in {folder} belong to another store than {path}.", folder=paths.keyslots, path=paths.database))
                if authority_public != secret.authority_public:
                    secret = SlotSecret(secret.slot_private, authority_public)
                    with contextlib.suppress(EnvironmentFault):  # the links still work; the next unlock tries again
                        keyring.write_slot(paths, seal_secret(replace(slot, authority_links=()), secret, passphrase))
            except BaseException:
                store.close()
                raise
            return store, secret
        assert last_error is not None
        raise last_error

    def second_connection(self) -> "Store":
        """The same store on a connection of its own, for work on another thread. Close it after."""
        return Store(self.paths, database.connect(self.paths.database, self._key), self._key, self._generation, self.store_id)

    # --- working -----------------------------------------------------------------------------

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: committed durably on success, rolled back on any error."""
        conn = self.conn
        with database.translate_errors(self.paths.database):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def page_cache(self, kib: int) -> Iterator[None]:
        """This connection's page cache held to ``kib`` for a while, then as before."""
        conn = self.conn
        with database.translate_errors(self.paths.database):
            before = conn.execute("PRAGMA cache_size").fetchone()[0]
            conn.execute(f"PRAGMA cache_size = -{int(kib)}")
            try:
                yield
            finally:
                conn.execute(f"PRAGMA cache_size = {int(before)}")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent read snapshot over several statements."""
        with database.translate_errors(self.paths.database), self.conn.reading() as conn:
            yield conn

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def info(self) -> StoreInfo:
        return StoreInfo(
            store_id=self.store_id,
            role=self.meta("role") or "",
            name=self.meta("name") or "",
            district=self.meta("district") or "",
            created_at=self.meta("created_at") or "",
        )

    def checkpoint(self) -> None:
        """Move the write-ahead log into the database and empty it (after overwriting a secret)."""
        with database.translate_errors(self.paths.database):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def schema_version(self) -> int:
        return migrations.current_version(self.conn)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(database.DatabaseError):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None
        self._key = b""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- key slots ---------------------------------------------------------------------------

    def _authority_private(self) -> bytes:
        """The authority of the current database key, which seals it to new slots."""
        return authority.derive_private(self._key, self.store_id)

    def _authority_candidates(self) -> list[bytes]:
        """Authorities a slot may trust for the current key: derived, or a store's older random one."""
        legacy = self.meta("authority_private")
        return [self._authority_private()] + ([bytes.fromhex(legacy)] if legacy else [])

    def issue_slot(self, new: NewSlot) -> KeySlot:
        """Write a fresh slot (new key pair, new salt) that opens this store with ``new.passphrase``.

        Used for a new user, a changed passphrase and the recovery key; an existing slot with
        the same id is replaced atomically.
        """
        slot = create_slot(
            store_id=self.store_id,
            slot_id=new.slot_id,
            kind=new.kind,
            user_tag=user_tag(self.store_id, new.user_name) if new.user_name is not None else None,
            passphrase=new.passphrase,
            authority_private=self._authority_private(),
            database_key=self._key,
            generation=self._generation,
        )
        keyring.write_slot(self.paths, slot)
        return slot

    def rekey_without(self, removed_slot_id: str) -> None:
        """Re-encrypt the database with a new key, and so a new authority, for every slot but one.

        The new authority's private key is derived from the new database key, so it exists
        only for whoever holds that key; nothing the removed user kept (her slot, an older copy
        of the database, the older authority keys in it) unwraps the new key from any slot.
        The order keeps the store openable whatever moment the process dies at: first every
        remaining slot carries the new key and a link to the new authority beside the old ones,
        then the database switches key (atomically, and with it the authority), then the
        removed slot goes, then the old key is dropped from the others and an older store's
        random authority key from the database.
        """
        new_key = os.urandom(KEY_BYTES)
        new_generation = self._generation + 1
        new_authority = authority.derive_private(new_key, self.store_id)
        new_public = authority.public_of(new_authority)
        candidates = self._authority_candidates()
        for slot in keyring.read_keyring(self.paths).slots:
            if slot.slot_id == removed_slot_id:
                continue
            sealer = authority.sealer_of(slot, self._generation, candidates) or candidates[0]
            old = tuple(w for w in slot.wrapped_keys if w.generation == self._generation)
            links = tuple(link for link in slot.authority_links if link.generation <= self._generation)
            keyring.write_slot(self.paths, replace(
                slot,
                wrapped_keys=(wrap_database_key(slot, new_authority, new_key, new_generation),) + old,
                authority_links=links + (authority.endorse(slot, sealer, new_public, new_generation),),
            ))
        with database.translate_errors(self.paths.database):
            database.set_key(self.conn, new_key)
        self._key, self._generation = new_key, new_generation
        keyring.delete_slot(self.paths, removed_slot_id)
        for slot in keyring.read_keyring(self.paths).slots:
            current = tuple(w for w in slot.wrapped_keys if w.generation == new_generation)
            keyring.write_slot(self.paths, replace(slot, wrapped_keys=current))
        self._drop_random_authority()

    def _drop_random_authority(self) -> None:
        """Delete the random authority key a store made before derived authorities kept."""
        with self.transaction() as tx:
            tx.executemany("DELETE FROM store_meta WHERE key = ?", [(key,) for key in authority.LEGACY_META_KEYS])

    # --- maintenance -------------------------------------------------------------------------

    def copy_database_to(self, target: os.PathLike[str]) -> None:
        """An encrypted, consistent copy of the database (same key) at ``target``."""
        database.create_private_file(Path(target))
        with database.translate_errors(self.paths.database):
            self.conn.execute("VACUUM INTO ?", (os.fspath(target),))

    def integrity_problems(self) -> list[str]:
        """What SQLite's and SQLCipher's integrity checks report; empty when all is well."""
        with database.translate_errors(self.paths.database):
            problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [str(row[0]) for row in self.conn.execute("PRAGMA cipher_integrity_check")]
        return problems
