"""Backups restored into a new home: nothing unchecked lands on disk, an interrupted restore
leaves nothing in the way, and a folder of the person's own keeps its permissions."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from caseworker.app import maintenance
from caseworker.app.session import Credentials, initialise
from caseworker.domain.users import StoreRole
from tests.conftest import PACKAGE_PARENT, PASSPHRASE

RESTORE_UNDER_A_FILE_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024 * 1024, 4 * 1024 * 1024))
from pathlib import Path
from caseworker.app import maintenance
from caseworker.app.session import Credentials
from caseworker.errors import CaseworkerError
try:
    maintenance.restore(Path(sys.argv[1]), Path(sys.argv[2]), Credentials("ayse", sys.argv[3]))
except CaseworkerError as error:
    print(type(error).__name__)
"""


@pytest.fixture
def backup(centre, tmp_path) -> Path:
    return maintenance.backup(centre.session, tmp_path / "yedek.cwbackup")


def _with_store_db_replaced(backup: Path, data: bytes, out: Path) -> Path:
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == "store.db" else source.read(info.filename))
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_member_that_does_not_match_its_digest_never_reaches_the_disk(backup, tmp_path):
    forged = _with_store_db_replaced(backup, os.urandom(8 * 1024 * 1024), tmp_path / "forged.cwbackup")
    home = tmp_path / "new-home"
    done = subprocess.run(
        [sys.executable, "-c", RESTORE_UNDER_A_FILE_SIZE_LIMIT, str(home), str(forged), PASSPHRASE],
        env={**os.environ, "PYTHONPATH": PACKAGE_PARENT}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "InvalidInput"  # refused as damaged, not stopped by the full disk
    assert not home.exists()


def test_a_restore_killed_part_way_leaves_nothing_the_next_one_trips_on(backup, tmp_path):
    home = tmp_path / "new-home"
    leftover = home / ".restore-0badf00d"
    (leftover / "keyslots").mkdir(parents=True)
    (leftover / "store.db").write_bytes(b"half a store")
    session = maintenance.restore(home, backup, Credentials("ayse", PASSPHRASE))
    session.close()
    assert not list(home.glob(".restore-*"))
    assert (home / "store.db").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_folder_of_ones_own_keeps_its_permissions(backup, tmp_path):
    for made_by in ("init", "restore"):
        folder = tmp_path / f"documents-{made_by}"
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)
        if made_by == "init":
            session, _ = initialise(folder, store_role=StoreRole.CENTRE, name="Buca KDM", district="Buca", user_name="ayse", passphrase=PASSPHRASE)
        else:
            session = maintenance.restore(folder, backup, Credentials("ayse", PASSPHRASE))
        session.close()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        assert stat.S_IMODE((folder / "keyslots").stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "store.db").stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_home_is_private(tmp_path):
    home = tmp_path / "fresh" / "home"
    session, _ = initialise(home, store_role=StoreRole.CENTRE, name="Buca KDM", district="Buca", user_name="ayse", passphrase=PASSPHRASE)
    session.close()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
