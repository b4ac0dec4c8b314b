"""Cell keys for perturbed public figures, each month's figures as first submitted, and the
release register (docs/disclosure.md).

- ``counts.noise_key`` (centre) and ``centre_counts.noise_key`` (coordinator): the sum of the
  cell's contributors' record keys modulo 2**32. A store made before this migration knows no
  record keys: every non-zero cell of a centre's store draws one random key for its whole value
  (a sum of uniform keys is itself uniform). At the coordinator, figures that arrived without
  keys get keys derived from the store's own secret (``disclosure_secret``), the centre, the
  month, the cell and the value, so that they are the same every time and unknown to anyone
  without the store; the next bundle of a centre replaces them with the centre's own keys.
- ``public_basis`` (centre) and ``centre_public_basis`` (coordinator): the figures of each month
  as it was first submitted, the only figures any public edition is made of. A month already
  submitted or reopened takes its current figures as its basis.
- ``releases``: every public edition issued, with its figures, so that it is re-issued
  identically.
"""

from __future__ import annotations

import secrets

from caseworker.storage.database import Connection
from caseworker.storage.sync import derived_key

KEY_MODULUS = 2**32

STATEMENTS = (
    "ALTER TABLE counts ADD COLUMN noise_key INTEGER NOT NULL DEFAULT 0 CHECK (noise_key >= 0 AND noise_key < 4294967296)",
    "ALTER TABLE centre_counts ADD COLUMN noise_key INTEGER NOT NULL DEFAULT 0 CHECK (noise_key >= 0 AND noise_key < 4294967296)",
    """CREATE TABLE disclosure_secret (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        secret  BLOB NOT NULL CHECK (length(secret) = 32)
    )""",
    """CREATE TABLE public_basis (
        period    TEXT NOT NULL REFERENCES months (period),
        indicator TEXT NOT NULL,
        options   TEXT NOT NULL,
        value     INTEGER NOT NULL CHECK (value > 0),
        noise_key INTEGER NOT NULL CHECK (noise_key >= 0 AND noise_key < 4294967296),
        PRIMARY KEY (period, indicator, options)
    ) WITHOUT ROWID""",
    """CREATE TABLE public_basis_months (
        period        TEXT PRIMARY KEY REFERENCES months (period),
        submitted_at  TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE centre_public_basis (
        centre_id  TEXT NOT NULL,
        period     TEXT NOT NULL,
        indicator  TEXT NOT NULL,
        options    TEXT NOT NULL,
        value      INTEGER NOT NULL CHECK (value > 0),
        noise_key  INTEGER NOT NULL CHECK (noise_key >= 0 AND noise_key < 4294967296),
        PRIMARY KEY (centre_id, period, indicator, options),
        FOREIGN KEY (centre_id, period) REFERENCES centre_months (centre_id, period)
    ) WITHOUT ROWID""",
    "ALTER TABLE centre_months ADD COLUMN has_basis INTEGER NOT NULL DEFAULT 0 CHECK (has_basis IN (0, 1))",
    "ALTER TABLE centre_months ADD COLUMN basis_keyed INTEGER NOT NULL DEFAULT 0 CHECK (basis_keyed IN (0, 1))",
    """CREATE TABLE releases (
        id            INTEGER PRIMARY KEY,
        scope         TEXT NOT NULL CHECK (scope IN ('centre', 'city')),
        first         TEXT NOT NULL,
        last          TEXT NOT NULL,
        issued_at     TEXT NOT NULL,
        issued_by     TEXT NOT NULL,
        edition       TEXT NOT NULL,
        figures_hash  TEXT NOT NULL,
        UNIQUE (scope, first, last)
    )""",
)


def apply(conn: Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
    secret = secrets.token_bytes(32)
    conn.execute("INSERT INTO disclosure_secret (id, secret) VALUES (1, ?)", (secret,))
    conn.execute("UPDATE months SET revision = revision + 1")
    cells = list(conn.execute("SELECT period, indicator, options FROM counts WHERE value > 0"))
    conn.executemany("UPDATE counts SET noise_key = ? WHERE period = ? AND indicator = ? AND options = ?",
                     [(secrets.randbelow(KEY_MODULUS), *cell) for cell in cells])
    conn.execute("INSERT INTO public_basis_months (period, submitted_at) "
                 "SELECT period, coalesce(status_at, changed_at) FROM months WHERE status IN ('submitted', 'reopened')")
    conn.execute("INSERT INTO public_basis (period, indicator, options, value, noise_key) "
                 "SELECT period, indicator, options, value, noise_key FROM counts "
                 "WHERE value > 0 AND period IN (SELECT period FROM public_basis_months)")
    rows = list(conn.execute("SELECT centre_id, period, indicator, options, value FROM centre_counts"))
    conn.executemany("UPDATE centre_counts SET noise_key = ? WHERE centre_id = ? AND period = ? AND indicator = ? AND options = ?",
                     [(derived_key(secret, *row), *row[:4]) for row in rows])
    conn.execute("UPDATE centre_months SET has_basis = 1 WHERE status IN ('submitted', 'reopened')")
    conn.execute("INSERT INTO centre_public_basis (centre_id, period, indicator, options, value, noise_key) "
                 "SELECT c.centre_id, c.period, c.indicator, c.options, c.value, c.noise_key FROM centre_counts c "
                 "JOIN centre_months m ON m.centre_id = c.centre_id AND m.period = c.period WHERE m.has_basis = 1 AND c.value > 0")
