"""Key slots: the store's random 256-bit key, wrapped once per user and once for the recovery key.

Each slot is one JSON file in ``keyslots/``. It holds:

* a header: store id, slot id, kind (``user`` or ``recovery``), a tag that finds a user's slot
  from the name typed at unlock (a hash: user names themselves live only inside the encrypted
  database), Argon2id parameters and salt, and the slot's X25519 public key;
* ``secret``: the slot's X25519 private key and the store's *authority* public key, sealed with
  ChaCha20-Poly1305 under a key derived from the passphrase by Argon2id (64 MiB, 3 passes,
  4 lanes). The whole header is the associated data, so the store id and slot id are bound: a
  slot edited, or moved to another store, does not open.
* ``wrapped_keys``: the database key, sealed with a key agreed by X25519 between the slot and the
  store's authority key (whose private half is derived from the database key, see
  ``caseworker.storage.authority``), with the store id, slot id and key generation as
  associated data.

Why the second layer: removing a user rekeys the database, and the new key must reach every other
slot without knowing their passphrases. Anyone holding the database key (a supervisor, after
unlocking) can seal a new key to each slot's public key; nobody who never held a database key of
the store can forge a wrapped key, so a swapped slot cannot make a user write into a store an
attacker chose. docs/store.md says what a removed user can and cannot do.

While a rekey is under way a slot may carry two generations; unlocking tries the newest first.

Version 2 adds ``authority_links``: a removal gives the store a new authority key, which reaches a
slot without its passphrase as a link endorsed by the authority the slot trusted before
(``caseworker.storage.authority``). The secret's associated data is the header as version 1
wrote it, so a version 1 slot is converted to version 2 without its passphrase.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker import strict_json
from caseworker.errors import AuthenticationFailed, InvalidInput, StoreDamaged
from caseworker.i18n import t

FORMAT = "caseworker-keyslot"
VERSION = 2
VERSIONS = (1, 2)
SECRET_LAYOUT = 1  # the header version bound into the sealed secret, whatever the file's version
MAX_LINKS = 300  # one per removal since the slot was last sealed (years of removals); keeps a slot within SLOT_JSON's size
KEY_BYTES = 32
KINDS = ("user", "recovery")


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters; the defaults are the design's (64 MiB, t=3, p=4)."""

    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4
    salt: bytes = b""

    def with_new_salt(self) -> "KdfParams":
        return replace(self, salt=os.urandom(16))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
            "salt": _b64(self.salt),
        }


DEFAULT_KDF = KdfParams()
# What a slot file may ask of Argon2id, checked before the passphrase is tried: the header is
# only authenticated by the key Argon2id derives, so its parameters are read untrusted. Outside
# these, unlocking would hang (1 GiB, 100 passes) or the library would refuse (memory below
# 8 KiB per lane). The floor admits the fast parameters of the tests; the default is 64 MiB.
KDF_MEMORY_KIB = (1024, 256 * 1024)
KDF_ITERATIONS = (1, 10)
KDF_LANES = (1, 16)
SLOT_JSON = strict_json.JsonLimits(max_bytes=64 * 1024, max_depth=4, max_number_chars=12)


@dataclass(frozen=True)
class WrappedKey:
    generation: int
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class AuthorityLink:
    """A newer authority public key, sealed under the key the slot agrees with the one before."""

    generation: int
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class KeySlot:
    """One key-slot file, as read or about to be written."""

    store_id: str
    slot_id: str
    kind: str
    user_tag: str | None
    kdf: KdfParams
    public_key: bytes
    secret_nonce: bytes
    secret_ciphertext: bytes
    wrapped_keys: tuple[WrappedKey, ...] = field(default=())
    authority_links: tuple[AuthorityLink, ...] = field(default=())

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            "slot_id": self.slot_id,
            "kind": self.kind,
            "user_tag": self.user_tag,
            "kdf": self.kdf.to_json(),
            "public_key": _b64(self.public_key),
        }

    def to_bytes(self) -> bytes:
        document = self.header()
        document["secret"] = {
            "cipher": "chacha20-poly1305",
            "nonce": _b64(self.secret_nonce),
            "ciphertext": _b64(self.secret_ciphertext),
        }
        document["wrapped_keys"] = [
            {"generation": w.generation, "nonce": _b64(w.nonce), "ciphertext": _b64(w.ciphertext)}
            for w in sorted(self.wrapped_keys, key=lambda w: -w.generation)
        ]
        document["authority_links"] = [
            {"generation": link.generation, "nonce": _b64(link.nonce), "ciphertext": _b64(link.ciphertext)}
            for link in sorted(self.authority_links, key=lambda link: link.generation)
        ]
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @property
    def newest_generation(self) -> int:
        return max((w.generation for w in self.wrapped_keys), default=-1)


