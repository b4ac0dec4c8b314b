"""The signer key: what opens the store's signing key, given only to the people who may sign.

The database key opens everything in the store, and every user's slot opens the database key.
The centre's (or coordinator's) minisign signing key must open for fewer people: only those who
may submit a month or publish — supervisors at a centre, coordinators at the coordinating unit —
and the recovery key. So the signing secret is kept sealed (ChaCha20-Poly1305) under a random
256-bit *signer key*, and the signer key is sealed once for each signer's slot:

* to the slot's X25519 public key, with a fresh ephemeral key each time (HKDF-SHA256 over the
  agreed secret, salted with both public keys; the store id and slot id are associated data);
* only by someone who holds the signer key already: when the store is made (its first user and
  the recovery key), when a signer adds a signer or sets a signer's passphrase, and when it is
  rotated after a signer leaves.

A caseworker's slot opens the database but never the signer key, so her session cannot sign a
bundle or a publication. Editing the database (she holds its key) does not change that: nothing
in it lets her unwrap a seal made for someone else's slot, and a seal for her own slot can only
be made with the signer key. The limits of this are in docs/security.md.

Rules, in order, at unlock (``open_for``): the slot's own seal is used when its recorded public
key is the slot's current one and it opens; otherwise the session has no signer key. A store
still in the ``pending`` state (made before signing was sealed) is sealed at the first unlock by
a signer: a new signer key for every signer's slot and the recovery slot, and the signing secret
sealed under it, its plain copy overwritten.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker.storage.database import Connection

KEY_BYTES = 32
NONCE_BYTES = 12
STATE_META_KEY = "signer_key_state"
PENDING = "pending"  # a store made before the signing key was sealed: the first signer's unlock seals it
SEALED = "sealed"


@dataclass(frozen=True)
class Seal:
    """The signer key sealed for one slot."""

    slot_id: str
    slot_public: bytes
    ephemeral_public: bytes
    nonce: bytes
    ciphertext: bytes
    endorsement: bytes  # HMAC under the signer key: only a holder of the key made this seal


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def seal_for(store_id: str, slot_id: str, slot_public: bytes, signer_key: bytes) -> Seal:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw(ephemeral.public_key())
    key = _agreed_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(slot_public)), ephemeral_public, slot_public, store_id, slot_id)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, signer_key, _aad(store_id, slot_id))
    return Seal(slot_id, slot_public, ephemeral_public, nonce, ciphertext, _endorsement(store_id, slot_id, slot_public, signer_key))


def endorsed(store_id: str, seal: Seal, signer_key: bytes) -> bool:
    """Whether ``seal`` was made by a holder of ``signer_key`` (and not written into the
    database by someone who only holds the database key)."""
    return hmac.compare_digest(seal.endorsement, _endorsement(store_id, seal.slot_id, seal.slot_public, signer_key))


def open_seal(store_id: str, seal: Seal, slot_private: bytes) -> bytes | None:
    """The signer key from ``seal`` with the slot's private key, or None when it does not open."""
    try:
        private = X25519PrivateKey.from_private_bytes(slot_private)
        if _raw(private.public_key()) != seal.slot_public:
            return None
        key = _agreed_key(private.exchange(X25519PublicKey.from_public_bytes(seal.ephemeral_public)), seal.ephemeral_public, seal.slot_public, store_id, seal.slot_id)
        opened = ChaCha20Poly1305(key).decrypt(seal.nonce, seal.ciphertext, _aad(store_id, seal.slot_id))
    except (InvalidTag, ValueError):
        return None
    if len(opened) != KEY_BYTES or not endorsed(store_id, seal, opened):
        return None
    return opened


def seal_secret(store_id: str, signer_key: bytes, secret: bytes) -> bytes:
    """The signing secret sealed under the signer key: nonce followed by ciphertext."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + ChaCha20Poly1305(signer_key).encrypt(nonce, secret, _secret_aad(store_id))


def open_secret(store_id: str, signer_key: bytes, sealed: bytes) -> bytes | None:
    try:
        return ChaCha20Poly1305(signer_key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _secret_aad(store_id))
    except (InvalidTag, ValueError):
        return None


# --- the seals in the store ------------------------------------------------------------------------


def state(conn: Connection) -> str | None:
    row = conn.execute("SELECT value FROM store_meta WHERE key = ?", (STATE_META_KEY,)).fetchone()
    return row[0] if row else None


def set_state(conn: Connection, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)", (STATE_META_KEY, value))


def seal_of(conn: Connection, slot_id: str) -> Seal | None:
    row = conn.execute(
        "SELECT slot_id, slot_public, ephemeral_public, nonce, ciphertext, endorsement FROM signer_seals WHERE slot_id = ?", (slot_id,)
    ).fetchone()
    return _seal(row) if row else None


def all_seals(conn: Connection) -> list[Seal]:
    return [_seal(row) for row in conn.execute("SELECT slot_id, slot_public, ephemeral_public, nonce, ciphertext, endorsement FROM signer_seals")]


def put_seal(conn: Connection, seal: Seal) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO signer_seals (slot_id, slot_public, ephemeral_public, nonce, ciphertext, endorsement) VALUES (?, ?, ?, ?, ?, ?)",
        (seal.slot_id, seal.slot_public, seal.ephemeral_public, seal.nonce, seal.ciphertext, seal.endorsement),
    )


def drop_seal(conn: Connection, slot_id: str) -> None:
    conn.execute("DELETE FROM signer_seals WHERE slot_id = ?", (slot_id,))


def drop_all_seals(conn: Connection) -> None:
    conn.execute("DELETE FROM signer_seals")


def _seal(row: tuple) -> Seal:
    return Seal(row[0], bytes(row[1]), bytes(row[2]), bytes(row[3]), bytes(row[4]), bytes(row[5]))


def _endorsement(store_id: str, slot_id: str, slot_public: bytes, signer_key: bytes) -> bytes:
    return hmac.new(signer_key, f"caseworker signer seal|{store_id}|{slot_id}|".encode() + slot_public, hashlib.sha256).digest()


def _agreed_key(shared: bytes, ephemeral_public: bytes, slot_public: bytes, store_id: str, slot_id: str) -> bytes:
    info = f"caseworker signer key|{store_id}|{slot_id}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + slot_public, info=info).derive(shared)


def _aad(store_id: str, slot_id: str) -> bytes:
    return f"caseworker signer key|{store_id}|{slot_id}".encode()


def _secret_aad(store_id: str) -> bytes:
    return f"caseworker signing secret|{store_id}".encode()


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
