"""Repository of the support-service directory: storage, one-entry changes and Turkish-aware search.

Storage
    ``load`` reads the stored ``Directory``; ``save`` makes the store hold exactly a given one,
    writing only what differs. Each organization and service is kept as one JSON document of
    the domain value (``encode`` / ``decode``), so a directory reads back equal to what was
    saved, confidential parts included (they never leave the encrypted store from here; every
    export path redacts). Listing, filter and search columns are derived at write time, and so
    is ``directory_records``: each record an entry holds (phone, schedule, place, address…) by
    kind and id, which lets a change to one entry (``put_services``, ``put_organization``,
    ``delete_service``) be checked and written without reading the whole directory.

Search
    Text is folded with ``domain.text.search_key`` when written and when queried, so
    "kinik" finds Kınık, "sonim" ŞÖNİM and "IZMIR", "izmir", "İzmir" are one. Each service has
    three folded keys (``directory_search_keys``): its name; other titles (alternate name,
    organization, district, category labels in both languages, public places, languages); and
    descriptive text. A query's words must all occur: words of three or more letters anywhere
    (substring, FTS5 trigram index ``directory_search``), shorter words at the start of a word
    (FTS5 prefix index ``directory_words``: trigrams cannot look up fewer than three letters).
    Results are ranked by ``Tier`` and then in Turkish alphabetical order of the name
    (``collation_key``), inside SQLite. A page of results is read tier by tier, each tier in
    Turkish order and cut at the page (``_ranked``), so that its cost does not grow with the
    number of matches; what its index look-ups found is remembered for the next key presses
    (``_Lookups``).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date, datetime, time
from enum import IntEnum
from functools import lru_cache
from typing import Any, NamedTuple

from caseworker.domain.directory import Directory, Organization, Schedule, Service, held_records, is_open_at
from caseworker.domain.taxonomy import support_taxonomy
from caseworker.domain.text import search_key, tr_sort_key
from caseworker.storage.database import Connection

SHORT_WORD = 3  # the trigram index finds words of at least this many letters


class Tier(IntEnum):
    """How well a service matches the whole query; lower ranks first."""

    NAME_EXACT = 0
    NAME_PREFIX = 1
    NAME_WORD_PREFIX = 2
    NAME_SUBSTRING = 3
    OTHER_WORD_PREFIX = 4
    OTHER_SUBSTRING = 5
    DESCRIPTION = 6
    WORDS_IN_NAME = 7
    WORDS_ANYWHERE = 8


# --- documents --------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A domain value as JSON-ready data; fields at their default are left out."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        hints = _hints(type(value))
        for item in fields(value):
            current = getattr(value, item.name)
            if item.default is not MISSING and type(current) is type(item.default) and current == item.default:
                continue
            if type(current) is int and float in typing.get_args(hints[item.name]):
                current = float(current)  # 3 and 3.0 are one value: one document
            out[item.name] = encode(current)
        return out
    if isinstance(value, tuple):
        return [encode(part) for part in value]
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(kind: Any, data: Any) -> Any:
    """The inverse of ``encode`` for a value of type ``kind``."""
    origin = typing.get_origin(kind)
    if origin is typing.Union or origin is types.UnionType:
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return decode(inner, data)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(decode(item, part) for part in data)
    if origin is typing.Literal:
        return data
    if is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: decode(hints[name], value) for name, value in data.items()})
    if kind is date:
        return date.fromisoformat(data)
    if kind is time:
        return time.fromisoformat(data)
    return data


def _document(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- Turkish order as bytes -------------------------------------------------------------------


def collation_key(text: str) -> bytes:
    """Bytes whose memcmp order is the order of ``domain.text.tr_sort_key`` (for ORDER BY).

    Every part of the sort key is written element by element with a first byte of 1 or more and
    ended by a 0 byte, so a shorter part sorts before a longer one it begins, as tuples do.
    """
    primary, secondary, tertiary, normal, original = tr_sort_key(text.replace("\x00", ""))
    out = bytearray()
    for kind, weight in primary:
        out += bytes((kind + 1,)) + weight.to_bytes(3, "big")
    out.append(0)
    for weight in secondary:
        out += b"\x01" + min(weight, 0xFFFFFF).to_bytes(3, "big")
    out.append(0)
    out += bytes(flag + 1 for flag in tertiary)
    out.append(0)
    out += normal.encode("utf-8") + b"\x00" + original.encode("utf-8") + b"\x00"
    return bytes(out)


# --- reading ----------------------------------------------------------------------------------


def load(conn: Connection) -> Directory:
    """The stored directory, in its stored order."""
    organizations = tuple(
        decode(Organization, json.loads(row[0])) for row in conn.execute("SELECT document FROM directory_organizations ORDER BY position, id")
    )
    services = tuple(decode(Service, json.loads(row[0])) for row in conn.execute("SELECT document FROM directory_services ORDER BY position, id"))
    return Directory(organizations, services)


def service(conn: Connection, service_id: str) -> Service | None:
    row = conn.execute("SELECT document FROM directory_services WHERE id = ?", (service_id,)).fetchone()
    return decode(Service, json.loads(row[0])) if row else None


def organization(conn: Connection, organization_id: str) -> Organization | None:
    row = conn.execute("SELECT document FROM directory_organizations WHERE id = ?", (organization_id,)).fetchone()
    return decode(Organization, json.loads(row[0])) if row else None


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM directory_services").fetchone()[0])


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What ``save`` did, by service id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class _SearchKeys:
    name: str
    other: str
    description: str


def _joined(parts: Iterable[str]) -> str:
    return " ".join(key for key in (search_key(part) for part in parts if part) if key)


def _search_keys(service: Service, organization: Organization, hidden_places: set[str]) -> _SearchKeys:
    """The folded text a service is found by; a confidential place contributes nothing."""
    taxonomy = support_taxonomy()
    other: list[str] = [service.alternate_name, organization.name, organization.alternate_name, service.district]
    for code in service.categories:
        term = taxonomy.term(code)
        other += [term.label_tr, term.label_en]
    other += [language.name for language in service.languages]
    for location in service.locations:
        other += [language.name for language in location.languages]
        if service.confidential or location.id in hidden_places:
            continue
        other.append(location.name)
        for address in location.addresses:
            other += [address.address_1, address.address_2, address.district, address.province]
    description = [service.description, service.eligibility_description, service.application_process, service.interpretation_services]
    return _SearchKeys(search_key(service.name), _joined(other), _joined(description))


def _language_keys(service: Service) -> set[str]:
    languages = list(service.languages) + [language for location in service.locations for language in location.languages]
    return {key for language in languages for key in (search_key(language.code), search_key(language.name)) if key}


_SEARCH_TABLES = ("directory_search", "directory_words")


def save(conn: Connection, directory: Directory, now: str) -> Changes:
    """Make the store hold exactly ``directory``; only what differs is written."""
    hidden_places = {location.id for service in directory.services if service.confidential for location in service.locations}
    # A place that a confidential entry came to hold or no longer holds changes what finds the
    # other entries that hold it, though their documents stay the same.
    flipped = hidden_places ^ {row[0] for row in conn.execute(
        "SELECT r.id FROM directory_records r JOIN directory_services s ON s.id = r.holder_id "
        "WHERE r.kind = 'location' AND r.holder_kind = 'service' AND s.confidential = 1"
    )}
    stored_organizations = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, position, document FROM directory_organizations")}
    stored_services = {row[0]: (row[1], row[2], row[3]) for row in conn.execute("SELECT id, seq, position, document FROM directory_services")}
    wanted_services = {service.id for service in directory.services}
    wanted_organizations = {organization.id for organization in directory.organizations}
    removed = tuple(sorted(set(stored_services) - wanted_services))
    for service_id in removed:
        _delete_service(conn, service_id, stored_services[service_id][0])

    changed_organizations: set[str] = set()
    for position, organization in enumerate(directory.organizations):
        document = _document(organization)
        old = stored_organizations.get(organization.id)
        if old is None or old[1] != document:
            changed_organizations.add(organization.id)
            _write_organization(conn, organization, position, document)
        elif old[0] != position:
            conn.execute("UPDATE directory_organizations SET position = ? WHERE id = ?", (position, organization.id))

    organizations = {organization.id: organization for organization in directory.organizations}
    added, updated, unchanged = [], [], 0
    for position, service in enumerate(directory.services):
        document = _document(service)
        old = stored_services.get(service.id)
        if (old is not None and old[2] == document and service.organization_id not in changed_organizations
                and not any(location.id in flipped for location in service.locations)):
            if old[1] != position:
                conn.execute("UPDATE directory_services SET position = ? WHERE seq = ?", (position, old[0]))
            unchanged += 1
            continue
        _write_service(conn, service, organizations[service.organization_id], position, document, now, old[0] if old else None, hidden_places)
        (updated if old else added).append(service.id)

    for organization_id in set(stored_organizations) - wanted_organizations:
        conn.execute("DELETE FROM directory_organizations WHERE id = ?", (organization_id,))
        conn.execute("DELETE FROM directory_records WHERE holder_kind = 'organization' AND holder_id = ?", (organization_id,))
    return Changes(tuple(added), tuple(updated), removed, unchanged)


def _write_organization(conn: Connection, organization: Organization, position: int, document: str) -> None:
    conn.execute(
        "INSERT INTO directory_organizations (id, position, name, confidential, document) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, "
        "confidential = excluded.confidential, document = excluded.document",
        (organization.id, position, organization.name, int(organization.confidential), document),
    )
    _write_records(conn, "organization", organization)


def _delete_service(conn: Connection, service_id: str, seq: int) -> None:
    _unindex(conn, seq)
    conn.execute("DELETE FROM directory_services WHERE seq = ?", (seq,))
    conn.execute("DELETE FROM directory_records WHERE holder_kind = 'service' AND holder_id = ?", (service_id,))


def _write_records(conn: Connection, holder_kind: str, holder: Organization | Service) -> None:
    conn.execute("DELETE FROM directory_records WHERE holder_kind = ? AND holder_id = ?", (holder_kind, holder.id))
    conn.executemany(
        "INSERT OR IGNORE INTO directory_records (kind, id, owner_kind, owner_id, holder_kind, holder_id, document) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*row[:4], holder_kind, holder.id, row[4]) for row in record_rows(holder)],
    )


def record_rows(holder: Organization | Service) -> list[tuple[str, str, str, str, str]]:
    """(kind, id, owner kind, owner id, canonical document) of each record ``holder`` holds."""
    return [(kind, item.id, owner_kind, owner_id, _document(item)) for kind, item, owner_kind, owner_id in held_records(holder)]  # type: ignore[attr-defined]


def _unindex(conn: Connection, seq: int) -> None:
    for table in (*_SEARCH_TABLES, "directory_names"):
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (seq,))
    conn.execute("DELETE FROM directory_search_keys WHERE seq = ?", (seq,))
    conn.execute("DELETE FROM directory_service_terms WHERE seq = ?", (seq,))


_SERVICE_COLUMNS = (
    "id", "position", "organization_id", "name", "district", "district_key", "status", "source", "confidential", "sample",
    "verified_at", "categories", "document", "updated_at",
)


def _service_values(service: Service, position: int, document: str, now: str) -> tuple[Any, ...]:
    return (
        service.id, position, service.organization_id, service.name, service.district, search_key(service.district), service.status,
        service.source, int(service.confidential), int(service.sample), service.verified_at.isoformat() if service.verified_at else None,
        " ".join(service.categories), document, now,
    )


def _write_service(
    conn: Connection, service: Service, organization: Organization, position: int, document: str, now: str, seq: int | None, hidden_places: set[str]
) -> None:
    values = _service_values(service, position, document, now)
    if seq is None:
        placeholders = ", ".join("?" * len(_SERVICE_COLUMNS))
        seq = conn.execute(f"INSERT INTO directory_services ({', '.join(_SERVICE_COLUMNS)}) VALUES ({placeholders})", values).lastrowid
    else:
        assignments = ", ".join(f"{column} = ?" for column in _SERVICE_COLUMNS)
        conn.execute(f"UPDATE directory_services SET {assignments} WHERE seq = ?", (*values, seq))
        _unindex(conn, seq)
    _write_records(conn, "service", service)
    _index(conn, seq, service, organization, hidden_places)


def _index(conn: Connection, seq: int, service: Service, organization: Organization, hidden_places: set[str]) -> None:
    keys = _search_keys(service, organization, hidden_places)
    conn.execute(
        "INSERT INTO directory_search_keys (seq, name_key, other_key, description_key, sort_key) VALUES (?, ?, ?, ?, ?)",
        (seq, keys.name, keys.other, keys.description, collation_key(service.name)),
    )
    for table in _SEARCH_TABLES:
        conn.execute(f"INSERT INTO {table} (rowid, name_key, other_key, description_key) VALUES (?, ?, ?, ?)", (seq, keys.name, keys.other, keys.description))
    conn.execute("INSERT INTO directory_names (rowid, name_key) VALUES (?, ?)", (seq, keys.name))
    terms = [("category", code) for code in service.categories] + [("language", key) for key in sorted(_language_keys(service))]
    conn.executemany("INSERT OR IGNORE INTO directory_service_terms (kind, key, seq) VALUES (?, ?, ?)", [(kind, key, seq) for kind, key in terms])


# --- changing one entry -----------------------------------------------------------------------
# What a change to one entry reads and writes: the entry's row, its records and search keys, and
# those of the few entries it shares a place with; never the whole directory.


def services_holding(conn: Connection, place_ids: Iterable[str]) -> list[Service]:
    """The stored services that hold any of the places ``place_ids``, in directory order."""
    ids = sorted(set(place_ids))
    if not ids:
        return []
    rows = conn.execute(
        "SELECT document FROM directory_services WHERE id IN (SELECT holder_id FROM directory_records "
        f"WHERE kind = 'location' AND holder_kind = 'service' AND id IN ({', '.join('?' * len(ids))})) ORDER BY position, id",
        ids,
    )
    return [decode(Service, json.loads(row[0])) for row in rows]


@dataclass(frozen=True)
class StoredRecord:
    """A record an organization or a service holds, as ``directory_records`` keeps it."""

    kind: str
    id: str
    owner_kind: str
    owner_id: str
    holder_kind: str
    holder_id: str
    document: str


def stored_records(conn: Connection, keys: Iterable[tuple[str, str]]) -> list[StoredRecord]:
    """Every stored record whose (kind, id) is one of ``keys``."""
    wanted = sorted(set(keys))
    found: list[StoredRecord] = []
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        values = ", ".join("(?, ?)" for _ in chunk)
        found += [StoredRecord(*row) for row in conn.execute(
            f"WITH wanted (kind, id) AS (VALUES {values}) SELECT r.kind, r.id, r.owner_kind, r.owner_id, r.holder_kind, r.holder_id, r.document "
            "FROM wanted JOIN directory_records r ON r.kind = wanted.kind AND r.id = wanted.id",
            [part for key in chunk for part in key],
        )]
    return found


def put_organization(conn: Connection, organization: Organization) -> None:
    """Add or replace one organization; its services are found again under its new names."""
    document = _document(organization)
    row = conn.execute("SELECT position, document FROM directory_organizations WHERE id = ?", (organization.id,)).fetchone()
    if row is not None and row[1] == document:
        return
    if row is None:
        position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM directory_organizations").fetchone()[0]
    else:
        position = row[0]
    old = decode(Organization, json.loads(row[1])) if row else None
    _write_organization(conn, organization, position, document)
    if old is not None and (old.name, old.alternate_name) != (organization.name, organization.alternate_name):
        services = [decode(Service, json.loads(text)) for (text,) in conn.execute("SELECT document FROM directory_services WHERE organization_id = ?", (organization.id,))]
        _reindex(conn, services)


def put_services(conn: Connection, services: Iterable[Service], now: str) -> None:
    """Add or replace each of ``services`` (a new one goes to the end of the directory), with
    their records and search keys, and find again the entries that share a place with them (a
    confidential entry hides a shared place from search)."""
    services = list(services)
    places: set[str] = set()
    for service in services:
        row = conn.execute("SELECT seq, position, document FROM directory_services WHERE id = ?", (service.id,)).fetchone()
        if row is not None:
            places.update(location["id"] for location in json.loads(row[2]).get("locations", ()))
            seq, position = row[0], row[1]
        else:
            seq, position = None, conn.execute("SELECT coalesce(max(position) + 1, 0) FROM directory_services").fetchone()[0]
        values = _service_values(service, position, _document(service), now)
        if seq is None:
            placeholders = ", ".join("?" * len(_SERVICE_COLUMNS))
            conn.execute(f"INSERT INTO directory_services ({', '.join(_SERVICE_COLUMNS)}) VALUES ({placeholders})", values)
        else:
            assignments = ", ".join(f"{column} = ?" for column in _SERVICE_COLUMNS)
            conn.execute(f"UPDATE directory_services SET {assignments} WHERE seq = ?", (*values, seq))
        _write_records(conn, "service", service)
        places.update(location.id for location in service.locations)
    written = {service.id for service in services}
    _reindex(conn, services + [other for other in services_holding(conn, places) if other.id not in written])


def delete_service(conn: Connection, service_id: str) -> None:
    """Remove one service; the entries that shared a place with it are found again."""
    row = conn.execute("SELECT seq, document FROM directory_services WHERE id = ?", (service_id,)).fetchone()
    if row is None:
        return
    places = [location["id"] for location in json.loads(row[1]).get("locations", ())]
    _delete_service(conn, service_id, row[0])
    _reindex(conn, services_holding(conn, places))


def _reindex(conn: Connection, services: list[Service]) -> None:
    """Write again the search keys and filter terms of stored ``services``."""
    if not services:
        return
    places = sorted({location.id for service in services for location in service.locations})
    hidden = {row[0] for start in range(0, len(places), 400) for row in conn.execute(
        "SELECT DISTINCT r.id FROM directory_records r JOIN directory_services s ON s.id = r.holder_id "
        f"WHERE r.kind = 'location' AND r.holder_kind = 'service' AND s.confidential = 1 AND r.id IN ({', '.join('?' * len(places[start:start + 400]))})",
        places[start : start + 400],
    )}
    names: dict[str, Organization] = {}
    for service in services:
        if service.organization_id not in names:
            found = organization(conn, service.organization_id)
            if found is None:
                raise KeyError(service.organization_id)
            names[service.organization_id] = found
        seq = conn.execute("SELECT seq FROM directory_services WHERE id = ?", (service.id,)).fetchone()[0]
        _unindex(conn, seq)
        _index(conn, seq, service, names[service.organization_id], hidden)


# --- searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. ``district``/``language`` are matched folded; ``category`` is a code.

    ``with_citywide`` adds the entries without a district (city-wide and national lines) to a
    district filter. ``open_at`` keeps the services open at that moment by their schedules.
    ``limit`` 0 means all; ``offset`` skips that many of the ranked services (the next page).
    """

    text: str = ""
    district: str | None = None
    with_citywide: bool = True
    category: str | None = None
    language: str | None = None
    open_at: datetime | None = None
    limit: int = 0
    offset: int = 0