@dataclass(frozen=True)
class SlotSecret:
    """What a passphrase opens: the slot's private key and the pinned authority public key."""

    slot_private: bytes
    authority_public: bytes


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalised UTF-8, so the same passphrase typed on another keyboard still matches."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_key(passphrase: str, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        normalise_passphrase(passphrase),
        kdf.salt,
        time_cost=kdf.iterations,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.lanes,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_authority() -> tuple[bytes, bytes]:
    """A fresh store authority key pair (private, public), raw 32 bytes each."""
    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


def create_slot(
    *,
    store_id: str,
    slot_id: str,
    kind: str,
    user_tag: str | None,
    passphrase: str,
    authority_private: bytes,
    database_key: bytes,
    generation: int,
    kdf: KdfParams = DEFAULT_KDF,
) -> KeySlot:
    """A new slot that opens with ``passphrase`` and carries ``database_key``."""
    if kind not in KINDS:
        raise ValueError(f"unknown slot kind {kind!r}")
    slot_private = X25519PrivateKey.generate()
    authority_public = _raw_public(X25519PrivateKey.from_private_bytes(authority_private).public_key())
    slot = KeySlot(
        store_id=store_id,
        slot_id=slot_id,
        kind=kind,
        user_tag=user_tag,
        kdf=kdf.with_new_salt(),
        public_key=_raw_public(slot_private.public_key()),
        secret_nonce=b"",
        secret_ciphertext=b"",
    )
    slot = seal_secret(slot, SlotSecret(_raw_private(slot_private), authority_public), passphrase)
    wrapped = wrap_database_key(slot, authority_private, database_key, generation)
    return replace(slot, wrapped_keys=(wrapped,))


def seal_secret(slot: KeySlot, secret: SlotSecret, passphrase: str) -> KeySlot:
    """The slot with its secret sealed under ``passphrase`` (a fresh salt and nonce)."""
    slot = replace(slot, kdf=slot.kdf.with_new_salt())
    key = derive_passphrase_key(passphrase, slot.kdf)
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, secret.slot_private + secret.authority_public, _secret_aad(slot))
    return replace(slot, secret_nonce=nonce, secret_ciphertext=ciphertext)


def open_secret(slot: KeySlot, passphrase: str) -> SlotSecret:
    """The slot's secret, or ``AuthenticationFailed`` if the passphrase does not open it."""
    key = derive_passphrase_key(passphrase, slot.kdf)
    try:
        plain = ChaCha20Poly1305(key).decrypt(slot.secret_nonce, slot.secret_ciphertext, _secret_aad(slot))
    except InvalidTag:
        raise AuthenticationFailed(_wrong_passphrase_message(slot)) from None
    if len(plain) != 2 * KEY_BYTES:
        raise StoreDamaged(t("The key-slot file {slot} is damaged.", slot=slot.slot_id))
    return SlotSecret(slot_private=plain[:KEY_BYTES], authority_public=plain[KEY_BYTES:])


def wrap_database_key(slot: KeySlot, authority_private: bytes, database_key: bytes, generation: int) -> WrappedKey:
    """Seal ``database_key`` to the slot's public key with the store's authority key."""
    if len(database_key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    key = _agreed_key(X25519PrivateKey.from_private_bytes(authority_private), slot.public_key, slot)
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, database_key, _wrap_aad(slot, generation))
    return WrappedKey(generation=generation, nonce=nonce, ciphertext=ciphertext)


