"""Running Caseworker's window as a separate process, as a desktop session does: start it on a
demo store, wait until it says it is ready, ask it to end with SIGTERM (as at logout) and collect its exit."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest


READY_ENV = "CASEWORKER_ANNOUNCE_READY"  # caseworker.ui.application.READY_ENV, without loading Qt here
READY_LINE = "caseworker: ready"


def start_demo(command: list[str], environment: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    """Start the window on a demo store; return the process and its demo home once the program
    says it is ready (its window shown, its event loop running)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**environment, READY_ENV: "1"})
    ready = threading.Event()
    before: list[str] = []

    def watch() -> None:  # reads stdout only up to the ready line; communicate() takes the rest
        for line in process.stdout:  # type: ignore[union-attr]
            if line.strip() == READY_LINE:
                ready.set()
                return
            before.append(line)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    watcher.join(timeout=90)
    stores = list(Path(environment["TMPDIR"]).glob("caseworker-demo-*/home/store.db"))
    if not ready.is_set() or len(stores) != 1:
        process.kill()
        watcher.join(timeout=10)
        err = process.stderr.read()  # type: ignore[union-attr]
        process.wait(timeout=10)
        for pipe in (process.stdout, process.stderr):  # closed here, not left to a later test's garbage collection
            pipe.close()  # type: ignore[union-attr]
        pytest.fail(f"the window did not say it was ready (exit {process.returncode}, demo stores {stores}): {''.join(before)}{err}")
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
