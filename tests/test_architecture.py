"""The core (domain, hsds, stats, storage, sync, reports, dhis2) and the use cases never import Qt."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import caseworker
from tests.conftest import PACKAGE_PARENT

PACKAGE = Path(caseworker.__file__).resolve().parent
QT_FREE = ("domain", "hsds", "stats", "storage", "sync", "reports", "app", "dhis2")


def _modules(sub: str) -> list[str]:
    folder = PACKAGE / sub
    return [f"caseworker.{sub}"] + [info.name for info in pkgutil.walk_packages([str(folder)], prefix=f"caseworker.{sub}.")]


def test_no_qt_import_statement_in_the_core():
    offenders = []
    for sub in QT_FREE:
        for path in (PACKAGE / sub).rglob("*.py") if (PACKAGE / sub).exists() else ():
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for n in names):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    modules = sorted({m for sub in QT_FREE if (PACKAGE / sub / "__init__.py").exists() for m in _modules(sub)})
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(len(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": PACKAGE_PARENT})
    assert result.returncode == 0, result.stdout + result.stderr
