"""What scripts/setup.sh has to do to bring .venv up to date, from a stamp of the last set-up.

    python3 scripts/setup_state.py check EXTRAS    prints "none", "package" or "full"
    python3 scripts/setup_state.py record EXTRAS   writes the stamp after a successful set-up

The stamp (.venv/caseworker-setup.json) holds a hash of pyproject.toml (the dependencies), a hash
of the source tree (src/) and the optional parts installed (EXTRAS, comma-separated, may be
empty). "none": nothing changed, start at once, no pip and no network. "package": only the
source changed, so Caseworker alone is reinstalled, offline. "full": first set-up, changed
dependencies or optional parts not yet installed: system packages, pip and the dependencies.
Standard library only: it runs on the system's Python before .venv exists.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = Path(".venv") / "caseworker-setup.json"
SKIPPED = {"__pycache__", ".pytest_cache"}


def extras_of(text: str) -> list[str]:
    return sorted({part.strip() for part in text.split(",") if part.strip()})


def dependencies_hash(root: Path) -> str:
    return hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()


def source_hash(root: Path) -> str:
    digest = hashlib.sha256()
    source = root / "src"
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or SKIPPED & set(relative.parts) or path.suffix == ".pyc" or any(part.endswith(".egg-info") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def state(root: Path, extras: list[str]) -> dict:
    return {"dependencies": dependencies_hash(root), "source": source_hash(root), "extras": extras}


def recorded(root: Path) -> dict | None:
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def needed(root: Path, extras: list[str]) -> str:
    stamp = recorded(root)
    if stamp is None or not (root / ".venv" / "bin" / "python").exists():
        return "full"
    if stamp.get("dependencies") != dependencies_hash(root) or not set(extras) <= set(stamp.get("extras", ())):
        return "full"
    if stamp.get("source") != source_hash(root):
        return "package"
    return "none"


def record(root: Path, extras: list[str]) -> None:
    """Write the stamp; optional parts installed before with the same dependencies still count."""
    stamp = recorded(root)
    if stamp and stamp.get("dependencies") == dependencies_hash(root):
        extras = sorted(set(extras) | set(stamp.get("extras", ())))
    (root / STAMP).write_text(json.dumps(state(root, extras), indent=1) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[0] not in ("check", "record"):
        print("usage: setup_state.py check|record [EXTRAS]", file=sys.stderr)
        return 2
    extras = extras_of(argv[1] if len(argv) == 2 else "")
    if argv[0] == "check":
        print(needed(ROOT, extras))
    else:
        record(ROOT, extras)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
