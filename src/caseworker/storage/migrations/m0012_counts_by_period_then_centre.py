"""The index of the coordinator's counts by month, ordered month, centre, cell.

Migration 9 ordered it month, cell, centre, so that a month's city sum streamed out grouped.
But a bundle writes one centre's cells of a month, and in that order they lie one per leaf page
across the month's whole stretch of the index: at ten thousand bundles each bundle stored
rewrote some sixty pages of it, and an import's storing took twice as long as at a thousand.
Ordered month, centre, cell, a bundle's cells lie side by side (a page or two), and a month's
city sum still reads one stretch of the index, grouping the cells in a temporary tree (at a
thousand centres, some 20 ms more a month: docs/store.md has the figures).
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("DROP INDEX centre_counts_by_period")
    conn.execute("CREATE INDEX centre_counts_by_period ON centre_counts (period, centre_id, indicator, options, value)")
