"""Recording contacts, undo, the month grid, CSV, and the month's status through the use cases."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import users
from caseworker.app.session import Credentials, unlock
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import Role
from caseworker.errors import Conflict, InvalidInput, PermissionDenied
from caseworker.storage import audit

OCTOBER = Period(2026, 10)


def _nonzero(values):
    return {cell: value for cell, value in values.items() if value}
ANSWERS = {
    "age": "25-34", "status": "citizen", "source": "alo183",
    "violence": ["physical", "economic"], "perpetrator": ["spouse"], "referral": ["legal_aid", "shelter"],
    "protective_order": True, "children": False,
}


def test_one_contact_adds_one_to_each_cell_of_the_form(centre):
    book = counts_uc.TallyBook(centre.session)
    contact = book.record(OCTOBER, "new_applicant", ANSWERS)
    values = counts_uc.month_counts(centre.session, OCTOBER).values
    assert values == {cell: 1 for cell in contact.cells}
    assert values[CellKey.of("VIOLENCE_TYPE", {"violence": "economic"})] == 1
    assert values[CellKey.of("PROTECTIVE_ORDER_SUPPORT")] == 1
    assert CellKey.of("WITH_CHILDREN") not in values


def test_nothing_about_the_contact_is_kept(centre):
    book = counts_uc.TallyBook(centre.session)
    book.record(OCTOBER, "new_applicant", ANSWERS)

    def rows_per_table():
        with centre.session.reading() as conn:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
            return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}

    before = rows_per_table()
    book.record(OCTOBER, "new_applicant", ANSWERS)  # the same cells again: no row may be added but the audit line
    after = rows_per_table()
    assert {table: after[table] - before[table] for table in after if after[table] != before[table]} == {"audit_log": 1}
    with centre.session.reading() as conn:
        entries = audit.latest(conn)
    recorded = [e for e in entries if e.action == "contact.record"]
    assert len(recorded) == 2 and {e.subject for e in recorded} == {"2026-10"}
    assert not any(word in (e.subject or "") for e in entries for word in ("physical", "spouse", "25-34", "shelter"))


def test_undo_takes_back_exactly_one_contact(centre):
    book = counts_uc.TallyBook(centre.session)
    first = book.record(OCTOBER, "new_applicant", ANSWERS)
    book.record(OCTOBER, "follow_up", {"age": "18-24", "session": ["psychological"]})
    book.undo()
    assert _nonzero(counts_uc.month_counts(centre.session, OCTOBER).values) == {cell: 1 for cell in first.cells}
    book.undo(first.number)
    assert set(counts_uc.month_counts(centre.session, OCTOBER).values.values()) == {0}
    with pytest.raises(Exception):
        book.undo()


def test_undo_is_memory_only(centre):
    counts_uc.TallyBook(centre.session).record(OCTOBER, "new_applicant", ANSWERS)
    with pytest.raises(Exception):
        counts_uc.TallyBook(centre.session).undo()


ANSWER_STRATEGY = st.fixed_dictionaries(
    {
        "age": st.sampled_from(["0-17", "18-24", "25-34", "65+", "unknown"]),
        "status": st.sampled_from(["citizen", "temporary_protection"]),
        "source": st.sampled_from(["self", "alo183", "police"]),
        "violence": st.lists(st.sampled_from(["physical", "psychological", "economic", "digital"]), unique=True, max_size=3),
        "referral": st.lists(st.sampled_from(["sonim", "shelter", "legal_aid"]), unique=True, max_size=2),
        "children": st.booleans(),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(ANSWER_STRATEGY, st.just("undo")), min_size=1, max_size=12))
def test_any_sequence_of_tallies_and_undos_leaves_the_sum_of_those_kept(centre, steps):
    period = Period(2025, 1)
    counts_uc.set_counts(centre.session, period, {cell: 0 for cell in counts_uc.month_counts(centre.session, period).values})
    book = counts_uc.TallyBook(centre.session)
    kept: list[counts_uc.RecordedContact] = []
    for step in steps:
        if step == "undo":
            if kept:
                assert book.undo() == kept.pop()
            continue
        kept.append(book.record(period, "new_applicant", step))
    expected = Counter(cell for contact in kept for cell in contact.cells)
    values = counts_uc.month_counts(centre.session, period).values
    assert {cell: v for cell, v in values.items() if v} == dict(expected)
    assert all(v >= 0 for v in values.values())


def test_bad_answers_change_nothing(centre):
    book = counts_uc.TallyBook(centre.session)
    for bad in ({**ANSWERS, "violence": ["physikal"]}, {**ANSWERS, "age": ["25-34", "35-44"]}, {"age": "25-34"}):
        with pytest.raises(InvalidInput):
            book.record(OCTOBER, "new_applicant", bad)
    assert counts_uc.month_counts(centre.session, OCTOBER).values == {}


def test_future_months_are_refused(centre):
    with pytest.raises(InvalidInput):
        counts_uc.TallyBook(centre.session).record(Period.current().next(), "new_applicant", ANSWERS)


def test_submit_locks_the_month_and_reopen_unlocks_it(centre):
    book = counts_uc.TallyBook(centre.session)
    book.record(OCTOBER, "new_applicant", ANSWERS)
    review = months_uc.submit(centre.session, OCTOBER)
    assert review.status == "submitted" and review.status_by == "ayse"
    for write in (
        lambda: book.record(OCTOBER, "new_applicant", ANSWERS),
        lambda: book.undo(),
        lambda: counts_uc.set_counts(centre.session, OCTOBER, {CellKey.of("WITH_CHILDREN"): 3}),
    ):
        with pytest.raises(Conflict) as caught:
            write()
        assert "Ay sayfasında yeniden" in str(caught.value)  # the window's place; the command apart
        assert caught.value.command == "caseworker month reopen 2026-10"
    with pytest.raises(InvalidInput):
        months_uc.reopen(centre.session, OCTOBER, "because I said so")
    assert months_uc.reopen(centre.session, OCTOBER, "correction").status == "reopened"
    book.record(OCTOBER, "new_applicant", ANSWERS)
    with centre.session.reading() as conn:
        actions = [e.action for e in audit.latest(conn)]
    assert "month.submit" in actions and "month.reopen" in actions


def test_caseworkers_record_but_cannot_submit_or_reopen(centre):
    users.add_user(centre.session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    with unlock(centre.home, Credentials("fatma", "mavi deniz kırmızı kapı")) as fatma:
        counts_uc.TallyBook(fatma).record(OCTOBER, "new_applicant", ANSWERS)
        with pytest.raises(PermissionDenied):
            months_uc.submit(fatma, OCTOBER)
        months_uc.submit(centre.session, OCTOBER)
        with pytest.raises(PermissionDenied):
            months_uc.reopen(fatma, OCTOBER, "correction")


def test_failing_high_importance_rule_blocks_submission(centre):
    counts_uc.set_counts(centre.session, OCTOBER, {CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 4})
    review = months_uc.review(centre.session, OCTOBER)
    assert review.blocking and all(r.rule.importance == "high" for r in review.blocking)
    with pytest.raises(Conflict):
        months_uc.submit(centre.session, OCTOBER)
    assert months_uc.review(centre.session, OCTOBER).status == "open"


def test_the_current_month_cannot_be_submitted_yet(centre):
    with pytest.raises(Conflict):
        months_uc.submit(centre.session, Period.current())


def test_outlier_hint_for_a_value_far_above_the_last_year(centre):
    cell = CellKey.of("SESSIONS", {"session": "legal"})
    for offset in range(1, 13):
        counts_uc.set_counts(centre.session, OCTOBER.plus(-offset), {cell: 10 + offset % 3})
    counts_uc.set_counts(centre.session, OCTOBER, {cell: 60})
    hints = months_uc.review(centre.session, OCTOBER).outliers
    assert {h.subject for h in hints} == {"SESSIONS", "SESSIONS[session=legal]"}
    counts_uc.set_counts(centre.session, OCTOBER, {cell: 13})
    assert months_uc.review(centre.session, OCTOBER).outliers == []


def test_csv_round_trip_and_refusal_of_a_bad_row(centre, tmp_path):
    book = counts_uc.TallyBook(centre.session)
    for _ in range(3):
        book.record(OCTOBER, "new_applicant", ANSWERS)
    exported = tmp_path / "ekim.csv"
    rows = counts_uc.export_csv(centre.session, [OCTOBER], exported)
    raw = exported.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and rows == len(counts_uc.month_counts(centre.session, OCTOBER).values)
    before = counts_uc.month_counts(centre.session, OCTOBER).values
    # Into another month of the same store: same figures.
    text = raw.decode("utf-8-sig").replace("2026-10", "2026-09")
    moved = tmp_path / "eylul.csv"
    moved.write_text(text, encoding="utf-8")
    assert counts_uc.import_csv(centre.session, moved) == {Period(2026, 9): rows}
    assert counts_uc.month_counts(centre.session, Period(2026, 9)).values == before
    # A bad row at line 4: nothing of the file is applied.
    lines = text.splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",7"
    lines[3] = lines[3].rsplit(",", 1)[0] + ",-2"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines).replace("2026-09", "2026-08"), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        counts_uc.import_csv(centre.session, bad)
    assert "4" in str(caught.value)
    assert counts_uc.month_counts(centre.session, Period(2026, 8)).values == {}
    # Counts are ASCII digits: not Arabic-Indic digits, underscores or exponents, which Python's int() takes.
    for value in ("٣", "1_000", "1e3", "5.0"):
        odd = tmp_path / "odd.csv"
        odd.write_text(text.splitlines()[0] + "\n" + text.splitlines()[1].rsplit(",", 1)[0].replace("2026-09", "2026-08") + "," + value + "\n", encoding="utf-8")
        with pytest.raises(InvalidInput):
            counts_uc.import_csv(centre.session, odd)
    assert counts_uc.month_counts(centre.session, Period(2026, 8)).values == {}
    # A field larger than the CSV reader takes is refused with a reason, not a crash.
    huge = tmp_path / "huge.csv"
    huge.write_text(text.splitlines()[0] + "\n2026-08,NEW_APPLICANTS,," + "1" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="CSV"):
        counts_uc.import_csv(centre.session, huge)


def test_catalogue_is_the_shipped_one_and_import_wants_a_newer_version(coordinator, tmp_path):
    catalogue = catalogue_uc.current(coordinator)
    assert catalogue.version >= 1 and catalogue.indicator("NEW_APPLICANTS")
    same = tmp_path / "same.json"
    same.write_text(catalogue.to_json(), encoding="utf-8")
    with pytest.raises(Conflict):
        catalogue_uc.import_file(coordinator, same)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1, "version": 9}', encoding="utf-8")
    with pytest.raises(InvalidInput):
        catalogue_uc.import_file(coordinator, broken)
    assert catalogue_uc.current(coordinator).version == catalogue.version
