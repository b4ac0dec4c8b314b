"""The support-service directory: who offers which service, where, when and on which number.

The shapes follow Open Referral HSDS 3.0 (organization, service, location, address, phone,
schedule, language, accessibility, taxonomy term) so that the ``hsds`` package can exchange them
with other publishers. Our additions to HSDS live on ``Service``: ``district``, ``categories`` (codes
of our Turkish taxonomy, see ``domain.taxonomy``), ``verified_at``, ``source``, ``confidential``
and ``sample``; ``Address`` carries the district (ilçe) and province (il).

Text: every text field of every record goes through ``domain.text.visible_text`` when the
record is made — typed in, imported, applied from a publication or read from the store —
so control, bidi and zero-width characters never reach a screen, a terminal or a PDF; a field
longer than ``MAX_TEXT_CHARS`` is refused.

Confidentiality: a shelter's address and phones are confidential by law. ``redact_confidential``
removes them, and every export path calls it; nothing else decides what may leave the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal, TypeVar

from caseworker.domain.text import visible_text
from caseworker.errors import InvalidInput
from caseworker.i18n import t

SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
SOURCES = ("local", "coordinator")
LOCATION_TYPES = ("physical", "postal", "virtual")
FREQUENCIES = ("WEEKLY", "MONTHLY", "")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REVIEW_AFTER_DAYS = 180

Source = Literal["local", "coordinator"]

_BYDAY_TOKEN = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


def _missing(part: str) -> str:
    """The message for a missing required part, translated only when it is needed."""
    messages = {
        "id": lambda: t("A directory entry needs an identifier; it is missing or empty."),
        "name": lambda: t("A directory entry needs a name; it is missing or empty."),
        "number": lambda: t("A directory entry needs a phone number; it is missing or empty."),
        "street": lambda: t("A directory entry needs a street line; it is missing or empty."),
        "district": lambda: t("A directory entry needs a district; it is missing or empty."),
        "province": lambda: t("A directory entry needs a province; it is missing or empty."),
        "postal_code": lambda: t("A directory entry needs a postal code; it is missing or empty."),
        "country": lambda: t("A directory entry needs a country; it is missing or empty."),
        "organization": lambda: t("A directory entry needs an organization; it is missing or empty."),
    }
    return messages[part]()


def _require_text(value: object, part: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_missing(part))


def _require_choice(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise InvalidInput(
            t("{what} must be one of {allowed}, not “{value}”.", what=what, allowed=", ".join(allowed), value=value)
        )


# The longest text one field of a directory record may hold (a long description is a few
# thousand characters); a longer one is refused, so that no field can exhaust memory.
MAX_TEXT_CHARS = 20_000


def _visible(instance: object) -> None:
    """Every text field of a record, without hidden characters (``visible_text``) and no longer
    than ``MAX_TEXT_CHARS``."""
    for item in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, item.name)
        if isinstance(value, str):
            if len(value) > MAX_TEXT_CHARS:
                raise InvalidInput(t("The field {field} of a directory entry is longer than {limit} characters.", field=item.name, limit=MAX_TEXT_CHARS))
            cleaned = visible_text(value)
            if cleaned is not value:
                object.__setattr__(instance, item.name, cleaned)


def _tuples(instance: object) -> None:
    """Store every list given to a frozen dataclass as a tuple, so entries stay hashable."""
    for item in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, item.name)
        if isinstance(value, list):
            object.__setattr__(instance, item.name, tuple(value))


@dataclass(frozen=True)
class Phone:
    id: str
    number: str
    extension: int | None = None
    type: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")
        _require_text(self.number, "number")


@dataclass(frozen=True)
class Address:
    """A postal address in Turkish terms: ``district`` is the ilçe, ``province`` the il."""

    id: str
    address_1: str
    district: str
    province: str
    postal_code: str
    country: str = "TR"
    address_2: str = ""
    region: str = ""
    address_type: str = "physical"

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")
        _require_text(self.address_1, "street")
        _require_text(self.district, "district")
        _require_text(self.province, "province")
        _require_text(self.postal_code, "postal_code")
        _require_text(self.country, "country")
        _require_choice(self.address_type, LOCATION_TYPES, "address_type")


@dataclass(frozen=True)
class Language:
    id: str
    name: str = ""
    code: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")


@dataclass(frozen=True)
class Accessibility:
    id: str
    description: str = ""
    details: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")


@dataclass(frozen=True)
class Schedule:
    """Opening hours as an HSDS (RFC 5545) weekly or monthly rule.

    ``byday`` is a comma list of ``MO``..``SU`` (monthly rules may prefix an ordinal: ``1MO``,
    ``-1FR``); ``bymonthday`` a comma list of days of the month. ``freq`` "" means no rule (only
    the ``description`` says when). No ``opens_at`` and no
    ``closes_at`` means open all day; ``closes_at`` at or before ``opens_at`` means the hours run
    past midnight. ``timezone`` is the UTC offset in hours the times are written in.
    """

    id: str
    freq: str = "WEEKLY"
    byday: str = ""
    bymonthday: str = ""
    interval: int = 1
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    until: date | None = None
    timezone: float | None = None
    description: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")
        _require_choice(self.freq, FREQUENCIES, "freq")
        for token in filter(None, (part.strip() for part in self.byday.split(","))):
            if not _BYDAY_TOKEN.fullmatch(token):
                raise InvalidInput(t("“{value}” is not a day of the week: use MO, TU, WE, TH, FR, SA or SU.", value=token))
        for token in filter(None, (part.strip() for part in self.bymonthday.split(","))):
            if not re.fullmatch(r"-?[0-9]{1,2}", token) or not 1 <= abs(int(token)) <= 31:
                raise InvalidInput(t("“{value}” is not a day of the month: use 1 to 31, or -1 for the last day.", value=token))
        if not isinstance(self.interval, int) or self.interval < 1:
            raise InvalidInput(t("A schedule repeats every 1 or more weeks or months, not {value}.", value=self.interval))


@dataclass(frozen=True)
class Taxonomy:
    id: str
    name: str
    description: str = ""
    uri: str = ""
    version: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")
        _require_text(self.name, "name")


@dataclass(frozen=True)
class TaxonomyTerm:
    id: str
    name: str
    description: str = ""
    code: str = ""
    taxonomy: str = ""
    parent_id: str = ""
    language: str = ""
    term_uri: str = ""
    taxonomy_detail: Taxonomy | None = None

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")
        _require_text(self.name, "name")


@dataclass(frozen=True)
class Attribute:
    """A classification of a service from another publisher's taxonomy, kept as received."""

    id: str
    term: TaxonomyTerm
    link_type: str = ""
    value: str = ""

    def __post_init__(self) -> None:
        _visible(self)
        _require_text(self.id, "id")