class ServiceRow(NamedTuple):
    """A service as listed: what a result line shows, without opening its document.

    A named tuple, as immutable as a frozen dataclass and built in a quarter of its time: a
    key press in the directory makes a page of these."""

    id: str
    name: str
    organization_id: str
    organization: str
    district: str
    status: str
    source: str
    confidential: bool
    sample: bool
    verified_at: date | None
    categories: tuple[str, ...]
    tier: Tier


_ROW_COLUMNS = (
    "s.id, s.name, s.organization_id, o.name, s.district, s.status, s.source, s.confidential, s.sample, s.verified_at, s.categories"
)
_ROW_FROM = "directory_services s JOIN directory_organizations o ON o.id = s.organization_id"


def _row(values: tuple, tier: int) -> ServiceRow:
    service_id, name, organization_id, organization, district, status, source, confidential, sample, verified_at, categories = values
    return ServiceRow(
        service_id, name, organization_id, organization, district, status, source, bool(confidential), bool(sample),
        date.fromisoformat(verified_at) if verified_at else None, tuple(categories.split()), _TIERS[tier],
    )


_TIERS = tuple(Tier)  # a tier by its number, without the enum's look-up


@dataclass(frozen=True)
class _Sql:
    """A piece of WHERE clause with its parameters."""

    text: str
    params: tuple[Any, ...] = ()

    @staticmethod
    def all(parts: Iterable["_Sql"]) -> "_Sql":
        parts = [part for part in parts if part.text]
        return _Sql(" AND ".join(part.text for part in parts), tuple(param for part in parts for param in part.params))


