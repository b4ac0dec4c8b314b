"""scripts/setup.sh and scripts/start.sh: after the first set-up, starting installs nothing and
needs no network; only changed dependencies or source cause an install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = {"PIP_INDEX_URL": "http://127.0.0.1:9/", "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
{tail}
"""


def project(tmp_path: Path) -> Path:
    """A copy of the project's scripts with a small pyproject and source, and a fake .venv whose
    programs only write down how they were called."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    (root / "pyproject.toml").write_text('[project]\nname = "caseworker"\ndependencies = ["cryptography>=42"]\n', encoding="utf-8")
    (root / "src" / "caseworker").mkdir(parents=True)
    (root / "src" / "caseworker" / "__init__.py").write_text('__version__ = "0.1.0"\n', encoding="utf-8")
    bin_ = root / ".venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "calls.log"
    log.touch()
    for name, tail in (("python", ""), ("caseworker", 'echo "caseworker 0.1.0"')):
        (bin_ / name).write_text(STUB.format(log=log, tail=tail), encoding="utf-8")
        (bin_ / name).chmod(0o755)
    return root


def state(root: Path, action: str, extras: str) -> str:
    done = subprocess.run([sys.executable, str(root / "scripts" / "setup_state.py"), action, extras], capture_output=True, text=True, cwd=root, check=True)
    return done.stdout.strip()


def start(root: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, **OFFLINE, "PYTHON": sys.executable}
    return subprocess.run([str(root / "scripts" / "start.sh"), "--version"], capture_output=True, text=True, env=environment, timeout=60)


def test_the_stamp_says_what_has_to_be_done_again(tmp_path):
    root = project(tmp_path)
    assert state(root, "check", "") == "full"  # never set up
    state(root, "record", "test,packaging")
    assert state(root, "check", "test,packaging") == "none"
    assert state(root, "check", "") == "none", "the test extras installed before serve the application too"
    assert state(root, "check", "test") == "none"
    (root / "src" / "caseworker" / "__pycache__").mkdir()
    (root / "src" / "caseworker" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert state(root, "check", "") == "none", "compiled files are not source"
    (root / "src" / "caseworker" / "cli.py").write_text("print()\n", encoding="utf-8")
    assert state(root, "check", "") == "package"
    state(root, "record", "")
    assert state(root, "check", "test") == "none", "optional parts installed before still count"
    with (root / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write('# a new dependency\n')
    assert state(root, "check", "") == "full"
    state(root, "record", "")
    assert state(root, "check", "test") == "full", "with new dependencies the test extras must be installed again"


def test_a_second_start_installs_nothing_and_needs_no_network(tmp_path):
    root = project(tmp_path)
    state(root, "record", "")
    started = start(root)
    assert started.returncode == 0, started.stderr
    assert started.stdout == "caseworker 0.1.0\n"
    assert (tmp_path / "calls.log").read_text(encoding="utf-8") == "caseworker --version\n", "no pip, only the program"


def test_a_changed_source_is_reinstalled_offline_without_its_dependencies(tmp_path):
    root = project(tmp_path)
    state(root, "record", "test")
    (root / "src" / "caseworker" / "__init__.py").write_text('__version__ = "0.1.1"\n', encoding="utf-8")
    started = start(root)
    assert started.returncode == 0, started.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert calls == ["python -m pip install -q --no-deps --no-build-isolation --no-index --force-reinstall .", "caseworker --version"]
    assert state(root, "check", "test") == "none"


def test_the_first_start_installs_caseworker_without_the_test_tools(tmp_path):
    root = project(tmp_path)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "dpkg").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # every system package is there
    (tools / "dpkg").chmod(0o755)
    environment = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "PYTHON": sys.executable}
    started = subprocess.run([str(root / "scripts" / "start.sh"), "--version"], capture_output=True, text=True, env=environment, timeout=60)
    assert started.returncode == 0, started.stderr
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert calls == ["python -m pip install -q --upgrade pip", "python -m pip install -q setuptools>=68 wheel .", "caseworker --version"]
    assert state(root, "check", "") == "none" and state(root, "check", "test") == "full"
