"""Use cases for sync keys and enrolment: show keys, write and accept enrolment requests, write
and pin the coordinator's profile, export the coordinator's age identity for the safe.

Keys are made the first time they are needed and live only inside the encrypted store.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from caseworker.app.files import read_named_file
from caseworker.app import signing_access
from caseworker.app.session import Session
from caseworker.domain.districts import normalised_district
from caseworker.domain.text import search_key
from caseworker.domain.users import FIRST_USER_ROLE, Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from caseworker.i18n import t
from caseworker.storage import publications as publications_repo
from caseworker.storage import sync as sync_repo
from caseworker.storage.atomic import write_atomic
from caseworker.storage.store import now_utc
from caseworker.sync import agecrypt, minisign
from caseworker.sync.enrolment import CoordinatorProfile, EnrolmentRequest, parse_profile, parse_request, same_fingerprint


@dataclass(frozen=True)
class KeysInfo:
    signing_public_key: str
    fingerprint: str
    centre_id: str | None
    age_recipient: str | None


@dataclass(frozen=True)
class EnrolmentOutcome:
    centre_id: str
    status: str  # "enrolled", "re-enrolled" (its keys had been revoked), "replaced" (old key revoked) or "unchanged"
    revoked_keys: int
    old_fingerprint: str | None = None


def _require_role(session: Session, role: StoreRole) -> None:
    if session.store_role is not role:
        raise PermissionDenied(
            t("This is done on a centre's store.") if role is StoreRole.CENTRE else t("This is done on the coordinator's store.")
        )


def _new_centre_id(session: Session) -> str:
    base = "-".join(search_key(session.info.district or session.info.name).split())[:40] or "centre"
    return f"{base}-{secrets.token_hex(2)}"


def identity(session: Session) -> sync_repo.Identity:
    """This store's keys, made on first use (by someone who may sign: see ``signing_access``)."""
    with session.reading() as conn:
        found = sync_repo.identity(conn)
    if found:
        return found
    if session.signer_key is None:
        raise PermissionDenied(_only_signers(session))
    coordinator = session.store_role is StoreRole.COORDINATOR
    age_identity = agecrypt.generate_identity()[0] if coordinator else None
    pair = minisign.generate_keypair()
    public = pair.public_key()
    made = sync_repo.Identity(
        None if coordinator else _new_centre_id(session),
        signing_access.seal_new_secret(session, pair.to_bytes()),
        age_identity,
        public.key_id + public.key,
        True,
    )
    with session.transaction() as conn:
        if sync_repo.identity(conn) is None:
            sync_repo.save_identity(conn, made, now_utc())
            session.audit(conn, "keys.create")
        found = sync_repo.identity(conn)
    assert found is not None
    return found


def may_sign(session: Session) -> bool:
    return session.signer_key is not None


def signing_key(session: Session) -> minisign.SigningKey:
    """The store's signing key; ``PermissionDenied`` for a session that does not hold the signer key."""
    if session.signer_key is None:
        raise PermissionDenied(_only_signers(session))
    secret = signing_access.open_signing_secret(session, identity(session))
    if secret is None:
        raise PermissionDenied(
            t("Your key does not open the signing key of this store. Ask another {role} to set your passphrase again, or unlock with the recovery key.",
              role=FIRST_USER_ROLE[session.store_role].label())
        )
    return minisign.SigningKey.from_bytes(secret)


def _only_signers(session: Session) -> str:
    if session.store_role is StoreRole.CENTRE:
        return t("Only a supervisor can sign the centre's statistics: the month is sent when a supervisor approves it, or runs the sync.")
    return t("Only a coordinator can sign for the coordinating unit.")


def signing_public_key(ident: sync_repo.Identity) -> minisign.PublicKey:
    return minisign.PublicKey(ident.signing_public[:8], ident.signing_public[8:])


