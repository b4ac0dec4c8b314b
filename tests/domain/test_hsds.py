"""HSDS 3.0 exchange: round trips, conformance to the official schemas, other publishers' data,
malformed files, and confidential data that never leaves."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
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
    redact_confidential,
)
from caseworker.domain.hsds import (
    export_hsds_json,
    export_hsds_tabular,
    import_hsds_json,
    import_hsds_tabular,
    load_sample_directory,
)
from caseworker.domain.taxonomy import field_taxonomy, support_taxonomy
from caseworker.errors import InvalidInput
from tests.conftest import HSDS_REFERENCE

REFERENCE = HSDS_REFERENCE
EXAMPLES = REFERENCE / "examples"
JSON_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.json"))
SECRET_PHONE = "+90 555 987 65 43"
SECRET_STREET = "Gizli Yol 4242"

pytestmark = pytest.mark.usefixtures("hsds_reference")


# --- fixtures ---------------------------------------------------------------------------------


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


@pytest.fixture(scope="module")
def directory() -> Directory:
    return rich_directory()


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


# --- JSON -------------------------------------------------------------------------------------


def test_json_round_trip_gives_the_same_content(directory):
    first = export_hsds_json(directory)
    text = json.dumps(first, ensure_ascii=False)
    again = export_hsds_json(import_hsds_json(text).directory)
    assert again == first
    assert json.dumps(again, ensure_ascii=False) == text


def test_json_import_restores_every_field_we_keep(directory):
    result = import_hsds_json(export_hsds_json(directory))
    assert result.skipped == ()
    assert result.directory == redact_confidential(directory)


def test_json_export_validates_against_the_official_schemas(directory):
    schemas, registry = schema_registry()
    checker = format_checker()
    modular = Draft202012Validator(schemas["service.json"], registry=registry, format_checker=checker)
    compiled = Draft202012Validator(json.loads((REFERENCE / "schema" / "compiled" / "service.json").read_text(encoding="utf-8")), format_checker=checker)
    exported = export_hsds_json(directory)
    assert len(exported) == len(directory.services)
    for service in exported:
        for validator in (modular, compiled):
            errors = [f"{error.json_path}: {error.message}" for error in validator.iter_errors(service)]
            assert errors == []
    broken = json.loads(json.dumps(exported[0]))
    broken["phones"][0]["id"] = "not-a-uuid"
    broken["organization"]["website"] = "no scheme"
    assert len(list(modular.iter_errors(broken))) == 2


def test_our_additions_travel_as_attributes_and_assured_date(directory):
    exported = {service["name"]: service for service in export_hsds_json(directory)}
    public = exported["Örnek Danışma"]
    assert public["assured_date"] == "2025-01-31"
    by_code = {attribute["taxonomy_term"]["code"]: attribute for attribute in public["attributes"]}
    assert by_code["psychological_support"]["taxonomy_term"]["taxonomy_detail"]["id"] == support_taxonomy().taxonomy.id
    assert by_code["district"]["value"] == "Bornova"
    assert by_code["source"]["value"] == "coordinator"
    assert by_code["confidential"]["value"] == "false"
    assert by_code["district"]["taxonomy_term"]["taxonomy_detail"]["id"] == field_taxonomy().taxonomy.id
    assert by_code["C-1"]["value"] == "yes"
    assert all(attribute["link_id"] == public["id"] and attribute["link_entity"] == "service" for attribute in public["attributes"])
    address = public["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["state_province"], address["country"]) == ("Bornova", "İzmir", "TR")


def test_import_can_set_the_source_of_every_entry(directory):
    result = import_hsds_json(export_hsds_json(directory), source="coordinator")
    assert {service.source for service in result.directory.services} == {"coordinator"}


# --- tabular ----------------------------------------------------------------------------------


def read_package(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_tabular_round_trip_gives_the_same_files(directory, tmp_path):
    export_hsds_tabular(directory, tmp_path / "first")
    imported = import_hsds_tabular(tmp_path / "first")
    assert imported.skipped == ()
    assert imported.directory == redact_confidential(directory)
    export_hsds_tabular(imported.directory, tmp_path / "second")
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")
    assert "datapackage.json" in first and "services.csv" in first
    assert first == second


def test_json_and_tabular_carry_the_same_directory(directory, tmp_path):
    export_hsds_tabular(directory, tmp_path)
    assert import_hsds_tabular(tmp_path).directory == import_hsds_json(export_hsds_json(directory)).directory


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


def simplify(fields: list[dict]) -> list[tuple]:
    return [(field["name"], field["type"], field.get("format"), field["constraints"]["required"]) for field in fields]


def test_tabular_export_conforms_to_the_official_datapackage(directory, tmp_path):
    official = json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8"))
    export_hsds_tabular(directory, tmp_path)
    checker = TableChecker(official, tmp_path)
    assert checker.problems() == []
    ours = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["profile"] == "tabular-data-package"
    official_by_name = {resource["name"]: resource for resource in official["resources"]}
    for resource in ours["resources"]:
        reference = official_by_name[resource["name"]]
        assert resource["path"] == reference["path"]
        assert simplify(resource["schema"]["fields"]) == simplify(reference["schema"]["fields"])
        assert (tmp_path / resource["path"]).is_file()
    assert (tmp_path / "phones.csv").read_bytes().decode("utf-8")  # UTF-8
    # The checker finds faults: a row without a required value and a bad date.
    services = (tmp_path / "services.csv").read_text(encoding="utf-8").splitlines()
    header = services[0].split(",")
    row = next(csv.reader([services[1]]))
    row[header.index("status")] = ""
    row[header.index("assured_date")] = "31.01.2025"
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    (tmp_path / "services.csv").write_text("\n".join([services[0], buffer.getvalue().strip()]) + "\n", encoding="utf-8")
    assert len([problem for problem in checker.problems() if problem.startswith("services.csv:2")]) == 2


# --- other publishers -------------------------------------------------------------------------


def test_the_reference_is_complete_and_unchanged():
    listed = dict(reversed(line.split("  ", 1)) for line in (REFERENCE / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    changed = [name for name, digest in listed.items() if hashlib.sha256((REFERENCE / name).read_bytes()).hexdigest() != digest]
    assert changed == [], "the HSDS reference must stay byte-identical to Open Referral's files"
    assert (REFERENCE / "LICENSE").is_file() and "Creative Commons" in (REFERENCE / "LICENSE").read_text(encoding="utf-8")
    # The parametrised tests below run over these folders: an empty one must fail, not skip.
    assert len(JSON_EXAMPLES) == len([name for name in listed if name.startswith("examples/") and name.count("/") == 1 and name.endswith(".json")]) > 0
    assert sorted((EXAMPLES / "csv").glob("*.csv")), "the CSV example package is there"


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_every_json_example_imports(name):
    result = import_hsds_json(EXAMPLES / name)
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    has_services = "service" in name or name == "tabular.json" or name == "organization_full.json"
    assert len(result.directory.services) == (1 if has_services else 0)
    if name.startswith("organization"):
        assert result.directory.organizations[0].name == "Example Organization Inc."
    if data and not has_services and not name.startswith("organization"):
        assert result.skipped, "what was not kept is reported"


def test_the_csv_example_package_imports():
    result = import_hsds_tabular(EXAMPLES / "csv")
    (service,) = result.directory.services
    assert service.name == "Community Counselling" and service.verified_at == date(2005, 1, 1)
    assert service.phones[0].number == '"+44 1234 234567"' and service.phones[0].extension == 100
    assert service.schedules[0].byday == "TH,FR" and service.schedules[0].opens_at == time(10)
    (location,) = service.locations
    assert location.addresses[0].district == "MyCity" and location.addresses[0].province == "MyState"
    assert location.accessibility and location.languages
    notes = "\n".join(result.skipped)
    for left_out in ("wait_time", "funding", "contact", "cost_option", "attention"):
        assert left_out in notes


def test_a_full_service_keeps_what_maps_and_reports_the_rest():
    result = import_hsds_json(EXAMPLES / "service_full.json")
    (service,) = result.directory.services
    (attribute,) = service.attributes
    assert attribute.term.code == "code" and attribute.term.taxonomy_detail.uri == "http://example.com"
    assert service.languages[0].code == "ur" and service.locations[0].latitude == 100
    assert result.directory.organizations[0].phones[0].id == service.phones[0].id
    notes = "\n".join(result.skipped)
    assert "program" in notes and "minimum_age" in notes


def test_imported_examples_export_as_valid_hsds(tmp_path):
    schemas, registry = schema_registry()
    validator = Draft202012Validator(schemas["service.json"], registry=registry, format_checker=format_checker())
    directory = import_hsds_json(EXAMPLES / "service_full.json").directory
    for service in export_hsds_json(directory):
        assert list(validator.iter_errors(service)) == []
    export_hsds_tabular(directory, tmp_path)
    assert TableChecker(json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8")), tmp_path).problems() == []


def test_identifiers_that_are_not_uuids_are_replaced_consistently():
    data = [
        {
            "id": "svc-1",
            "name": "Yerel hizmet",
            "status": "active",
            "organization": {"id": "org-1", "name": "Yerel kurum", "description": "x"},
            "phones": [{"id": "tel-1", "number": "0 232 000 00 11"}],
            "service_at_locations": [{"id": "sal-1", "location": {"id": "loc-1", "location_type": "virtual", "phones": [{"id": "tel-1", "number": "0 232 000 00 11"}]}}],
        }
    ]
    result = import_hsds_json(data)
    (service,) = result.directory.services
    assert service.phones[0].id == service.locations[0].phones[0].id != "tel-1"
    assert service.organization_id == result.directory.organizations[0].id
    assert any("svc-1" in note for note in result.skipped)
    schemas, registry = schema_registry()
    validator = Draft202012Validator(schemas["service.json"], registry=registry, format_checker=format_checker())
    assert all(not list(validator.iter_errors(item)) for item in export_hsds_json(result.directory))


def test_a_service_without_organization_gets_one_named_after_it():
    result = import_hsds_json({"id": "6f0e1d2c-3b4a-4596-8877-665544332211", "name": "Tek hizmet", "status": "active"})
    assert result.directory.organizations[0].name == "Tek hizmet"
    assert result.skipped


# --- malformed data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [("[" * 100_000 + "]" * 100_000, "deeper than"), ('[{"name": "x", "latitude": ' + "1" * 5_000 + "}]", "longer than"), ('[{"latitude": NaN}]', "NaN")],
    ids=["deep", "5,000 digits", "NaN"],
)
def test_hostile_json_is_refused_with_its_reason(text, reason, english):
    with pytest.raises(InvalidInput, match=reason):
        import_hsds_json(text)


def test_broken_json_names_line_and_column():
    text = '[\n  {"id": "6f0e1d2c-3b4a-4596-8877-665544332211",\n   "name": "x" "status": "active"}\n]'
    with pytest.raises(InvalidInput, match=r"\b3\b.*\b16\b"):
        import_hsds_json(text)


@pytest.mark.parametrize(
    ("change", "position"),
    [
        (lambda s: s.pop("name"), "/0/name"),
        (lambda s: s.update(name=5), "/0/name"),
        (lambda s: s.update(status="open"), "/0/status"),
        (lambda s: s.update(assured_date="2025-13-01"), "/0/assured_date"),
        (lambda s: s["phones"].append({"id": "6f0e1d2c-3b4a-4596-8877-665544332299"}), "/0/phones/1/number"),
        (lambda s: s["schedules"][0].update(opens_at="9 am"), "/0/schedules/0/opens_at"),
        (lambda s: s["phones"][0].update(extension="ext"), "/0/phones/0/extension"),
        (lambda s: s.update(phones={"id": 1}), "/0/phones"),
        (lambda s: s["attributes"][-1].update(value="maybe"), "/0/attributes"),
    ],
)
def test_malformed_records_name_their_position(change, position):
    data = export_hsds_json(load_sample_directory())
    change(data[0])
    with pytest.raises(InvalidInput) as raised:
        import_hsds_json(data)
    assert position in str(raised.value)


@pytest.mark.parametrize(
    ("file", "edit", "position"),
    [
        ("services.csv", lambda lines: lines[:2] + [lines[2] + ",extra"] + lines[3:], "services.csv:3"),
        ("services.csv", lambda lines: lines + [lines[1]], "services.csv:"),
        ("schedules.csv", lambda lines: [lines[0], lines[1].replace("MO,TU", "MO;XX")] + lines[2:], "schedules.csv:2"),
        ("phones.csv", lambda lines: [lines[0].replace("id,", "key,", 1)] + lines[1:], "phones.csv"),
        ("services.csv", lambda lines: [lines[0], lines[1].replace(",active,", ",sometimes,")] + lines[2:], "services.csv:2 (status)"),
    ],
)
def test_malformed_csv_names_file_and_line(tmp_path, file, edit, position):
    export_hsds_tabular(load_sample_directory(), tmp_path)
    path = tmp_path / file
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\r\n".join(edit(lines)) + "\r\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        import_hsds_tabular(tmp_path)
    assert position in str(raised.value)


def test_non_utf8_and_missing_packages_are_refused(tmp_path):
    export_hsds_tabular(load_sample_directory(), tmp_path / "package")
    (tmp_path / "package" / "organizations.csv").write_bytes("id,name\n1,Kadın".encode("cp1254"))
    with pytest.raises(InvalidInput, match="organizations.csv"):
        import_hsds_tabular(tmp_path / "package")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput):
        import_hsds_tabular(tmp_path / "empty")
    with pytest.raises(InvalidInput):
        import_hsds_json(b"\xff\xfe{}")


def test_the_git_link_stub_of_the_example_package_is_followed(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    shutil.copy(REFERENCE / "datapackage.json", tmp_path / "real.json")
    (folder / "datapackage.json").write_text("../real.json")
    assert import_hsds_tabular(folder).directory.services
    (folder / "datapackage.json").write_text('{"resources": [{"name": "service", "path": "../../etc/passwd"}]}')
    with pytest.raises(InvalidInput):
        import_hsds_tabular(folder)


# --- confidentiality --------------------------------------------------------------------------


def exported_bytes(directory: Directory, folder: Path) -> bytes:
    export_hsds_tabular(directory, folder)
    tabular = b"".join(path.read_bytes() for path in sorted(folder.iterdir()))
    return json.dumps(export_hsds_json(directory), ensure_ascii=False).encode("utf-8") + tabular


def forms(number: str) -> list[bytes]:
    digits = "".join(character for character in number if character.isdigit())
    return [number.encode(), digits.encode(), digits[2:].encode()]


def test_confidential_address_and_phone_never_leave(directory, tmp_path):
    assert SECRET_PHONE in repr(directory)  # the store holds it
    data = exported_bytes(directory, tmp_path)
    for form in forms(SECRET_PHONE) + [SECRET_STREET.encode(), b"38.38861", "Örnek durağında".encode()]:
        assert form not in data
    shelter = next(service for service in load_sample_directory().services if service.confidential)
    placeholder = shelter.locations[0].addresses[0].address_1
    assert placeholder.encode() in (Path(__file__).resolve().parents[2] / "src/caseworker/resources/directory/sample.json").read_bytes()
    assert placeholder.encode() not in data
    assert "Örnek Gizli Konukevi".encode() in data  # the entry itself is listed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.from_regex(r"\+90 5[0-9]{2} [0-9]{3} [0-9]{2} [0-9]{2}", fullmatch=True), st.booleans())
def test_any_confidential_number_stays_out_of_every_export(tmp_path_factory, number, on_location):
    base = rich_directory()
    secret = next(service for service in base.services if service.confidential)
    phone = Phone("7e1d2c3b-4a59-4687-9766-554433221100", number)
    if on_location:
        location = replace(secret.locations[0], phones=(phone,))
        services = tuple(
            replace(service, locations=tuple(location if place.id == location.id else place for place in service.locations))
            for service in base.services
        )
    else:
        services = tuple(replace(service, phones=(phone,)) if service.id == secret.id else service for service in base.services)
    data = exported_bytes(Directory(base.organizations, services), tmp_path_factory.mktemp("export"))
    for form in forms(number):
        assert form not in data