@dataclass(frozen=True)
class Location:
    id: str
    name: str = ""
    location_type: str = "physical"
    description: str = ""
    transportation: str = ""
    url: str = ""
    latitude: float | None = None
    longitude: float | None = None
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    accessibility: tuple[Accessibility, ...] = ()
    languages: tuple[Language, ...] = ()

    def __post_init__(self) -> None:
        _visible(self)
        _tuples(self)
        _require_text(self.id, "id")
        _require_choice(self.location_type, LOCATION_TYPES, "location_type")

    @property
    def district(self) -> str:
        """The district of the first address, or "" when the location has none."""
        return self.addresses[0].district if self.addresses else ""


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    description: str = ""
    alternate_name: str = ""
    email: str = ""
    website: str = ""
    phones: tuple[Phone, ...] = ()
    confidential: bool = False

    def __post_init__(self) -> None:
        _visible(self)
        _tuples(self)
        _require_text(self.id, "id")
        _require_text(self.name, "name")


@dataclass(frozen=True)
class Service:
    """One support service. ``district`` "" means city-wide or national."""

    id: str
    organization_id: str
    name: str
    status: str = "active"
    description: str = ""
    alternate_name: str = ""
    url: str = ""
    email: str = ""
    application_process: str = ""
    eligibility_description: str = ""
    fees_description: str = ""
    interpretation_services: str = ""
    alert: str = ""
    categories: tuple[str, ...] = ()
    district: str = ""
    verified_at: date | None = None
    source: Source = "local"
    confidential: bool = False
    sample: bool = False
    phones: tuple[Phone, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    languages: tuple[Language, ...] = ()
    locations: tuple[Location, ...] = ()
    attributes: tuple[Attribute, ...] = ()

    def __post_init__(self) -> None:
        _visible(self)
        from caseworker.domain.taxonomy import support_taxonomy

        _tuples(self)
        _require_text(self.id, "id")
        _require_text(self.organization_id, "organization")
        _require_text(self.name, "name")
        _require_choice(self.status, SERVICE_STATUSES, "status")
        _require_choice(self.source, SOURCES, "source")
        known = support_taxonomy().codes
        for code in self.categories:
            if code not in known:
                raise InvalidInput(t("“{value}” is not a code of the support-service taxonomy.", value=code))
        if len(set(self.categories)) != len(self.categories):
            raise InvalidInput(t("Service {service} lists a category twice.", service=self.name))


@dataclass(frozen=True)
class Directory:
    """Organizations and their services, in a stable order.

    Invariants (checked): ids are unique per kind; every service's organization is present;
    records of one kind that share an id are equal; a phone belongs to at most one service,
    one location and one organization, a language to at most one service and one location,
    a schedule to one service.
    """

    organizations: tuple[Organization, ...] = ()
    services: tuple[Service, ...] = ()

    def __post_init__(self) -> None:
        _visible(self)
        _tuples(self)
        _check_directory(self)

    def organization(self, organization_id: str) -> Organization:
        for organization in self.organizations:
            if organization.id == organization_id:
                return organization
        raise KeyError(organization_id)

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)


