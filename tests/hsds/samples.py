"""What the HSDS tests share: the reference files, a directory with every field we keep,
and checks against the official schemas and table descriptions."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, time
from pathlib import Path

from jsonschema import FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from caseworker.domain.directory import (
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
    Taxonomy,
    TaxonomyTerm,
)
from caseworker.hsds.files import load_sample_directory
from tests.conftest import HSDS_REFERENCE

REFERENCE = HSDS_REFERENCE
EXAMPLES = REFERENCE / "examples"
JSON_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.json"))
SECRET_PHONE = "+90 555 987 65 43"
SECRET_STREET = "Gizli Yol 4242"


def rich_directory() -> Directory:
    """The sample directory plus what it lacks: a foreign classification, accessibility,
    coordinates, a monthly rule, organization phones and a confidential entry with a
    distinctive number whose place is shared with a public service."""
    sample = load_sample_directory()
    organization = Organization(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e01",
        "Örnek Dernek",
        "Deneme derneği",
        alternate_name="ÖD",
        email="iletisim@example.org",
        website="https://example.org/",
        phones=(Phone("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e02", "0 232 000 00 90", extension=12),),
    )
    foreign_term = TaxonomyTerm(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e03",
        "Counselling",
        "Talking therapies",
        code="C-1",
        taxonomy="Example taxonomy",
        language="en",
        term_uri="https://example.org/terms/c-1",
        taxonomy_detail=Taxonomy("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e04", "Example taxonomy", "For tests", "https://example.org/t", "2"),
    )
    secret_place = Location(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e05",
        "Örnek Sığınma Yeri",
        addresses=(Address("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e06", SECRET_STREET, "Buca", "İzmir", "35390"),),
        phones=(Phone("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e07", SECRET_PHONE),),
        latitude=38.38861,
        longitude=27.17528,
        transportation="Örnek durağında inin",
    )
    public_place = Location(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e08",
        "Örnek Merkez",
        location_type="physical",
        description="Örnek bina",
        url="https://example.org/yer",
        latitude=38.5,
        longitude=27.0,
        addresses=(Address("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e09", "Örnek Cad. No: 2", "Bornova", "İzmir", "35040", address_2="Kat 3", region="Ege"),),
        accessibility=(Accessibility("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e10", "Rampa var", "Arka giriş", "https://example.org/erisim"),),
        languages=(Language("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e11", "Kurmanci", "kmr", "Salı günleri"),),
    )
    secret = Service(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e12",
        organization.id,
        "Örnek Gizli Konukevi",
        categories=("shelter",),
        confidential=True,
        sample=True,
        phones=(Phone("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e13", SECRET_PHONE),),
        locations=(secret_place,),
    )
    public = Service(
        "5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e14",
        organization.id,
        "Örnek Danışma",
        status="temporarily closed",
        description="Açıklama",
        alternate_name="ÖDM",
        url="https://example.org/danisma",
        email="danisma@example.org",
        application_process="Telefonla randevu",
        eligibility_description="18 yaş üstü kadınlar",
        fees_description="Ücretsiz",
        interpretation_services="Arapça tercüman",
        alert="Tadilat nedeniyle kapalı",
        categories=("psychological_support", "legal_aid"),
        district="Bornova",
        verified_at=date(2025, 1, 31),
        source="coordinator",
        schedules=(
            Schedule("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e15", "MONTHLY", byday="1MO", interval=2, opens_at=time(9, 30), closes_at=time(12),
                     valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31), dtstart=date(2025, 1, 6), until=date(2025, 12, 1), timezone=3, description="Ayın ilk pazartesi"),
        ),
        locations=(public_place, secret_place),
        attributes=(Attribute("5d8b6a52-5c8e-4d0c-8d1e-1a2b3c4d5e16", foreign_term, "service_type", "yes"),),
    )
    return Directory(sample.organizations + (organization,), sample.services + (secret, public))


def schema_registry() -> tuple[dict[str, dict], Registry]:
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (REFERENCE / "schema").glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(contents, default_specification=DRAFT202012)) for name, contents in schemas.items()
    )
    return schemas, registry


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    missing = {"uuid", "email", "uri", "date", "date-time"} - set(checker.checkers)
    assert not missing, f"format checks not available (install rfc3986-validator, rfc3339-validator): {missing}"
    return checker


class TableChecker:
    """Checks CSV files against a Frictionless table schema: header, required values, types,
    formats, primary and foreign keys."""

    def __init__(self, package: dict, folder: Path) -> None:
        self.resources = {resource["path"]: resource for resource in package["resources"]}
        self.folder = folder
        self.checker = format_checker()

    def rows(self, path: str) -> tuple[list[str], list[dict[str, str]]]:
        with open(self.folder / path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            return header, [dict(zip(header, row, strict=True)) for row in reader]

    def problems(self) -> list[str]:
        found = []
        names_by_resource = {resource["name"]: path for path, resource in self.resources.items()}
        for path in sorted(p.name for p in self.folder.glob("*.csv")):
            resource = self.resources.get(path)
            if resource is None:
                found.append(f"{path}: not a resource of the package")
                continue
            schema = resource["schema"]
            header, rows = self.rows(path)
            if header != [field["name"] for field in schema["fields"]]:
                found.append(f"{path}: header {header}")
            ids = [row.get("id") for row in rows]
            if len(set(ids)) != len(ids):
                found.append(f"{path}: duplicate primary key")
            for number, row in enumerate(rows, start=2):
                for field in schema["fields"]:
                    problem = self.value_problem(field, row.get(field["name"], ""))
                    if problem:
                        found.append(f"{path}:{number} {field['name']}: {problem}")
                for key in schema.get("foreignKeys", []):
                    value, target = row.get(key["fields"], ""), names_by_resource.get(key["reference"]["resource"])
                    known = {other["id"] for other in self.rows(target)[1]} if target and (self.folder / target).exists() else None
                    if value and known is not None and value not in known:
                        found.append(f"{path}:{number} {key['fields']}: {value} not in {target}")
        return found

    def value_problem(self, field: dict, value: str) -> str:
        if value == "":
            return "required" if field.get("constraints", {}).get("required") else ""
        kind = field["type"]
        patterns = {"date": r"\d{4}-\d{2}-\d{2}", "time": r"\d{2}:\d{2}:\d{2}", "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"}
        if kind == "number":
            try:
                float(value)
            except ValueError:
                return f"not a number: {value!r}"
        elif kind in patterns and not re.fullmatch(patterns[kind], value):
            return f"not a {kind}: {value!r}"
        elif kind == "date":
            date.fromisoformat(value)
        elif "format" in field and not self.checker.conforms(value, field["format"]):
            return f"not a {field['format']}: {value!r}"
        return ""
