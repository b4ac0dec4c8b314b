"""Crash reports for bugs: the traceback and versions, never passphrases, keys or data."""

from __future__ import annotations

import platform
import traceback
from datetime import datetime, timezone
from pathlib import Path

from caseworker import __version__
from caseworker.paths import HomePaths, make_private_dir
from caseworker.storage.atomic import write_atomic


def crash_text(error: BaseException) -> str:
    lines = [
        f"Caseworker {__version__} crash report",
        f"time: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_report(home: Path, error: BaseException) -> Path:
    folder = make_private_dir(HomePaths(home).crash_reports)
    path = folder / f"crash-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}.txt"
    write_atomic(path, crash_text(error).encode("utf-8"))
    return path
