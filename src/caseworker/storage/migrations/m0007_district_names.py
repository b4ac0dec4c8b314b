"""Districts in İzmir's spelling: a store's own district (``store_meta``) and the district of each
centre a coordinator enrolled (``centres``), as typed before districts were checked
("KARŞIYAKA", "karsiyaka"), become the proper name of one of the 30 districts ("Karşıyaka"), so
that a district is one district in every report.

Text that names none of the 30 (an old store's "Atlantis") is kept as it is, never lost;
``caseworker check`` says so.
"""

from __future__ import annotations

from caseworker.domain.districts import proper_district
from caseworker.storage.database import Connection


def apply(conn: Connection) -> None:
    row = conn.execute("SELECT value FROM store_meta WHERE key = 'district'").fetchone()
    if row is not None:
        proper = proper_district(row[0])
        if proper is not None and proper != row[0]:
            conn.execute("UPDATE store_meta SET value = ? WHERE key = 'district'", (proper,))
    for centre_id, district in conn.execute("SELECT centre_id, district FROM centres").fetchall():
        proper = proper_district(district)
        if proper is not None and proper != district:
            conn.execute("UPDATE centres SET district = ? WHERE centre_id = ?", (proper, centre_id))
