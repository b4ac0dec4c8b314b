"""What the coordinator publishes to every centre: the indicator catalogue and the shared
service directory, signed with the coordinator's minisign key.

A publication (``*.cwpub``) is a ZIP holding ``publication.json`` and
``publication.json.minisig``, the signature carrying the trusted comment
``caseworker-publication kind=KIND serial=N``. It is signed, not encrypted: nothing in it is
secret (a published directory holds no confidential address or phone). A centre applies one
only if it is signed by the coordinator key it pinned, and only if its serial is newer than the
last one of its kind it applied, so an old publication cannot be replayed. Anyone can check one
with ``unzip`` and ``minisign -Vm publication.json -P KEY``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.sync import bundle_file, minisign

KINDS = ("catalogue", "directory")
SUFFIX = ".cwpub"
COMMENT = re.compile(r"^caseworker-publication kind=(catalogue|directory) serial=([1-9][0-9]{0,9})$")


@dataclass(frozen=True)
class Publication:
    kind: str
    serial: int
    content: bytes


def trusted_comment(kind: str, serial: int) -> str:
    if kind not in KINDS or serial < 1:
        raise ValueError(f"no publication of kind {kind!r} and serial {serial}")
    return f"caseworker-publication kind={kind} serial={serial}"


def seal(publication: Publication, signing_key: minisign.SigningKey) -> bytes:
    signature = minisign.sign(signing_key, publication.content, trusted_comment(publication.kind, publication.serial),
                              untrusted_comment="Caseworker publication of the coordinator")
    return bundle_file.pack(publication.content, signature, bundle_file.PUBLICATION)


def looks_like_publication(data: bytes) -> bool:
    """Whether ``data`` is meant to be a publication (a ZIP), as opposed to a plain JSON file."""
    return data[:4] == b"PK\x03\x04"


def open_publication(data: bytes, coordinator_key: minisign.PublicKey) -> Publication:
    """The publication, if it is intact and signed by ``coordinator_key``; ``InvalidInput`` otherwise."""
    content, signature = bundle_file.unpack(data, bundle_file.PUBLICATION)
    if minisign.signature_key_id(signature) != coordinator_key.key_id:
        raise InvalidInput(t("it is not signed by the coordinator whose keys this store pinned"))
    match = COMMENT.match(minisign.verify(coordinator_key, content, signature))
    if match is None:
        raise InvalidInput(t("the signature's trusted comment is not a Caseworker publication comment"))
    return Publication(match.group(1), int(match.group(2)), content)
