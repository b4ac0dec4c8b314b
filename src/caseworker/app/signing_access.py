"""Who may sign, enforced by keys: the signer key in a session, and handing it on as users change.

A session holds the signer key (``caseworker.storage.signer_key``) when its slot has a seal that
opens and was endorsed with that key: a supervisor's or coordinator's slot, or the recovery key.
A caseworker's session has none, so it can record and read but never sign a bundle or a
publication — whatever the database says her role is.

The key reaches a slot only from someone who holds it:
* the store is made: its first user and the recovery slot (``establish``);
* a store made before signing was sealed: the first signer who unlocks it (``at_unlock``);
* a signer adds a signer, or sets a signer's passphrase (the slot's key pair is new) (``grant``);
* a signer leaves: her seal goes, the key is replaced, and the new one is sealed for every seal
  that the old key endorsed, so a seal someone wrote into the database is not carried on
  (``withdraw``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from caseworker.domain.users import FIRST_USER_ROLE, StoreRole
from caseworker.storage import keyring
from caseworker.storage import signer_key as seals
from caseworker.storage import sync as sync_repo
from caseworker.storage import users as users_repo
from caseworker.storage.database import Connection
from caseworker.storage.keyslots import KeySlot
from caseworker.storage.store import Store

if TYPE_CHECKING:
    from caseworker.app.session import Session


def establish(store: Store, slot_ids: Iterable[str]) -> bytes:
    """A new signer key sealed for ``slot_ids``; a plain signing secret is sealed under it."""
    key = seals.new_key()
    ring = keyring.read_keyring(store.paths)
    with store.transaction() as conn:
        seals.drop_all_seals(conn)
        for slot_id in slot_ids:
            slot = ring.by_id(slot_id)
            if slot is not None:
                seals.put_seal(conn, seals.seal_for(store.store_id, slot_id, slot.public_key, key))
        ident = sync_repo.identity(conn)
        if ident is not None and not ident.signing_sealed:
            sync_repo.seal_signing_secret(conn, seals.seal_secret(store.store_id, key, ident.signing_secret))
        seals.set_state(conn, seals.SEALED)
    store.checkpoint()
    return key


def at_unlock(store: Store, slot: KeySlot, slot_private: bytes, *, signer: bool) -> bytes | None:
    """The signer key this unlock holds, or None."""
    with store.reading() as conn:
        state = seals.state(conn)
        if state is None:  # a store held at an older schema (only tests of migrations do that)
            return None
        seal = seals.seal_of(conn, slot.slot_id)
        if state == seals.PENDING:
            role = FIRST_USER_ROLE[StoreRole(store.meta("role"))]
            signer_slots = [users_repo.slot_id_of(conn, user.name) for user in users_repo.all_users(conn) if user.role is role]
    if state == seals.PENDING:
        return establish(store, [s for s in signer_slots if s] + [keyring.RECOVERY_SLOT_ID]) if signer else None
    return seals.open_seal(store.store_id, seal, slot_private) if seal is not None else None


def holds_seal(session: "Session", slot_id: str) -> bool:
    with session.reading() as conn:
        return seals.seal_of(conn, slot_id) is not None


def grant(session: "Session", slot: KeySlot) -> bool:
    """Seal the session's signer key for ``slot``; False when the session holds none."""
    if session.signer_key is None:
        return False
    with session.transaction() as conn:
        seals.put_seal(conn, seals.seal_for(session.store.store_id, slot.slot_id, slot.public_key, session.signer_key))
    return True


def withdraw(conn: Connection, session: "Session", slot_id: str) -> bytes | None:
    """Inside the removal's transaction: drop ``slot_id``'s seal and, when it had one, replace the
    signer key. Returns the session's signer key from now on."""
    store_id = session.store.store_id
    removed = seals.seal_of(conn, slot_id)
    seals.drop_seal(conn, slot_id)
    old = session.signer_key
    if removed is None or old is None:
        return old
    new = seals.new_key()
    for seal in seals.all_seals(conn):
        seals.drop_seal(conn, seal.slot_id)
        if seals.endorsed(store_id, seal, old):
            seals.put_seal(conn, seals.seal_for(store_id, seal.slot_id, seal.slot_public, new))
    ident = sync_repo.identity(conn)
    if ident is not None and ident.signing_sealed:
        secret = seals.open_secret(store_id, old, ident.signing_secret)
        if secret is not None:
            sync_repo.reseal_signing_secret(conn, seals.seal_secret(store_id, new, secret))
    return new


def open_signing_secret(session: "Session", ident: sync_repo.Identity) -> bytes | None:
    """The plain signing secret, for a session that holds the signer key; None otherwise."""
    if session.signer_key is None:
        return None
    if not ident.signing_sealed:
        return ident.signing_secret
    return seals.open_secret(session.store.store_id, session.signer_key, ident.signing_secret)


def seal_new_secret(session: "Session", secret: bytes) -> bytes:
    assert session.signer_key is not None
    return seals.seal_secret(session.store.store_id, session.signer_key, secret)
