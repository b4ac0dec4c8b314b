"""The catalogue: the shipped default, its JSON schema and meaning checks, expressions, versions."""

from __future__ import annotations

import ast
import copy
import json
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import caseworker.domain
from caseworker.domain.catalogue import (
    GBVIMS_CORE_TYPES,
    Catalogue,
    check_successor,
    load_default_catalogue,
    parse_catalogue,
    parse_expression,
)
from caseworker.domain.counts import CellKey
from caseworker.errors import Conflict, InvalidInput, NotFound
from caseworker.i18n import placeholders, set_language

RESOURCES = resources.files("caseworker") / "resources"

# The contract of DESIGN.md ("Data"): indicator -> (dimension, options) or None.
DESIGN_INDICATORS = {
    "NEW_APPLICANTS": ("age", "0-17 18-24 25-34 35-44 45-54 55-64 65+ unknown"),
    "NEW_APPLICANTS_STATUS": ("status", "citizen temporary_protection international_protection other_foreign"),
    "RETURNING_CLIENTS": ("age", "0-17 18-24 25-34 35-44 45-54 55-64 65+ unknown"),
    "VIOLENCE_TYPE": ("violence", "physical psychological economic sexual digital stalking forced_marriage other"),
    "PERPETRATOR": ("perpetrator", "spouse former_spouse partner former_partner family acquaintance stranger unknown"),
    "REFERRED_FROM": ("source", "self alo183 sonim police health ngo muhtar other_institution family_friends"),
    "REFERRED_TO": (
        "referral",
        "sonim shelter police legal_aid health social_services employment education childcare psychiatric other",
    ),
    "PROTECTIVE_ORDER_SUPPORT": None,
    "WITH_CHILDREN": None,
    "SESSIONS": ("session", "psychological social legal"),
    "AWARENESS_EVENTS": ("event", "seminar workshop training campaign"),
    "AWARENESS_PARTICIPANTS": ("sex", "women men not_stated"),
    "EMPOWERMENT_PARTICIPANTS": None,
}
NOT_SENSITIVE = {"SESSIONS", "AWARENESS_EVENTS", "AWARENESS_PARTICIPANTS"}


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("tr")


@pytest.fixture
def default_data() -> dict:
    return json.loads((RESOURCES / "catalogue" / "default.json").read_text(encoding="utf-8"))


def error_of(data) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_catalogue(data)
    return str(caught.value)


# ---------------------------------------------------------------------------- the default catalogue


def test_default_has_exactly_the_indicators_dimensions_and_options_of_the_design():
    catalogue = load_default_catalogue()
    assert [indicator.code for indicator in catalogue.indicators] == list(DESIGN_INDICATORS)
    for indicator in catalogue.indicators:
        expected = DESIGN_INDICATORS[indicator.code]
        if expected is None:
            assert indicator.dimensions == ()
        else:
            (dimension,) = indicator.dimensions
            assert dimension.code == expected[0]
            assert [option.code for option in dimension.options] == expected[1].split()
        assert not indicator.retired


def test_default_kinds_and_sensitivity():
    catalogue = load_default_catalogue()
    for indicator in catalogue.indicators:
        assert indicator.sensitive == (indicator.code not in NOT_SENSITIVE), indicator.code
    assert catalogue.indicator("SESSIONS").kind == "sessions"
    assert catalogue.indicator("AWARENESS_EVENTS").kind == "events"
    assert catalogue.indicator("NEW_APPLICANTS").kind == "persons"
    assert catalogue.sharing.k == 5


