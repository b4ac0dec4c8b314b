"""Sync: this store's keys, the pinned coordinator, the outbox and delivery targets (centre side);
enrolled centres, their figures, received bundles and the import log (coordinator side)."""

from __future__ import annotations

STATEMENTS = (
    # This store's own keys: the minisign signing key; a coordinator also has its age identity.
    """CREATE TABLE sync_identity (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        centre_id       TEXT,
        signing_secret  BLOB NOT NULL,
        age_identity    TEXT,
        created_at      TEXT NOT NULL
    )""",
    # Centre side: the coordinator's keys, pinned after the fingerprint was read aloud.
    """CREATE TABLE coordinator_profile (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        name            TEXT NOT NULL,
        age_recipients  TEXT NOT NULL,
        signing_public  TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        pinned_at       TEXT NOT NULL
    )""",
    # Centre side: the sequence of the next bundle and the hash of the last one.
    """CREATE TABLE outbound_state (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        next_sequence   INTEGER NOT NULL,
        previous_hash   TEXT,
        last_export_at  TEXT
    )""",
    # Centre side: which revision of each month the last bundle carried.
    """CREATE TABLE month_exports (
        period            TEXT PRIMARY KEY,
        exported_revision INTEGER NOT NULL
    )""",
    """CREATE TABLE outbox (
        bundle_id   TEXT PRIMARY KEY,
        sequence    INTEGER NOT NULL UNIQUE,
        file_name   TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        sent_at     TEXT
    )""",
    """CREATE TABLE delivery_targets (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        added_at  TEXT NOT NULL
    )""",
    """CREATE TABLE deliveries (
        bundle_id        TEXT NOT NULL REFERENCES outbox (bundle_id) ON DELETE CASCADE,
        target_id        INTEGER NOT NULL REFERENCES delivery_targets (id) ON DELETE CASCADE,
        delivered_at     TEXT,
        attempts         INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        next_attempt_at  TEXT,
        PRIMARY KEY (bundle_id, target_id)
    )""",
    # Coordinator side: enrolled centres and every key they ever had (a re-enrolment revokes).
    """CREATE TABLE centres (
        centre_id    TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        district     TEXT NOT NULL,
        enrolled_at  TEXT NOT NULL
    )""",
    """CREATE TABLE centre_keys (
        key_id          TEXT PRIMARY KEY,
        centre_id       TEXT NOT NULL REFERENCES centres (centre_id),
        signing_public  TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        enrolled_at     TEXT NOT NULL,
        revoked_at      TEXT
    )""",
    # Coordinator side: each centre's latest snapshot of each month, with the sequence that set it.
    """CREATE TABLE centre_months (
        centre_id     TEXT NOT NULL REFERENCES centres (centre_id),
        period        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'reopened')),
        sequence      INTEGER NOT NULL,
        bundle_id     TEXT NOT NULL,
        first_received_at TEXT NOT NULL,
        received_at   TEXT NOT NULL,
        submitted_received_at TEXT,
        catalogue_version INTEGER NOT NULL,
        PRIMARY KEY (centre_id, period)
    ) WITHOUT ROWID""",
    """CREATE TABLE centre_counts (
        centre_id  TEXT NOT NULL,
        period     TEXT NOT NULL,
        indicator  TEXT NOT NULL,
        options    TEXT NOT NULL,
        value      INTEGER NOT NULL CHECK (value >= 0),
        PRIMARY KEY (centre_id, period, indicator, options),
        FOREIGN KEY (centre_id, period) REFERENCES centre_months (centre_id, period)
    ) WITHOUT ROWID""",
    """CREATE TABLE received_bundles (
        bundle_id    TEXT PRIMARY KEY,
        centre_id    TEXT NOT NULL,
        sequence     INTEGER NOT NULL,
        payload_hash TEXT NOT NULL,
        previous_hash TEXT,
        created_at   TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        UNIQUE (centre_id, sequence)
    )""",
    """CREATE TABLE import_log (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        file_name  TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'rejected')),
        reason     TEXT,
        centre_id  TEXT,
        sequence   INTEGER,
        bundle_id  TEXT
    )""",
)


def apply(conn) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
