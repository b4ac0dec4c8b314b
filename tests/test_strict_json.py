"""The strict JSON reader: hostile documents are refused with a reason, never an exception
nobody foresaw, and quickly."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from caseworker import strict_json
from caseworker.errors import InvalidInput

LIMITS = strict_json.JsonLimits(max_bytes=16 * 1024 * 1024)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "deeper than 32"),
        ('{"a":' * 5_000 + "1" + "}" * 5_000, "deeper than 32"),
        ("[" * 8_000_000 + "]" * 8_000_000, "deeper than 32"),
        ('{"value": ' + "9" * 5_000 + "}", "longer than 40"),
        ('{"value": 1e' + "9" * 100 + "}", "longer than 40"),
        ('{"value": NaN}', "NaN"),
        ("[Infinity]", "Infinity"),
        (b"\xff\xfe{}", "UTF-8"),
        (b" " * (16 * 1024 * 1024 + 1), "larger than allowed"),
    ],
    ids=["deep arrays", "deep objects", "16 MiB of brackets", "5,000 digits", "huge exponent", "NaN", "Infinity", "not UTF-8", "too large"],
)
def test_hostile_documents_are_refused_with_a_reason_and_at_once(document, reason, english):
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=reason):
        strict_json.loads(document, LIMITS, "The document")
    assert time.monotonic() - started < 2


def test_within_the_limits_a_document_reads_as_json_does():
    document = {"a": [[[[1, 2.5, -3e5]]]], "text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ 12345678901234567890123456789012345678901234567890", "ok": None}
    text = json.dumps(document)
    assert strict_json.loads(text, LIMITS, "x") == document
    assert strict_json.loads(b"\xef\xbb\xbf" + text.encode(), LIMITS, "x") == document
    assert strict_json.loads("[" * 32 + "]" * 32, LIMITS, "x") is not None


def test_a_name_given_as_a_function_is_asked_for_only_to_refuse_a_document(english):
    asked: list[str] = []

    def name() -> str:
        asked.append("asked")
        return "The payload"

    assert strict_json.loads('{"a": [1]}', LIMITS, name) == {"a": [1]}
    assert asked == []
    with pytest.raises(InvalidInput) as refused:
        strict_json.loads("[" * 40 + "]" * 40, LIMITS, name)
    assert refused.value.message == "The payload nests arrays and objects deeper than 32 levels."
    assert asked == ["asked"]


def test_a_syntax_error_keeps_its_line_and_column():
    with pytest.raises(json.JSONDecodeError) as raised:
        strict_json.loads('{\n  "a": }', LIMITS, "x")
    assert raised.value.lineno == 2


@given(st.text(alphabet=st.sampled_from('"\\[]{}ab1 ,:çş\n'), max_size=60) | st.from_type(str))
def test_the_quick_way_round_strings_leaves_out_what_the_escape_aware_pattern_does(text):
    data = text.encode("utf-8", "surrogatepass")
    outside = strict_json._outside_strings(data)
    assert outside == strict_json._STRING.sub(b"", data)
    assert strict_json._brackets(outside) == bytes(byte for byte in outside if byte in b"[]{}")


@given(st.lists(st.sampled_from("[]{}"), max_size=80).map("".join), st.integers(0, 40))
def test_nesting_is_measured_as_counting_bracket_by_bracket_would(brackets, limit):
    levels = list(itertools.accumulate((1 if b in "[{" else -1 for b in brackets), initial=0))
    assume(min(levels) == 0)  # a bracket closed before it was opened: the parser refuses it
    depth = max(levels)
    assert strict_json._nests_deeper_than(brackets.encode(), limit) == (depth > limit)


def test_nesting_beyond_the_limit_between_pairs_is_found():
    shallow_then_deep = "[]" * 50 + "[[]" * 33 + "]" * 33
    assert strict_json._nests_deeper_than(shallow_then_deep.encode(), 32)
    assert not strict_json._nests_deeper_than(("[{}]" * 1000 + "[" * 32 + "]" * 32).encode(), 32)


def test_strings_holding_brackets_quotes_and_escapes_do_not_count_as_nesting(english):
    inner = '"[[[[\\"{{{{" ' * 40
    document = "[" + ", ".join(['"' + "[" * 40 + '"', '"\\\\"', '"\\"]]]"'] * 20) + "]"
    assert strict_json.loads(document, LIMITS, "the test") == json.loads(document)
    with pytest.raises(InvalidInput, match="deeper than 32"):
        strict_json.loads("[" * 33 + json.dumps(inner) + "]" * 33, LIMITS, "the test")
