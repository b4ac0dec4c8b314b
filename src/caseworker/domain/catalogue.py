"""The indicator catalogue: what a centre counts, how it is checked and how a contact is tallied.

A catalogue is a versioned JSON document (``resources/catalogue/default.json`` is the first
one; the coordinator publishes later ones). It is checked twice when read
(``catalogue_checks``): against ``resources/schemas/catalogue.schema.json`` for its shape,
then for its meaning (unique codes, references between parts). An error names the path of
the offending field, for example ``indicators[3].dimensions[0]``.

Dimensions are declared once at the top level and shared by indicators (``age`` serves both
``NEW_APPLICANTS`` and ``RETURNING_CLIENTS``), so a code has one meaning in a catalogue.

Validation rules compare two expressions (``caseworker.domain.expressions``), for example
``NEW_APPLICANTS == NEW_APPLICANTS_STATUS`` or ``VIOLENCE_TYPE[violence=physical] <= NEW_APPLICANTS``.

A tally form is a list of fields. A ``single`` or ``multiple`` field chooses options of one
dimension; a ``yesno`` field has none. Each field lists the indicators it increments; an
indicator is listed by one field of a form at most. One contact increments, for each listed
indicator (for a ``yesno`` field only when the answer is yes), every combination of the
options chosen in the form's fields for that indicator's dimensions; an indicator whose
dimension was left unanswered gets nothing.

GBVIMS mappings are recorded where a code matches a GBVIMS core incident type. Our ``sexual``
maps to ``sexual_assault``: GBVIMS counts rape as a type of its own, which this catalogue does
not separate, so an exchange of ``sexual`` as ``sexual_assault`` includes rapes.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from caseworker import strict_json
from caseworker.domain.catalogue_checks import check_catalogue_data, check_successor
from caseworker.domain.counts import CellKey, canonical
from caseworker.domain.expressions import Expression, Term, parse_expression
from caseworker.errors import InvalidInput, NotFound
from caseworker.i18n import current_language, t
from caseworker.paths import resource

__all__ = [
    "Catalogue",
    "Dimension",
    "Expression",
    "FormField",
    "Indicator",
    "Labels",
    "Option",
    "SharingPolicy",
    "TallyForm",
    "Term",
    "ValidationRule",
    "check_successor",
    "load_default_catalogue",
    "parse_catalogue",
    "parse_expression",
    "stored_catalogue",
]

KINDS = ("persons", "events", "sessions")
# A catalogue read from a file or a publication.
CATALOGUE_JSON = strict_json.JsonLimits(max_bytes=32 * 1024 * 1024)
CHOICES = ("single", "multiple", "yesno")
IMPORTANCES = ("high", "medium", "low")
GBVIMS_CORE_TYPES = (
    "rape",
    "sexual_assault",
    "physical_assault",
    "forced_marriage",
    "denial_of_resources",
    "psychological_abuse",
)
OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
FORMAT_VERSION = 1
DEFAULT_K = 5


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Labels:
    """A text in Turkish and English."""

    tr: str
    en: str

    def get(self, language: str | None = None) -> str:
        return self.en if (language or current_language()) == "en" else self.tr

    def to_json(self) -> dict[str, str]:
        return {"tr": self.tr, "en": self.en}


@dataclass(frozen=True)
class Option:
    code: str
    labels: Labels
    descriptions: Labels | None = None
    gbvims: str | None = None
    retired: bool = False

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)


@dataclass(frozen=True)
class Dimension:
    code: str
    labels: Labels
    options: tuple[Option, ...]
    descriptions: Labels | None = None

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)

    def active_options(self) -> tuple[Option, ...]:
        return tuple(option for option in self.options if not option.retired)


@dataclass(frozen=True)
class Indicator:
    code: str
    labels: Labels
    kind: str
    sensitive: bool
    dimensions: tuple[Dimension, ...] = ()
    descriptions: Labels | None = None
    gbvims: str | None = None
    retired: bool = False

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)

    @property
    def dimension_codes(self) -> tuple[str, ...]:
        return tuple(dimension.code for dimension in self.dimensions)


@dataclass(frozen=True)
class ValidationRule:
    id: str
    labels: Labels
    left: Expression
    operator: str
    right: Expression
    importance: str

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)

    def compare(self, left: int, right: int) -> bool:
        return OPERATORS[self.operator](left, right)

    def holds(self, counts: Mapping[CellKey, int]) -> bool:
        """Whether the month's ``counts`` satisfy the rule."""
        return self.compare(self.left.value(counts), self.right.value(counts))

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


@dataclass(frozen=True)
class FormField:
    """A question of a tally form. ``dimension`` is None for a yes/no field."""

    code: str
    labels: Labels
    choice: str
    dimension: Dimension | None
    required: bool
    increments: tuple[str, ...]

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)


