"""The centre's monthly summary: the PDF holds the store's figures, in Turkish or English, with its
fonts embedded; a public one is the month's public edition, issued once and given again unchanged."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from caseworker import i18n
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import users as users_uc
from caseworker.app.reports import monthly_summary
from caseworker.app.session import Credentials, initialise, unlock
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import Role, StoreRole
from caseworker.errors import Conflict, InvalidInput, PermissionDenied
from caseworker.reports.tables import NOT_SHOWN_SYMBOL, csv_bytes, exact_month, period_label
from tests.conftest import PASSPHRASE

PERIOD = Period(2026, 3)
PREVIOUS = Period(2026, 2)
YEAR_AGO = Period(2025, 3)
K = load_default_catalogue().sharing.k
SYMBOL = NOT_SHOWN_SYMBOL
TURKISH_MONTHS = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık")
TURKISH_SHORT = ("Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara")


def new_applicant(rng: random.Random) -> dict[str, object]:
    return {
        "age": rng.choice(["18-24", "25-34", "25-34", "35-44", "45-54"]),
        "status": rng.choice(["citizen", "citizen", "temporary_protection"]),
        "source": rng.choice(["self", "self", "alo183", "police", "ngo"]),
        "violence": rng.sample(["physical", "psychological", "economic", "sexual", "digital"], rng.randint(1, 3)),
        "perpetrator": rng.sample(["spouse", "former_spouse", "family"], 1),
        "referral": rng.sample(["legal_aid", "sonim", "shelter"], rng.randint(0, 2)),
        "protective_order": rng.random() < 0.3,
        "children": rng.random() < 0.5,
    }


def follow_up(rng: random.Random) -> dict[str, object]:
    return {"age": rng.choice(["25-34", "35-44"]), "session": rng.choice(["psychological", "social", "legal"])}


CONTACTS = {PERIOD: (14, 6), PREVIOUS: (9, 4), YEAR_AGO: (11, 3), Period(2025, 7): (2, 0), Period(2025, 11): (6, 1)}


@dataclass
class Printed:
    session: object
    home: Path
    folder: Path
    recorded: dict[Period, int]
    store: dict[Period, dict[CellKey, int]]

    def pdf(self, name: str, period: Period = PERIOD, language: str = "tr", public: bool = False, csv: bool = False):
        path = self.folder / f"{name}.pdf"
        result = monthly_summary(self.session, period, path, language, public, self.folder / f"{name}-csv" if csv else None)
        return result, pdftotext(path)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """A Konak centre with known tallies in the report month, the month before (submitted), the
    same month a year before and two other months of the trend."""
    folder = tmp_path_factory.mktemp("monthly")
    session, _ = initialise(folder / "home", store_role=StoreRole.CENTRE, name="Konak Kadın Danışma Merkezi", district="Konak",
                            user_name="ayse", passphrase=PASSPHRASE)
    rng = random.Random(7)
    book = counts_uc.TallyBook(session)
    for period, (new, follow) in CONTACTS.items():
        for _ in range(new):
            book.record(period, "new_applicant", new_applicant(rng))
        for _ in range(follow):
            book.record(period, "follow_up", follow_up(rng))
    counts_uc.set_counts(session, PERIOD, {CellKey.of("AWARENESS_EVENTS", {"event": "seminar"}): 3,
                                           CellKey.of("AWARENESS_PARTICIPANTS", {"sex": "women"}): 41})
    months_uc.submit(session, PREVIOUS)
    store = {period: counts_uc.month_counts(session, period).values for period in CONTACTS}
    yield Printed(session, folder / "home", folder, {p: n for p, (n, _) in CONTACTS.items()}, store)
    session.close()


def table_rows(text: str, title: str, total_label: str) -> dict[str, list[str]]:
    """The rows of the table printed under ``title`` (its last occurrence), up to its total row."""
    lines = text.splitlines()
    start = max(index for index, line in enumerate(lines) if line.strip() == title)
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        match = re.match(r"^\s*(?P<label>\S.*?)\s{2,}(?P<rest>\S.*)$", line)
        if not match:
            continue
        values = match["rest"].split()
        if all(v.isdigit() or v == SYMBOL for v in values):
            rows[match["label"]] = values
        if match["label"] == total_label:
            return rows
    raise AssertionError(f"no total row under {title}")


def expected_rows(printed: Printed, indicator_code: str, language: str) -> dict[str, list[str]]:
    catalogue = load_default_catalogue()
    indicator = catalogue.indicator(indicator_code)
    rows = {}
    for cell in catalogue.cells(indicator):
        label = " / ".join(catalogue.dimension(d).option(o).label(language) for d, o in cell.options)
        rows[label] = [str(printed.store[month].get(cell, 0)) for month in (PERIOD, PREVIOUS, YEAR_AGO)]
    total = "Toplam" if language == "tr" else "Total"
    rows[total] = [str(sum(v for c, v in printed.store[month].items() if c.indicator == indicator_code)) for month in (PERIOD, PREVIOUS, YEAR_AGO)]
    return rows


BROKEN_DOWN = [i.code for i in load_default_catalogue().active_indicators() if i.dimensions]


# ---------------------------------------------------------------------------- internal, Turkish


def test_the_turkish_summary_prints_the_store_figures(printed):
    result, text = printed.pdf("tr")
    catalogue = load_default_catalogue()
    assert result.pages >= 2 and result.status == "open"
    for words in ("Aylık istatistik özeti", "Konak Kadın Danışma Merkezi", "Konak, İzmir", "Mart 2026", "Şubat 2026", "Mart 2025",
                  "Yeni başvuran", "Şiddet", "Bildirilen şiddet türleri", "Göstergelere genel bakış", "Durum: taslak",
                  "Bu belge kişisel veri içermez", "Resmî belge olarak saklanmalıdır", "Caseworker 0.1.0"):
        assert words in text, words
    for number in range(1, result.pages + 1):
        assert f"Sayfa {number} / {result.pages}" in text
    for code in BROKEN_DOWN:
        title = catalogue.indicator(code).label("tr")
        assert table_rows(text, title, "Toplam") == expected_rows(printed, code, "tr"), code
    # the known tallies, not only the store's own word for them
    assert table_rows(text, catalogue.indicator("NEW_APPLICANTS").label("tr"), "Toplam")["Toplam"] == [
        str(printed.recorded[PERIOD]), str(printed.recorded[PREVIOUS]), str(printed.recorded[YEAR_AGO])]


def test_the_overview_compares_with_the_previous_month_and_a_year_before(printed):
    _, text = printed.pdf("overview")
    now, before, year_ago = (printed.recorded[p] for p in (PERIOD, PREVIOUS, YEAR_AGO))
    line = next(line for line in text.splitlines() if re.match(r"^\s*Yeni başvuran kadınlar\s{2,}\d", line))
    change = now - before
    sign = "+" if change > 0 else "-"
    expected = f"{now} {before} {sign}{abs(change)} ({sign}%{abs(round(100 * change / before))}) {year_ago}"
    assert expected in " ".join(line.split())


def test_month_names_are_turkish_from_the_catalogue(printed, monkeypatch):
    result, text = printed.pdf("months", csv=True)
    for short in TURKISH_SHORT:
        assert re.search(rf"\b{short}\b", text), short
    trend = (printed.folder / "months-csv").glob("*chart_trend.csv")
    rows = list(csv.reader(io.StringIO(next(trend).read_text(encoding="utf-8-sig"))))
    first = PERIOD.plus(-11)
    assert [row[0] for row in rows[1:]] == [f"{TURKISH_MONTHS[p.month - 1]} {p.year}" for p in (first.plus(i) for i in range(12))]
    assert [int(row[1]) for row in rows[1:]] == [
        sum(v for c, v in counts_uc.month_counts(printed.session, first.plus(i)).values.items() if c.indicator == "NEW_APPLICANTS")
        for i in range(12)]
    # the names come from the translation catalogue, whatever the system locale says
    patched = {**i18n.catalogue(), "May": {"tr": "MAYIS-DENEME"}}
    monkeypatch.setattr(i18n, "catalogue", lambda: patched)
    assert period_label(Period(2026, 5), "tr") == "MAYIS-DENEME 2026"


def test_the_english_summary_has_the_same_figures(printed):
    _, text = printed.pdf("en", language="en")
    catalogue = load_default_catalogue()
    for words in ("Monthly statistics summary", "Konak, İzmir", "March 2026", "February 2026", "March 2025", "New applicants",
                  "Forms of violence reported", "Status: draft", "This document holds no personal data", "Keep it as an official document",
                  "Page 1 / "):
        assert words in text, words
    assert "Yeni başvuran" not in text and "Toplam" not in text
    for code in ("NEW_APPLICANTS", "VIOLENCE_TYPE", "REFERRED_TO"):
        assert table_rows(text, catalogue.indicator(code).label("en"), "Total") == expected_rows(printed, code, "en")


def test_fonts_are_embedded_and_none_is_helvetica(printed):
    printed.pdf("fonts")
    output = subprocess.run(["pdffonts", str(printed.folder / "fonts.pdf")], capture_output=True, text=True, check=True).stdout
    fonts = output.splitlines()[2:]
    assert fonts and all("DejaVuSans" in line for line in fonts), output
    assert all(line.split()[-5] == "yes" for line in fonts), output  # the "emb" column
    assert "Helvetica" not in output


def test_a_submitted_month_says_by_whom_and_when(printed):
    _, text = printed.pdf("submitted", period=PREVIOUS)
    assert re.search(r"Durum: \d{1,2} \w+ \d{4}, \d\d:\d\d tarihinde ayse tarafından onaylandı", " ".join(text.split()))
    assert "taslak" not in text


def test_failed_checks_and_warnings_are_listed(printed):
    month = Period(2025, 12)
    counts_uc.TallyBook(printed.session).record(month, "new_applicant", {"age": "25-34", "status": "citizen", "source": "self"})
    _, text = printed.pdf("warnings", period=month)
    flat = " ".join(text.split())
    assert "Denetimler ve uyarılar" in flat
    assert "Kontrol edin: Yeni başvuranların çoğu en az bir şiddet türü bildirir" in flat
    assert "(bu ay 0 >= 1 sağlanmıyor)" in flat


def test_csv_files_are_utf8_with_bom_and_hold_the_tables(printed):
    result, _ = printed.pdf("csv", csv=True)
    assert result.csv_files and all(path.suffix == ".csv" for path in result.csv_files)
    violence = next(path for path in result.csv_files if path.name.endswith("_violence_type.csv"))
    data = violence.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Şiddet türü", "Mart 2026", "Şubat 2026", "Mart 2025"]
    assert {row[0]: row[1:] for row in rows[1:]} == expected_rows(printed, "VIOLENCE_TYPE", "tr")


# ---------------------------------------------------------------------------- public


def _csv_numbers(paths: list[Path]) -> list[str]:
    values = []
    for path in paths:
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            values += [value for row in rows[1:] for value in row[1:]]
    return values


def test_a_public_summary_needs_a_month_that_ended_and_was_submitted(printed, tmp_path):
    with pytest.raises(Conflict, match="henüz onaylanmadı"):
        monthly_summary(printed.session, PERIOD, tmp_path / "x.pdf", public=True)
    with pytest.raises(Conflict, match="bitmedi"):
        monthly_summary(printed.session, Period.current(), tmp_path / "x.pdf", public=True)
    assert not list(tmp_path.iterdir())


def test_the_public_summary_shows_its_edition_and_nothing_else(printed):
    result, text = printed.pdf("public", period=PREVIOUS, public=True, csv=True)
    edition = result.release.edition
    assert result.public and edition.scope == "centre" and edition.areas == ("Konak Kadın Danışma Merkezi",)
    flat = " ".join(text.split())
    assert "Kamuya açık baskı" in flat and "Yöntem notu" in flat and "Denetimler ve uyarılar" not in flat
    assert "ayse" not in text  # who submitted is internal
    assert not [v for v in _csv_numbers(list(result.csv_files)) if v.isdigit() and 1 <= int(v) < K]
    # nine women: totals are published, breakdowns are not (fewer than the minimum behind them)
    overview = {row[0]: row[1] for row in csv.reader(io.StringIO(next(p for p in result.csv_files if "overview" in p.name).read_text(encoding="utf-8-sig"))) if len(row) > 1}
    assert overview["Yeni başvuran kadınlar"] == str(edition.value(edition.areas[0], "NEW_APPLICANTS")) != SYMBOL
    ages = table_rows(text, "Yeni başvuran kadınlar", "Toplam")
    assert all(values[0] == SYMBOL for label, values in ages.items() if label != "Toplam")
    assert any(path.name == "00_yontem_notu.txt" for path in result.csv_files)


def test_one_month_is_published_the_same_way_in_every_report_and_after_a_correction(printed):
    months_uc.submit(printed.session, PERIOD)
    before_correction, _ = printed.pdf("public-before", period=PREVIOUS, public=True, csv=True)
    months_uc.reopen(printed.session, PREVIOUS, "late_data")
    counts_uc.TallyBook(printed.session).record(PREVIOUS, "new_applicant", new_applicant(random.Random(3)))
    months_uc.submit(printed.session, PREVIOUS)
    again, _ = printed.pdf("public-again", period=PREVIOUS, public=True)
    assert again.release.reissued and again.release.edition.canonical_bytes() == before_correction.release.edition.canonical_bytes()
    now, _ = printed.pdf("public-now", public=True, csv=True)
    overview = list(csv.reader(io.StringIO(next(p for p in now.csv_files if "overview" in p.name).read_text(encoding="utf-8-sig"))))
    previous = before_correction.release.edition
    for row in (row for row in overview[1:] if len(row) > 1):
        code = next(i.code for i in load_default_catalogue().active_indicators() if i.label("tr") == row[0])
        assert row[2] == str(previous.value(previous.areas[0], code)), row  # the previous month as it was released
        assert row[4] == SYMBOL  # a year before was never released
    internal, _ = printed.pdf("internal-after", period=PREVIOUS)  # the internal edition has the correction
    assert internal.status == "submitted"


def test_the_internal_month_shows_everything():
    catalogue = load_default_catalogue()
    values = {CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}): 2, CellKey("WITH_CHILDREN"): 1}
    month = exact_month(catalogue, values)
    assert month.cell(CellKey.of("VIOLENCE_TYPE", {"violence": "physical"})) == 2
    assert month.total("WITH_CHILDREN") == 1 and not month.public


def test_a_csv_holds_the_footnote_of_a_public_table():
    from caseworker.reports.tables import ReportTable, Row

    table = ReportTable("x", "X", ("Şiddet türü", "Mart 2026"), (Row("Fiziksel", (SYMBOL,)), Row("Toplam", (7,), True)), footnote="not")
    text = csv_bytes(table).decode("utf-8-sig")
    assert text.splitlines() == ["Şiddet türü,Mart 2026", "Fiziksel,..", "Toplam,7", "", "not"]


# ---------------------------------------------------------------------------- who may print


def test_a_caseworker_may_not_print_the_summary(printed, tmp_path):
    users_uc.add_user(printed.session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    with unlock(printed.home, Credentials("fatma", "mavi deniz kırmızı kapı")) as caseworker:
        with pytest.raises(PermissionDenied):
            monthly_summary(caseworker, PERIOD, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_refusals_say_what_is_wrong(printed, tmp_path):
    with pytest.raises(InvalidInput, match="henüz başlamadı"):
        monthly_summary(printed.session, Period.current().next(), tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="klasör"):
        monthly_summary(printed.session, PERIOD, tmp_path)


def test_a_coordinator_store_has_no_monthly_summary(tmp_path):
    session, _ = initialise(tmp_path / "coord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)
    with session, pytest.raises(Conflict):
        monthly_summary(session, PERIOD, tmp_path / "x.pdf")