def unwrap_database_keys(slot: KeySlot, secret: SlotSecret) -> list[tuple[int, bytes]]:
    """Every database key the slot carries, newest generation first."""
    key = _agreed_key(X25519PrivateKey.from_private_bytes(secret.slot_private), secret.authority_public, slot)
    keys = []
    for wrapped in sorted(slot.wrapped_keys, key=lambda w: -w.generation):
        try:
            keys.append((wrapped.generation, ChaCha20Poly1305(key).decrypt(wrapped.nonce, wrapped.ciphertext, _wrap_aad(slot, wrapped.generation))))
        except InvalidTag:
            continue
    if not keys:
        raise StoreDamaged(t("The key-slot file {slot} holds no valid store key; it was altered or belongs to another store.", slot=slot.slot_id))
    return keys


def parse_slot(data: bytes, source: str) -> KeySlot:
    """Read a key-slot file strictly; anything unexpected is ``StoreDamaged``."""
    try:
        doc = strict_json.loads(data, SLOT_JSON, source)
        if not isinstance(doc, dict):
            raise ValueError("not an object")
        if doc["format"] != FORMAT or doc["version"] not in VERSIONS:
            raise ValueError("format")
        kdf_doc = doc["kdf"]
        if kdf_doc["name"] != "argon2id" or doc["secret"]["cipher"] != "chacha20-poly1305":
            raise ValueError("algorithm")
        kdf = KdfParams(
            memory_kib=_int(kdf_doc["memory_kib"], *KDF_MEMORY_KIB),
            iterations=_int(kdf_doc["iterations"], *KDF_ITERATIONS),
            lanes=_int(kdf_doc["lanes"], *KDF_LANES),
            salt=_unb64(kdf_doc["salt"], 16),
        )
        if kdf.memory_kib < 8 * kdf.lanes:
            raise ValueError("memory")
        kind = doc["kind"]
        tag = doc["user_tag"]
        if kind not in KINDS or (kind == "user") != isinstance(tag, str):
            raise ValueError("kind")
        slot = KeySlot(
            store_id=_text(doc["store_id"]),
            slot_id=_text(doc["slot_id"]),
            kind=kind,
            user_tag=tag,
            kdf=kdf,
            public_key=_unb64(doc["public_key"], KEY_BYTES),
            secret_nonce=_unb64(doc["secret"]["nonce"], 12),
            secret_ciphertext=_unb64(doc["secret"]["ciphertext"], 2 * KEY_BYTES + 16),
            wrapped_keys=tuple(
                WrappedKey(_int(w["generation"], 0, 2**31), _unb64(w["nonce"], 12), _unb64(w["ciphertext"], KEY_BYTES + 16))
                for w in doc["wrapped_keys"]
            ),
            authority_links=tuple(
                AuthorityLink(_int(link["generation"], 0, 2**31), _unb64(link["nonce"], 12), _unb64(link["ciphertext"], KEY_BYTES + 16))
                for link in (doc["authority_links"] if doc["version"] >= 2 else [])
            ),
        )
        if not slot.wrapped_keys or len(slot.authority_links) > MAX_LINKS:
            raise ValueError("no keys")
        return slot
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError, InvalidInput):
        raise StoreDamaged(
            t("The key-slot file {file} is damaged or was altered. Restore it from a backup or use the recovery key.", file=source)
        ) from None


def user_tag(store_id: str, user_name: str) -> str:
    """The tag that finds the slot of ``user_name`` (already normalised) in store ``store_id``."""
    return hashlib.sha256(f"caseworker user|{store_id}|{user_name}".encode("utf-8")).hexdigest()


def _wrong_passphrase_message(slot: KeySlot) -> str:
    if slot.kind == "recovery":
        return t("The recovery key is wrong (or its key-slot file was altered). Check the key you copied and try again.")
    return t("Wrong passphrase (or the key-slot file was altered). Check the user name and passphrase and try again.")


def _agreed_key(private: X25519PrivateKey, peer_public: bytes, slot: KeySlot) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(peer_public))
    info = f"caseworker keyslot wrap|{slot.store_id}|{slot.slot_id}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=slot.public_key, info=info).derive(shared)


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _secret_aad(slot: KeySlot) -> bytes:
    return _aad({**slot.header(), "version": SECRET_LAYOUT})


def _wrap_aad(slot: KeySlot, generation: int) -> bytes:
    return _aad({"store_id": slot.store_id, "slot_id": slot.slot_id, "generation": generation})


def _raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != length:
        raise ValueError("length")
    return raw


def _int(value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError("int")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValueError("text")
    return value
