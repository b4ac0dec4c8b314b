"""Atomic, private file writes: a temporary name in the same folder, flushed, fsynced, renamed.

A reader sees either the old file or the new one, never a half-written file, even if the process
is killed or the disk fills in the middle. Files are created 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from caseworker.errors import fault_from_os_error


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically; on failure the old file is untouched."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise fault_from_os_error(error, path) from error


def remove_durably(path: Path) -> None:
    """Delete ``path`` (if present) and make the deletion durable."""
    try:
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)
    except OSError as error:
        raise fault_from_os_error(error, path) from error
