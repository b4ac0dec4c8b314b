"""Removing a user leaves nothing from before that opens what comes after (issue 12, item 2).

The attacker is a removed user who kept her own key-slot file and a copy of the database from
before her removal (or a backup from then), and later reads the files on the centre's laptop or
a later backup: every slot file, ``recovery.json`` and the database. She knows her passphrase,
so she knows the old database key and everything inside the old database.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import sqlcipher3

from caseworker.app import maintenance, users
from caseworker.app.session import Credentials, unlock
from caseworker.domain.users import Role
from caseworker.errors import AuthenticationFailed, DiskFull, StoreDamaged
from caseworker.paths import HomePaths
from caseworker.storage import authority, database, keyring
from caseworker.storage.keyslots import KeySlot, SlotSecret, open_secret, parse_slot, unwrap_database_keys
from caseworker.storage.store import Store
from tests.conftest import PACKAGE_PARENT, PASSPHRASE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

FATMA = "mavi deniz kırmızı kapı"
ZEYNEP = "yeşil çam ağacı gölgesi"


def opens(database: Path, key: bytes) -> bool:
    conn = sqlcipher3.connect(str(database))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def old_secrets(old_slot: KeySlot, passphrase: str, old_database: Path) -> tuple[list[bytes], list[bytes]]:
    """What the removed user gets from her old files: database keys and authority private keys
    (a store's random one kept in the database, or the one derived from the database key)."""
    keys = [key for _, key in unwrap_database_keys(old_slot, open_secret(old_slot, passphrase))]
    authorities = []
    for key in keys:
        if not opens(old_database, key):
            continue
        conn = sqlcipher3.connect(str(old_database))
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        authorities += [bytes.fromhex(row[0]) for row in conn.execute("SELECT value FROM store_meta WHERE key = 'authority_private'")]
        conn.close()
        authorities.append(authority.derive_private(key, old_slot.store_id))
    return keys, authorities


def attack(old_slot: KeySlot, passphrase: str, old_database: Path, slot_files: list[Path], database: Path) -> bytes | None:
    """The key of ``database`` derived from the old files and today's slot files, or None.

    With an authority private key, X25519 agreement with a slot's *public* key (in its header)
    gives the key that wraps the database key for that slot; ``unwrap_database_keys`` computes
    the same agreement when handed the authority key as the "slot private" key and the slot's
    public key as the "authority public" key.
    """
    keys, authorities = old_secrets(old_slot, passphrase, old_database)
    candidates = list(keys)
    for path in slot_files:
        slot = parse_slot(path.read_bytes(), str(path))
        for private in authorities:
            try:
                candidates += [key for _, key in unwrap_database_keys(slot, SlotSecret(private, slot.public_key))]
            except Exception:  # noqa: BLE001 - the attacker simply tries the next one
                continue
    return next((key for key in candidates if opens(database, key)), None)


def everyone_opens(home: Path, names: list[str], *credentials: Credentials) -> None:
    """Each of ``credentials`` unlocks ``home``, sees the users ``names``, and the check passes."""
    for each in credentials:
        with unlock(home, each) as session:
            assert [u.name for u in users.list_users(session)] == names
            assert maintenance.check(session).ok


def closed_to_her(paths: HomePaths, fatma: KeySlot, old_database: Path) -> None:
    """The removed fatma's slot is gone, and her old files open neither the store nor a slot."""
    assert keyring.read_keyring(paths).by_id(fatma.slot_id) is None
    assert attack(fatma, FATMA, old_database, sorted(paths.keyslots.glob("*.json")), paths.database) is None
    with pytest.raises((AuthenticationFailed, StoreDamaged)):
        unlock(paths.home, Credentials("fatma", FATMA))


def fatma_and_zeynep_with_an_old_copy(centre, tmp_path: Path) -> tuple[HomePaths, KeySlot, Path]:
    """fatma and zeynep are added; fatma copies her slot and the database."""
    users.add_user(centre.session, "fatma", Role.CASEWORKER, FATMA)
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, ZEYNEP)
    paths = HomePaths(centre.home)
    old_database = tmp_path / "old.db"
    centre.session.store.copy_database_to(old_database)
    return paths, keyring.read_keyring(paths).for_user("fatma"), old_database