@dataclass(frozen=True)
class TallyForm:
    code: str
    labels: Labels
    fields: tuple[FormField, ...]

    def label(self, language: str | None = None) -> str:
        return self.labels.get(language)

    def field(self, code: str) -> FormField | None:
        return next((field_ for field_ in self.fields if field_.code == code), None)

    def field_for_dimension(self, dimension: str) -> FormField | None:
        return next((f for f in self.fields if f.dimension is not None and f.dimension.code == dimension), None)


@dataclass(frozen=True)
class SharingPolicy:
    """Disclosure control: no published figure lies in 1..k-1 (docs/disclosure.md)."""

    k: int = DEFAULT_K


@dataclass(frozen=True)
class Catalogue:
    version: int
    published: date
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    rules: tuple[ValidationRule, ...] = ()
    forms: tuple[TallyForm, ...] = ()
    sharing: SharingPolicy = SharingPolicy()
    _index: dict[str, dict[str, Any]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_index",
            {
                "indicator": {item.code: item for item in self.indicators},
                "dimension": {item.code: item for item in self.dimensions},
                "form": {item.code: item for item in self.forms},
                "cells": {},
            },
        )

    def indicator(self, code: str) -> Indicator:
        found = self._index["indicator"].get(code)
        if found is None:
            raise NotFound(t("There is no indicator {code} in catalogue version {version}.", code=code, version=self.version))
        return found

    def dimension(self, code: str) -> Dimension:
        found = self._index["dimension"].get(code)
        if found is None:
            raise NotFound(t("There is no dimension {code} in catalogue version {version}.", code=code, version=self.version))
        return found

    def form(self, code: str) -> TallyForm:
        found = self._index["form"].get(code)
        if found is None:
            raise NotFound(
                t(
                    "There is no tally form {code} in catalogue version {version}. Forms: {forms}.",
                    code=code,
                    version=self.version,
                    forms=", ".join(form.code for form in self.forms),
                )
            )
        return found

    def active_indicators(self) -> tuple[Indicator, ...]:
        return tuple(indicator for indicator in self.indicators if not indicator.retired)

    def cells(self, indicator: Indicator | str, include_retired: bool = False) -> list[CellKey]:
        """Every option combination of ``indicator``, in catalogue order (one cell if it has no
        dimension); worked out once per catalogue, a new list each time."""
        code = indicator if isinstance(indicator, str) else indicator.code
        known = self._index["cells"]
        if (code, include_retired) not in known:
            found = self.indicator(code)
            choices = [
                [(dimension.code, option.code) for option in dimension.options if include_retired or not option.retired]
                for dimension in found.dimensions
            ]
            known[(code, include_retired)] = tuple(canonical(CellKey(found.code, combination)) for combination in itertools.product(*choices))
        return list(known[(code, include_retired)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "published": self.published.isoformat(),
            "sharing": {"k": self.sharing.k},
            "dimensions": [_dimension_to_dict(dimension) for dimension in self.dimensions],
            "indicators": [_indicator_to_dict(indicator) for indicator in self.indicators],
            "rules": [_rule_to_dict(rule) for rule in self.rules],
            "forms": [_form_to_dict(form) for form in self.forms],
        }

    def to_json(self, indent: int | None = None) -> str:
        """Canonical JSON: keys sorted, lists in catalogue order, UTF-8 text unescaped.

        Without ``indent`` the form is compact and byte-stable, fit for hashing and signing.
        """
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=indent, separators=separators)


# ---------------------------------------------------------------------------- writing


def _with_optional(
    data: dict[str, Any], descriptions: Labels | None, gbvims: str | None = None, retired: bool = False
) -> dict[str, Any]:
    if descriptions is not None:
        data["descriptions"] = descriptions.to_json()
    if gbvims is not None:
        data["gbvims"] = gbvims
    if retired:
        data["retired"] = True
    return data


def _dimension_to_dict(dimension: Dimension) -> dict[str, Any]:
    options = [
        _with_optional({"code": o.code, "labels": o.labels.to_json()}, o.descriptions, o.gbvims, o.retired)
        for o in dimension.options
    ]
    return _with_optional(
        {"code": dimension.code, "labels": dimension.labels.to_json(), "options": options}, dimension.descriptions
    )


def _indicator_to_dict(indicator: Indicator) -> dict[str, Any]:
    data = {
        "code": indicator.code,
        "labels": indicator.labels.to_json(),
        "kind": indicator.kind,
        "sensitive": indicator.sensitive,
        "dimensions": list(indicator.dimension_codes),
    }
    return _with_optional(data, indicator.descriptions, indicator.gbvims, indicator.retired)


def _rule_to_dict(rule: ValidationRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "labels": rule.labels.to_json(),
        "left": str(rule.left),
        "operator": rule.operator,
        "right": str(rule.right),
        "importance": rule.importance,
    }


