"""The encrypted store on disk: no plaintext anywhere, rekeying, migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from caseworker.app import users
from caseworker.app.session import Credentials, initialise, unlock
from caseworker.domain.users import Role, StoreRole
from caseworker.errors import AuthenticationFailed, StoreDamaged, StoreIncompatible
from caseworker.paths import HomePaths
from caseworker.storage import database, keyring, migrations
from caseworker.storage.keyslots import open_secret, unwrap_database_keys
from caseworker.storage.store import Store
from tests.conftest import PASSPHRASE

DISTINCTIVE = "Zümrüt-QXJ-7731-Karşıyaka"


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _containing(files: list[Path], needle: str) -> list[Path]:
    forms = [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.lower().encode("utf-8")]
    return [p for p in files if any(form in p.read_bytes() for form in forms)]


def test_distinctive_text_appears_in_no_file(tmp_path, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    home = tmp_path / "home"
    session, _ = initialise(home, store_role=StoreRole.CENTRE, name=DISTINCTIVE, district="Karşıyaka", user_name="ayse", passphrase=PASSPHRASE)
    users.add_user(session, "zumrutqxj", Role.CASEWORKER, "another long passphrase")
    with session.transaction() as conn:
        session.audit(conn, "test.write", DISTINCTIVE)
    # While the store is open the WAL holds the latest pages.
    files = _files_under(home) + _files_under(temp)
    assert any(p.name.endswith("-wal") for p in files)
    assert _containing(files, DISTINCTIVE) == []
    assert _containing(files, "zumrutqxj") == []
    session.close()
    files = _files_under(home) + _files_under(temp)
    assert _containing(files, DISTINCTIVE) == [] and _containing(files, "zumrutqxj") == []
    # ... and yet it is really there for whoever unlocks.
    with unlock(home, Credentials("ayse", PASSPHRASE)) as again:
        assert again.info.name == DISTINCTIVE
    assert list(temp.iterdir()) == []


def test_files_are_private(centre):
    for path in _files_under(centre.home):
        assert path.stat().st_mode & 0o077 == 0, path
    assert centre.home.stat().st_mode & 0o077 == 0


def test_removed_users_old_slot_no_longer_opens_the_store(centre, tmp_path):
    users.add_user(centre.session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, "yeşil çam ağacı gölgesi")
    paths = HomePaths(centre.home)
    fatma_slot = keyring.read_keyring(paths).for_user("fatma")
    saved = tmp_path / "fatma-slot.json"
    shutil.copy(paths.slot_file(fatma_slot.slot_id), saved)

    users.remove_user(centre.session, "fatma")
    centre.session.close()

    assert not paths.slot_file(fatma_slot.slot_id).exists()
    # The old slot still yields the old key, but that key no longer opens the database.
    old_keys = unwrap_database_keys(fatma_slot, open_secret(fatma_slot, "mavi deniz kırmızı kapı"))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn = sqlcipher3.connect(str(paths.database))
        conn.execute(f"PRAGMA key = \"x'{old_keys[0][1].hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    with pytest.raises(StoreDamaged):
        Store.open_with_slot(paths, fatma_slot, "mavi deniz kırmızı kapı")
    # Put back, the old slot file is a stranger that is refused.
    shutil.copy(saved, paths.slot_file(fatma_slot.slot_id))
    with pytest.raises((AuthenticationFailed, StoreDamaged)):
        unlock(centre.home, Credentials("fatma", "mavi deniz kırmızı kapı"))
    paths.slot_file(fatma_slot.slot_id).unlink()
    # Everyone else still gets in, and so does the recovery key.
    for credentials in (Credentials("ayse", PASSPHRASE), Credentials("zeynep", "yeşil çam ağacı gölgesi"), Credentials(None, recovery_key=centre.result.recovery_key)):
        with unlock(centre.home, credentials) as session:
            assert [u.name for u in users.list_users(session)] == ["ayse", "zeynep"]


def test_a_rekey_cut_short_before_the_switch_leaves_the_old_key_working(centre, monkeypatch):
    users.add_user(centre.session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")

    def crash(*_):
        raise OSError("simulated power cut")

    monkeypatch.setattr(database, "set_key", crash)
    with pytest.raises(OSError):
        users.remove_user(centre.session, "fatma")
    centre.session.close()
    monkeypatch.undo()
    # The user row is gone; the next unlock finishes the removal by rekeying.
    paths = HomePaths(centre.home)
    orphan = keyring.read_keyring(paths).for_user("fatma")
    with unlock(centre.home, Credentials("ayse", PASSPHRASE)) as session:
        assert [u.name for u in users.list_users(session)] == ["ayse"]
    assert keyring.read_keyring(paths).by_id(orphan.slot_id) is None
    with pytest.raises(StoreDamaged):
        Store.open_with_slot(paths, orphan, "mavi deniz kırmızı kapı")


def test_a_rekey_cut_short_after_the_switch_still_opens_for_everyone(centre, monkeypatch):
    users.add_user(centre.session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    paths = HomePaths(centre.home)
    fatma = keyring.read_keyring(paths).for_user("fatma")

    def crash(*_):
        raise OSError("simulated power cut")

    monkeypatch.setattr(keyring, "delete_slot", crash)
    with pytest.raises(OSError):
        users.remove_user(centre.session, "fatma")
    centre.session.close()
    monkeypatch.undo()
    with pytest.raises(StoreDamaged):
        Store.open_with_slot(paths, fatma, "mavi deniz kırmızı kapı")
    with unlock(centre.home, Credentials(None, recovery_key=centre.result.recovery_key)) as session:
        assert [u.name for u in users.list_users(session)] == ["ayse"]
    assert all(len(slot.wrapped_keys) == 1 for slot in keyring.read_keyring(paths).slots)


def test_store_from_a_newer_version_is_refused(centre):
    with centre.session.transaction() as conn:
        conn.execute("INSERT INTO schema_migrations (number, name, applied_at) VALUES (999, 'future', 'x')")
    centre.session.close()
    with pytest.raises(StoreIncompatible) as caught:
        unlock(centre.home, centre.credentials())
    assert "999" in str(caught.value)


def test_a_failing_migration_changes_nothing(centre, monkeypatch):
    centre.session.close()
    real = migrations.all_migrations()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "all_migrations", lambda: real + [migrations.Migration(len(real) + 1, "broken", broken)])
    with pytest.raises(RuntimeError):
        unlock(centre.home, centre.credentials())
    monkeypatch.undo()
    with unlock(centre.home, centre.credentials()) as session:
        with session.reading() as conn:
            assert migrations.current_version(conn) == len(real)
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0


def test_build_has_codec_and_fts5():
    assert database.check_build().startswith("4.")


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_store_made_at_schema_1_is_upgraded_on_unlock(tmp_path):
    """tests/fixtures/store-schema-1 was made by the first release's schema (users and audit only)."""
    home = tmp_path / "home"
    shutil.copytree(FIXTURES / "store-schema-1", home)
    recovery = (home / "RECOVERY_KEY.txt").read_text().strip()
    from caseworker.app import counts as counts_uc
    from caseworker.domain.periods import Period

    with unlock(home, Credentials("fatma", "mavi deniz kırmızı kapı")) as session:
        assert session.store.schema_version() == migrations.latest_version() > 1
        assert session.info.name == "Karşıyaka Kadın Danışma Merkezi"
        assert [u.name for u in users.list_users(session)] == ["ayse", "fatma"]
        counts_uc.TallyBook(session).record(Period(2026, 10), "follow_up", {"age": "35-44", "session": ["legal"]})
    with unlock(home, Credentials(None, recovery_key=recovery)) as session:
        from caseworker.app import maintenance

        assert maintenance.check(session).ok
        with session.reading() as conn:
            assert [row[0] for row in conn.execute("SELECT number FROM schema_migrations ORDER BY number")] == list(range(1, migrations.latest_version() + 1))


def test_a_replayed_clock_stamps_what_is_written_on_its_own_thread_only(coordinator):
    import threading
    from datetime import datetime, timedelta, timezone

    from caseworker.storage import audit
    from caseworker.storage.store import now_utc, replayed_clock

    past = datetime(2024, 12, 5, 17, 30, tzinfo=timezone(timedelta(hours=3)))
    elsewhere = []
    with replayed_clock(past):
        assert now_utc() == "2024-12-05T14:30:00+00:00"
        with coordinator.transaction() as conn:
            coordinator.audit(conn, "test.replayed")
        thread = threading.Thread(target=lambda: elsewhere.append(now_utc()))
        thread.start()
        thread.join()
    assert elsewhere[0] > "2025" and now_utc() > "2025"
    with coordinator.reading() as conn:
        assert audit.latest(conn, 1)[0].at == "2024-12-05T14:30:00+00:00"
