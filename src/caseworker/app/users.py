"""Use cases for the people who may open the store: list, add, remove, change a passphrase."""

from __future__ import annotations

from caseworker.app import signing_access
from caseworker.app.session import Session, new_user_slot_id, require_role_allowed
from caseworker.domain.users import FIRST_USER_ROLE, Permission, Role, User, check_new_passphrase, normalise_user_name
from caseworker.errors import AlreadyExists, Conflict, NotFound, PermissionDenied
from caseworker.i18n import t
from caseworker.storage import keyring
from caseworker.storage import users as users_repo
from caseworker.storage.store import NewSlot, now_utc


def list_users(session: Session) -> list[User]:
    with session.reading() as conn:
        return users_repo.all_users(conn)


def add_user(session: Session, name: str, role: Role, passphrase: str) -> User:
    session.require(Permission.MANAGE_USERS)
    require_role_allowed(session, role)
    name = normalise_user_name(name)
    check_new_passphrase(passphrase, name)
    with session.reading() as conn:
        if users_repo.get(conn, name):
            raise AlreadyExists(t("A user named {user} exists already.", user=name))
    slot_id = new_user_slot_id()
    slot = session.store.issue_slot(NewSlot(slot_id, "user", name, passphrase))
    user = User(name, role, now_utc())
    try:
        with session.transaction() as conn:
            users_repo.insert(conn, user, slot_id, session.user.name)
            session.audit(conn, "user.add", f"{name} ({role.value})")
    except BaseException:
        keyring.delete_slot(session.store.paths, slot_id)
        raise
    if role is FIRST_USER_ROLE[session.store_role]:
        signing_access.grant(session, slot)
    return user


def remove_user(session: Session, name: str) -> None:
    """Remove a user: their slot goes and the store is rekeyed, so an old copy of it is useless."""
    session.require(Permission.MANAGE_USERS)
    name = normalise_user_name(name)
    with session.reading() as conn:
        user = users_repo.get(conn, name)
        slot_id = users_repo.slot_id_of(conn, name)
        if user is None or slot_id is None:
            raise NotFound(t("There is no user named {user} in this store.", user=name))
        top_role = FIRST_USER_ROLE[session.store_role]
        if user.role is top_role and users_repo.count_with_role(conn, top_role) == 1:
            raise Conflict(t("{user} is the last {role}; add another {role} before removing them.", user=name, role=top_role.label()))
    if name == session.user.name and not session.via_recovery:
        raise Conflict(t("You cannot remove yourself; ask another {role}.", role=FIRST_USER_ROLE[session.store_role].label()))
    with session.transaction() as conn:
        users_repo.delete(conn, name)
        session.audit(conn, "user.remove", name)
        signer_key = signing_access.withdraw(conn, session, slot_id)
    session.signer_key = signer_key
    session.store.rekey_without(slot_id)


def check_may_change_passphrase(session: Session, name: str) -> None:
    """Anyone may change their own passphrase; supervisors and coordinators anyone's."""
    if normalise_user_name(name) != session.user.name and not session.may(Permission.MANAGE_USERS):
        raise PermissionDenied(t("You may change only your own passphrase. Ask a supervisor to reset another user's."))


def change_passphrase(session: Session, name: str, new_passphrase: str) -> None:
    """Give ``name`` a new passphrase: their own, or anyone's for a supervisor or coordinator."""
    name = normalise_user_name(name)
    check_may_change_passphrase(session, name)
    check_new_passphrase(new_passphrase, name)
    with session.reading() as conn:
        slot_id = users_repo.slot_id_of(conn, name)
    if slot_id is None:
        raise NotFound(t("There is no user named {user} in this store.", user=name))
    signed = signing_access.holds_seal(session, slot_id)
    slot = session.store.issue_slot(NewSlot(slot_id, "user", name, new_passphrase))
    if signed:  # her slot has a new key pair: the signer key is sealed for it again
        signing_access.grant(session, slot)
    with session.transaction() as conn:
        session.audit(conn, "user.passwd", name)
