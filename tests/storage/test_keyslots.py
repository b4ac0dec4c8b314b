"""Key slots: passphrase wrapping, binding to store and slot, strict parsing."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.errors import AuthenticationFailed, StoreDamaged
from caseworker.storage.keyslots import (
    KdfParams,
    create_slot,
    new_authority,
    open_secret,
    parse_slot,
    unwrap_database_keys,
    user_tag,
    wrap_database_key,
)

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)


@pytest.fixture(scope="module")
def slot_and_key():
    authority_private, _ = new_authority()
    key = os.urandom(32)
    slot = create_slot(
        store_id="store-a", slot_id="user-1", kind="user", user_tag=user_tag("store-a", "ayse"),
        passphrase="doğru parola İzmir", authority_private=authority_private, database_key=key, generation=0, kdf=FAST,
    )
    return slot, key, authority_private


def test_default_kdf_is_the_designed_argon2id():
    kdf = KdfParams()
    assert (kdf.memory_kib, kdf.iterations, kdf.lanes) == (65536, 3, 4)


def test_right_passphrase_unwraps_the_database_key(slot_and_key):
    slot, key, _ = slot_and_key
    reread = parse_slot(slot.to_bytes(), "slot")
    assert unwrap_database_keys(reread, open_secret(reread, "doğru parola İzmir")) == [(0, key)]


def test_passphrase_is_unicode_normalised(slot_and_key):
    slot, key, _ = slot_and_key
    decomposed = "dog\u0306ru parola I\u0307zmir"  # ğ and İ typed as base letter + combining mark
    assert unwrap_database_keys(slot, open_secret(slot, decomposed)) == [(0, key)]


def test_wrong_passphrase_fails(slot_and_key):
    slot, _, _ = slot_and_key
    with pytest.raises(AuthenticationFailed):
        open_secret(slot, "yanlış parola")


@pytest.mark.parametrize("field,value", [("store_id", "store-b"), ("slot_id", "user-2"), ("user_tag", "0" * 64), ("kind", "recovery")])
def test_header_is_bound_as_associated_data(slot_and_key, field, value):
    slot, _, _ = slot_and_key
    doc = json.loads(slot.to_bytes())
    doc[field] = value
    if field == "kind":
        doc["user_tag"] = None
    tampered = parse_slot(json.dumps(doc).encode(), "slot")
    with pytest.raises(AuthenticationFailed):
        open_secret(tampered, "doğru parola İzmir")


def test_wrapped_key_cannot_be_forged_without_the_authority_key(slot_and_key):
    slot, _, _ = slot_and_key
    attacker_authority, _ = new_authority()
    forged = wrap_database_key(slot, attacker_authority, os.urandom(32), 5)
    doc = json.loads(slot.to_bytes())
    doc["wrapped_keys"] = [{"generation": 5, "nonce": __import__("base64").b64encode(forged.nonce).decode(), "ciphertext": __import__("base64").b64encode(forged.ciphertext).decode()}]
    tampered = parse_slot(json.dumps(doc).encode(), "slot")
    with pytest.raises(StoreDamaged):
        unwrap_database_keys(tampered, open_secret(tampered, "doğru parola İzmir"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_mutated_slot_files_are_refused_cleanly(slot_and_key, data):
    slot, key, _ = slot_and_key
    raw = bytearray(slot.to_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_slot(bytes(raw), "slot")
        keys = unwrap_database_keys(parsed, open_secret(parsed, "doğru parola İzmir"))
    except (StoreDamaged, AuthenticationFailed):
        return
    assert keys == [(0, key)]  # a mutation that changed nothing meaningful (e.g. whitespace)


def _edited(slot, edit) -> bytes:
    document = json.loads(slot.to_bytes())
    edit(document)
    return json.dumps(document).encode().replace(b'"NESTED"', b"[" * 10_000 + b"]" * 10_000)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["kdf"].update(memory_kib=1024 * 1024),  # 1 GiB: unlocking would take minutes
        lambda d: d["kdf"].update(iterations=100),
        lambda d: d["kdf"].update(lanes=64, memory_kib=1024),  # less than 8 KiB per lane: the library refuses
        lambda d: d["kdf"].update(memory_kib=7),
        lambda d: d["kdf"].update(memory_kib=1e3),
        lambda d: d.update(secret="NESTED"),  # a nested slot file
    ],
    ids=["1 GiB", "100 passes", "64 lanes on 1 MiB", "7 KiB", "a float", "nested"],
)
def test_hostile_slot_parameters_are_refused_before_argon2_runs(slot_and_key, edit):
    import time

    slot, _, _ = slot_and_key
    started = time.monotonic()
    with pytest.raises(StoreDamaged):
        parsed = parse_slot(_edited(slot, edit), "slot")
        open_secret(parsed, "doğru parola İzmir")
    assert time.monotonic() - started < 1


def test_a_slot_file_of_deep_json_is_damaged_not_a_crash():
    with pytest.raises(StoreDamaged):
        parse_slot(b"[" * 100_000 + b"]" * 100_000, "slot")
