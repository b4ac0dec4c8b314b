"""The ``*.cwbundle`` container: a ZIP holding exactly ``payload.age`` and ``payload.age.minisig``.

Packing is deterministic (fixed member order and timestamps, stored, not compressed: the payload
is encrypted and would not shrink). Unpacking is strict and defensive, in this order: the file's
size, then the ZIP directory — exactly the two members, no folders, no duplicates, no
encryption, declared sizes within limits — then reading each member with a hard cap on the
bytes read, so that a decompression bomb is refused before it is inflated.
"""

from __future__ import annotations

import io
import struct
import zipfile

from caseworker.errors import InvalidInput
from caseworker.i18n import t

PAYLOAD = "payload.age"
SIGNATURE = "payload.age.minisig"
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
MAX_SIGNATURE_BYTES = 4096
_LIMITS = {PAYLOAD: MAX_PAYLOAD_BYTES, SIGNATURE: MAX_SIGNATURE_BYTES}
_EPOCH = (2020, 1, 1, 0, 0, 0)
# What the standard library's ZIP reader raises on hostile input (found by fuzzing, among others).
_ZIP_FAULTS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError, KeyError, struct.error, UnicodeDecodeError)


def pack(payload_age: bytes, signature: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in ((PAYLOAD, payload_age), (SIGNATURE, signature)):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def unpack(data: bytes) -> tuple[bytes, bytes]:
    """``(payload.age, payload.age.minisig)``; ``InvalidInput`` with the reason otherwise."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise InvalidInput(t("the file is larger than a bundle can be ({size} bytes)", size=len(data)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_FAULTS:
        raise InvalidInput(t("the file is not a bundle (not a complete ZIP archive)")) from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if sorted(names) != sorted(_LIMITS) or len(names) != len(set(names)):
            raise InvalidInput(t("the bundle must hold exactly payload.age and payload.age.minisig, not: {names}", names=", ".join(names) or "—"))
        members = {}
        for info in infos:
            limit = _LIMITS[info.filename]
            if info.flag_bits & 0x1:
                raise InvalidInput(t("the bundle member {name} is encrypted by ZIP, which bundles never are", name=info.filename))
            if info.file_size > limit or info.compress_size > MAX_BUNDLE_BYTES:
                raise InvalidInput(t("the bundle member {name} is larger than allowed", name=info.filename))
            try:
                with archive.open(info) as member:
                    content = member.read(limit + 1)
            except _ZIP_FAULTS as error:
                raise InvalidInput(t("the bundle member {name} cannot be read ({reason})", name=info.filename, reason=type(error).__name__)) from None
            if len(content) > limit:
                raise InvalidInput(t("the bundle member {name} is larger than allowed", name=info.filename))
            members[info.filename] = content
    return members[PAYLOAD], members[SIGNATURE]
