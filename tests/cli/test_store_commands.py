"""``caseworker init | user | check | backup | restore`` as a person or a script runs them."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from caseworker.app.session import Credentials, unlock
from tests.conftest import PASSPHRASE


def _fingerprint(home: Path) -> dict[str, str]:
    """Hashes of the database and key slots: what must not change when a command is refused."""
    files = [home / "store.db", *sorted((home / "keyslots").glob("*.json"))]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.exists()}


def _one_clear_line(result) -> str:
    assert result.code == 1, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_init_prints_the_recovery_key_once_and_check_passes(cli_centre):
    assert len(cli_centre.recovery_key) == 44
    result = cli_centre("check")
    assert result.code == 0, result.err
    assert "The store is sound." in result.out


def test_init_twice_is_refused(cli_centre):
    result = cli_centre("init", "--role", "centre", "--name", "Again", "--user", "ayse")
    assert "already exists" in _one_clear_line(result)


def test_wrong_passphrase(cli_centre):
    before = _fingerprint(cli_centre.home)
    line = _one_clear_line(cli_centre("check", env={"CASEWORKER_PASSPHRASE": "not the passphrase"}))
    assert "Wrong passphrase" in line
    assert _fingerprint(cli_centre.home) == before


def test_unknown_user(cli_centre):
    before = _fingerprint(cli_centre.home)
    line = _one_clear_line(cli_centre("check", env={"CASEWORKER_USER": "mehmet"}))
    assert "no user named mehmet" in line
    assert _fingerprint(cli_centre.home) == before


def test_tampered_key_slot(cli_centre):
    slot = next(p for p in (cli_centre.home / "keyslots").glob("user-*.json"))
    text = slot.read_text()
    salt_start = text.index('"salt": "') + len('"salt": "')
    slot.write_text(text[:salt_start] + ("A" if text[salt_start] != "A" else "B") + text[salt_start + 1 :])
    before = _fingerprint(cli_centre.home)
    line = _one_clear_line(cli_centre("check"))
    assert "Wrong passphrase" in line and "altered" in line
    slot.write_text("{ not json")
    line = _one_clear_line(cli_centre("check"))
    assert "damaged" in line
    assert _fingerprint(cli_centre.home) == {**before, slot.name: hashlib.sha256(b"{ not json").hexdigest()}


def test_truncated_database(cli_centre):
    db = cli_centre.home / "store.db"
    db.write_bytes(db.read_bytes()[: 4096 + 100])
    before = _fingerprint(cli_centre.home)
    line = _one_clear_line(cli_centre("check"))
    assert "cannot be read" in line or "damaged" in line
    assert _fingerprint(cli_centre.home) == before


def test_no_store(cli):
    line = _one_clear_line(cli("check", env=cli.as_user()))
    assert "There is no Caseworker store" in line


def test_no_credentials_without_a_terminal(cli_centre):
    line = _one_clear_line(cli_centre("check", env={"CASEWORKER_PASSPHRASE": "", "CASEWORKER_USER": ""}))
    assert "CASEWORKER_PASSPHRASE" in line


def test_passphrase_from_a_file(cli_centre, tmp_path):
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    assert cli_centre("check", env={"CASEWORKER_PASSPHRASE": "", "CASEWORKER_PASSPHRASE_FILE": str(secret)}).code == 0


@pytest.mark.skipif(os.name != "posix", reason="file permissions are POSIX")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_passphrase_file_others_may_read_is_refused(cli_centre, tmp_path, mode):
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(mode)
    line = _one_clear_line(cli_centre("check", "--lang", "en", env={"CASEWORKER_PASSPHRASE": "", "CASEWORKER_PASSPHRASE_FILE": str(secret)}))
    assert f"chmod 600 {secret}" in line and f"{mode:03o}" in line


def test_usage_error_exits_2(cli):
    result = cli("user", "frobnicate")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_messages_are_turkish_by_default(cli_centre):
    result = cli_centre("check", env={"CASEWORKER_LANG": None, "CASEWORKER_PASSPHRASE": "yanlış"})
    line = _one_clear_line(result)
    assert "parola yanlış" in line.lower()


def test_users_roles_and_passphrases(cli_centre):
    new = {"CASEWORKER_NEW_PASSPHRASE": "mavi deniz kırmızı kapı"}
    assert cli_centre("user", "add", "Fatma", "--role", "caseworker", env=new).code == 0
    listing = cli_centre("user", "list")
    assert [line.split()[:2] for line in listing.out.splitlines()] == [["ayse", "supervisor"], ["fatma", "caseworker"]]
    turkish = cli_centre("user", "list", env={"CASEWORKER_LANG": "tr"}).out.splitlines()
    assert [line.startswith(start) for line, start in zip(turkish, ("ayse   sorumlu         2", "fatma  meslek elemanı  2"), strict=True)] == [True, True]
    as_fatma = {"CASEWORKER_USER": "fatma", "CASEWORKER_PASSPHRASE": "mavi deniz kırmızı kapı"}
    # A caseworker may not manage users, but may change her own passphrase.
    line = _one_clear_line(cli_centre("user", "add", "elif", "--role", "caseworker", env={**as_fatma, **new}))
    assert "may not" in line
    line = _one_clear_line(cli_centre("user", "passwd", "ayse", env={**as_fatma, **new}))
    assert "only your own" in line
    assert cli_centre("user", "passwd", "fatma", env={**as_fatma, "CASEWORKER_NEW_PASSPHRASE": "yepyeni bir parola"}).code == 0
    assert cli_centre("check", env={**as_fatma}).code == 1
    assert cli_centre("check", env={**as_fatma, "CASEWORKER_PASSPHRASE": "yepyeni bir parola"}).code == 0
    # A coordinator role does not exist in a centre's store; a short passphrase is refused.
    assert "no coordinator users" in _one_clear_line(cli_centre("user", "add", "x", "--role", "coordinator", env=new))
    assert "too short" in _one_clear_line(cli_centre("user", "add", "x", "--role", "caseworker", env={"CASEWORKER_NEW_PASSPHRASE": "kısa"}))
    # The last supervisor cannot be removed; a removed user cannot unlock.
    assert "last supervisor" in _one_clear_line(cli_centre("user", "remove", "ayse"))
    assert cli_centre("user", "remove", "fatma").code == 0
    assert "no user named fatma" in _one_clear_line(cli_centre("check", env={**as_fatma, "CASEWORKER_PASSPHRASE": "yepyeni bir parola"}))


def test_recovery_key_resets_a_forgotten_passphrase(cli_centre):
    recovery = {"CASEWORKER_RECOVERY_KEY": cli_centre.recovery_key.lower(), "CASEWORKER_PASSPHRASE": ""}
    result = cli_centre("user", "passwd", "ayse", env={**recovery, "CASEWORKER_NEW_PASSPHRASE": "hatırlanan yeni parola"})
    assert result.code == 0, result.err
    assert cli_centre("check", env={"CASEWORKER_PASSPHRASE": "hatırlanan yeni parola"}).code == 0
    assert "Wrong passphrase" in _one_clear_line(cli_centre("check"))
    bad = {"CASEWORKER_RECOVERY_KEY": "AAAA-BBBB", "CASEWORKER_PASSPHRASE": ""}
    assert "not a valid recovery key" in _one_clear_line(cli_centre("check", env=bad))


def test_backup_and_restore_into_an_empty_home(cli_centre, tmp_path):
    new = {"CASEWORKER_NEW_PASSPHRASE": "mavi deniz kırmızı kapı"}
    assert cli_centre("user", "add", "fatma", "--role", "caseworker", env=new).code == 0
    backup = tmp_path / "yedek.cwbackup"
    result = cli_centre("backup", str(backup))
    assert result.code == 0, result.err
    data = backup.read_bytes()
    assert b"Buca KDM" not in data and b"fatma" not in data and "Buca KDM".encode("utf-16-le") not in data
    assert backup.stat().st_mode & 0o077 == 0

    other = tmp_path / "other-home"
    restored = cli_centre("restore", str(backup), env={"CASEWORKER_HOME": str(other), "CASEWORKER_USER": "fatma", "CASEWORKER_PASSPHRASE": "mavi deniz kırmızı kapı"})
    assert restored.code == 0, restored.err
    assert cli_centre("user", "list", env={"CASEWORKER_HOME": str(other)}).out == cli_centre("user", "list").out
    assert cli_centre("check", env={"CASEWORKER_HOME": str(other)}).code == 0

    third = tmp_path / "third-home"
    by_recovery = {"CASEWORKER_HOME": str(third), "CASEWORKER_RECOVERY_KEY": cli_centre.recovery_key, "CASEWORKER_PASSPHRASE": ""}
    assert cli_centre("restore", str(backup), env=by_recovery).code == 0
    # Into a home that has a store: refused, nothing touched.
    assert "already exists" in _one_clear_line(cli_centre("restore", str(backup)))


HOSTILE_MANIFESTS = {"deep manifest": b"[" * 100_000 + b"]" * 100_000, "huge number manifest": b'{"version": ' + b"9" * 5_000 + b"}",
                     "huge manifest": b" " * (2 * 1024 * 1024) + b"{}"}


@pytest.mark.parametrize("damage", ["truncate", "flip", "not-zip", *HOSTILE_MANIFESTS])
def test_damaged_backup_is_refused_and_leaves_nothing(cli_centre, tmp_path, damage):
    import io
    import zipfile

    backup = tmp_path / "yedek.cwbackup"
    assert cli_centre("backup", str(backup)).code == 0
    data = bytearray(backup.read_bytes())
    if damage in HOSTILE_MANIFESTS:
        rebuilt = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as original, zipfile.ZipFile(rebuilt, "w") as archive:
            for name in original.namelist():
                archive.writestr(name, HOSTILE_MANIFESTS[damage] if name == "manifest.json" else original.read(name))
        data = bytearray(rebuilt.getvalue())
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x40
    else:
        data = bytearray(b"hello")
    backup.write_bytes(bytes(data))
    target = tmp_path / "empty-home"
    line = _one_clear_line(cli_centre("restore", str(backup), env={"CASEWORKER_HOME": str(target)}))
    assert "damaged" in line or "not a Caseworker backup" in line
    assert not (target / "store.db").exists()
    assert not list((target / "keyslots").glob("*")) if (target / "keyslots").exists() else True
    leftovers = [p.name for p in target.iterdir()] if target.exists() else []
    assert all(not name.startswith(".restore") for name in leftovers)


def test_no_display_says_how_to_run(cli):
    result = cli(env={"QT_QPA_PLATFORM": None, "DISPLAY": None, "WAYLAND_DISPLAY": None})
    line = _one_clear_line(result)
    assert "QT_QPA_PLATFORM=offscreen" in line and "xvfb-run" in line


def test_a_bug_gives_one_line_and_a_crash_report(home, monkeypatch, capsys):
    from caseworker.cli import commands_store, main

    def buggy(context, args):
        raise RuntimeError("boom in a handler")

    monkeypatch.setattr(commands_store, "run_check", buggy)
    monkeypatch.setenv("CASEWORKER_LANG", "en")
    assert main.main(["--home", str(home), "check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "crash report" in err[0] and "Traceback" not in err[0]
    report = next((home / "crash").glob("crash-*.txt"))
    assert "RuntimeError: boom in a handler" in report.read_text()
    assert report.stat().st_mode & 0o077 == 0


def test_usage_errors_and_help_follow_the_language(cli):
    result = cli("user", "frob", env={"CASEWORKER_LANG": None})
    assert result.code == 2 and "geçersiz seçim" in result.err and "kullanım" in result.err
    assert "seçenekler" in cli("--help", env={"CASEWORKER_LANG": None}).out
    assert "invalid choice" in cli("user", "frob").err


@pytest.mark.parametrize("district", ["Atlantis", "", "  "])
def test_init_refuses_a_district_izmir_does_not_have(cli, district):
    result = cli("init", "--role", "centre", "--name", "Yeni KDM", "--district", district, "--user", "ayse", "--lang", "en", env={"CASEWORKER_PASSPHRASE": PASSPHRASE})
    line = _one_clear_line(result)
    assert "Karşıyaka" in line and "Aliağa" in line and "30 districts" in line
    assert not (cli.home / "store.db").exists() and not list(cli.home.glob(".init-*"))


def test_init_spells_the_district_as_izmir_does(cli):
    result = cli("init", "--role", "centre", "--name", "Karşıyaka KDM", "--district", "KARŞIYAKA", "--user", "ayse", env={"CASEWORKER_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    with unlock(cli.home, Credentials("ayse", PASSPHRASE)) as session:
        assert session.info.district == "Karşıyaka"


def test_backup_and_export_replace_a_file_only_with_force(cli_centre, tmp_path):
    backup, exported, package = tmp_path / "store.cwbackup", tmp_path / "directory.json", tmp_path / "package"
    assert cli_centre("directory", "sample").code == 0
    for command, target in ((["backup"], backup), (["directory", "export"], exported), (["directory", "export", "--format", "hsds-csv"], package)):
        if target is package:
            target.mkdir()
            (target / "notes.txt").write_text("someone's notes")
        else:
            target.write_text("someone's file")
        before = sorted(p.name for p in tmp_path.iterdir())
        line = _one_clear_line(cli_centre(*command, str(target), "--lang", "en", env={"CASEWORKER_PASSPHRASE": "", "CASEWORKER_USER": ""}))
        assert "exists already" in line and "--force" in line  # refused before any passphrase is asked for
        assert sorted(p.name for p in tmp_path.iterdir()) == before
        assert (target / "notes.txt").exists() if target is package else target.read_text() == "someone's file"
        assert cli_centre(*command, str(target), "--force").code == 0
    assert backup.read_bytes().startswith(b"PK") and exported.read_text(encoding="utf-8").lstrip().startswith(("{", "["))


def test_restore_checks_the_file_before_asking_and_leaves_no_folder_behind(cli_centre, tmp_path):
    not_a_backup = tmp_path / "holiday.cwbackup"
    not_a_backup.write_bytes(b"not a zip")
    home = tmp_path / "new-home"
    no_credentials = {"CASEWORKER_HOME": str(home), "CASEWORKER_PASSPHRASE": "", "CASEWORKER_USER": ""}
    line = _one_clear_line(cli_centre("restore", str(not_a_backup), "--lang", "en", env=no_credentials))
    assert "not a Caseworker backup" in line
    assert not home.exists()
    backup = tmp_path / "store.cwbackup"
    assert cli_centre("backup", str(backup)).code == 0
    line = _one_clear_line(cli_centre("restore", str(backup), "--lang", "en", env={**no_credentials, "CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": "wrong one"}))
    assert "Wrong passphrase" in line
    assert not home.exists()
    assert cli_centre("restore", str(backup), env={"CASEWORKER_HOME": str(home)}).code == 0
