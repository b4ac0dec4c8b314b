"""Use cases of the coordinator's publications (see ``sync/publications.py``).

The coordinator publishes the catalogue in use and its service directory as signed files; a
centre's supervisor applies them. A centre takes a new catalogue only this way, never from an
unsigned file, and takes the coordinator's directory entries as read-only entries of source
"coordinator", replacing those of the previous publication.

A directory publication's content is either an HSDS JSON list of services (publications made
before referral pathways, still read), or a ``caseworker-directory-publication`` object holding
that list under ``directory`` and the referral pathway definitions of the city and every
district under ``pathways`` (``domain.pathways``). A centre keeps those definitions and prints
them, so every centre's pathway of a district is the coordinator's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import json

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import pathways as pathways_uc
from caseworker.app import sync_keys
from caseworker.app.files import read_named_file
from caseworker.app.directory import hsds_json_bytes, with_published_entries
from caseworker.app.session import Session
from caseworker.domain.catalogue import check_successor, parse_catalogue
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput, PermissionDenied
from caseworker.hsds.reading import import_hsds_json
from caseworker.i18n import t
from caseworker.storage import counts as counts_repo
from caseworker.storage import directory as directory_repo
from caseworker.domain.pathways import parse_definitions
from caseworker.storage import pathways as pathways_repo
from caseworker.storage import publications as publications_repo
from caseworker.storage.atomic import write_atomic
from caseworker.storage.store import now_utc
from caseworker.sync import minisign
from caseworker.sync.publications import SUFFIX, Publication, looks_like_publication, open_publication, seal

DIRECTORY_FORMAT = "caseworker-directory-publication"
DIRECTORY_VERSION = 2

@dataclass(frozen=True)
class Published:
    kind: str  # "catalogue" or "directory"
    serial: int  # the catalogue's version, or the directory publication's number
    path: Path
    entries: int  # indicators or services


@dataclass(frozen=True)
class Applied:
    kind: str
    serial: int
    changed: bool
    added: int = 0
    updated: int = 0
    removed: int = 0


def suggested_file_name(session: Session, kind: str) -> str:
    """A file name for a new publication: ``caseworker-catalogue-v3.cwpub``,
    ``caseworker-directory-2026-12-02.cwpub``."""
    if kind == "catalogue":
        return f"caseworker-catalogue-v{catalogue_uc.current(session).version}{SUFFIX}"
    return f"caseworker-directory-{now_utc()[:10]}{SUFFIX}"


def _require_coordinator(session: Session) -> None:
    if session.store_role is not StoreRole.COORDINATOR:
        raise PermissionDenied(t("Only the coordinator publishes the catalogue and the directory. A centre applies what the coordinator sends."))
    session.require(Permission.COORDINATE)


def _write(session: Session, publication: Publication, target: Path) -> None:
    write_atomic(Path(target), seal(publication, sync_keys.signing_key(session)), mode=0o644)


def publish_catalogue(session: Session, target: Path) -> Published:
    """Sign the catalogue in use for the centres; its version is the publication's number."""
    _require_coordinator(session)
    catalogue = catalogue_uc.current(session)
    _write(session, Publication("catalogue", catalogue.version, catalogue.to_json().encode("utf-8")), target)
    with session.transaction() as conn:
        publications_repo.record_serial(conn, "catalogue", catalogue.version, now_utc())
        session.audit(conn, "catalogue.publish", str(catalogue.version))
    return Published("catalogue", catalogue.version, Path(target), len(catalogue.indicators))


def publish_directory(session: Session, target: Path) -> Published:
    """Sign the coordinator's directory (without confidential addresses and phones) under the
    next publication number. The number is taken before the file is written, so a failed write
    only skips a number and never gives two different directories the same one."""
    _require_coordinator(session)
    with session.transaction() as conn:
        directory = directory_repo.load(conn)
        if not directory.services:
            raise InvalidInput(t("Your directory is empty: publishing it would remove every entry of yours at the centres. Import or add the services first."))
        serial = publications_repo.last_serial(conn, "directory") + 1
        definitions = pathways_uc.definitions_to_publish(directory, directory_repo.districts(conn), pathways_repo.notes(conn))
        publications_repo.record_serial(conn, "directory", serial, now_utc())
        pathways_repo.set_published(conn, serial, definitions)
        session.audit(conn, "directory.publish", str(serial))
    _write(session, Publication("directory", serial, directory_content(hsds_json_bytes(directory), definitions)), target)
    return Published("directory", serial, Path(target), len(directory.services))


def directory_content(hsds: bytes, definitions: dict) -> bytes:
    """The content of a directory publication: the HSDS list and the pathway definitions."""
    document = {"format": DIRECTORY_FORMAT, "version": DIRECTORY_VERSION, "directory": json.loads(hsds), "pathways": definitions}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _split_directory_content(content: bytes) -> tuple[bytes, dict | None]:
    """``(HSDS JSON bytes, pathway definitions or None)``: an older publication is the bare list."""
    if content.lstrip().startswith(b"["):
        return content, None
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return content, None  # the HSDS reader says what is wrong with it
    if not isinstance(document, dict) or document.get("format") != DIRECTORY_FORMAT or not isinstance(document.get("directory"), list):
        raise InvalidInput(t("no service"))
    if document.get("version") != DIRECTORY_VERSION:
        raise InvalidInput(t("it is of version {version}, which this Caseworker does not know; install the newer version", version=document.get("version")))
    return json.dumps(document["directory"], ensure_ascii=False).encode("utf-8"), document.get("pathways")


