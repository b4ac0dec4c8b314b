"""Removing a user leaves nothing from before that opens what comes after (issue 12, item 2).

The attacker is a removed user who kept her own key-slot file and a copy of the database from
before her removal (or a backup from then), and later reads the files on the centre's laptop or
a later backup: every slot file, ``recovery.json`` and the database. She knows her passphrase,
so she knows the old database key and everything inside the old database.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import sqlcipher3

from caseworker.app import maintenance, users
from caseworker.app.session import Credentials, unlock
from caseworker.domain.users import Role
from caseworker.paths import HomePaths
from caseworker.storage import authority, keyring
from caseworker.storage.keyslots import KeySlot, SlotSecret, open_secret, parse_slot, unwrap_database_keys
from tests.conftest import PASSPHRASE

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
        for authority in authorities:
            try:
                candidates += [key for _, key in unwrap_database_keys(slot, SlotSecret(authority, slot.public_key))]
            except Exception:  # noqa: BLE001 - the attacker simply tries the next one
                continue
    return next((key for key in candidates if opens(database, key)), None)


@pytest.fixture
def removal(centre, tmp_path):
    """fatma is removed; before that she copied her slot file and the database."""
    users.add_user(centre.session, "fatma", Role.CASEWORKER, FATMA)
    users.add_user(centre.session, "zeynep", Role.SUPERVISOR, ZEYNEP)
    paths = HomePaths(centre.home)
    kept = tmp_path / "kept"
    kept.mkdir()
    before = maintenance.backup(centre.session, kept / "before.zip")
    fatma = keyring.read_keyring(paths).for_user("fatma")
    centre.session.store.copy_database_to(kept / "store.db")
    users.remove_user(centre.session, "fatma")
    return paths, fatma, kept / "store.db", before


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
    for credentials in (Credentials("ayse", PASSPHRASE), Credentials("zeynep", ZEYNEP), Credentials(None, recovery_key=centre.result.recovery_key)):
        with unlock(centre.home, credentials) as session:
            assert [u.name for u in users.list_users(session)] == ["ayse", "zeynep"]
