"""Use cases of the support-service directory, shared by the GUI, the command line and reports.

Who may do what (see docs/directory.md):

- look up (``search``, ``get``, ``entries_needing_review``, ``printable``, ``hotlines``): every
  user of the store;
- add, edit, remove and mark verified an entry of source "local": every user who works with
  the directory day to day (caseworkers, supervisors; the coordinator in its own store).
  Entries the coordinator published (source "coordinator") are read-only at a centre;
- import a file and load the sample directory: supervisors and the coordinator;
- export: those with the export permission (supervisors, the coordinator).

Confidentiality: ``get`` gives the whole entry, a confidential one included, because only a
user who unlocked this store can call it; ``ServiceDetail.confidential`` tells the interface to
mark it. Whatever is meant to leave the store (``export``, ``printable``, ``hotlines``, search
hits) has no confidential address or phone.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from caseworker.app.files import refuse_to_overwrite
from caseworker.app.session import Session
from caseworker.domain.directory import (
    REVIEW_AFTER_DAYS,
    Directory,
    Location,
    Organization,
    Phone,
    RecordLedger,
    Schedule,
    Service,
    WEEKDAYS,
    is_open_at,
    needs_review,
    redact_confidential,
)
from caseworker.domain.districts import IZMIR_DISTRICTS, proper_district, require_district
from caseworker.domain.taxonomy import support_taxonomy
from caseworker.domain.text import search_key
from caseworker.domain.users import Permission, Role
from caseworker.errors import AlreadyExists, Conflict, InvalidInput, NotFound, PermissionDenied
from caseworker.hsds.files import export_hsds_tabular, import_hsds_tabular, load_sample_directory, read_hsds_json
from caseworker.hsds.writing import export_hsds_json
from caseworker.i18n import t
from caseworker.stats.publication import EDITION_FORMAT
from caseworker.storage import directory as directory_repo
from caseworker.storage.atomic import write_atomic
from caseworker.storage.database import Connection
from caseworker.storage.store import now_utc
from caseworker.sync.enrolment import PROFILE_FORMAT, REQUEST_FORMAT

FORMATS = ("hsds-json", "hsds-csv")
HOTLINE_CATEGORIES = ("emergency_call", "hotline")
MANAGER_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PHONE = re.compile(r"[0-9 +()\-./]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# --- what the use cases return ----------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing of a search. ``district`` keeps that district's entries and, unless
    ``with_citywide`` is False, the city-wide and national ones; ``category`` is a taxonomy
    code or label; ``language`` a language code or name; ``open_at`` keeps what is open then."""

    district: str | None = None
    category: str | None = None
    language: str | None = None
    open_at: datetime | None = None
    with_citywide: bool = True


class SearchHit(NamedTuple):
    """One result line. Carries no address and no phone: it is safe to show or print anywhere.

    A named tuple (immutable, and quick to build for a page of results on every key press)."""

    id: str
    name: str
    organization: str
    organization_id: str
    district: str
    categories: tuple[str, ...]
    status: str
    source: str
    confidential: bool
    sample: bool
    verified_at: date | None
    needs_review: bool


@dataclass(frozen=True)
class ServiceDetail:
    """One entry with its organization.

    From ``get`` it is complete (``redacted`` False): the confidential address and phones of a
    confidential entry are there for the logged-in user, and ``confidential`` says to mark them.
    From ``printable`` / ``hotlines`` it is redacted and may be printed.
    """

    service: Service
    organization: Organization
    confidential: bool
    needs_review: bool
    editable: bool
    open_now: bool
    redacted: bool


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    skipped: tuple[str, ...]


# --- permissions ------------------------------------------------------------------------------


def _require_editor(session: Session) -> None:
    if not (session.may(Permission.RECORD) or session.may(Permission.COORDINATE)):
        session.require(Permission.RECORD)


def _require_manager(session: Session) -> None:
    if session.user.role not in MANAGER_ROLES:
        raise PermissionDenied(t("Only a supervisor or the coordinator may import into the directory. Ask a supervisor."))


def _check_editable(service: Service) -> None:
    if service.source != "local":
        raise Conflict(
            t("“{name}” comes from the coordinator's directory and cannot be changed here. Tell the coordinator what needs correcting.", name=service.name)
        )


