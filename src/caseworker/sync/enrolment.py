"""Enrolment files: a centre's request to the coordinator, and the coordinator's profile.

Both are small JSON documents exchanged by USB stick or e-mail. Neither is secret, but neither
is trusted on arrival: each side reads the other's fingerprint aloud over the phone before
accepting (``--fingerprint`` on the command line). A fingerprint is 20 hexadecimal digits in
five groups (``3F2A-...``): the first 80 bits of SHA-256 over everything in the file that the
other side will trust — for a request the centre id, name, district and signing key; for a
profile the coordinator's name, signing key and age recipients. Reading it aloud authenticates
the centre (or coordinator), not just a key: a file that claims another id or name has another
fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from caseworker import strict_json
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.sync import agecrypt, minisign

REQUEST_FORMAT = "caseworker-enrolment-request"
PROFILE_FORMAT = "caseworker-coordinator-profile"
VERSION = 1
CENTRE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
ENROLMENT_JSON = strict_json.JsonLimits(max_bytes=64 * 1024, max_depth=4)


def fingerprint_of(material: Any) -> str:
    digest = hashlib.sha256(json.dumps(material, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest().upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


def same_fingerprint(given: str, expected: str) -> bool:
    return re.sub(r"[^0-9A-F]", "", given.upper()) == expected.replace("-", "")


@dataclass(frozen=True)
class EnrolmentRequest:
    centre_id: str
    name: str
    district: str
    signing_public: str  # the minisign public key, base64 line

    @property
    def fingerprint(self) -> str:
        return fingerprint_of({"centre_id": self.centre_id, "name": self.name, "district": self.district, "signing_public": self.signing_public})

    def to_bytes(self) -> bytes:
        document = {"format": REQUEST_FORMAT, "version": VERSION, "centre_id": self.centre_id, "name": self.name,
                    "district": self.district, "signing_public_key": self.signing_public}
        return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class CoordinatorProfile:
    name: str
    age_recipients: tuple[str, ...]
    signing_public: str

    @property
    def fingerprint(self) -> str:
        return fingerprint_of({"name": self.name, "signing_public": self.signing_public, "age_recipients": list(self.age_recipients)})

    def to_bytes(self) -> bytes:
        document = {"format": PROFILE_FORMAT, "version": VERSION, "name": self.name,
                    "age_recipients": list(self.age_recipients), "signing_public_key": self.signing_public}
        return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _document(data: bytes, expected_format: str, keys: set[str]) -> dict[str, Any]:
    try:
        document = strict_json.loads(data, ENROLMENT_JSON, t("The file"))
    except json.JSONDecodeError:
        document = None
    if not isinstance(document, dict) or document.get("format") != expected_format or document.get("version") != VERSION or set(document) != keys:
        raise InvalidInput(
            t("This is not a Caseworker {kind} file, or it was made by another version.",
              kind=t("enrolment request") if expected_format == REQUEST_FORMAT else t("coordinator profile"))
        )
    return document


def _text(document: dict[str, Any], key: str, limit: int = 200) -> str:
    value = document[key]
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(t("The field {field} of the file is missing or too long.", field=key))
    return value.strip()


def parse_request(data: bytes) -> EnrolmentRequest:
    document = _document(data, REQUEST_FORMAT, {"format", "version", "centre_id", "name", "district", "signing_public_key"})
    centre_id = _text(document, "centre_id", 63)
    if not CENTRE_ID.match(centre_id):
        raise InvalidInput(t("The centre id {id} is not valid.", id=centre_id))
    signing = _text(document, "signing_public_key")
    minisign.PublicKey.from_base64(signing)
    district = document["district"] if isinstance(document["district"], str) else ""
    return EnrolmentRequest(centre_id, _text(document, "name"), district.strip(), signing)


def parse_profile(data: bytes) -> CoordinatorProfile:
    document = _document(data, PROFILE_FORMAT, {"format", "version", "name", "age_recipients", "signing_public_key"})
    recipients = document["age_recipients"]
    if not isinstance(recipients, list) or not 1 <= len(recipients) <= 8:
        raise InvalidInput(t("The coordinator profile names no age recipient."))
    for recipient in recipients:
        agecrypt.parse_recipient(recipient)
    signing = _text(document, "signing_public_key")
    minisign.PublicKey.from_base64(signing)
    return CoordinatorProfile(_text(document, "name"), tuple(recipients), signing)