def _check_directory(directory: Directory) -> None:
    organization_ids = [organization.id for organization in directory.organizations]
    _unique(organization_ids, "organization")
    _unique([service.id for service in directory.services], "service")
    known = set(organization_ids)
    for service in directory.services:
        if service.organization_id not in known:
            raise InvalidInput(
                t("Service {service} names organization {organization}, which is not in the directory.", service=service.name, organization=service.organization_id)
            )
    ledger = RecordLedger()
    for holder in directory.organizations + directory.services:
        for kind, item, owner_kind, owner_id in held_records(holder):
            ledger.record(kind, item.id, item, owner_kind, owner_id)  # type: ignore[attr-defined]


def held_records(holder: Organization | Service) -> Iterator[tuple[str, object, str, str]]:
    """The records an organization or a service holds, as (kind, record, owner kind, owner id).

    The owner is the entry or location a phone, schedule, language, attribute, address or
    accessibility record belongs to; a location has none (entries share places)."""
    if isinstance(holder, Organization):
        for phone in holder.phones:
            yield "phone", phone, "organization", holder.id
        return
    for phone in holder.phones:
        yield "phone", phone, "service", holder.id
    for schedule in holder.schedules:
        yield "schedule", schedule, "service", holder.id
    for language in holder.languages:
        yield "language", language, "service", holder.id
    for attribute in holder.attributes:
        yield "attribute", attribute, "service", holder.id
    for location in holder.locations:
        yield "location", location, "", ""
        for phone in location.phones:
            yield "phone", phone, "location", location.id
        for language in location.languages:
            yield "language", language, "location", location.id
        for address in location.addresses:
            yield "address", address, "location", location.id
        for accessibility in location.accessibility:
            yield "accessibility", accessibility, "location", location.id


