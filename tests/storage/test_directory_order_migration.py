"""Migration 13 makes the directory's Turkish-order index hold the search keys: a store made by
the previous version (tests/fixtures/schema-5, brought to schema 12 and given a directory there)
is upgraded, its searches find the same services in the same order, and a page read along the
order no longer looks each service up."""

from __future__ import annotations

from caseworker.app.session import Credentials, unlock
from caseworker.storage import directory as directory_repo
from caseworker.storage import migrations
from caseworker.storage.directory import SearchQuery
from tests.hsds.samples import rich_directory
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator

TYPED = ("", "k", "kadın", "şönim", "izmir", "destek", "hukuk", "ka de", "zzz")


def _searched(session) -> dict[str, list[str]]:
    with session.reading() as conn:
        return {text: [row.id for row in directory_repo.search(conn, SearchQuery(text=text, **page))] for text in TYPED for page in ({}, {"limit": 5})}


def test_an_older_store_gets_the_order_index_with_the_keys_and_searches_the_same(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    with earlier_coordinator(home, 12, monkeypatch) as session:
        with session.transaction() as conn:
            directory_repo.save(conn, rich_directory(), "2026-01-01T00:00:00+00:00")
            assert [row[2] for row in conn.execute("PRAGMA index_info(directory_search_keys_sort)")] == ["sort_key", "seq"]
        before = _searched(session)

    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 13
        with session.reading() as conn:
            assert [row[2] for row in conn.execute("PRAGMA index_info(directory_search_keys_sort)")] == [
                "sort_key", "seq", "name_key", "other_key", "description_key"]
            walk = "SELECT k.seq FROM directory_search_keys k INDEXED BY directory_search_keys_sort WHERE instr(k.other_key, 'a') > 0 ORDER BY k.sort_key, k.seq"
            assert "COVERING INDEX directory_search_keys_sort" in " ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {walk}"))
        assert _searched(session) == before
        assert before["kadın"] and before["k"]