def may_edit(session: Session) -> bool:
    """Whether the interface should offer add, edit and mark verified."""
    return session.may(Permission.RECORD) or session.may(Permission.COORDINATE)


# --- looking up -------------------------------------------------------------------------------


def search(
    session: Session, text: str = "", filters: SearchFilters | None = None, *, limit: int = 0, offset: int = 0, today: date | None = None
) -> list[SearchHit]:
    """Entries matching ``text`` (all of them for ""), best match first, then in Turkish order.

    ``limit`` 0 gives every match; the GUI asks for a screenful as the user types, and the next
    ones (``offset``: how many it has) as the list is scrolled.
    """
    session.require(Permission.LOOK_UP)
    filters = filters or SearchFilters()
    today = today or date.today()
    query = directory_repo.SearchQuery(
        text=text,
        district=_search_district(session, filters.district) if filters.district and filters.district.strip() else None,
        with_citywide=filters.with_citywide,
        category=resolve_category(filters.category) if filters.category else None,
        language=filters.language or None,
        open_at=filters.open_at,
        limit=max(0, limit),
        offset=max(0, offset),
    )
    with session.reading() as conn:
        rows = directory_repo.search(conn, query)
    return [_hit(row, today) for row in rows]


def _hit(row: directory_repo.ServiceRow, today: date) -> SearchHit:
    overdue = row.verified_at is None or (today - row.verified_at).days >= REVIEW_AFTER_DAYS
    return SearchHit(
        row.id, row.name, row.organization, row.organization_id, row.district, row.categories, row.status, row.source,
        row.confidential, row.sample, row.verified_at, overdue,
    )


def get(session: Session, service_id: str, *, today: date | None = None, now: datetime | None = None) -> ServiceDetail:
    """The whole entry, confidential parts included (the caller is a user of this store)."""
    session.require(Permission.LOOK_UP)
    with session.reading() as conn:
        service = directory_repo.service(conn, service_id)
        organization = directory_repo.organization(conn, service.organization_id) if service else None
    if service is None or organization is None:
        raise NotFound(t("There is no directory entry with the id {id}.", id=service_id))
    return _detail(service, organization, today, now, redacted=False)


def _detail(service: Service, organization: Organization, today: date | None, now: datetime | None, *, redacted: bool) -> ServiceDetail:
    return ServiceDetail(
        service=service,
        organization=organization,
        confidential=service.confidential or organization.confidential,
        needs_review=needs_review(service, today or date.today()),
        editable=service.source == "local",
        open_now=is_open_at(service, now or datetime.now()),
        redacted=redacted,
    )


def printable(session: Session, service_ids: Sequence[str], *, today: date | None = None, now: datetime | None = None) -> list[ServiceDetail]:
    """The entries, in the order asked, with every confidential address and phone removed: what
    an info sheet or report may show."""
    session.require(Permission.LOOK_UP)
    with session.reading() as conn:
        directory = redact_confidential(directory_repo.load(conn))
    services = {service.id: service for service in directory.services}
    missing = [service_id for service_id in service_ids if service_id not in services]
    if missing:
        raise NotFound(t("There is no directory entry with the id {id}.", id=missing[0]))
    return [_detail(services[i], directory.organization(services[i].organization_id), today, now, redacted=True) for i in service_ids]


def hotlines(session: Session, *, today: date | None = None, now: datetime | None = None) -> list[ServiceDetail]:
    """Active emergency numbers and helplines, redacted, in directory order (top of an info sheet)."""
    session.require(Permission.LOOK_UP)
    with session.reading() as conn:
        directory = redact_confidential(directory_repo.load(conn))
    return [
        _detail(service, directory.organization(service.organization_id), today, now, redacted=True)
        for service in directory.services
        if service.status == "active" and not service.confidential and set(service.categories) & set(HOTLINE_CATEGORIES)
    ]


def entries_needing_review(session: Session, today: date | None = None) -> list[SearchHit]:
    """Entries never verified or not verified for 180 days, the longest unchecked first."""
    session.require(Permission.LOOK_UP)
    today = today or date.today()
    with session.reading() as conn:
        rows = directory_repo.not_verified_since(conn, today - timedelta(days=REVIEW_AFTER_DAYS))
    return [_hit(row, today) for row in rows]


