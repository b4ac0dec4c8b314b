"""The bundle payload: canonical bytes and strict parsing."""

from __future__ import annotations

import json

import pytest

from caseworker.domain.counts import CellKey
from caseworker.errors import InvalidInput
from caseworker.sync.payload import MonthSnapshot, Payload, from_bytes, to_bytes

PAYLOAD = Payload(
    bundle_id="0" * 31 + "1", centre_id="konak-ab12", sequence=3, created_at="2026-11-02T10:00:00+00:00",
    catalogue_version=1, previous_hash="a" * 64,
    months=(
        MonthSnapshot("2026-10", "submitted", 1, {CellKey.of("NEW_APPLICANTS", {"age": "65+"}): 2, CellKey.of("WITH_CHILDREN"): 1}),
        MonthSnapshot("2026-09", "open", 1, {}),
    ),
)


def test_canonical_round_trip():
    data = to_bytes(PAYLOAD)
    assert data == to_bytes(from_bytes(data))
    assert json.loads(data)["months"][0]["period"] == "2026-09"  # sorted
    assert b" " not in data
    again = from_bytes(data)
    assert {m.period: m.values for m in again.months} == {m.period: m.values for m in PAYLOAD.months}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(format_version=2),
        lambda d: d.update(extra=1),
        lambda d: d.update(sequence=0),
        lambda d: d.update(centre_id="Konak Merkez"),
        lambda d: d["months"][1]["cells"][0].update(value=-1),
        lambda d: d["months"][1]["cells"][0].update(value=1.5),
        lambda d: d["months"][1].update(period="2026-13"),
        lambda d: d["months"].append(dict(d["months"][1])),
        lambda d: d["months"][1]["cells"].append(dict(d["months"][1]["cells"][0])),
        lambda d: d["months"][1]["cells"][0]["options"].update(note="free text is not allowed here"),
    ],
)
def test_schema_and_meaning_violations_are_refused(mutate):
    document = json.loads(to_bytes(PAYLOAD))
    mutate(document)
    with pytest.raises(InvalidInput):
        from_bytes(json.dumps(document).encode())


def test_not_json_is_refused():
    for data in (b"", b"\xff\xfe", b"[1, 2]", b'{"format": "caseworker-bundle"'):
        with pytest.raises(InvalidInput):
            from_bytes(data)