@pytest.fixture
def removal(centre, tmp_path):
    """fatma is removed; before that she copied her slot file and the database."""
    paths, fatma, old_database = fatma_and_zeynep_with_an_old_copy(centre, tmp_path)
    before = maintenance.backup(centre.session, tmp_path / "before.zip")
    users.remove_user(centre.session, "fatma")
    return paths, fatma, old_database, before


def test_old_slot_and_old_database_do_not_open_the_live_store(removal, centre):
    paths, fatma, old_database, _ = removal
    assert opens(old_database, old_secrets(fatma, FATMA, old_database)[0][0])
    slot_files = sorted(paths.keyslots.glob("*.json"))
    assert attack(fatma, FATMA, old_database, slot_files, paths.database) is None
    centre.session.close()
    assert attack(fatma, FATMA, old_database, slot_files, paths.database) is None


def test_old_slot_and_old_database_do_not_open_a_later_backup(removal, centre, tmp_path):
    paths, fatma, old_database, _ = removal
    later = maintenance.backup(centre.session, tmp_path / "after.zip")
    unpacked = tmp_path / "after"
    with zipfile.ZipFile(later) as archive:
        archive.extractall(unpacked)
    slot_files = sorted((unpacked / "keyslots").glob("*.json"))
    assert attack(fatma, FATMA, old_database, slot_files, unpacked / "store.db") is None


def test_a_backup_from_before_the_removal_stays_hers(removal, tmp_path):
    """By design: what she could read then, she can read from a backup of then."""
    _, fatma, _, before = removal
    unpacked = tmp_path / "before"
    with zipfile.ZipFile(before) as archive:
        archive.extractall(unpacked)
    with unlock(unpacked, Credentials("fatma", FATMA)) as session:
        assert session.user.name == "fatma"
    shutil.rmtree(unpacked)


def test_everyone_left_still_unlocks_after_the_removal(removal, centre):
    centre.session.close()
    everyone_opens(centre.home, ["ayse", "zeynep"], Credentials("ayse", PASSPHRASE), Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key))


def test_remaining_slots_follow_a_link_and_are_pinned_again_at_their_next_unlock(removal, centre):
    paths = removal[0]
    centre.session.close()
    zeynep = keyring.read_keyring(paths).for_user("zeynep")
    assert len(zeynep.authority_links) == 1 and [w.generation for w in zeynep.wrapped_keys] == [1]
    with unlock(centre.home, Credentials("zeynep", ZEYNEP)):
        pass
    resealed = keyring.read_keyring(paths).for_user("zeynep")
    assert resealed.authority_links == () and resealed.kdf.salt != zeynep.kdf.salt
    assert authority.trusted_authorities(resealed, open_secret(resealed, ZEYNEP)) == [
        authority.public_of(authority.derive_private(authority.unwrap_all(resealed, open_secret(resealed, ZEYNEP))[0][1], resealed.store_id))
    ]
    with unlock(centre.home, Credentials("zeynep", ZEYNEP)) as session:
        assert session.user.name == "zeynep"


def test_an_unlock_that_cannot_write_the_pinned_slot_still_opens(removal, centre, monkeypatch):
    paths = removal[0]
    centre.session.close()

    def full(*_):
        raise DiskFull("simulated full disk")

    monkeypatch.setattr(keyring, "write_slot", full)
    with unlock(centre.home, Credentials("zeynep", ZEYNEP)) as session:
        assert session.user.name == "zeynep"
    assert len(keyring.read_keyring(paths).for_user("zeynep").authority_links) == 1