def districts(session: Session) -> list[str]:
    """The districts to offer in a filter: İzmir's and any other the stored entries name."""
    session.require(Permission.LOOK_UP)
    with session.reading() as conn:
        stored = directory_repo.districts(conn)
    known = {search_key(name) for name in IZMIR_DISTRICTS}
    return list(IZMIR_DISTRICTS) + [name for name in stored if search_key(name) not in known]


def _day_names() -> dict[str, str]:
    return {"MO": t("Monday"), "TU": t("Tuesday"), "WE": t("Wednesday"), "TH": t("Thursday"), "FR": t("Friday"), "SA": t("Saturday"), "SU": t("Sunday")}


def schedule_text(schedule: Schedule) -> str:
    """Opening hours in words in the chosen language: the days ("Monday–Friday", "every day", "the
    first Monday"), the hours ("09:00–17:00", "all day") and the schedule's own text, if any."""
    names = _day_names()
    days: list[str] = []
    tokens = [token.strip() for token in schedule.byday.split(",") if token.strip()]
    plain = [token for token in tokens if token in WEEKDAYS]
    if len(plain) == len(WEEKDAYS):
        days.append(t("every day"))
    else:
        indexes = sorted(WEEKDAYS.index(token) for token in plain)
        runs: list[list[int]] = []
        for index in indexes:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            first, last = names[WEEKDAYS[run[0]]], names[WEEKDAYS[run[-1]]]
            days.append(first if len(run) == 1 else f"{first}, {last}" if len(run) == 2 else f"{first}–{last}")
    for token in tokens:
        if token not in WEEKDAYS:
            ordinal, day = token[:-2], names[token[-2:]]
            days.append(t("the last {day} of the month", day=day) if ordinal == "-1" else t("{day} number {ordinal} of the month", day=day, ordinal=ordinal.lstrip("+")))
    if schedule.bymonthday:
        days.append(t("days {days} of the month", days=schedule.bymonthday.replace(",", ", ")))
    if schedule.opens_at and schedule.closes_at:
        hours = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    elif schedule.freq or tokens or schedule.bymonthday:
        hours = t("all day")
    else:
        hours = ""
    text = ", ".join(filter(None, (", ".join(days), hours)))
    if schedule.description:
        text = f"{text} ({schedule.description})" if text else schedule.description
    return text


def resolve_category(text: str) -> str:
    """The taxonomy code for a code or a Turkish or English label, folded."""
    key = search_key(text)
    for term in support_taxonomy().terms:
        if key in (search_key(term.code), search_key(term.label_tr), search_key(term.label_en)):
            return term.code
    codes = ", ".join(sorted(support_taxonomy().codes))
    raise InvalidInput(t("“{value}” is not a service category. Use one of: {codes}.", value=text, codes=codes))


def _search_district(session: Session, text: str) -> str:
    """The district to filter by: İzmir's spelling of one of its 30, or another district the stored
    entries name; anything else is refused with the list of districts."""
    proper = proper_district(text)
    if proper is not None:
        return proper
    for name in districts(session):
        if search_key(name) == search_key(text):
            return name
    return require_district(text)


# --- changing ---------------------------------------------------------------------------------


def new_id() -> str:
    """A fresh identifier for a new record (HSDS wants UUIDs)."""
    return str(uuid.uuid4())


def add(session: Session, service: Service, organization: Organization | None = None, *, today: date | None = None) -> ServiceDetail:
    """Add a local entry; ``organization`` is added too, or updated when it exists."""
    _require_editor(session)
    service = _validated(replace(service, source="local"), organization, today)
    with session.transaction() as conn:
        if directory_repo.service(conn, service.id) is not None:
            raise AlreadyExists(t("A directory entry with the id {id} exists already.", id=service.id))
        _put_entry(conn, service, organization)
        session.audit(conn, "directory.add", service.id)
    return get(session, service.id, today=today)


def edit(session: Session, service: Service, organization: Organization | None = None, *, today: date | None = None) -> ServiceDetail:
    """Replace a local entry by ``service`` (same id). A place it shares with other entries
    changes for them too; ``organization`` is updated when given."""
    _require_editor(session)
    service = _validated(replace(service, source="local"), organization, today)
    with session.transaction() as conn:
        _check_editable(_existing(conn, service.id))
        _put_entry(conn, service, organization)
        session.audit(conn, "directory.edit", service.id)
    return get(session, service.id, today=today)


