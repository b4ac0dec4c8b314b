"""Use cases of referral pathways and handout languages (see docs/directory.md).

- ``pathway_pdf`` / ``write_pathway``: the one-page pathway of a district or of the whole city,
  in a handout language; every user of the store. At a centre that applied a directory
  publication carrying pathways, the coordinator's definition is printed, so every centre prints
  the same page; otherwise the pathway is derived from this store's directory.
- ``definitions_to_publish``: what the coordinator's directory publication carries.
- ``set_note``: the coordinator writes a note on a sector of a district's pathway (say, "ŞÖNİM
  comes to the district on Tuesdays"); it is printed as written and published with the pathway.
- ``mark_reviewed``: a supervisor (or the coordinator) confirms that a native speaker checked a
  handout language; audited. ``is_reviewed`` tells the interface and the sheets.

Nothing printed here holds a confidential address or phone: the directory is redacted first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from caseworker.app.session import Session
from caseworker.domain.directory import Directory, redact_confidential
from caseworker.domain.districts import IZMIR_DISTRICTS, proper_district, require_district
from caseworker.domain.pathways import (
    CITY,
    MAX_NOTE_CHARS,
    SECTOR_CODES,
    PathwayDefinition,
    definitions_json,
    derive,
    derive_all,
    parse_definitions,
)
from caseworker.domain.text import search_key, visible_text
from caseworker.domain.users import Permission, Role, StoreRole
from caseworker.errors import InvalidInput, PermissionDenied
from caseworker.i18n import t
from caseworker.reports.handouts import HANDOUT_LANGUAGES, handout, require_language
from caseworker.reports.pathway import PathwaySector, PathwayService, PathwayView, render_pathway
from caseworker.storage import directory as directory_repo
from caseworker.storage import pathways as pathways_repo
from caseworker.storage import publications as publications_repo
from caseworker.storage.atomic import write_atomic


@dataclass(frozen=True)
class HandoutLanguage:
    code: str
    name: str
    reviewed: bool


@dataclass(frozen=True)
class PathwayResult:
    data: bytes
    district: str
    language: str
    reviewed: bool
    publication: int | None
    path: Path | None = None


# --- languages --------------------------------------------------------------------------------


def handout_languages(session: Session) -> list[HandoutLanguage]:
    """Every language a sheet can be printed in, with its name and whether it is reviewed."""
    session.require(Permission.LOOK_UP)
    with session.reading() as conn:
        marked = pathways_repo.reviewed_languages(conn)
    return [HandoutLanguage(code, handout(code).name, handout(code).reviewed or code in marked) for code in HANDOUT_LANGUAGES]


def handout_language_is_built_in(language: str) -> bool:
    """Whether ``language``'s texts are the program's own (Turkish, English): always reviewed."""
    return handout(require_language(language)).reviewed


def is_reviewed(session: Session, language: str) -> bool:
    require_language(language)
    return next(item.reviewed for item in handout_languages(session) if item.code == language)


def may_mark_reviewed(session: Session) -> bool:
    return session.user.role in (Role.SUPERVISOR, Role.COORDINATOR)


def mark_reviewed(session: Session, language: str, reviewed: bool = True) -> None:
    """Record that a native speaker checked the translation of ``language`` (or withdraw it)."""
    require_language(language)
    if not may_mark_reviewed(session):
        raise PermissionDenied(t("Only a supervisor or the coordinator may mark a translation as reviewed."))
    if handout(language).reviewed:
        raise InvalidInput(t("The {language} texts are the program's own and are always reviewed.", language=handout(language).name))
    with session.transaction() as conn:
        marked = set(pathways_repo.reviewed_languages(conn))
        (marked.add if reviewed else marked.discard)(language)
        pathways_repo.set_reviewed_languages(conn, frozenset(marked))
        session.audit(conn, "handouts.reviewed" if reviewed else "handouts.unreviewed", language)


# --- pathways ---------------------------------------------------------------------------------


def pathway_district(text: str | None) -> str:
    """The district of a pathway in İzmir's spelling, or "" (the whole city) for none."""
    if text is None or not text.strip():
        return CITY
    return proper_district(text) or require_district(text)


def _published_definition(conn, district: str) -> tuple[PathwayDefinition | None, int | None]:
    stored = pathways_repo.published(conn)
    if stored is None:
        return None, None
    serial, document = stored
    for definition in parse_definitions(document):
        if search_key(definition.district) == search_key(district):
            return definition, serial
    return None, serial


