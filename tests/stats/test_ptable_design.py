"""The perturbation table's design: the shipped file can be regenerated, and every row keeps the
promises of the cell-key method (no small figures, bounded noise, unbiased, variance V inside)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.paths import resource
from caseworker.stats.ptable_design import (
    DEFAULTS,
    KEY_MODULUS,
    allowed_targets,
    build,
    dumps,
    integer_bounds,
    solve_b0,
    table_name,
)

SRC = Path(__file__).resolve().parents[2] / "src"
PROPERTY = settings(max_examples=300, deadline=None)
# (max_noise, variance, blocked): the shipped defaults and a few others, including ones where a
# row cannot be unbiased (D small next to js).
PARAMETERS = [(6, 1.5, 4), (3, 1.0, 2), (5, 2.5, 9), (4, 0.5, 0), (2, 0.75, 4), (8, 3.0, 1)]


def _noises(row):
    return [(j - row["value"], p) for j, p in row["probabilities"]]


def test_the_shipped_file_is_what_build_produces():
    shipped = resource("disclosure", "ptable.json").read_text(encoding="utf-8")
    document = build(6, 1.5, 4)
    assert shipped == dumps(document)
    assert json.loads(shipped) == document
    assert shipped.endswith("}\n") and "\n \"" in shipped  # indent=1, trailing newline


def test_the_module_writes_the_shipped_file():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run([sys.executable, "-m", "caseworker.stats.ptable_design"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == resource("disclosure", "ptable.json").read_text(encoding="utf-8")


def test_the_defaults_and_the_header():
    assert DEFAULTS == {"max_noise": 6, "variance": 1.5, "blocked": 4}
    document = build(6, 1.5, 4)
    assert document["name"] == "caseworker-ckm-D6-V150-js4" == table_name(6, 1.5, 4)
    assert document["key_modulus"] == KEY_MODULUS == 4294967296
    assert (document["max_noise"], document["variance"], document["blocked_up_to"]) == (6, 1.5, 4)
    assert document["interior_from"] == 4 + 6 + 1
    assert [row["value"] for row in document["rows"]] == list(range(12))
    assert table_name(3, 0.75, 2) == "caseworker-ckm-D3-V75-js2"


@pytest.mark.parametrize(("max_noise", "variance", "blocked"), PARAMETERS)
def test_every_row_keeps_the_promises(max_noise, variance, blocked):
    document = build(max_noise, variance, blocked)
    assert document["rows"][0]["targets"] == [[0, KEY_MODULUS]]
    assert document["rows"][0]["probabilities"] == [[0, 1.0]]
    for row in document["rows"]:
        i = row["value"]
        targets = [j for j, _ in row["targets"]]
        assert targets == [j for j, _ in row["probabilities"]]
        assert targets == sorted(set(targets))
        assert set(targets) <= set(allowed_targets(i, max_noise, blocked))
        assert all(j >= 0 and not 1 <= j <= blocked and abs(j - i) <= max_noise for j in targets)
        probabilities = [p for _, p in row["probabilities"]]
        assert all(0 < p <= 1 for p in probabilities)
        assert math.fsum(probabilities) == pytest.approx(1, abs=1e-9)
        noises = _noises(row)
        mean = math.fsum(e * p for e, p in noises)
        if min(e for e, _ in noises) < 0 < max(e for e, _ in noises):
            assert abs(mean) <= 1e-9
            assert abs(row["mean"]) <= 1e-9
        assert row["variance"] == pytest.approx(math.fsum((e - mean) ** 2 * p for e, p in noises), abs=1e-9)
        uppers = [u for _, u in row["targets"]]
        assert all(a < b for a, b in zip([0] + uppers, uppers))
        assert uppers[-1] == KEY_MODULUS
        for (lower, upper), p in zip(zip([0] + uppers, uppers), probabilities):
            assert abs((upper - lower) / KEY_MODULUS - p) <= 1e-9
    interior = document["rows"][-1]
    assert interior["value"] == document["interior_from"] == blocked + max_noise + 1
    assert [e for e, _ in _noises(interior)] == list(range(-max_noise, max_noise + 1))
    assert abs(interior["variance"] - variance) <= 1e-9
    assert abs(math.fsum(e * e * p for e, p in _noises(interior)) - variance) <= 1e-9
    symmetric = dict(_noises(interior))
    assert all(symmetric[e] == pytest.approx(symmetric[-e], abs=1e-12) for e in symmetric)


@pytest.mark.parametrize(("max_noise", "variance"), [(6, 1.5), (3, 1.0), (8, 3.0), (2, 3.5), (6, 20.0)])
def test_b0_gives_the_interior_variance(max_noise, variance):
    b0 = solve_b0(max_noise, variance)
    noises = range(-max_noise, max_noise + 1)
    weights = [math.exp(b0 * e * e) for e in noises]
    total = math.fsum(weights)
    assert abs(math.fsum(e * e * w for e, w in zip(noises, weights)) / total - variance) <= 1e-9
    # A variance above the uniform one needs a positive multiplier.
    assert (b0 < 0) == (variance < max_noise * (max_noise + 1) / 3)


def test_rows_beyond_the_stored_ones_would_repeat_the_interior_row():
    from caseworker.stats.ptable_design import row_probabilities

    b0 = solve_b0(6, 1.5)
    interior = [(j - 11, p) for j, p in row_probabilities(11, 6, 4, b0)]
    for value in (12, 13, 50, 1000):
        assert [(j - value, p) for j, p in row_probabilities(value, 6, 4, b0)] == interior


def test_rows_that_cannot_be_unbiased_are_documented_point_masses():
    # D = 2, js = 4: rows 1 and 2 can only go down to 0, rows 3 and 4 only up, row 5 only up or stay.
    document = build(2, 0.75, 4)
    rows = {row["value"]: row for row in document["rows"]}
    assert rows[1]["targets"] == [[0, KEY_MODULUS]]
    assert rows[2]["targets"] == [[0, KEY_MODULUS]]
    assert rows[3]["targets"] == [[5, KEY_MODULUS]]
    assert rows[4]["targets"] == [[5, KEY_MODULUS]]
    assert rows[5]["targets"] == [[5, KEY_MODULUS]]
    assert rows[1]["mean"] == -1 and rows[3]["mean"] == 2 and rows[5]["mean"] == 0
    assert len(rows[6]["targets"]) > 1 and abs(rows[6]["mean"]) <= 1e-9


@pytest.mark.parametrize(
    ("max_noise", "variance", "blocked", "match"),
    [
        (1, 0.5, 4, "no value can be published"),  # row 2: 1, 2, 3 are all blocked
        (0, 0.5, 4, "max_noise"),
        (True, 0.5, 4, "max_noise"),
        (6, 0.0, 4, "variance"),
        (6, 36.0, 4, "variance"),
        (6, float("nan"), 4, "variance"),
        (6, 1.234, 4, "multiple of 0.01"),
        (6, 1.5, -1, "blocked"),
        (6, 1.5, 2.0, "blocked"),
    ],
)
def test_impossible_parameters_are_refused(max_noise, variance, blocked, match):
    with pytest.raises(ValueError, match=match):
        build(max_noise, variance, blocked)


def test_integer_bounds_keep_every_target():
    uppers = integer_bounds([1e-15, 1 - 2e-15, 1e-15])
    assert uppers == [1, KEY_MODULUS - 1, KEY_MODULUS]
    assert integer_bounds([1.0]) == [KEY_MODULUS]
    assert integer_bounds([0.25, 0.25, 0.5]) == [KEY_MODULUS // 4, KEY_MODULUS // 2, KEY_MODULUS]
    with pytest.raises(ValueError):
        integer_bounds([])


@PROPERTY
@given(st.lists(st.floats(min_value=1e-300, max_value=1.0), min_size=1, max_size=30))
def test_integer_bounds_property(weights):
    total = math.fsum(weights)
    probabilities = [w / total for w in weights]
    uppers = integer_bounds(probabilities)
    assert uppers[-1] == KEY_MODULUS
    widths = [b - a for a, b in zip([0] + uppers, uppers)]
    assert all(w >= 1 for w in widths)
    assert all(abs(w / KEY_MODULUS - p) <= (len(probabilities) + 1) / KEY_MODULUS for w, p in zip(widths, probabilities))