def test_default_labels_in_both_languages(english):
    catalogue = load_default_catalogue()
    violence = catalogue.dimension("violence")
    assert violence.label("tr") == "Şiddet türü"
    assert [
        violence.option(code).label("tr")
        for code in ("physical", "psychological", "economic", "sexual", "digital", "stalking", "forced_marriage")
    ] == ["Fiziksel", "Psikolojik", "Ekonomik", "Cinsel", "Dijital", "Israrlı takip", "Zorla evlendirme"]
    assert [option.label("tr") for option in catalogue.dimension("status").options] == [
        "T.C. vatandaşı",
        "Geçici koruma",
        "Uluslararası koruma",
        "Diğer yabancı",
    ]
    source = catalogue.dimension("source")
    assert (source.option("alo183").label("tr"), source.option("sonim").label("tr"), source.option("muhtar").label("tr")) == (
        "ALO 183",
        "ŞÖNİM",
        "Muhtar",
    )
    new = catalogue.indicator("NEW_APPLICANTS")
    assert new.label("tr") == "Yeni başvuran kadınlar"
    assert new.label() == new.label("en") != new.label("tr")
    set_language("tr")
    assert new.label() == "Yeni başvuran kadınlar"


def test_every_label_is_filled_in_both_languages():
    catalogue = load_default_catalogue()
    things = [*catalogue.indicators, *catalogue.dimensions, *catalogue.rules, *catalogue.forms]
    things += [option for dimension in catalogue.dimensions for option in dimension.options]
    things += [field for form in catalogue.forms for field in form.fields]
    for thing in things:
        assert thing.labels.tr.strip() and thing.labels.en.strip(), thing


def test_default_gbvims_mappings():
    violence = load_default_catalogue().dimension("violence")
    mapped = {option.code: option.gbvims for option in violence.options if option.gbvims}
    assert mapped == {
        "physical": "physical_assault",
        "sexual": "sexual_assault",
        "economic": "denial_of_resources",
        "psychological": "psychological_abuse",
        "forced_marriage": "forced_marriage",
    }
    # Rape is a GBVIMS type of its own that the catalogue does not separate: the option says so.
    assert "GBVIMS" in violence.option("sexual").descriptions.en and "rape" in violence.option("sexual").descriptions.en


def test_default_tally_forms_follow_the_design():
    catalogue = load_default_catalogue()
    new = catalogue.form("new_applicant")
    shape = {f.code: (f.choice, f.dimension.code if f.dimension else None, f.required, f.increments) for f in new.fields}
    assert shape == {
        "age": ("single", "age", True, ("NEW_APPLICANTS",)),
        "status": ("single", "status", True, ("NEW_APPLICANTS_STATUS",)),
        "source": ("single", "source", True, ("REFERRED_FROM",)),
        "violence": ("multiple", "violence", False, ("VIOLENCE_TYPE",)),
        "perpetrator": ("multiple", "perpetrator", False, ("PERPETRATOR",)),
        "referral": ("multiple", "referral", False, ("REFERRED_TO",)),
        "protective_order": ("yesno", None, False, ("PROTECTIVE_ORDER_SUPPORT",)),
        "children": ("yesno", None, False, ("WITH_CHILDREN",)),
    }
    follow = catalogue.form("follow_up")
    assert {f.code: (f.choice, f.required, f.increments) for f in follow.fields} == {
        "age": ("single", True, ("RETURNING_CLIENTS",)),
        "session": ("single", True, ("SESSIONS",)),
    }


def test_default_rules():
    rules = {str(rule): rule.importance for rule in load_default_catalogue().rules}
    assert rules["NEW_APPLICANTS == NEW_APPLICANTS_STATUS"] == "high"
    assert rules["REFERRED_FROM == NEW_APPLICANTS"] == "high"
    assert rules["PROTECTIVE_ORDER_SUPPORT <= NEW_APPLICANTS"] == "high"
    assert rules["WITH_CHILDREN <= NEW_APPLICANTS"] == "high"
    assert rules["VIOLENCE_TYPE >= NEW_APPLICANTS"] == "medium"
    assert rules["AWARENESS_PARTICIPANTS >= AWARENESS_EVENTS"] == "low"