def test_a_slot_not_unlocked_between_two_removals_follows_both_links(centre, tmp_path):
    for name, passphrase in (("fatma", FATMA), ("zeynep", ZEYNEP), ("hatice", "sarı limon ağacı dalı")):
        users.add_user(centre.session, name, Role.CASEWORKER, passphrase)
    users.remove_user(centre.session, "fatma")
    users.remove_user(centre.session, "hatice")
    centre.session.close()
    ring = keyring.read_keyring(HomePaths(centre.home))
    assert len(ring.recovery().authority_links) == 2 and len(ring.for_user("zeynep").authority_links) == 2
    everyone_opens(centre.home, ["ayse", "zeynep"], Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key))


def test_a_link_from_an_authority_the_slot_never_trusted_is_ignored(removal, centre):
    paths = removal[0]
    centre.session.close()
    zeynep = keyring.read_keyring(paths).for_user("zeynep")
    stranger = authority.derive_private(b"\x07" * 32, zeynep.store_id)
    forged = authority.endorse(zeynep, stranger, authority.public_of(stranger), 7)
    keyring.write_slot(paths, replace(zeynep, authority_links=zeynep.authority_links + (forged,)))
    tampered = keyring.read_keyring(paths).for_user("zeynep")
    assert authority.public_of(stranger) not in authority.trusted_authorities(tampered, open_secret(tampered, ZEYNEP))
    with unlock(centre.home, Credentials("zeynep", ZEYNEP)) as session:
        assert session.user.name == "zeynep"


class Crash(OSError):
    pass


def _crash_on_call(monkeypatch, owner, name, call):
    real = getattr(owner, name)
    calls = []

    def crashing(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            raise Crash("simulated power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, crashing)


# ayse, zeynep and the recovery slot remain: three slot writes before the switch, three after.
CRASH_POINTS = {
    "while the remaining slots get the new key": (keyring, "write_slot", 2),
    "at the switch of the database key": (database, "set_key", 1),
    "before the removed slot is deleted": (keyring, "delete_slot", 1),
    "while the old key is dropped": (keyring, "write_slot", 5),
    "before an older random authority is deleted": (Store, "_drop_random_authority", 1),
}


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_removal_cut_short_at_any_step_leaves_a_store_everyone_left_opens_and_she_does_not(centre, tmp_path, monkeypatch, point):
    paths, fatma, old_database = fatma_and_zeynep_with_an_old_copy(centre, tmp_path)
    _crash_on_call(monkeypatch, *CRASH_POINTS[point])
    with pytest.raises(Crash):
        users.remove_user(centre.session, "fatma")
    centre.session.close()
    monkeypatch.undo()
    everyone_opens(centre.home, ["ayse", "zeynep"], Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key), Credentials("ayse", PASSPHRASE))
    closed_to_her(paths, fatma, old_database)


def test_a_store_made_before_keeps_opening_and_moves_to_a_new_authority_at_its_first_removal(tmp_path):
    """tests/fixtures/store-schema-1: version 1 slots, a random authority key in the database."""
    home = tmp_path / "home"
    shutil.copytree(FIXTURES / "store-schema-1", home)
    recovery = (home / "RECOVERY_KEY.txt").read_text().strip()
    paths = HomePaths(home)
    assert {json.loads(p.read_bytes())["version"] for p in paths.keyslots.glob("*.json")} == {1}
    with unlock(home, Credentials("fatma", FATMA)) as session:
        assert session.store.meta("authority_private")
        session.store.copy_database_to(tmp_path / "old.db")
        ayse = keyring.read_keyring(paths).for_user("ayse")
    # ayse (whose passphrase this test does not know) is the one removed; her old slot is
    # attacked with the old database key, which fatma's slot gives.
    with unlock(home, Credentials(None, recovery_key=recovery)) as session:
        users.add_user(session, "zeynep", Role.SUPERVISOR, ZEYNEP)
        users.remove_user(session, "ayse")
        assert session.store.meta("authority_private") is None
    documents = [json.loads(p.read_bytes()) for p in paths.keyslots.glob("*.json")]
    assert {doc["version"] for doc in documents} == {2}
    fatma_old = parse_slot((FIXTURES / "store-schema-1" / "keyslots" / f"{keyring.read_keyring(paths).for_user('fatma').slot_id}.json").read_bytes(), "old")
    assert attack(fatma_old, FATMA, tmp_path / "old.db", sorted(paths.keyslots.glob("*.json")), paths.database) is None
    assert keyring.read_keyring(paths).by_id(ayse.slot_id) is None
    everyone_opens(home, ["fatma", "zeynep"], Credentials("fatma", FATMA), Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=recovery))