def _fts(column: str, words: list[str]) -> list[_Sql]:
    """Conditions that each word occurs in ``column`` ("" for any column): a word of three
    letters or more as a substring (trigrams), a shorter one at the start of a word."""
    scope = f"{column} : " if column else ""
    long_words = [word for word in words if len(word) >= SHORT_WORD]
    short_words = [word for word in words if len(word) < SHORT_WORD]
    parts = []
    if long_words:
        parts.append(_Sql("k.seq IN (SELECT rowid FROM directory_search WHERE directory_search MATCH ?)", (" AND ".join(f'{scope}"{w}"' for w in long_words),)))
    if short_words:
        parts.append(_Sql("k.seq IN (SELECT rowid FROM directory_words WHERE directory_words MATCH ?)", (" AND ".join(f'{scope}"{w}"*' for w in short_words),)))
    return parts


def _filters(query: SearchQuery) -> list[_Sql]:
    parts = []
    if query.district is not None:
        district = "s.district_key IN (?, '')" if query.with_citywide else "s.district_key = ?"
        parts.append(_Sql(f"k.seq IN (SELECT seq FROM directory_services s WHERE {district})", (search_key(query.district),)))
    if query.category is not None:
        parts.append(_Sql("k.seq IN (SELECT seq FROM directory_service_terms WHERE kind = 'category' AND key = ?)", (query.category,)))
    if query.language is not None:
        parts.append(_Sql("k.seq IN (SELECT seq FROM directory_service_terms WHERE kind = 'language' AND key = ?)", (search_key(query.language),)))
    return parts


