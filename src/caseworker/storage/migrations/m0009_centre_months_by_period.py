"""Indexes of the coordinator's centre months and counts by month.

The coordinator's figures for a month (the city, a district, a report's months) and the
reporting grid ask for one month across every centre; both tables are kept in centre order, so
without these indexes each such question read, page by page, every month of every centre.

- ``centre_months_by_period``: the month's rows of every centre, found directly;
- ``centre_counts_by_period``: every centre's counts of a month side by side, in cell order,
  holding everything a month's figures need (a covering index), so that the city's sum of a
  month reads one stretch of the index instead of a thousand stretches of the table.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("CREATE INDEX centre_months_by_period ON centre_months (period)")
    conn.execute("CREATE INDEX centre_counts_by_period ON centre_counts (period, indicator, options, centre_id, value)")
