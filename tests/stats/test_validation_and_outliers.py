"""Validation rules on a month's counts, and outlier hints against the previous year."""

from __future__ import annotations

from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.tally import cells_for_contact
from caseworker.stats.outliers import find_outliers, threshold
from caseworker.stats.validation import validate, violations


def test_counts_made_by_the_forms_pass_every_high_rule():
    catalogue = load_default_catalogue()
    values: dict[CellKey, int] = {}
    answers = {"age": "0-17", "status": "other_foreign", "source": "muhtar", "violence": ["digital"], "children": True}
    for cell in cells_for_contact(catalogue, "new_applicant", answers) * 3:
        values[cell] = values.get(cell, 0) + 1
    results = validate(catalogue, values)
    assert len(results) == len(catalogue.rules)
    assert [r for r in results if r.blocks_submission] == []


def test_a_broken_invariant_is_reported_first():
    catalogue = load_default_catalogue()
    values = {CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 2, CellKey.of("AWARENESS_EVENTS", {"event": "seminar"}): 3}
    problems = violations(validate(catalogue, values))
    assert problems[0].rule.importance == "high"
    assert any(p.rule.importance == "low" for p in problems)  # participants fewer than events


def test_threshold_needs_three_months_and_is_robust():
    assert threshold([4, 5]) is None
    assert threshold([10, 10, 10, 10]) == 10 + 10 ** 0.5 * 3
    assert threshold([0, 0, 0]) == 5


def test_outliers_flag_only_values_far_above_the_usual():
    cell = CellKey.of("SESSIONS", {"session": "social"})
    history = [{cell: v} for v in (8, 9, 10, 11, 12, 9, 10)]
    assert find_outliers({cell: 13}, history) == []
    hints = find_outliers({cell: 40}, history)
    assert [h.subject for h in hints] == ["SESSIONS", "SESSIONS[session=social]"]
    assert find_outliers({cell: 4}, [{cell: 0}] * 12) == []  # small numbers are never flagged


def test_months_without_figures_are_not_zeros():
    cell = CellKey.of("SESSIONS", {"session": "social"})
    assert find_outliers({cell: 40}, [None] * 10 + [{cell: 2}, {cell: 3}]) == []  # two months of figures
    hints = find_outliers({cell: 40}, [None] * 9 + [{cell: 2}, {}, {cell: 3}])  # {}: counted, nothing that month
    assert [(h.subject, h.typical) for h in hints] == [("SESSIONS", 2), ("SESSIONS[session=social]", 2)]