def search(conn: Connection, query: SearchQuery) -> list[ServiceRow]:
    """Services matching ``query``, best first, then in Turkish order of their names.

    A page (``limit``) is ranked tier by tier so that a short prefix stays fast (``_ranked``);
    every result is ranked in two steps: the services whose name holds the whole query (tiers
    0-3), then the others that match.
    """
    limit = query.offset + query.limit if query.limit else 0
    if query.open_at is None:
        return _rows(conn, _ranked(conn, query, limit)[query.offset :])
    if limit:
        wider = _ranked(conn, query, limit * 4)
        found = _open_only(conn, wider, query.open_at, limit)
        if len(found) >= limit or len(wider) < limit * 4:
            return _rows(conn, found[query.offset :])
    return _rows(conn, _open_only(conn, _ranked(conn, query, 0), query.open_at, limit)[query.offset :])


def _ranked(conn: Connection, query: SearchQuery, limit: int) -> list[tuple[int, int]]:
    """(seq, tier) of the matching services in rank order, at most ``limit`` (0: all)."""
    phrase = search_key(query.text)
    words = phrase.split()
    filters = _filters(query)
    if not words:
        return _select(conn, "0", (), _Sql.all(filters), limit)
    matching = _Sql.all(_fts("", words) + filters)
    tier_sql, tier_params = _tier_expression(phrase, words)
    if not limit or filters:  # every result, or the few a filter leaves: in two steps
        in_name = _Sql.all(_fts("name_key", [phrase])) if len(phrase) < SHORT_WORD else _in_index("directory_names", f'"{phrase}"')
        first = _select(conn, tier_sql, tier_params, _Sql.all([matching, in_name]), limit)
        if limit and len(first) >= limit:
            return first
        rest = _Sql.all([matching, _Sql(f"NOT ({in_name.text})", in_name.params)])
        return first + _select(conn, tier_sql, tier_params, rest, limit - len(first) if limit else 0)
    # A page: tier by tier, each read in Turkish order and cut at the page, so that a short
    # prefix matching thousands of services never ranks them all.
    lookups = _Lookups(conn)
    found = _name_starts(conn, phrase, limit)
    if len(found) < limit:
        found += _tier_page(lookups, Tier.NAME_WORD_PREFIX, phrase, words, None, limit - len(found), known=len(found))
    if len(found) >= limit:
        return found
    driver = _driver(lookups, words)
    if driver.found < _GATHER_BELOW:  # few: rank them at once
        elsewhere = _Sql("instr(' ' || k.name_key, ?) = 0", (" " + phrase,))
        rest_sql, rest_params = _tier_expression(phrase, words, first=Tier.NAME_SUBSTRING)
        return found + _select(conn, rest_sql, rest_params, _Sql.all([*driver.matching, elsewhere]), limit - len(found))
    for tier in (Tier.NAME_SUBSTRING, Tier.OTHER_WORD_PREFIX, Tier.OTHER_SUBSTRING, Tier.DESCRIPTION):
        if len(found) < limit:
            found += _tier_page(lookups, tier, phrase, words, driver, limit - len(found))
    if len(found) < limit:
        elsewhere = _Sql("instr(k.name_key, ?) = 0 AND instr(k.other_key, ?) = 0 AND instr(k.description_key, ?) = 0", (phrase,) * 3)
        rest_sql, rest_params = _tier_expression(phrase, words, first=Tier.WORDS_IN_NAME)
        found += _select(conn, rest_sql, rest_params, _Sql.all([*driver.matching, elsewhere]), limit - len(found))
    return found


