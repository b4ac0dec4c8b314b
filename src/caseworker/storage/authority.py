"""The store's authority key: derived from the database key, handed on by links in each slot.

The authority key pair seals the database key to each slot (``keyslots.wrap_database_key``).
Its private half is derived from the database key (HKDF-SHA256), so it is exactly as secret as
the database key and changes whenever that key does: a new key from a rekey is a new authority
in the same atomic ``PRAGMA rekey``. Whoever held an older database key, a removed user above
all, can compute the older authority keys, and nothing newer.

A slot pins the authority public key that was current when its passphrase last sealed it. A
rekey cannot re-seal the other users' secrets (it does not know their passphrases), so it
writes into each slot an *authority link*: the new authority public key, sealed under a key
that the slot agrees (X25519, HKDF with its own label) with the authority the slot trusted so
far. Unlocking follows the links from the pinned key, oldest first, and unwraps the database
key with the authorities so reached; the next unlock with the passphrase pins the newest one
and drops the links.

Stores made before this carry a random authority key in ``store_meta`` (``authority_private``)
instead; it stays usable for the slots wrapped under it until the first rekey moves every slot
to a derived authority and deletes it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from caseworker.errors import StoreDamaged
from caseworker.storage.keyslots import KEY_BYTES, AuthorityLink, KeySlot, SlotSecret, unwrap_database_keys

LEGACY_META_KEYS = ("authority_private", "authority_public")


def derive_private(database_key: bytes, store_id: str) -> bytes:
    """The authority private key (raw X25519) that belongs to ``database_key``."""
    return _hkdf(database_key, salt=b"", info=f"caseworker authority|{store_id}")


def public_of(private: bytes) -> bytes:
    key = X25519PrivateKey.from_private_bytes(private).public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def endorse(slot: KeySlot, by_private: bytes, new_public: bytes, generation: int) -> AuthorityLink:
    """A link that hands ``new_public`` to ``slot``, sealed with the authority it trusts now."""
    nonce = os.urandom(12)
    key = _link_key(X25519PrivateKey.from_private_bytes(by_private), slot.public_key, slot)
    return AuthorityLink(generation, nonce, ChaCha20Poly1305(key).encrypt(nonce, new_public, _link_aad(slot, generation)))


def trusted_authorities(slot: KeySlot, secret: SlotSecret) -> list[bytes]:
    """The authority public keys the slot reaches from its pinned one, newest first."""
    chain = [secret.authority_public]
    slot_private = X25519PrivateKey.from_private_bytes(secret.slot_private)
    for link in sorted(slot.authority_links, key=lambda link: link.generation):
        key = _link_key(slot_private, chain[-1], slot)
        try:
            chain.append(ChaCha20Poly1305(key).decrypt(link.nonce, link.ciphertext, _link_aad(slot, link.generation)))
        except InvalidTag:
            continue  # a link from a rekey cut short, or endorsed by an authority this slot never trusted
    return chain[::-1]


def unwrap_all(slot: KeySlot, secret: SlotSecret) -> list[tuple[int, bytes, bytes]]:
    """Every (generation, database key, authority public key) the slot opens, newest first."""
    found: dict[int, tuple[int, bytes, bytes]] = {}
    error: StoreDamaged | None = None
    for authority in trusted_authorities(slot, secret):
        try:
            keys = unwrap_database_keys(slot, SlotSecret(secret.slot_private, authority))
        except StoreDamaged as refused:
            error = refused
            continue
        for generation, key in keys:
            found.setdefault(generation, (generation, key, authority))
    if not found:
        assert error is not None
        raise error
    return [found[generation] for generation in sorted(found, reverse=True)]


def sealer_of(slot: KeySlot, generation: int, candidates: Iterable[bytes]) -> bytes | None:
    """Which of the ``candidates`` (authority private keys) sealed the slot's key ``generation``.

    X25519 is symmetric: the authority's private key with the slot's public key agrees the same
    key as the slot's private key with the authority's public key, so ``unwrap_database_keys``
    answers this when given the authority as the "slot" side.
    """
    wrapped = tuple(w for w in slot.wrapped_keys if w.generation == generation)
    if not wrapped:
        return None
    probe = replace(slot, wrapped_keys=wrapped)
    for private in candidates:
        try:
            unwrap_database_keys(probe, SlotSecret(private, slot.public_key))
        except StoreDamaged:
            continue
        return private
    return None


def _link_key(private: X25519PrivateKey, peer_public: bytes, slot: KeySlot) -> bytes:
    shared = private.exchange(X25519PublicKey.from_public_bytes(peer_public))
    return _hkdf(shared, salt=slot.public_key, info=f"caseworker authority link|{slot.store_id}|{slot.slot_id}")


def _link_aad(slot: KeySlot, generation: int) -> bytes:
    return f"caseworker authority link|{slot.store_id}|{slot.slot_id}|{generation}".encode()


def _hkdf(material: bytes, *, salt: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt or None, info=info.encode()).derive(material)
