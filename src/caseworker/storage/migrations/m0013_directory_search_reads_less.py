"""The directory search reads less: the Turkish-order index holds the search keys, and the names
have a trigram index of their own.

A page of search results that thousands of services match is read along the Turkish-order
index until the page is full, testing each service's keys on the way. Ordered by the name's
collation key alone, each service read cost a look-up of its row for its keys; holding the
keys, the walk reads one stretch of the index.

Whether a name holds the query (the best tiers of the ranking) was asked of the trigram index
of all the keys, restricted to the name: FTS5 reads the whole lists of the query's trigrams,
and a word such as "istihdam", in a category label of a thousand entries, cost as much to look
up in the names as anywhere. ``directory_names`` holds the names alone (rowid = seq, as in the
other search tables). docs/directory.md has the figures. Nothing is indexed that the search
did not already hold: the names are in ``directory_search_keys``.
"""

from __future__ import annotations

from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    conn.execute("DROP INDEX directory_search_keys_sort")
    conn.execute("CREATE INDEX directory_search_keys_sort ON directory_search_keys (sort_key, seq, name_key, other_key, description_key)")
    conn.execute("CREATE VIRTUAL TABLE directory_names USING fts5 (name_key, tokenize = 'trigram', content = '', contentless_delete = 1)")
    conn.execute("INSERT INTO directory_names (rowid, name_key) SELECT seq, name_key FROM directory_search_keys")