def _word_in_keys(word: str) -> _Sql:
    """That ``word`` occurs in a service's keys as the trigram and word indexes find it: three
    letters or more anywhere, fewer at the start of a word (the keys are words of letters and
    digits separated by one space, so this is what the indexes say, read from the keys)."""
    if len(word) >= SHORT_WORD:
        return _Sql("(instr(k.name_key, ?) > 0 OR instr(k.other_key, ?) > 0 OR instr(k.description_key, ?) > 0)", (word,) * 3)
    return _Sql("(instr(' ' || k.name_key, ?) > 0 OR instr(' ' || k.other_key, ?) > 0 OR instr(' ' || k.description_key, ?) > 0)", (" " + word,) * 3)


# A tier whose index look-up finds this many candidates or more is read along the Turkish
# order until the page is full; fewer are gathered from the index and sorted. Gathering costs
# so much a candidate; reading the order (the index holds the keys) a fraction of that a
# service read, and the fewer match, the more are read. At 10,000 services the two meet near
# 300 candidates (docs/directory.md).
_WALK_FROM = 300
# When the query's words are held by fewer than this many services, they are all ranked at
# once rather than tier by tier: one look-up instead of one a tier.
_GATHER_BELOW = 800


def _name_starts(conn: Connection, phrase: str, limit: int) -> list[tuple[int, int]]:
    """Tiers 0 and 1: the name is the query or starts with it (a range of the name index)."""
    where = _Sql("k.name_key >= ? AND k.name_key < ?", (phrase, phrase + "\U0010ffff"))
    return _select(conn, "CASE WHEN k.name_key = ? THEN 0 ELSE 1 END", (phrase,), where, limit)