def looks_like_publication_file(path: Path) -> bool:
    """Whether ``path`` is meant to be a publication rather than a plain catalogue or HSDS file."""
    try:
        with open(path, "rb") as file:
            return looks_like_publication(file.read(4))
    except OSError:
        return False


def _read(session: Session, path: Path) -> Publication:
    if session.store_role is not StoreRole.CENTRE:
        raise PermissionDenied(t("A publication of the coordinator is applied on a centre's store, not on the coordinator's."))
    session.require(Permission.MANAGE_USERS)
    pinned = sync_keys.pinned_profile(session)
    if pinned is None:
        raise InvalidInput(t("This store does not know its coordinator's keys yet: import the coordinator's profile first, on the Sync page."), command="caseworker profile import FILE")
    data = read_named_file(path)
    try:
        return open_publication(data, minisign.PublicKey.from_base64(pinned.signing_public))
    except InvalidInput as error:
        raise InvalidInput(t("{path} was not applied: {reason}. Nothing was changed; ask the coordinator for a new copy.", path=Path(path).name, reason=error.message)) from None


def apply_file(session: Session, path: Path) -> Applied:
    """Apply a publication at a centre, if it is the pinned coordinator's and newer than the
    last one of its kind; all in one transaction, or nothing."""
    publication = _read(session, path)
    with session.reading() as conn:
        last = publications_repo.last_serial(conn, publication.kind)
    if publication.serial <= last:
        raise Conflict(t("This publication (number {serial}) is not newer than the one already applied (number {last}); nothing was changed.",
                         serial=publication.serial, last=last))
    if publication.kind == "catalogue":
        return _apply_catalogue(session, publication)
    return _apply_directory(session, publication)


def _apply_catalogue(session: Session, publication: Publication) -> Applied:
    candidate = parse_catalogue(publication.content)
    if candidate.version != publication.serial:
        raise InvalidInput(t("The publication says catalogue version {serial} but holds version {version}; nothing was changed.",
                             serial=publication.serial, version=candidate.version))
    current = catalogue_uc.current(session)
    unchanged = candidate.version == current.version and candidate.to_json() == current.to_json()
    if not unchanged:
        check_successor(current, candidate)
    with session.transaction() as conn:
        if not unchanged:
            counts_repo.insert_catalogue(conn, candidate.version, candidate.to_json(), "coordinator", now_utc())
        publications_repo.record_serial(conn, "catalogue", publication.serial, now_utc())
        session.audit(conn, "catalogue.apply", str(candidate.version))
    return Applied("catalogue", publication.serial, changed=not unchanged)


def _apply_directory(session: Session, publication: Publication) -> Applied:
    """The publication must be what the coordinator publishes: a list of HSDS services, none of
    them empty, nothing skipped. Anything else (a catalogue signed as a directory, an empty list)
    would replace the coordinator's entries with nothing; it is refused and nothing changes."""
    definitions = None
    try:
        hsds, definitions = _split_directory_content(publication.content)
        result = import_hsds_json(hsds, source="coordinator")
        problem = result.skipped[0] if result.skipped else None if result.directory.services else t("no service")
        if problem is None and not hsds.lstrip().startswith(b"["):
            problem = t("no service")
        if problem is None and definitions is not None:
            problem = _pathway_problem(definitions, {service.id for service in result.directory.services})
    except InvalidInput as error:
        problem = error.message
    if problem is not None:
        raise InvalidInput(t("The publication says it is a directory but does not hold the coordinator's directory ({reason}); nothing was changed.", reason=problem))
    published = result.directory
    with session.transaction() as conn:
        merged = with_published_entries(directory_repo.load(conn), published)
        changes = directory_repo.save(conn, merged, now_utc())
        pathways_repo.set_published(conn, publication.serial, definitions)
        publications_repo.record_serial(conn, "directory", publication.serial, now_utc())
        session.audit(conn, "directory.apply", f"{publication.serial} +{len(changes.added)} ~{len(changes.updated)} -{len(changes.removed)}")
    return Applied("directory", publication.serial, bool(changes.added or changes.updated or changes.removed),
                   len(changes.added), len(changes.updated), len(changes.removed))


def _pathway_problem(definitions: dict, service_ids: set[str]) -> str | None:
    """Why the pathway definitions cannot be kept (they name a service not published), or None."""
    for definition in parse_definitions(definitions):
        named = set(definition.hotlines) | {service for entries in definition.sectors for service in entries.services}
        if not named <= service_ids:
            return t("a pathway names a service that is not in the publication")
    return None


def published_summary(published: Published) -> str:
    """One line for the person who published: what, which number, where, and what to do next."""
    if published.kind == "catalogue":
        text = t("Catalogue version {serial} ({count} indicators) was signed into {path}.", serial=published.serial, count=published.entries, path=published.path)
    else:
        text = t("Directory publication number {serial} ({count} services) was signed into {path}.", serial=published.serial, count=published.entries, path=published.path)
    return text + " " + t("Send the file to every centre; a supervisor applies it there.")


def applied_summary(applied: Applied) -> str:
    """One line saying what applying a publication changed."""
    if applied.kind == "catalogue":
        if not applied.changed:
            return t("Catalogue version {serial} was already in use; nothing needed changing.", serial=applied.serial)
        return t("Catalogue version {serial} from the coordinator is now in use.", serial=applied.serial)
    return t("The coordinator's directory (publication number {serial}) was applied: {added} new, {updated} updated, {removed} removed.",
             serial=applied.serial, added=applied.added, updated=applied.updated, removed=applied.removed)
