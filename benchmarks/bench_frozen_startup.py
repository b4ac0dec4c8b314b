"""Start-up of the frozen desktop build against the same program run from its Python package.

    python benchmarks/bench_frozen_startup.py [--build DIST/caseworker]

Without ``--build`` it first builds the application with ``packaging/build.py`` into a
temporary folder (about a minute; needs PyInstaller). It then times, over repeated runs,
``caseworker --version`` (process start and imports of the command line) and
``caseworker --self-test`` (every part loaded and used once, the window drawn offscreen), for the
frozen program and for ``python -m caseworker`` of this checkout, and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], environment: dict[str, str], runs: int) -> float:
    """The median wall time of ``command`` over ``runs`` runs (after one warm-up run)."""
    subprocess.run(command, env=environment, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=environment, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, help="an existing one-folder build (the folder holding the caseworker program)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.build
        if folder is None:
            subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", f"{tmp}/dist", "--work", f"{tmp}/work"],
                           check=True, capture_output=True)
            folder = Path(tmp) / "dist" / "caseworker"
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CASEWORKER_HOME": f"{tmp}/home", "PYTHONPATH": str(ROOT / "src")}
        frozen, package = [str(folder / "caseworker")], [sys.executable, "-m", "caseworker"]
        print(f"{'command':<14} {'frozen':>9} {'package':>9} {'ratio':>7}")
        for argument in ("--version", "--self-test"):
            frozen_time = timed(frozen + [argument], environment, args.runs)
            package_time = timed(package + [argument], environment, args.runs)
            print(f"{argument:<14} {frozen_time:>8.2f}s {package_time:>8.2f}s {frozen_time / package_time:>6.2f}×")


if __name__ == "__main__":
    main()