def _candidates(tier: Tier, phrase: str) -> tuple[str, str] | None:
    """(index, MATCH expression) of the services among which those of ``tier`` are, or None
    when no index can say (fewer than three letters inside a word). A name holding three
    letters or more is looked up in the names' own index, whose lists are short."""
    column = "name_key" if tier <= Tier.NAME_SUBSTRING else "other_key" if tier <= Tier.OTHER_SUBSTRING else "description_key"
    if len(phrase) >= SHORT_WORD and column == "name_key":
        return "directory_names", f'"{phrase}"'
    if tier in (Tier.NAME_WORD_PREFIX, Tier.OTHER_WORD_PREFIX):
        return "directory_words", f'{column} : "{phrase}"*'
    if len(phrase) >= SHORT_WORD:
        return "directory_search", f'{column} : "{phrase}"'
    return None


def _in_index(table: str, match: str) -> _Sql:
    return _Sql(f"k.seq IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", (match,))


def _among(seqs: str) -> _Sql:
    """That a service is one of ``seqs`` (a JSON array)."""
    return _Sql("k.seq IN (SELECT value FROM json_each(?))", (seqs,))


@dataclass(slots=True)
class _LookedUp:
    """What an index look-up found (how many services, their seq as a JSON array) and the
    search that last used it."""

    count: int
    seqs: str
    used_at: int


