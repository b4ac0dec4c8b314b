"""Machine settings: typed, with defaults, read before the store is unlocked.

They live in ``settings.json`` in the home folder and hold nothing secret (the language, the
idle time before the window locks, how often statistics are exported, the reporting deadline).
A missing file means all defaults; an unknown key is ignored; a value of the wrong type or out
of range falls back to its default, so a hand-edited file never stops the program.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from caseworker.i18n import DEFAULT_LANGUAGE, LANGUAGES
from caseworker.storage.atomic import write_atomic


@dataclass(frozen=True)
class Settings:
    language: str = DEFAULT_LANGUAGE
    idle_lock_minutes: int = 5
    sync_interval_hours: int = 24
    report_deadline_day: int = 10

    def validated(self) -> "Settings":
        defaults = Settings()
        checks = {
            "language": lambda v: v in LANGUAGES,
            "idle_lock_minutes": lambda v: 1 <= v <= 240,
            "sync_interval_hours": lambda v: 1 <= v <= 24 * 31,
            "report_deadline_day": lambda v: 1 <= v <= 28,
        }
        changes = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if type(value) is not type(getattr(defaults, field.name)) or not checks[field.name](value):
                changes[field.name] = getattr(defaults, field.name)
        return replace(self, **changes)


def load(path: Path) -> Settings:
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {field.name for field in fields(Settings)}
    return Settings(**{key: value for key, value in raw.items() if key in known}).validated()


def save(path: Path, settings: Settings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, (json.dumps(asdict(settings.validated()), indent=2, sort_keys=True) + "\n").encode("utf-8"))
