"""The release register's repository: an edition's canonical JSON goes in and comes back byte for
byte, kept deflated; the register lists it and finds it by its scope and period."""

from __future__ import annotations

import json

from caseworker.storage import releases as releases_repo

DOCUMENT = json.dumps({"areas": ["Karşıyaka", "Çiğli", "İzmir"], "cells": [{"area": "Çiğli", "value": n % 7} for n in range(2000)]},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
RELEASE = releases_repo.Release("city", "2025-01", "2025-03", "2025-04-02T09:00:00+00:00", "koord", "ab" * 32, DOCUMENT)


def test_an_edition_comes_back_as_registered_and_is_kept_deflated(coordinator):
    with coordinator.transaction() as conn:
        releases_repo.add(conn, RELEASE)
    with coordinator.reading() as conn:
        found = releases_repo.find(conn, "city", "2025-01", "2025-03")
        kind, size = conn.execute("SELECT typeof(edition), length(edition) FROM releases").fetchone()
        assert releases_repo.exists(conn, "city", "2025-01", "2025-03") and not releases_repo.exists(conn, "city", "2025-04", "2025-06")
        assert releases_repo.listed(conn) == [("city", "2025-01", "2025-03", RELEASE.issued_at, "koord", RELEASE.figures_hash)]
        assert releases_repo.find(conn, "centre", "2025-01", "2025-03") is None
    assert found == RELEASE
    assert kind == "blob" and size < len(DOCUMENT) / 10
