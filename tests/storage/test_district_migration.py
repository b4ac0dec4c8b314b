"""Migration 7 puts districts typed before they were checked into İzmir's spelling: the store's own
district and the coordinator's enrolled centres, upgraded from stores made at schema 5 by the
previous version (tests/fixtures/schema-5) with districts written as people typed them. Text that
names no district is kept, and ``caseworker check`` says so."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from caseworker.app.session import Credentials, unlock
from caseworker.storage import migrations
from caseworker.storage import sync as sync_repo

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema-5"
PASSPHRASE = "mavi deniz kırmızı kapı"


def _written_at_schema_6(home: Path, user: str, statements: list[tuple[str, tuple]], monkeypatch) -> None:
    """Open ``home`` upgraded only to schema 6 (the version before districts were put right) and
    write ``statements`` straight into its tables."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "migrate", functools.partial(migrations.migrate, target=6))
        with unlock(home, Credentials(user, PASSPHRASE)) as session:
            assert session.store.schema_version() == 6
            with session.transaction() as conn:
                for statement, values in statements:
                    conn.execute(statement, values)


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "schema-5")
    return tmp_path / "schema-5"


def test_a_centre_store_gets_its_district_spelled_properly(homes, monkeypatch, cli):
    home = homes / "centre-schema-5"
    _written_at_schema_6(home, "ayse", [("UPDATE store_meta SET value = ? WHERE key = 'district'", ("KARŞIYAKA",))], monkeypatch)
    checked = cli("check", "--lang", "en", env={"CASEWORKER_HOME": str(home), "CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": PASSPHRASE})
    assert checked.code == 0, checked.err
    assert "NOTE" not in checked.out
    with unlock(home, Credentials("ayse", PASSPHRASE)) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 7
        assert session.info.district == "Karşıyaka"


def test_coordinator_centre_lists_are_put_right_and_unknown_text_is_kept_and_named(homes, monkeypatch, cli):
    home = homes / "coordinator-schema-5"
    _written_at_schema_6(home, "koord", [
        ("UPDATE centres SET district = ?", ("KARŞIYAKA",)),
        ("INSERT INTO centres (centre_id, name, district, enrolled_at) VALUES (?, ?, ?, ?)", ("atlantis-1", "Atlantis KDM", "Atlantis", "2026-01-01T00:00:00+00:00")),
        ("INSERT INTO centres (centre_id, name, district, enrolled_at) VALUES (?, ?, ?, ?)", ("konak-1", "Konak KDM", " konak ", "2026-01-01T00:00:00+00:00")),
    ], monkeypatch)
    env = {"CASEWORKER_HOME": str(home), "CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    checked = cli("check", "--lang", "en", env=env)
    assert checked.code == 0, checked.err
    notes = [line for line in checked.out.splitlines() if line.startswith("NOTE")]
    assert len(notes) == 1 and "“Atlantis”" in notes[0] and "Atlantis KDM" in notes[0]
    with unlock(home, Credentials("koord", PASSPHRASE)) as session, session.reading() as conn:
        districts = {centre.name: centre.district for centre in sync_repo.centres(conn)}
    assert districts.pop("Atlantis KDM") == "Atlantis"
    assert districts.pop("Konak KDM") == "Konak"
    assert set(districts.values()) == {"Karşıyaka"}
    # the city's figures by district now name Karşıyaka once
    shown = cli("counts", "show", "2026-01", "--district", "KARSIYAKA", "--json", env=env)
    assert shown.code == 0, shown.err
