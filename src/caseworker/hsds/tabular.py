"""The HSDS 3.0 tabular data package: one CSV file per table and ``datapackage.json``.

Both directions, without touching files: the directory as rows per HSDS table
(``directory_tables``), those rows as CSV bytes, the data package description, and back from
CSV text and a data package description to rows. ``files`` reads and writes the package
folder; ``reading`` builds the directory from the rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import PurePath
from typing import Any

from caseworker.domain import csv_cells
from caseworker.domain.directory import Directory
from caseworker.errors import InvalidInput
from caseworker.hsds.writing import (
    _accessibility_row,
    _address_row,
    _attribute_row,
    _language_row,
    _link_id,
    _location_row,
    _organization_row,
    _phone_row,
    _schedule_row,
    _service_attributes,
    _service_row,
    _taxonomy_row,
    _term_row,
)
from caseworker.i18n import t

HSDS_VERSION = "3.0"


# --- the HSDS tables we write -----------------------------------------------------------------
# Field lists in HSDS 3.0 order: ``name``, ``*`` required, ``:format``, ``#type`` (default string).

_TABLE_FIELDS = {
    "organization": "id*:uuid name* alternate_name description* email:email website:uri tax_status tax_id "
    "year_incorporated#number legal_status logo uri:uri parent_organization_id:uuid",
    "service": "id*:uuid organization_id*:uuid program_id:uuid name* alternate_name description url:uri email:email "
    "status* interpretation_services application_process fees_description wait_time fees accreditations "
    "eligibility_description minimum_age#number maximum_age#number assured_date#date assurer_email:email licenses "
    "alert last_modified#datetime",
    "attribute": "id*:uuid link_id*:uuid taxonomy_term_id*:uuid link_type link_entity* value",
    "service_at_location": "id*:uuid service_id*:uuid location_id*:uuid description",
    "location": "id*:uuid location_type* url:uri organization_id:uuid name alternate_name description transportation "
    "latitude#number longitude#number external_identifier external_identifier_type",
    "phone": "id*:uuid location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid "
    "service_at_location_id:uuid number* extension#number type description",
    "address": "id*:uuid location_id:uuid attention address_1* address_2 city* region state_province* postal_code* "
    "country* address_type*",
    "schedule": "id*:uuid service_id:uuid location_id:uuid service_at_location_id:uuid valid_from#date valid_to#date "
    "dtstart#date timezone#number until#date count#number wkst freq interval#number byday byweekno bymonthday "
    "byyearday description opens_at#time closes_at#time schedule_link:uri attending_type notes",
    "language": "id*:uuid service_id:uuid location_id:uuid phone_id:uuid name code note",
    "accessibility": "id*:uuid location_id:uuid description details url:uri",
    "taxonomy_term": "id*:uuid code name* description* parent_id:uuid taxonomy language taxonomy_id:uuid term_uri:uri",
    "taxonomy": "id*:uuid name* description* uri:uri version",
}
_FOREIGN_KEYS = {
    "service": {"organization_id": "organization"},
    "attribute": {"taxonomy_term_id": "taxonomy_term"},
    "service_at_location": {"service_id": "service", "location_id": "location"},
    "location": {"organization_id": "organization"},
    "phone": {"location_id": "location", "organization_id": "organization", "service_id": "service", "service_at_location_id": "service_at_location"},
    "address": {"location_id": "location"},
    "schedule": {"location_id": "location", "service_id": "service", "service_at_location_id": "service_at_location"},
    "language": {"location_id": "location", "phone_id": "phone", "service_id": "service"},
    "accessibility": {"location_id": "location"},
    "taxonomy_term": {"taxonomy_id": "taxonomy"},
}
TABLE_PATHS = {
    "organization": "organizations.csv",
    "program": "programs.csv",
    "service": "services.csv",
    "attribute": "attributes.csv",
    "service_at_location": "service_at_location.csv",
    "location": "locations.csv",
    "phone": "phones.csv",
    "contact": "contacts.csv",
    "address": "addresses.csv",
    "schedule": "schedules.csv",
    "funding": "funding.csv",
    "service_area": "service_areas.csv",
    "required_document": "required_documents.csv",
    "language": "languages.csv",
    "accessibility": "accessibility.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
    "cost_option": "cost_options.csv",
    "organization_identifier": "organization_identifiers.csv",
    "taxonomy": "taxonomies.csv",
}


@dataclass(frozen=True)
class _Field:
    name: str
    type: str
    format: str
    required: bool


def _parse_fields(spec: str) -> tuple[_Field, ...]:
    result = []
    for item in spec.split():
        match = re.fullmatch(r"([a-z_0-9]+)(\*?)(?::([a-z]+))?(?:#([a-z]+))?", item)
        assert match, item
        result.append(_Field(match[1], match[4] or "string", match[3] or "", bool(match[2])))
    return tuple(result)


TABLE_FIELDS = {table: _parse_fields(spec) for table, spec in _TABLE_FIELDS.items()}


class _TableRows:
    """Rows per table, one per id; a record reached twice (a location used by two services,
    a phone shared by a service and its location) is merged into one row."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}

    def add(self, table: str, row: dict[str, Any], **links: str) -> bool:
        """Add ``row``; returns False when the id was already there (and merges the links)."""
        rows = self.tables.setdefault(table, {})
        existing = rows.get(row["id"])
        if existing is None:
            rows[row["id"]] = {**row, **links}
            return True
        for key, value in links.items():
            existing.setdefault(key, value)
        return False

    def as_lists(self) -> dict[str, list[dict[str, Any]]]:
        return {table: list(rows.values()) for table, rows in self.tables.items()}


