"""Build Caseworker's desktop application for the platform this runs on.

    pip install ".[packaging]"
    python packaging/build.py [--dist DIR] [--work DIR]

Runs PyInstaller with ``packaging/caseworker.spec`` (a one-folder build in ``DIST/caseworker``),
then finishes the platform's package:

- Linux: adds the desktop entry and ``install.sh`` to the folder and packs it as
  ``DIST/caseworker-VERSION-linux-ARCH.tar.gz``;
- Windows: runs Inno Setup on ``packaging/windows/caseworker.iss`` when ``iscc`` is found,
  giving ``DIST/caseworker-VERSION-windows-setup.exe``;
- macOS: the spec has made ``DIST/Caseworker.app``; signing and notarising follow
  (packaging/README.md).

Prints the size of what it built.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project import PACKAGING, ROOT, SPEC, package_version  # noqa: E402


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder`` (symbolic links not followed)."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def run_pyinstaller(dist: Path, work: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "caseworker"


def finish_linux(folder: Path, version: str) -> Path:
    shutil.copy2(PACKAGING / "linux" / "caseworker.desktop", folder / "caseworker.desktop")
    shutil.copy2(PACKAGING / "linux" / "install.sh", folder / "install.sh")
    os.chmod(folder / "install.sh", 0o755)
    name = f"caseworker-{version}-linux-{platform.machine()}"
    archive = folder.parent / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=name)
    return archive


def finish_windows(version: str, dist: Path) -> Path | None:
    iscc = shutil.which("iscc") or next(
        (str(p) for p in Path(os.environ.get("ProgramFiles(x86)", "C:/Program Files (x86)")).glob("Inno Setup */ISCC.exe")), None
    )
    if iscc is None:
        print("Inno Setup (iscc) not found: install it, then run\n"
              f"  iscc /DAppVersion={version} /DDistDir={dist} packaging\\windows\\caseworker.iss")
        return None
    subprocess.run([iscc, f"/DAppVersion={version}", f"/DDistDir={dist}", str(PACKAGING / "windows" / "caseworker.iss")],
                   check=True, cwd=ROOT)
    return dist / f"caseworker-{version}-windows-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Caseworker's desktop application.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the build goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder (default: build/)")
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print('build.py: PyInstaller is not installed. Run: pip install ".[packaging]"', file=sys.stderr)
        return 1
    version = package_version()
    dist, work = args.dist.resolve(), args.work.resolve()
    folder = run_pyinstaller(dist, work)
    size, files = folder_size(folder)
    print(f"Caseworker {version}: {folder} — {megabytes(size)} in {files} files")
    package: Path | None = None
    if sys.platform.startswith("linux"):
        package = finish_linux(folder, version)
    elif sys.platform == "win32":
        package = finish_windows(version, dist)
    elif sys.platform == "darwin":
        package = dist / "Caseworker.app"
        print("Sign and notarise the bundle before handing it out: see packaging/README.md.")
    if package is not None and package.is_file():
        print(f"Package: {package} — {megabytes(package.stat().st_size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
