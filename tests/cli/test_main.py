"""What ``caseworker`` does for every command: the language option, output into a closed pipe."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from caseworker.cli.main import CLOSED_PIPE


def into_closed_pipe(cli, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command whose output goes into a pipe nobody reads any more (``… | head -0``): the
    reading end is closed before the program starts, so its first write meets a closed pipe."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return subprocess.run([sys.executable, "-m", "caseworker", *args], stdout=writing, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                              text=True, env={**cli.env, **(env or {})}, timeout=60)
    finally:
        os.close(writing)


@pytest.mark.parametrize("command", [("counts", "show", "2026-10"), ("directory", "search", ""), ("sync", "status"), ("--help",)], ids=" ".join)
def test_output_into_a_closed_pipe_ends_quietly_without_a_crash_report(cli_centre, command):
    assert cli_centre("directory", "sample").code == 0
    assert cli_centre("counts", "set", "2026-10", "SESSIONS[session=legal]=12").code == 0
    ended = into_closed_pipe(cli_centre, *command)
    assert (ended.returncode, ended.stderr) == (CLOSED_PIPE, "")
    assert not (cli_centre.home / "crash").exists()



@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_and_home_may_stand_before_or_after_the_command(cli_centre, tmp_path, where):
    turkish = {"CASEWORKER_LANG": None}
    options = ["--lang", "en"]
    command = [*options, "counts", "show", "2026-10"] if where == "before" else ["counts", "show", "2026-10", *options]
    assert "açık" in cli_centre("counts", "show", "2026-10", env=turkish).out  # Turkish by default
    shown = cli_centre(*command, env=turkish)
    assert shown.code == 0, shown.err
    assert "2026-10: open" in shown.out
    elsewhere = tmp_path / "elsewhere"
    command = ["--home", str(elsewhere), "user", "list"] if where == "before" else ["user", "list", "--home", str(elsewhere)]
    assert "There is no Caseworker store in" in cli_centre(*command).err


def test_a_wrong_language_after_the_command_is_a_usage_error(cli_centre):
    wrong = cli_centre("counts", "show", "2026-10", "--lang", "de")
    assert wrong.code == 2 and "invalid choice: 'de'" in wrong.err


def test_help_is_turkish_in_turkish_mode(cli):
    result = cli("--help", "--lang", "tr")
    assert result.code == 0
    assert "show program's version" not in result.out
    assert "--version       programın sürüm numarasını gösterir ve çıkar" in result.out


def test_a_submitted_month_is_worded_one_way_in_turkish(cli_centre):
    assert cli_centre("tally", "2026-09", "age=25-34", "status=citizen", "source=self", "violence=physical").code == 0
    submitted = cli_centre("month", "submit", "2026-09", "--lang", "tr")
    assert submitted.code == 0, submitted.err
    status = cli_centre("month", "status", "2026-09", "--lang", "tr").out
    assert "onaylandı" in status and "gönderildi" not in status
    from caseworker import i18n

    for msgid, texts in i18n.catalogue().items():
        if "submitted" in msgid and "sent" not in msgid.lower():
            assert "gönderil" not in texts["tr"], msgid


def test_coordinator_goes_with_demo_alone(cli):
    for args in (("--coordinator",), ("--demo", "--coordinator", "sync", "status")):
        result = cli(*args)
        assert result.code == 1 and "--coordinator goes with --demo alone" in result.err, result


def test_demo_coordinator_opens_the_window_on_the_coordinators_demo(monkeypatch, tmp_path):
    from caseworker.cli.main import main
    from caseworker.ui import application

    opened = []
    monkeypatch.setenv("CASEWORKER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(application, "run", lambda home, demo, termination, coordinator: opened.append((demo, coordinator)) or 0)
    assert main(["--demo", "--coordinator"]) == 0
    assert main(["--demo"]) == 0
    assert opened == [(True, True), (True, False)]
