"""Sessions: one per unlocked store, shared by the GUI and the command line.

``initialise`` makes a new store, ``unlock`` opens one with a user's passphrase or the recovery
key. A ``Session`` knows who is acting and with which role; use cases call ``session.require``
before they act and ``session.audit`` in the same transaction as the change they record.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from caseworker.app import signing_access
from caseworker.domain.districts import require_district
from caseworker.domain.users import FIRST_USER_ROLE, Permission, Role, StoreRole, User, check_new_passphrase, may, normalise_user_name
from caseworker.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.storage import audit, keyring, recovery_key
from caseworker.storage import users as users_repo
from caseworker.storage.database import Connection
from caseworker.storage.store import NewSlot, Store, StoreInfo, now_utc

RECOVERY_ACTOR = "(recovery key)"


@dataclass(frozen=True)
class Credentials:
    """Who unlocks: a user name with a passphrase, or the recovery key (optionally as a user)."""

    user: str | None
    passphrase: str | None = None
    recovery_key: str | None = None


@dataclass(frozen=True)
class InitResult:
    info: StoreInfo
    first_user: User
    recovery_key: str


class Session:
    """An unlocked store and the user acting on it."""

    def __init__(self, store: Store, user: User, via_recovery: bool, signer_key: bytes | None = None) -> None:
        self._store = store
        self.user = user
        self.via_recovery = via_recovery
        self.info = store.info()
        # Opens the store's signing key (caseworker.app.signing_access); None for a caseworker.
        self.signer_key = signer_key

    @property
    def store_role(self) -> StoreRole:
        return StoreRole(self.info.role)

    @property
    def home(self) -> Path:
        return self._store.paths.home

    @property
    def is_open(self) -> bool:
        return self._store.is_open

    @property
    def actor(self) -> str:
        return f"{self.user.name} {RECOVERY_ACTOR}" if self.via_recovery else self.user.name

    def may(self, permission: Permission) -> bool:
        return may(self.user.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(
                t("Your role ({role}) may not do this. Ask a supervisor.", role=self.user.role.label())
                if self.store_role is StoreRole.CENTRE
                else t("Your role ({role}) may not do this.", role=self.user.role.label())
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self._store.transaction() as conn:
            yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        with self._store.reading() as conn:
            yield conn

    def audit(self, conn: Connection, action: str, subject: str | None = None) -> None:
        audit.append(conn, now_utc(), self.actor, action, subject)

    def fork(self) -> "Session":
        """A session for the same user on its own database connection, for another thread.

        One SQLite connection must not carry two threads' transactions; SQLite's own locking
        keeps the two connections consistent. Close the fork when the work is done.
        """
        return Session(self._store.second_connection(), self.user, self.via_recovery, self.signer_key)

    @property
    def store(self) -> Store:
        """For use cases in ``caseworker.app`` only; the interface never touches the store."""
        return self._store

    def close(self) -> None:
        self._store.close()
        self.signer_key = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def new_user_slot_id() -> str:
    return f"user-{secrets.token_hex(8)}"


def initialise(home: Path, *, store_role: StoreRole, name: str, district: str, user_name: str, passphrase: str) -> tuple[Session, InitResult]:
    """Make a new store in ``home`` with its first user; returns the session and the recovery key."""
    Store.refuse_existing(HomePaths(Path(home)))  # said first: nothing else matters then
    if not name.strip():
        raise InvalidInput(t("Give the name of the centre or unit with --name."))
    normalised = normalise_user_name(user_name)
    check_new_passphrase(passphrase, normalised)
    role = FIRST_USER_ROLE[store_role]
    key = recovery_key.generate()
    slot_id = new_user_slot_id()
    store = Store.create(
        HomePaths(Path(home)),
        role=store_role.value,
        name=name.strip(),
        district=require_district(district, empty_allowed=store_role is StoreRole.COORDINATOR),
        first_user=NewSlot(slot_id, "user", normalised, passphrase),
        recovery_passphrase=key,
    )
    user = User(normalised, role, now_utc())
    with store.transaction() as conn:
        users_repo.insert(conn, user, slot_id, None)
        audit.append(conn, user.created_at, user.name, "store.init", store_role.value)
    signer_key = signing_access.establish(store, [slot_id, keyring.RECOVERY_SLOT_ID])
    session = Session(store, user, via_recovery=False, signer_key=signer_key)
    from caseworker.app import sync_keys  # the keys use the session; made now, by the first signer

    sync_keys.identity(session)
    return session, InitResult(session.info, user, key)


def unlock(home: Path, credentials: Credentials) -> Session:
    """Open the store in ``home``; ``AuthenticationFailed`` and friends on any refusal."""
    paths = HomePaths(Path(home))
    ring = keyring.read_keyring(paths)
    name = normalise_user_name(credentials.user) if credentials.user else None
    if credentials.recovery_key is not None:
        slot = ring.recovery()
        store, secret = Store.open_with_slot(paths, slot, recovery_key.normalise(credentials.recovery_key))
    else:
        if name is None:
            raise AuthenticationFailed(t("Say which user you are (CASEWORKER_USER or the user field)."))
        if not credentials.passphrase:
            raise AuthenticationFailed(t("No passphrase was given for user {user}.", user=name))
        slot = ring.for_user(name)
        store, secret = Store.open_with_slot(paths, slot, credentials.passphrase)
    try:
        with store.reading() as conn:
            user = users_repo.get(conn, name) if name else None
            registered_slot = users_repo.slot_id_of(conn, name) if name else None
        via_recovery = credentials.recovery_key is not None
        if name and user is None:
            raise AuthenticationFailed(t("There is no user named {user} in this store. Check the spelling, or ask a supervisor.", user=name))
        if not via_recovery and registered_slot != slot.slot_id:
            raise AuthenticationFailed(t("The user {user} was removed from this store.", user=name))
        top_role = FIRST_USER_ROLE[StoreRole(store.meta("role"))]
        if user is None:
            user = User(RECOVERY_ACTOR, top_role, "")
        signer_key = signing_access.at_unlock(store, slot, secret.slot_private, signer=via_recovery or user.role is top_role)
        session = Session(store, user, via_recovery, signer_key)
        _finish_interrupted_removals(session)
        with session.transaction() as conn:
            session.audit(conn, "session.unlock")
        return session
    except BaseException:
        store.close()
        raise


def _finish_interrupted_removals(session: Session) -> None:
    """Rekey away user slots whose user is gone (a removal cut short by a crash)."""
    store = session.store
    with store.reading() as conn:
        registered = users_repo.user_slot_ids(conn)
    for slot in keyring.read_keyring(store.paths).slots:
        if slot.kind == "user" and slot.slot_id not in registered:
            store.rekey_without(slot.slot_id)
            with session.transaction() as conn:
                session.audit(conn, "user.remove.completed")


def require_role_allowed(session: Session, role: Role) -> None:
    from caseworker.domain.users import ROLES_OF_STORE

    allowed = ROLES_OF_STORE[session.store_role]
    if role not in allowed:
        raise InvalidInput(
            t("A {store_role} store has no {role} users; use one of: {allowed}.",
              store_role=session.store_role.value, role=role.value, allowed=", ".join(r.value for r in allowed))
        )