def _form_to_dict(form: TallyForm) -> dict[str, Any]:
    fields = []
    for form_field in form.fields:
        data: dict[str, Any] = {
            "code": form_field.code,
            "labels": form_field.labels.to_json(),
            "choice": form_field.choice,
            "required": form_field.required,
            "increments": list(form_field.increments),
        }
        if form_field.dimension is not None:
            data["dimension"] = form_field.dimension.code
        fields.append(data)
    return {"code": form.code, "labels": form.labels.to_json(), "fields": fields}


def parse_catalogue(source: str | bytes | Mapping[str, Any]) -> Catalogue:
    """Read and check a catalogue from JSON text or an already decoded dict (see ``catalogue_checks``)."""
    if isinstance(source, (str, bytes)):
        try:
            data = strict_json.loads(source, CATALOGUE_JSON, t("The catalogue"))
        except json.JSONDecodeError as error:
            raise InvalidInput(
                t(
                    "The catalogue is not valid JSON (line {line}, column {column}). Check that the file is a complete catalogue.",
                    line=getattr(error, "lineno", "?"),
                    column=getattr(error, "colno", "?"),
                )
            ) from None
    else:
        data = source
    check_catalogue_data(data)
    return _build(data)


@lru_cache(maxsize=1)
def stored_catalogue(document: str) -> Catalogue:
    """A catalogue as a store holds it. It went in only as ``Catalogue.to_json`` wrote it after
    the full check (``parse_catalogue``), and the store's pages are authenticated, so it is
    built without the schema pass, which costs a quarter of a second the first time in a process
    (jsonschema's import and the schema's own check): every command that reads figures pays it."""
    return _build(json.loads(document))


def load_default_catalogue() -> Catalogue:
    """The catalogue shipped with the program (``resources/catalogue/default.json``)."""
    text = resource("catalogue", "default.json").read_text(encoding="utf-8")
    return parse_catalogue(text)


def _labels(data: Mapping[str, str] | None) -> Labels | None:
    return None if data is None else Labels(tr=data["tr"], en=data["en"])


def _build(data: Mapping[str, Any]) -> Catalogue:
    """Objects from a document that ``check_catalogue_data`` accepted."""
    dimensions: dict[str, Dimension] = {}
    for raw in data["dimensions"]:
        options = tuple(
            Option(o["code"], _labels(o["labels"]), _labels(o.get("descriptions")), o.get("gbvims"), o.get("retired", False))
            for o in raw["options"]
        )
        dimensions[raw["code"]] = Dimension(raw["code"], _labels(raw["labels"]), options, _labels(raw.get("descriptions")))
    indicators = tuple(
        Indicator(
            raw["code"],
            _labels(raw["labels"]),
            raw["kind"],
            raw["sensitive"],
            tuple(dimensions[code] for code in raw["dimensions"]),
            _labels(raw.get("descriptions")),
            raw.get("gbvims"),
            raw.get("retired", False),
        )
        for raw in data["indicators"]
    )
    rules = tuple(
        ValidationRule(
            raw["id"],
            _labels(raw["labels"]),
            parse_expression(raw["left"]),
            raw["operator"],
            parse_expression(raw["right"]),
            raw["importance"],
        )
        for raw in data["rules"]
    )
    forms = tuple(
        TallyForm(
            raw["code"],
            _labels(raw["labels"]),
            tuple(
                FormField(
                    f["code"],
                    _labels(f["labels"]),
                    f["choice"],
                    dimensions[f["dimension"]] if "dimension" in f else None,
                    f["required"],
                    tuple(f["increments"]),
                )
                for f in raw["fields"]
            ),
        )
        for raw in data["forms"]
    )
    return Catalogue(
        version=data["version"],
        published=date.fromisoformat(data["published"]),
        dimensions=tuple(dimensions.values()),
        indicators=indicators,
        rules=rules,
        forms=forms,
        sharing=SharingPolicy(data["sharing"]["k"]),
    )


def check_cell(catalogue: Catalogue, indicator_code: str, pairs: Sequence[tuple[str, str]]) -> CellKey:
    """The cell ``indicator_code`` with the options ``pairs``, if the catalogue has it; ``InvalidInput`` or ``NotFound`` says what is wrong."""
    indicator = catalogue.indicator(indicator_code)
    given = dict(pairs)
    if len(given) != len(pairs) or set(given) != set(indicator.dimension_codes):
        raise InvalidInput(
            t("{indicator} needs exactly one option for each of its dimensions: {dimensions}.",
              indicator=indicator.code, dimensions=", ".join(indicator.dimension_codes) or "—")
        )
    for dimension in indicator.dimensions:
        if dimension.option(given[dimension.code]) is None:
            raise InvalidInput(
                t("{option} is not an option of {dimension}; use one of: {options}.",
                  option=given[dimension.code], dimension=dimension.code, options=", ".join(o.code for o in dimension.options))
            )
    return CellKey(indicator.code, tuple(given.items()))