def _view(directory: Directory, definition: PathwayDefinition, publication: int | None) -> PathwayView:
    services = {service.id: service for service in directory.services}
    names = {organization.id: organization.name for organization in directory.organizations}

    def entries(ids: tuple[str, ...]) -> tuple[PathwayService, ...]:
        return tuple(PathwayService(services[i], names.get(services[i].organization_id, "")) for i in ids if i in services)

    sectors = tuple(PathwaySector(entry.sector, entry.local, entries(entry.services), entry.note) for entry in definition.sectors)
    return PathwayView(definition.district, entries(definition.hotlines), sectors, publication)


def pathway_pdf(session: Session, district: str | None, language: str = "tr", *, today: date | None = None) -> PathwayResult:
    """The pathway of ``district`` (None or "" for the whole city) as PDF bytes."""
    session.require(Permission.LOOK_UP)
    require_language(language)
    place = pathway_district(district)
    with session.reading() as conn:
        directory = redact_confidential(directory_repo.load(conn))
        # A centre prints the coordinator's definition; the coordinator sees its directory as it is now.
        definition, serial = _published_definition(conn, place) if session.store_role is StoreRole.CENTRE else (None, None)
        if definition is None:
            definition = with_notes(derive(directory, place), pathways_repo.notes(conn))
            serial = _own_publication(conn, directory, definition)
    reviewed = is_reviewed(session, language)
    rendered = render_pathway(_view(directory, definition, serial), language, reviewed=reviewed, today=today)
    return PathwayResult(rendered.data, place, language, reviewed, serial)


def _own_publication(conn, directory: Directory, definition: PathwayDefinition) -> int | None:
    """At the coordinator: the number of the last directory publication, when this pathway is the
    one it carried (so the coordinator's page reads like the centres'); else None."""
    stored = pathways_repo.published(conn)
    if stored is None or publications_repo.last_serial(conn, "directory") != stored[0]:
        return None
    published = {search_key(item.district): item for item in parse_definitions(stored[1])}
    return stored[0] if published.get(search_key(definition.district)) == definition else None


def write_pathway(session: Session, out: Path, district: str | None, language: str = "tr", *, today: date | None = None) -> PathwayResult:
    """Write the pathway to ``out`` atomically; the audit says a pathway was printed, and where."""
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the PDF file to write.", path=out))
    result = pathway_pdf(session, district, language, today=today)
    write_atomic(out, result.data)
    with session.transaction() as conn:
        session.audit(conn, "directory.pathway", f"{result.district or '*'} {language}")
    return PathwayResult(result.data, result.district, language, result.reviewed, result.publication, out)


def definitions_to_publish(directory: Directory, stored_districts: list[str], notes: dict[str, dict[str, str]] | None = None) -> dict:
    """The definitions the coordinator's directory publication carries: the city's and every
    district's (İzmir's 30 and any other the directory names), from the redacted directory,
    with the coordinator's notes."""
    known = {search_key(name) for name in IZMIR_DISTRICTS}
    districts = list(IZMIR_DISTRICTS) + [name for name in stored_districts if search_key(name) not in known]
    return definitions_json(tuple(with_notes(definition, notes or {}) for definition in derive_all(redact_confidential(directory), districts)))


def with_notes(definition: PathwayDefinition, notes: dict[str, dict[str, str]]) -> PathwayDefinition:
    """``definition`` with the coordinator's notes for its district on its sectors."""
    mine = notes.get(definition.district, {})
    if not mine:
        return definition
    return replace(definition, sectors=tuple(replace(entries, note=mine.get(entries.sector, entries.note)) for entries in definition.sectors))


def set_note(session: Session, district: str | None, sector: str, note: str) -> None:
    """The coordinator's note on ``sector`` of the pathway of ``district`` ("" or None: the city);
    an empty note removes it. It reaches the centres with the next directory publication."""
    if session.store_role is not StoreRole.COORDINATOR:
        raise PermissionDenied(t("Only the coordinator writes notes on the pathways; they reach the centres with the directory publication."))
    session.require(Permission.COORDINATE)
    if sector not in SECTOR_CODES:
        raise InvalidInput(t("“{value}” is not a sector of a pathway. Use one of: {codes}.", value=sector, codes=", ".join(SECTOR_CODES)))
    text = " ".join(visible_text(note).split())
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(t("A note of a pathway is longer than {limit} characters.", limit=MAX_NOTE_CHARS))
    place = pathway_district(district)
    with session.transaction() as conn:
        notes = pathways_repo.notes(conn)
        mine = notes.setdefault(place, {})
        if text:
            mine[sector] = text
        else:
            mine.pop(sector, None)
        pathways_repo.set_notes(conn, {key: value for key, value in notes.items() if value})
        session.audit(conn, "pathways.note", f"{place or '*'} {sector}")