class _Lookups:
    """The index look-ups of a search, remembered on the connection for the next few searches
    while the store is unchanged (``Connection.remembered``): as someone types, each key press
    looks up again the words typed before ("çiğli" for "çiğli k", "çiğli kr", "çiğli kre"...).
    A look-up that ``_KEPT_FOR`` searches in a row have not used is forgotten."""

    _KEPT_FOR = 8

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        remembered = conn.remembered()
        self._search = remembered.get("directory searches", 0) + 1
        kept = remembered.get("directory look-ups", {})
        self._memory: dict[tuple[str, str, int], _LookedUp] = {key: found for key, found in kept.items() if found.used_at >= self._search - self._KEPT_FOR}
        remembered.update({"directory searches": self._search, "directory look-ups": self._memory})

    def found(self, table: str, match: str, up_to: int) -> tuple[int, str]:
        """How many services ``table`` finds for ``match``, counting no further than ``up_to``,
        and their seq as a JSON array (for ``_among``; all of them when fewer than ``up_to``)."""
        known = self._memory.get((table, match, up_to))
        if known is None:
            sql = f"SELECT count(*), json_group_array(rowid) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT {int(up_to)})"
            count, seqs = self.conn.execute(sql, (match,)).fetchone()
            known = self._memory[(table, match, up_to)] = _LookedUp(count, seqs, self._search)
        known.used_at = self._search
        return known.count, known.seqs


@dataclass(frozen=True)
class _Driver:
    """How the services holding every word of a query are gathered: one index look-up (its
    table and MATCH expression), what it finds (up to ``_GATHER_BELOW``), and the words it
    leaves to be checked in each candidate's keys."""

    table: str
    match: str
    found: int
    seqs: str
    checks: tuple[_Sql, ...]

    @property
    def matching(self) -> list[_Sql]:
        held = _among(self.seqs) if self.found < _GATHER_BELOW else _in_index(self.table, self.match)
        return [held, *self.checks]


def _driver(lookups: _Lookups, words: list[str]) -> _Driver:
    """The look-up of the rarest word of three letters or more, the others checked in the keys
    (a look-up of several words intersects the long lists of the common ones: "kadın" is in
    most entries); with only shorter words, the word index finds the entries holding them all.
    The longest words are counted first, and counting stops at one that few entries hold."""
    long_words = sorted({word for word in words if len(word) >= SHORT_WORD}, key=lambda word: (-len(word), word))
    if not long_words:
        match = " AND ".join(f'"{word}"*' for word in words)
        return _Driver("directory_words", match, *lookups.found("directory_words", match, _GATHER_BELOW), ())
    counts = []
    for word in long_words:
        counts.append((*lookups.found("directory_search", f'"{word}"', _GATHER_BELOW), word))
        if counts[-1][0] < _WALK_FROM:
            break
    found, seqs, rarest = min(counts, key=lambda counted: (counted[0], counted[2]))
    return _Driver("directory_search", f'"{rarest}"', found, seqs, tuple(_word_in_keys(word) for word in words if word != rarest))


def _tier_page(lookups: _Lookups, tier: Tier, phrase: str, words: list[str], driver: _Driver | None, limit: int, *, known: int = 0) -> list[tuple[int, int]]:
    """Up to ``limit`` services of ``tier``, in Turkish order; ``driver`` is needed only for
    a tier no index can look up (``_candidates``). ``known`` of the tier's candidates are
    known to be in better tiers (the names that start with the query, for tier 2).

    A key that holds the query holds every word of three letters or more of it, and every word
    after the first at the start of a word; so among the services holding the query only a
    short first word is checked, and in tiers 2 and 4 (the query at the start of a word) none.
    """
    tier_sql, tier_params = _tier_expression(phrase, words)
    exact = _Sql(f"({tier_sql}) = {tier.value}", tier_params)
    candidates = _candidates(tier, phrase)
    if candidates is not None:
        count, seqs = lookups.found(*candidates, _WALK_FROM)
        if count <= known and count < _WALK_FROM:  # none but those
            return []
        many = count >= _WALK_FROM
        checks = [] if tier in (Tier.NAME_WORD_PREFIX, Tier.OTHER_WORD_PREFIX) or len(words[0]) >= SHORT_WORD else [_word_in_keys(words[0])]
        gathered = [_among(seqs), *checks]
    else:
        assert driver is not None
        many = driver.found >= _WALK_FROM
        gathered = driver.matching
    if many:
        # The tier's own test first: the walk reads the services in order until the page is
        # full, and most of those it reads fail that one cheap test (the whole tier expression
        # holds only where it holds, so the result is the same).
        own = _Sql(*_tier_tests(phrase, words)[tier])
        return _select(lookups.conn, str(tier.value), (), _Sql.all([own, exact, *(_word_in_keys(word) for word in words)]), limit, walk=True)
    return _select(lookups.conn, str(tier.value), (), _Sql.all([*gathered, exact]), limit)


