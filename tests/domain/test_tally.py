"""Tallying a contact: the cells one set of answers increments, strict checks, the CLI words."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.catalogue import load_default_catalogue, parse_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.tally import cells_for_contact, parse_cli_answers
from caseworker.errors import InvalidInput, NotFound
from caseworker.i18n import set_language

AGES = "0-17 18-24 25-34 35-44 45-54 55-64 65+ unknown".split()
STATUSES = "citizen temporary_protection international_protection other_foreign".split()
SOURCES = "self alo183 sonim police health ngo muhtar other_institution family_friends".split()
VIOLENCE = "physical psychological economic sexual digital stalking forced_marriage other".split()
PERPETRATORS = "spouse former_spouse partner former_partner family acquaintance stranger unknown".split()
REFERRALS = "sonim shelter police legal_aid health social_services employment education childcare psychiatric other".split()
SESSIONS = "psychological social legal".split()


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("tr")


@pytest.fixture
def catalogue():
    return load_default_catalogue()


def default_data() -> dict:
    text = (resources.files("caseworker") / "resources" / "catalogue" / "default.json").read_text(encoding="utf-8")
    return json.loads(text)


def new_applicant(**answers):
    base = {"age": "25-34", "status": "citizen", "source": "self"}
    base.update(answers)
    return base


def refused(catalogue, answers, form="new_applicant") -> str:
    with pytest.raises(InvalidInput) as caught:
        cells_for_contact(catalogue, form, answers)
    return str(caught.value)


def test_example_from_the_command_line(catalogue):
    form = catalogue.form("new_applicant")
    answers = parse_cli_answers(
        form,
        [
            "age=25-34",
            "status=citizen",
            "source=alo183",
            "violence=physical",
            "violence=economic",
            "children=yes",
            "protective_order=no",
        ],
    )
    assert answers == {
        "age": "25-34",
        "status": "citizen",
        "source": "alo183",
        "violence": ["physical", "economic"],
        "children": True,
        "protective_order": False,
    }
    assert cells_for_contact(catalogue, "new_applicant", answers) == [
        CellKey.of("NEW_APPLICANTS", {"age": "25-34"}),
        CellKey.of("NEW_APPLICANTS_STATUS", {"status": "citizen"}),
        CellKey.of("REFERRED_FROM", {"source": "alo183"}),
        CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}),
        CellKey.of("VIOLENCE_TYPE", {"violence": "economic"}),
        CellKey("WITH_CHILDREN"),
    ]


def test_turkish_yes_and_no_on_the_command_line(catalogue):
    form = catalogue.form("new_applicant")
    assert parse_cli_answers(form, ["children=EVET", "protective_order=Hayır"]) == {"children": True, "protective_order": False}


def test_follow_up(catalogue):
    assert cells_for_contact(catalogue, "follow_up", {"age": "65+", "session": "legal"}) == [
        CellKey.of("RETURNING_CLIENTS", {"age": "65+"}),
        CellKey.of("SESSIONS", {"session": "legal"}),
    ]


def test_unknown_form(catalogue):
    with pytest.raises(NotFound):
        cells_for_contact(catalogue, "intake", {})


def test_unknown_field_lists_the_fields(catalogue, english):
    message = refused(catalogue, new_applicant(colour="red"))
    assert "colour" in message and "violence" in message and "children" in message


def test_unknown_option_lists_the_valid_ones(catalogue, english):
    message = refused(catalogue, new_applicant(violence=["physical", "verbal"]))
    assert "verbal" in message and ", ".join(VIOLENCE) in message
    assert "status" in refused(catalogue, new_applicant(status="refugee"))


def test_missing_required_single_choice(catalogue, english):
    answers = new_applicant()
    del answers["status"]
    message = refused(catalogue, answers)
    assert "status" in message and "citizen" in message


def test_several_values_for_a_single_choice(catalogue, english):
    message = refused(catalogue, new_applicant(age=["25-34", "35-44"]))
    assert "age" in message and "25-34, 35-44" in message
    assert cells_for_contact(catalogue, "new_applicant", new_applicant(age=["35-44"]))[0] == CellKey.of(
        "NEW_APPLICANTS", {"age": "35-44"}
    )


def test_duplicate_multiple_choice_values(catalogue, english):
    message = refused(catalogue, new_applicant(referral=["shelter", "sonim", "shelter"]))
    assert "referral" in message and "shelter" in message


def test_yes_no_needs_a_boolean(catalogue, english):
    assert "children" in refused(catalogue, new_applicant(children="maybe"))
    with pytest.raises(InvalidInput, match="maybe"):
        parse_cli_answers(catalogue.form("new_applicant"), ["children=maybe"])
    with pytest.raises(InvalidInput):
        parse_cli_answers(catalogue.form("new_applicant"), ["children=yes", "children=no"])


def test_wrong_type_for_a_choice(catalogue, english):
    assert "violence" in refused(catalogue, new_applicant(violence=True))


def test_malformed_command_line_words(catalogue, english):
    form = catalogue.form("new_applicant")
    for word in ("age", "age=", "=25-34"):
        with pytest.raises(InvalidInput, match="FIELD=CODE"):
            parse_cli_answers(form, [word])
    with pytest.raises(InvalidInput, match="colour"):
        parse_cli_answers(form, ["colour=red"])


def test_repeated_single_field_on_the_command_line_is_refused(catalogue):
    answers = parse_cli_answers(catalogue.form("new_applicant"), ["age=25-34", "age=35-44", "status=citizen", "source=self"])
    with pytest.raises(InvalidInput):
        cells_for_contact(catalogue, "new_applicant", answers)


def test_retired_option_is_refused():
    data = default_data()
    violence = next(d for d in data["dimensions"] if d["code"] == "violence")
    next(o for o in violence["options"] if o["code"] == "digital")["retired"] = True
    catalogue = parse_catalogue(data)
    set_language("en")
    try:
        message = refused(catalogue, new_applicant(violence=["digital"]))
    finally:
        set_language("tr")
    assert "retired" in message and "digital" in message.split("from:")[0]
    assert "digital" not in message.split("from:")[1]


def test_required_yes_no_and_multiple_fields():
    data = default_data()
    fields = data["forms"][0]["fields"]
    next(f for f in fields if f["code"] == "children")["required"] = True
    next(f for f in fields if f["code"] == "violence")["required"] = True
    catalogue = parse_catalogue(data)
    assert "children" in refused(catalogue, new_applicant(violence=["physical"]))
    assert "violence" in refused(catalogue, new_applicant(children=False))
    assert cells_for_contact(catalogue, "new_applicant", new_applicant(violence="physical", children=False))[-1] == CellKey.of(
        "VIOLENCE_TYPE", {"violence": "physical"}
    )


def test_an_indicator_of_two_dimensions_gets_every_combination():
    data = default_data()
    data["indicators"].append(
        {
            "code": "VIOLENCE_BY_AGE",
            "labels": {"tr": "Yaşa göre şiddet", "en": "Violence by age"},
            "kind": "persons",
            "sensitive": True,
            "dimensions": ["age", "violence"],
        }
    )
    next(f for f in data["forms"][0]["fields"] if f["code"] == "violence")["increments"].append("VIOLENCE_BY_AGE")
    catalogue = parse_catalogue(data)
    cells = cells_for_contact(catalogue, "new_applicant", new_applicant(age="18-24", violence=["sexual", "physical"]))
    by_age = [cell for cell in cells if cell.indicator == "VIOLENCE_BY_AGE"]
    assert by_age == [
        CellKey.of("VIOLENCE_BY_AGE", {"age": "18-24", "violence": "physical"}),
        CellKey.of("VIOLENCE_BY_AGE", {"age": "18-24", "violence": "sexual"}),
    ]
    no_violence = cells_for_contact(catalogue, "new_applicant", new_applicant())
    assert not [cell for cell in no_violence if cell.indicator == "VIOLENCE_BY_AGE"]


# ---------------------------------------------------------------------------- properties

subsets = lambda codes: st.lists(st.sampled_from(codes), unique=True)  # noqa: E731

new_applicant_answers = st.fixed_dictionaries(
    {"age": st.sampled_from(AGES), "status": st.sampled_from(STATUSES), "source": st.sampled_from(SOURCES)},
    optional={
        "violence": subsets(VIOLENCE),
        "perpetrator": subsets(PERPETRATORS),
        "referral": subsets(REFERRALS),
        "protective_order": st.booleans(),
        "children": st.booleans(),
    },
)
follow_up_answers = st.fixed_dictionaries({"age": st.sampled_from(AGES), "session": st.sampled_from(SESSIONS)})


def expected_new_applicant_cells(answers) -> list[CellKey]:
    cells = [
        CellKey("NEW_APPLICANTS", (("age", answers["age"]),)),
        CellKey("NEW_APPLICANTS_STATUS", (("status", answers["status"]),)),
        CellKey("REFERRED_FROM", (("source", answers["source"]),)),
    ]
    cells += [CellKey("VIOLENCE_TYPE", (("violence", code),)) for code in answers.get("violence", [])]
    cells += [CellKey("PERPETRATOR", (("perpetrator", code),)) for code in answers.get("perpetrator", [])]
    cells += [CellKey("REFERRED_TO", (("referral", code),)) for code in answers.get("referral", [])]
    if answers.get("protective_order"):
        cells.append(CellKey("PROTECTIVE_ORDER_SUPPORT"))
    if answers.get("children"):
        cells.append(CellKey("WITH_CHILDREN"))
    return cells


@given(new_applicant_answers)
def test_a_new_applicant_increments_exactly_the_expected_cells_once(answers):
    cells = cells_for_contact(load_default_catalogue(), "new_applicant", answers)
    assert len(cells) == len(set(cells))
    assert set(cells) == set(expected_new_applicant_cells(answers))


@given(new_applicant_answers)
def test_command_line_words_give_the_same_cells(answers):
    catalogue = load_default_catalogue()
    words = []
    for field, value in answers.items():
        if isinstance(value, bool):
            words.append(f"{field}={'yes' if value else 'no'}")
        else:
            words += [f"{field}={code}" for code in ([value] if isinstance(value, str) else value)]
    parsed = parse_cli_answers(catalogue.form("new_applicant"), words)
    assert set(cells_for_contact(catalogue, "new_applicant", parsed)) == set(
        cells_for_contact(catalogue, "new_applicant", answers)
    )


@settings(max_examples=60)
@given(st.lists(new_applicant_answers, max_size=15), st.lists(follow_up_answers, max_size=15))
def test_the_high_importance_rules_are_invariants_of_the_forms(new_contacts, follow_ups):
    catalogue = load_default_catalogue()
    counts: Counter[CellKey] = Counter()
    for answers in new_contacts:
        counts.update(cells_for_contact(catalogue, "new_applicant", answers))
    for answers in follow_ups:
        counts.update(cells_for_contact(catalogue, "follow_up", answers))
    for rule in catalogue.rules:
        if rule.importance == "high":
            assert rule.holds(counts), str(rule)


def test_the_medium_violence_rule_is_only_a_plausibility_check(catalogue):
    # A woman may come without naming a form of violence: the form allows it, the rule flags it.
    counts = Counter(cells_for_contact(catalogue, "new_applicant", new_applicant()))
    rule = next(rule for rule in catalogue.rules if str(rule) == "VIOLENCE_TYPE >= NEW_APPLICANTS")
    assert rule.importance == "medium"
    assert not rule.holds(counts)