def remove(session: Session, service_id: str) -> None:
    """Remove a local entry (its organization stays)."""
    _require_editor(session)
    with session.transaction() as conn:
        _check_editable(_existing(conn, service_id))
        directory_repo.delete_service(conn, service_id)
        session.audit(conn, "directory.remove", service_id)


def mark_verified(session: Session, service_id: str, today: date | None = None) -> ServiceDetail:
    """Record that the entry was checked today (it leaves the review list for 180 days)."""
    _require_editor(session)
    today = today or date.today()
    with session.transaction() as conn:
        existing = _existing(conn, service_id)
        _check_editable(existing)
        directory_repo.put_services(conn, [replace(existing, verified_at=today)], now_utc())
        session.audit(conn, "directory.verify", service_id)
    return get(session, service_id, today=today)


def _existing(conn: Connection, service_id: str) -> Service:
    service = directory_repo.service(conn, service_id)
    if service is None:
        raise NotFound(t("There is no directory entry with the id {id}.", id=service_id))
    return service


def _put_entry(conn: Connection, service: Service, organization: Organization | None) -> None:
    """Write ``service`` (and ``organization``) after checking the directory's rules against
    only what the change meets: the entry, the entries that share one of its places (they get
    its version of the place), and the stored records with the ids of the records it holds."""
    stored_organization = directory_repo.organization(conn, service.organization_id)
    if organization is None:
        if stored_organization is None:
            raise NotFound(t("There is no organization with the id {id} in the directory.", id=service.organization_id))
        organization = stored_organization
    elif organization.id != service.organization_id:
        raise InvalidInput(t("The entry names organization {id}, but another organization was given.", id=service.organization_id))
    places = {location.id: location for location in service.locations}
    changed = [service]
    for other in directory_repo.services_holding(conn, places):
        if other.id != service.id:
            shared = replace(other, locations=tuple(places.get(location.id, location) for location in other.locations))
            if shared != other:
                changed.append(shared)
    organizations = {organization.id: organization}
    for other in changed:
        found = organizations.get(other.organization_id) or directory_repo.organization(conn, other.organization_id)
        if found is not None:
            organizations[found.id] = found
    Directory(tuple(organizations.values()), tuple(changed))  # the rules among the changed entries
    _check_against_stored(conn, changed, organization if organization != stored_organization else None)
    if organization != stored_organization:
        directory_repo.put_organization(conn, organization)
    directory_repo.put_services(conn, changed, now_utc())


def _check_against_stored(conn: Connection, services: list[Service], organization: Organization | None) -> None:
    """The rules of ``Directory`` between the records of the changed entries and the stored
    records of every other entry that share their ids."""
    ledger = RecordLedger()
    replaced = {("service", service.id) for service in services} | ({("organization", organization.id)} if organization else set())
    keys = []
    for holder in services + ([organization] if organization else []):
        for kind, record_id, owner_kind, owner_id, document in directory_repo.record_rows(holder):
            ledger.record(kind, record_id, document, owner_kind, owner_id)
            keys.append((kind, record_id))
    for record in directory_repo.stored_records(conn, keys):
        if (record.holder_kind, record.holder_id) not in replaced:
            ledger.record(record.kind, record.id, record.document, record.owner_kind, record.owner_id)


# --- validation of what a user types -------------------------------------------------------------


def _validated(service: Service, organization: Organization | None, today: date | None) -> Service:
    for record in (service, organization) if organization else (service,):
        for kind, value in _identifiers(record):
            if not _UUID.fullmatch(value):
                raise InvalidInput(t("The {kind} identifier “{value}” is not a UUID; let the program make identifiers (new_id).", kind=kind, value=value))
    district = require_district(service.district, empty_allowed=True, empty_means=t("Leave it empty for a city-wide or national service."))
    if service.verified_at and service.verified_at > (today or date.today()):
        raise InvalidInput(t("The verification date {date} is in the future.", date=service.verified_at.isoformat()))
    if not (service.phones or service.locations or service.url or service.email):
        raise InvalidInput(t("Say how to reach “{name}”: give a phone number, a place, a web site or an e-mail address.", name=service.name))
    for phone in _phones(service, organization):
        if not _PHONE.fullmatch(phone.number) or sum(ch.isdigit() for ch in phone.number) < 3:
            raise InvalidInput(t("“{value}” is not a phone number: use digits, spaces and + ( ) - only.", value=phone.number))
    for url in [service.url] + ([organization.website] if organization else []) + [location.url for location in service.locations]:
        if url and not re.match(r"https?://[^\s/]+", url):
            raise InvalidInput(t("“{value}” is not a web address: it must start with https:// or http://.", value=url))
    for email in [service.email] + ([organization.email] if organization else []):
        if email and not _EMAIL.fullmatch(email):
            raise InvalidInput(t("“{value}” is not an e-mail address.", value=email))
    return replace(service, district=district, name=service.name.strip())