def _select(conn: Connection, tier_sql: str, tier_params: tuple[Any, ...], where: _Sql, limit: int, *, walk: bool = False) -> list[tuple[int, int]]:
    """(seq, tier) of the services ``where`` holds for, by tier and then in Turkish order;
    ``walk`` reads them along the order index (a constant tier only)."""
    source = "directory_search_keys k INDEXED BY directory_search_keys_sort" if walk else "directory_search_keys k"
    sql = f"SELECT k.seq, {tier_sql} AS tier FROM {source}"
    if where.text:
        sql += f" WHERE {where.text}"
    sql += " ORDER BY k.sort_key, k.seq" if tier_sql.isdigit() else " ORDER BY tier, k.sort_key, k.seq"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [(row[0], row[1]) for row in conn.execute(sql, (*tier_params, *where.params))]


def _tier_tests(phrase: str, words: list[str]) -> list[tuple[str, tuple[Any, ...]]]:
    """The SQL test of each ``Tier`` but the last, in tier order, with its parameters."""
    in_name = " AND ".join("instr(' ' || k.name_key, ?) > 0" if len(word) < SHORT_WORD else "instr(k.name_key, ?) > 0" for word in words)
    return [
        ("k.name_key = ?", (phrase,)),
        ("substr(k.name_key, 1, ?) = ?", (len(phrase), phrase)),
        ("instr(' ' || k.name_key, ?) > 0", (" " + phrase,)),
        ("instr(k.name_key, ?) > 0", (phrase,)),
        ("instr(' ' || k.other_key, ?) > 0", (" " + phrase,)),
        ("instr(k.other_key, ?) > 0", (phrase,)),
        ("instr(k.description_key, ?) > 0", (phrase,)),
        (in_name, tuple(" " + word if len(word) < SHORT_WORD else word for word in words)),
    ]


# The tiers by the key they look in. Each tier's test holds only where the last test of its
# group holds (a name that starts with the query holds it), so a service is tested once per key
# for the query and only then told apart within the group.
_TIER_GROUPS = (
    (Tier.NAME_EXACT, Tier.NAME_PREFIX, Tier.NAME_WORD_PREFIX, Tier.NAME_SUBSTRING),
    (Tier.OTHER_WORD_PREFIX, Tier.OTHER_SUBSTRING),
    (Tier.DESCRIPTION,),
    (Tier.WORDS_IN_NAME,),
)


def _tier_expression(phrase: str, words: list[str], first: int = 0) -> tuple[str, tuple[Any, ...]]:
    """The SQL of a service's ``Tier``; ``first`` leaves out the tests of the tiers before it,
    for services known to be in none of them."""
    tests = _tier_tests(phrase, words)
    branches, params = [], []
    for group in _TIER_GROUPS:
        tiers = [tier for tier in group if tier >= first]
        if not tiers:
            continue
        *within, last = tiers
        then = f"CASE {' '.join(f'WHEN {tests[tier][0]} THEN {tier.value}' for tier in within)} ELSE {last.value} END" if within else str(last.value)
        branches.append(f"WHEN {tests[last][0]} THEN {then}")
        params += [*tests[last][1], *(param for tier in within for param in tests[tier][1])]
    return f"CASE {' '.join(branches)} ELSE {Tier.WORDS_ANYWHERE.value} END", tuple(params)


def _open_only(conn: Connection, ranked: list[tuple[int, int]], when: datetime, limit: int) -> list[tuple[int, int]]:
    found = []
    for seq, tier in ranked:
        row = conn.execute("SELECT json_extract(document, '$.schedules') FROM directory_services WHERE seq = ?", (seq,)).fetchone()
        schedules = json.loads(row[0]) if row and row[0] else []
        if any(is_open_at(decode(Schedule, item), when) for item in schedules):
            found.append((seq, tier))
            if limit and len(found) >= limit:
                break
    return found


def _rows(conn: Connection, ranked: list[tuple[int, int]]) -> list[ServiceRow]:
    if not ranked:
        return []
    wanted = dict(ranked)
    by_seq: dict[int, ServiceRow] = {}
    seqs = list(wanted)
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        rows = conn.execute(f"SELECT s.seq, {_ROW_COLUMNS} FROM {_ROW_FROM} WHERE s.seq IN ({', '.join('?' * len(chunk))})", chunk)
        by_seq.update((values[0], _row(values[1:], wanted[values[0]])) for values in rows)
    return [by_seq[seq] for seq, _ in ranked]


def not_verified_since(conn: Connection, cutoff: date) -> list[ServiceRow]:
    """Services never verified or last verified on or before ``cutoff``: the oldest first."""
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM {_ROW_FROM} JOIN directory_search_keys k ON k.seq = s.seq "
        "WHERE s.verified_at IS NULL OR s.verified_at <= ? ORDER BY s.verified_at IS NOT NULL, s.verified_at, k.sort_key, s.id",
        (cutoff.isoformat(),),
    )
    return [_row(values, 0) for values in rows]


def districts(conn: Connection) -> list[str]:
    """The districts the stored services name, in Turkish order."""
    names = [row[0] for row in conn.execute("SELECT DISTINCT district FROM directory_services WHERE district != ''")]
    return sorted(names, key=tr_sort_key)
