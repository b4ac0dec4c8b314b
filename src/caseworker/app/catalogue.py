"""Use cases for the indicator catalogue in use: read it, show it, import a newer version."""

from __future__ import annotations

from pathlib import Path

from caseworker.app.files import read_named_file
from caseworker.app.session import Session
from caseworker.domain.catalogue import Catalogue, check_successor, load_default_catalogue, parse_catalogue, stored_catalogue
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import PermissionDenied
from caseworker.i18n import t
from caseworker.storage import counts as counts_repo
from caseworker.storage.store import now_utc

_cache: dict[tuple[str, int], Catalogue] = {}


def current(session: Session) -> Catalogue:
    """The catalogue in use; a store without one gets the catalogue shipped with the program."""
    with session.reading() as conn:
        latest = counts_repo.latest_catalogue(conn)
    if latest is None:
        default = load_default_catalogue()
        with session.transaction() as conn:
            if counts_repo.latest_catalogue(conn) is None:
                counts_repo.insert_catalogue(conn, default.version, default.to_json(), "default", now_utc())
        return default
    return _parsed(session, *latest)


def version(session: Session, number: int) -> Catalogue:
    """The catalogue of an earlier version, as a month submitted under it was counted."""
    with session.reading() as conn:
        document = counts_repo.catalogue_document(conn, number)
    return _parsed(session, number, document) if document else current(session)


def _parsed(session: Session, number: int, document: str) -> Catalogue:
    key = (session.info.store_id, number)
    if key not in _cache:
        _cache[key] = stored_catalogue(document)
    return _cache[key]


def import_file(session: Session, path: Path) -> Catalogue:
    """Adopt a newer catalogue from a file on the coordinator's store (checked in full; a bad
    file changes nothing). Centres take theirs from the coordinator's signed publication
    (``app/publications.py``), never from a plain file."""
    if session.store_role is StoreRole.CENTRE:
        raise PermissionDenied(t("A centre takes a new catalogue only from its coordinator, as a signed publication (a .cwpub file), and this file is not one. Ask the coordinator for the publication."))
    session.require(Permission.COORDINATE)
    text = read_named_file(path)
    candidate = parse_catalogue(text)
    check_successor(current(session), candidate)
    with session.transaction() as conn:
        counts_repo.insert_catalogue(conn, candidate.version, candidate.to_json(), "file", now_utc())
        session.audit(conn, "catalogue.import", str(candidate.version))
    return candidate
