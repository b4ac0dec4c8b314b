"""The signing key opens for signers only: ``signer_seals`` holds the signer key sealed for each
signer's slot (``caseworker.storage.signer_key``), ``sync_identity`` gains the signing public key
(readable by everyone, for fingerprints and enrolment requests) and a flag saying whether
``signing_secret`` is sealed under the signer key.

Sealing needs the slots' public keys and a new random key, not a migration's SQL alone: the store
is marked ``pending`` and the first signer to unlock it seals the secret.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseworker.storage.database import Connection

SIGNING_SECRET_BYTES = 40  # minisign key id (8) and Ed25519 seed (32)


def apply(conn: Connection) -> None:
    conn.execute(
        """CREATE TABLE signer_seals (
            slot_id          TEXT PRIMARY KEY,
            slot_public      BLOB NOT NULL,
            ephemeral_public BLOB NOT NULL,
            nonce            BLOB NOT NULL,
            ciphertext       BLOB NOT NULL,
            endorsement      BLOB NOT NULL
        )"""
    )
    conn.execute("ALTER TABLE sync_identity ADD COLUMN signing_public BLOB")
    conn.execute("ALTER TABLE sync_identity ADD COLUMN signing_sealed INTEGER NOT NULL DEFAULT 0")
    row = conn.execute("SELECT signing_secret FROM sync_identity WHERE id = 1").fetchone()
    if row is not None and len(row[0]) == SIGNING_SECRET_BYTES:
        seed = bytes(row[0])[8:]
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        conn.execute("UPDATE sync_identity SET signing_public = ? WHERE id = 1", (bytes(row[0])[:8] + public,))
    conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('signer_key_state', 'pending')")
