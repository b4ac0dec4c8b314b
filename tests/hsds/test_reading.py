"""Reading HSDS JSON: what we keep comes back, other publishers' data imports, malformed data
is refused with its position."""

from __future__ import annotations

import hashlib
import json

import pytest
from jsonschema import Draft202012Validator

from caseworker.domain.directory import redact_confidential
from caseworker.errors import InvalidInput
from caseworker.hsds.files import export_hsds_tabular, load_sample_directory, read_hsds_json
from caseworker.hsds.reading import import_hsds_json
from caseworker.hsds.writing import export_hsds_json
from tests.hsds.samples import EXAMPLES, JSON_EXAMPLES, REFERENCE, TableChecker, format_checker, schema_registry

pytestmark = pytest.mark.usefixtures("hsds_reference")


def test_json_import_restores_every_field_we_keep(directory):
    result = import_hsds_json(export_hsds_json(directory))
    assert result.skipped == ()
    assert result.directory == redact_confidential(directory)


def test_import_can_set_the_source_of_every_entry(directory):
    result = import_hsds_json(export_hsds_json(directory), source="coordinator")
    assert {service.source for service in result.directory.services} == {"coordinator"}


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
    result = read_hsds_json(EXAMPLES / name)
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    has_services = "service" in name or name == "tabular.json" or name == "organization_full.json"
    assert len(result.directory.services) == (1 if has_services else 0)
    if name.startswith("organization"):
        assert result.directory.organizations[0].name == "Example Organization Inc."
    if data and not has_services and not name.startswith("organization"):
        assert result.skipped, "what was not kept is reported"


def test_a_full_service_keeps_what_maps_and_reports_the_rest():
    result = read_hsds_json(EXAMPLES / "service_full.json")
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
    directory = read_hsds_json(EXAMPLES / "service_full.json").directory
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
