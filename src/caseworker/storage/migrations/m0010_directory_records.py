"""The records each directory entry holds, indexed by id, so that a change to one entry checks
the directory's sharing rules (records of one kind that share an id are equal; a phone,
schedule, language, address… belongs to one owner of each kind; places are shared) with a few
targeted look-ups instead of reading the whole directory.

``directory_records`` has one row per record an organization or a service holds: its kind, id,
owner (the entry or location it belongs to; none for a place) and canonical JSON document, the
same text ``storage.directory`` writes for it. Existing entries are indexed from their stored
documents. ``directory_services.position`` gets an index, so a new entry finds the end of the
directory without a scan, and the folded names one, so that the services whose name starts with
what is typed are read as a range, in Turkish order, without ranking every match.
"""

from __future__ import annotations

import json

from caseworker.storage.database import Connection

STATEMENTS = (
    """CREATE TABLE directory_records (
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        owner_kind  TEXT NOT NULL,
        owner_id    TEXT NOT NULL,
        holder_kind TEXT NOT NULL CHECK (holder_kind IN ('organization', 'service')),
        holder_id   TEXT NOT NULL,
        document    TEXT NOT NULL,
        PRIMARY KEY (kind, id, holder_kind, holder_id, owner_kind, owner_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX directory_records_holder ON directory_records (holder_kind, holder_id)",
    "CREATE INDEX directory_services_position ON directory_services (position)",
    "CREATE INDEX directory_search_keys_name ON directory_search_keys (name_key, sort_key)",
)


def _text(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def service_records(document: dict) -> list[tuple[str, str, str, str, str]]:
    """(kind, id, owner kind, owner id, document) of the records a stored service document holds,
    as ``domain.directory.held_records`` lists them."""
    service_id = document["id"]
    rows = [(kind, item["id"], "service", service_id, _text(item)) for key, kind in
            (("phones", "phone"), ("schedules", "schedule"), ("languages", "language"), ("attributes", "attribute"))
            for item in document.get(key, ())]
    for location in document.get("locations", ()):
        rows.append(("location", location["id"], "", "", _text(location)))
        rows += [(kind, item["id"], "location", location["id"], _text(item)) for key, kind in
                 (("phones", "phone"), ("languages", "language"), ("addresses", "address"), ("accessibility", "accessibility"))
                 for item in location.get(key, ())]
    return rows


def organization_records(document: dict) -> list[tuple[str, str, str, str, str]]:
    return [("phone", phone["id"], "organization", document["id"], _text(phone)) for phone in document.get("phones", ())]


def apply(conn: Connection) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
    insert = "INSERT OR IGNORE INTO directory_records (kind, id, owner_kind, owner_id, holder_kind, holder_id, document) VALUES (?, ?, ?, ?, ?, ?, ?)"
    for (text,) in conn.execute("SELECT document FROM directory_organizations").fetchall():
        document = json.loads(text)
        conn.executemany(insert, [(*row[:4], "organization", document["id"], row[4]) for row in organization_records(document)])
    for (text,) in conn.execute("SELECT document FROM directory_services").fetchall():
        document = json.loads(text)
        conn.executemany(insert, [(*row[:4], "service", document["id"], row[4]) for row in service_records(document)])
