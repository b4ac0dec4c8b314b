"""age v1 encryption, checked both ways against the reference ``age`` tool."""

from __future__ import annotations

import subprocess

import pytest

from caseworker.errors import InvalidInput
from caseworker.sync import agecrypt


def test_ours_decrypts_with_the_reference_tool(tmp_path):
    identity, recipient = agecrypt.generate_identity()
    key_file = tmp_path / "identity.txt"
    agecrypt.write_identity_file(key_file, identity)
    assert key_file.stat().st_mode & 0o077 == 0
    assert f"# public key: {recipient}" in key_file.read_text()
    encrypted = tmp_path / "payload.age"
    encrypted.write_bytes(agecrypt.encrypt("Karşıyaka 2026-10".encode(), [recipient]))
    result = subprocess.run(["age", "-d", "-i", str(key_file), str(encrypted)], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Karşıyaka 2026-10"


def test_the_reference_tools_ciphertext_decrypts_with_ours(tmp_path):
    identity, recipient = agecrypt.generate_identity()
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"from the reference tool")
    subprocess.run(["age", "-r", recipient, "-o", str(tmp_path / "out.age"), str(plain)], check=True)
    assert agecrypt.decrypt((tmp_path / "out.age").read_bytes(), [identity]) == b"from the reference tool"


def test_wrong_identity_truncated_and_flipped_are_refused():
    identity, recipient = agecrypt.generate_identity()
    other, _ = agecrypt.generate_identity()
    encrypted = agecrypt.encrypt(b"x" * 500, [recipient])
    for data, identities in (
        (encrypted, [other]),
        (encrypted[: len(encrypted) // 2], [identity]),
        (encrypted[:-1] + bytes([encrypted[-1] ^ 1]), [identity]),
        (b"not age at all", [identity]),
    ):
        with pytest.raises(InvalidInput):
            agecrypt.decrypt(data, identities)


def test_bad_recipients_and_identities():
    for bad in ("age1xyz", "", "ssh-ed25519 AAAA", 42):
        with pytest.raises(InvalidInput):
            agecrypt.parse_recipient(bad)
    with pytest.raises(InvalidInput):
        agecrypt.recipient_from_identity("AGE-SECRET-KEY-1NOPE")


def _with_stanzas(encrypted: bytes, extra: bytes) -> bytes:
    """``encrypted`` with ``extra`` header lines inserted before its first recipient stanza."""
    version, rest = encrypted.split(b"\n", 1)
    return version + b"\n" + extra + rest


STANZA = b"-> X25519 " + b"A" * 43 + b"\n" + b"B" * 43 + b"\n"


@pytest.mark.parametrize(
    ("name", "extra", "reason"),
    [
        ("3,000 stanzas", STANZA * 3000, "recipient stanzas"),
        ("20,000 stanzas", STANZA * 20000, "recipient stanzas"),
        ("one very long line", b"-> X25519 " + b"A" * 2_000_000 + b"\n", "longer than"),
        ("a header that never ends", b"B" * 64 + b"\n" * 100_000, "lines"),
    ],
)
def test_a_header_over_the_limits_is_refused_at_once(name, extra, reason, english):
    import time

    identity, recipient = agecrypt.generate_identity()
    hostile = _with_stanzas(agecrypt.encrypt(b"payload", [recipient]), extra)
    started = time.monotonic()
    with pytest.raises(InvalidInput, match=reason):
        agecrypt.decrypt(hostile, [identity])
    assert time.monotonic() - started < 0.5, name


def test_headers_within_the_limits_still_decrypt():
    identities = [agecrypt.generate_identity() for _ in range(8)]
    encrypted = agecrypt.encrypt(b"payload", [recipient for _, recipient in identities])
    assert agecrypt.decrypt(encrypted, [identities[-1][0]]) == b"payload"
