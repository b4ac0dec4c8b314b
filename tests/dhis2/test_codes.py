"""DHIS2 codes and ids: stable, distinct, within DHIS2's limits, the same every time."""

from __future__ import annotations

import re

from caseworker.dhis2 import codes
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.districts import IZMIR_DISTRICTS

CATALOGUE = load_default_catalogue()
UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")


def codes_by_kind() -> dict[str, list[str]]:
    """DHIS2 wants a code unique among the objects of one kind (a data element and a category may
    share one, as ``CW_PERPETRATOR`` does)."""
    return {
        "dataElement": [codes.data_element(i.code) for i in CATALOGUE.indicators],
        "category": [codes.category(d.code) for d in CATALOGUE.dimensions],
        "categoryOption": [codes.category_option(d.code, o.code) for d in CATALOGUE.dimensions for o in d.options],
        "organisationUnit": [codes.CITY] + [codes.district(name) for name in IZMIR_DISTRICTS],
        "dataSet": [codes.DATA_SET],
    }


def every_code() -> list[str]:
    return [code for found in codes_by_kind().values() for code in found]


def test_codes_follow_the_catalogue_behind_one_prefix():
    assert codes.data_element("NEW_APPLICANTS") == "CW_NEW_APPLICANTS"
    assert codes.category("age") == "CW_AGE"
    assert codes.category_option("age", "65+") == "CW_AGE_65PLUS"
    assert codes.category_option("perpetrator", "unknown") != codes.category_option("age", "unknown")
    assert codes.district("Karşıyaka") == "CW_IZMIR_KARSIYAKA"
    assert codes.centre("konak-3f9a") == "CW_KDM_KONAK-3F9A"
    assert all(code.startswith(codes.PREFIX) for code in every_code())


def test_every_code_is_distinct_within_its_kind_and_within_fifty_characters():
    for found in codes_by_kind().values():
        assert len(set(found)) == len(found)
    assert max(len(code) for code in every_code()) <= codes.MAX_CODE
    assert len({codes.district(name) for name in IZMIR_DISTRICTS}) == 30


def test_a_long_code_is_shortened_and_stays_distinct():
    first, second = "a" * 60 + "-1", "a" * 60 + "-2"
    assert len(codes.centre(first)) == codes.MAX_CODE == len(codes.centre(second))
    assert codes.centre(first) != codes.centre(second)
    assert codes.centre(first) == codes.centre(first)


def test_ids_are_dhis2_uids_derived_from_kind_and_code():
    ids = {codes.uid(kind, code) for kind in ("dataElement", "category", "categoryCombo") for code in every_code()}
    assert len(ids) == 3 * len(set(every_code()))
    assert all(UID.match(found) for found in ids)
    assert codes.uid("category", "CW_AGE") == codes.uid("category", "CW_AGE")
    assert codes.uid("category", "CW_AGE") != codes.uid("categoryCombo", "CW_AGE")


def test_a_cell_without_dimensions_has_the_default_combination():
    assert codes.category_option_combo(()) is None
    assert codes.category_option_combo((("age", "0-17"),)) == "CW_AGE_0-17"
