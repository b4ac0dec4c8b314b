"""The store's connection: read transactions, what it remembers between them, and when it forgets."""

from __future__ import annotations

import os

import pytest

from caseworker.storage import database

KEY = os.urandom(32)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "store.db"


@pytest.fixture
def conn(path):
    connection = database.connect(path, KEY)
    connection.execute("CREATE TABLE things (name TEXT)")
    yield connection
    connection.close()


def read(conn) -> dict:
    """Remember one value in a read transaction; the dictionary remembered."""
    with conn.reading():
        memory = conn.remembered()
        memory.setdefault("first", len(memory))
        return memory


def test_what_a_read_remembers_is_there_for_the_next_read(conn):
    first = read(conn)
    assert read(conn) is first and first == {"first": 0}


def test_nothing_is_kept_outside_a_remembering_read(conn):
    conn.remembered()["x"] = 1
    assert conn.remembered() == {}
    conn.execute("BEGIN")
    conn.remembered()["x"] = 1  # a transaction that may write: not kept
    conn.execute("ROLLBACK")
    assert "x" not in read(conn)


def test_a_change_through_the_connection_empties_it(conn):
    first = read(conn)
    conn.execute("INSERT INTO things VALUES ('one')")
    assert read(conn) is not first


def test_a_change_rolled_back_empties_it_too(conn):
    first = read(conn)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO things VALUES ('one')")
    conn.execute("ROLLBACK")
    assert read(conn) is not first


def test_a_commit_by_another_connection_empties_it(conn, path):
    first = read(conn)
    other = database.connect(path, KEY)
    try:
        other.execute("INSERT INTO things VALUES ('one')")
    finally:
        other.close()
    assert read(conn) is not first


def test_a_change_of_schema_empties_it(conn):
    first = read(conn)
    conn.execute("CREATE INDEX things_name ON things (name)")
    assert read(conn) is not first


def test_a_write_inside_a_read_is_rolled_back_and_forgotten(conn):
    with conn.reading():
        conn.execute("INSERT INTO things VALUES ('one')")
        conn.remembered()["seen"] = "one"
    assert conn.execute("SELECT count(*) FROM things").fetchone()[0] == 0
    assert "seen" not in read(conn)