def _identifiers(record: Any) -> Iterator[tuple[str, str]]:
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name in ("id", "organization_id", "parent_id") and isinstance(value, str) and value:
            yield type(record).__name__, value
        elif is_dataclass(value):
            yield from _identifiers(value)
        elif isinstance(value, tuple):
            for part in value:
                if is_dataclass(part):
                    yield from _identifiers(part)


def _phones(service: Service, organization: Organization | None) -> list[Phone]:
    phones = list(service.phones) + [phone for location in service.locations for phone in location.phones]
    return phones + list(organization.phones if organization else ())


# --- exchange ---------------------------------------------------------------------------------


def import_file(session: Session, path: str | Path) -> ImportReport:
    """Merge an HSDS file (JSON) or tabular package (folder) into the directory, all or nothing.

    Entries are matched by id: new ones are added, known ones replaced; entries not in the file
    stay. A file cannot carry a confidential entry's address or phones (exports remove them),
    so when a confidential entry comes back without them, the stored ones are kept.
    """
    _require_manager(session)
    path = Path(path)
    refuse_other_file(path)
    if path.name == "datapackage.json" and path.is_file():
        path = path.parent
    if path.is_dir():
        result = import_hsds_tabular(path)
    elif path.is_file():
        result = read_hsds_json(path)
    else:
        raise NotFound(t("{path} does not exist. Give an HSDS JSON file or the folder of an HSDS tabular package.", path=path))
    changes = _merge_into_store(session, result.directory, "directory.import")
    return ImportReport(len(changes.added), len(changes.updated), changes.unchanged, result.skipped)


_PEEK_LIMIT = 1024 * 1024


def refuse_other_file(path: Path) -> None:
    """``InvalidInput`` saying what the file is and what to do with it when ``path`` is another
    Caseworker file rather than a directory: an enrolment request, a coordinator profile, a
    public edition, a bundle, a backup, or a ``.cwpub`` publication that is not a ZIP archive."""
    if not path.is_file():
        return
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as file:
            head = file.read(_PEEK_LIMIT + 1)
    except OSError:
        return  # the import that follows says why the file cannot be read
    is_zip = head[:4] == b"PK\x03\x04"
    if suffix == ".cwpub" and not is_zip:
        raise InvalidInput(t("{file} is named as a coordinator's publication but is not one (not a ZIP archive): it is damaged or cut short. Ask the coordinator for the file again; nothing was imported.", file=path.name))
    if suffix == ".cwbundle":
        raise InvalidInput(t("{file} is a centre's bundle of monthly figures, not a directory: the coordinator imports it on the Sync page. Nothing was imported.", file=path.name), command="caseworker sync import FILE")
    if suffix == ".cwbackup":
        raise InvalidInput(t("{file} is a backup of a store, not a directory: it is put back into an empty folder with the setup assistant's “Restore a backup”. Nothing was imported.", file=path.name), command="caseworker restore FILE")
    if is_zip or len(head) > _PEEK_LIMIT:
        return
    try:
        kind = json.loads(head.decode("utf-8")).get("format")
    except (UnicodeDecodeError, ValueError, AttributeError):
        return
    what = {
        REQUEST_FORMAT: lambda: (t("{file} is a centre's enrolment request, not a directory: the coordinator accepts it on the Centres page. Nothing was imported.", file=path.name), "caseworker enrol accept FILE --fingerprint …"),
        PROFILE_FORMAT: lambda: (t("{file} is the coordinator's profile, not a directory: a centre trusts it on the Sync page. Nothing was imported.", file=path.name), "caseworker profile import FILE --fingerprint …"),
        EDITION_FORMAT: lambda: (t("{file} is a public edition of figures, not a directory; it is for reading and publishing. Nothing was imported.", file=path.name), None),
    }.get(kind)
    if what is not None:
        message, command = what()
        raise InvalidInput(message, command=command)


