"""``caseworker report monthly`` end to end, in a child process, on a store made by the CLI."""

from __future__ import annotations

import json
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
    refused = report(tallied, "report", "monthly", PERIOD, "--out", str(out), "--lang", "en", "--public")
    assert refused.code == 1 and "not been submitted" in refused.err and len(refused.err.strip().splitlines()) == 1
    assert not out.exists()
    assert tallied("month", "submit", PERIOD).code == 0
    result = report(tallied, "report", "monthly", PERIOD, "--out", str(out), "--lang", "en", "--public")
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert "Monthly statistics summary" in text and "April 2026" in text and "Public edition" in text and "Method note" in text
    assert "Physical .." in text and "Psychological .." in text  # three women: no breakdown is published
    assert "Issued the public edition" in result.err


def test_a_public_edition_as_json_the_same_every_time_and_in_the_register(tallied, tmp_path):
    assert tallied("month", "submit", PERIOD).code == 0
    first = report(tallied, "report", "monthly", PERIOD, "--public", "--json")
    assert first.code == 0, first.err
    document = json.loads(first.out)
    assert (document["edition"], document["scope"], document["from"], document["to"]) == ("public", "centre", PERIOD, PERIOD)
    assert document["method"]["max_noise"] == 6 and document["method"]["threshold"] == 5
    cells = {(c["indicator"], tuple(sorted(c["options"].items()))): c["value"] for c in document["cells"]}
    assert cells[("NEW_APPLICANTS", ())] is not None and cells[("NEW_APPLICANTS", (("age", "25-34"),))] is None
    assert not [v for v in cells.values() if v is not None and 1 <= v <= 4]
    again = report(tallied, "report", "monthly", PERIOD, "--public", "--json", "--out", str(tmp_path / "again.pdf"))
    assert again.code == 0 and json.loads(again.out) == document and "given again with the same figures" in again.err
    assert (tmp_path / "again.pdf").exists() and str(tmp_path / "again.pdf") in again.err  # stdout holds the JSON alone
    register = report(tallied, "report", "releases", "--json")
    (entry,) = json.loads(register.out)
    assert (entry["scope"], entry["from"], entry["to"], entry["issued_by"]) == ("centre", PERIOD, PERIOD, "ayse")
    assert PERIOD in report(tallied, "report", "releases").out


@pytest.mark.parametrize(("args", "words"), [(["--json"], "--public"), ([], "--out")])
def test_json_goes_with_public_and_a_pdf_needs_out(tallied, args, words):
    result = report(tallied, "report", "monthly", PERIOD, *args)
    assert result.code == 2 and words in result.err and "Traceback" not in result.err


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


# ---------------------------------------------------------------------------- report city


@pytest.fixture(scope="module")
def city_cli(tmp_path_factory):
    """A coordinator's store with three centres' real bundles imported (``tests/reports/city_stores``),
    closed, and a command line that opens it as ``koord``."""
    from tests.conftest import CliRunner
    from tests.reports.city_stores import build_city_store

    folder = tmp_path_factory.mktemp("city-cli")
    store = build_city_store(folder / "stores")
    store.coordinator.close()
    tmp = folder / "tmpdir"
    tmp.mkdir()
    runner = CliRunner(store.home, tmp)
    runner.env.update(runner.as_user("koord"))
    runner.store = store  # type: ignore[attr-defined]
    return runner


def test_report_city_writes_the_sums_of_the_centres_and_warns_that_it_is_plaintext(city_cli, tmp_path):
    from tests.reports.city_stores import FIRST

    store = city_cli.store
    periods = tuple(FIRST.plus(i) for i in range(3))
    out = tmp_path / "kent.pdf"
    result = report(city_cli, "report", "city", "2026-01", "2026-03", "--out", str(out), "--csv", str(tmp_path / "csv"))
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert "Kent raporu" in text and "2026, 1. çeyrek (Ocak–Mart)" in text and "İlçelere göre temel göstergeler" in text
    for district in ("Çiğli", "Konak"):
        figures = [store.district_sum(district, periods, code) for code in ("NEW_APPLICANTS", "RETURNING_CLIENTS")]
        assert f"{district} {figures[0]} {figures[1]} " in text, district
    assert text.index("Çiğli 9") < text.index("Konak 36")  # Turkish order, and the known tallies
    assert "not encrypted" in result.err and "PDF" in result.err and "CSV" in result.err
    assert str(out) in result.out and "3 centres" in result.out
    assert len(list((tmp_path / "csv").glob("*.csv"))) >= 10


def test_a_public_city_edition_of_a_quarter_not_all_approved_is_refused(city_cli, tmp_path):
    out = tmp_path / "city.pdf"
    result = report(city_cli, "report", "city", "2026-01", "2026-03", "--out", str(out), "--lang", "en", "--public")
    assert result.code == 1 and "approved figures only" in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()
    assert report(city_cli, "report", "releases").out.strip() == "No public edition has been issued yet."


@pytest.mark.parametrize(("args", "code", "words"), [
    (["2026-01", "2026-02", "--public"], 1, "calendar quarter"),
    (["2026-02", "2026-01"], 1, "comes after"),
    (["2026-1", "2026-03"], 1, "YYYY-MM"),
    (["2026-01"], 2, "TO"),
])
def test_report_city_refusals_are_one_clear_line(city_cli, tmp_path, args, code, words):
    result = report(city_cli, "report", "city", *args, "--out", str(tmp_path / "x.pdf"))
    assert result.code == code, result.err
    assert words in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_a_centre_may_not_print_the_city_report(tallied, tmp_path):
    result = report(tallied, "report", "city", "2026-01", "2026-03", "--out", str(tmp_path / "x.pdf"))
    assert result.code == 1 and "coordinator" in result.err
    assert not (tmp_path / "x.pdf").exists()
