"""Running Caseworker's window as a separate process, as a desktop session does: start it on a
demo store, wait until it is up, ask it to end with SIGTERM (as at logout) and collect its exit."""

from __future__ import annotations

import contextlib
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
    """The processes started by ``pid`` and by them, as far as they still run."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:  # the thread or the process ended meanwhile
            continue
        for child in children:
            found += [int(child), *descendants(int(child))]
    return found


def stop(process: subprocess.Popen, program: Path) -> tuple[int, str]:
    """Ask the running program to end, as the system does at logout (SIGTERM), and wait for it.
    Returns its exit code and what it wrote on stderr. Whatever happens, nothing is left running."""
    tree = [process.pid, *descendants(process.pid)]
    try:
        time.sleep(2)  # the window is up and its event loop is running
        assert process.poll() is None, "the application ended by itself"
        targets = [pid for pid in tree if Path(f"/proc/{pid}/exe").resolve() == program.resolve()]
        assert len(targets) == 1, targets
        os.kill(targets[0], signal.SIGTERM)
        _out, err = process.communicate(timeout=30)  # a sandbox or xvfb-run passes the exit code on
        return process.returncode, err
    finally:
        for pid in tree[1:]:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/exe").resolve() == program.resolve():
                    os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
