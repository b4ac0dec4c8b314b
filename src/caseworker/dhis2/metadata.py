"""The DHIS2 metadata package that makes a DHIS2 ready for Caseworker's figures, generated
from the catalogue and the enrolled centres (imported at ``/api/metadata`` with
``idScheme=CODE``; docs/dhis2.md).

- one data element per indicator (retired ones too: older months still carry them), aggregate,
  whole numbers of zero or more, summed, with zeros stored (an approved month's zero is a figure);
- one category per dimension with its options, one category combination per set of dimensions
  an indicator has, and every option combination of each (DHIS2 would generate them; they are
  written here so that data values can name them by code);
- one monthly data set holding every data element, assigned to every centre;
- the organisation units city → the 30 districts of İzmir → the centres, with their levels.

Names are Turkish, with English in DHIS2 ``translations``; a centre's and a district's name are
proper names and are not translated. Codes and ids come from ``codes``. DHIS2 wants names,
short names and codes unique within a kind: option names that several dimensions share
("Bilinmiyor", "Diğer") carry their dimension's name in brackets, a short name longer than 50
characters is cut, and one that still clashes is replaced by the code.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from caseworker.dhis2 import codes
from caseworker.domain.catalogue import Catalogue, Dimension, Labels, Option
from caseworker.domain.districts import IZMIR_DISTRICTS, proper_district
from caseworker.errors import InvalidInput
from caseworker.i18n import t, t_in

CITY_NAME = "İzmir"
OPENING_DATE = "2000-01-01"
"""Every unit's opening date: before any month Caseworker holds (DHIS2 refuses figures of a
period before a unit opened)."""
MAX_SHORT_NAME = 50
LOCALE = "en"


@dataclass(frozen=True)
class CentreUnit:
    """An enrolled centre as the package shows it."""

    centre_id: str
    name: str
    district: str


def reference(kind: str, code: str) -> dict[str, str]:
    """How one object of the package points at another: by id and by code."""
    return {"id": codes.uid(kind, code), "code": code}


def _shortened(text: str) -> str:
    return text if len(text) <= MAX_SHORT_NAME else text[:MAX_SHORT_NAME - 1].rstrip() + "…"


def _translations(names: Labels, short: Labels | None = None, descriptions: Labels | None = None) -> list[dict[str, str]]:
    found = [{"property": "NAME", "locale": LOCALE, "value": names.en}]
    if short is not None:
        found.append({"property": "SHORT_NAME", "locale": LOCALE, "value": short.en})
    if descriptions is not None:
        found.append({"property": "DESCRIPTION", "locale": LOCALE, "value": descriptions.en})
    return found


def _named(kind: str, code: str, names: Labels, descriptions: Labels | None = None, short: bool = True) -> dict[str, Any]:
    """The parts every named object has: id, code, name (Turkish), short name, translations."""
    shorts = Labels(_shortened(names.tr), _shortened(names.en)) if short else None
    found: dict[str, Any] = {"id": codes.uid(kind, code), "code": code, "name": names.tr}
    if shorts is not None:
        found["shortName"] = shorts.tr
    if descriptions is not None:
        found["description"] = descriptions.tr
    found["translations"] = _translations(names, shorts, descriptions)
    return found


def _option_names(catalogue: Catalogue) -> dict[tuple[str, str], Labels]:
    """Each option's name; one whose name another dimension's option shares carries its
    dimension's name too."""
    options = [(dimension, option) for dimension in catalogue.dimensions for option in dimension.options]
    turkish = Counter(option.labels.tr for _, option in options)
    english = Counter(option.labels.en for _, option in options)
    names = {}
    for dimension, option in options:
        labels = option.labels
        if turkish[labels.tr] > 1 or english[labels.en] > 1:
            labels = Labels(f"{labels.tr} ({dimension.labels.tr})", f"{labels.en} ({dimension.labels.en})")
        names[(dimension.code, option.code)] = labels
    return names


def _category_option(dimension: Dimension, option: Option, names: Labels) -> dict[str, Any]:
    return _named("categoryOption", codes.category_option(dimension.code, option.code), names, option.descriptions)


def _category(dimension: Dimension) -> dict[str, Any]:
    found = _named("category", codes.category(dimension.code), dimension.labels, dimension.descriptions)
    found.update(dataDimensionType="DISAGGREGATION", dataDimension=True,
                 categoryOptions=[reference("categoryOption", codes.category_option(dimension.code, o.code)) for o in dimension.options])
    return found


