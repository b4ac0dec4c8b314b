"""The cell-key method at run time: the shipped table loads, perturbs as its probabilities say,
never publishes a small figure, and a damaged table file is refused."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.counts import KeyedCount
from caseworker.paths import resource
from caseworker.stats.perturbation import (
    KEY_MODULUS,
    MAX_TABLE_BYTES,
    PerturbationTable,
    combine,
    load_table,
    new_record_key,
    parse_table,
)

PROPERTY = settings(max_examples=500, deadline=None)
KEYS = st.integers(min_value=0, max_value=KEY_MODULUS - 1)
N = 100_000


def _document() -> dict:
    return json.loads(resource("disclosure", "ptable.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def table() -> PerturbationTable:
    return load_table()


def _even_keys(n: int = N):
    return [(i * KEY_MODULUS) // n for i in range(n)]


def test_the_shipped_table(table):
    assert load_table() is table  # cached
    assert table.name == "caseworker-ckm-D6-V150-js4"
    assert (table.max_noise, table.variance, table.blocked_up_to, table.interior_from) == (6, 1.5, 4, 11)
    assert table.threshold == 5
    assert len(table.rows) == 12
    assert table.method() == {
        "name": "caseworker-ckm-D6-V150-js4",
        "max_noise": 6,
        "threshold": 5,
        "variance": 1.5,
        "zeros": "never perturbed",
        "blocked": [1, 4],
    }


def test_load_table_reads_a_path(tmp_path):
    path = tmp_path / "ptable.json"
    path.write_bytes(resource("disclosure", "ptable.json").read_bytes())
    assert load_table(path) == load_table()


def test_keys():
    keys = [new_record_key() for _ in range(50)]
    assert all(0 <= k < KEY_MODULUS for k in keys)
    assert len(set(keys)) > 1
    assert combine([]) == 0
    assert combine([KEY_MODULUS - 1, 1]) == 0
    assert combine([KEY_MODULUS - 1, KEY_MODULUS - 1]) == KEY_MODULUS - 2
    for bad in (-1, KEY_MODULUS, True, 1.0, "1"):
        with pytest.raises(ValueError):
            combine([bad])


@PROPERTY
@given(KEYS, KEYS, KEYS, st.lists(KEYS, max_size=20))
def test_combine_is_associative_and_order_free(a, b, c, more):
    assert combine([combine([a, b]), c]) == combine([a, combine([b, c])]) == (a + b + c) % KEY_MODULUS
    assert combine(more) == combine(reversed(more)) == combine([combine(more[:3]), combine(more[3:])])


def test_zeros_stay_zero(table):
    assert all(table.perturb(0, key) == 0 for key in [0, 1, KEY_MODULUS - 1] + _even_keys(1000))


def test_perturb_is_deterministic(table):
    for value in (1, 3, 5, 11, 12, 500):
        for key in (0, 12345, 2**31, KEY_MODULUS - 1):
            assert table.perturb(value, key) == table.perturb(value, key)


def test_perturb_follows_the_integer_bounds_exactly(table):
    for value in range(1, 12):
        lower = 0
        for target, upper in table.rows[value]:
            assert table.perturb(value, lower) == target
            assert table.perturb(value, upper - 1) == target
            lower = upper


@pytest.mark.parametrize("value", list(range(1, 12)) + [12, 40, 10_000])
def test_frequencies_match_the_probabilities(table, value):
    document = _document()
    row = document["rows"][min(value, document["interior_from"])]
    shift = value - row["value"]
    counts = Counter(table.perturb(value, key) for key in _even_keys())
    expected = {j + shift: p for j, p in row["probabilities"]}
    assert set(counts) <= set(expected)
    for target, probability in expected.items():
        assert abs(counts[target] / N - probability) <= 1 / N + 1e-9


@PROPERTY
@given(st.integers(min_value=0, max_value=10_000), KEYS)
def test_published_figures_are_never_small_and_close(table, value, key):
    published = table.perturb(value, key)
    assert not 1 <= published <= 4
    assert abs(published - value) <= 6
    assert published >= 0
    if value == 0:
        assert published == 0
    low, high = table.possible_originals(published)
    assert low <= value <= high


def test_possible_originals(table):
    assert table.possible_originals(0) == (0, 6)
    assert table.possible_originals(5) == (1, 11)
    assert table.possible_originals(6) == (1, 12)
    assert table.possible_originals(10) == (4, 16)
    assert table.possible_originals(1000) == (994, 1006)
    for published in (1, 2, 3, 4, -1, True):
        with pytest.raises(ValueError):
            table.possible_originals(published)


def test_possible_originals_agree_with_every_key(table):
    # The first key of each entry reaches every target a value can be published as.
    originals: dict[int, list[int]] = {}
    for value in range(0, 70):
        row = table.rows[min(value, table.interior_from)]
        for key in [0] + [upper for _, upper in row[:-1]]:
            originals.setdefault(table.perturb(value, key), []).append(value)
    for published in range(0, 60):
        if 1 <= published <= 4:
            assert published not in originals
        else:
            assert table.possible_originals(published) == (min(originals[published]), max(originals[published]))


@pytest.mark.parametrize(("value", "key"), [(-1, 0), (1, -1), (1, KEY_MODULUS), (True, 0), (1.0, 0), (1, 2.0), ("3", 0)])
def test_perturb_refuses_bad_arguments(table, value, key):
    with pytest.raises(ValueError):
        table.perturb(value, key)


def test_many_counts_perturbed_at_once_follow_the_same_bounds(table):
    counts, expected = [], []
    for value in [*range(0, 12), 12, 40, 10_000]:
        row, lower = table.rows[min(value, table.interior_from)], 0
        for target, upper in row:
            for key in (lower, upper - 1):
                counts.append(KeyedCount(value, key))
                expected.append(target if value < table.interior_from else value + target - table.interior_from)
            lower = upper
    assert table.perturb_all(counts) == expected
    assert table.perturb_all([]) == []


@pytest.mark.parametrize(("value", "key"), [(-1, 0), (1, -1), (1, KEY_MODULUS), (True, 0), (1.0, 0), (1, 2.0), ("3", 0)])
def test_one_bad_count_among_many_is_refused(table, value, key):
    with pytest.raises(ValueError):
        table.perturb_all([KeyedCount(3, 5), KeyedCount(value, key), KeyedCount(7, 1)])


def _row(document, value):
    return document["rows"][value]


def _blocked_target(document):
    row = _row(document, 7)
    row["targets"][0][0] = 4
    row["probabilities"][0][0] = 4


def _uppers_not_increasing(document):
    row = _row(document, 8)
    row["targets"][2][1], row["targets"][3][1] = row["targets"][3][1], row["targets"][2][1]


def _last_upper(document):
    _row(document, 9)["targets"][-1][1] = KEY_MODULUS - 1


def _zero_perturbed(document):
    row = _row(document, 0)
    row["targets"] = [[0, 100], [5, KEY_MODULUS]]
    row["probabilities"] = [[0, 100 / KEY_MODULUS], [5, 1 - 100 / KEY_MODULUS]]


def _too_far(document):
    row = _row(document, 11)
    row["targets"][-1][0] = 18
    row["probabilities"][-1][0] = 18


def _skipped_value(document):
    _row(document, 3)["value"] = 4


def _missing_row(document):
    document["rows"].pop()


def _wrong_interior(document):
    document["interior_from"] = 10


def _wrong_modulus(document):
    document["key_modulus"] = 2**31


def _extra_field(document):
    document["comment"] = "hello"


def _probability_disagrees(document):
    _row(document, 5)["probabilities"][1][1] = 0.5


def _targets_disagree(document):
    _row(document, 5)["probabilities"].pop()


def _negative_target(document):
    row = _row(document, 1)
    row["targets"][0][0] = -1
    row["probabilities"][0][0] = -1


def _upper_as_float(document):
    _row(document, 2)["targets"][0][1] = float(_row(document, 2)["targets"][0][1])


def _max_noise_bool(document):
    document["max_noise"] = True


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        (_blocked_target, "blocked range"),
        (_uppers_not_increasing, "strictly increasing"),
        (_last_upper, "last upper"),
        (_zero_perturbed, "zeros are never perturbed"),
        (_too_far, "max_noise"),
        (_skipped_value, "consecutive"),
        (_missing_row, "rows 0..11"),
        (_wrong_interior, "interior_from"),
        (_wrong_modulus, "key_modulus"),
        (_extra_field, "exactly the fields"),
        (_probability_disagrees, "does not match"),
        (_targets_disagree, "same targets"),
        (_negative_target, "negative"),
        (_upper_as_float, "pair of whole numbers"),
        (_max_noise_bool, "max_noise"),
    ],
)
def test_a_damaged_table_is_refused(tmp_path, damage, match):
    document = copy.deepcopy(_document())
    damage(document)
    path = tmp_path / "ptable.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        load_table(path)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b"[]", "exactly the fields"),
        (b'{"name": "a", "name": "b"}', "twice"),
        (b'{"variance": NaN}', "NaN"),
        (b" " * (MAX_TABLE_BYTES + 1), "larger"),
    ],
)
def test_a_file_that_is_no_table_is_refused(tmp_path: Path, data, match):
    with pytest.raises(ValueError, match=match):
        parse_table(data)
    path = tmp_path / "ptable.json"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=match):
        load_table(path)


def test_a_table_built_directly_is_checked(table):
    rows = list(table.rows)
    rows[3] = ((0, 10), (2, KEY_MODULUS))
    with pytest.raises(ValueError, match="blocked range"):
        PerturbationTable(table.name, table.max_noise, table.variance, table.blocked_up_to, table.interior_from, tuple(rows))
    with pytest.raises(ValueError, match="variance"):
        PerturbationTable(table.name, table.max_noise, -1.0, table.blocked_up_to, table.interior_from, table.rows)
