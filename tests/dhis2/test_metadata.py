"""The metadata package: every indicator, dimension and option of the catalogue, the city's
districts and centres, Turkish names with English translations, and references that hold."""

from __future__ import annotations

import json

import pytest

from caseworker.dhis2 import codes
from caseworker.dhis2.metadata import CentreUnit, package
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.errors import InvalidInput
from tests.dhis2.references import Package

CATALOGUE = load_default_catalogue()
CENTRES = [CentreUnit("konak-3f9a", "Konak Kadın Danışma Merkezi", "Konak"), CentreUnit("cigli-0b1c", "Çiğli KDM", "Çiğli"),
           CentreUnit("elsewhere-9999", "A centre of another city", "Ankara")]


@pytest.fixture(scope="module")
def made() -> Package:
    return Package(package(CATALOGUE, CENTRES))


def english(found: dict, prop: str = "NAME") -> str:
    return next(x["value"] for x in found["translations"] if x["property"] == prop and x["locale"] == "en")


def test_one_aggregate_data_element_per_indicator(made):
    assert set(made.elements) == {codes.data_element(i.code) for i in CATALOGUE.indicators}
    for indicator in CATALOGUE.indicators:
        found = made.elements[codes.data_element(indicator.code)]
        assert (found["domainType"], found["valueType"], found["aggregationType"]) == ("AGGREGATE", "INTEGER_ZERO_OR_POSITIVE", "SUM")
        assert found["zeroIsSignificant"] is True
        assert found["name"] == indicator.labels.tr and english(found) == indicator.labels.en
        assert len(found["shortName"]) <= 50 and len(english(found, "SHORT_NAME")) <= 50
        if indicator.dimensions:
            assert set(made.element_categories(found["code"])) == {codes.category(d) for d in indicator.dimension_codes}
        else:
            assert "categoryCombo" not in found


def test_categories_and_options_come_from_the_dimensions(made):
    for dimension in CATALOGUE.dimensions:
        category = next(c for c in made.document["categories"] if c["code"] == codes.category(dimension.code))
        assert category["name"] == dimension.labels.tr and english(category) == dimension.labels.en
        assert [made.target(o)["code"] for o in category["categoryOptions"]] == [codes.category_option(dimension.code, o.code) for o in dimension.options]
    unknown_age = made.by_id[codes.uid("categoryOption", "CW_AGE_UNKNOWN")]
    assert unknown_age["name"] == "Bilinmiyor (Yaş grubu)" and english(unknown_age) == "Unknown (Age group)"


def test_every_option_combination_is_written_with_a_code(made):
    """One combination per cell of each set of dimensions, each made of its combination's options."""
    combos = {i.dimension_codes: i for i in CATALOGUE.indicators if i.dimensions}
    assert len(made.document["categoryOptionCombos"]) == sum(len(CATALOGUE.cells(i, include_retired=True)) for i in combos.values())
    for indicator in combos.values():
        for cell in CATALOGUE.cells(indicator, include_retired=True):
            combo = made.option_combos[codes.category_option_combo(cell.options)]
            assert made.target(combo["categoryCombo"])["code"] == codes.category_combo(indicator.dimension_codes)
            assert {made.target(o)["code"] for o in combo["categoryOptions"]} == {codes.category_option(d, o) for d, o in cell.options}


def test_the_city_its_thirty_districts_and_the_centres(made):
    units = made.document["organisationUnits"]
    city, districts, centres = units[0], units[1:31], units[31:]
    assert city["code"] == codes.CITY and "parent" not in city
    assert [d["name"] for d in districts] == list(IZMIR_DISTRICTS)
    assert all(made.target(d["parent"])["code"] == codes.CITY for d in districts)
    parents = {c["code"]: made.target(c["parent"])["code"] for c in centres}
    assert parents == {"CW_KDM_KONAK-3F9A": "CW_IZMIR_KONAK", "CW_KDM_CIGLI-0B1C": "CW_IZMIR_CIGLI", "CW_KDM_ELSEWHERE-9999": codes.CITY}
    assert all(u["openingDate"] == "2000-01-01" and len(u["shortName"]) <= 50 for u in units)
    assert [(level["level"], level["name"], english(level)) for level in made.document["organisationUnitLevels"]] == [
        (1, "Kent", "City"), (2, "İlçe", "District"), (3, "Merkez", "Centre")]


def test_the_monthly_data_set_holds_every_element_and_every_centre(made):
    data_set = made.data_set
    assert (data_set["code"], data_set["periodType"]) == (codes.DATA_SET, "Monthly")
    assert {made.target(e["dataElement"])["code"] for e in data_set["dataSetElements"]} == set(made.elements)
    assert {made.target(u)["code"] for u in data_set["organisationUnits"]} == {codes.centre(c.centre_id) for c in CENTRES}
    assert english(data_set) == "Women's counselling centres: monthly statistics"


def test_every_reference_points_into_the_package_and_names_are_unique(made):
    def references(value):
        if isinstance(value, dict):
            if set(value) == {"id", "code"}:
                yield value
            for inner in value.values():
                yield from references(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from references(inner)

    found = list(references(made.document))
    assert len(found) > 100
    for ref in found:
        made.target(ref)
    for kind in ("dataElements", "categories", "categoryOptions", "categoryCombos", "dataSets"):
        objects = made.document[kind]
        for field in ("code", "name", "shortName"):
            values = [o[field] for o in objects if field in o]
            assert len(values) == len(set(values)), (kind, field)


def test_the_package_is_the_same_every_time_and_plain_json():
    assert json.dumps(package(CATALOGUE, CENTRES), sort_keys=True) == json.dumps(package(CATALOGUE, CENTRES), sort_keys=True)


def test_a_catalogue_that_would_give_two_data_elements_one_name_is_refused():
    data = json.loads(CATALOGUE.to_json())
    data["indicators"][1]["labels"]["tr"] = data["indicators"][0]["labels"]["tr"]
    from caseworker.domain.catalogue import parse_catalogue

    with pytest.raises(InvalidInput, match="Yeni başvuran kadınlar"):
        package(parse_catalogue(data), CENTRES)
