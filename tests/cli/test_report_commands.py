"""``caseworker report monthly`` end to end, in a child process, on a store made by the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PASSPHRASE, CliResult

# Runs the command line with the report commands registered, whether or not cli/main.py lists
# them yet (it does once the lead wires ``commands_reports`` into COMMAND_MODULES).
ENTRY = (
    "import sys\n"
    "from caseworker.cli import main, commands_reports\n"
    "if commands_reports not in main.COMMAND_MODULES:\n"
    "    main.COMMAND_MODULES.append(commands_reports)\n"
    "sys.exit(main.main())\n"
)
CONTACTS = [
    ["age=25-34", "status=citizen", "source=self", "violence=physical", "violence=psychological", "children=yes"],
    ["age=25-34", "status=citizen", "source=alo183", "violence=psychological"],
    ["age=35-44", "status=temporary_protection", "source=self", "violence=economic", "referral=legal_aid"],
]
PERIOD = "2026-04"


def report(cli, *args: str, env: dict[str, str] | None = None) -> CliResult:
    proc = subprocess.run([sys.executable, "-c", ENTRY, *args], env={**cli.env, **(env or {})}, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def pdftotext(path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


@pytest.fixture
def tallied(cli_centre):
    for answers in CONTACTS:
        assert cli_centre("tally", PERIOD, *answers).code == 0
    return cli_centre


def test_report_monthly_writes_a_turkish_pdf_and_warns_that_it_is_plaintext(tallied, tmp_path):
    out = tmp_path / "ozet.pdf"
    result = report(tallied, "report", "monthly", PERIOD, "--out", str(out), "--csv", str(tmp_path / "csv"))
    assert result.code == 0, result.err
    text = pdftotext(out)
    # Turkish by default, even though the program's messages are in English here (CASEWORKER_LANG=en)
    assert "Aylık istatistik özeti" in text and "Nisan 2026" in text and "Buca, İzmir" in text
    assert "Yeni başvuran kadınlar 3 0" in text
    assert "Fiziksel 1 0 0" in text and "Psikolojik 2 0 0" in text and "Ekonomik 1 0 0" in text
    assert "not encrypted" in result.err and "PDF" in result.err and "CSV" in result.err
    assert str(out) in result.out
    assert len(list((tmp_path / "csv").glob("*.csv"))) >= 10


def test_report_monthly_in_english_and_public(tallied, tmp_path):
    out = tmp_path / "summary.pdf"
    result = report(tallied, "report", "monthly", PERIOD, "--out", str(out), "--lang", "en", "--public")
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert "Monthly statistics summary" in text and "April 2026" in text and "Public version" in text
    assert "Physical .." in text and "Psychological .." in text  # 1 and 2 women: hidden
    assert "Values from 1 to 4 are suppressed (shown as ..)" in text
    assert "hid" in result.out


@pytest.mark.parametrize(("args", "code", "words"), [
    (["2026-4"], 1, "YYYY-MM"),
    (["2999-01"], 1, "has not begun"),
    ([], 2, "PERIOD"),
])
def test_report_monthly_refusals_are_one_clear_line(tallied, tmp_path, args, code, words):
    result = report(tallied, "report", "monthly", *args, "--out", str(tmp_path / "x.pdf"))
    assert result.code == code
    assert words in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_a_caseworker_may_not_print_the_monthly_summary(tallied, tmp_path):
    assert tallied("user", "add", "fatma", "--role", "caseworker", env={"CASEWORKER_NEW_PASSPHRASE": "mavi deniz kırmızı kapı"}).code == 0
    as_fatma = {"CASEWORKER_USER": "fatma", "CASEWORKER_PASSPHRASE": "mavi deniz kırmızı kapı"}
    result = report(tallied, "report", "monthly", PERIOD, "--out", str(tmp_path / "x.pdf"), env=as_fatma)
    assert result.code == 1 and "supervisor" in result.err
    assert not (tmp_path / "x.pdf").exists()
    assert report(tallied, "report", "monthly", PERIOD, "--out", str(tmp_path / "x.pdf"),
                  env={"CASEWORKER_USER": "ayse", "CASEWORKER_PASSPHRASE": PASSPHRASE}).code == 0
