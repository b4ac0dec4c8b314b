"""age v1 encryption to X25519 recipients, on pyrage (the Rust ``age`` crate, wheels everywhere).

Bundles are encrypted to the coordinator's recipient(s) and decrypt with the reference ``age``
tool and the coordinator's identity file (``caseworker keys export-identity``). Every failure of
the library becomes ``InvalidInput`` with a plain reason; no library exception escapes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyrage

from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.storage.atomic import write_atomic


def generate_identity() -> tuple[str, str]:
    """A new X25519 identity and its recipient: ``("AGE-SECRET-KEY-1...", "age1...")``."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def parse_recipient(text: object) -> pyrage.x25519.Recipient:
    if not isinstance(text, str) or not text.startswith("age1"):
        raise InvalidInput(t("{value} is not an age recipient (age1...).", value=str(text)[:80]))
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except pyrage.RecipientError:
        raise InvalidInput(t("{value} is not an age recipient (age1...).", value=text[:80])) from None


def parse_identity(text: str) -> pyrage.x25519.Identity:
    try:
        return pyrage.x25519.Identity.from_str(text.strip())
    except pyrage.IdentityError:
        raise InvalidInput(t("This is not an age identity (AGE-SECRET-KEY-1...).")) from None


def recipient_from_identity(identity: str) -> str:
    return str(parse_identity(identity).to_public())


def encrypt(data: bytes, recipients: list[str]) -> bytes:
    if not recipients:
        raise InvalidInput(t("There is no age recipient to encrypt to."))
    try:
        return pyrage.encrypt(data, [parse_recipient(r) for r in recipients])
    except pyrage.EncryptError as error:
        raise InvalidInput(t("Encryption failed: {reason}", reason=error)) from None


def decrypt(data: bytes, identities: list[str]) -> bytes:
    """The plaintext, or ``InvalidInput``: not age, damaged, or not for these identities."""
    if not data.startswith(b"age-encryption.org/v1\n"):
        raise InvalidInput(t("the payload is not age-encrypted"))
    try:
        return pyrage.decrypt(data, [parse_identity(i) for i in identities])
    except pyrage.DecryptError:
        raise InvalidInput(t("the payload cannot be decrypted: it is damaged or was not encrypted to this coordinator")) from None


def identity_file_text(identity: str, created: datetime | None = None) -> str:
    """A standard age identity file, as ``age-keygen`` writes one."""
    moment = (created or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    return f"# created: {moment}\n# public key: {recipient_from_identity(identity)}\n{identity}\n"


def write_identity_file(path: Path, identity: str) -> None:
    """Write the identity for the safe: atomically, readable by the owner only."""
    write_atomic(Path(path), identity_file_text(identity).encode("ascii"), mode=0o600)
