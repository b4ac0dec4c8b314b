"""The frozen desktop build: made with the documented command, unpacked as a user would, and run
on a machine that has no Python at all (every Python installation hidden in a sandbox).

Skipped where PyInstaller is not installed (``pip install ".[packaging]"``); ``scripts/test.sh``
installs it, so the full test run builds and checks the application.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import caseworker
from tests.conftest import PASSPHRASE
from tests.running import start_demo, stop

pytest.importorskip("PyInstaller")
pytestmark = [
    pytest.mark.frozen_build,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build is checked here; Windows and macOS are built on their own machines"),
]

ROOT = Path(__file__).resolve().parents[2]
CONTACT = ["age=25-34", "status=citizen", "source=alo183", "violence=physical", "perpetrator=spouse",
           "referral=legal_aid", "protective_order=yes", "children=no"]


@dataclass
class Build:
    folder: Path  # the unpacked one-folder application
    archive: Path
    output: str  # what the build command printed

    @property
    def program(self) -> Path:
        return self.folder / "caseworker"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Build:
    work = tmp_path_factory.mktemp("frozen")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(work / "dist"), "--work", str(work / "work")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    archives = list((work / "dist").glob("caseworker-*-linux-*.tar.gz"))
    assert len(archives) == 1, archives
    unpacked = work / "unpacked"
    with tarfile.open(archives[0]) as tar:
        if hasattr(tarfile, "tar_filter"):  # Python 3.11.4 and newer
            tar.extractall(unpacked, filter="tar")
        else:
            tar.extractall(unpacked)  # noqa: S202 (our own archive, just built)
    (folder,) = unpacked.iterdir()
    return Build(folder=folder, archive=archives[0], output=result.stdout)


def _clean_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What a fresh desktop session has: no PYTHONPATH, no virtual environment, a new home."""
    (tmp_path / "user").mkdir(exist_ok=True)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "user"), "LANG": "C.UTF-8",
            "TMPDIR": str(tmp_path / "tmp"), **extra}


def _python_installations() -> list[Path]:
    """Every place a Python and its packages could be found on this machine."""
    places = {Path(sys.prefix), Path(sys.base_prefix), Path(sysconfig.get_paths()["stdlib"]), ROOT / "src"}
    for pattern in ("/usr/lib/python3*", "/usr/local/lib/python3*", "/usr/lib/python3/dist-packages"):
        places.update(Path("/").glob(pattern.lstrip("/")))
    return sorted(place.resolve() for place in places if place.is_dir())


