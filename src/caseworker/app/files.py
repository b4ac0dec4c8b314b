"""Reading a file a person named: a clear message when it is not there, an environment fault
(disk, permissions) when the system refuses it."""

from __future__ import annotations

from pathlib import Path

from caseworker.errors import AlreadyExists, InvalidInput, fault_from_os_error
from caseworker.i18n import t


def read_named_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(t("The file {path} does not exist.", path=path)) from None
    except OSError as error:
        raise fault_from_os_error(error, path) from error


def refuse_to_overwrite(path: Path, overwrite: bool) -> None:
    """``AlreadyExists`` when ``path`` is a file, or a folder with something in it, and replacing
    it was not asked for (``--force`` on the command line)."""
    path = Path(path)
    if overwrite or not path.exists():
        return
    if path.is_dir() and not any(path.iterdir()):
        return
    raise AlreadyExists(t("{path} exists already. Give another name, or add --force to replace it.", path=path))
