"""Pathway definitions from a directory: one sector per service, the district's own services or
the nearest ones, shelters by name in every district, and the exchange format."""

from __future__ import annotations

import pytest

from caseworker.domain.directory import Directory, Organization, Phone, Service
from caseworker.domain.pathways import (
    SECTOR_CODES,
    definitions_json,
    derive,
    derive_all,
    fee_status,
    parse_definitions,
    sector_of,
)
from caseworker.errors import InvalidInput

ORG = Organization("org", "Örnek")


def _service(name: str, categories: tuple[str, ...], district: str = "", **fields) -> Service:
    fields.setdefault("phones", (Phone(f"p-{name}", "0 232 000 00 00"),))
    return Service(f"s-{name}", ORG.id, name, categories=categories, district=district, **fields)


@pytest.fixture
def directory() -> Directory:
    return Directory((ORG,), (
        _service("155", ("emergency_call", "police")),
        _service("ALO 183", ("hotline", "social_services")),
        _service("Konak KDM", ("womens_counselling_centre", "social_services"), "Konak"),
        _service("Bornova ŞÖNİM", ("sonim",), "Bornova"),
        _service("Buca ŞÖNİM", ("sonim",), "Buca"),
        _service("Bergama Baro", ("legal_aid",), "Bergama"),
        _service("Konukevi", ("shelter",), confidential=True, phones=()),
        _service("Kapalı Kreş", ("childcare",), "Konak", status="inactive"),
    ))


def test_a_service_is_in_the_sector_of_its_first_fitting_category_and_lines_in_none(directory):
    by_name = {service.name: service for service in directory.services}
    assert sector_of(by_name["Konak KDM"]) == "psychosocial"
    assert sector_of(by_name["Konukevi"]) == "shelter"
    assert sector_of(by_name["155"]) is None and sector_of(by_name["ALO 183"]) is None


def test_a_district_lists_its_own_then_the_nearest_then_the_lines(directory):
    konak = derive(directory, "Konak")
    assert [entry.sector for entry in konak.sectors] == list(SECTOR_CODES)
    assert konak.hotlines == ("s-155", "s-ALO 183")
    assert konak.sector("psychosocial").services == ("s-Konak KDM",) and konak.sector("psychosocial").local
    safety = konak.sector("safety")
    assert not safety.local and safety.services == ("s-Buca ŞÖNİM",)  # Buca is next to Konak, Bornova diagonal
    assert konak.sector("shelter").services == ("s-Konukevi",) and konak.sector("shelter").local
    assert konak.sector("child_protection").services == ("s-ALO 183",)  # the closed kreş is left out
    assert konak.sector("legal").services == ("s-Bergama Baro",)
    assert konak.sector("health").services == ()  # no service and no health line: the page says to call ALO 183


def test_the_city_lists_city_wide_then_every_district(directory):
    city = derive(directory, "")
    assert city.sector("safety").services == ("s-Bornova ŞÖNİM", "s-Buca ŞÖNİM") and city.sector("safety").local


def test_definitions_round_trip_and_bad_ones_are_refused(directory):
    definitions = derive_all(directory, ["Konak", "Buca"])
    assert parse_definitions(definitions_json(definitions)) == definitions
    document = definitions_json(definitions)
    document["pathways"].append(document["pathways"][1])
    with pytest.raises(InvalidInput):
        parse_definitions(document)
    with pytest.raises(InvalidInput):
        parse_definitions({"format": "caseworker-pathways", "version": 2, "pathways": []})
    bad = definitions_json(definitions)
    bad["pathways"][0]["sectors"][0]["sector"] = "weather"
    with pytest.raises(InvalidInput):
        parse_definitions(bad)


def test_free_or_not():
    assert fee_status(_service("a", ("legal_aid",))) == ("free", "")
    assert fee_status(_service("b", ("employment",))) == ("ask", "")
    assert fee_status(_service("c", ("employment",), fees_description="Ücretsizdir")) == ("free", "")
    assert fee_status(_service("d", ("childcare",), fees_description="Aylık 500 TL")) == ("fee", "Aylık 500 TL")
