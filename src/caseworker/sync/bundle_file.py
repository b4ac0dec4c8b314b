"""Caseworker's signed containers: a ZIP holding exactly one content member and its minisign
signature. A statistics bundle (``*.cwbundle``) holds ``payload.age`` and
``payload.age.minisig``; a coordinator's publication (``*.cwpub``) holds ``publication.json`` and
``publication.json.minisig``.

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
from dataclasses import dataclass

from caseworker.errors import InvalidInput
from caseworker.i18n import t

MAX_SIGNATURE_BYTES = 4096


@dataclass(frozen=True)
class Layout:
    """The members of one kind of container and the most each may hold."""

    content: str
    max_file_bytes: int
    max_content_bytes: int

    @property
    def signature(self) -> str:
        return f"{self.content}.minisig"

    def limit(self, name: str) -> int:
        return self.max_content_bytes if name == self.content else MAX_SIGNATURE_BYTES


BUNDLE = Layout("payload.age", 16 * 1024 * 1024, 16 * 1024 * 1024)
PUBLICATION = Layout("publication.json", 32 * 1024 * 1024, 32 * 1024 * 1024)
PAYLOAD, SIGNATURE = BUNDLE.content, BUNDLE.signature
MAX_BUNDLE_BYTES = BUNDLE.max_file_bytes
MAX_PAYLOAD_BYTES = BUNDLE.max_content_bytes

_EPOCH = (2020, 1, 1, 0, 0, 0)
# What the standard library's ZIP reader raises on hostile input (found by fuzzing, among others).
_ZIP_FAULTS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError, KeyError, struct.error, UnicodeDecodeError)


def pack(content: bytes, signature: bytes, layout: Layout = BUNDLE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in ((layout.content, content), (layout.signature, signature)):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def unpack(data: bytes, layout: Layout = BUNDLE) -> tuple[bytes, bytes]:
    """``(content, signature)``; ``InvalidInput`` with the reason otherwise."""
    if len(data) > layout.max_file_bytes:
        raise InvalidInput(t("the file is larger than allowed ({size} bytes)", size=len(data)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_FAULTS:
        raise InvalidInput(t("the file is not a complete ZIP archive")) from None
    expected = (layout.content, layout.signature)
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if sorted(names) != sorted(expected) or len(names) != len(set(names)):
            raise InvalidInput(t("the file must hold exactly {expected}, not: {names}", expected=" + ".join(expected), names=", ".join(names) or "—"))
        members = {}
        for info in infos:
            limit = layout.limit(info.filename)
            if info.flag_bits & 0x1:
                raise InvalidInput(t("the member {name} is encrypted by ZIP, which Caseworker never does", name=info.filename))
            if info.file_size > limit or info.compress_size > layout.max_file_bytes:
                raise InvalidInput(t("the member {name} is larger than allowed", name=info.filename))
            try:
                with archive.open(info) as member:
                    content = member.read(limit + 1)
            except _ZIP_FAULTS as error:
                raise InvalidInput(t("the member {name} cannot be read ({reason})", name=info.filename, reason=type(error).__name__)) from None
            if len(content) > limit:
                raise InvalidInput(t("the member {name} is larger than allowed", name=info.filename))
            members[info.filename] = content
    return members[layout.content], members[layout.signature]