class RecordLedger:
    """Which records a directory holds, to check that records of one kind sharing an id are
    equal and that a record belongs to at most one owner of each kind.

    ``record`` is given each held record with a value that compares as the record does (the
    record itself, or its canonical document): the whole directory's (``Directory``), or one
    changed entry's followed by the stored records it meets (``app.directory``)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], object] = {}
        self._owners: dict[tuple[str, str, str], str] = {}

    def record(self, kind: str, record_id: str, value: object, owner_kind: str = "", owner_id: str = "") -> None:
        if self._seen.setdefault((kind, record_id), value) != value:
            raise InvalidInput(t("Two different {kind} records share the id {id}.", kind=kind, id=record_id))
        if owner_kind and self._owners.setdefault((kind, record_id, owner_kind), owner_id) != owner_id:
            raise InvalidInput(t("The {kind} record {id} belongs to two different entries.", kind=kind, id=record_id))


def _unique(ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise InvalidInput(t("Two different {kind} records share the id {id}.", kind=kind, id=value))
        seen.add(value)


# --- review ---------------------------------------------------------------------------------


def needs_review(service: Service, today: date) -> bool:
    """True when the entry was never verified or was last verified 180 days ago or more."""
    if service.verified_at is None:
        return True
    return (today - service.verified_at).days >= REVIEW_AFTER_DAYS


# --- opening hours --------------------------------------------------------------------------


def is_open_at(entry: Service | Schedule, when: datetime) -> bool:
    """Whether ``entry`` is open at ``when`` by its schedules (a service: any of them).

    A naive ``when`` is read as local wall-clock time. An aware one is converted to the
    schedule's ``timezone`` when the schedule gives one. A service without schedules, or with
    rules this function cannot read, is reported closed: the caller shows "hours unknown".
    """
    schedules = entry.schedules if isinstance(entry, Service) else (entry,)
    return any(_schedule_open_at(schedule, when) for schedule in schedules)


def _schedule_open_at(schedule: Schedule, when: datetime) -> bool:
    if when.tzinfo is not None and schedule.timezone is not None:
        when = when.astimezone(timezone(timedelta(hours=schedule.timezone))).replace(tzinfo=None)
    day, moment = when.date(), when.time().replace(tzinfo=None)
    opens, closes = schedule.opens_at, schedule.closes_at
    if opens is None and closes is None:
        return _runs_on(schedule, day)
    opens = opens or time(0)
    if closes is None or closes > opens:
        return _runs_on(schedule, day) and opens <= moment and (closes is None or moment < closes)
    # Hours that run past midnight: open from ``opens`` on the day until ``closes`` the next day.
    return (_runs_on(schedule, day) and moment >= opens) or (_runs_on(schedule, day - timedelta(days=1)) and moment < closes)


def _runs_on(schedule: Schedule, day: date) -> bool:
    if schedule.valid_from and day < schedule.valid_from or schedule.valid_to and day > schedule.valid_to:
        return False
    if schedule.dtstart and day < schedule.dtstart or schedule.until and day > schedule.until:
        return False
    tokens = [_BYDAY_TOKEN.fullmatch(part.strip()) for part in schedule.byday.split(",") if part.strip()]
    if not schedule.freq:
        return False
    if schedule.freq == "WEEKLY":
        if schedule.interval > 1:
            if schedule.dtstart is None:
                return False
            start_week = schedule.dtstart - timedelta(days=schedule.dtstart.weekday())
            if ((day - start_week).days // 7) % schedule.interval:
                return False
        if tokens:
            return WEEKDAYS[day.weekday()] in {token[2] for token in tokens if token}
        return schedule.dtstart is not None and day.weekday() == schedule.dtstart.weekday()
    return _monthly_runs_on(schedule, day, tokens)


def _monthly_runs_on(schedule: Schedule, day: date, tokens: list[re.Match[str] | None]) -> bool:
    if schedule.interval > 1:
        if schedule.dtstart is None:
            return False
        months = (day.year - schedule.dtstart.year) * 12 + day.month - schedule.dtstart.month
        if months % schedule.interval:
            return False
    last_day = ((day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day
    month_days = [int(part) for part in schedule.bymonthday.split(",") if part.strip()]
    if month_days and day.day not in {value if value > 0 else last_day + 1 + value for value in month_days}:
        return False
    if tokens:
        for token in tokens:
            if token is None or WEEKDAYS[day.weekday()] != token[2]:
                continue
            if token[1] is None:
                return True
            ordinal = int(token[1])
            if ordinal > 0 and (day.day - 1) // 7 + 1 == ordinal or ordinal < 0 and (last_day - day.day) // 7 + 1 == -ordinal:
                return True
        return False
    if month_days:
        return True
    return schedule.dtstart is not None and day.day == schedule.dtstart.day


# --- confidentiality ------------------------------------------------------------------------

_Entry = TypeVar("_Entry", Directory, Service)


def redact_confidential(entry: _Entry) -> _Entry:
    """``entry`` with the address and phones of every confidential entry removed.

    For a confidential service: its phones go, and its locations lose their addresses, phones,
    coordinates, directions and description. A location shared with a confidential service is
    redacted in every service that uses it, and a phone whose number belongs to a confidential
    entry is removed wherever else it appears. A confidential organization loses its phones.
    """
    if isinstance(entry, Service):
        return _redact_service(entry, set(), set())
    hidden_locations = {location.id for service in entry.services if service.confidential for location in service.locations}
    hidden_numbers = {digits for phone in _confidential_phones(entry) if (digits := _digits(phone.number))}
    services = tuple(_redact_service(service, hidden_locations, hidden_numbers) for service in entry.services)
    organizations = tuple(
        replace(organization, phones=_public_phones(organization.phones, hidden_numbers, organization.confidential))
        for organization in entry.organizations
    )
    return Directory(organizations, services)


def _confidential_phones(directory: Directory) -> Iterable[Phone]:
    for organization in directory.organizations:
        if organization.confidential:
            yield from organization.phones
    for service in directory.services:
        if service.confidential:
            yield from service.phones
            for location in service.locations:
                yield from location.phones


def _redact_service(service: Service, hidden_locations: set[str], hidden_numbers: set[str]) -> Service:
    locations = tuple(
        _redact_location(location) if service.confidential or location.id in hidden_locations else
        replace(location, phones=_public_phones(location.phones, hidden_numbers, False))
        for location in service.locations
    )
    return replace(service, phones=_public_phones(service.phones, hidden_numbers, service.confidential), locations=locations)


def _redact_location(location: Location) -> Location:
    return replace(location, addresses=(), phones=(), latitude=None, longitude=None, transportation="", description="")


def _public_phones(phones: tuple[Phone, ...], hidden_numbers: set[str], confidential: bool) -> tuple[Phone, ...]:
    if confidential:
        return ()
    return tuple(phone for phone in phones if _digits(phone.number) not in hidden_numbers)


def _digits(number: str) -> str:
    return "".join(character for character in number if character.isdigit())
