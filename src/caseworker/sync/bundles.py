"""Sealing a payload into a bundle (centre) and opening one, check by check (coordinator).

A bundle: ``payload.age`` (the canonical JSON payload, age v1, X25519 recipients of the
coordinator) and ``payload.age.minisig`` (the centre's minisign signature of ``payload.age``,
trusted comment ``caseworker-bundle centre=ID sequence=N bundle=UUID``), zipped. Anyone with
the keys can check one with ``unzip``, ``minisign -V`` and ``age -d``.

Opening follows the order of the design, and stops at the first failure with its reason: size,
strict ZIP, signature by a known key (the caller says whether it is enrolled and unrevoked),
trusted comment, decryption, strict schema, the payload's centre equals the signer's.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.sync import agecrypt, bundle_file, minisign
from caseworker.sync.payload import Payload, from_bytes, to_bytes

COMMENT = re.compile(r"^caseworker-bundle centre=([a-z0-9][a-z0-9-]{1,62}) sequence=([1-9][0-9]{0,9}) bundle=([0-9a-f]{32})$")


def trusted_comment(payload: Payload) -> str:
    return f"caseworker-bundle centre={payload.centre_id} sequence={payload.sequence} bundle={payload.bundle_id}"


def seal(payload: Payload, signing_key: minisign.SigningKey, recipients: list[str]) -> tuple[bytes, str]:
    """The bundle file's bytes and the SHA-256 of its ``payload.age`` (the next bundle's ``previous_hash``)."""
    encrypted = agecrypt.encrypt(to_bytes(payload), recipients)
    signature = minisign.sign(signing_key, encrypted, trusted_comment(payload), untrusted_comment="Caseworker statistics bundle")
    return bundle_file.pack(encrypted, signature), hashlib.sha256(encrypted).hexdigest()


@dataclass(frozen=True)
class Signer:
    """What the coordinator knows of the key that signed: whose it is and whether it still counts."""

    centre_id: str
    public_key: minisign.PublicKey
    revoked: bool


@dataclass(frozen=True)
class OpenedBundle:
    payload: Payload
    payload_hash: str
    key_id: bytes  # of the key that signed it


def open_bundle(data: bytes, find_signer: Callable[[bytes], Signer | None], identities: list[str]) -> OpenedBundle:
    """Every check of the design in order; ``InvalidInput`` with the reason at the first failure."""
    encrypted, signature = bundle_file.unpack(data)
    key_id = minisign.signature_key_id(signature)
    signer = find_signer(key_id)
    if signer is None:
        raise InvalidInput(t("signed by a key no enrolled centre has (key id {key_id})", key_id=key_id.hex().upper()))
    comment = minisign.verify(signer.public_key, encrypted, signature)
    if signer.revoked:
        raise InvalidInput(t("signed with a revoked key of centre {centre}", centre=signer.centre_id))
    match = COMMENT.match(comment)
    if not match:
        raise InvalidInput(t("the signature's trusted comment is not a Caseworker bundle comment"))
    if match.group(1) != signer.centre_id:
        raise InvalidInput(t("the trusted comment names centre {named}, but the key belongs to {centre}", named=match.group(1), centre=signer.centre_id))
    payload = from_bytes(agecrypt.decrypt(encrypted, identities))
    if payload.centre_id != signer.centre_id:
        raise InvalidInput(t("the payload is for centre {named}, but it was signed by {centre}", named=payload.centre_id, centre=signer.centre_id))
    if (str(payload.sequence), payload.bundle_id) != (match.group(2), match.group(3)):
        raise InvalidInput(t("the trusted comment and the payload disagree on the sequence or bundle id"))
    return OpenedBundle(payload, hashlib.sha256(encrypted).hexdigest(), key_id)