REMOVER = """
import sys, time
from caseworker.app import users
from caseworker.app.session import Credentials, unlock
from caseworker.storage import database, keyring

home, passphrase, stop, mode = sys.argv[1:5]
session = unlock(home, Credentials("ayse", passphrase))
calls = {}

def pausing(owner, name):
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        if f"{name}:{calls[name]}" == stop:
            print("stopped", flush=True)
            if mode == "pause":
                time.sleep(600)
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)

pausing(keyring, "write_slot")
pausing(keyring, "delete_slot")
pausing(database, "set_key")
users.remove_user(session, "fatma")
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems")
@pytest.mark.parametrize("stop", ["write_slot:2", "set_key:1", "delete_slot:1", "write_slot:5"])
def test_a_removal_killed_at_any_step_leaves_a_store_everyone_left_opens(centre, tmp_path, stop):
    paths, fatma, old_database = fatma_and_zeynep_with_an_old_copy(centre, tmp_path)
    centre.session.close()
    kill_removal(centre.home, stop, "pause")
    everyone_opens(centre.home, ["ayse", "zeynep"], Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key), Credentials("ayse", PASSPHRASE))
    closed_to_her(paths, fatma, old_database)


@pytest.mark.parametrize("point", ["at the switch of the database key", "before an older random authority is deleted"])
def test_an_older_store_whose_first_removal_is_cut_short_still_converts(tmp_path, monkeypatch, point):
    home = tmp_path / "home"
    shutil.copytree(FIXTURES / "store-schema-1", home)
    recovery = (home / "RECOVERY_KEY.txt").read_text().strip()
    with unlock(home, Credentials(None, recovery_key=recovery)) as session:
        users.add_user(session, "zeynep", Role.SUPERVISOR, ZEYNEP)
        _crash_on_call(monkeypatch, *CRASH_POINTS[point])
        with pytest.raises(Crash):
            users.remove_user(session, "ayse")
    monkeypatch.undo()
    everyone_opens(home, ["fatma", "zeynep"], Credentials("fatma", FATMA), Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=recovery))
    # A later removal still reaches every slot, whichever authority it trusted.
    with unlock(home, Credentials("zeynep", ZEYNEP)) as session:
        users.remove_user(session, "fatma")
        assert session.store.meta("authority_private") is None
    with unlock(home, Credentials(None, recovery_key=recovery)) as session:
        assert [u.name for u in users.list_users(session)] == ["zeynep"]


def kill_removal(home: Path, stop: str, mode: str, delay: float = 0.0) -> None:
    """Remove fatma in a child process and kill it at ``stop`` (``pause``), or ``delay`` seconds after (``go``)."""
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    child = subprocess.Popen([sys.executable, "-c", REMOVER, str(home), PASSPHRASE, stop, mode], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "stopped"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.communicate()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems")
@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.06, 0.1, 0.2])
def test_a_removal_killed_inside_the_switch_of_the_database_key(centre, tmp_path, delay):
    with centre.session.transaction() as conn:
        for number in range(20000):
            centre.session.audit(conn, "test.write", f"{number:06d} " + "x" * 200)
    paths, fatma, old_database = fatma_and_zeynep_with_an_old_copy(centre, tmp_path)
    centre.session.close()
    kill_removal(centre.home, "set_key:1", "go", delay)
    everyone_opens(centre.home, ["ayse", "zeynep"], Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key), Credentials("ayse", PASSPHRASE))
    closed_to_her(paths, fatma, old_database)
