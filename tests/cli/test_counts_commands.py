"""``caseworker tally | counts | month | catalogue`` end to end."""

from __future__ import annotations

import json

from tests.cli.test_store_commands import _one_clear_line

CONTACT = ["age=25-34", "status=citizen", "source=alo183", "violence=physical", "violence=economic", "perpetrator=spouse", "referral=legal_aid", "protective_order=yes", "children=no"]


def test_tally_then_counts_show_json(cli_centre):
    for _ in range(2):
        assert cli_centre("tally", "2026-10", *CONTACT).code == 0
    assert cli_centre("tally", "2026-10", "--form", "follow_up", "age=18-24", "session=legal").code == 0
    shown = json.loads(cli_centre("counts", "show", "2026-10", "--json").out)
    assert shown["period"] == "2026-10" and shown["status"] == "open"
    cells = {(c["indicator"], tuple(sorted(c["options"].items()))): c["value"] for c in shown["cells"]}
    assert cells[("NEW_APPLICANTS", (("age", "25-34"),))] == 2
    assert cells[("VIOLENCE_TYPE", (("violence", "economic"),))] == 2
    assert cells[("PROTECTIVE_ORDER_SUPPORT", ())] == 2
    assert cells[("SESSIONS", (("session", "legal"),))] == 1
    assert ("WITH_CHILDREN", ()) not in cells


def test_a_bad_tally_says_what_to_do(cli_centre):
    line = _one_clear_line(cli_centre("tally", "2026-10", "age=25-34", "status=citizen", "source=alo183", "violence=physikal"))
    assert "physikal" in line and "physical" in line
    line = _one_clear_line(cli_centre("tally", "2026-13", *CONTACT))
    assert "2026-13" in line
    assert json.loads(cli_centre("counts", "show", "2026-10", "--json").out)["cells"] == []


