"""minisign-format signatures, checked both ways against the reference ``minisign`` tool."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.errors import InvalidInput
from caseworker.sync import minisign


def test_our_signature_verifies_with_the_reference_tool(tmp_path):
    key = minisign.generate_keypair()
    data = tmp_path / "payload.age"
    data.write_bytes(b"some bytes \x00\xff")
    (tmp_path / "payload.age.minisig").write_bytes(minisign.sign(key, data.read_bytes(), "caseworker-bundle centre=konak-1a2b sequence=7 bundle=x"))
    (tmp_path / "key.pub").write_text(key.public_key().to_minisign_text())
    result = subprocess.run(["minisign", "-V", "-p", str(tmp_path / "key.pub"), "-m", str(data)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Trusted comment: caseworker-bundle centre=konak-1a2b sequence=7 bundle=x" in result.stdout
    data.write_bytes(b"some bytes \x00\xfe")
    assert subprocess.run(["minisign", "-V", "-p", str(tmp_path / "key.pub"), "-m", str(data)], capture_output=True).returncode != 0


def test_the_reference_tools_signature_verifies_with_ours(tmp_path):
    subprocess.run(["minisign", "-G", "-W", "-p", str(tmp_path / "ref.pub"), "-s", str(tmp_path / "ref.key")], check=True, capture_output=True)
    data = tmp_path / "file.bin"
    data.write_bytes(b"coordinator catalogue")
    subprocess.run(["minisign", "-S", "-s", str(tmp_path / "ref.key"), "-m", str(data), "-t", "İzmir Karşıyaka ğüşıöç"], check=True, capture_output=True)
    public = minisign.PublicKey.from_minisign_text((tmp_path / "ref.pub").read_text())
    signature = (tmp_path / "file.bin.minisig").read_bytes()
    assert minisign.signature_key_id(signature) == public.key_id
    assert minisign.verify(public, data.read_bytes(), signature) == "İzmir Karşıyaka ğüşıöç"
    with pytest.raises(InvalidInput):
        minisign.verify(public, b"coordinator catalogue!", signature)


def test_tampering_is_caught(english):
    key = minisign.generate_keypair()
    signature = minisign.sign(key, b"data", "trusted")
    public = key.public_key()
    lines = signature.decode().split("\n")
    altered_comment = "\n".join([lines[0], lines[1], "trusted comment: trusted!", lines[3], ""]).encode()
    with pytest.raises(InvalidInput, match="trusted comment"):
        minisign.verify(public, b"data", altered_comment)
    with pytest.raises(InvalidInput):
        minisign.verify(minisign.generate_keypair().public_key(), b"data", signature)
    for broken in (signature[:-20], b"", signature.replace(b"untrusted", b"unrusted"), b"\xff" * 50):
        with pytest.raises(InvalidInput) as refused:
            minisign.verify(public, b"data", broken)
        assert refused.value.message == "the signature file is malformed"


def test_keys_round_trip():
    key = minisign.generate_keypair()
    assert minisign.SigningKey.from_bytes(key.to_bytes()) == key
    public = key.public_key()
    assert minisign.PublicKey.from_base64(public.to_base64()) == public
    assert minisign.PublicKey.from_minisign_text(public.to_minisign_text()) == public
    assert len(public.fingerprint()) == 24
    for bad in ("", "not base64!", "QUJD"):
        with pytest.raises(InvalidInput):
            minisign.PublicKey.from_base64(bad)


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000), comment=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_round_trip_property(data, comment):
    key = minisign.generate_keypair()
    assert minisign.verify(key.public_key(), data, minisign.sign(key, data, comment)) == comment
