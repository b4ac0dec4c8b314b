"""Migration 16 keeps the release register's editions deflated: a coordinator's store made by the
previous version (tests/fixtures/schema-5, brought to schema 15) with editions registered as that
version kept them, as JSON text, is upgraded; each edition reads back byte for byte under the
same hash, and the register lists the same entries."""

from __future__ import annotations

import random
import zlib

from caseworker.app import releases as releases_uc
from caseworker.app.session import Credentials, unlock
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import KEY_MODULUS, KeyedCount
from caseworker.domain.periods import Period
from caseworker.stats.perturbation import load_table
from caseworker.stats.publication import PublicEdition, build_edition
from caseworker.storage import migrations
from tests.storage.conftest import EARLIER_PASSPHRASE, earlier_coordinator

QUARTERS = ((Period(2025, 1), Period(2025, 3)), (Period(2025, 4), Period(2025, 6)))


def _editions() -> dict[tuple[Period, Period], PublicEdition]:
    """Two quarters of three districts with Turkish names, each figure with its cell key."""
    catalogue = load_default_catalogue()
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    rng = random.Random(16)
    editions = {}
    for first, last in QUARTERS:
        by_district = {district: {cell: KeyedCount(rng.randrange(1, 40), rng.randrange(KEY_MODULUS)) for cell in cells}
                       for district in ("Karşıyaka", "Çiğli", "Ödemiş")}
        editions[(first, last)] = build_edition("city", first, last, catalogue, load_table(), by_district)
    return editions


def test_the_editions_registered_as_text_read_back_the_same_once_deflated(tmp_path, monkeypatch):
    home = tmp_path / "coordinator"
    editions = _editions()
    with earlier_coordinator(home, 15, monkeypatch) as session:
        with session.transaction() as conn:  # as that version's register wrote them
            for (first, last), edition in editions.items():
                document, figures_hash = edition.registered()
                conn.execute("INSERT INTO releases (scope, first, last, issued_at, issued_by, figures_hash, edition) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             ("city", str(first), str(last), "2026-01-05T09:00:00+00:00", "koord", figures_hash, document.decode("utf-8")))
        listed_before = releases_uc.releases(session)

    with unlock(home, Credentials("koord", EARLIER_PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 16
        assert releases_uc.releases(session) == listed_before
        assert [entry.figures_hash for entry in listed_before] == [edition.figures_hash() for edition in editions.values()]
        for (first, last), edition in editions.items():
            again = releases_uc.released(session, "city", first, last)
            assert again == edition and again.canonical_bytes() == edition.canonical_bytes()
        with session.reading() as conn:
            stored = conn.execute("SELECT first, typeof(edition), edition FROM releases ORDER BY first").fetchall()
    for ((first, _), edition), (period, kind, deflated) in zip(editions.items(), stored, strict=True):
        document = edition.canonical_bytes()
        assert (period, kind) == (str(first), "blob")
        assert zlib.decompress(deflated) == document and len(deflated) < len(document) / 4
