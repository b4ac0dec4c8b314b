"""HSDS JSON export: official schemas, our additions, and what never leaves (confidential data)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from caseworker.domain.directory import Directory, Phone
from caseworker.domain.taxonomy import field_taxonomy, support_taxonomy
from caseworker.hsds.files import export_hsds_tabular, load_sample_directory
from caseworker.hsds.reading import import_hsds_json
from caseworker.hsds.writing import export_hsds_json
from tests.hsds.samples import REFERENCE, SECRET_PHONE, SECRET_STREET, format_checker, rich_directory, schema_registry

pytestmark = pytest.mark.usefixtures("hsds_reference")


def test_json_round_trip_gives_the_same_content(directory):
    first = export_hsds_json(directory)
    text = json.dumps(first, ensure_ascii=False)
    again = export_hsds_json(import_hsds_json(text).directory)
    assert again == first
    assert json.dumps(again, ensure_ascii=False) == text


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
