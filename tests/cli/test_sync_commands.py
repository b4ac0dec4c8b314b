"""End to end with the command line only: two centres enrol, record, submit, export; the
coordinator imports, and its consolidated figures equal the centres' exactly."""

from __future__ import annotations

import json

from caseworker.domain.districts import proper_district
from caseworker.domain.periods import Period
from caseworker.domain.text import search_key
from tests.cli.test_store_commands import _one_clear_line
from tests.conftest import PASSPHRASE

CONTACTS = {
    "konak": [["age=25-34", "status=citizen", "source=alo183", "violence=physical", "violence=economic", "children=yes"],
              ["age=18-24", "status=temporary_protection", "source=police", "violence=psychological", "referral=sonim"]],
    "buca": [["age=45-54", "status=citizen", "source=self", "violence=digital", "protective_order=yes"]],
}


def test_two_centres_and_a_coordinator(cli, tmp_path):
    koord = {"CASEWORKER_HOME": str(tmp_path / "koord"), "CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    assert cli("init", "--role", "coordinator", "--name", "İzmir BB", "--user", "koord", env=koord).code == 0
    profile = tmp_path / "profile.json"
    exported = cli("profile", "export", str(profile), env=koord)
    assert exported.code == 0
    coordinator_fp = exported.out.strip().rsplit(" ", 1)[-1]
    keys = json.loads(cli("keys", "show", "--json", env=koord).out)
    assert keys["age_recipient"].startswith("age1") and keys["fingerprint"] == coordinator_fp

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    centres = {}
    for name, district in (("konak", "Konak"), ("buca", "Buca")):
        env = {"CASEWORKER_HOME": str(tmp_path / name), "CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": PASSPHRASE}
        centres[name] = env
        assert cli("init", "--role", "centre", "--name", f"{district} KDM", "--district", district, "--user", "ayse", env=env).code == 0
        request = tmp_path / f"{name}-request.json"
        made = cli("enrol", "request", str(request), env=env)
        fingerprint = made.out.strip().rsplit(" ", 1)[-1]
        # The coordinator refuses without the fingerprint read aloud, and with a wrong one.
        # Neither refusal says the file's fingerprint (whoever holds the file must not learn what to say).
        missing = cli("enrol", "accept", str(request), env=koord)
        assert "fingerprint" in _one_clear_line(missing).lower() and fingerprint not in missing.out + missing.err
        wrong = cli("enrol", "accept", str(request), "--fingerprint", "1234", env=koord)
        assert "does not match" in _one_clear_line(wrong) and fingerprint not in wrong.out + wrong.err
        assert cli("enrol", "accept", str(request), "--fingerprint", fingerprint.lower(), env=koord).code == 0
        assert cli("profile", "import", str(profile), "--fingerprint", coordinator_fp, env=env).code == 0
        assert cli("sync", "target", "add", str(inbox), env=env).code == 0
        for contact in CONTACTS[name]:
            assert cli("tally", "2026-10", *contact, env=env).code == 0
        submitted = cli("month", "submit", "2026-10", env=env)
        assert submitted.code == 0, submitted.err
        assert "Everything has been sent." in cli("sync", "status", env=env).out

    imported = cli("sync", "import", str(inbox), "--json", env=koord)
    assert imported.code == 0, imported.err
    outcomes = json.loads(imported.out)
    assert sorted(o["status"] for o in outcomes) == ["imported", "imported"]
    again = json.loads(cli("sync", "import", str(inbox), "--json", env=koord).out)
    assert [o["status"] for o in again] == ["duplicate", "duplicate"]

    def cells(result):
        return {(c["indicator"], tuple(sorted(c["options"].items()))): c["value"] for c in json.loads(result.out)["cells"]}

    konak, buca = (cells(cli("counts", "show", "2026-10", "--json", env=centres[n])) for n in ("konak", "buca"))
    city = cells(cli("counts", "show", "2026-10", "--json", "--city", env=koord))
    assert city == {key: konak.get(key, 0) + buca.get(key, 0) for key in set(konak) | set(buca)}
    assert cells(cli("counts", "show", "2026-10", "--json", "--district", "konak", env=koord)) == konak
    status = json.loads(cli("sync", "status", "--json", "--from", "2026-09", "--to", "2026-10", env=koord).out)
    october = [m for c in status["centres"] for m in c["months"] if m["period"] == "2026-10"]
    assert all(m["received"] and m["status"] == "submitted" for m in october) and len(october) == 2


def test_sync_status_says_what_waits_and_why(cli_centre, tmp_path):
    status = cli_centre("sync", "status").out
    assert "profile" in status and "delivery folder" in status
    line = _one_clear_line(cli_centre("sync", "export"))
    assert "profile import" in line


def test_export_identity_warns(cli, tmp_path):
    koord = {"CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    assert cli("init", "--role", "coordinator", "--name", "İzmir BB", "--user", "koord", env=koord).code == 0
    result = cli("keys", "export-identity", str(tmp_path / "safe.key"), env=koord)
    assert result.code == 0 and "WARNING" in result.err
    assert (tmp_path / "safe.key").read_text().count("AGE-SECRET-KEY-") == 1


def test_bad_bundles_through_the_cli(cli, tmp_path):
    koord = {"CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    assert cli("init", "--role", "coordinator", "--name", "İzmir BB", "--user", "koord", env=koord).code == 0
    junk = tmp_path / "junk.cwbundle"
    junk.write_bytes(b"PK\x03\x04garbage")
    result = cli("sync", "import", str(junk), "--json", env=koord)
    assert result.code == 1 and "Traceback" not in result.err
    assert json.loads(result.out)[0]["status"] == "rejected"


def test_the_coordinator_publishes_the_catalogue_and_the_directory_and_a_centre_applies_them(cli, tmp_path):
    koord, centre = _coordinator_and_centre(cli, tmp_path, "Karşıyaka")
    profile = tmp_path / "profile.json"
    fingerprint = cli("profile", "export", str(profile), env=koord).out.strip().rsplit(" ", 1)[-1]
    assert cli("profile", "import", str(profile), "--fingerprint", fingerprint, env=centre).code == 0

    catalogue = json.loads(cli("catalogue", "show", "--json", env=koord).out)
    catalogue["version"] = 2
    next(d for d in catalogue["dimensions"] if d["code"] == "violence")["options"].append(
        {"code": "honour", "labels": {"tr": "Namus adına", "en": "So-called honour"}})
    plain = tmp_path / "catalogue-v2.json"
    plain.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    assert ".cwpub" in _one_clear_line(cli("catalogue", "import", str(plain), env=centre))
    assert cli("catalogue", "import", str(plain), env=koord).code == 0
    published = cli("catalogue", "publish", str(tmp_path / "catalogue.cwpub"), env=koord)
    assert published.code == 0 and "Catalogue version 2 (13 indicators)" in published.out
    applied = cli("catalogue", "import", str(tmp_path / "catalogue.cwpub"), env=centre)
    assert applied.out.strip() == "Catalogue version 2 from the coordinator is now in use.", applied.err
    assert json.loads(cli("catalogue", "show", "--json", env=centre).out)["version"] == 2

    assert cli("directory", "sample", env=koord).code == 0
    assert cli("directory", "publish", str(tmp_path / "directory.cwpub"), env=koord).code == 0
    applied = cli("directory", "import", str(tmp_path / "directory.cwpub"), env=centre)
    assert applied.code == 0 and "publication number 1" in applied.out and "13 new" in applied.out, applied.out + applied.err
    assert "not newer" in _one_clear_line(cli("directory", "import", str(tmp_path / "directory.cwpub"), env=centre))
    assert "centre's store" in _one_clear_line(cli("directory", "import", str(tmp_path / "directory.cwpub"), env=koord))


def test_pinning_another_coordinator_says_which_one_it_replaced(cli, tmp_path):
    centre = {"CASEWORKER_HOME": str(tmp_path / "buca"), "CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    assert cli("init", "--role", "centre", "--name", "Buca KDM", "--district", "Buca", "--user", "ayse", env=centre).code == 0
    fingerprints = {}
    for name in ("first", "second"):
        koord = {"CASEWORKER_HOME": str(tmp_path / name), "CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
        assert cli("init", "--role", "coordinator", "--name", f"Birim {name}", "--user", "koord", env=koord).code == 0
        fingerprints[name] = cli("profile", "export", str(tmp_path / f"{name}.json"), env=koord).out.strip().rsplit(" ", 1)[-1]
    first = cli("profile", "import", str(tmp_path / "first.json"), "--fingerprint", fingerprints["first"], env=centre)
    assert first.code == 0 and first.err == ""
    second = cli("profile", "import", str(tmp_path / "second.json"), "--fingerprint", fingerprints["second"], env=centre)
    assert second.code == 0
    assert second.err.strip().splitlines() == [f"This replaced the coordinator trusted before (Birim first, fingerprint {fingerprints['first']}).",
                                               "Publications are numbered anew: the first one of the new coordinator will be applied."]


def _coordinator_and_centre(cli, tmp_path, district: str) -> tuple[dict[str, str], dict[str, str]]:
    """A coordinator's store and a centre's in ``district`` (as typed), made through the command line."""
    koord = {"CASEWORKER_HOME": str(tmp_path / "koord"), "CASEWORKER_USER": "koord", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    folder = search_key(district).replace(" ", "-")
    centre = {"CASEWORKER_HOME": str(tmp_path / folder), "CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": PASSPHRASE}
    assert cli("init", "--role", "coordinator", "--name", "İzmir BB", "--user", "koord", env=koord).code == 0
    name = f"{proper_district(district) or district} KDM"
    assert cli("init", "--role", "centre", "--name", name, "--district", district, "--user", "ayse", env=centre).code == 0
    return koord, centre


def _enrolled_centre(cli, tmp_path) -> tuple[dict[str, str], dict[str, str]]:
    """A coordinator and a centre (Konak) enrolled with it through the command line."""
    koord, centre = _coordinator_and_centre(cli, tmp_path, "Konak")
    profile, request = tmp_path / "profile.json", tmp_path / "request.json"
    coordinator_fp = cli("profile", "export", str(profile), env=koord).out.strip().rsplit(" ", 1)[-1]
    centre_fp = cli("enrol", "request", str(request), env=centre).out.strip().rsplit(" ", 1)[-1]
    assert cli("enrol", "accept", str(request), "--fingerprint", centre_fp, env=koord).code == 0
    assert cli("profile", "import", str(profile), "--fingerprint", coordinator_fp, env=centre).code == 0
    return centre, koord


def test_month_submit_says_whether_the_month_was_sent(cli_centre, tmp_path):
    assert cli_centre("tally", "2026-09", *CONTACTS["buca"][0]).code == 0
    submitted = cli_centre("month", "submit", "2026-09")
    assert submitted.code == 0, submitted.err
    assert submitted.out.splitlines()[-1].startswith("Not sent: the coordinator's profile is not imported yet (caseworker profile import FILE).")

    centre, _koord = _enrolled_centre(cli_centre, tmp_path)
    assert cli_centre("tally", "2026-09", *CONTACTS["konak"][0], env=centre).code == 0
    assert cli_centre("month", "submit", "2026-09", env=centre).out.splitlines()[-1].startswith("Not sent: no delivery target is set")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert cli_centre("sync", "target", "add", str(inbox), env=centre).code == 0
    assert cli_centre("month", "reopen", "2026-09", "--reason", "late_data", env=centre).code == 0
    assert cli_centre("month", "submit", "2026-09", env=centre).out.splitlines()[-1] == f"Sent: delivered to {inbox}."
    assert len(list(inbox.glob("*.cwbundle"))) == 2


def test_sync_run_fails_when_no_delivery_succeeds(cli, tmp_path):
    centre, _koord = _enrolled_centre(cli, tmp_path)
    stick = tmp_path / "usb"
    stick.mkdir()
    assert cli("sync", "target", "add", str(stick), env=centre).code == 0
    stick.rmdir()  # the USB stick is not plugged in
    assert cli("tally", "2026-09", *CONTACTS["buca"][0], env=centre).code == 0
    run = cli("sync", "run", env=centre)
    assert run.code == 1
    assert f"Not delivered to {stick}" in run.out and "1 bundle waits in the outbox." in run.out
    assert run.err == "caseworker: No delivery succeeded; the bundles stay in the outbox. Check the targets above (caseworker sync target list) and run again.\n"
    other = tmp_path / "usb2"
    other.mkdir()
    assert cli("sync", "target", "add", str(other), env=centre).code == 0
    other.rmdir()
    turkish = cli("sync", "run", env={**centre, "CASEWORKER_LANG": "tr"})
    assert turkish.code == 1 and f"{other} bulunamadı (USB bellek takılı mı?)" in turkish.out


def test_sync_import_of_a_folder_without_bundles_says_so(cli, tmp_path):
    _centre, koord = _enrolled_centre(cli, tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    imported = cli("sync", "import", str(empty), env=koord)
    assert (imported.code, imported.out) == (0, f"No bundle (*.cwbundle file) found in {empty}; nothing was imported.\n")
    assert json.loads(cli("sync", "import", str(empty), "--json", env=koord).out) == []
    month = Period.current()  # the month in progress is not expected yet; the centre joined today
    status = cli("sync", "status", "--to", str(month), env=koord)
    assert f"{month.previous()}: 0 of 0 centres reported, 0 on time." in status.out.splitlines()


def test_districts_are_spelled_as_izmir_does_on_enrolment_and_in_district_options(cli, tmp_path):
    koord, centre = _coordinator_and_centre(cli, tmp_path, "karsiyaka")
    request = tmp_path / "request.json"
    from caseworker.sync.enrolment import parse_request

    assert cli("enrol", "request", str(request), env=centre).code == 0
    document = json.loads(request.read_text(encoding="utf-8"))
    assert document["district"] == "Karşıyaka"
    document["district"] = "KARŞIYAKA"  # as an older version wrote what was typed
    request.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    fingerprint = parse_request(request.read_bytes()).fingerprint  # what that centre reads aloud: its file's
    assert cli("enrol", "accept", str(request), "--fingerprint", fingerprint, env=koord).code == 0
    status = json.loads(cli("sync", "status", "--json", env=koord).out)
    assert [c["district"] for c in status["centres"]] == ["Karşıyaka"]
    assert cli("counts", "show", "2026-10", "--district", "KARŞIYAKA", env=koord).code == 0
    assert "Aliağa" in _one_clear_line(cli("counts", "show", "2026-10", "--district", "Atlantis", env=koord))
    assert "Aliağa" in _one_clear_line(cli("directory", "search", "", "--district", "Atlantis", env=centre))


def test_the_month_in_progress_is_not_expected_yet(cli, tmp_path):
    centre, koord = _enrolled_centre(cli, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert cli("sync", "target", "add", str(inbox), env=centre).code == 0
    now = Period.current()
    assert cli("tally", str(now.previous()), *CONTACTS["buca"][0], env=centre).code == 0
    assert cli("month", "submit", str(now.previous()), env=centre).code == 0
    assert cli("sync", "import", str(inbox), env=koord).code == 0
    status = json.loads(cli("sync", "status", "--json", "--from", str(now.previous()), "--to", str(now), env=koord).out)
    months = {m["period"]: m for m in status["centres"][0]["months"]}
    assert months[str(now.previous())]["expected"] and months[str(now.previous())]["received"]
    assert not months[str(now)]["expected"]
    text = cli("sync", "status", "--from", str(now.previous()), "--to", str(now), "--lang", "en", env=koord).out
    assert f"{now.previous()}: 1 of 1 centre reported," in text and f"{now}:" not in text


def test_sync_schedule_install_status_remove_on_linux_without_systemctl(cli_centre, tmp_path):
    user_home, no_programs = tmp_path / "user", tmp_path / "no-programs"
    no_programs.mkdir()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o644)
    where = {"HOME": str(user_home), "PATH": str(no_programs), "XDG_CONFIG_HOME": "", "XDG_RUNTIME_DIR": "", "DBUS_SESSION_BUS_ADDRESS": "", "CASEWORKER_PASSPHRASE": ""}
    install = ("sync", "schedule", "install", "--passphrase-file", str(secret), "--at", "17:45", "--lang", "en")
    assert "chmod 600" in _one_clear_line(cli_centre(*install, env=where))
    secret.chmod(0o600)
    assert "HH:MM" in _one_clear_line(cli_centre("sync", "schedule", "install", "--passphrase-file", str(secret), "--at", "25:00", "--lang", "en", env=where))
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    wrong.chmod(0o600)
    assert "Wrong passphrase" in _one_clear_line(cli_centre("sync", "schedule", "install", "--passphrase-file", str(wrong), "--lang", "en", env=where))
    assert not (user_home / ".config").exists()
    done = cli_centre(*install, env=where)
    assert done.code == 0, done.err
    units = user_home / ".config" / "systemd" / "user"
    assert f"written: {units / 'caseworker-sync.service'}" in done.out and "systemctl --user enable --now caseworker-sync.timer" in done.out
    assert f'Environment="CASEWORKER_PASSPHRASE_FILE={secret}"' in (units / "caseworker-sync.service").read_text()
    status = json.loads(cli_centre("sync", "schedule", "status", "--json", env=where).out)
    assert status == {"kind": "systemd", "installed": True, "at": "17:45", "home": str(cli_centre.home.absolute()), "user": "ayse", "registered": None,
                      "files": [str(units / "caseworker-sync.service"), str(units / "caseworker-sync.timer")]}
    assert "every day at 17:45 for ayse" in cli_centre("sync", "schedule", "status", "--lang", "en", env=where).out
    removed = cli_centre("sync", "schedule", "remove", "--lang", "en", env=where)
    assert removed.code == 0 and "systemctl --user disable --now caseworker-sync.timer" in removed.out
    assert not list(units.iterdir())
    assert "not scheduled" in cli_centre("sync", "schedule", "status", "--lang", "en", env=where).out


def test_the_prompt_never_shows_the_expected_fingerprint(tmp_path, coordinator, monkeypatch, capsys):
    """At a terminal the person types the fingerprint read to her before anything is printed,
    and a wrong one is refused without printing the file's."""
    from caseworker.app import sync_keys
    from caseworker.cli import main as cli_main
    from caseworker.cli import unlock as unlock_cli
    from tests.conftest import make_centre

    centre = make_centre(tmp_path, "Buca KDM", "Buca")
    request = sync_keys.write_enrolment_request(centre, tmp_path / "request.json")
    centre.close()
    coordinator.close()
    monkeypatch.setenv("CASEWORKER_USER", "koord")
    monkeypatch.setenv("CASEWORKER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEWORKER_LANG", "en")
    monkeypatch.setattr(unlock_cli, "interactive", lambda: True)
    printed_before_prompt = []

    def typed(prompt: str) -> str:
        printed_before_prompt.append(capsys.readouterr().out)
        return "0000-1111-2222-3333-4444"

    monkeypatch.setattr("builtins.input", typed)
    code = cli_main.main(["--home", str(tmp_path / "coordinator"), "enrol", "accept", str(tmp_path / "request.json")])
    after = capsys.readouterr()
    assert code == 1 and printed_before_prompt == [""]
    assert "does not match" in after.err and request.fingerprint not in after.out + after.err


def test_replacing_a_centres_key_is_its_own_command(pair, tmp_path, monkeypatch, capsys):
    from caseworker.app import sync_keys
    from caseworker.cli import main as cli_main
    from caseworker.sync import minisign

    centre, coordinator = pair
    request = sync_keys.enrolment_request(centre)
    new = type(request)(request.centre_id, request.name, request.district, minisign.generate_keypair().public_key().to_base64())
    (tmp_path / "new.json").write_bytes(new.to_bytes())
    home = str(coordinator.home)
    coordinator.close()
    monkeypatch.setenv("CASEWORKER_USER", "koord")
    monkeypatch.setenv("CASEWORKER_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEWORKER_LANG", "en")
    capsys.readouterr()
    assert cli_main.main(["--home", home, "enrol", "accept", str(tmp_path / "new.json"), "--fingerprint", new.fingerprint]) == 1
    refused = capsys.readouterr().err
    assert "replace-key" in refused and request.fingerprint in refused
    assert cli_main.main(["--home", home, "enrol", "replace-key", str(tmp_path / "new.json"), "--fingerprint", new.fingerprint]) == 0
    said = capsys.readouterr().out
    assert request.fingerprint in said and new.fingerprint in said
