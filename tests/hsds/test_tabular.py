"""The HSDS tabular data package: round trips, the official datapackage, other publishers'
packages, and malformed CSV refused with file and line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, time
from pathlib import Path

import pytest

from caseworker.domain.directory import redact_confidential
from caseworker.errors import InvalidInput
from caseworker.hsds.files import export_hsds_tabular, import_hsds_tabular, load_sample_directory
from caseworker.hsds.reading import import_hsds_json
from caseworker.hsds.writing import export_hsds_json
from tests.hsds.samples import EXAMPLES, REFERENCE, TableChecker

pytestmark = pytest.mark.usefixtures("hsds_reference")


def read_package(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_tabular_round_trip_gives_the_same_files(directory, tmp_path):
    export_hsds_tabular(directory, tmp_path / "first")
    imported = import_hsds_tabular(tmp_path / "first")
    assert imported.skipped == ()
    assert imported.directory == redact_confidential(directory)
    export_hsds_tabular(imported.directory, tmp_path / "second")
    first, second = read_package(tmp_path / "first"), read_package(tmp_path / "second")
    assert "datapackage.json" in first and "services.csv" in first
    assert first == second


def test_json_and_tabular_carry_the_same_directory(directory, tmp_path):
    export_hsds_tabular(directory, tmp_path)
    assert import_hsds_tabular(tmp_path).directory == import_hsds_json(export_hsds_json(directory)).directory


def simplify(fields: list[dict]) -> list[tuple]:
    return [(field["name"], field["type"], field.get("format"), field["constraints"]["required"]) for field in fields]


def test_tabular_export_conforms_to_the_official_datapackage(directory, tmp_path):
    official = json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8"))
    export_hsds_tabular(directory, tmp_path)
    checker = TableChecker(official, tmp_path)
    assert checker.problems() == []
    ours = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["profile"] == "tabular-data-package"
    official_by_name = {resource["name"]: resource for resource in official["resources"]}
    for resource in ours["resources"]:
        reference = official_by_name[resource["name"]]
        assert resource["path"] == reference["path"]
        assert simplify(resource["schema"]["fields"]) == simplify(reference["schema"]["fields"])
        assert (tmp_path / resource["path"]).is_file()
    assert (tmp_path / "phones.csv").read_bytes().decode("utf-8")  # UTF-8
    # The checker finds faults: a row without a required value and a bad date.
    services = (tmp_path / "services.csv").read_text(encoding="utf-8").splitlines()
    header = services[0].split(",")
    row = next(csv.reader([services[1]]))
    row[header.index("status")] = ""
    row[header.index("assured_date")] = "31.01.2025"
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    (tmp_path / "services.csv").write_text("\n".join([services[0], buffer.getvalue().strip()]) + "\n", encoding="utf-8")
    assert len([problem for problem in checker.problems() if problem.startswith("services.csv:2")]) == 2


def test_the_csv_example_package_imports():
    result = import_hsds_tabular(EXAMPLES / "csv")
    (service,) = result.directory.services
    assert service.name == "Community Counselling" and service.verified_at == date(2005, 1, 1)
    assert service.phones[0].number == '"+44 1234 234567"' and service.phones[0].extension == 100
    assert service.schedules[0].byday == "TH,FR" and service.schedules[0].opens_at == time(10)
    (location,) = service.locations
    assert location.addresses[0].district == "MyCity" and location.addresses[0].province == "MyState"
    assert location.accessibility and location.languages
    notes = "\n".join(result.skipped)
    for left_out in ("wait_time", "funding", "contact", "cost_option", "attention"):
        assert left_out in notes


# --- malformed data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "edit", "position"),
    [
        ("services.csv", lambda lines: lines[:2] + [lines[2] + ",extra"] + lines[3:], "services.csv:3"),
        ("services.csv", lambda lines: lines + [lines[1]], "services.csv:"),
        ("schedules.csv", lambda lines: [lines[0], lines[1].replace("MO,TU", "MO;XX")] + lines[2:], "schedules.csv:2"),
        ("phones.csv", lambda lines: [lines[0].replace("id,", "key,", 1)] + lines[1:], "phones.csv"),
        ("services.csv", lambda lines: [lines[0], lines[1].replace(",active,", ",sometimes,")] + lines[2:], "services.csv:2 (status)"),
    ],
)
def test_malformed_csv_names_file_and_line(tmp_path, file, edit, position):
    export_hsds_tabular(load_sample_directory(), tmp_path)
    path = tmp_path / file
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\r\n".join(edit(lines)) + "\r\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        import_hsds_tabular(tmp_path)
    assert position in str(raised.value)


def test_non_utf8_and_missing_packages_are_refused(tmp_path):
    export_hsds_tabular(load_sample_directory(), tmp_path / "package")
    (tmp_path / "package" / "organizations.csv").write_bytes("id,name\n1,Kadın".encode("cp1254"))
    with pytest.raises(InvalidInput, match="organizations.csv"):
        import_hsds_tabular(tmp_path / "package")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput):
        import_hsds_tabular(tmp_path / "empty")
    with pytest.raises(InvalidInput):
        import_hsds_json(b"\xff\xfe{}")


def test_the_git_link_stub_of_the_example_package_is_followed(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", folder)
    shutil.copy(REFERENCE / "datapackage.json", tmp_path / "real.json")
    (folder / "datapackage.json").write_text("../real.json")
    assert import_hsds_tabular(folder).directory.services
    (folder / "datapackage.json").write_text('{"resources": [{"name": "service", "path": "../../etc/passwd"}]}')
    with pytest.raises(InvalidInput):
        import_hsds_tabular(folder)
