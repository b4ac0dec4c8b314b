"""age v1 encryption to X25519 recipients, on pyrage (the Rust ``age`` crate, wheels everywhere).

Bundles are encrypted to the coordinator's recipient(s) and decrypt with the reference ``age``
tool and the coordinator's identity file (``caseworker keys export-identity``). Every failure of
the library becomes ``InvalidInput`` with a plain reason; no library exception escapes.

Before the library sees a file to decrypt, its header is checked in one pass, in this order:
the version line, then each line no longer than ``MAX_HEADER_LINE_BYTES``, at most
``MAX_HEADER_LINES`` lines and ``MAX_STANZAS`` recipient stanzas before the ``---`` line that
ends the header. The library's header parsing takes time quadratic in the header's size: one
bundle with thousands of stanzas, or one very long line, would hang the coordinator's import.
Caseworker writes one stanza per recipient (a coordinator profile names at most 8), so the
limits leave room for other age tools' extra stanzas.
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


VERSION_LINE = b"age-encryption.org/v1"
MAX_STANZAS = 32
MAX_HEADER_LINES = 256
MAX_HEADER_LINE_BYTES = 256


def check_header(data: bytes) -> None:
    """The header's limits, checked in one pass; ``InvalidInput`` with the reason otherwise."""
    if not data.startswith(VERSION_LINE + b"\n"):
        raise InvalidInput(t("the payload is not age-encrypted"))
    position, stanzas = len(VERSION_LINE) + 1, 0
    for _ in range(MAX_HEADER_LINES):
        end = data.find(b"\n", position, position + MAX_HEADER_LINE_BYTES + 1)
        if end < 0:
            raise InvalidInput(t("a line of the age header is longer than {limit} bytes, or the header does not end", limit=MAX_HEADER_LINE_BYTES))
        line = data[position:end]
        if line.startswith(b"---"):
            return
        if line.startswith(b"->"):
            stanzas += 1
            if stanzas > MAX_STANZAS:
                raise InvalidInput(t("the age header has more than {limit} recipient stanzas", limit=MAX_STANZAS))
        position = end + 1
    raise InvalidInput(t("the age header has more than {limit} lines", limit=MAX_HEADER_LINES))


def decrypt(data: bytes, identities: list[str]) -> bytes:
    """The plaintext, or ``InvalidInput``: not age, a header over the limits, damaged, or not
    for these identities."""
    check_header(data)
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
