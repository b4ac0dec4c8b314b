"""Where Caseworker keeps its files: the one module that knows paths.

A *home* folder holds one store::

    HOME/
      store.db            the SQLCipher database (with store.db-wal and store.db-shm beside it)
      keyslots/           one key-slot file per user, and one for the recovery key
      settings.json       machine settings that must be read before the store is unlocked
      outbox/, crash/     made by the parts that need them

The home is chosen, in order, by ``--home DIR``, the ``CASEWORKER_HOME`` environment variable, or
the platform's user data folder (``platformdirs``). Folders the program makes are private to the
user (0700), files 0600, where the system has modes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "Caseworker"
HOME_ENV = "CASEWORKER_HOME"


def resource(*parts: str) -> Traversable:
    """A file or folder shipped inside the package under ``resources/`` (catalogue, schemas,
    fonts, icons, translations, sample data), found the same way when installed or frozen."""
    found = resources.files("caseworker") / "resources"
    for part in parts:
        found = found / part
    return found


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The home folder chosen by ``--home``, then ``CASEWORKER_HOME``, then the platform."""
    if explicit:
        return Path(explicit).expanduser().absolute()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser().absolute()
    return default_home()


@dataclass(frozen=True)
class HomePaths:
    """The files and folders of one home."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "store.db"

    @property
    def keyslots(self) -> Path:
        return self.home / "keyslots"

    @property
    def settings(self) -> Path:
        return self.home / "settings.json"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def crash_reports(self) -> Path:
        return self.home / "crash"

    def database_companions(self) -> list[Path]:
        """The database and the files SQLite keeps beside it."""
        db = self.database
        return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), db.with_name(db.name + "-journal")]

    def slot_file(self, slot_id: str) -> Path:
        return self.keyslots / f"{slot_id}.json"

    def has_store(self) -> bool:
        return self.database.exists()


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed, readable by the owner only.

    A folder that exists already keeps its permissions: a person who points ``--home`` at a
    folder of theirs does not find it closed to everyone else afterwards. What Caseworker puts
    in it is private by itself (files 0600, its own folders 0700).
    """
    if path.is_dir():
        return path
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)  # mkdir's mode is narrowed by the umask, never widened; say it exactly
    return path