def _directory_tables(directory: Directory) -> dict[str, list[dict[str, Any]]]:
    out = _TableRows()
    for organization in directory.organizations:
        out.add("organization", _organization_row(organization))
        for phone in organization.phones:
            out.add("phone", _phone_row(phone), organization_id=organization.id)
    for service in directory.services:
        out.add("service", _service_row(service))
        for phone in service.phones:
            out.add("phone", _phone_row(phone), service_id=service.id)
        for schedule in service.schedules:
            out.add("schedule", _schedule_row(schedule), service_id=service.id)
        for language in service.languages:
            out.add("language", _language_row(language), service_id=service.id)
        for location in service.locations:
            out.add("service_at_location", {"id": _link_id(service, location), "service_id": service.id, "location_id": location.id})
            if not out.add("location", _location_row(location)):
                continue
            for address in location.addresses:
                out.add("address", _address_row(address), location_id=location.id)
            for phone in location.phones:
                out.add("phone", _phone_row(phone), location_id=location.id)
            for item in location.accessibility:
                out.add("accessibility", _accessibility_row(item), location_id=location.id)
            for language in location.languages:
                out.add("language", _language_row(language), location_id=location.id)
        for attribute in _service_attributes(service):
            out.add("attribute", _attribute_row(attribute, service))
            out.add("taxonomy_term", _term_row(attribute.term))
            if attribute.term.taxonomy_detail:
                out.add("taxonomy", _taxonomy_row(attribute.term.taxonomy_detail))
    return out.as_lists()


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _csv_bytes(fields: tuple[_Field, ...], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_cells.row(field.name for field in fields))
    for row in rows:
        writer.writerow(csv_cells.row(_csv_text(row.get(field.name)) for field in fields))
    return buffer.getvalue().encode("utf-8")


def _datapackage() -> dict[str, Any]:
    resources = []
    for table, fields in TABLE_FIELDS.items():
        schema_fields = []
        for field in fields:
            item: dict[str, Any] = {"name": field.name, "type": field.type}
            if field.format:
                item["format"] = field.format
            item["constraints"] = {"required": field.required}
            schema_fields.append(item)
        schema: dict[str, Any] = {"primaryKey": "id", "fields": schema_fields}
        if table in _FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": target, "fields": "id"}} for column, target in _FOREIGN_KEYS[table].items()
            ]
        resources.append(
            {
                "name": table,
                "path": TABLE_PATHS[table],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "name": "caseworker-directory",
        "title": "Caseworker support-service directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "resources": resources,
    }


def _table_files(package: Any, descriptor: str) -> dict[str, str]:
    """The table file names a data package description (``descriptor``, already parsed)
    gives, by table; each must name a file in the package folder itself."""
    resources = package.get("resources", []) if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise InvalidInput(t("{file} is not a data package description: it has no list of resources.", file=descriptor))
    names = {}
    for resource in resources:
        if isinstance(resource, dict) and resource.get("name") in TABLE_PATHS and isinstance(resource.get("path"), str):
            name = resource["path"]
            if PurePath(name).name != name or name in ("", ".", ".."):
                raise InvalidInput(t("{file} names the table file “{path}”, which is not in the package folder.", file=descriptor, path=name))
            names[resource["name"]] = name
    return names


def _parse_csv(text: str, name: str) -> Iterator[tuple[dict[str, Any], str]]:
    """The rows of one CSV table (``name`` is its file name), each with its position."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [column.strip() for column in header]
        if "id" not in header:
            raise InvalidInput(t("{file}: the header line has no “id” column; every HSDS table needs one.", file=name))
        if len(set(header)) != len(header):
            raise InvalidInput(t("{file}: the header line names a column twice.", file=name))
        for row in reader:
            where = f"{name}:{reader.line_num}"
            if not row:
                continue
            if len(row) != len(header):
                raise InvalidInput(
                    t("{position}: the row has {found} values but the header line has {expected}.", position=where, found=len(row), expected=len(header))
                )
            yield {column: csv_cells.read_cell(value) for column, value in zip(header, row) if value != ""}, where
    except csv.Error as error:
        raise InvalidInput(t("{position}: the CSV is malformed ({reason}).", position=f"{name}:{reader.line_num}", reason=error)) from None
