"""Use cases that keep a store healthy: check it, back it up, restore it.

A backup is one ZIP file (``*.cwbackup``) holding ``manifest.json`` (format, store id, schema
version, program version, SHA-256 of every member), ``store.db`` (an encrypted copy made with
``VACUUM INTO``, same key) and the key slots. Nothing in it is plaintext data: it opens with any
passphrase that opened the store when it was made, or with the recovery key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Iterator
from typing import IO
from dataclasses import dataclass, field
from pathlib import Path

from caseworker import __version__, strict_json
from caseworker.app.files import refuse_to_overwrite
from caseworker.app.session import Credentials, Session, unlock
from caseworker.domain.districts import proper_district
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import AlreadyExists, InvalidInput, StoreDamaged, fault_from_os_error
from caseworker.i18n import t, tn
from caseworker.paths import HomePaths, make_private_dir
from caseworker.storage import keyring, migrations
from caseworker.storage import sync as sync_repo
from caseworker.storage import users as users_repo
from caseworker.storage.atomic import fsync_dir
from caseworker.storage.store import now_utc

BACKUP_FORMAT = "caseworker-backup"
BACKUP_VERSION = 1
MAX_BACKUP_MEMBER = 4 * 1024**3
# The manifest lists one store and its key slots: a few KiB.
MANIFEST_JSON = strict_json.JsonLimits(max_bytes=1024 * 1024, max_depth=4)
_SLOT_MEMBER = re.compile(r"^keyslots/[A-Za-z0-9_-]{1,64}\.json$")


@dataclass(frozen=True)
class CheckReport:
    checked: list[str]
    problems: list[str]
    notes: list[str] = field(default_factory=list)
    """Things to put right that do not make the store unsound (a district İzmir does not have)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """What a failed check tells the person: how many problems and what to do."""
        return tn(len(self.problems), "The store has {count} problem; restore a backup or ask for help.", "The store has {count} problems; restore a backup or ask for help.")


def check(session: Session) -> CheckReport:
    """Integrity of the database (SQLite and SQLCipher), the schema and the key slots."""
    store = session.store
    checked = [t("database pages (SQLite integrity check)"), t("encrypted pages (SQLCipher integrity check)")]
    problems = store.integrity_problems()
    checked.append(t("schema version {version} of {latest}", version=store.schema_version(), latest=migrations.latest_version()))
    ring = keyring.read_keyring(store.paths)
    with session.reading() as conn:
        registered = users_repo.user_slot_ids(conn)
    user_slots = {slot.slot_id for slot in ring.slots if slot.kind == "user"}
    checked.append(tn(len(ring.slots), "key slots ({count} file)", "key slots ({count} files)"))
    if registered - user_slots:
        problems.append(tn(len(registered - user_slots), "{count} user has no key-slot file and cannot unlock.", "{count} users have no key-slot file and cannot unlock."))
    if user_slots - registered:
        problems.append(tn(len(user_slots - registered), "{count} key-slot file belongs to no user.", "{count} key-slot files belong to no user."))
    if not any(slot.kind == "recovery" for slot in ring.slots):
        problems.append(t("The recovery key slot is missing."))
    return CheckReport(checked, problems, _district_notes(session))


def _district_notes(session: Session) -> list[str]:
    """The districts of the store and of its enrolled centres that name none of İzmir's 30: kept
    as they were typed (stores made before districts were checked), but worth putting right."""
    notes = []
    district = session.info.district
    if district and proper_district(district) is None:
        notes.append(t("The store's district “{district}” is not one of the 30 districts of İzmir; it is kept as it was typed, but reports cannot place it in a district.", district=district))
    if session.info.role == StoreRole.COORDINATOR.value:
        with session.reading() as conn:
            for centre in sync_repo.centres(conn):
                if proper_district(centre.district) is None:
                    notes.append(t("The district “{district}” of the centre {centre} is not one of the 30 districts of İzmir; the centre's next enrolment request can put it right.", district=centre.district, centre=centre.name))
    return notes


def backup(session: Session, target: Path, *, overwrite: bool = False) -> Path:
    """Write an encrypted backup of the whole store to ``target`` (atomically); an existing file
    is replaced only with ``overwrite``."""
    session.require(Permission.BACKUP)
    store = session.store
    target = Path(target).absolute()
    if target.exists() and target.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the backup file to write.", path=target))
    refuse_to_overwrite(target, overwrite)
    work = make_private_dir(store.paths.home / f".backup-{secrets.token_hex(4)}")
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        database_copy = work / "store.db"
        store.copy_database_to(database_copy)
        members: dict[str, Path] = {"store.db": database_copy}
        for slot_file in sorted(store.paths.keyslots.glob("*.json")):
            if not slot_file.name.startswith("."):
                members[f"keyslots/{slot_file.name}"] = slot_file
        manifest = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "store_id": store.store_id,
            "schema_version": store.schema_version(),
            "program_version": __version__,
            "created_at": now_utc(),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        with zipfile.ZipFile(partial, "x", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
            for name, path in members.items():
                archive.write(path, name)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, target)
        fsync_dir(target.parent)
    except OSError as error:
        raise fault_from_os_error(error, target) from error
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    with session.transaction() as conn:
        session.audit(conn, "store.backup")
    return target


