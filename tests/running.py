"""Running Caseworker's window as a separate process, as a desktop session does: start it on a
demo store, wait until it is up, ask it to end with SIGTERM (as at logout) and collect its exit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest


def start_demo(command: list[str], environment: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    """Start the window on a demo store; return the process and its demo home once it is made."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    deadline = time.monotonic() + 90
    temporary = Path(environment["TMPDIR"])
    while time.monotonic() < deadline:
        stores = list(temporary.glob("caseworker-demo-*/home/store.db"))
        if stores or process.poll() is not None:
            break
        time.sleep(0.2)
    if process.poll() is not None or not stores:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the window did not start (exit {process.returncode}): {out}{err}")
    return process, stores[0].parent


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def stop(process: subprocess.Popen, program: Path) -> tuple[int, str]:
    """Ask the running program to end, as the system does at logout (SIGTERM), and wait for it.
    Returns its exit code and what it wrote on stderr."""
    time.sleep(2)  # the window is up and its event loop is running
    assert process.poll() is None, "the application ended by itself"
    targets = [pid for pid in [process.pid, *descendants(process.pid)] if Path(f"/proc/{pid}/exe").resolve() == program.resolve()]
    assert len(targets) == 1, targets
    os.kill(targets[0], signal.SIGTERM)
    if targets[0] == process.pid:
        _out, err = process.communicate(timeout=30)
        return process.returncode, err
    deadline = time.monotonic() + 30
    while Path(f"/proc/{targets[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    _out, err = process.communicate(timeout=30)  # the sandbox or xvfb-run passes the exit code on
    return process.returncode, err
