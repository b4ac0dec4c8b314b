"""Reading a file a person named: a clear message when it is not there, an environment fault
(disk, permissions) when the system refuses it."""

from __future__ import annotations

from pathlib import Path

from caseworker.errors import InvalidInput, fault_from_os_error
from caseworker.i18n import t


def read_named_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(t("The file {path} does not exist.", path=path)) from None
    except OSError as error:
        raise fault_from_os_error(error, path) from error
