"""The publication container: signed by the coordinator, checked against the pinned key, readable
with the reference minisign tool."""

from __future__ import annotations

import subprocess
import zipfile
from io import BytesIO

import pytest

from caseworker.errors import InvalidInput
from caseworker.sync import bundle_file, minisign
from caseworker.sync.publications import Publication, looks_like_publication, open_publication, seal

CONTENT = '{"title": "İzmir Karşıyaka ŞÖNİM"}'.encode()


@pytest.fixture
def key() -> minisign.SigningKey:
    return minisign.generate_keypair()


def test_a_sealed_publication_opens_with_the_coordinators_key(key):
    data = seal(Publication("directory", 7, CONTENT), key)
    assert looks_like_publication(data) and not looks_like_publication(CONTENT)
    assert open_publication(data, key.public_key()) == Publication("directory", 7, CONTENT)


def test_the_reference_minisign_tool_verifies_a_publication(key, tmp_path):
    data = seal(Publication("catalogue", 2, CONTENT), key)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    (tmp_path / "coordinator.pub").write_text(key.public_key().to_minisign_text(), encoding="utf-8")
    result = subprocess.run(["minisign", "-V", "-p", str(tmp_path / "coordinator.pub"), "-m", str(tmp_path / "publication.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "caseworker-publication kind=catalogue serial=2" in result.stdout


def test_another_key_a_changed_byte_and_a_wrong_layout_are_refused(key, english):
    data = seal(Publication("catalogue", 2, CONTENT), key)
    with pytest.raises(InvalidInput, match="not signed by the coordinator"):
        open_publication(data, minisign.generate_keypair().public_key())
    original = "ŞÖNİM".encode()
    flipped = data.replace(original, b"SONIM".ljust(len(original), b" "))
    with pytest.raises(InvalidInput, match="cannot be read"):  # the ZIP's checksum no longer fits
        open_publication(flipped, key.public_key())
    _content, signature = bundle_file.unpack(data, bundle_file.PUBLICATION)
    forged = bundle_file.pack(CONTENT.replace(original, b"SONIM"), signature, bundle_file.PUBLICATION)
    with pytest.raises(InvalidInput, match="altered or forged"):
        open_publication(forged, key.public_key())
    bundle_shaped = bundle_file.pack(b"x", minisign.sign(key, b"x", "caseworker-publication kind=catalogue serial=2"))
    with pytest.raises(InvalidInput, match="publication.json"):
        open_publication(bundle_shaped, key.public_key())
    with pytest.raises(InvalidInput):
        open_publication(data[: len(data) // 2], key.public_key())


def test_a_signature_with_another_comment_is_not_a_publication(key, english):
    statistics_comment = "caseworker-bundle centre=konak-1a2b sequence=1 bundle=" + "0" * 32
    data = bundle_file.pack(CONTENT, minisign.sign(key, CONTENT, statistics_comment), bundle_file.PUBLICATION)
    with pytest.raises(InvalidInput, match="not a Caseworker publication"):
        open_publication(data, key.public_key())
