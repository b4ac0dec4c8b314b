"""Checking a catalogue document: its shape against the JSON schema, then its meaning.

The meaning checks are those a schema cannot say: codes unique, references between the parts
(indicator → dimensions, rule expressions → indicators and options, form fields → dimensions
and indicators) resolve, and a form can fill every dimension of what it counts. Every error
names the path of the offending field (``indicators[3].dimensions[0]``) and says what to do.

``check_successor`` says whether a newer catalogue may replace the one in use: codes are
never removed nor given a new meaning, only added or retired.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from caseworker.domain.expressions import parse_expression
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import t
from caseworker.paths import resource

if TYPE_CHECKING:
    from caseworker.domain.catalogue import Catalogue

Path = list[str | int]


def format_path(parts: Iterable[str | int]) -> str:
    """``["indicators", 3, "code"]`` → ``indicators[3].code``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _invalid(path: Sequence[str | int], problem: str) -> InvalidInput:
    where = format_path(path) or t("the top level")
    return InvalidInput(
        t("The catalogue is not valid at {path}: {problem} Correct the file and try again.", path=where, problem=problem)
    )


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    text = resource("schemas", "catalogue.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _schema_error(error: Any) -> InvalidInput:
    path = list(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = next((name for name in error.validator_value if name not in error.instance), "?")
        return _invalid([*path, missing], t("this field is missing."))
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(name for name in error.instance if name not in allowed)
        return _invalid([*path, extra[0] if extra else "?"], t("this field is not part of the catalogue format."))
    if kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        return _invalid(
            path,
            t(
                "{value} is not allowed here; use one of: {allowed}.",
                value=json.dumps(error.instance, ensure_ascii=False),
                allowed=", ".join(map(str, allowed)),
            ),
        )
    if kind == "type":
        return _invalid(
            path,
            t(
                "{value} has the wrong type; expected {expected}.",
                value=json.dumps(error.instance, ensure_ascii=False),
                expected=error.validator_value,
            ),
        )
    if kind == "pattern":
        return _invalid(
            path,
            t("“{value}” is not written in the expected form ({pattern}).", value=error.instance, pattern=error.validator_value),
        )
    if kind in ("minItems", "minLength"):
        return _invalid(path, t("this must not be empty."))
    if kind == "minimum":
        return _invalid(
            path, t("{value} is too small; the least allowed is {minimum}.", value=error.instance, minimum=error.validator_value)
        )
    return _invalid(path, error.message)


def _check_unique(items: Sequence[Mapping[str, Any]], key: str, path: Sequence[str | int]) -> None:
    seen: set[str] = set()
    for position, item in enumerate(items):
        if item[key] in seen:
            raise _invalid([*path, position, key], t("the code {code} is used twice; every code must be unique.", code=item[key]))
        seen.add(item[key])


def check_catalogue_data(data: object) -> None:
    """Raise ``InvalidInput`` naming the first wrong field of a decoded catalogue document."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise _schema_error(error)
    assert isinstance(data, Mapping)
    _check_meaning(data)


def _check_meaning(data: Mapping[str, Any]) -> None:
    try:
        date.fromisoformat(data["published"])
    except ValueError:
        raise _invalid(["published"], t("{value} is not a date.", value=data["published"])) from None

    _check_unique(data["dimensions"], "code", ["dimensions"])
    for position, dimension in enumerate(data["dimensions"]):
        _check_unique(dimension["options"], "code", ["dimensions", position, "options"])
    options = {dimension["code"]: {option["code"] for option in dimension["options"]} for dimension in data["dimensions"]}

    _check_unique(data["indicators"], "code", ["indicators"])
    for position, indicator in enumerate(data["indicators"]):
        for slot, code in enumerate(indicator["dimensions"]):
            path: Path = ["indicators", position, "dimensions", slot]
            if code not in options:
                raise _invalid(path, t("there is no dimension {code} in the catalogue.", code=code))
            if code in indicator["dimensions"][:slot]:
                raise _invalid(path, t("the dimension {code} is listed twice.", code=code))
    indicators = {indicator["code"]: indicator for indicator in data["indicators"]}

    _check_unique(data["rules"], "id", ["rules"])
    for position, rule in enumerate(data["rules"]):
        for side in ("left", "right"):
            _check_expression(rule[side], indicators, options, ["rules", position, side])

    _check_unique(data["forms"], "code", ["forms"])
    for position, form in enumerate(data["forms"]):
        _check_form(form, ["forms", position], indicators, options)


def _check_expression(
    text: str, indicators: Mapping[str, Mapping[str, Any]], options: Mapping[str, set[str]], path: Path
) -> None:
    try:
        expression = parse_expression(text)
    except InvalidInput as error:
        raise _invalid(path, error.message) from None
    for term in expression.terms:
        indicator = indicators.get(term.indicator)
        if indicator is None:
            raise _invalid(path, t("there is no indicator {code} in the catalogue.", code=term.indicator))
        if indicator.get("retired", False):
            raise _invalid(path, t("the indicator {code} is retired; a rule may not refer to it.", code=term.indicator))
        seen: set[str] = set()
        for dimension, option in term.selectors:
            if dimension not in indicator["dimensions"]:
                raise _invalid(
                    path,
                    t("the indicator {indicator} has no dimension {dimension}.", indicator=term.indicator, dimension=dimension),
                )
            if dimension in seen:
                raise _invalid(path, t("the dimension {code} is listed twice.", code=dimension))
            seen.add(dimension)
            if option not in options[dimension]:
                raise _invalid(path, t("the dimension {dimension} has no option {option}.", dimension=dimension, option=option))


def _check_form(
    form: Mapping[str, Any], path: Path, indicators: Mapping[str, Mapping[str, Any]], options: Mapping[str, set[str]]
) -> None:
    _check_unique(form["fields"], "code", [*path, "fields"])
    asked: set[str] = set()
    counted_by: dict[str, str] = {}
    for position, field in enumerate(form["fields"]):
        here: Path = [*path, "fields", position]
        dimension = field.get("dimension")
        if field["choice"] == "yesno" and dimension is not None:
            raise _invalid(
                [*here, "dimension"], t("a yes/no field has no dimension; remove it or make the field single or multiple.")
            )
        if field["choice"] != "yesno":
            if dimension is None:
                raise _invalid([*here, "dimension"], t("a single or multiple choice field needs a dimension."))
            if dimension not in options:
                raise _invalid([*here, "dimension"], t("there is no dimension {code} in the catalogue.", code=dimension))
            if dimension in asked:
                raise _invalid([*here, "dimension"], t("the form already has a field for the dimension {code}.", code=dimension))
            asked.add(dimension)
        for slot, code in enumerate(field["increments"]):
            where: Path = [*here, "increments", slot]
            indicator = indicators.get(code)
            if indicator is None:
                raise _invalid(where, t("there is no indicator {code} in the catalogue.", code=code))
            if indicator.get("retired", False):
                raise _invalid(where, t("the indicator {code} is retired; a form may not count it.", code=code))
            if code in counted_by:
                raise _invalid(
                    where, t("the indicator {code} is already counted by the field {field}.", code=code, field=counted_by[code])
                )
            if dimension is not None and dimension not in indicator["dimensions"]:
                raise _invalid(
                    where, t("the indicator {indicator} has no dimension {dimension}.", indicator=code, dimension=dimension)
                )
            counted_by[code] = field["code"]

    for position, field in enumerate(form["fields"]):
        for slot, code in enumerate(field["increments"]):
            for dimension in indicators[code]["dimensions"]:
                if dimension not in asked:
                    raise _invalid(
                        [*path, "fields", position, "increments", slot],
                        t(
                            "the indicator {indicator} has the dimension {dimension}, but the form has no field for it.",
                            indicator=code,
                            dimension=dimension,
                        ),
                    )


def check_successor(current: Catalogue, candidate: Catalogue) -> None:
    """Refuse ``candidate`` as the next catalogue unless it is newer and keeps every code's meaning.

    A later version may add indicators, dimensions and options and retire them, but never
    remove one, nor change an indicator's kind or dimensions.
    """
    if candidate.version <= current.version:
        raise Conflict(
            t(
                "Catalogue version {candidate} is not newer than the version in use ({current}); nothing was changed.",
                candidate=candidate.version,
                current=current.version,
            )
        )
    new_dimensions = {dimension.code: dimension for dimension in candidate.dimensions}
    for dimension in current.dimensions:
        replacement = new_dimensions.get(dimension.code)
        if replacement is None:
            raise InvalidInput(
                t(
                    "Catalogue version {version} removes the dimension {code}; a code may be retired but never removed.",
                    version=candidate.version,
                    code=dimension.code,
                )
            )
        kept = {option.code for option in replacement.options}
        for option in dimension.options:
            if option.code not in kept:
                raise InvalidInput(
                    t(
                        "Catalogue version {version} removes the option {option} of {dimension}; an option may be retired but never removed.",
                        version=candidate.version,
                        option=option.code,
                        dimension=dimension.code,
                    )
                )
    new_indicators = {indicator.code: indicator for indicator in candidate.indicators}
    for indicator in current.indicators:
        replacement = new_indicators.get(indicator.code)
        if replacement is None:
            raise InvalidInput(
                t(
                    "Catalogue version {version} removes the indicator {code}; an indicator may be retired but never removed.",
                    version=candidate.version,
                    code=indicator.code,
                )
            )
        if replacement.kind != indicator.kind or replacement.dimension_codes != indicator.dimension_codes:
            raise InvalidInput(
                t(
                    "Catalogue version {version} changes what the indicator {code} counts; give the new meaning a new code.",
                    version=candidate.version,
                    code=indicator.code,
                )
            )
