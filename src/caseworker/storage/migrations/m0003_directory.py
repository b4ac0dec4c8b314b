"""The support-service directory: organizations, services, their search keys and full-text index.

Each organization and service is kept whole as one canonical JSON document (the domain value,
confidential parts included: the store is encrypted); the columns beside it are derived from the
document at write time for listing, filtering, sorting and search. ``storage.directory`` is the
only writer, so document and columns never disagree.
"""

from __future__ import annotations

STATEMENTS = (
    # ``position`` keeps the directory's order, so a stored directory reads back exactly.
    """CREATE TABLE directory_organizations (
        id           TEXT PRIMARY KEY,
        position     INTEGER NOT NULL,
        name         TEXT NOT NULL,
        confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
        document     TEXT NOT NULL
    )""",
    # ``seq`` is the rowid of the service in the search tables. ``district_key`` is the district
    # folded by ``domain.text.search_key``.
    """CREATE TABLE directory_services (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        position        INTEGER NOT NULL,
        organization_id TEXT NOT NULL REFERENCES directory_organizations (id),
        name            TEXT NOT NULL,
        district        TEXT NOT NULL,
        district_key    TEXT NOT NULL,
        status          TEXT NOT NULL,
        source          TEXT NOT NULL CHECK (source IN ('local', 'coordinator')),
        confidential    INTEGER NOT NULL CHECK (confidential IN (0, 1)),
        sample          INTEGER NOT NULL CHECK (sample IN (0, 1)),
        verified_at     TEXT,
        categories      TEXT NOT NULL,
        document        TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    )""",
    "CREATE INDEX directory_services_organization ON directory_services (organization_id)",
    "CREATE INDEX directory_services_district ON directory_services (district_key)",
    "CREATE INDEX directory_services_verified ON directory_services (verified_at)",
    # Filter terms of a service: its category codes and the folded codes and names of the
    # languages it offers (on the service or at its locations).
    """CREATE TABLE directory_service_terms (
        kind TEXT NOT NULL CHECK (kind IN ('category', 'language')),
        key  TEXT NOT NULL,
        seq  INTEGER NOT NULL REFERENCES directory_services (seq) ON DELETE CASCADE,
        PRIMARY KEY (kind, key, seq)
    ) WITHOUT ROWID""",
    "CREATE INDEX directory_service_terms_seq ON directory_service_terms (seq)",
    # Folded search keys of each service and its name's Turkish collation (memcmp order equals
    # ``tr_sort_key`` order), narrow so that ranking reads little. No confidential address or
    # phone is ever put here.
    """CREATE TABLE directory_search_keys (
        seq             INTEGER PRIMARY KEY REFERENCES directory_services (seq) ON DELETE CASCADE,
        name_key        TEXT NOT NULL,
        other_key       TEXT NOT NULL,
        description_key TEXT NOT NULL,
        sort_key        BLOB NOT NULL
    )""",
    "CREATE INDEX directory_search_keys_sort ON directory_search_keys (sort_key, seq)",
    # Two indexes over those keys (rowid = seq): trigrams for substrings of three or more
    # letters, and words with 1- and 2-letter prefixes for what is shorter.
    """CREATE VIRTUAL TABLE directory_search USING fts5 (
        name_key, other_key, description_key, tokenize = 'trigram', content = '', contentless_delete = 1
    )""",
    """CREATE VIRTUAL TABLE directory_words USING fts5 (
        name_key, other_key, description_key, tokenize = 'unicode61', prefix = '1 2', content = '', contentless_delete = 1
    )""",
)


def apply(conn) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