def test_default_file_validates_against_the_schema_on_its_own(default_data):
    schema = json.loads((RESOURCES / "schemas" / "catalogue.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(default_data)
    assert schema["$defs"]["gbvims"]["enum"] == list(GBVIMS_CORE_TYPES)


def test_default_file_is_in_canonical_form():
    text = (RESOURCES / "catalogue" / "default.json").read_text(encoding="utf-8")
    assert text == load_default_catalogue().to_json(indent=2) + "\n"


# ---------------------------------------------------------------------------- model


def test_json_round_trip_is_exact_and_stable():
    catalogue = load_default_catalogue()
    again = parse_catalogue(catalogue.to_json())
    assert again == catalogue
    assert again.to_json() == catalogue.to_json()
    assert "\n" not in catalogue.to_json() and "Şiddet" in catalogue.to_json()
    assert parse_catalogue(catalogue.to_json().encode("utf-8")) == catalogue


def test_cells_enumerate_option_combinations():
    catalogue = load_default_catalogue()
    cells = catalogue.cells("NEW_APPLICANTS")
    assert len(cells) == 8 and len(set(cells)) == 8
    assert cells[0] == CellKey("NEW_APPLICANTS", (("age", "0-17"),))
    assert catalogue.cells("WITH_CHILDREN") == [CellKey("WITH_CHILDREN")]
    assert catalogue.cells(catalogue.indicator("SESSIONS")) == [
        CellKey.of("SESSIONS", {"session": code}) for code in ("psychological", "social", "legal")
    ]


def test_cells_asked_for_again_are_the_same_in_a_list_of_their_own():
    catalogue = load_default_catalogue()
    first = catalogue.cells("VIOLENCE_TYPE")
    first.append(CellKey("WITH_CHILDREN"))  # a caller adds retired options to its own list
    again = catalogue.cells(catalogue.indicator("VIOLENCE_TYPE"))
    assert again == first[:-1] and again is not first
    assert again == parse_catalogue(catalogue.to_json()).cells("VIOLENCE_TYPE")
    assert len(catalogue.cells("VIOLENCE_TYPE", include_retired=True)) >= len(again)


def test_cells_of_several_dimensions_and_retired_options(default_data):
    default_data["indicators"].append(
        {
            "code": "AGE_BY_STATUS",
            "labels": {"tr": "Yaş ve statü", "en": "Age and status"},
            "kind": "persons",
            "sensitive": True,
            "dimensions": ["age", "status"],
        }
    )
    default_data["dimensions"][1]["options"][3]["retired"] = True
    catalogue = parse_catalogue(default_data)
    cells = catalogue.cells("AGE_BY_STATUS")
    assert len(cells) == 8 * 3 == len(set(cells))
    assert CellKey.of("AGE_BY_STATUS", {"status": "citizen", "age": "65+"}) in cells
    assert len(catalogue.cells("AGE_BY_STATUS", include_retired=True)) == 8 * 4
    assert catalogue.dimension("status").option("other_foreign").retired


def test_lookups_of_unknown_codes_say_what_exists(english):
    catalogue = load_default_catalogue()
    with pytest.raises(NotFound, match="NO_SUCH"):
        catalogue.indicator("NO_SUCH")
    with pytest.raises(NotFound, match="new_applicant, follow_up"):
        catalogue.form("intake")
    with pytest.raises(NotFound):
        catalogue.dimension("colour")


def test_cell_keys_are_canonical():
    a = CellKey.of("X", {"b": "1", "a": "2"})
    b = CellKey("X", (("a", "2"), ("b", "1")))
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    assert a.option("b") == "1" and a.option("c") is None
    assert a.to_json() == {"indicator": "X", "options": {"a": "2", "b": "1"}}
    assert str(a) == "X[a=2,b=1]"
    with pytest.raises(ValueError):
        CellKey("X", (("a", "1"), ("a", "2")))


# ---------------------------------------------------------------------------- expressions


def test_expression_grammar_and_values():
    expression = parse_expression("NEW_APPLICANTS[age=65+] + VIOLENCE_TYPE[violence=physical]+WITH_CHILDREN")
    assert [str(term) for term in expression.terms] == [
        "NEW_APPLICANTS[age=65+]",
        "VIOLENCE_TYPE[violence=physical]",
        "WITH_CHILDREN",
    ]
    counts = {
        CellKey.of("NEW_APPLICANTS", {"age": "65+"}): 2,
        CellKey.of("NEW_APPLICANTS", {"age": "18-24"}): 5,
        CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}): 3,
        CellKey.of("VIOLENCE_TYPE", {"violence": "economic"}): 7,
        CellKey("WITH_CHILDREN"): 11,
    }
    assert expression.value(counts) == 2 + 3 + 11
    assert parse_expression("NEW_APPLICANTS").value(counts) == 7
    assert parse_expression(str(expression)) == expression


