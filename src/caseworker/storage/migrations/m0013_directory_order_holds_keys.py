"""The directory's Turkish-order index holds the search keys, so that a page of results read
along it never looks a service up.

A page of search results that thousands of services match is read along this index until the
page is full, testing each service's keys on the way. Ordered by the name's collation key
alone, each service read cost a look-up of its row for its keys; holding the keys, the walk
reads one stretch of the index (a third of the work at 10,000 services; docs/directory.md has
the figures). The keys are the folded text the search already stores; nothing confidential
is added.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("DROP INDEX directory_search_keys_sort")
    conn.execute("CREATE INDEX directory_search_keys_sort ON directory_search_keys (sort_key, seq, name_key, other_key, description_key)")
