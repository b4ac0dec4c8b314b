"""Facts about the Caseworker source tree that the build needs: where things are, and the
version (read from ``caseworker/__init__.py`` without importing the package)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "caseworker.spec"
ICONS = SOURCE / "caseworker" / "resources" / "icons"


def package_version() -> str:
    tree = ast.parse((SOURCE / "caseworker" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "__version__" for target in node.targets):
            return str(ast.literal_eval(node.value))
    raise SystemExit("src/caseworker/__init__.py has no __version__")
