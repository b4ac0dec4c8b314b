"""The recovery key a person copies onto paper."""

from __future__ import annotations

import re

import pytest

from caseworker.errors import InvalidInput
from caseworker.storage import recovery_key


def test_format_is_nine_groups_of_four():
    key = recovery_key.generate()
    assert re.fullmatch(r"([A-Z2-7]{4}-){8}[A-Z2-7]{4}", key)
    assert recovery_key.generate() != key


def test_reading_forgives_case_spaces_and_lookalike_digits():
    key = recovery_key.generate()
    typed = key.lower().replace("-", " ").replace("o", "0").replace("i", "1").replace("b", "8")
    assert recovery_key.normalise(typed) == key


def test_a_typo_is_detected():
    key = recovery_key.generate()
    position = 5
    wrong = key[:position] + ("A" if key[position] != "A" else "B") + key[position + 1 :]
    with pytest.raises(InvalidInput):
        recovery_key.normalise(wrong)
    with pytest.raises(InvalidInput):
        recovery_key.normalise(key[:-5])