def keys(session: Session) -> KeysInfo:
    ident = identity(session)
    public = signing_public_key(ident)
    recipient = agecrypt.recipient_from_identity(ident.age_identity) if ident.age_identity else None
    fingerprint = profile(session).fingerprint if recipient else enrolment_request(session).fingerprint
    return KeysInfo(public.to_base64(), fingerprint, ident.centre_id, recipient)


def export_identity(session: Session, target: Path) -> Path:
    """Write the coordinator's age identity to a file for the safe (a secret!)."""
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.BACKUP)
    ident = identity(session)
    assert ident.age_identity
    agecrypt.write_identity_file(Path(target), ident.age_identity)
    with session.transaction() as conn:
        session.audit(conn, "keys.export_identity")
    return Path(target)


# --- centre -> coordinator ------------------------------------------------------------------------


def enrolment_request(session: Session) -> EnrolmentRequest:
    _require_role(session, StoreRole.CENTRE)
    ident = identity(session)
    public = signing_public_key(ident)
    return EnrolmentRequest(ident.centre_id or "", session.info.name, session.info.district, public.to_base64())


def write_enrolment_request(session: Session, target: Path) -> EnrolmentRequest:
    session.require(Permission.EXPORT)
    request = enrolment_request(session)
    write_atomic(Path(target), request.to_bytes(), mode=0o644)
    with session.transaction() as conn:
        session.audit(conn, "enrol.request")
    return request


def read_file(path: Path) -> bytes:
    data = read_named_file(path)
    if len(data) > 64 * 1024:
        raise InvalidInput(t("{path} is too large to be an enrolment file.", path=path))
    return data


def read_enrolment_request(path: Path) -> EnrolmentRequest:
    return parse_request(read_file(path))


def _check_fingerprint(given: str | None, expected: str) -> None:
    """The fingerprint read aloud must be the file's; the file's own is never said (not asked, not refused)."""
    if given is None:
        raise InvalidInput(t("Give the fingerprint the other side read aloud to you (--fingerprint FP)."))
    if not same_fingerprint(given, expected):
        raise InvalidInput(t("The fingerprint read to you does not match this file. Do not accept it; call the other side again on a number you know."))


def active_key(session: Session, centre_id: str) -> sync_repo.CentreKey | None:
    """The key a centre signs with now, if it is enrolled and not revoked."""
    with session.reading() as conn:
        return next((key for key in sync_repo.centre_keys(conn, centre_id) if key.revoked_at is None), None)


def accept_enrolment(session: Session, request: EnrolmentRequest, confirmed_fingerprint: str | None) -> EnrolmentOutcome:
    """Enrol a centre (coordinator). A request for a centre already enrolled with another key is
    refused: replacing a centre's key is its own action, ``replace_centre_key``."""
    return _enrol(session, request, confirmed_fingerprint, replace=False)


def replace_centre_key(session: Session, request: EnrolmentRequest, confirmed_fingerprint: str | None) -> EnrolmentOutcome:
    """Replace the key of an enrolled centre (a stolen laptop, a reinstalled store): the old key
    is revoked, and the audit log names the old and the new fingerprint."""
    return _enrol(session, request, confirmed_fingerprint, replace=True)