def _sandbox() -> list[str]:
    """A bubblewrap command prefix that hides every Python installation and interpreter."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        pytest.fail("bubblewrap (bwrap) is not installed: scripts/setup.sh installs it (Debian: bubblewrap)")
    command = [bwrap, "--die-with-parent", "--dev-bind", "/", "/"]
    for place in _python_installations():
        command += ["--tmpfs", str(place)]
    for interpreter in sorted(Path("/usr/bin").glob("python3*")) + sorted(Path("/usr/local/bin").glob("python3*")):
        command += ["--ro-bind", "/dev/null", str(interpreter)]
    probe = subprocess.run(command + ["true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"bubblewrap cannot make a sandbox on this machine: {probe.stderr.strip()}")
    return command


def test_the_build_reports_its_size_and_what_it_left_out(build):
    assert "left out" in build.output and "MB in" in build.output
    assert build.archive.name == f"caseworker-{caseworker.__version__}-linux-{os.uname().machine}.tar.gz"
    internal = build.folder / "_internal"
    for unused in ("QtNetwork", "QtQml", "QtQuick", "QtSvg", "QtSql"):
        assert not list(internal.glob(f"PySide6/{unused}.*")), unused
    assert not (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqvnc.so").exists()
    for needed in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so"):
        assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / needed).exists(), needed
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_tr.qm").exists()
    assert not (internal / "PySide6" / "Qt" / "translations" / "qtbase_de.qm").exists()
    size = sum(path.stat().st_size for path in build.folder.rglob("*") if path.is_file() and not path.is_symlink())
    assert size < 300_000_000, f"the build grew to {size / 1e6:.0f} MB"


def test_every_bundled_library_finds_what_it_links(build):
    missing = set()
    for library in (build.folder / "_internal").rglob("*.so*"):
        if library.is_symlink() or not library.is_file():
            continue
        result = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                                env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(build.folder / "_internal")})
        missing |= {f"{library.name}: {line.split()[0]}" for line in result.stdout.splitlines() if "not found" in line}
    assert missing == set()


def test_version_and_self_test_pass_without_any_python(build, tmp_path):
    sandbox = _sandbox()
    environment = _clean_environment(tmp_path)
    no_python = subprocess.run(sandbox + ["sh", "-c", "python3 -c 'import sys' || python3.11 -c 'import sys'"],
                               capture_output=True, text=True, env=environment)
    assert no_python.returncode != 0, "the sandbox still has a working Python"
    version = subprocess.run(sandbox + [str(build.program), "--version"], capture_output=True, text=True, env=environment)
    assert version.stdout.strip() == f"caseworker {caseworker.__version__}"
    result = subprocess.run(sandbox + [str(build.program), "--self-test", "--lang", "en"],
                            capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "(frozen build" in lines[0] and str(build.folder) in lines[0]
    assert sum(line.startswith("OK ") for line in lines) == 9 and lines[-1] == "Self-test passed."
    assert "desktop interface: Qt" in result.stdout and "Qt texts in Turkish" in result.stdout
    assert "second process for large imports: a second process of Caseworker started and answered" in result.stdout


def test_a_store_is_made_used_and_reported_on_by_the_frozen_command_line(build, tmp_path):
    sandbox = _sandbox()
    home = tmp_path / "home"
    environment = _clean_environment(tmp_path, CASEWORKER_HOME=str(home), CASEWORKER_USER="ayse", CASEWORKER_PASSPHRASE=PASSPHRASE)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(sandbox + [str(build.program), *args], capture_output=True, text=True, env=environment, timeout=120)

    made = run("init", "--role", "centre", "--name", "Karşıyaka Kadın Danışma Merkezi", "--district", "Karşıyaka", "--user", "ayse")
    assert made.returncode == 0, made.stderr
    assert run("tally", "2026-11", *CONTACT).returncode == 0
    assert run("check").returncode == 0
    report = tmp_path / "özet.pdf"
    printed = run("report", "monthly", "2026-11", "--out", str(report))
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True).stdout
    assert "Karşıyaka Kadın Danışma Merkezi" in text and "Kasım 2026" in text
    assert b"Karsiyaka" not in (home / "store.db").read_bytes() and b"Kar\xc5\x9f\xc4\xb1yaka" not in (home / "store.db").read_bytes()
    wrong = subprocess.run(sandbox + [str(build.program), "check"], capture_output=True, text=True, timeout=120,
                           env={**environment, "CASEWORKER_PASSPHRASE": "not the passphrase at all"})
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr and wrong.stderr.count("\n") == 1


def test_the_window_starts_offscreen_without_any_python_and_closes_cleanly(build, tmp_path):
    environment = _clean_environment(tmp_path, QT_QPA_PLATFORM="offscreen")
    process, demo_home = start_demo(_sandbox() + [str(build.program), "--demo"], environment)
    code, err = stop(process, build.program)
    assert code == 0, err
    assert "Traceback" not in err
    assert not demo_home.exists(), "the demo store was left behind"


def test_the_window_starts_on_an_x_server(build, tmp_path):
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        pytest.fail("xvfb-run is not installed: scripts/setup.sh installs it (Debian: xvfb)")
    environment = _clean_environment(tmp_path)
    process, demo_home = start_demo([xvfb, "-a", str(build.program), "--demo"], environment)
    code, err = stop(process, build.program)
    assert code == 0, err
    assert "Could not load the Qt platform plugin" not in err and "Traceback" not in err
    assert not demo_home.exists()


def test_install_script_puts_the_program_in_the_menu_and_removes_it_without_touching_the_store(build, tmp_path):
    environment = _clean_environment(tmp_path)
    user = Path(environment["HOME"])
    store = user / ".local" / "share" / "Caseworker"
    store.mkdir(parents=True)
    (store / "store.db").write_bytes(b"the centre's statistics")
    installed = subprocess.run([str(build.folder / "install.sh")], capture_output=True, text=True, env=environment)
    assert installed.returncode == 0, installed.stderr
    entry = user / ".local" / "share" / "applications" / "caseworker.desktop"
    program = user / ".local" / "opt" / "caseworker" / "caseworker"
    assert f"Exec={program}\n" in entry.read_text(encoding="utf-8")
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate is not installed: scripts/setup.sh installs it (Debian: desktop-file-utils)"
    assert subprocess.run([validator, str(entry)], capture_output=True).returncode == 0
    assert (user / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "caseworker.png").is_file()
    version = subprocess.run([str(user / ".local" / "bin" / "caseworker"), "--version"], capture_output=True, text=True, env=environment)
    assert version.stdout.strip() == f"caseworker {caseworker.__version__}"
    again = subprocess.run([str(build.folder / "install.sh")], capture_output=True, text=True, env=environment)
    assert again.returncode == 0, again.stderr  # an update over an earlier installation
    removed = subprocess.run([str(build.folder / "install.sh"), "--remove"], capture_output=True, text=True, env=environment)
    assert removed.returncode == 0 and not program.exists() and not entry.exists()
    assert (store / "store.db").read_bytes() == b"the centre's statistics"
