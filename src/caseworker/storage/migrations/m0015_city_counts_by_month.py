"""The city's sum of each cell, month by month, kept as the centres' counts are written; the
counts' index by month dropped.

A month's figures for the whole city (``coordination.consolidated`` with no centre or district:
the coordinator's home page shows a year of them, the command line one month) were summed from
every centre's counts of the month each time they were asked for, through the index
``centre_counts_by_period``. At a national scale (a thousand centres) that is some 50,000 cells
read and sorted into their cells by the database a month: more than a second for a year.

The table ``city_counts`` holds, for each month and cell, the sum over every centre.
``storage.sync.replace_centre_month``, the only writer of a month's counts, takes the counts it
replaces out of the sums and adds the new ones, in the same transaction. A cell whose counts
were all replaced by none holds 0 and is not read. Every centre's counts are summed: they all
belong to an enrolled centre (``centre_counts`` refers to ``centre_months``, which refers to
``centres``, and no centre is ever removed). The months already held are summed here.

The index by month had no other reader that needs it (a district's or a list of centres' month
is read centre by centre through the table's key), and every count stored wrote it: dropping it
pays for keeping the sums, and storing a month costs less than before.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute(
        "CREATE TABLE city_counts ("
        " period TEXT NOT NULL, indicator TEXT NOT NULL, options TEXT NOT NULL, value INTEGER NOT NULL CHECK (value >= 0),"
        " PRIMARY KEY (period, indicator, options)) WITHOUT ROWID"
    )
    conn.execute("INSERT INTO city_counts (period, indicator, options, value) "
                 "SELECT period, indicator, options, sum(value) FROM centre_counts GROUP BY period, indicator, options")
    conn.execute("DROP INDEX centre_counts_by_period")