def _enrol(session: Session, request: EnrolmentRequest, confirmed_fingerprint: str | None, *, replace: bool) -> EnrolmentOutcome:
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    _check_fingerprint(confirmed_fingerprint, request.fingerprint)
    public = minisign.PublicKey.from_base64(request.signing_public)
    key_id = public.key_id.hex()
    now = now_utc()
    with session.transaction() as conn:
        existing = sync_repo.key_by_id(conn, key_id)
        if existing and existing.centre_id != request.centre_id:
            raise Conflict(t("This key is already enrolled for centre {centre}.", centre=existing.centre_id))
        if existing and existing.revoked_at:
            raise Conflict(t("This key of centre {centre} was revoked; the centre must make a new enrolment request.", centre=request.centre_id))
        known = sync_repo.centre(conn, request.centre_id)
        current = next((key for key in sync_repo.centre_keys(conn, request.centre_id) if key.revoked_at is None), None)
        if existing is None and current is not None and not replace:
            raise Conflict(
                t("Centre {centre} is already enrolled with another key (fingerprint {old}). If the centre really has a new key, replace it as its own step (caseworker enrol replace-key FILE), after calling the centre on a number you know.",
                  centre=request.centre_id, old=current.fingerprint)
            )
        if replace and current is None:
            raise NotFound(t("Centre {centre} has no key to replace; accept its enrolment request instead.", centre=request.centre_id))
        sync_repo.upsert_centre(conn, sync_repo.Centre(request.centre_id, request.name, normalised_district(request.district), known.enrolled_at if known else now))
        if existing:
            return EnrolmentOutcome(request.centre_id, "unchanged", 0)
        revoked = sync_repo.revoke_keys(conn, request.centre_id, now)
        sync_repo.add_key(conn, sync_repo.CentreKey(key_id, request.centre_id, request.signing_public, request.fingerprint, now, None))
        if replace:
            assert current is not None
            session.audit(conn, "enrol.replace_key", f"{request.centre_id} {current.fingerprint} -> {request.fingerprint}")
            return EnrolmentOutcome(request.centre_id, "replaced", revoked, current.fingerprint)
        session.audit(conn, "enrol.accept", f"{request.centre_id} {request.fingerprint}")
    return EnrolmentOutcome(request.centre_id, "re-enrolled" if known else "enrolled", revoked)


def revoke_centre(session: Session, centre_id: str) -> int:
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    with session.transaction() as conn:
        if sync_repo.centre(conn, centre_id) is None:
            raise NotFound(t("There is no enrolled centre {centre}.", centre=centre_id))
        count = sync_repo.revoke_keys(conn, centre_id, now_utc())
        session.audit(conn, "enrol.revoke", centre_id)
    return count


# --- coordinator -> centres -----------------------------------------------------------------------


def profile(session: Session) -> CoordinatorProfile:
    _require_role(session, StoreRole.COORDINATOR)
    ident = identity(session)
    assert ident.age_identity
    public = signing_public_key(ident)
    return CoordinatorProfile(session.info.name, (agecrypt.recipient_from_identity(ident.age_identity),), public.to_base64())


def write_profile(session: Session, target: Path) -> CoordinatorProfile:
    session.require(Permission.COORDINATE)
    found = profile(session)
    write_atomic(Path(target), found.to_bytes(), mode=0o644)
    with session.transaction() as conn:
        session.audit(conn, "profile.export")
    return found


def read_profile(path: Path) -> CoordinatorProfile:
    return parse_profile(read_file(path))


def pin_profile(session: Session, found: CoordinatorProfile, confirmed_fingerprint: str | None) -> None:
    """Pin the coordinator's keys on a centre's store, after the fingerprint was confirmed."""
    _require_role(session, StoreRole.CENTRE)
    session.require(Permission.EXPORT)
    _check_fingerprint(confirmed_fingerprint, found.fingerprint)
    with session.transaction() as conn:
        before = sync_repo.pinned_profile(conn)
        sync_repo.pin_profile(conn, sync_repo.PinnedProfile(found.name, found.age_recipients, found.signing_public, found.fingerprint, now_utc()))
        session.audit(conn, "profile.pin", found.fingerprint)
        if before is not None and before.signing_public != found.signing_public:
            # Another coordinator numbers its publications from 1: the serials of the one replaced
            # would refuse its first publications.
            publications_repo.reset_serials(conn)
            session.audit(conn, "publications.reset", f"{before.fingerprint} -> {found.fingerprint}")


def pinned_profile(session: Session) -> sync_repo.PinnedProfile | None:
    with session.reading() as conn:
        return sync_repo.pinned_profile(conn)
