"""Stores made before cell keys (schema 5) upgrade with their figures intact: every count gets a
cell key, submitted months get their public basis, the coordinator's figures get keys derived
from its secret, and a bundle of format 1 made then still imports after the upgrade
(tests/fixtures/schema-5, made by the previous version)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from caseworker.app import counts as counts_uc
from caseworker.app import releases as releases_uc
from caseworker.app import sync_import
from caseworker.app.session import Credentials, unlock
from caseworker.domain.periods import Period
from caseworker.storage import counts as counts_repo
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema-5"
PASSPHRASE = "mavi deniz kırmızı kapı"
FIGURES = json.loads((FIXTURE / "figures.json").read_text(encoding="utf-8"))
JANUARY, FEBRUARY, MARCH = Period(2026, 1), Period(2026, 2), Period(2026, 3)


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "schema-5")
    return tmp_path / "schema-5"


def _as_text(values) -> dict[str, int]:
    return {str(cell): value for cell, value in values.items()}


def test_a_centre_store_keeps_its_figures_and_gets_keys_and_bases(homes):
    with unlock(homes / "centre-schema-5", Credentials("ayse", PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 6
        for period in (JANUARY, FEBRUARY, MARCH):
            assert _as_text(counts_uc.month_counts(session, period).values) == FIGURES[str(period)]
        with session.reading() as conn:
            keyed = counts_repo.keyed_values(conn, str(JANUARY))
            assert all(count.key != 0 for count in keyed.values() if count.value)  # 2**-32 per cell to fail by chance
            assert len({count.key for count in keyed.values()}) > len(keyed) // 2
            assert counts_repo.basis(conn, str(JANUARY)) == {cell: count for cell, count in keyed.items() if count.value}
            assert counts_repo.basis(conn, str(FEBRUARY)) is not None
            assert counts_repo.basis(conn, str(MARCH)) is None  # never submitted
            assert [period for period, _ in sync_repo.changed_months(conn)] == [str(JANUARY), str(FEBRUARY), str(MARCH)]  # all resent
        release = releases_uc.issue_centre_month(session, JANUARY)
        assert not release.reissued and release.edition.value(session.info.name, "NEW_APPLICANTS") is not None
        # recording and undoing after the upgrade keeps the keys consistent
        book = counts_uc.TallyBook(session)
        with session.reading() as conn:
            before = counts_repo.keyed_values(conn, str(MARCH))
        contact = book.record(MARCH, "follow_up", {"age": "35-44", "session": ["legal"]})
        book.undo(contact.number)
        with session.reading() as conn:
            assert counts_repo.keyed_values(conn, str(MARCH)) == before


def test_a_coordinator_store_and_an_old_bundle_upgrade(homes):
    with unlock(homes / "coordinator-schema-5", Credentials("koord", PASSPHRASE)) as session:
        with session.reading() as conn:
            (centre_id,) = [found.centre_id for found in sync_repo.centres(conn)]
            held = sync_repo.centre_values(conn, str(JANUARY))[centre_id]
            bases = sync_repo.centre_bases(conn, str(JANUARY))
            secret = sync_repo.disclosure_secret(conn)
        assert _as_text(held) == FIGURES[str(JANUARY)]
        assert {cell: count.value for cell, count in bases[centre_id].items()} == held
        keys = {cell: count.key for cell, count in bases[centre_id].items()}
        assert all(keys.values()) and len(secret) == 32
        # the bundle made before the upgrade still imports; its February gets derived keys
        outcomes = sync_import.import_bundles(session, sorted((homes / "bundles-format-1").glob("*.cwbundle")))
        assert [o.status for o in outcomes] == ["duplicate", "imported"]
        with session.reading() as conn:
            february = sync_repo.centre_bases(conn, str(FEBRUARY))[centre_id]
            again = sync_repo.centre_bases(conn, str(JANUARY))[centre_id]
        assert {str(cell): count.value for cell, count in february.items()} == FIGURES[str(FEBRUARY)]
        assert all(count.key for count in february.values())
        assert {cell: count.key for cell, count in again.items()} == keys  # the same every time
        with session.reading() as conn:  # but not published until the centre sends its own keys
            assert sync_repo.centre_bases(conn, str(FEBRUARY), keyed_only=True) == {}