def load_sample(session: Session) -> ImportReport:
    """Merge the sample directory (national lines, marked sample entries); safe to repeat."""
    _require_manager(session)
    changes = _merge_into_store(session, load_sample_directory(), "directory.sample")
    return ImportReport(len(changes.added), len(changes.updated), changes.unchanged, ())


def _merge_into_store(session: Session, incoming: Directory, action: str) -> directory_repo.Changes:
    with session.transaction() as conn:
        merged = merged_directory(directory_repo.load(conn), incoming)
        changes = directory_repo.save(conn, merged, now_utc())
        session.audit(conn, action, f"+{len(changes.added)} ~{len(changes.updated)}")
    return changes


def hsds_json_bytes(directory: Directory) -> bytes:
    """The directory as an HSDS JSON document (confidential addresses and phones left out)."""
    return (json.dumps(export_hsds_json(directory), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def with_published_entries(current: Directory, published: Directory) -> Directory:
    """``current`` with its coordinator entries replaced by ``published``: what the coordinator
    no longer publishes goes, local entries stay (a published entry wins over a local one with
    the same id)."""
    published_ids = {service.id for service in published.services}
    local = tuple(service for service in current.services if service.source != "coordinator" and service.id not in published_ids)
    services = local + published.services
    needed = {service.organization_id for service in services}
    organizations = {organization.id: organization for organization in current.organizations if organization.id in needed}
    organizations.update((organization.id, organization) for organization in published.organizations)
    return Directory(tuple(organization for organization in organizations.values() if organization.id in needed), services)


def merged_directory(current: Directory, incoming: Directory) -> Directory:
    """``current`` with ``incoming`` laid over it by id (see ``import_file``)."""
    organizations = {organization.id: organization for organization in current.organizations}
    for organization in incoming.organizations:
        old = organizations.get(organization.id)
        if old is not None and old.confidential and organization.confidential and not organization.phones:
            organization = replace(organization, phones=old.phones)
        organizations[organization.id] = organization
    stored_places = {location.id: location for service in current.services for location in service.locations}
    hidden = {location.id for service in current.services if service.confidential for location in service.locations}

    def place(location: Location) -> Location:
        old = stored_places.get(location.id)
        if old is None or location.id not in hidden or location.addresses or location.phones:
            return location
        return replace(location, addresses=old.addresses, phones=old.phones, latitude=old.latitude, longitude=old.longitude,
                       transportation=old.transportation, description=old.description)

    services = {service.id: service for service in current.services}
    incoming_places: dict[str, Location] = {}
    for service in incoming.services:
        old_service = services.get(service.id)
        locations = tuple(place(location) for location in service.locations)
        incoming_places.update((location.id, location) for location in locations)
        phones = old_service.phones if old_service and old_service.confidential and service.confidential and not service.phones else service.phones
        services[service.id] = replace(service, locations=locations, phones=phones)
    laid = tuple(
        replace(service, locations=tuple(incoming_places.get(location.id, location) for location in service.locations))
        for service in services.values()
    )
    return Directory(tuple(organizations.values()), laid)


def export(session: Session, target: str | Path, format: str = "hsds-json", *, overwrite: bool = False) -> tuple[Path, ...]:
    """Write the directory as HSDS: a JSON file (``hsds-json``) or a tabular package folder
    (``hsds-csv``). Confidential addresses and phones are left out. Plaintext: tell the user.
    An existing file, or a folder with something in it, is replaced only with ``overwrite``."""
    session.require(Permission.EXPORT)
    if format not in FORMATS:
        raise InvalidInput(t("Unknown export format “{value}”: use hsds-json or hsds-csv.", value=format))
    target = Path(target)
    if format == "hsds-json" and target.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the JSON file to write.", path=target))
    if format != "hsds-json" and target.exists() and not target.is_dir():
        raise InvalidInput(t("{path} is a file; give a folder for the tabular package.", path=target))
    refuse_to_overwrite(target, overwrite)
    with session.reading() as conn:
        directory = directory_repo.load(conn)
    if format == "hsds-json":
        write_atomic(target, hsds_json_bytes(directory))
        written: tuple[Path, ...] = (target,)
    else:
        written = export_hsds_tabular(directory, target)
    with session.transaction() as conn:
        session.audit(conn, "directory.export", format)
    return written
