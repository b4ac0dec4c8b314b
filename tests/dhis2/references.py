"""The ADX XML Schema and the dataValueSets JSON Schema of ``tests/fixtures/dhis2`` (see its
README), and the check that figures refer only to what a metadata package defines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dhis2"
ADX = "{urn:ihe:qrph:adx:2015}"


def adx_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "adx.xsd")))


def adx_errors(document: bytes) -> list[str]:
    schema = adx_schema()
    ok = schema.validate(etree.fromstring(document))
    return [] if ok else [str(error) for error in schema.error_log]


def data_value_set_errors(document: bytes | dict) -> list[str]:
    schema = json.loads((FIXTURES / "data-value-sets.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    instance = json.loads(document) if isinstance(document, bytes) else document
    return [f"{list(error.absolute_path)}: {error.message}" for error in jsonschema.Draft202012Validator(schema).iter_errors(instance)]


@dataclass
class Figure:
    """One exported figure, read back from a file: where it is and its value. ``combo``: the
    option combination's code (dataValueSets); ``categories``: category code -> option code (ADX)."""

    org_unit: str
    period: str
    data_element: str
    value: int
    combo: str | None = None
    categories: dict[str, str] | None = None


def read_adx(document: bytes) -> list[Figure]:
    figures = []
    for group in etree.fromstring(document).iter(f"{ADX}group"):
        assert group.get("dataSet") == "CW_MONTHLY"
        for value in group.iter(f"{ADX}dataValue"):
            categories = {name: option for name, option in value.attrib.items() if name not in ("dataElement", "value")}
            figures.append(Figure(group.get("orgUnit"), group.get("period"), value.get("dataElement"), int(value.get("value")), None, categories))
    return figures


def read_data_value_set(document: bytes) -> list[Figure]:
    found = json.loads(document)
    assert found["dataSet"] == "CW_MONTHLY"
    return [Figure(v["orgUnit"], v["period"], v["dataElement"], int(v["value"]), v.get("categoryOptionCombo")) for v in found["dataValues"]]


class Package:
    """A metadata package, indexed by code."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.by_id = {o["id"]: o for objects in document.values() for o in objects}
        self.elements = {o["code"]: o for o in document["dataElements"]}
        self.option_combos = {o["code"]: o for o in document["categoryOptionCombos"]}
        self.units = {o["code"]: o for o in document["organisationUnits"]}
        (self.data_set,) = document["dataSets"]

    def target(self, ref: dict[str, str]) -> dict[str, Any]:
        """The object a reference points at; its id and code must agree."""
        found = self.by_id[ref["id"]]
        assert found.get("code") == ref.get("code"), ref
        return found

    def element_categories(self, element: str) -> dict[str, set[str]]:
        """The categories of a data element's combination, each with its option codes."""
        ref = self.elements[element].get("categoryCombo")
        if ref is None:
            return {}
        combo = self.target(ref)
        return {self.target(c)["code"]: {self.target(o)["code"] for o in self.target(c)["categoryOptions"]} for c in combo["categories"]}

    def options_of(self, figure: Figure) -> frozenset[str]:
        """The category options a figure stands for."""
        if figure.categories is not None:
            return frozenset(figure.categories.values())
        if figure.combo is None:
            return frozenset()
        return frozenset(self.target(o)["code"] for o in self.option_combos[figure.combo]["categoryOptions"])

    def problems(self, figures: list[Figure]) -> list[str]:
        """What ``figures`` use that the package does not define (empty when they refer only to it)."""
        found: list[str] = []
        in_set_elements = {self.target(e["dataElement"])["code"] for e in self.data_set["dataSetElements"]}
        in_set_units = {self.target(u)["code"] for u in self.data_set["organisationUnits"]}
        for figure in figures:
            if figure.data_element not in self.elements or figure.data_element not in in_set_elements:
                found.append(f"data element {figure.data_element}")
                continue
            if figure.org_unit not in self.units or figure.org_unit not in in_set_units:
                found.append(f"organisation unit {figure.org_unit}")
            categories = self.element_categories(figure.data_element)
            if figure.categories is not None:
                if set(figure.categories) != set(categories) or any(o not in categories[c] for c, o in figure.categories.items()):
                    found.append(f"categories {figure.categories} of {figure.data_element}")
            elif figure.combo is None:
                if categories:
                    found.append(f"no option combination for {figure.data_element}")
            else:
                combo = self.option_combos.get(figure.combo)
                element_combo = self.elements[figure.data_element].get("categoryCombo")
                if combo is None or element_combo is None or self.target(combo["categoryCombo"])["code"] != element_combo["code"]:
                    found.append(f"option combination {figure.combo} of {figure.data_element}")
        return found

    def totals(self, figures: list[Figure]) -> Counter:
        """Each (data element, its category options) summed over units and months."""
        summed: Counter = Counter()
        for figure in figures:
            summed[(figure.data_element, self.options_of(figure))] += figure.value
        return summed
