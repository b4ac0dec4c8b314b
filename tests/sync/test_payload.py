"""The bundle payload: canonical bytes, cell keys, first-submitted figures, strict parsing, and
bundles of format 1 (made before cell keys) still read."""

from __future__ import annotations

import json

import pytest

from caseworker.domain.counts import KeyedCount
from caseworker.errors import InvalidInput
from caseworker.sync.payload import from_bytes, to_bytes
from tests.sync.conftest import CHILDREN, OLDER, PAYLOAD



def test_canonical_round_trip_keeps_keys_and_first_submitted_figures():
    data = to_bytes(PAYLOAD)
    assert data == to_bytes(from_bytes(data))
    document = json.loads(data)
    assert document["format_version"] == 2
    assert [m["period"] for m in document["months"]] == ["2026-08", "2026-09", "2026-10"]  # sorted
    assert b" " not in data
    again = {m.period: m for m in from_bytes(data).months}
    assert again["2026-10"].counts == {OLDER: KeyedCount(2, 77), CHILDREN: KeyedCount(1, 4_000_000_000)}
    assert again["2026-10"].basis == {OLDER: KeyedCount(1, 12)}
    assert again["2026-09"].basis == again["2026-09"].counts  # unchanged since submitted: not written twice
    assert "first_submitted" not in document["months"][1]
    assert again["2026-08"].basis is None and again["2026-08"].keyed


def test_a_bundle_of_format_1_is_read_without_keys():
    document = {
        "format": "caseworker-bundle", "format_version": 1, "bundle_id": "1" * 32, "centre_id": "konak-ab12", "sequence": 1,
        "created_at": "2026-11-02T10:00:00+00:00", "catalogue_version": 1, "previous_hash": None,
        "months": [{"period": "2026-10", "status": "submitted", "catalogue_version": 1,
                    "cells": [{"indicator": "NEW_APPLICANTS", "options": {"age": "65+"}, "value": 2},
                              {"indicator": "WITH_CHILDREN", "options": {}, "value": 0}]}],
    }
    month = from_bytes(json.dumps(document).encode()).months[0]
    assert not month.keyed
    assert month.values == {OLDER: 2}
    assert month.basis == month.counts


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format_version=3),
        lambda d: d.update(format_version=True),
        lambda d: d.update(extra=1),
        lambda d: d.update(sequence=0),
        lambda d: d.update(centre_id="Konak Merkez"),
        lambda d: d["months"][1]["cells"][0].update(value=-1),
        lambda d: d["months"][1]["cells"][0].update(value=0),
        lambda d: d["months"][1]["cells"][0].update(value=1.5),
        lambda d: d["months"][1]["cells"][0].update(key=-1),
        lambda d: d["months"][1]["cells"][0].update(key=2**32),
        lambda d: d["months"][1]["cells"][0].pop("key"),
        lambda d: d["months"][1].update(period="2026-13"),
        lambda d: d["months"].append(dict(d["months"][1])),
        lambda d: d["months"][1]["cells"].append(dict(d["months"][1]["cells"][0])),
        lambda d: d["months"][2]["first_submitted"].append(dict(d["months"][2]["first_submitted"][0])),
        lambda d: d["months"][0].update(first_submitted=d["months"][1]["cells"]),  # never submitted
        lambda d: d["months"][1]["cells"][0]["options"].update(note="free text is not allowed here"),
    ],
)
def test_schema_and_meaning_violations_are_refused(mutate):
    document = json.loads(to_bytes(PAYLOAD))
    mutate(document)
    with pytest.raises(InvalidInput):
        from_bytes(json.dumps(document).encode())


def test_a_payload_beyond_the_readers_limits_is_named_in_the_reason(english):
    with pytest.raises(InvalidInput) as refused:
        from_bytes(b"[" * 100 + b"]" * 100)
    assert refused.value.message.startswith("the payload nests arrays and objects deeper than")


def test_not_json_is_refused():
    for data in (b"", b"\xff\xfe", b"[1, 2]", b'{"format": "caseworker-bundle"'):
        with pytest.raises(InvalidInput):
            from_bytes(data)
