"""The recovery key: 160 random bits a person copies onto paper, with a check group for typos.

Written as nine groups of four base32 letters and digits, e.g.
``K7QD-M2XA-...`` (nine groups); the last group is a checksum, so a mistyped key is told apart from a
wrong one. Reading is forgiving: case, spaces and dashes do not matter, and the digits
0, 1 and 8, which base32 does not use, are read as the letter base32 uses.
"""

from __future__ import annotations

import base64
import hashlib
import os

from caseworker.errors import InvalidInput
from caseworker.i18n import t

_RANDOM_BYTES = 20
_GROUP = 4
_CHECK_CHARS = 4
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def generate() -> str:
    return _format(base64.b32encode(os.urandom(_RANDOM_BYTES)).decode("ascii"))


def normalise(text: str) -> str:
    """The canonical form of a recovery key typed by a person; ``InvalidInput`` if it is not one."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t\n").translate(_LOOKALIKES)
    body, check = compact[:-_CHECK_CHARS], compact[-_CHECK_CHARS:]
    try:
        raw = base64.b32decode(body)
    except ValueError:
        raw = b""
    if len(raw) != _RANDOM_BYTES or check != _checksum(body):
        raise InvalidInput(
            t("This is not a valid recovery key: it must be 9 groups of 4 letters and digits, as printed when the store was made. Check for a typing mistake.")
        )
    return _format(body)


def _checksum(body: str) -> str:
    return base64.b32encode(hashlib.sha256(body.encode("ascii")).digest())[:_CHECK_CHARS].decode("ascii")


def _format(body: str) -> str:
    full = body + _checksum(body)
    return "-".join(full[i : i + _GROUP] for i in range(0, len(full), _GROUP))
