"""Unattended sending: ``caseworker sync run`` once a day, started by the operating system's own
scheduler for the signed-in user, whether the window is open or not (docs/sync.md).

- Linux: a systemd user timer and service in ``~/.config/systemd/user`` (``caseworker-sync.timer``,
  ``caseworker-sync.service``), enabled with ``systemctl --user`` when systemctl and a user bus are
  there; otherwise the files are written and the commands to run are given.
- macOS: a launchd agent ``~/Library/LaunchAgents/org.caseworker.sync.plist``, loaded with
  ``launchctl`` on a Mac.
- Windows: a Task Scheduler task "Caseworker sync" running a small ``.cmd`` file, created with
  ``schtasks /Create`` on Windows only.

The job runs with ``CASEWORKER_HOME``, ``CASEWORKER_USER`` and ``CASEWORKER_PASSPHRASE_FILE``; the
passphrase stays in its file (owner-only permissions, checked by the command), never in the job.
The platform, the user's home folder and the way commands run are parameters, so that every
platform's files can be made and checked anywhere.
"""

from __future__ import annotations

import os
import platform as platform_module
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.storage.atomic import write_atomic

UNIT = "caseworker-sync"
LAUNCHD_LABEL = "org.caseworker.sync"
WINDOWS_TASK = "Caseworker sync"
DEFAULT_AT = time(18, 0)

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]
Which = Callable[[str], "str | None"]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Platform:
    """Where the schedule goes: ``system`` as ``platform.system()`` names it ("Linux", "Darwin",
    "Windows"), the user's home folder and environment."""

    system: str
    user_home: Path
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def current(cls) -> Platform:
        return cls(platform_module.system(), Path.home(), dict(os.environ))

    @property
    def kind(self) -> str:
        return {"Darwin": "launchd", "Windows": "schtasks"}.get(self.system, "systemd")


@dataclass(frozen=True)
class Job:
    """What runs: ``caseworker sync run`` on the store in ``home`` as ``user`` every day at ``at``."""

    home: Path
    user: str
    passphrase_file: Path
    at: time = DEFAULT_AT
    program: tuple[str, ...] = ()

    @property
    def command(self) -> tuple[str, ...]:
        return (*(self.program or this_program()), "sync", "run")

    @property
    def environment(self) -> dict[str, str]:
        return {"CASEWORKER_HOME": str(self.home), "CASEWORKER_USER": self.user, "CASEWORKER_PASSPHRASE_FILE": str(self.passphrase_file)}


def this_program() -> tuple[str, ...]:
    """How to start this Caseworker from a scheduler: the frozen program, or this Python with the package."""
    if getattr(sys, "frozen", False):
        return (sys.executable,)
    return (sys.executable, "-m", "caseworker")


@dataclass(frozen=True)
class Plan:
    """The files a platform's schedule is made of, and the commands that register and unregister it."""

    kind: str
    files: dict[Path, bytes]
    register: list[list[str]]
    unregister: list[list[str]]
    query: list[str]
    can_run: bool


def printable(command: Sequence[str], kind: str) -> str:
    """A command as the person types it: for cmd.exe on Windows, for a POSIX shell elsewhere."""
    return subprocess.list2cmdline(list(command)) if kind == "schtasks" else shlex.join(command)


