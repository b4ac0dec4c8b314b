"""The fast reading of a format 2 payload never accepts what its schema refuses, and reads what
it accepts exactly as the schema-checked path does."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.paths import resource
from caseworker.sync import payload_check
from caseworker.sync.payload import Payload, from_bytes, to_bytes
from tests.sync.conftest import PAYLOAD

SCHEMA = jsonschema.Draft202012Validator(json.loads(resource("schemas", "bundle-payload-2.schema.json").read_text(encoding="utf-8")))
DOCUMENT = json.loads(to_bytes(PAYLOAD))


def _agrees(document: Any) -> None:
    """Read fast only what the schema accepts."""
    if payload_check.read_cells(document) is not None:
        assert SCHEMA.is_valid(document), document


def test_a_canonical_payload_is_read_fast_and_as_the_schema_path_reads_it():
    read = payload_check.read_cells(copy.deepcopy(DOCUMENT))
    assert read is not None
    assert read[2] == (PAYLOAD.months[0].counts, PAYLOAD.months[0].basis)  # 2026-10, the last in canonical order
    assert from_bytes(to_bytes(PAYLOAD)) == Payload(**{**PAYLOAD.__dict__, "months": tuple(sorted(PAYLOAD.months, key=lambda m: m.period))})


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format_version=2.0),  # the schema's integer; read by the schema path
        lambda d: d.update(format_version=True),
        lambda d: d.update(format="caseworker-bundle\n"),
        lambda d: d.update(centre_id="konak\n"),  # "$" lets a final line feed through the schema
        lambda d: d.update(sequence=2**31),
        lambda d: d.update(previous_hash="A" * 64),
        lambda d: d.update(months={}),
        lambda d: d.pop("previous_hash"),
        lambda d: d["months"][0].update(status="closed"),
        lambda d: d["months"][0].update(status=["open"]),
        lambda d: d["months"][0].update(catalogue_version=0),
        lambda d: d["months"][2]["cells"][0].update(value=True),
        lambda d: d["months"][2]["cells"][0].update(value=1_000_001),
        lambda d: d["months"][2]["cells"][0].update(key=2**32),
        lambda d: d["months"][2]["cells"][0].update(indicator=["NEW_APPLICANTS"]),
        lambda d: d["months"][2]["cells"][0].update(options=[["age", "65+"]]),
        lambda d: d["months"][2]["cells"][0].update(options={"age": 65}),
        lambda d: d["months"][2]["cells"][0].update(options={"Age": "65+"}),
        lambda d: d["months"][2]["cells"][0].update(options={f"d{i}": "x" for i in range(9)}),
        lambda d: d["months"][2]["cells"].append(dict(d["months"][2]["cells"][0])),  # a cell twice: the schema path names it
        lambda d: d["months"][2]["first_submitted"].append("cell"),
        lambda d: d["months"][1].update(first_submitted=None),
    ],
)
def test_documents_off_the_canonical_form_go_to_the_schema(mutate):
    document = copy.deepcopy(DOCUMENT)
    mutate(document)
    assert payload_check.read_cells(document) is None
    _agrees(document)


def test_a_form_refused_once_is_refused_again_and_a_form_accepted_once_is_remembered():
    bad = copy.deepcopy(DOCUMENT)
    bad["months"][2]["cells"][0]["options"] = {"age": "65 +"}
    assert payload_check.read_cells(bad) is None
    assert payload_check.read_cells(bad) is None
    assert payload_check.read_cells(copy.deepcopy(DOCUMENT)) is not None


_TEXT = st.one_of(st.sampled_from(["", "a", "A", "65+", "konak-ab12", "2026-10", "NEW_APPLICANTS", "age", "open", "x\n", "ğ"]), st.text(max_size=8))
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-3, 2**33), st.floats(allow_nan=False), _TEXT)
_VALUE = st.recursive(_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=6)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_mutation_is_read_fast_that_the_schema_refuses(data):
    document = copy.deepcopy(DOCUMENT)
    for _ in range(data.draw(st.integers(1, 3))):
        target: Any = document
        while isinstance(target, (dict, list)) and target and data.draw(st.booleans()):
            target = target[data.draw(st.sampled_from(sorted(target) if isinstance(target, dict) else range(len(target))))]
        if isinstance(target, dict):
            key = data.draw(st.one_of(st.sampled_from(sorted(target) or ["key"]), _TEXT))
            if data.draw(st.booleans()) and key in target:
                del target[key]
            else:
                target[key] = data.draw(_VALUE)
        elif isinstance(target, list):
            target.append(data.draw(_VALUE))
    _agrees(document)
