"""Machine settings: typed, defaults, a bad file never stops the program."""

from __future__ import annotations

import json

from caseworker import settings


def test_missing_file_gives_defaults(tmp_path):
    loaded = settings.load(tmp_path / "settings.json")
    assert loaded == settings.Settings()
    assert loaded.language == "tr" and loaded.idle_lock_minutes == 5 and loaded.sync_interval_hours == 24


def test_round_trip_and_privacy(tmp_path):
    path = tmp_path / "settings.json"
    settings.save(path, settings.Settings(language="en", idle_lock_minutes=15))
    assert settings.load(path) == settings.Settings(language="en", idle_lock_minutes=15)
    assert path.stat().st_mode & 0o077 == 0


def test_bad_values_fall_back_one_by_one(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"language": "de", "idle_lock_minutes": "ten", "sync_interval_hours": 6, "unknown": 1}))
    loaded = settings.load(path)
    assert loaded == settings.Settings(sync_interval_hours=6)
    path.write_text("{ broken")
    assert settings.load(path) == settings.Settings()