def restore(home: Path, source: Path, credentials: Credentials) -> Session:
    """Put the store of backup ``source`` into ``home`` (which must hold no store yet).

    The backup is unpacked into a staging folder, checked member by member against its
    manifest, and unlocked with ``credentials`` there; only then is it moved into place.
    """
    paths = HomePaths(Path(home).absolute())
    if paths.database.exists():
        raise AlreadyExists(
            t("A store already exists in {home}. Restore into an empty folder (--home), or move the existing store away first.", home=paths.home)
        )
    check_backup_file(Path(source))
    created = [folder for folder in (paths.home, paths.keyslots) if not folder.exists()]
    make_private_dir(paths.home)
    _remove_abandoned_staging(paths)
    staging = HomePaths(make_private_dir(paths.home / f".restore-{secrets.token_hex(4)}"))
    try:
        _unpack_backup(Path(source), staging)
        session = unlock(staging.home, credentials)
        report = check(session)
        session.close()
        if not report.ok:
            raise StoreDamaged(t("The backup {file} is damaged: {problem}", file=source, problem=report.problems[0]))
        make_private_dir(paths.keyslots)
        if any(paths.keyslots.iterdir()):
            raise AlreadyExists(t("The folder {folder} holds key slots already. Move it away and try again.", folder=paths.keyslots))
        for slot_file in staging.keyslots.iterdir():
            os.replace(slot_file, paths.keyslots / slot_file.name)
        os.replace(staging.database, paths.database)
        fsync_dir(paths.home)
    except BaseException as error:
        shutil.rmtree(staging.home, ignore_errors=True)
        for folder in reversed(created):  # what a failed restore made is gone again; nothing else
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError):
            raise fault_from_os_error(error, paths.home) from error
        raise
    shutil.rmtree(staging.home, ignore_errors=True)
    session = unlock(paths.home, credentials)
    with session.transaction() as conn:
        session.audit(conn, "store.restore")
    return session


def check_backup_file(source: Path) -> None:
    """That ``source`` is a Caseworker backup whose manifest lists what it holds, before anyone is
    asked for a passphrase; ``InvalidInput`` saying what is wrong otherwise."""
    with _opened_backup(source):
        pass


@contextlib.contextmanager
def _opened_backup(source: Path) -> Iterator[tuple[zipfile.ZipFile, dict[str, str]]]:
    """The backup's archive and its manifest's files (member → SHA-256), checked for shape."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise InvalidInput(t("The backup file {file} does not exist.", file=source)) from None
    except IsADirectoryError:
        raise InvalidInput(t("{path} is a folder; give the backup file (*.cwbackup).", path=source)) from None
    except (zipfile.BadZipFile, EOFError):
        raise _damaged(source) from None
    with archive:
        try:
            expected = _manifest_files(archive)
        except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, KeyError, AttributeError, EOFError):
            expected = None
        if expected is None:
            raise _damaged(source)
        yield archive, expected


def _manifest_files(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """The manifest's members and digests, or None when the archive is not a backup as written."""
    names = archive.namelist()
    if len(names) != len(set(names)) or "manifest.json" not in names:
        return None
    if archive.getinfo("manifest.json").file_size > MANIFEST_JSON.max_bytes:
        return None
    with archive.open("manifest.json") as member:
        try:
            manifest = strict_json.loads(member.read(MANIFEST_JSON.max_bytes + 1), MANIFEST_JSON, "manifest.json")
        except InvalidInput:
            return None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT or manifest.get("version") != BACKUP_VERSION:
        return None
    expected = manifest.get("files")
    if not isinstance(expected, dict) or set(expected) != set(names) - {"manifest.json"} or "store.db" not in expected:
        return None
    if any(name != "store.db" and not _SLOT_MEMBER.match(name) for name in expected):
        return None
    if any(archive.getinfo(name).file_size > MAX_BACKUP_MEMBER for name in expected):
        return None
    return expected


def _damaged(source: Path) -> InvalidInput:
    return InvalidInput(t("{file} is not a Caseworker backup, or it is damaged or incomplete.", file=source))


def _remove_abandoned_staging(paths: HomePaths) -> None:
    """Staging folders a restore killed part-way left in a home that still has no store."""
    for leftover in paths.home.glob(".restore-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _unpack_backup(source: Path, staging: HomePaths) -> None:
    """Each member checked against the manifest's digest before a byte of it is written: a
    member that does not match (or decompresses to more than it declares) never lands on disk."""
    with _opened_backup(source) as (archive, expected):
        make_private_dir(staging.keyslots)
        for name, digest in expected.items():
            with archive.open(name) as member:
                if _stream_sha256(member) != digest:
                    raise _damaged(source)
            target = staging.home / name
            with archive.open(name) as member, open(target, "wb") as out:
                shutil.copyfileobj(member, out)
            os.chmod(target, 0o600)
            if _sha256(target) != digest:  # the archive changed between the two reads
                raise _damaged(source)


def _stream_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return _stream_sha256(handle)
