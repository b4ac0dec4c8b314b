"""The centre's monthly summary: the PDF holds the store's figures, in Turkish or English, with its
fonts embedded, and a public one hides every small count of women."""

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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from caseworker.reports.tables import csv_bytes, period_label, published_month, rule_bounds
from caseworker.stats.disclosure import ProtectedTable, Suppressed, unprotected
from tests.conftest import PASSPHRASE

PERIOD = Period(2026, 3)
PREVIOUS = Period(2026, 2)
YEAR_AGO = Period(2025, 3)
K = load_default_catalogue().sharing.k
SYMBOL = str(Suppressed(primary=False))
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
    assert re.search(r"Durum: \d{1,2} \w+ \d{4}, \d\d:\d\d tarihinde ayse tarafından gönderildi", " ".join(text.split()))
    assert "taslak" not in text


def test_failed_checks_and_warnings_are_listed(printed):
    month = Period(2025, 12)
    counts_uc.TallyBook(printed.session).record(month, "new_applicant", {"age": "25-34", "status": "citizen", "source": "self"})
    _, text = printed.pdf("warnings", period=month)
    flat = " ".join(text.split())
    assert "Denetimler ve uyarılar" in flat
    assert "Kontrol edin: Yeni başvuranların çoğu en az bir şiddet türü bildirir" in flat
    assert "(bu ay 0 >= 1 sağlanmıyor)" in flat
    _, public = printed.pdf("warnings-public", period=month, public=True)
    flat = " ".join(public.split())
    assert "Kontrol edin: Yeni başvuranların çoğu" in flat and "sağlanmıyor" not in flat


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


def test_the_public_summary_hides_every_small_count_of_women(printed):
    catalogue = load_default_catalogue()
    internal, internal_text = printed.pdf("internal-for-public")
    result, text = printed.pdf("public", public=True, csv=True)
    assert result.public and result.hidden_values > 0
    small_seen = 0
    for indicator in catalogue.active_indicators():
        if not indicator.dimensions:
            continue
        title = indicator.label("tr")
        for label, values in table_rows(text, title, "Toplam").items():
            if indicator.sensitive:
                assert not any(v.isdigit() and 1 <= int(v) < K for v in values), (title, label, values)
        small_seen += sum(1 for values in table_rows(internal_text, title, "Toplam").values() for v in values if 1 <= int(v) < K)
    assert small_seen > 0  # the internal summary of the same month does print small counts
    assert SYMBOL in text
    assert "1 ile 4 arasındaki değerler gizlenmiştir (.. ile gösterilir)" in " ".join(text.split())
    assert "Kamuya açık sürüm" in text
    for path in result.csv_files:  # the overview and the charts' tables too
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        if "overview" in path.name:
            sensitive = {i.label("tr") for i in catalogue.indicators if i.sensitive}
            figures = [(row[0], row[1], row[2], row[4]) for row in rows[1:] if row and row[0] in sensitive]
        else:
            sensitive_table = not any(code.lower() in path.name for code in ("SESSIONS", "AWARENESS_EVENTS", "AWARENESS_PARTICIPANTS"))
            figures = [tuple(row) for row in rows[1:] if len(row) > 1] if sensitive_table else []
        for row in figures:
            assert not any(v.isdigit() and 1 <= int(v) < K for v in row[1:]), (path.name, row)


def test_the_public_summary_does_not_name_who_submitted(printed):
    _, text = printed.pdf("public-submitted", period=PREVIOUS, public=True)
    assert "gönderildi" in text and "ayse" not in text


def test_one_month_is_hidden_the_same_way_in_every_report(printed):
    """The previous month's column of this summary equals that month's own public summary."""
    printed.pdf("public-now", public=True, csv=True)
    printed.pdf("public-before", period=PREVIOUS, public=True, csv=True)
    for name in ("violence_type", "referred_to", "new_applicants"):
        now = next((printed.folder / "public-now-csv").glob(f"*_{name}.csv")).read_text(encoding="utf-8-sig")
        before = next((printed.folder / "public-before-csv").glob(f"*_{name}.csv")).read_text(encoding="utf-8-sig")
        previous_column = [row[2] for row in csv.reader(io.StringIO(now)) if len(row) > 2][1:]
        own_column = [row[1] for row in csv.reader(io.StringIO(before)) if len(row) > 2][1:]
        assert previous_column == own_column, name


small_counts = st.integers(0, 12).map(lambda n: n if n < 9 else n * 3)
sparse_counts = st.sampled_from([0, 0, 0, 0, 0, 1, 2])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_published_month_shows_no_small_value_and_no_hidden_value_can_be_worked_out(data):
    catalogue = load_default_catalogue()
    values = {}
    for indicator in catalogue.indicators:  # some indicators nearly empty, so that small totals are common
        figures = sparse_counts if data.draw(st.booleans()) else small_counts
        values.update({cell: data.draw(figures) for cell in catalogue.cells(indicator)})
    month = published_month(catalogue, values, K)
    for indicator in catalogue.indicators:
        cells = catalogue.cells(indicator)
        entries = [month.cell(cell) for cell in cells]
        total = month.total(indicator.code)
        for cell, entry in zip(cells, entries, strict=True):
            assert isinstance(entry, Suppressed) or entry == values[cell]
            if indicator.sensitive:
                assert isinstance(entry, Suppressed) or not 1 <= entry < K
        true_total = sum(values[cell] for cell in cells)
        assert isinstance(total, Suppressed) or total == true_total
        if indicator.sensitive:
            assert isinstance(total, Suppressed) or not 1 <= total < K
        if indicator.dimensions:
            grid = tuple((entry,) for entry in entries) + ((total,),)
            grid = tuple(row + (None,) for row in grid)
            table = ProtectedTable(tuple(map(str, cells)), ("n",), K, grid)
        else:
            table = ProtectedTable((indicator.code,), ("n",), K, ((entries[0], None), (None, None)))
        assert unprotected(table) == [], indicator.code
    for bounded, bounding, exact in rule_bounds(catalogue):
        if isinstance(month.total(bounded), Suppressed):
            shown = month.total(bounding)
            assert isinstance(shown, Suppressed) or shown == 0 or (not exact and shown >= K), (bounded, bounding)


def test_the_internal_month_shows_everything():
    catalogue = load_default_catalogue()
    values = {CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}): 2, CellKey("WITH_CHILDREN"): 1}
    month = published_month(catalogue, values, None)
    assert month.cell(CellKey.of("VIOLENCE_TYPE", {"violence": "physical"})) == 2
    assert month.total("WITH_CHILDREN") == 1 and not month.hidden


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
