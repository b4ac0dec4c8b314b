"""``caseworker directory import | export | search | review | show | sample`` end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseworker.hsds.files import import_hsds_tabular, load_sample_directory, read_hsds_json
from caseworker.hsds.writing import export_hsds_json
from tests.cli.test_store_commands import _one_clear_line
from tests.conftest import PASSPHRASE, CliResult, CliRunner
from tests.hsds.samples import EXAMPLES, SECRET_PHONE, SECRET_STREET, rich_directory

# Runs the real ``main`` with the directory commands registered, whether or not cli/main.py
# lists them yet.
LAUNCHER = (
    "import sys\n"
    "from caseworker.cli import commands_directory, main\n"
    "if commands_directory not in main.COMMAND_MODULES:\n"
    "    main.COMMAND_MODULES.append(commands_directory)\n"
    "sys.exit(main.main(sys.argv[1:]))\n"
)
SEARCH_KEYS = {"id", "name", "organization", "organization_id", "district", "categories", "status", "source", "confidential", "sample", "verified_at", "needs_review"}
EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.json")) + [EXAMPLES / "csv"]
assert len(EXAMPLE_PATHS) > 1, f"the HSDS 3.0 examples are missing from {EXAMPLES}"


class DirectoryCli(CliRunner):
    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60) -> CliResult:
        merged = {k: v for k, v in {**self.env, **(env or {})}.items() if v is not None}
        proc = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *args], env=merged, input=input, capture_output=True, text=True, timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def made_home(tmp_path_factory) -> Path:
    """One centre store made through the command line, copied for each test (key derivation is slow)."""
    base = tmp_path_factory.mktemp("made")
    tmp = base / "tmp"
    tmp.mkdir()
    runner = DirectoryCli(base / "home", tmp)
    result = runner("init", "--role", "centre", "--name", "Buca KDM", "--district", "Buca", "--user", "ayse", env={"CASEWORKER_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    return base / "home"


@pytest.fixture
def cli(made_home, tmp_path) -> DirectoryCli:
    shutil.copytree(made_home, tmp_path / "home")
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    runner = DirectoryCli(tmp_path / "home", tmp)
    runner.env.update(runner.as_user())
    return runner


def search_json(cli: DirectoryCli, *args: str) -> list[dict]:
    result = cli("directory", "search", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.mark.usefixtures("hsds_reference")
@pytest.mark.parametrize("example", EXAMPLE_PATHS, ids=lambda path: path.name)
def test_each_reference_example_imports(cli, example):
    result = cli("directory", "import", str(example))
    assert result.code == 0, result.err
    assert result.err == "" and result.out.startswith("Imported:")
    domain = import_hsds_tabular(example) if example.is_dir() else read_hsds_json(example)
    stored = search_json(cli)
    assert sorted(hit["name"] for hit in stored) == sorted(service.name for service in domain.directory.services)


def test_search_json_is_in_rank_order_with_the_documented_keys(cli):
    assert cli("directory", "sample").code == 0
    hits = search_json(cli, "kadin")
    assert hits and all(set(hit) == SEARCH_KEYS for hit in hits)
    names = [hit["name"] for hit in hits]
    assert names[0] == "KADES — Kadın Destek Uygulaması"  # the name begins with the word
    assert "Örnek Kadın Konukevi" in names
    shelter = next(hit for hit in hits if hit["name"] == "Örnek Kadın Konukevi")
    assert shelter["confidential"] is True and shelter["categories"] == ["shelter"] and shelter["district"] == ""
    assert [hit["name"] for hit in search_json(cli, "KARŞIYAKA", "--category", "legal_aid")] == ["Örnek Baro Adli Yardım Bürosu"]
    konak = search_json(cli, "", "--district", "konak", "--category", "womens_counselling_centre")
    assert [hit["district"] for hit in konak] == ["Konak"]
    assert search_json(cli, "sonim")[0]["name"] == "Örnek Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)"
    plain = cli("directory", "search", "sonim")
    sonim_id = search_json(cli, "sonim")[0]["id"]
    assert plain.code == 0 and plain.out.splitlines()[0].startswith(f"{sonim_id}  Örnek Şiddet Önleme ve İzleme Merkezi (ŞÖNİM) — ")
    assert "Nothing found" in cli("directory", "search", "qqqxz").err


def test_the_readme_search_example_finds_a_service_whose_id_opens_it(cli, tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    text, district = re.search(r'caseworker directory search "([^"]+)" \[--district (\S+)\]', readme).groups()
    assert cli("directory", "sample").code == 0
    for found in (cli("directory", "search", text), cli("directory", "search", text, "--district", district)):
        assert found.code == 0 and found.out, f"the README's example search finds nothing: {found.err}"
    service_id, name = found.out.splitlines()[0].split("  ", 1)
    shown = cli("directory", "show", service_id)
    assert shown.code == 0 and shown.out.startswith(name.split(" — ")[0])
    sheet = cli("directory", "sheet", service_id, "--out", str(tmp_path / "bilgi.pdf"))
    assert sheet.code == 0, sheet.err
    assert (tmp_path / "bilgi.pdf").read_bytes().startswith(b"%PDF")


def test_export_import_round_trip_through_the_command_line(cli, tmp_path, made_home):
    assert cli("directory", "sample").code == 0
    for target, format in ((tmp_path / "first.json", "hsds-json"), (tmp_path / "first-csv", "hsds-csv")):
        result = cli("directory", "export", str(target), "--format", format)
        assert result.code == 0, result.err
        assert "not encrypted" in result.err
    other_home = tmp_path / "other-home"
    shutil.copytree(made_home, other_home)
    other = DirectoryCli(other_home, cli.tmp)
    other.env.update(other.as_user())
    assert other("directory", "import", str(tmp_path / "first-csv")).code == 0
    assert other("directory", "export", str(tmp_path / "second.json")).code == 0  # .json: JSON by default
    assert (tmp_path / "second.json").read_bytes() == (tmp_path / "first.json").read_bytes()
    assert other("directory", "export", str(tmp_path / "second-csv")).code == 0  # a folder: CSV by default
    first = {p.name: p.read_bytes() for p in (tmp_path / "first-csv").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "second-csv").iterdir()}


def test_confidential_details_appear_in_no_export_nor_search_output_but_show_marked(cli, tmp_path):
    """The store holds the shelter's secret phone and street (loaded as a coordinator's
    directory would be); nothing the command line writes for others contains them."""
    from caseworker.app.session import Credentials, unlock
    from caseworker.storage import directory as repo

    with unlock(cli.home, Credentials("ayse", PASSPHRASE)) as session, session.transaction() as conn:
        repo.save(conn, rich_directory(), "2026-01-01T00:00:00+00:00")
    outputs = [cli("directory", "search", "--json").out, cli("directory", "search", "gizli", "--json").out, cli("directory", "search").out, cli("directory", "review").out]
    assert cli("directory", "export", str(tmp_path / "d.json")).code == 0
    assert cli("directory", "export", str(tmp_path / "csv"), "--format", "hsds-csv").code == 0
    files = [tmp_path / "d.json"] + sorted((tmp_path / "csv").iterdir())
    digits = "".join(ch for ch in SECRET_PHONE if ch.isdigit())
    for text in outputs + [path.read_text(encoding="utf-8") for path in files]:
        assert SECRET_PHONE not in text and SECRET_STREET not in text and digits not in "".join(ch for ch in text if ch.isdigit())
    secret = next(hit for hit in json.loads(outputs[1]) if hit["confidential"])
    shown = cli("directory", "show", secret["id"])
    assert shown.code == 0 and SECRET_PHONE in shown.out and "CONFIDENTIAL" in shown.out


def test_a_bad_import_changes_nothing_and_says_why_in_one_line(cli, tmp_path):
    assert cli("directory", "sample").code == 0
    before = search_json(cli)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(export_hsds_json(load_sample_directory()), ensure_ascii=False)[:-40], encoding="utf-8")
    line = _one_clear_line(cli("directory", "import", str(bad)))
    assert "bad.json" in line and "JSON" in line
    assert "does not exist" in _one_clear_line(cli("directory", "import", str(tmp_path / "missing.json")))
    assert search_json(cli) == before


def test_review_lists_unverified_entries_and_a_caseworker_may_not_import(cli, tmp_path):
    assert cli("directory", "sample").code == 0
    review = cli("directory", "review")
    assert review.code == 0 and "112 Acil Çağrı — never verified" in review.out
    listed = json.loads(cli("directory", "review", "--json").out)
    assert listed[0]["verified_at"] is None and all(item["needs_review"] for item in listed)
    assert cli("user", "add", "fatma", "--role", "caseworker", env={"CASEWORKER_NEW_PASSPHRASE": "mavi deniz kırmızı kapı"}).code == 0
    fatma = {"CASEWORKER_USER": "fatma", "CASEWORKER_PASSPHRASE": "mavi deniz kırmızı kapı"}
    assert "supervisor" in _one_clear_line(cli("directory", "sample", env=fatma))
    assert "may not" in _one_clear_line(cli("directory", "export", str(tmp_path / "x.json"), env=fatma))
    assert cli("directory", "search", "alo", "--json", env=fatma).code == 0


def test_bad_usage_exits_2(cli):
    assert cli("directory", "export", "x.json", "--format", "xml").code == 2
    assert cli("directory").code == 2


def test_show_gives_opening_hours_in_words_with_the_schedules_own_text(cli):
    assert cli("directory", "sample").code == 0
    ids = {hit["name"]: hit["id"] for hit in search_json(cli)}
    emergency, centre = ids["112 Acil Çağrı"], ids["Örnek Kadın Danışma Merkezi — Konak"]
    assert "  Çalışma saatleri: her gün, tüm gün (7 gün 24 saat)" in cli("directory", "show", emergency, "--lang", "tr").out.splitlines()
    shown = cli("directory", "show", centre, "--lang", "en").out
    assert "  Opening hours: Monday–Friday, 08:30–17:30 (Hafta içi 08.30–17.30)" in shown.splitlines()
    assert "MO" not in shown


def test_import_of_another_caseworker_file_says_what_it_is_and_changes_nothing(cli, tmp_path):
    assert cli("directory", "sample").code == 0
    before = search_json(cli)
    request = tmp_path / "request.json"
    assert cli("enrol", "request", str(request)).code == 0
    damaged = tmp_path / "directory.cwpub"
    damaged.write_bytes(b"\xff\xfe not a zip at all")
    backup = tmp_path / "store.cwbackup"
    assert cli("backup", str(backup)).code == 0
    for path, words in ((request, "enrolment request"), (damaged, "damaged or cut short"), (backup, "caseworker restore")):
        result = cli("directory", "import", str(path), "--lang", "en")
        line = _one_clear_line(result)
        assert words in line and "othing was imported" in line, line
        assert "HSDS" not in line and "UTF-8" not in line
    assert search_json(cli) == before


def test_pathway_command_writes_one_page_per_district_or_city_in_the_language_asked(cli, tmp_path):
    import subprocess

    from tests.reports.test_pathway import logical, pdftotext

    assert cli("directory", "sample").code == 0
    out = tmp_path / "karsiyaka-ar.pdf"
    result = cli("directory", "pathway", "--district", "karsiyaka", "--out", str(out), "--lang", "ar")
    assert result.code == 0, result.err
    assert "Karşıyaka" in result.out and str(out) in result.out
    assert "not encrypted" in result.err or "şifreli değil" in result.err  # in the messages' language, not the sheet's
    text = logical(pdftotext(out))
    assert logical("مسار الإحالة") in text and logical("Örnek Baro Adli Yardım Bürosu") in text
    assert "Pages:           1" in subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    again = cli("directory", "pathway", "--district", "karsiyaka", "--out", str(out))
    assert again.code != 0 and "--force" in again.err
    city = tmp_path / "city.pdf"
    assert cli("directory", "pathway", "--out", str(city)).code == 0
    assert logical("Yönlendirme yolu: İzmir, il geneli") in logical(pdftotext(city))
    wrong = cli("directory", "pathway", "--district", "Atlantis", "--out", str(tmp_path / "x.pdf"))
    assert wrong.code != 0 and not (tmp_path / "x.pdf").exists()