def _combos(catalogue: Catalogue, option_names: dict[tuple[str, str], Labels]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The category combinations of the indicators' sets of dimensions, and their option combinations."""
    combos, option_combos = [], []
    seen: set[tuple[str, ...]] = set()
    for indicator in catalogue.indicators:
        dimensions = indicator.dimensions
        key = indicator.dimension_codes
        if not dimensions or key in seen:
            continue
        seen.add(key)
        code = codes.category_combo(key)
        names = Labels(" / ".join(d.labels.tr for d in dimensions), " / ".join(d.labels.en for d in dimensions))
        combo = _named("categoryCombo", code, names, short=False)
        combo.update(dataDimensionType="DISAGGREGATION", skipTotal=False, categories=[reference("category", codes.category(d.code)) for d in dimensions])
        combos.append(combo)
        for choice in itertools.product(*[[(d, o) for o in d.options] for d in dimensions]):
            combo_code = codes.category_option_combo(tuple(sorted((d.code, o.code) for d, o in choice)))
            labels = [option_names[(d.code, o.code)] for d, o in choice]
            option_combo = _named("categoryOptionCombo", combo_code, Labels(", ".join(x.tr for x in labels), ", ".join(x.en for x in labels)), short=False)
            option_combo.update(categoryCombo=reference("categoryCombo", code),
                                categoryOptions=[reference("categoryOption", codes.category_option(d.code, o.code)) for d, o in choice])
            option_combos.append(option_combo)
    return combos, option_combos


def _data_elements(catalogue: Catalogue) -> list[dict[str, Any]]:
    elements = []
    for indicator in catalogue.indicators:
        found = _named("dataElement", codes.data_element(indicator.code), indicator.labels, indicator.descriptions)
        found.update(domainType="AGGREGATE", valueType="INTEGER_ZERO_OR_POSITIVE", aggregationType="SUM", zeroIsSignificant=True)
        if indicator.dimensions:
            found["categoryCombo"] = reference("categoryCombo", codes.category_combo(indicator.dimension_codes))
        elements.append(found)
    return elements


def _levels() -> list[dict[str, Any]]:
    names = (Labels(t_in("tr", "City"), t_in("en", "City")), Labels(t_in("tr", "District"), t_in("en", "District")),
             Labels(t_in("tr", "Centre"), t_in("en", "Centre")))
    return [{"id": codes.uid("organisationUnitLevel", names.en), "name": names.tr, "level": level,
             "translations": [{"property": "NAME", "locale": LOCALE, "value": names.en}]}
            for level, names in enumerate(names, start=1)]


def _unit(code: str, name: str, parent: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"id": codes.uid("organisationUnit", code), "code": code, "name": name,
                             "shortName": _shortened(name), "openingDate": OPENING_DATE}
    if parent is not None:
        found["parent"] = reference("organisationUnit", parent)
    return found


def organisation_units(centres: Sequence[CentreUnit]) -> list[dict[str, Any]]:
    """The city, its 30 districts, then each centre under its district (under the city when
    its district is not one of the 30)."""
    units = [_unit(codes.CITY, CITY_NAME, None)]
    units += [_unit(codes.district(name), name, codes.CITY) for name in IZMIR_DISTRICTS]
    for found in centres:
        district = proper_district(found.district)
        units.append(_unit(codes.centre(found.centre_id), found.name, codes.district(district) if district else codes.CITY))
    return units


def _data_set(catalogue: Catalogue, centres: Sequence[CentreUnit]) -> dict[str, Any]:
    names = Labels(t_in("tr", "Women's counselling centres: monthly statistics"), t_in("en", "Women's counselling centres: monthly statistics"))
    found = _named("dataSet", codes.DATA_SET, names)
    found.update(
        periodType="Monthly",
        dataSetElements=[{"dataElement": reference("dataElement", codes.data_element(i.code))} for i in catalogue.indicators],
        organisationUnits=[reference("organisationUnit", codes.centre(c.centre_id)) for c in centres],
    )
    return found


def _unique_short_names(objects: list[dict[str, Any]]) -> None:
    """A short name two objects share after cutting becomes the object's code."""
    counted = Counter(o["shortName"] for o in objects if "shortName" in o)
    for found in objects:
        if counted.get(found.get("shortName"), 0) > 1:
            found["shortName"] = found["code"]


def _check_unique(kind: str, objects: Iterable[dict[str, Any]], fields: tuple[str, ...] = ("id", "code", "name", "shortName")) -> None:
    objects = list(objects)
    for field_name in fields:
        counted = Counter(o[field_name] for o in objects if field_name in o)
        twice = sorted(value for value, count in counted.items() if count > 1)
        if twice:
            raise InvalidInput(t("The DHIS2 package would hold two {kind} with the {field} “{value}”. Give them different names or codes in the catalogue.",
                                 kind=kind, field=field_name, value=twice[0]))


def package(catalogue: Catalogue, centres: Sequence[CentreUnit]) -> dict[str, Any]:
    """The metadata package as DHIS2's ``/api/metadata`` reads it."""
    option_names = _option_names(catalogue)
    options = [_category_option(d, o, option_names[(d.code, o.code)]) for d in catalogue.dimensions for o in d.options]
    categories = [_category(d) for d in catalogue.dimensions]
    combos, option_combos = _combos(catalogue, option_names)
    elements = _data_elements(catalogue)
    units = organisation_units(centres)
    found = {
        "categoryOptions": options,
        "categories": categories,
        "categoryCombos": combos,
        "categoryOptionCombos": option_combos,
        "dataElements": elements,
        "dataSets": [_data_set(catalogue, centres)],
        "organisationUnitLevels": _levels(),
        "organisationUnits": units,
    }
    for kind, objects in found.items():
        _unique_short_names(objects)
        _check_unique(kind, objects, ("id", "code") if kind in ("categoryOptionCombos", "organisationUnits") else ("id", "code", "name", "shortName"))
    _check_unique("objects", (o for objects in found.values() for o in objects), ("id",))
    return found