@pytest.mark.parametrize(
    "text", ["", "new_applicants", "A +", "A[age]", "A[age=1", "A[[age=1]]", "A[age=1] B", "A - B", "A[age=1;sex=2]"]
)
def test_bad_expressions_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_expression(text)


def test_rules_hold_or_fail_on_counts():
    rule = next(rule for rule in load_default_catalogue().rules if str(rule) == "WITH_CHILDREN <= NEW_APPLICANTS")
    assert rule.holds({CellKey("WITH_CHILDREN"): 2, CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 2})
    assert not rule.holds({CellKey("WITH_CHILDREN"): 3, CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 2})


# ---------------------------------------------------------------------------- errors name the path


def test_unknown_dimension_of_an_indicator(default_data, english):
    default_data["indicators"][3]["dimensions"][0] = "colour"
    message = error_of(default_data)
    assert "indicators[3].dimensions[0]" in message and "colour" in message


def test_duplicate_option_code(default_data, english):
    default_data["dimensions"][2]["options"][2]["code"] = "physical"
    message = error_of(default_data)
    assert "dimensions[2].options[2].code" in message and "physical" in message


def test_duplicate_indicator_code(default_data):
    default_data["indicators"][5]["code"] = "NEW_APPLICANTS"
    assert "indicators[5].code" in error_of(default_data)


def test_missing_label_names_the_missing_field(default_data, english):
    del default_data["indicators"][0]["labels"]["en"]
    message = error_of(default_data)
    assert "indicators[0].labels.en" in message and "missing" in message


def test_unknown_field_is_named(default_data):
    default_data["forms"][1]["fields"][0]["colour"] = "red"
    assert "forms[1].fields[0].colour" in error_of(default_data)


def test_wrong_kind_lists_the_allowed(default_data, english):
    default_data["indicators"][1]["kind"] = "people"
    message = error_of(default_data)
    assert "indicators[1].kind" in message and "persons" in message


def test_option_code_that_breaks_the_grammar(default_data):
    default_data["dimensions"][0]["options"][1]["code"] = "a=b"
    assert "dimensions[0].options[1].code" in error_of(default_data)


def test_rule_with_unknown_indicator_or_option(default_data, english):
    broken = copy.deepcopy(default_data)
    broken["rules"][1]["right"] = "NEW_APPLICANT"
    assert "rules[1].right" in error_of(broken) and "NEW_APPLICANT" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["rules"][0]["left"] = "NEW_APPLICANTS[age=70+]"
    assert "rules[0].left" in error_of(broken) and "70+" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["rules"][0]["left"] = "NEW_APPLICANTS[status=citizen]"
    assert "status" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["rules"][2]["left"] = "PROTECTIVE_ORDER_SUPPORT -"
    assert "rules[2].left" in error_of(broken)


def test_retired_indicator_may_not_be_counted_by_a_form(default_data):
    default_data["indicators"][8]["retired"] = True  # WITH_CHILDREN
    default_data["rules"] = [rule for rule in default_data["rules"] if "WITH_CHILDREN" not in rule["left"]]
    assert "forms[0].fields[7].increments[0]" in error_of(default_data)


