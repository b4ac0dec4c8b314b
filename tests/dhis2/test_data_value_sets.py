"""The dataValueSets document: valid against DHIS2's documented format, codes throughout, values
as text, nothing but what the metadata package defines."""

from __future__ import annotations

import json

from caseworker.dhis2 import data_value_sets
from caseworker.dhis2.metadata import package
from caseworker.domain.periods import Period
from tests.dhis2.conftest import CATALOGUE, CENTRES
from tests.dhis2.references import Package, data_value_set_errors, read_data_value_set


def test_the_document_is_a_valid_data_value_set(months):
    document = data_value_sets.write(months)
    assert data_value_set_errors(document) == []
    assert json.loads(document) == data_value_sets.document(months)


def test_every_figure_is_there_with_its_codes(months):
    found = json.loads(data_value_sets.write(months))
    assert found["dataSet"] == "CW_MONTHLY"
    assert len(found["dataValues"]) == sum(len(m.values) for m in months)
    first = found["dataValues"][0]
    assert first == {"dataElement": "CW_NEW_APPLICANTS", "period": "202601", "orgUnit": "CW_KDM_KONAK-3F9A",
                     "categoryOptionCombo": "CW_AGE_0-17", "value": str(months[0].values[0])}
    without = [v for v in found["dataValues"] if v["dataElement"] == "CW_WITH_CHILDREN"]
    assert len(without) == len(months) and all("categoryOptionCombo" not in v for v in without)


def test_the_document_refers_only_to_the_metadata_package(months):
    made = Package(package(CATALOGUE, CENTRES))
    figures = read_data_value_set(data_value_sets.write(months))
    assert made.problems(figures) == []
    assert sum(f.value for f in figures) == sum(v for m in months for v in m.values)


def test_the_schema_refuses_what_dhis2_does_not_read(months):
    good = data_value_sets.document(months)
    bad_value = json.loads(json.dumps(good))
    bad_value["dataValues"][0]["value"] = 3
    no_unit = json.loads(json.dumps(good))
    del no_unit["dataValues"][0]["orgUnit"]
    bad_period = json.loads(json.dumps(good))
    bad_period["dataValues"][0]["period"] = "2026-01"
    for bad in (bad_value, no_unit, bad_period):
        assert data_value_set_errors(bad) != []


def test_a_month_is_written_as_dhis2_names_a_monthly_period():
    assert data_value_sets.dhis2_period(Period(2026, 3)) == "202603"
