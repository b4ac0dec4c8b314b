"""Shared fixtures: a private home per test, CLI runners, Qt offscreen, warnings as errors."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import caseworker
from caseworker import i18n
from caseworker.app import sync_keys
from caseworker.app.session import Credentials, InitResult, Session, initialise
from caseworker.domain.users import StoreRole

PASSPHRASE = "correct horse battery staple"
PACKAGE_PARENT = str(Path(caseworker.__file__).resolve().parents[1])
HSDS_REFERENCE = Path(__file__).resolve().parent / "fixtures" / "hsds-3.0"


@pytest.fixture
def hsds_reference() -> Path:
    """The pieces of the Open Referral HSDS 3.0 reference the tests use, kept unchanged in
    ``tests/fixtures/hsds-3.0``. A missing reference fails the test; it never skips it."""
    if not (HSDS_REFERENCE / "SHA256SUMS").is_file():
        pytest.fail(f"the HSDS 3.0 reference is missing: expected it at {HSDS_REFERENCE}; restore it from the repository (git checkout -- tests/fixtures)")
    return HSDS_REFERENCE


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    """Every test starts in Turkish, the default, and leaves it so."""
    i18n.set_language("tr")
    yield
    i18n.set_language("tr")


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@dataclass
class Centre:
    home: Path
    session: Session
    result: InitResult

    def credentials(self, user: str = "ayse", passphrase: str = PASSPHRASE) -> Credentials:
        return Credentials(user=user, passphrase=passphrase)


@pytest.fixture
def centre(home: Path) -> Iterator[Centre]:
    """A centre's store, unlocked by its first user ``ayse`` (supervisor)."""
    session, result = initialise(home, store_role=StoreRole.CENTRE, name="Konak Kadın Danışma Merkezi", district="Konak", user_name="ayse", passphrase=PASSPHRASE)
    yield Centre(home, session, result)
    session.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class CliRunner:
    """Runs ``python -m caseworker`` in a child process with a private home and temp folder."""

    def __init__(self, home: Path, tmp: Path) -> None:
        self.home = home
        self.tmp = tmp
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": PACKAGE_PARENT,
            "CASEWORKER_HOME": str(home),
            "CASEWORKER_LANG": "en",
            "TMPDIR": str(tmp),
            "HOME": str(tmp),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONWARNINGS": "error",
        }

    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60) -> CliResult:
        merged = {**self.env, **(env or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        proc = subprocess.run(
            [sys.executable, "-m", "caseworker", *args],
            env=merged, input=input, capture_output=True, text=True, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    def as_user(self, user: str = "ayse", passphrase: str = PASSPHRASE) -> dict[str, str]:
        return {"CASEWORKER_USER": user, "CASEWORKER_PASSPHRASE": passphrase}


@pytest.fixture
def cli(home: Path, tmp_path: Path) -> CliRunner:
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    return CliRunner(home, tmp)


@pytest.fixture
def cli_centre(cli: CliRunner) -> CliRunner:
    """A centre's store made through the command line; ``cli.recovery_key`` holds its key."""
    result = cli("init", "--role", "centre", "--name", "Buca KDM", "--district", "Buca", "--user", "ayse", env={"CASEWORKER_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    cli.recovery_key = result.out.strip()  # type: ignore[attr-defined]
    cli.env.update(cli.as_user())
    return cli


@pytest.fixture
def coordinator(tmp_path: Path) -> Iterator[Session]:
    """The coordinating unit's store, unlocked by its coordinator ``koord``."""
    session, _ = initialise(tmp_path / "coordinator", store_role=StoreRole.COORDINATOR, name="İzmir BB Kadın Çalışmaları", district="", user_name="koord", passphrase=PASSPHRASE)
    yield session
    session.close()


def make_centre(tmp_path: Path, name: str, district: str) -> Session:
    """A centre's store in ``tmp_path / name``, unlocked by its supervisor ``ayse``."""
    session, _ = initialise(tmp_path / name, store_role=StoreRole.CENTRE, name=name, district=district, user_name="ayse", passphrase=PASSPHRASE)
    return session


def enrol(centre: Session, coordinator: Session) -> None:
    """Enrol ``centre`` with ``coordinator`` and pin the coordinator's keys at the centre."""
    request = sync_keys.enrolment_request(centre)
    sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
    profile = sync_keys.profile(coordinator)
    sync_keys.pin_profile(centre, profile, profile.fingerprint)


@pytest.fixture
def pair(tmp_path: Path, coordinator: Session) -> Iterator[tuple[Session, Session]]:
    """A centre (Konak) enrolled with the coordinator: ``(centre, coordinator)``."""
    centre = make_centre(tmp_path, "Konak KDM", "Konak")
    enrol(centre, coordinator)
    yield centre, coordinator
    centre.close()
