"""What a store keeps about referral pathways and handout languages, in ``store_meta``:

* ``pathways.published``: the pathway definitions of the last directory publication applied
  (at a centre), as the JSON of ``domain.pathways.definitions_json``, with its serial;
* ``handouts.reviewed``: the handout languages a supervisor marked as reviewed by a native
  speaker, a JSON list;
* ``pathways.notes``: at the coordinator, its notes per district ("" for the city) and sector,
  ``{district: {sector: note}}``, printed on the pathways and published with them.

Both are small documents read and replaced whole, so a key of the store's own settings table
holds each; nothing else in the schema changes.
"""

from __future__ import annotations

import json

from caseworker.storage.database import Connection

PUBLISHED_KEY = "pathways.published"
REVIEWED_KEY = "handouts.reviewed"
NOTES_KEY = "pathways.notes"


def _get(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set(conn: Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM store_meta WHERE key = ?", (key,))
    else:
        conn.execute("INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def published(conn: Connection) -> tuple[int, dict] | None:
    """``(serial, definitions document)`` of the last publication that carried pathways."""
    raw = _get(conn, PUBLISHED_KEY)
    if raw is None:
        return None
    data = json.loads(raw)
    return int(data["serial"]), data["definitions"]


def set_published(conn: Connection, serial: int, definitions: dict | None) -> None:
    """Keep the definitions of publication ``serial``; None forgets them (a publication without
    pathways: the centre derives them from the directory again)."""
    _set(conn, PUBLISHED_KEY, None if definitions is None else json.dumps({"serial": serial, "definitions": definitions}, ensure_ascii=False, sort_keys=True))


def reviewed_languages(conn: Connection) -> frozenset[str]:
    raw = _get(conn, REVIEWED_KEY)
    return frozenset(json.loads(raw)) if raw else frozenset()


def set_reviewed_languages(conn: Connection, languages: frozenset[str]) -> None:
    _set(conn, REVIEWED_KEY, json.dumps(sorted(languages)))


def notes(conn: Connection) -> dict[str, dict[str, str]]:
    raw = _get(conn, NOTES_KEY)
    return json.loads(raw) if raw else {}


def set_notes(conn: Connection, value: dict[str, dict[str, str]]) -> None:
    _set(conn, NOTES_KEY, json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None)
