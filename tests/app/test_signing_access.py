"""Only signers sign: a caseworker's session opens the store but never the signing key.

The attacks replayed here are those of a caseworker who holds the database key (her own slot
opens it): reading the signing secret, writing a seal for herself into the database, keeping a
copy from the days she was a supervisor.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from caseworker.app import counts, months, sync_keys, sync_outbox, users
from caseworker.app.session import Credentials, Session, unlock
from caseworker.domain.periods import Period
from caseworker.domain.users import Role
from caseworker.errors import PermissionDenied
from caseworker.paths import HomePaths
from caseworker.storage import keyring, migrations
from caseworker.storage import signer_key as seals
from caseworker.storage import sync as sync_repo
from caseworker.storage.keyslots import open_secret
from caseworker.sync import minisign
from tests.conftest import enrol, make_centre

CASEWORKER_PASSPHRASE = "sarı limon yeşil kapı"
SUPERVISOR_PASSPHRASE = "mor dağ beyaz bulut"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema-5"


def slot_private(home: Path, session: Session, passphrase: str) -> bytes:
    slot = keyring.read_keyring(HomePaths(home)).for_user(session.user.name)
    return open_secret(slot, passphrase).slot_private


def plain_secret(session: Session) -> bytes:
    return sync_keys.signing_key(session).to_bytes()


def database_content(session: Session) -> bytes:
    """Every value in every table of the store, as someone holding the database key reads it."""
    found = bytearray()
    with session.reading() as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    found += value if isinstance(value, bytes) else str(value).encode()
    return bytes(found)


@pytest.fixture
def fatma(centre) -> Session:
    """A caseworker of the centre, unlocked."""
    users.add_user(centre.session, "fatma", Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    session = unlock(centre.home, Credentials("fatma", CASEWORKER_PASSPHRASE))
    yield session
    session.close()


def test_a_caseworkers_session_cannot_sign(centre, fatma):
    made = sync_keys.keys(centre.session)
    assert sync_keys.may_sign(centre.session) and not sync_keys.may_sign(fatma)
    with pytest.raises(PermissionDenied) as refused:
        sync_keys.signing_key(fatma)
    assert "supervisor" in refused.value.message.lower() or "sorumlu" in refused.value.message.lower()
    assert sync_keys.keys(fatma).fingerprint == made.fingerprint  # she still sees the public key


def test_a_caseworkers_sync_run_delivers_and_leaves_the_changed_month_to_a_supervisor(tmp_path, coordinator):
    centre = make_centre(tmp_path, "Konak KDM", "Konak")
    period = Period.current().plus(-1)
    counts.TallyBook(centre).record(period, "follow_up", {"age": "25-34", "session": "legal"})
    months.submit(centre, period)  # no coordinator pinned yet: nothing is signed or sent
    enrol(centre, coordinator)
    users.add_user(centre, "fatma", Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    with unlock(centre.home, Credentials("fatma", CASEWORKER_PASSPHRASE)) as fatma:
        with pytest.raises(PermissionDenied):
            sync_outbox.export_bundle(fatma)
        assert sync_outbox.run(fatma).exported is None
    exported = sync_outbox.run(centre).exported
    assert exported is not None and exported.sequence == 1
    centre.close()


def test_nothing_her_key_opens_holds_the_signing_secret(centre, fatma):
    secret = plain_secret(centre.session)
    assert secret[8:] not in database_content(fatma)
    private = slot_private(centre.home, fatma, CASEWORKER_PASSPHRASE)
    with fatma.reading() as conn:
        every_seal = seals.all_seals(conn)
    assert every_seal and all(seals.open_seal(fatma.store.store_id, seal, private) is None for seal in every_seal)


def test_a_seal_she_writes_for_herself_signs_nothing_and_is_not_carried_on(centre, fatma):
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, SUPERVISOR_PASSPHRASE)
    own_key = seals.new_key()
    slot = keyring.read_keyring(HomePaths(centre.home)).for_user("fatma")
    with fatma.transaction() as conn:
        seals.put_seal(conn, seals.seal_for(fatma.store.store_id, slot.slot_id, slot.public_key, own_key))
        conn.execute("UPDATE users SET role = 'supervisor' WHERE name = 'fatma'")
    fatma.close()
    with unlock(centre.home, Credentials("fatma", CASEWORKER_PASSPHRASE)) as forged:
        with pytest.raises(PermissionDenied):
            sync_keys.signing_key(forged)
    users.remove_user(centre.session, "zeynep")  # the signer key is replaced for the seals it endorsed
    with unlock(centre.home, Credentials("fatma", CASEWORKER_PASSPHRASE)) as after:
        assert after.signer_key is None
    assert len(plain_secret(centre.session)) == 40


def test_a_supervisor_added_later_signs_with_the_same_key(centre):
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, SUPERVISOR_PASSPHRASE)
    with unlock(centre.home, Credentials("zeynep", SUPERVISOR_PASSPHRASE)) as zeynep:
        assert plain_secret(zeynep) == plain_secret(centre.session)


def test_new_passphrases_keep_signing(centre):
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, SUPERVISOR_PASSPHRASE)
    users.change_passphrase(centre.session, "zeynep", "yeni parola uzun bir cümle")
    users.change_passphrase(centre.session, "ayse", "ayşenin yeni parolası uzun")
    expected = plain_secret(centre.session)
    with unlock(centre.home, Credentials("zeynep", "yeni parola uzun bir cümle")) as zeynep:
        assert plain_secret(zeynep) == expected
    with unlock(centre.home, Credentials("ayse", "ayşenin yeni parolası uzun")) as ayse:
        assert plain_secret(ayse) == expected


def test_a_removed_supervisors_copy_opens_no_later_signing_secret(centre, tmp_path):
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, SUPERVISOR_PASSPHRASE)
    with unlock(centre.home, Credentials("zeynep", SUPERVISOR_PASSPHRASE)) as zeynep:
        her_private = slot_private(centre.home, zeynep, SUPERVISOR_PASSPHRASE)
        with zeynep.reading() as conn:
            her_seal = seals.seal_of(conn, keyring.read_keyring(HomePaths(centre.home)).for_user("zeynep").slot_id)
        her_key = zeynep.signer_key
    assert seals.open_seal(centre.session.store.store_id, her_seal, her_private) == her_key
    users.remove_user(centre.session, "zeynep")
    with centre.session.reading() as conn:
        ident = sync_repo.identity(conn)
    assert seals.open_secret(centre.session.store.store_id, her_key, ident.signing_secret) is None
    assert centre.session.signer_key != her_key
    with unlock(centre.home, Credentials(None, recovery_key=centre.result.recovery_key)) as recovery:
        assert plain_secret(recovery) == plain_secret(centre.session)


def test_a_store_made_before_is_sealed_at_its_first_supervisors_unlock(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE / "centre-schema-5", tmp_path / "centre")
    home = tmp_path / "centre"
    passphrase = "mavi deniz kırmızı kapı"
    with monkeypatch.context() as patch:  # what the store held before: a plain signing secret
        patch.setattr(migrations, "migrate", functools.partial(migrations.migrate, target=7))
        with unlock(home, Credentials("ayse", passphrase)) as old:
            with old.reading() as conn:
                old_secret = bytes(conn.execute("SELECT signing_secret FROM sync_identity").fetchone()[0])
    with unlock(home, Credentials("ayse", passphrase)) as ayse:
        assert ayse.store.schema_version() == migrations.latest_version()
        assert plain_secret(ayse) == old_secret
        assert sync_keys.keys(ayse).signing_public_key == minisign.SigningKey.from_bytes(old_secret).public_key().to_base64()
        assert old_secret[8:] not in database_content(ayse)
        users.add_user(ayse, "fatma", Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    recovery_key = (home / "RECOVERY_KEY.txt").read_text(encoding="utf-8").strip()
    with unlock(home, Credentials(None, recovery_key=recovery_key)) as recovery:
        assert plain_secret(recovery) == old_secret
    with unlock(home, Credentials("fatma", CASEWORKER_PASSPHRASE)) as fatma:
        assert fatma.signer_key is None


def test_a_caseworker_unlocking_a_store_made_before_does_not_seal_it(tmp_path, monkeypatch):
    shutil.copytree(FIXTURE / "centre-schema-5", tmp_path / "centre")
    home = tmp_path / "centre"
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "migrate", functools.partial(migrations.migrate, target=7))
        with unlock(home, Credentials("ayse", "mavi deniz kırmızı kapı")) as ayse:
            users.add_user(ayse, "fatma", Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    with unlock(home, Credentials("fatma", CASEWORKER_PASSPHRASE)) as fatma:
        assert fatma.signer_key is None
        with fatma.reading() as conn:
            assert seals.state(conn) == seals.PENDING
            assert not sync_repo.identity(conn).signing_sealed
    with unlock(home, Credentials("ayse", "mavi deniz kırmızı kapı")) as ayse:
        assert sync_keys.may_sign(ayse)
        with ayse.reading() as conn:
            assert seals.state(conn) == seals.SEALED and sync_repo.identity(conn).signing_sealed