def parse_time(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise InvalidInput(t("“{value}” is not a time of day: write it as HH:MM, for example 18:00.", value=text))
    return time(int(match.group(1)), int(match.group(2)))


def files_folder(where: Platform) -> Path:
    if where.kind == "launchd":
        return where.user_home / "Library" / "LaunchAgents"
    if where.kind == "schtasks":
        return Path(where.environ.get("LOCALAPPDATA") or where.user_home / "AppData" / "Local") / "Caseworker"
    return Path(where.environ.get("XDG_CONFIG_HOME") or where.user_home / ".config") / "systemd" / "user"


def plan(job: Job | None, where: Platform, which: Which = shutil.which) -> Plan:
    """The schedule for ``job`` on ``where`` (``job`` None: only its paths and commands, to remove or query)."""
    folder = files_folder(where)
    if where.kind == "launchd":
        agent = folder / f"{LAUNCHD_LABEL}.plist"
        return Plan("launchd", {agent: _launchd_agent(job)} if job else {agent: b""},
                    [["launchctl", "load", "-w", str(agent)]], [["launchctl", "unload", "-w", str(agent)]],
                    ["launchctl", "list", LAUNCHD_LABEL], where.system == "Darwin" and which("launchctl") is not None)
    if where.kind == "schtasks":
        script = folder / f"{UNIT}.cmd"
        at = f"{(job.at if job else DEFAULT_AT):%H:%M}"
        return Plan("schtasks", {script: _windows_script(job)} if job else {script: b""},
                    [["schtasks", "/Create", "/F", "/SC", "DAILY", "/ST", at, "/TN", WINDOWS_TASK, "/TR", f'"{script}"']],
                    [["schtasks", "/Delete", "/F", "/TN", WINDOWS_TASK]],
                    ["schtasks", "/Query", "/TN", WINDOWS_TASK], where.system == "Windows" and which("schtasks") is not None)
    service, timer = folder / f"{UNIT}.service", folder / f"{UNIT}.timer"
    runtime = where.environ.get("XDG_RUNTIME_DIR")
    user_bus = bool(where.environ.get("DBUS_SESSION_BUS_ADDRESS")) or bool(runtime and Path(runtime, "bus").exists())
    return Plan("systemd", {service: _systemd_service(job), timer: _systemd_timer(job)} if job else {service: b"", timer: b""},
                [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"]],
                [["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"]],
                ["systemctl", "--user", "is-active", f"{UNIT}.timer"], which("systemctl") is not None and user_bus)


# --- the files of each platform ----------------------------------------------------------------


def _systemd_quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def _systemd_service(job: Job | None) -> bytes:
    assert job is not None
    lines = [
        "[Unit]",
        "Description=Caseworker: send the statistics bundles (caseworker sync run)",
        "",
        "[Service]",
        "Type=oneshot",
        *(f"Environment={_systemd_quoted(f'{key}={value}')}" for key, value in job.environment.items()),
        "ExecStart=" + " ".join(_systemd_quoted(part) for part in job.command),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _systemd_timer(job: Job | None) -> bytes:
    assert job is not None
    lines = [
        "[Unit]",
        "Description=Caseworker: send the statistics bundles every day",
        "",
        "[Timer]",
        f"OnCalendar=*-*-* {job.at:%H:%M}:00",
        "Persistent=true",  # a day missed while the computer was off runs at the next start
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _launchd_agent(job: Job | None) -> bytes:
    assert job is not None
    return plistlib.dumps({
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(job.command),
        "EnvironmentVariables": job.environment,
        "StartCalendarInterval": {"Hour": job.at.hour, "Minute": job.at.minute},
        "StandardOutPath": str(job.home / "sync-schedule.log"),
        "StandardErrorPath": str(job.home / "sync-schedule.log"),
    })


def _cmd_quoted(text: str) -> str:
    return text.replace("%", "%%")


def _windows_script(job: Job | None) -> bytes:
    assert job is not None
    lines = [
        "@echo off",
        f"rem Caseworker: send the statistics bundles every day at {job.at:%H:%M} (Task Scheduler: {WINDOWS_TASK})",
        *(f'set "{key}={_cmd_quoted(value)}"' for key, value in job.environment.items()),
        " ".join(f'"{_cmd_quoted(part)}"' for part in job.command),
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


# --- install, remove, status ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What was done: the files written or removed, the commands run, and those left to the person
    (when the platform's scheduler is not reachable from here); ``failed`` is a command's complaint."""

    kind: str
    files: list[Path]
    ran: list[list[str]]
    to_run: list[list[str]]
    failed: str = ""


def install(job: Job, where: Platform, *, run: Runner = _run, which: Which = shutil.which) -> Outcome:
    """Write the schedule's files and register it (where the scheduler is reachable)."""
    made = plan(job, where, which)
    if made.can_run and made.kind == "launchd" and any(path.exists() for path in made.files):
        run(made.unregister[0])  # loading again needs the old agent unloaded; its absence is fine
    for path, content in made.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
    return _carry_out(made, made.register, list(made.files), run=run)


def remove(where: Platform, *, run: Runner = _run, which: Which = shutil.which) -> Outcome:
    """Unregister the schedule (where reachable) and remove its files."""
    made = plan(None, where, which)
    present = [path for path in made.files if path.exists()]
    if not present:
        return Outcome(made.kind, [], [], [])
    outcome = _carry_out(made, made.unregister, present, run=run, tolerate=True)
    for path in present:
        path.unlink(missing_ok=True)
    if made.kind == "systemd" and made.can_run:
        run(["systemctl", "--user", "daemon-reload"])
    return outcome


def _carry_out(made: Plan, commands: list[list[str]], files: list[Path], *, run: Runner, tolerate: bool = False) -> Outcome:
    if not made.can_run:
        return Outcome(made.kind, files, [], commands)
    ran = []
    for command in commands:
        done = run(command)
        ran.append(command)
        if done.returncode != 0 and not tolerate:
            return Outcome(made.kind, files, ran, commands[len(ran) - 1 :], (done.stderr or done.stdout or "").strip())
    return Outcome(made.kind, files, ran, [])


@dataclass(frozen=True)
class Status:
    kind: str
    files: list[Path]
    installed: bool
    at: str | None
    home: str | None
    user: str | None
    registered: bool | None  # None: the scheduler is not reachable from here


def status(where: Platform, *, run: Runner = _run, which: Which = shutil.which) -> Status:
    made = plan(None, where, which)
    present = [path for path in made.files if path.exists()]
    text = "\n".join(_readable(path) for path in present)
    found = {key: _setting(text, key) for key in ("CASEWORKER_HOME", "CASEWORKER_USER")}
    at = _time_in(text)
    registered = run(made.query).returncode == 0 if made.can_run and present else None
    return Status(made.kind, present, bool(present) and len(present) == len(made.files), at, found["CASEWORKER_HOME"], found["CASEWORKER_USER"], registered)


def _readable(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".plist":
        agent = plistlib.loads(data)
        interval = agent.get("StartCalendarInterval", {})
        settings = [f"{key}={value}" for key, value in agent.get("EnvironmentVariables", {}).items()]
        return "\n".join([*settings, f"at {interval.get('Hour', 0):02d}:{interval.get('Minute', 0):02d}"])
    return data.decode("utf-8", errors="replace")


def _setting(text: str, key: str) -> str | None:
    match = re.search(rf'{key}=([^"\r\n]*)', text)
    return match.group(1).replace("%%", "%").replace("$$", "$").replace('\\"', '"').replace("\\\\", "\\") if match else None


def _time_in(text: str) -> str | None:
    match = re.search(r"(?:OnCalendar=\*-\*-\* |every day at |^at )(\d\d:\d\d)", text, re.MULTILINE)
    return match.group(1) if match else None
