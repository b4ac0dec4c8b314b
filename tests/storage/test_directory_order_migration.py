"""Migration 13 makes the directory's Turkish-order index hold the search keys and gives the names
a trigram index of their own. A store from before it (its search tables as migrations 3 and 10
left them, nothing else changed since) is upgraded: its searches find the same services in the
same order, a page read along the order no longer looks each service up, and a change after the
upgrade keeps the names' index in step."""

from __future__ import annotations

from dataclasses import replace

from caseworker.app.session import unlock
from caseworker.domain.text import search_key
from caseworker.storage import directory as directory_repo
from caseworker.storage import migrations
from caseworker.storage.directory import SearchQuery
from tests.hsds.samples import rich_directory
from tests.storage.conftest import undo_migrations_from_13

TYPED = ("", "k", "kadın", "şönim", "izmir", "destek", "hukuk", "ka de", "zzz")
ORDER_INDEX = "PRAGMA index_info(directory_search_keys_sort)"


def _searched(session) -> dict[tuple[str, int], list[str]]:
    with session.reading() as conn:
        return {(text, limit): [row.id for row in directory_repo.search(conn, SearchQuery(text=text, limit=limit))] for text in TYPED for limit in (0, 5)}


def test_an_older_store_gets_the_order_index_with_the_keys_and_the_names_index(centre):
    with centre.session.transaction() as conn:
        directory_repo.save(conn, rich_directory(), "2026-01-01T00:00:00+00:00")
    before = _searched(centre.session)
    assert before[("kadın", 0)] and before[("k", 5)]
    with centre.session.transaction() as conn:
        undo_migrations_from_13(conn)
    assert centre.session.store.schema_version() == 12
    with centre.session.reading() as conn:
        assert [row[2] for row in conn.execute(ORDER_INDEX)] == ["sort_key", "seq"]
    centre.session.close()

    with unlock(centre.home, centre.credentials()) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 13
        with session.reading() as conn:
            assert [row[2] for row in conn.execute(ORDER_INDEX)] == ["sort_key", "seq", "name_key", "other_key", "description_key"]
            walk = "SELECT k.seq FROM directory_search_keys k INDEXED BY directory_search_keys_sort WHERE instr(k.other_key, 'a') > 0 ORDER BY k.sort_key, k.seq"
            assert "COVERING INDEX directory_search_keys_sort" in " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {walk}"))
            services = conn.execute("SELECT count(*) FROM directory_services").fetchone()[0]
            assert conn.execute("SELECT count(*) FROM directory_names").fetchone()[0] == services > 10
            assert conn.execute("SELECT rowid FROM directory_names WHERE directory_names MATCH '\"kadin\"'").fetchall()
        assert _searched(session) == before

        with session.transaction() as conn:
            entry = directory_repo.service(conn, before[("kadın", 0)][0])
            directory_repo.put_services(conn, [replace(entry, name="Yepyeni Adlı Nokta")], "2026-02-01T00:00:00+00:00")
        with session.reading() as conn:
            assert [row.id for row in directory_repo.search(conn, SearchQuery(text="yepyeni adli", limit=5))] == [entry.id]
            assert entry.id not in [row.id for row in directory_repo.search(conn, SearchQuery(text=search_key(entry.name), limit=50))]
            assert conn.execute("SELECT count(*) FROM directory_names").fetchone()[0] == services
