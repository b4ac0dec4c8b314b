"""An index of the centres' months by month (``centre_months_by_period``).

The coordinator's figures for a month (the city, a district) and the reporting grid ask for
one month across every centre; the table is kept in centre order, so without the index each
such question read every month of every centre. With it, the month's rows are found directly,
and each centre's counts of that month are reached through the counts table's own key.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("CREATE INDEX centre_months_by_period ON centre_months (period)")