def test_month_submit_locks_and_reopen_unlocks(cli_centre):
    cli_centre("tally", "2026-10", *CONTACT)
    assert cli_centre("month", "submit", "2026-10").code == 0
    assert "submitted" in cli_centre("month", "status", "2026-10").out
    line = _one_clear_line(cli_centre("tally", "2026-10", *CONTACT))
    assert "submitted" in line and "reopen" in line
    line = _one_clear_line(cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=4"))
    assert "submitted" in line
    assert cli_centre("month", "reopen", "2026-10", "--reason", "late_data").code == 0
    assert cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=1", "SESSIONS[session=legal]=3").code == 0
    shown = json.loads(cli_centre("counts", "show", "2026-10", "--json").out)
    assert {"indicator": "WITH_CHILDREN", "options": {}, "value": 1} in shown["cells"]
    assert shown["status"] == "reopened"


def test_caseworker_cannot_submit_through_the_cli(cli_centre):
    assert cli_centre("user", "add", "fatma", "--role", "caseworker", env={"CASEWORKER_NEW_PASSPHRASE": "mavi deniz kırmızı kapı"}).code == 0
    fatma = {"CASEWORKER_USER": "fatma", "CASEWORKER_PASSPHRASE": "mavi deniz kırmızı kapı"}
    assert cli_centre("tally", "2026-10", *CONTACT, env=fatma).code == 0
    assert "may not" in _one_clear_line(cli_centre("month", "submit", "2026-10", env=fatma))
    assert cli_centre("month", "submit", "2026-10").code == 0
    assert "may not" in _one_clear_line(cli_centre("month", "reopen", "2026-10", "--reason", "correction", env=fatma))


def test_high_importance_failure_blocks_submit(cli_centre):
    assert cli_centre("counts", "set", "2026-09", "NEW_APPLICANTS[age=25-34]=3").code == 0
    status = cli_centre("month", "status", "2026-09").out
    rule = "New applicants by age must add up to new applicants by legal status. (the figures: 3 and 0)"
    assert f"CHECK (Must be fixed): {rule}" in status.splitlines()
    line = _one_clear_line(cli_centre("month", "submit", "2026-09"))
    assert "cannot be submitted" in line and rule in line and "==" not in line
    turkish = cli_centre("month", "status", "2026-09", env={"CASEWORKER_LANG": "tr"}).out
    assert "DENETİM (Düzeltilmeli): Yeni başvuranların yaşa göre toplamı, yasal statüye göre toplamına eşit olmalı. (sayılar: 3 ve 0)" in turkish.splitlines()


def test_csv_export_and_import(cli_centre, tmp_path):
    cli_centre("tally", "2026-10", *CONTACT)
    out = tmp_path / "counts.csv"
    result = cli_centre("counts", "export-csv", str(out), "--from", "2026-10")
    assert result.code == 0 and "not encrypted" in result.err
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "period,indicator,options,value"
    assert "2026-10,VIOLENCE_TYPE,violence=economic,1" in text
    out.write_text(text.replace("2026-10", "2026-08"), encoding="utf-8")
    assert cli_centre("counts", "import-csv", str(out)).code == 0
    assert json.loads(cli_centre("counts", "show", "2026-08", "--json").out)["cells"] == json.loads(cli_centre("counts", "show", "2026-10", "--json").out)["cells"]
    out.write_text("period,indicator,options,value\n2026-07,NEW_APPLICANTS,age=25-34,1\n2026-07,NEW_APPLICANTS,age=99,1\n", encoding="utf-8")
    line = _one_clear_line(cli_centre("counts", "import-csv", str(out)))
    assert "Line 3" in line and "Nothing was imported" in line
    assert json.loads(cli_centre("counts", "show", "2026-07", "--json").out)["cells"] == []


def test_catalogue_show(cli_centre):
    result = cli_centre("catalogue", "show")
    assert result.code == 0 and "NEW_APPLICANTS" in result.out and "forced_marriage" in result.out
    document = json.loads(cli_centre("catalogue", "show", "--json").out)
    assert document["version"] >= 1
    turkish = cli_centre("catalogue", "show", env={"CASEWORKER_LANG": "tr"}).out
    assert "Yeni başvuran" in turkish
    # The tally forms and their fields, with what each field takes: what `tally` needs.
    forms = result.out[result.out.index("Tally forms"):].splitlines()
    assert forms[0] == "Tally forms (caseworker tally PERIOD --form FORM FIELD=CODE ...):"
    assert forms[1].split() == ["new_applicant", "New", "applicant"]
    assert "      age (one answer, required): 0-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+, unknown" in forms
    assert any(line.startswith("      violence (one or more answers): physical, psychological,") for line in forms)
    assert "      children (yes or no): yes, no" in forms
    assert "  follow_up                  Follow-up" in forms and "      session (one answer, required): psychological, social, legal" in forms
    assert "      children (evet ya da hayır): yes, no" in turkish


def test_a_new_centre_gets_no_unusual_hint_until_three_earlier_months_have_figures(cli_centre):
    cell = "SESSIONS[session=legal]"
    assert cli_centre("counts", "set", "2026-08", f"{cell}=2").code == 0
    assert cli_centre("counts", "set", "2026-09", f"{cell}=3").code == 0
    assert cli_centre("counts", "set", "2026-10", f"{cell}=40").code == 0
    # Two earlier months with figures: the months before the centre started are not zeros.
    assert "UNUSUAL" not in cli_centre("month", "status", "2026-10").out
    assert cli_centre("counts", "set", "2026-07", f"{cell}=2").code == 0
    status = cli_centre("month", "status", "2026-10").out
    assert "UNUSUAL: SESSIONS[session=legal] is 40, well above the usual 2" in status


def test_figures_are_recorded_from_2000_on(cli_centre, tmp_path):
    for period in ("1900-01", "1999-12"):
        line = _one_clear_line(cli_centre("tally", period, *CONTACT))
        assert f"{period} is too early" in line and "2000-01" in line
        assert "too early" in _one_clear_line(cli_centre("counts", "set", period, "WITH_CHILDREN=1"))
    old = tmp_path / "old.csv"
    old.write_text("period,indicator,options,value\n2026-07,WITH_CHILDREN,,1\n1999-07,WITH_CHILDREN,,1\n", encoding="utf-8")
    line = _one_clear_line(cli_centre("counts", "import-csv", str(old)))
    assert "Line 3" in line and "too early" in line and "Nothing was imported" in line
    assert cli_centre("tally", "2000-01", *CONTACT).code == 0
    assert json.loads(cli_centre("counts", "show", "2000-01", "--json").out)["cells"] != []


def test_a_count_over_the_limit_is_refused_for_that_reason(cli_centre):
    line = _one_clear_line(cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=1000001"))
    assert line == "caseworker: A count is at most 1000000, not 1000001: check the number."
    line = _one_clear_line(cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=-1"))
    assert line == "caseworker: A count is a whole number of 0 or more, not -1."
    assert cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=1000000").code == 0


def test_csv_export_from_a_month_runs_to_the_last_month_with_figures(cli_centre, tmp_path):
    for period in ("2026-07", "2026-09"):
        assert cli_centre("counts", "set", period, "WITH_CHILDREN=2").code == 0
    out = tmp_path / "counts.csv"
    exported = cli_centre("counts", "export-csv", str(out), "--from", "2026-06")
    assert exported.code == 0, exported.err
    assert "2026-06 to 2026-09" in exported.out
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["2026-07", "2026-09"]
    assert cli_centre("counts", "export-csv", str(out), "--from", "2026-06", "--to", "2026-08").code == 0
    assert [line.split(",")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]] == ["2026-07"]
    later = cli_centre("counts", "export-csv", str(out), "--from", "2026-10")
    assert later.code == 0 and later.out == f"Wrote 0 rows to {out}.\n"


def test_messages_say_one_cell_and_one_row_in_the_singular(cli_centre, tmp_path):
    assert cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=1").out == "Set 1 cell of 2026-10.\n"
    assert cli_centre("counts", "set", "2026-10", "WITH_CHILDREN=1", "SESSIONS[session=legal]=2").out == "Set 2 cells of 2026-10.\n"
    out = tmp_path / "one.csv"
    assert cli_centre("counts", "export-csv", str(out), "--from", "2026-10", "--to", "2026-10").out == f"Wrote 2 rows to {out}.\n"
    assert cli_centre("counts", "set", "2026-09", "WITH_CHILDREN=1").code == 0
    assert cli_centre("counts", "export-csv", str(out), "--from", "2026-09", "--to", "2026-09").out == f"Wrote 1 row to {out}.\n"
    out.write_text("period,indicator,options,value\n2026-08,WITH_CHILDREN,,1\n", encoding="utf-8")
    assert cli_centre("counts", "import-csv", str(out)).out == "2026-08: 1 cell set.\n"
