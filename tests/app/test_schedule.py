"""Unattended sending: the files of a systemd user timer, a launchd agent and a Windows task, made
for each platform without running its scheduler (platform, home folder and commands injected)."""

from __future__ import annotations

import plistlib
import subprocess
from datetime import time
from pathlib import Path

import pytest

from caseworker.app import schedule
from caseworker.errors import InvalidInput


class FakeScheduler:
    """Records the commands the schedule would run; each answers ``code``."""

    def __init__(self, code: int = 0) -> None:
        self.ran: list[list[str]] = []
        self.code = code

    def __call__(self, command):
        self.ran.append(list(command))
        return subprocess.CompletedProcess(command, self.code, "", "no user bus" if self.code else "")


def _job(tmp_path: Path) -> schedule.Job:
    return schedule.Job(tmp_path / "store home", "ayse", tmp_path / "secret" / "pass.txt", time(17, 30), ("/opt/caseworker/caseworker",))


def _everything(_name: str) -> str:
    return "/usr/bin/found"


def _nothing(_name: str) -> None:
    return None


def test_linux_writes_a_user_timer_and_enables_it_when_systemctl_and_a_user_bus_are_there(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    (runtime / "bus").touch()
    where = schedule.Platform("Linux", tmp_path / "user", {"XDG_RUNTIME_DIR": str(runtime)})
    scheduler = FakeScheduler()
    outcome = schedule.install(_job(tmp_path), where, run=scheduler, which=_everything)
    folder = tmp_path / "user" / ".config" / "systemd" / "user"
    assert outcome.files == [folder / "caseworker-sync.service", folder / "caseworker-sync.timer"]
    service = (folder / "caseworker-sync.service").read_text()
    assert f'Environment="CASEWORKER_HOME={tmp_path / "store home"}"' in service
    assert 'Environment="CASEWORKER_USER=ayse"' in service
    assert f'Environment="CASEWORKER_PASSPHRASE_FILE={tmp_path / "secret" / "pass.txt"}"' in service
    assert 'ExecStart="/opt/caseworker/caseworker" "sync" "run"' in service and "Type=oneshot" in service
    timer = (folder / "caseworker-sync.timer").read_text()
    assert "OnCalendar=*-*-* 17:30:00" in timer and "Persistent=true" in timer and "WantedBy=timers.target" in timer
    assert scheduler.ran == [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", "caseworker-sync.timer"]]
    assert outcome.to_run == [] and not outcome.failed

    found = schedule.status(where, run=scheduler, which=_everything)
    assert (found.kind, found.installed, found.at, found.user, found.registered) == ("systemd", True, "17:30", "ayse", True)
    assert found.home == str(tmp_path / "store home")

    removed = schedule.remove(where, run=scheduler, which=_everything)
    assert removed.files == outcome.files and not any(path.exists() for path in outcome.files)
    assert scheduler.ran[-2:] == [["systemctl", "--user", "disable", "--now", "caseworker-sync.timer"], ["systemctl", "--user", "daemon-reload"]]
    assert not schedule.status(where, run=scheduler, which=_everything).files


def test_linux_without_a_user_bus_writes_the_files_and_gives_the_commands(tmp_path):
    where = schedule.Platform("Linux", tmp_path / "user", {"XDG_CONFIG_HOME": str(tmp_path / "config")})
    scheduler = FakeScheduler()
    outcome = schedule.install(_job(tmp_path), where, run=scheduler, which=_everything)
    assert scheduler.ran == [] and outcome.files[0].parent == tmp_path / "config" / "systemd" / "user"
    assert [schedule.printable(command, outcome.kind) for command in outcome.to_run] == [
        "systemctl --user daemon-reload", "systemctl --user enable --now caseworker-sync.timer"]
    assert schedule.status(where, run=scheduler, which=_everything).registered is None


def test_a_refusing_scheduler_is_reported_with_what_is_left_to_run(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir()
    where = schedule.Platform("Linux", tmp_path / "user", {"XDG_RUNTIME_DIR": str(runtime), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere"})
    outcome = schedule.install(_job(tmp_path), where, run=FakeScheduler(code=1), which=_everything)
    assert outcome.failed == "no user bus" and outcome.to_run[0] == ["systemctl", "--user", "daemon-reload"]


def test_macos_writes_a_launchd_agent(tmp_path):
    where = schedule.Platform("Darwin", tmp_path / "user")
    scheduler = FakeScheduler()
    outcome = schedule.install(_job(tmp_path), where, run=scheduler, which=_everything)
    agent = tmp_path / "user" / "Library" / "LaunchAgents" / "org.caseworker.sync.plist"
    assert outcome.files == [agent]
    loaded = plistlib.loads(agent.read_bytes())
    assert loaded["Label"] == "org.caseworker.sync"
    assert loaded["ProgramArguments"] == ["/opt/caseworker/caseworker", "sync", "run"]
    assert loaded["EnvironmentVariables"] == {"CASEWORKER_HOME": str(tmp_path / "store home"), "CASEWORKER_USER": "ayse",
                                              "CASEWORKER_PASSPHRASE_FILE": str(tmp_path / "secret" / "pass.txt")}
    assert loaded["StartCalendarInterval"] == {"Hour": 17, "Minute": 30}
    assert scheduler.ran == [["launchctl", "load", "-w", str(agent)]]
    found = schedule.status(where, run=scheduler, which=_everything)
    assert (found.kind, found.installed, found.at, found.user) == ("launchd", True, "17:30", "ayse")
    # not on a Mac: the file is written, launchctl is left to the person
    elsewhere = schedule.Platform("Darwin", tmp_path / "other")
    assert schedule.install(_job(tmp_path), elsewhere, run=scheduler, which=_nothing).to_run == [["launchctl", "load", "-w", str(tmp_path / "other" / "Library" / "LaunchAgents" / "org.caseworker.sync.plist")]]


def test_windows_writes_a_script_and_the_schtasks_command(tmp_path):
    where = schedule.Platform("Windows", tmp_path / "user", {"LOCALAPPDATA": str(tmp_path / "local")})
    scheduler = FakeScheduler()
    job = schedule.Job(tmp_path / "store home", "ayse", tmp_path / "pass%word.txt", time(9, 5), ("C:\\Program Files\\Caseworker\\caseworker.exe",))
    outcome = schedule.install(job, where, run=scheduler, which=_nothing)  # no schtasks here: written, not run
    script = tmp_path / "local" / "Caseworker" / "caseworker-sync.cmd"
    assert outcome.files == [script] and scheduler.ran == []
    text = script.read_bytes().decode("utf-8")
    assert "\r\n" in text and text.startswith("@echo off")
    assert f'set "CASEWORKER_PASSPHRASE_FILE={tmp_path / "pass%%word.txt"}"' in text and 'set "CASEWORKER_USER=ayse"' in text
    assert '"C:\\Program Files\\Caseworker\\caseworker.exe" "sync" "run"' in text
    assert outcome.to_run == [["schtasks", "/Create", "/F", "/SC", "DAILY", "/ST", "09:05", "/TN", "Caseworker sync", "/TR", f'"{script}"']]
    assert schedule.printable(outcome.to_run[0], "schtasks").startswith('schtasks /Create /F /SC DAILY /ST 09:05 /TN "Caseworker sync" /TR ')
    found = schedule.status(where, run=scheduler, which=_nothing)
    assert (found.kind, found.installed, found.at, found.user, found.registered) == ("schtasks", True, "09:05", "ayse", None)
    assert found.home == str(tmp_path / "store home")
    assert schedule.remove(where, run=scheduler, which=_nothing).to_run == [["schtasks", "/Delete", "/F", "/TN", "Caseworker sync"]]
    assert not script.exists()


@pytest.mark.parametrize("text", ["25:00", "18", "six", "18:60"])
def test_a_time_of_day_is_written_hh_mm(text, english):
    with pytest.raises(InvalidInput, match="HH:MM"):
        schedule.parse_time(text)
    assert schedule.parse_time(" 7:05 ") == time(7, 5)
