"""HSDS 3.0 data into the directory: strict reading of HSDS JSON and of HSDS tables.

``import_hsds_json`` takes a list or page of services, organizations, locations or
service-at-location records, a single one of them, or the tabular data as JSON. All HSDS data
is first flattened into HSDS tables (rows with their links), then the directory is built from
them: what maps is kept, what does not is listed in ``ImportResult.skipped``. Malformed data
raises ``InvalidInput`` naming the position (a JSON pointer, or ``file.csv:line``); nothing is
returned half-built. ``files`` reads HSDS JSON files and tabular package folders.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any

from caseworker import strict_json
from caseworker.domain.directory import (
    LOCATION_TYPES,
    SERVICE_STATUSES,
    SOURCES,
    Accessibility,
    Address,
    Attribute,
    Directory,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    Source,
    Taxonomy,
    TaxonomyTerm,
)
from caseworker.domain.taxonomy import field_taxonomy, support_taxonomy
from caseworker.errors import InvalidInput
from caseworker.hsds.tabular import TABLE_PATHS
from caseworker.hsds.writing import _derived_id
from caseworker.i18n import t, tn

# An HSDS document read from a file or a publication: as large as a publication may be.
HSDS_JSON = strict_json.JsonLimits(max_bytes=32 * 1024 * 1024)
_UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class ImportResult:
    directory: Directory
    skipped: tuple[str, ...]


def import_hsds_json(data: Any, *, source: Source | None = None) -> ImportResult:
    """Read HSDS JSON: ``data`` is JSON text (``str`` or ``bytes``) or parsed JSON
    (``files.read_hsds_json`` reads a file).

    ``source``, when given, is set on every imported service (the sync layer passes
    "coordinator" when applying the coordinator's directory); otherwise each service keeps the
    source carried in the data, or "local".
    """
    return _import_document(_load_json(data), source)


def _import_document(document: Any, source: Source | None) -> ImportResult:
    notes = _Notes()
    tables = _Tables(notes)
    _Flattener(tables, notes).document(document)
    return ImportResult(_assemble(tables, notes, source), notes.lines())


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(t("{file} is not UTF-8 text (fault at byte {offset}). Save it as UTF-8 and try again.", file=name, offset=error.start)) from None


def _parse_json(text: str, name: str) -> Any:
    try:
        return strict_json.loads(text, HSDS_JSON, name)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            t("{file} is not valid JSON: the fault is at line {line}, column {column}. Check that the file is complete.", file=name, line=error.lineno, column=error.colno)
        ) from None


def _load_json(data: Any) -> Any:
    if isinstance(data, (dict, list)):
        return data
    if isinstance(data, bytes):
        return _parse_json(_decode(data, "JSON"), "JSON")
    if isinstance(data, str):
        return _parse_json(data, "JSON")
    raise InvalidInput(t("HSDS data must be JSON text, a file or parsed JSON, not {value}.", value=type(data).__name__))


# --- import: notes ----------------------------------------------------------------------------


class _Notes:
    """What did not map, in the order met; counted notes are summed and listed at the end."""

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}
        self._unkept_fields: dict[tuple[str, str], int] = {}
        self._unkept_tables: dict[str, int] = {}

    def add(self, line: str) -> None:
        self._lines.setdefault(line, None)

    def unkept_field(self, table: str, field: str) -> None:
        self._unkept_fields[table, field] = self._unkept_fields.get((table, field), 0) + 1

    def unkept_table(self, table: str, count: int = 1) -> None:
        self._unkept_tables[table] = self._unkept_tables.get(table, 0) + count

    def lines(self) -> tuple[str, ...]:
        result = list(self._lines)
        result += [
            t("{table}: the directory does not keep this kind of record; left out: {count}.", table=table, count=count)
            for table, count in self._unkept_tables.items()
        ]
        result += [
            tn(count, "{table}: the field “{field}” has no place in the directory; left out in {count} record.",
               "{table}: the field “{field}” has no place in the directory; left out in {count} records.", table=table, field=field)
            for (table, field), count in self._unkept_fields.items()
        ]
        return tuple(result)


# --- import: HSDS JSON -> tables --------------------------------------------------------------


@dataclass
class _Row:
    values: dict[str, Any]
    where: str

    def at(self, field: str) -> str:
        return f"{self.where} ({field})" if ".csv:" in self.where else f"{self.where}/{field}"


class _Tables:
    def __init__(self, notes: _Notes) -> None:
        self.notes = notes
        self.rows: dict[str, dict[str, _Row]] = {}

    def add(self, table: str, values: dict[str, Any], where: str, *, strict: bool = False) -> str:
        row = _Row(values, where)
        raw_id = values.get("id")
        if raw_id is None or raw_id == "":
            raise InvalidInput(t("{position}: the field “{field}” is required but missing or empty.", position=row.at("id"), field="id"))
        if not isinstance(raw_id, str):
            raise InvalidInput(t("{position}: the field “{field}” must be text.", position=row.at("id"), field="id"))
        rows = self.rows.setdefault(table, {})
        existing = rows.get(raw_id)
        if existing is None:
            rows[raw_id] = row
            return raw_id
        if strict:
            raise InvalidInput(t("{position}: the id {id} appears a second time in this table.", position=where, id=raw_id))
        for key, value in values.items():
            old = existing.values.get(key)
            if old is None or old == "":
                existing.values[key] = value
            elif value not in (None, "") and old != value:
                self.notes.add(t("{table} {id}: two copies disagree on “{field}”; the first one was kept.", table=table, id=raw_id, field=key))
        return raw_id

    def table(self, name: str) -> list[_Row]:
        return list(self.rows.get(name, {}).values())


_UNKEPT_CHILDREN = {
    "contacts": "contact",
    "funding": "funding",
    "programs": "program",
    "program": "program",
    "organization_identifiers": "organization_identifier",
    "service_areas": "service_area",
    "required_documents": "required_document",
    "cost_options": "cost_option",
    "metadata": "metadata",
}
_ORGANIZATION_ONLY = {"services", "website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo", "parent_organization_id", "locations", "programs", "organization_identifiers"}
_TERM_ONLY = {"code", "parent_id", "taxonomy", "taxonomy_detail", "taxonomy_id", "term_uri", "language"}


class _Flattener:
    """Walks nested HSDS JSON and files every record into its table, with its links."""

    def __init__(self, tables: _Tables, notes: _Notes) -> None:
        self.tables = tables
        self.notes = notes

    def document(self, document: Any) -> None:
        if isinstance(document, list):
            for index, item in enumerate(document):
                self.record(item, f"/{index}")
        elif isinstance(document, dict):
            if isinstance(document.get("contents"), list):
                for index, item in enumerate(document["contents"]):
                    self.record(item, f"/contents/{index}")
            elif document and all(isinstance(key, str) and key.endswith(".csv") for key in document):
                self.tabular(document)
            elif "id" not in document and ("openapi_url" in document or "version" in document):
                self.notes.add(t("The data is an HSDS API description, not directory entries; there was nothing to import."))
            else:
                self.record(document, "")
        else:
            raise InvalidInput(t("{position}: expected an object or a list, found {found}.", position="/", found=_kind_name(document)))

    def tabular(self, document: dict[str, Any]) -> None:
        tables_by_path = {path: table for table, path in TABLE_PATHS.items()}
        for path, rows in document.items():
            table = tables_by_path.get(path)
            if table is None:
                self.notes.add(t("The file {file} is not an HSDS table; it was left out.", file=path))
                continue
            for index, values in enumerate(_list(rows, f"/{path}")):
                where = f"/{path}/{index}"
                self.tables.add(table, _scalars(_object(values, where)), where, strict=True)

    def record(self, item: Any, where: str) -> None:
        item = _object(item, where)
        if "status" in item:
            self.service(item, where)
        elif "location_type" in item:
            self.location(item, where)
        elif isinstance(item.get("location"), dict) or isinstance(item.get("service"), dict):
            self.service_at_location(item, where)
        elif _ORGANIZATION_ONLY & item.keys():
            self.organization(item, where)
        elif _TERM_ONLY & item.keys():
            self.term(item, where)
        elif {"uri", "version"} & item.keys():
            self.taxonomy(item, where)
        elif "name" in item:
            self.organization(item, where)
        else:
            raise InvalidInput(t("{position}: this object is not an HSDS service, organization, location or taxonomy record.", position=where or "/"))

    def _children(self, item: dict[str, Any], where: str, handlers: dict[str, Callable[[dict[str, Any], str], Any]]) -> None:
        for key, value in item.items():
            if not isinstance(value, (list, dict)):
                continue
            child_where = f"{where}/{key}"
            handler = handlers.get(key)
            if handler is None:
                count = len(value) if isinstance(value, list) else 1
                if count:
                    self.notes.unkept_table(_UNKEPT_CHILDREN.get(key, key), count)
            elif isinstance(value, dict):
                handler(value, child_where)
            else:
                for index, child in enumerate(value):
                    handler(_object(child, f"{child_where}/{index}"), f"{child_where}/{index}")

    def _add(self, table: str, item: dict[str, Any], where: str, **links: str) -> str:
        values = _scalars(item)
        for key, value in links.items():
            if value and values.get(key) in (None, ""):
                values[key] = value
        return self.tables.add(table, values, where)

    def _attributes(self, entity: str, link_id: str) -> Callable[[dict[str, Any], str], Any]:
        return lambda child, where: self.attribute(child, where, link_id, entity)

    def service(self, item: dict[str, Any], where: str, organization_id: str = "") -> str:
        nested = item.get("organization")
        if nested is not None:
            organization_id = self.organization(_object(nested, f"{where}/organization"), f"{where}/organization")
        service_id = self._add("service", item, where, organization_id=organization_id)
        self._children(
            item,
            where,
            {
                "organization": lambda child, child_where: None,
                "phones": lambda child, child_where: self.phone(child, child_where, service_id=service_id),
                "schedules": lambda child, child_where: self.schedule(child, child_where, service_id=service_id),
                "service_at_locations": lambda child, child_where: self.service_at_location(child, child_where, service_id=service_id),
                "languages": lambda child, child_where: self.language(child, child_where, service_id=service_id),
                "attributes": self._attributes("service", service_id),
            },
        )
        return service_id

    def organization(self, item: dict[str, Any], where: str) -> str:
        organization_id = self._add("organization", item, where)
        self._children(
            item,
            where,
            {
                "phones": lambda child, child_where: self.phone(child, child_where, organization_id=organization_id),
                "locations": lambda child, child_where: self.location(child, child_where, organization_id=organization_id),
                "services": lambda child, child_where: self.service(child, child_where, organization_id),
                "attributes": self._attributes("organization", organization_id),
            },
        )
        return organization_id

    def service_at_location(self, item: dict[str, Any], where: str, service_id: str = "") -> str:
        location_id = ""
        if isinstance(item.get("location"), dict):
            location_id = self.location(item["location"], f"{where}/location")
        if isinstance(item.get("service"), dict):
            service_id = self.service(item["service"], f"{where}/service")
        link_id = self._add("service_at_location", item, where, service_id=service_id, location_id=location_id)
        self._children(
            item,
            where,
            {
                "location": lambda child, child_where: None,
                "service": lambda child, child_where: None,
                "phones": lambda child, child_where: self.phone(child, child_where, service_at_location_id=link_id),
                "schedules": lambda child, child_where: self.schedule(child, child_where, service_at_location_id=link_id),
                "attributes": self._attributes("service_at_location", link_id),
            },
        )
        return link_id

    def location(self, item: dict[str, Any], where: str, organization_id: str = "") -> str:
        location_id = self._add("location", item, where, organization_id=organization_id)
        self._children(
            item,
            where,
            {
                "addresses": lambda child, child_where: self._leaf("address", child, child_where, location_id=location_id),
                "phones": lambda child, child_where: self.phone(child, child_where, location_id=location_id),
                "accessibility": lambda child, child_where: self._leaf("accessibility", child, child_where, location_id=location_id),
                "languages": lambda child, child_where: self.language(child, child_where, location_id=location_id),
                "schedules": lambda child, child_where: self.schedule(child, child_where, location_id=location_id),
                "attributes": self._attributes("location", location_id),
            },
        )
        return location_id

    def phone(self, item: dict[str, Any], where: str, **links: str) -> str:
        phone_id = self._add("phone", item, where, **links)
        self._children(
            item,
            where,
            {
                "languages": lambda child, child_where: self.language(child, child_where, phone_id=phone_id),
                "attributes": self._attributes("phone", phone_id),
            },
        )
        return phone_id

    def schedule(self, item: dict[str, Any], where: str, **links: str) -> str:
        return self._leaf("schedule", item, where, **links)

    def language(self, item: dict[str, Any], where: str, **links: str) -> str:
        return self._leaf("language", item, where, **links)

    def _leaf(self, table: str, item: dict[str, Any], where: str, **links: str) -> str:
        record_id = self._add(table, item, where, **links)
        self._children(item, where, {"attributes": self._attributes(table, record_id)})
        return record_id

    def attribute(self, item: dict[str, Any], where: str, link_id: str, entity: str) -> str:
        term_id = ""
        if isinstance(item.get("taxonomy_term"), dict):
            term_id = self.term(item["taxonomy_term"], f"{where}/taxonomy_term")
        # A nested attribute belongs to the record it is nested in, whatever its own link fields say.
        item = {**item, "link_id": link_id, "link_entity": entity}
        return self._leaf_without_children("attribute", item, where, taxonomy_term_id=term_id)

    def term(self, item: dict[str, Any], where: str) -> str:
        taxonomy_id = ""
        if isinstance(item.get("taxonomy_detail"), dict):
            taxonomy_id = self.taxonomy(item["taxonomy_detail"], f"{where}/taxonomy_detail")
        return self._leaf_without_children("taxonomy_term", item, where, taxonomy_id=taxonomy_id)

    def taxonomy(self, item: dict[str, Any], where: str) -> str:
        return self._leaf_without_children("taxonomy", item, where)

    def _leaf_without_children(self, table: str, item: dict[str, Any], where: str, **links: str) -> str:
        record_id = self._add(table, item, where, **links)
        handled = {"taxonomy_term", "taxonomy_detail"}
        self._children({key: value for key, value in item.items() if key not in handled}, where, {})
        return record_id


def _kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return t("a JSON object")
    if isinstance(value, list):
        return t("a JSON list")
    if isinstance(value, str):
        return t("JSON text")
    if value is None:
        return t("JSON null")
    return t("a JSON number") if isinstance(value, (int, float)) and not isinstance(value, bool) else t("JSON true or false")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(t("{position}: expected an object, found {found}.", position=where or "/", found=_kind_name(value)))
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(t("{position}: expected a list, found {found}.", position=where or "/", found=_kind_name(value)))
    return value


def _scalars(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not isinstance(value, (list, dict)) and value is not None}


# --- import: tables -> directory --------------------------------------------------------------

_KEPT = {
    "organization": {"id", "name", "alternate_name", "description", "email", "website"},
    "service": {
        "id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
        "interpretation_services", "application_process", "fees_description", "eligibility_description",
        "assured_date", "alert",
    },
    "phone": {"id", "number", "extension", "type", "description", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id"},
    "schedule": {
        "id", "service_id", "location_id", "service_at_location_id", "freq", "interval", "byday", "bymonthday",
        "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "until", "timezone", "description",
    },
    "service_at_location": {"id", "service_id", "location_id"},
    "location": {"id", "location_type", "url", "organization_id", "name", "description", "transportation", "latitude", "longitude"},
    "address": {"id", "location_id", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country", "address_type"},
    "language": {"id", "service_id", "location_id", "phone_id", "name", "code", "note"},
    "accessibility": {"id", "location_id", "description", "details", "url"},
    "attribute": {"id", "link_id", "link_entity", "link_type", "taxonomy_term_id", "value"},
    "taxonomy_term": {"id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"},
    "taxonomy": {"id", "name", "description", "uri", "version"},
}
_OWN_TAXONOMY_IDS = frozenset({support_taxonomy().taxonomy.id, field_taxonomy().taxonomy.id})
_ADDRESS_REQUIRED = ("address_1", "city", "state_province", "postal_code", "country")


class _Reader:
    """Typed access to one row's values (JSON-typed or CSV text), with the row's position."""

    def __init__(self, row: _Row, table: str, notes: _Notes, ids: _Ids) -> None:
        self.row, self.ids = row, ids
        for key, value in row.values.items():
            if key not in _KEPT[table] and value not in (None, ""):
                notes.unkept_field(table, key)

    def raw(self, field: str) -> Any:
        value = self.row.values.get(field)
        return None if value == "" else value

    def text(self, field: str, *, required: bool = False) -> str:
        value = self.raw(field)
        if value is None:
            if required:
                raise InvalidInput(t("{position}: the field “{field}” is required but missing or empty.", position=self.row.at(field), field=field))
            return ""
        if not isinstance(value, str):
            raise InvalidInput(t("{position}: the field “{field}” must be text.", position=self.row.at(field), field=field))
        if required and not value.strip():
            raise InvalidInput(t("{position}: the field “{field}” is required but missing or empty.", position=self.row.at(field), field=field))
        return value

    def ref(self, field: str) -> str:
        value = self.text(field)
        return self.ids(value) if value else ""

    def id(self) -> str:
        return self.ids(self.text("id", required=True))

    def choice(self, field: str, allowed: tuple[str, ...], *, default: str | None = None) -> str:
        value = self.text(field, required=default is None) or (default or "")
        if value not in allowed:
            raise InvalidInput(
                t("{position}: the field “{field}” must be one of {allowed}, not “{value}”.", position=self.row.at(field), field=field, allowed=", ".join(a for a in allowed if a), value=value)
            )
        return value

    def number(self, field: str) -> float | None:
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                pass
            else:
                if math.isfinite(number):
                    return number
        raise InvalidInput(t("{position}: the field “{field}” must be a number, not “{value}”.", position=self.row.at(field), field=field, value=value))

    def integer(self, field: str) -> int | None:
        number = self.number(field)
        if number is None:
            return None
        if not number.is_integer():
            raise InvalidInput(t("{position}: the field “{field}” must be a whole number, not “{value}”.", position=self.row.at(field), field=field, value=self.raw(field)))
        return int(number)

    def date(self, field: str) -> date | None:
        value = self.raw(field)
        if value is None:
            return None
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise InvalidInput(t("{position}: the field “{field}” must be a date written YYYY-MM-DD, not “{value}”.", position=self.row.at(field), field=field, value=value))

    def time(self, field: str) -> time | None:
        value = self.raw(field)
        if value is None:
            return None
        match = re.fullmatch(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?", value) if isinstance(value, str) else None
        if match and int(match[1]) < 24 and int(match[2]) < 60 and int(match[3] or 0) < 60:
            return time(int(match[1]), int(match[2]), int(match[3] or 0))
        raise InvalidInput(t("{position}: the field “{field}” must be a time written HH:MM:SS, not “{value}”.", position=self.row.at(field), field=field, value=value))

    def build(self, cls: type, **values: Any) -> Any:
        """Make a directory record; a rule it breaks is reported at this row's position."""
        try:
            return cls(**values)
        except InvalidInput as error:
            raise InvalidInput(f"{self.row.where or '/'}: {error}") from None


class _Ids:
    """HSDS ids are UUIDs; any other id is replaced, consistently, by one derived from it."""

    def __init__(self, notes: _Notes) -> None:
        self.notes = notes

    def __call__(self, raw: str) -> str:
        if _UUID_TEXT.fullmatch(raw):
            return raw
        derived = _derived_id("foreign", raw)
        self.notes.add(t("The identifier “{original}” is not a UUID; it was replaced by {new}.", original=raw, new=derived))
        return derived


@dataclass
class _ServiceParts:
    reader: _Reader
    organization_id: str
    phones: list[Phone]
    schedules: list[Schedule]
    languages: list[Language]
    locations: list[Location]
    attributes: list[Attribute]
    categories: list[str]
    extras: dict[str, Any]


def _assemble(tables: _Tables, notes: _Notes, source: Source | None) -> Directory:
    ids = _Ids(notes)
    for table, rows in tables.rows.items():
        if table not in _KEPT:
            notes.unkept_table(table, len(rows))

    def readers(table: str) -> Iterator[_Reader]:
        for row in tables.table(table):
            yield _Reader(row, table, notes, ids)

    def unlinked(table: str, record_id: str) -> None:
        notes.add(t("{table} {id} is not linked to anything the directory keeps; it was left out.", table=table, id=record_id))

    def missing(table: str, record_id: str, target: str, reference: str) -> None:
        notes.add(t("{table} {id} refers to {target} {reference}, which is not in the data; that link was left out.", table=table, id=record_id, target=target, reference=reference))

    taxonomies = {}
    for reader in readers("taxonomy"):
        taxonomy = reader.build(Taxonomy, id=reader.id(), name=reader.text("name", required=True), description=reader.text("description"), uri=reader.text("uri"), version=reader.text("version"))
        taxonomies[taxonomy.id] = taxonomy
    table_taxonomies = [taxonomy_id for taxonomy_id in taxonomies if taxonomy_id not in _OWN_TAXONOMY_IDS]
    for own in (support_taxonomy().taxonomy, field_taxonomy().taxonomy):
        taxonomies.setdefault(own.id, own)

    terms: dict[str, TaxonomyTerm] = {}
    for reader in readers("taxonomy_term"):
        term_id, taxonomy_id = reader.id(), reader.ref("taxonomy_id")
        if taxonomy_id and taxonomy_id not in taxonomies:
            missing("taxonomy_term", term_id, "taxonomy", taxonomy_id)
        terms[term_id] = reader.build(
            TaxonomyTerm,
            id=term_id,
            name=reader.text("name", required=True),
            description=reader.text("description"),
            code=reader.text("code"),
            taxonomy=reader.text("taxonomy"),
            parent_id=reader.ref("parent_id"),
            language=reader.text("language"),
            term_uri=reader.text("term_uri"),
            taxonomy_detail=taxonomies.get(taxonomy_id),
        )

    organizations: dict[str, Organization] = {}
    for reader in readers("organization"):
        organization = reader.build(
            Organization,
            id=reader.id(),
            name=reader.text("name", required=True),
            description=reader.text("description"),
            alternate_name=reader.text("alternate_name"),
            email=reader.text("email"),
            website=reader.text("website"),
        )
        organizations[organization.id] = organization

    services: dict[str, _ServiceParts] = {}
    for reader in readers("service"):
        service_id = reader.id()
        reader.choice("status", SERVICE_STATUSES)
        reader.text("name", required=True)
        services[service_id] = _ServiceParts(reader, reader.ref("organization_id"), [], [], [], [], [], [], {})

    link_services: dict[str, str] = {}
    link_rows = []
    for reader in readers("service_at_location"):
        link_id, service_id, location_id = reader.id(), reader.ref("service_id"), reader.ref("location_id")
        if service_id in services:
            link_services[link_id] = service_id
            link_rows.append((link_id, service_id, location_id))
        elif service_id:
            missing("service_at_location", link_id, "service", service_id)
        else:
            unlinked("service_at_location", link_id)

    location_parts: dict[str, dict[str, list[Any]]] = {}
    location_readers = {}
    for reader in readers("location"):
        location_id = reader.id()
        location_readers[location_id] = reader
        location_parts[location_id] = {"addresses": [], "phones": [], "accessibility": [], "languages": []}

    phone_owners: dict[str, list[tuple[str, str]]] = {}
    phones: dict[str, Phone] = {}
    for reader in readers("phone"):
        phone_id = reader.id()
        phone = reader.build(
            Phone,
            id=phone_id,
            number=reader.text("number", required=True),
            extension=reader.integer("extension"),
            type=reader.text("type"),
            description=reader.text("description"),
        )
        phones[phone_id] = phone
        owners = _owners(reader, {"service_id": services, "location_id": location_parts, "organization_id": organizations}, link_services, missing, "phone", phone_id)
        if not owners:
            unlinked("phone", phone_id)
        for column, owner in owners:
            if column == "service_id":
                services[owner].phones.append(phone)
            elif column == "location_id":
                location_parts[owner]["phones"].append(phone)
            else:
                phone_owners.setdefault(owner, []).append(("organization", phone_id))

    for reader in readers("language"):
        language_id = reader.id()
        language = reader.build(Language, id=language_id, name=reader.text("name"), code=reader.text("code"), note=reader.text("note"))
        owners = _owners(reader, {"service_id": services, "location_id": location_parts}, {}, missing, "language", language_id)
        if not owners:
            unlinked("language", language_id)
        for column, owner in owners:
            target = services[owner].languages if column == "service_id" else location_parts[owner]["languages"]
            target.append(language)

    for reader in readers("address"):
        address_id, location_id = reader.id(), reader.ref("location_id")
        absent = [field for field in _ADDRESS_REQUIRED if not reader.text(field).strip()]
        address_type = reader.choice("address_type", LOCATION_TYPES, default="physical")
        if absent:
            notes.add(t("Address {id} lacks “{field}”, which an address needs; it was left out.", id=address_id, field=absent[0]))
            continue
        if location_id not in location_parts:
            (missing("address", address_id, "location", location_id) if location_id else unlinked("address", address_id))
            continue
        location_parts[location_id]["addresses"].append(
            reader.build(
                Address,
                id=address_id,
                address_1=reader.text("address_1"),
                address_2=reader.text("address_2"),
                district=reader.text("city"),
                region=reader.text("region"),
                province=reader.text("state_province"),
                postal_code=reader.text("postal_code"),
                country=reader.text("country"),
                address_type=address_type,
            )
        )

    for reader in readers("accessibility"):
        item_id, location_id = reader.id(), reader.ref("location_id")
        item = reader.build(Accessibility, id=item_id, description=reader.text("description"), details=reader.text("details"), url=reader.text("url"))
        if location_id in location_parts:
            location_parts[location_id]["accessibility"].append(item)
        else:
            (missing("accessibility", item_id, "location", location_id) if location_id else unlinked("accessibility", item_id))

    for reader in readers("schedule"):
        schedule_id = reader.id()
        schedule = reader.build(
            Schedule,
            id=schedule_id,
            freq=reader.choice("freq", ("WEEKLY", "MONTHLY", ""), default=""),
            byday=reader.text("byday"),
            bymonthday=reader.text("bymonthday"),
            interval=reader.integer("interval") or 1,
            opens_at=reader.time("opens_at"),
            closes_at=reader.time("closes_at"),
            valid_from=reader.date("valid_from"),
            valid_to=reader.date("valid_to"),
            dtstart=reader.date("dtstart"),
            until=reader.date("until"),
            timezone=reader.number("timezone"),
            description=reader.text("description"),
        )
        owners = _owners(reader, {"service_id": services}, link_services, missing, "schedule", schedule_id)
        if not owners:
            notes.add(t("Schedule {id} belongs to no service (schedules of locations alone are not kept); it was left out.", id=schedule_id))
        for _, owner in owners[:1]:
            services[owner].schedules.append(schedule)

    locations: dict[str, Location] = {}
    for location_id, reader in location_readers.items():
        parts = location_parts[location_id]
        locations[location_id] = reader.build(
            Location,
            id=location_id,
            name=reader.text("name"),
            location_type=reader.choice("location_type", LOCATION_TYPES),
            description=reader.text("description"),
            transportation=reader.text("transportation"),
            url=reader.text("url"),
            latitude=reader.number("latitude"),
            longitude=reader.number("longitude"),
            addresses=tuple(parts["addresses"]),
            phones=tuple(parts["phones"]),
            accessibility=tuple(parts["accessibility"]),
            languages=tuple(parts["languages"]),
        )
    used_locations = set()
    for link_id, service_id, location_id in link_rows:
        if location_id in locations:
            if locations[location_id] not in services[service_id].locations:
                services[service_id].locations.append(locations[location_id])
            used_locations.add(location_id)
        elif location_id:
            missing("service_at_location", link_id, "location", location_id)
    for location_id in locations:
        if location_id not in used_locations:
            notes.add(t("Location {id} is not used by any service; it was left out.", id=location_id))

    used_terms: set[str] = set()
    for reader in readers("attribute"):
        used_terms.add(_attach_attribute(reader, services, terms, notes, missing))
    for term_id in terms:
        if term_id not in used_terms:
            notes.add(t("Taxonomy term {id} classifies no service; it was left out.", id=term_id))
    used_taxonomies = {term.taxonomy_detail.id for term_id, term in terms.items() if term_id in used_terms and term.taxonomy_detail}
    for taxonomy_id in table_taxonomies:
        if taxonomy_id not in used_taxonomies:
            notes.add(t("Taxonomy {id} classifies no service; it was left out.", id=taxonomy_id))

    for organization_id, owned in phone_owners.items():
        organization = organizations[organization_id]
        organizations[organization_id] = replace(organization, phones=organization.phones + tuple(phones[phone_id] for _, phone_id in owned))

    built = []
    for service_id, parts in services.items():
        reader = parts.reader
        organization_id = parts.organization_id
        if organization_id not in organizations:
            if organization_id:
                missing("service", service_id, "organization", organization_id)
            organization_id = _derived_id("organization-of", service_id)
            name = reader.text("name")
            organizations.setdefault(organization_id, Organization(organization_id, name, name))
            notes.add(t("Service {service} names no organization in the data; an organization with the service's name was made for it.", service=name))
        built.append(
            reader.build(
                Service,
                id=service_id,
                organization_id=organization_id,
                name=reader.text("name", required=True),
                status=reader.choice("status", SERVICE_STATUSES),
                description=reader.text("description"),
                alternate_name=reader.text("alternate_name"),
                url=reader.text("url"),
                email=reader.text("email"),
                application_process=reader.text("application_process"),
                eligibility_description=reader.text("eligibility_description"),
                fees_description=reader.text("fees_description"),
                interpretation_services=reader.text("interpretation_services"),
                alert=reader.text("alert"),
                verified_at=reader.date("assured_date"),
                categories=tuple(parts.categories),
                phones=tuple(parts.phones),
                schedules=tuple(parts.schedules),
                languages=tuple(parts.languages),
                locations=tuple(parts.locations),
                attributes=tuple(parts.attributes),
                **{**parts.extras, **({"source": source} if source else {})},
            )
        )
    return Directory(tuple(organizations.values()), tuple(built))


def _owners(
    reader: _Reader,
    columns: dict[str, dict[str, Any]],
    link_services: dict[str, str],
    missing: Callable[[str, str, str, str], None],
    table: str,
    record_id: str,
) -> list[tuple[str, str]]:
    """The (column, owner id) pairs a record is linked to; a link through a
    service-at-location record counts as a link to its service."""
    owners = []
    for column, known in columns.items():
        reference = reader.ref(column)
        if reference in known:
            owners.append((column, reference))
        elif reference:
            missing(table, record_id, column.removesuffix("_id"), reference)
    link = reader.ref("service_at_location_id") if "service_at_location_id" in reader.row.values else ""
    if "service_id" in columns and link in link_services and ("service_id", link_services[link]) not in owners:
        owners.append(("service_id", link_services[link]))
    return owners


def _attach_attribute(
    reader: _Reader,
    services: dict[str, _ServiceParts],
    terms: dict[str, TaxonomyTerm],
    notes: _Notes,
    missing: Callable[[str, str, str, str], None],
) -> str:
    """Attach one attribute row to its service; returns the id of the term it uses."""
    attribute_id, link_id = reader.id(), reader.ref("link_id")
    entity = reader.text("link_entity")
    term_id = reader.ref("taxonomy_term_id")
    if link_id not in services or entity not in ("", "service"):
        notes.add(t("Attribute {id} classifies a {entity} record, not a service; it was left out.", id=attribute_id, entity=entity or "?"))
        return ""
    parts = services[link_id]
    support, extra = support_taxonomy(), field_taxonomy()
    category = support.by_id(term_id)
    if category is not None:
        if category.code not in parts.categories:
            parts.categories.append(category.code)
        return term_id
    field = extra.by_id(term_id)
    if field is not None:
        value = reader.text("value")
        if field.code == "district":
            parts.extras["district"] = value
        elif field.code == "source":
            parts.extras["source"] = reader.choice("value", SOURCES)
        else:
            parts.extras[field.code] = reader.choice("value", ("true", "false")) == "true"
        return term_id
    term = terms.get(term_id)
    if term is None:
        if term_id:
            missing("attribute", attribute_id, "taxonomy term", term_id)
        else:
            notes.add(t("{table} {id} is not linked to anything the directory keeps; it was left out.", table="attribute", id=attribute_id))
        return ""
    parts.attributes.append(reader.build(Attribute, id=attribute_id, term=term, link_type=reader.text("link_type"), value=reader.text("value")))
    return term_id
