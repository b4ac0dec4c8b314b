"""Disclosure control: small counts are hidden and no hidden value can be worked out again."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.errors import InvalidInput
from caseworker.stats.disclosure import (
    SUPPRESSION_SYMBOL,
    ProtectedTable,
    Suppressed,
    Table,
    feasible_ranges,
    protect,
    unprotected,
)

PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_table(values, sensitive=True, **layout) -> Table:
    values = [list(row) for row in values]
    return Table([f"r{i}" for i in range(len(values))], [f"c{j}" for j in range(len(values[0]))], values, sensitive, **layout)


def hand_made(table: Table, hidden: set[tuple[int, int]], k: int = 5) -> ProtectedTable:
    """A published table with exactly the ``hidden`` positions suppressed."""
    def entry(position):
        if position in hidden:
            return Suppressed(primary=False)
        return table.value(position) if table.is_published(position) else None

    grid = tuple(tuple(entry((r, c)) for c in range(table.n_cols + 1)) for r in range(table.n_rows + 1))
    return ProtectedTable(table.row_labels, table.column_labels, k, grid)


def brute_force_ranges(table: Table, protected: ProtectedTable) -> dict[tuple[int, int], tuple[int, int]]:
    """Try every whole-number filling of the hidden cells (each from 1 to the smallest shown total
    it is part of) and keep those that fit everything shown."""
    n_rows, n_cols = table.n_rows, table.n_cols
    hidden = sorted(protected.suppressed)
    hidden_cells = [p for p in hidden if p[0] < n_rows and p[1] < n_cols]
    shown = {(r, c): e for r, row in enumerate(protected.grid) for c, e in enumerate(row) if isinstance(e, int)}
    def bound(r, c):
        return min(shown[p] for p in ((r, n_cols), (n_rows, c), (n_rows, n_cols)) if p in shown)
    values = [list(row) for row in table.values]

    def value(position):
        r, c = position
        rows = range(n_rows) if r == n_rows else (r,)
        cols = range(n_cols) if c == n_cols else (c,)
        return sum(values[i][j] for i in rows for j in cols)

    found: dict[tuple[int, int], list[int]] = {p: [] for p in hidden}
    for filling in itertools.product(*(range(1, bound(*p) + 1) for p in hidden_cells)):
        for (r, c), v in zip(hidden_cells, filling, strict=True):
            values[r][c] = v
        if all(value(p) == v for p, v in shown.items()) and all(value(p) >= 1 for p in hidden):
            for p in hidden:
                found[p].append(value(p))
    return {p: (min(v), max(v)) for p, v in found.items()}


small_value = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 15))


@st.composite
def tables(draw, max_rows: int = 6, max_cols: int = 6, values=small_value) -> Table:
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    grid = draw(st.lists(st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))
    sensitive = draw(st.one_of(st.just(True), st.lists(st.booleans(), min_size=n_rows, max_size=n_rows).map(tuple)))
    layout = st.sampled_from([None, None, True, False])
    return make_table(grid, sensitive, row_totals=draw(layout), column_totals=draw(layout), grand_total=draw(layout))


def check_protected(table: Table, k: int, protected: ProtectedTable) -> None:
    ranges = feasible_ranges(protected)
    for position in table.positions():
        entry = protected.entry(*position)
        value = table.value(position)
        if not table.is_published(position):
            assert entry is None
        elif isinstance(entry, Suppressed):
            assert value >= 1, "zeros are never hidden"
            low, high = ranges[position]
            assert low <= value <= high
            assert high > low, f"{position} can be worked out: {ranges[position]}"
            small = table.is_sensitive(position) and value < k
            assert entry.primary == small
            if entry.primary:
                assert high >= k, f"{position} is pinned below k: {ranges[position]}"
        else:
            assert entry == value
            assert not (table.is_sensitive(position) and 1 <= value < k), f"small sensitive value shown at {position}"
    assert unprotected(protected, ranges) == []


# --- the audit, on tables whose answer is known ----------------------------------------------

def test_one_hidden_cell_in_a_row_is_pinned_by_its_total():
    table = make_table([[3, 8, 12], [6, 9, 11]])
    protected = hand_made(table, {(0, 0)})
    assert feasible_ranges(protected) == {(0, 0): (3, 3)}
    assert unprotected(protected) == [(0, 0)]


def test_four_hidden_cells_in_a_rectangle_move_together():
    table = make_table([[2, 5, 4], [7, 3, 4], [1, 1, 1]])
    rectangle = {(0, 0), (0, 1), (1, 0), (1, 1)}
    ranges = feasible_ranges(hand_made(table, rectangle))
    # a + t, b - t, c - t, d + t with every hidden value at least 1
    (a, b), (c, d) = table.values[0][:2], table.values[1][:2]
    up, down = min(b, c) - 1, min(a, d) - 1
    assert ranges[(0, 0)] == (a - down, a + up)
    assert ranges[(1, 1)] == (d - down, d + up)
    assert ranges[(0, 1)] == (b - up, b + down)
    assert ranges[(1, 0)] == (c - up, c + down)


def test_a_cell_hidden_with_all_its_totals_has_no_upper_bound():
    table = make_table([[2, 5], [7, 3]])
    protected = hand_made(table, {(0, 0), (0, 2), (2, 0), (2, 2)})
    low, high = feasible_ranges(protected)[(0, 0)]
    assert low == 1 and high == float("inf")


def test_a_table_that_does_not_add_up_is_refused():
    table = make_table([[2, 5], [7, 3]])
    good = hand_made(table, {(0, 0), (0, 1)})
    broken_grid = tuple(tuple(9 if (r, c) == (1, 0) else e for c, e in enumerate(row)) for r, row in enumerate(good.grid))
    with pytest.raises(InvalidInput):
        feasible_ranges(ProtectedTable(good.row_labels, good.column_labels, 5, broken_grid))


@st.composite
def hidden_patterns(draw):
    table = draw(tables(max_rows=3, max_cols=4, values=st.integers(0, 3)))
    table = make_table(table.values, row_totals=draw(st.booleans()), column_totals=draw(st.booleans()), grand_total=True)
    nonzero_cells = [p for p in table.positions() if p[0] < table.n_rows and p[1] < table.n_cols and table.value(p) > 0]
    nonzero_totals = [p for p in table.positions() if p not in nonzero_cells and p != (table.n_rows, table.n_cols)
                      and table.is_published(p) and table.value(p) > 0 and (p[0] == table.n_rows or p[1] == table.n_cols)]
    cells = draw(st.lists(st.sampled_from(nonzero_cells), max_size=3, unique=True)) if nonzero_cells else []
    totals = draw(st.lists(st.sampled_from(nonzero_totals), max_size=2, unique=True)) if nonzero_totals else []
    return table, set(cells) | set(totals)


@PROPERTY
@given(hidden_patterns())
def test_the_audit_finds_exactly_the_ranges_that_brute_force_finds(case):
    table, hidden = case
    protected = hand_made(table, hidden)
    assert feasible_ranges(protected) == brute_force_ranges(table, protected)


# --- protect ----------------------------------------------------------------------------------

@PROPERTY
@given(tables(), st.integers(1, 7))
def test_protected_tables_hide_every_small_count_and_no_hidden_value_can_be_recovered(table, k):
    check_protected(table, k, protect(table, k))


@settings(max_examples=150, deadline=None)
@given(tables(max_rows=12, max_cols=9, values=st.one_of(st.just(0), st.integers(1, 4))), st.integers(2, 6))
def test_larger_sparse_tables_full_of_small_values(table, k):
    check_protected(table, k, protect(table, k))


@PROPERTY
@given(st.lists(small_value, min_size=1, max_size=12), st.integers(2, 7), st.booleans())
def test_one_dimensional_tables_with_their_total(values, k, as_column):
    table = make_table([[v] for v in values] if as_column else [values])
    protected = protect(table, k)
    check_protected(table, k, protected)
    assert (protected.row_totals is None) == as_column or len(values) == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(2, 6), st.data())
def test_tables_where_every_value_is_small(n_rows, n_cols, k, data):
    grid = data.draw(st.lists(st.lists(st.integers(1, k - 1), min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows))
    table = make_table(grid)
    protected = protect(table, k)
    check_protected(table, k, protected)
    assert all(isinstance(e, Suppressed) for row in protected.cells for e in row)


@PROPERTY
@given(tables(), st.integers(1, 7))
def test_tables_of_activity_counts_are_published_unchanged(table, k):
    table = make_table(table.values, False, row_totals=table.row_totals, column_totals=table.column_totals, grand_total=table.grand_total)
    protected = protect(table, k)
    assert protected.suppressed == {}
    assert protected.footnote() is None
    for position in table.positions():
        assert protected.entry(*position) == (table.value(position) if table.is_published(position) else None)


@settings(max_examples=50, deadline=None)
@given(tables(), st.integers(2, 7))
def test_protect_is_deterministic(table, k):
    assert protect(table, k) == protect(table, k)


def test_small_activity_counts_stay_shown_beside_protected_person_counts():
    table = make_table([[2, 9, 14], [1, 3, 2]], sensitive=(True, False))
    protected = protect(table, 5)
    check_protected(table, 5, protected)
    assert isinstance(protected.entry(0, 0), Suppressed) and protected.entry(0, 0).primary
    assert not any(isinstance(e, Suppressed) and e.primary for e in protected.grid[1])


def test_the_cheapest_complement_is_hidden_and_zeros_stay_shown():
    table = make_table([[1, 0, 6, 40]])
    protected = protect(table, 5)
    check_protected(table, 5, protected)
    # the 6 can fall by 5 (to 1), enough for the 1 to reach 5; the 40 and the 0 stay shown
    assert set(protected.suppressed) == {(0, 0), (0, 2)}
    assert protected.entry(0, 1) == 0 and protected.entry(0, 3) == 40


def test_a_complement_too_small_to_reach_k_is_not_enough():
    table = make_table([[1, 3, 40]])
    protected = protect(table, 5)
    check_protected(table, 5, protected)
    # the 1 and the 3 are both primary; together (sum 4) neither could reach 5, so 40 is hidden too
    assert set(protected.suppressed) == {(0, 0), (0, 1), (0, 2)}


def test_a_primary_that_can_only_fall_is_given_room_to_rise_to_k():
    # The 4 can fall (the 2 rises), but a 4 that cannot rise is known to be below 5.
    table = make_table([[0, 2, 0, 4], [0, 4, 0, 1]], sensitive=(True, False))
    protected = protect(table, 5)
    check_protected(table, 5, protected)
    assert feasible_ranges(protected)[(0, 3)][1] >= 5


def test_a_small_total_of_women_is_hidden_itself():
    table = make_table([[1, 2, 0], [20, 30, 40], [15, 25, 35]])
    protected = protect(table, 5)
    check_protected(table, 5, protected)
    assert protected.row_totals is not None and protected.row_totals[0] == Suppressed(primary=True)


def test_a_large_sparse_table_is_protected_quickly():
    rng = random.Random(20261)
    grid = [[rng.choice([0, 0, 0, rng.randint(1, 4), rng.randint(0, 30)]) for _ in range(15)] for _ in range(35)]
    table = make_table(grid)
    started = time.perf_counter()
    protected = protect(table, 5)
    ranges = feasible_ranges(protected)
    assert time.perf_counter() - started < 5
    assert len(ranges) > 50
    check_protected(table, 5, protected)


# --- rendering --------------------------------------------------------------------------------

def test_hidden_values_print_as_one_symbol_whatever_their_kind():
    protected = protect(make_table([[1, 0, 6, 40], [9, 8, 7, 6]]), 5)
    texts = {protected.text(*p) for p in protected.suppressed}
    assert texts == {SUPPRESSION_SYMBOL}
    assert {s.primary for s in protected.suppressed.values()} == {True, False}


@pytest.mark.parametrize("k", [2, 5])
def test_the_footnote_names_the_threshold_in_both_languages(k):
    protected = protect(make_table([[1, 0, 6, 40]]), k)
    turkish, english = protected.footnote(), protected.footnote("en")
    assert SUPPRESSION_SYMBOL in turkish and SUPPRESSION_SYMBOL in english
    assert turkish != english
    if k > 2:
        assert str(k - 1) in english and str(k - 1) in turkish
    assert "gizlen" in turkish and "suppressed" in english


def test_the_footnote_follows_the_current_language(english):
    assert protect(make_table([[1, 0, 6, 40]]), 5).footnote().startswith("Values from 1 to 4")


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("values", [[[1, -2]], [[1, 2.5]], [[True, 2]], [[1, 2], [3]], []])
def test_malformed_tables_are_refused(values):
    with pytest.raises(InvalidInput):
        Table(["a"] * len(values), ["x", "y"], values)


def test_labels_and_sensitivity_flags_must_match_the_values():
    with pytest.raises(InvalidInput):
        Table(["a", "b"], ["x"], [[1]])
    with pytest.raises(InvalidInput):
        Table(["a"], ["x"], [[1]], sensitive=(True, False))


@pytest.mark.parametrize("k", [0, -3, 2.0, True])
def test_the_threshold_must_be_a_whole_number_of_at_least_one(k):
    with pytest.raises(InvalidInput):
        protect(make_table([[1, 2]]), k)