def test_form_checks(default_data):
    broken = copy.deepcopy(default_data)
    broken["forms"][0]["fields"][0]["dimension"] = "colour"
    assert "forms[0].fields[0].dimension" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["forms"][0]["fields"][6]["dimension"] = "age"
    assert "forms[0].fields[6].dimension" in error_of(broken)
    broken = copy.deepcopy(default_data)
    del broken["forms"][0]["fields"][1]["dimension"]
    assert "forms[0].fields[1].dimension" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["forms"][0]["fields"][1]["increments"] = ["NEW_APPLICANTS"]
    assert "forms[0].fields[1].increments[0]" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["forms"][1]["fields"][1]["increments"] = ["SESSIONS", "VIOLENCE_TYPE"]
    assert "forms[1].fields[1].increments[1]" in error_of(broken)
    broken = copy.deepcopy(default_data)
    broken["forms"][1]["fields"].append(
        {
            "code": "violence_now",
            "labels": {"tr": "Şiddet", "en": "Violence"},
            "choice": "yesno",
            "required": False,
            "increments": ["VIOLENCE_TYPE"],
        }
    )
    assert "forms[1].fields[2].increments[0]" in error_of(broken) and "violence" in error_of(broken)
    # A yes/no field may count an indicator with dimensions when the form asks for them.
    fine = copy.deepcopy(default_data)
    fine["forms"][0]["fields"][7]["increments"] = ["WITH_CHILDREN", "RETURNING_CLIENTS"]
    assert parse_catalogue(fine).form("new_applicant").field("children").increments == ("WITH_CHILDREN", "RETURNING_CLIENTS")


def test_not_json_and_impossible_dates(default_data):
    assert "line 1" in error_of('{"format": 1,') or "satır 1" in error_of('{"format": 1,')
    default_data["published"] = "2026-02-30"
    assert "published" in error_of(default_data)
    assert error_of([1, 2])


def test_translated_in_turkish(default_data):
    default_data["indicators"][3]["dimensions"][0] = "colour"
    message = error_of(default_data)
    assert "indicators[3].dimensions[0]" in message and "Katalog" in message


# ---------------------------------------------------------------------------- versions


def test_a_later_version_may_add_and_retire_but_not_remove(default_data):
    current = load_default_catalogue()
    newer = copy.deepcopy(default_data)
    newer["version"] = 2
    newer["dimensions"][2]["options"].append({"code": "honour", "labels": {"tr": "Namus adına", "en": "So-called honour"}})
    newer["dimensions"][2]["options"][4]["retired"] = True
    check_successor(current, parse_catalogue(newer))

    with pytest.raises(Conflict):
        check_successor(current, current)
    removed = copy.deepcopy(newer)
    del removed["dimensions"][2]["options"][0]
    with pytest.raises(InvalidInput):
        check_successor(current, parse_catalogue(removed))
    changed = copy.deepcopy(newer)
    changed["indicators"][2]["dimensions"] = ["status"]
    with pytest.raises(InvalidInput):
        check_successor(current, parse_catalogue(changed))


def test_catalogue_is_an_immutable_value():
    catalogue = load_default_catalogue()
    assert isinstance(catalogue, Catalogue) and catalogue.published == date(2026, 1, 1)
    with pytest.raises(AttributeError):
        catalogue.version = 2  # type: ignore[misc]


# ---------------------------------------------------------------------------- translations


def test_every_message_of_the_domain_is_translated():
    texts = json.loads((RESOURCES / "i18n" / "domain.json").read_text(encoding="utf-8"))
    field = json.loads((RESOURCES / "i18n" / "field.json").read_text(encoding="utf-8"))  # messages added for field use
    folder = Path(caseworker.domain.__file__).parent
    used = set()
    for name in ("periods", "text", "counts", "catalogue", "catalogue_checks", "expressions", "tally", "districts"):
        for node in ast.walk(ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and isinstance(node.args[0], ast.Constant):
                used.add(node.args[0].value)
    assert used and used - set(field) == set(texts)
    texts |= {msgid: field[msgid] for msgid in used & set(field)}
    for msgid in used:
        assert texts[msgid]["tr"].strip() and texts[msgid]["tr"] != msgid
        assert placeholders(texts[msgid]["tr"]) == placeholders(msgid), msgid
