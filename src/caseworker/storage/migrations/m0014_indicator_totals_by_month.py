"""Each centre's month keeps the total of each of its indicators beside its counts.

The coordinator's City figures page adds up, for two years of months, every centre's total of
each indicator (the sum of its cells). At a national scale (a thousand centres) that was a
million cells read, grouped and handed over at every opening: above a second. A month's
totals are now written with its counts, in the same statement that records the month
(``storage.sync.replace_centre_month``), as a JSON object ``{indicator: total}`` in
``centre_months.indicator_totals``; the page reads one row per centre and month.

The months already held get their totals from their counts here; a month without a count
holds ``{}``.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("ALTER TABLE centre_months ADD COLUMN indicator_totals TEXT NOT NULL DEFAULT '{}'")
    conn.execute(
        "UPDATE centre_months SET indicator_totals = totals.packed FROM "
        "(SELECT centre_id, period, json_group_object(indicator, total) AS packed FROM "
        " (SELECT centre_id, period, indicator, sum(value) AS total FROM centre_counts GROUP BY centre_id, period, indicator) "
        " GROUP BY centre_id, period) AS totals "
        "WHERE centre_months.centre_id = totals.centre_id AND centre_months.period = totals.period"
    )
