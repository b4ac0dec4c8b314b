"""The bundle container: exactly two members, strictly read, bombs refused before inflating."""

from __future__ import annotations

import io
import zipfile

import pytest

from caseworker.errors import InvalidInput
from caseworker.sync import bundle_file


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_round_trip_and_deterministic():
    packed = bundle_file.pack(b"age-bytes", b"sig-bytes")
    assert bundle_file.pack(b"age-bytes", b"sig-bytes") == packed
    assert bundle_file.unpack(packed) == (b"age-bytes", b"sig-bytes")
    assert sorted(zipfile.ZipFile(io.BytesIO(packed)).namelist()) == ["payload.age", "payload.age.minisig"]


@pytest.mark.parametrize(
    "members",
    [
        [("payload.age", b"x")],
        [("payload.age", b"x"), ("payload.age.minisig", b"y"), ("extra.txt", b"z")],
        [("payload.age", b"x"), ("other.minisig", b"y")],
        [("dir/payload.age", b"x"), ("payload.age.minisig", b"y")],
    ],
)
def test_wrong_members_are_refused(members):
    with pytest.raises(InvalidInput):
        bundle_file.unpack(_zip(members))


def test_duplicate_member_names_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.age", b"x")
        with pytest.warns(UserWarning):
            archive.writestr("payload.age", b"x2")
        archive.writestr("payload.age.minisig", b"y")
    with pytest.raises(InvalidInput):
        bundle_file.unpack(buffer.getvalue())


def test_truncated_and_garbage_files_are_refused():
    packed = bundle_file.pack(b"a" * 1000, b"s" * 100)
    for cut in (0, 10, len(packed) // 2, len(packed) - 1):
        with pytest.raises(InvalidInput):
            bundle_file.unpack(packed[:cut])
    with pytest.raises(InvalidInput):
        bundle_file.unpack(b"PK\x03\x04 not really")


def test_a_decompression_bomb_is_refused_without_inflating_it(english):
    bomb = _zip([("payload.age", b"\0" * (bundle_file.MAX_PAYLOAD_BYTES + 1)), ("payload.age.minisig", b"s")], zipfile.ZIP_DEFLATED)
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput) as caught:
        bundle_file.unpack(bomb)
    assert "larger" in str(caught.value)


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(InvalidInput):
        bundle_file.unpack(b"\0" * (bundle_file.MAX_BUNDLE_BYTES + 1))
