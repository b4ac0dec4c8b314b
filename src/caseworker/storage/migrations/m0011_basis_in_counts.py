"""A centre's figures as first submitted, kept once when they are its figures as they stand.

Most months a centre submits once and never changes: the figures as first submitted (the basis
of every public edition, docs/disclosure.md) are then the month's counts themselves, and writing
them a second time into ``centre_public_basis`` doubled what each import wrote. A month whose
``basis_in_counts`` is 1 reads its basis from ``centre_counts``; when a later snapshot of the
month replaces its counts, the basis is first copied into ``centre_public_basis``.

Months stored before keep their copy in ``centre_public_basis`` (the column starts at 0).
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("ALTER TABLE centre_months ADD COLUMN basis_in_counts INTEGER NOT NULL DEFAULT 0 CHECK (basis_in_counts IN (0, 1))")
