"""The coordinator's city report: the PDF holds the sums of the centres' figures (sent through real
bundles), by district in Turkish order and for the city, in Turkish or English, with its fonts
embedded; a public one is the period's public edition (an ended calendar quarter or year with
every month approved), issued once and given again unchanged, with its method note."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.platypus import Spacer

from caseworker.app import coordination, sync_import
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import releases as releases_uc
from caseworker.app.reports import city_report
from caseworker.app.session import Credentials, initialise, unlock
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.periods import Period
from caseworker.domain.text import tr_sort_key
from caseworker.domain.users import StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.reports import pdf
from caseworker.reports.city import DISTRICT_INDICATORS, column_parts, range_label
from caseworker.reports.numbers import number_text
from caseworker.reports.published_city import exact_city
from caseworker.reports.tables import ReportTable, Row, change_text
from caseworker.stats.publication import CITY, OTHER_DISTRICTS
from tests.conftest import PASSPHRASE
from tests.reports.city_stores import (
    FIRST,
    LAST,
    PLANS,
    CentrePlan,
    CityStore,
    build_city_store,
)
from tests.reports.pdf_tables import table_rows

CATALOGUE = load_default_catalogue()
K = CATALOGUE.sharing.k
RANGE = tuple(FIRST.plus(i) for i in range(3))
YEAR_BEFORE = tuple(p.plus(-12) for p in RANGE)
DISTRICTS = ("Çiğli", "Konak")  # Turkish order: Ç after C, before K (code points would put it last)
SENSITIVE = {i.code for i in CATALOGUE.indicators if i.sensitive}


@dataclass
class Printed:
    store: CityStore
    folder: Path

    def pdf(self, name: str, first: Period = FIRST, last: Period = LAST, language: str = "tr", public: bool = False, csv: bool = False):
        path = self.folder / f"{name}.pdf"
        result = city_report(self.store.coordinator, first, last, path, language, public, self.folder / f"{name}-csv" if csv else None)
        return result, pdftotext(path)

    def csv_rows(self, name: str, table: str) -> list[list[str]]:
        path = next((self.folder / f"{name}-csv").glob(f"*_{table}.csv"))
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    folder = tmp_path_factory.mktemp("city")
    store = build_city_store(folder / "stores")
    yield Printed(store, folder)
    store.coordinator.close()


def text_rows(text: str, title: str, total_label: str) -> dict[str, list[str]]:
    """The rows printed under ``title`` (its last occurrence as a line of its own), up to the total row
    (for a table alone on its page, as the reporting matrix)."""
    lines = text.splitlines()
    start = max(index for index, line in enumerate(lines) if line.strip() == title)
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        match = re.match(r"^\s*(?P<label>\S.*?)\s{2,}(?P<rest>\S.*)$", line)
        if not match:
            continue
        values = match["rest"].split()
        if all(re.fullmatch(r"\d+|\.\.|\d+/\d+|[A-ZÇĞİÖŞÜ]|—|…", v) for v in values):
            rows[match["label"]] = values
        if match["label"] == total_label:
            return rows
    raise AssertionError(f"no total row under {title}")


def parts_rows(path: Path, text: str, title: str, total_label: str) -> dict[str, list[str]]:
    """A table printed whole or in parts (``Title (1/2)``, ``Title (2/2)``), its parts joined; the
    total column, repeated in every part, is kept once."""
    if f"{title} (1/" not in text:
        return table_rows(path, title, total_label)
    count = int(re.search(re.escape(title) + r" \(1/(\d)\)", text)[1])
    joined: dict[str, list[str]] = {}
    for number in range(1, count + 1):
        for label, values in table_rows(path, f"{title} ({number}/{count})", total_label).items():
            joined.setdefault(label, []).extend(values if number == count else values[:-1])
    return joined


def indicator_sum(store: CityStore, indicator: str, periods=RANGE, district: str | None = None) -> int:
    if district is not None:
        return store.district_sum(district, periods, indicator)
    return sum(store.district_sum(d, periods, indicator) for d in DISTRICTS)


# ---------------------------------------------------------------------------- internal, Turkish


def test_the_turkish_report_prints_the_sum_of_the_centres_by_district(printed):
    result, text = printed.pdf("tr")
    assert result.pages >= 3 and result.centres == 3 and not result.public
    flat = " ".join(text.split())
    for words in ("Kent raporu", "İzmir BB Kadın Çalışmaları Şube Müdürlüğü", "2026, 1. çeyrek (Ocak–Mart)", "Kent toplamları",
                  "İlçelere göre temel göstergeler", "Merkezlere göre raporlama", "İç kullanım içindir",
                  "Bu belge kişisel veri içermez. Resmî belge olarak saklanmalıdır.", "Caseworker 0.1.0"):
        assert words in flat, words
    for number in range(1, result.pages + 1):
        assert f"Sayfa {number} / {result.pages}" in text
    rows = table_rows(result.path, "İlçelere göre temel göstergeler", "Kent toplamı")
    assert list(rows) == [*DISTRICTS, "Kent toplamı"]
    for district in DISTRICTS:
        assert rows[district] == [str(indicator_sum(printed.store, code, district=district)) for code in DISTRICT_INDICATORS], district
    assert rows["Kent toplamı"] == [str(indicator_sum(printed.store, code)) for code in DISTRICT_INDICATORS]
    # the known tallies, not only the centres' word for them
    recorded = {d: sum(n for plan in PLANS if plan.district == d for p, n in plan.new_applicants.items() if p in RANGE) for d in DISTRICTS}
    assert [rows[d][0] for d in DISTRICTS] == [str(recorded[d]) for d in DISTRICTS] == ["9", "36"]


@pytest.mark.parametrize("code", [i.code for i in CATALOGUE.active_indicators() if i.dimensions])
def test_every_indicator_by_district_equals_the_centres_cells(printed, code):
    result, text = printed.pdf(f"detail-{code}")
    indicator = CATALOGUE.indicator(code)
    cells = CATALOGUE.cells(indicator)
    rows = parts_rows(result.path, text, indicator.label("tr"), "Kent toplamı")

    def expected(district: str | None) -> list[str]:
        summed: dict[CellKey, int] = {}
        for plan in PLANS:
            if district is None or plan.district == district:
                for period in RANGE:
                    for cell, value in printed.store.figures[plan.name].get(period, {}).items():
                        summed[cell] = summed.get(cell, 0) + value
        return [str(summed.get(cell, 0)) for cell in cells] + [str(sum(summed.get(cell, 0) for cell in cells))]

    assert rows == {"Çiğli": expected("Çiğli"), "Konak": expected("Konak"), "Kent toplamı": expected(None)}


def test_city_totals_are_compared_with_the_same_months_a_year_before(printed):
    _, text = printed.pdf("overview")
    now, before = indicator_sum(printed.store, "NEW_APPLICANTS"), indicator_sum(printed.store, "NEW_APPLICANTS", YEAR_BEFORE)
    assert before == sum(n for p, n in PLANS[0].new_applicants.items() if p in YEAR_BEFORE) == 10
    change = now - before
    line = next(line for line in text.splitlines() if re.match(r"^\s*Yeni başvuran kadınlar\s{2,}\d+\s+\d+\s+[+-]", line))
    assert " ".join(line.split()) == f"Yeni başvuran kadınlar {now} {before} +{change} (+%{round(100 * change / before)})"
    assert "2025, 1. çeyrek (Ocak–Mart)" in text


def test_no_comparison_where_the_year_before_has_no_figures(printed):
    _, text = printed.pdf("no-year-before", Period(2026, 2), Period(2026, 2))
    assert "Depoda bir yıl önceki aynı aylara ait rakam yok." in " ".join(text.split())
    assert "Şubat 2025: rakam yok" in " ".join(text.split())


def test_the_trend_and_the_reporting_matrix(printed):
    _, text = printed.pdf("trend", csv=True)
    trend = printed.csv_rows("trend", "chart_trend")
    # the months before any figure arrived are left out; the range's months are the city's sums
    first_with_figures = min(p for plan in PLANS for p in plan.new_applicants if p > LAST.plus(-12))
    expected_months = [first_with_figures.plus(i) for i in range((LAST.year - first_with_figures.year) * 12 + LAST.month - first_with_figures.month + 1)]
    assert [row[0] for row in trend[1:]] == [range_label(p, p, "tr") for p in expected_months]
    assert [int(row[1]) for row in trend[1:]] == [indicator_sum(printed.store, "NEW_APPLICANTS", (p,)) for p in expected_months]
    assert re.search(r"\bOca\b", text) and re.search(r"\bŞub\b", text)

    matrix = text_rows(text, "Merkezlere göre raporlama", "Kent: beklenen")
    codes = {"on_time": "Z", "late": "G", "draft": "T", "missing": "—"}
    for plan in PLANS:
        expected = []
        for period in RANGE:
            if period in plan.submitted_on_time:
                expected.append(codes["on_time"])
            elif period in plan.submitted_late:
                expected.append(codes["late"])
            elif period in plan.new_applicants or period in plan.follow_ups:
                expected.append(codes["draft"])
            else:
                expected.append(codes["missing"])
        received = sum(1 for code in expected if code != "—")
        row = next(values for label, values in matrix.items() if plan.name.startswith(label))  # a long name wraps
        assert row == [*expected, f"{received}/3", str(sum(1 for p in RANGE if p in plan.submitted_on_time))], plan.name
    assert matrix["Kent: gelen"] == ["3", "2", "3", "8", "2"] and matrix["Kent: beklenen"] == ["3", "3", "3", "9"]
    assert "Gelen raporlar: beklenen 9 aylık raporun 8 tanesi geldi (%89); bunların 2 tanesi zamanında onaylandı." in " ".join(text.split())


def test_the_english_report_has_the_same_figures(printed):
    result, text = printed.pdf("en", language="en")
    flat = " ".join(text.split())
    for words in ("City report", "Q1 2026 (January–March)", "Key indicators by district", "Reporting by centre",
                  "This document holds no personal data", "Keep it as an official document", "Page 1 / "):
        assert words in flat, words
    assert "Kent toplamı" not in text and "Yeni başvuran" not in text
    rows = table_rows(result.path, "Key indicators by district", "City total")
    assert rows["Konak"] == [str(indicator_sum(printed.store, code, district="Konak")) for code in DISTRICT_INDICATORS]
    assert rows["City total"] == [str(indicator_sum(printed.store, code)) for code in DISTRICT_INDICATORS]


def test_fonts_are_embedded_and_none_is_helvetica(printed):
    printed.pdf("fonts")
    output = subprocess.run(["pdffonts", str(printed.folder / "fonts.pdf")], capture_output=True, text=True, check=True).stdout
    fonts = output.splitlines()[2:]
    assert fonts and all("DejaVuSans" in line for line in fonts), output
    assert all(line.split()[-5] == "yes" for line in fonts), output
    assert "Helvetica" not in output


def test_csv_files_hold_every_table_utf8_with_bom(printed):
    result, _ = printed.pdf("csv", csv=True)
    names = [path.name for path in result.csv_files]
    assert names[0] == "01_city_totals.csv" and any(name.endswith("_by_district.csv") for name in names)
    assert any(name.endswith("_reporting.csv") for name in names) and any(name.endswith("_by_centre.csv") for name in names)
    data = next(p for p in result.csv_files if p.name.endswith("_by_district.csv")).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["İlçe", "Yeni başvuran kadınlar"]
    assert rows[1] == ["Çiğli", *(str(indicator_sum(printed.store, code, district="Çiğli")) for code in DISTRICT_INDICATORS)]
    centres = printed.csv_rows("csv", "by_centre")
    konak = next(row for row in centres if row[0].startswith(PLANS[0].name))
    assert konak[1] == str(printed.store.centre_sum(PLANS[0].name, RANGE, "NEW_APPLICANTS"))


# ---------------------------------------------------------------------------- public


DECEMBER = Period(2025, 12)
APPROVED_PLANS = (
    CentrePlan("Konak Kadın Danışma Merkezi", "Konak", {FIRST: 30, FIRST.plus(1): 25, LAST: 28, Period(2025, 1): 20, Period(2025, 2): 21,
                                                        Period(2025, 3): 19, DECEMBER: 22},
               {FIRST: 6, FIRST.plus(1): 5, LAST: 7}, (FIRST, FIRST.plus(1), LAST, Period(2025, 1), Period(2025, 2), Period(2025, 3), DECEMBER)),
    CentrePlan("Buca Kadın Danışma Merkezi", "Buca", {FIRST: 12, FIRST.plus(1): 9, LAST: 10, DECEMBER: 8}, {}, (FIRST, FIRST.plus(1), LAST, DECEMBER)),
    CentrePlan("Çiğli Kadın Danışma Merkezi", "Çiğli", {FIRST: 2, FIRST.plus(1): 1, LAST: 1, DECEMBER: 1}, {FIRST.plus(1): 1},
               (FIRST, FIRST.plus(1), LAST, DECEMBER)),
)
LATE_WOMAN = {"age": "65+", "status": "other_foreign", "source": "muhtar", "violence": ["forced_marriage"], "perpetrator": ["stranger"],
              "referral": ["psychiatric"], "protective_order": True, "children": True}


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """Every month of the first quarters of 2025 and 2026 submitted at every centre that has figures."""
    folder = tmp_path_factory.mktemp("approved")
    store = build_city_store(folder / "stores", APPROVED_PLANS)
    yield Printed(store, folder)
    store.coordinator.close()


def _numbers(rows: list[list[str]]) -> list[str]:
    return [value for row in rows[1:] for value in row[1:] if value]


def test_a_public_edition_needs_an_ended_calendar_period_every_month_of_it_approved(printed, tmp_path):
    coordinator = printed.store.coordinator
    with pytest.raises(Conflict, match="onaylanmış") as caught:  # March is still open at two centres
        city_report(coordinator, FIRST, LAST, tmp_path / "x.pdf", public=True)
    assert "5 tanesi" in str(caught.value) and "Alsancak Kadın Dayanışma Evi 2026-02" in str(caught.value)
    with pytest.raises(InvalidInput, match="takvim çeyreği"):
        city_report(coordinator, FIRST, FIRST.plus(1), tmp_path / "x.pdf", public=True)
    with pytest.raises(InvalidInput, match="takvim çeyreği"):
        city_report(coordinator, FIRST, FIRST, tmp_path / "x.pdf", public=True)  # months are the centres' editions
    now = Period.current()
    quarter = now.quarter.months()
    with pytest.raises(Conflict, match="bitmedi"):
        city_report(coordinator, quarter[0], quarter[-1], tmp_path / "x.pdf", public=True)
    assert not list(tmp_path.iterdir()) and releases_uc.releases(coordinator) == []
    result, _ = printed.pdf("internal-still-there", FIRST, LAST)  # the internal edition is always there
    assert not result.public


def test_the_public_report_shows_its_edition_and_nothing_else(approved):
    result, text = approved.pdf("public", public=True, csv=True)
    edition = result.release.edition
    assert result.public and not result.release.reissued and edition.scope == "city"
    flat = " ".join(text.split())
    assert "Yöntem notu" in flat and "en fazla 6" in flat and "1 ile 4 arası" in flat
    assert any(path.name == "00_yontem_notu.txt" for path in result.csv_files)
    # headline figures: the city's and every district's totals, as the edition publishes them
    rows = approved.csv_rows("public", "by_district")
    for row in rows[1:-1]:
        assert [int(v) for v in row[1:]] == [edition.value(row[0], code) for code in DISTRICT_INDICATORS], row
    assert [int(v) for v in rows[-1][1:]] == [edition.value(CITY, code) for code in DISTRICT_INDICATORS]
    assert all(edition.value(area, "NEW_APPLICANTS") is not None for area in edition.areas)
    # no figure from 1 to k - 1 in any table of counts, exact figures of no centre
    for path in result.csv_files:
        if path.suffix == ".csv" and "reporting" not in path.name:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            assert not [v for v in _numbers(rows) if v.isdigit() and 1 <= int(v) < K], path.name
    assert not any(path.name.endswith("_by_centre.csv") for path in result.csv_files)
    # Çiğli (four women) and Buca are counted together; Konak's breakdown is its own
    ages = approved.csv_rows("public", "new_applicants")
    assert [row[0] for row in ages[1:]] == ["Konak", "Diğer ilçeler", "Kent toplamı"]
    assert edition.breakdown_rows("NEW_APPLICANTS") == ("Konak", OTHER_DISTRICTS, CITY)


def test_a_public_edition_is_issued_once_and_given_again_unchanged_after_a_correction(tmp_path):
    store = build_city_store(tmp_path / "stores", APPROVED_PLANS[1:])
    coordinator = store.coordinator
    with coordinator:
        first = city_report(coordinator, FIRST, LAST, tmp_path / "first.pdf", public=True).release
        before = coordination.consolidated(coordinator, FIRST).values
        with unlock(tmp_path / "stores" / "centre0", Credentials("ayse", PASSPHRASE)) as centre:  # a late woman at Buca, sent
            months_uc.reopen(centre, FIRST, "late_data")
            counts_uc.TallyBook(centre).record(FIRST, "new_applicant", dict(LATE_WOMAN))
            months_uc.submit(centre, FIRST)
            outcomes = sync_import.import_bundles(coordinator, sorted(centre.store.paths.outbox.glob("*.cwbundle")))
        assert "imported" in {o.status for o in outcomes}
        after = coordination.consolidated(coordinator, FIRST).values
        assert sum(after.values()) > sum(before.values())  # the internal figures have her
        again = city_report(coordinator, FIRST, LAST, tmp_path / "again.pdf", public=True).release
        assert again.reissued and again.edition.canonical_bytes() == first.edition.canonical_bytes()
        assert again.figures_hash == first.figures_hash and again.issued_at == first.issued_at
        entries = releases_uc.releases(coordinator)
        assert [(e.scope, str(e.first), str(e.last)) for e in entries] == [("city", "2026-01", "2026-03")]


def test_the_same_period_a_year_before_comes_from_its_own_edition(approved):
    earlier = releases_uc.issue_city(approved.store.coordinator, Period(2025, 1), Period(2025, 3)).edition
    result, text = approved.pdf("compared", public=True, csv=True)
    overview = approved.csv_rows("compared", "city_totals")
    row = next(row for row in overview if row[0] == "Yeni başvuran kadınlar")
    assert row[1:3] == [str(result.release.edition.value(CITY, "NEW_APPLICANTS")), str(earlier.value(CITY, "NEW_APPLICANTS"))]
    trend = approved.csv_rows("compared", "chart_trend")
    assert [r[0] for r in trend[1:]] == ["2025, 1. çeyrek (Ocak–Mart)", "2026, 1. çeyrek (Ocak–Mart)"]


def test_a_public_year_in_english_issues_its_quarters(approved):
    result, text = approved.pdf("public-year-en", Period(2025, 1), Period(2025, 12), language="en", public=True)
    flat = " ".join(text.split())
    assert "Year 2025" in flat and "Method note" in flat and "Public edition" in flat
    issued = {(str(e.first), str(e.last)) for e in releases_uc.releases(approved.store.coordinator)}
    assert {("2025-01", "2025-03"), ("2025-04", "2025-06"), ("2025-07", "2025-09"), ("2025-10", "2025-12"), ("2025-01", "2025-12")} <= issued


# ---------------------------------------------------------------------------- who may print, and refusals


def test_refusals_say_what_is_wrong(printed, tmp_path):
    coordinator = printed.store.coordinator
    with pytest.raises(InvalidInput, match="henüz başlamadı"):
        city_report(coordinator, FIRST, Period.current().next(), tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="sonra geliyor"):
        city_report(coordinator, LAST, FIRST, tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="klasör"):
        city_report(coordinator, FIRST, LAST, tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_centre_store_has_no_city_report(tmp_path):
    session, _ = initialise(tmp_path / "centre", store_role=StoreRole.CENTRE, name="Buca KDM", district="Buca", user_name="ayse", passphrase=PASSPHRASE)
    with session, pytest.raises(Conflict, match="koordinatörün"):
        city_report(session, FIRST, LAST, tmp_path / "x.pdf")


def test_a_coordinator_without_centres_is_told_to_enrol_them(tmp_path):
    session, _ = initialise(tmp_path / "coord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)
    with session, pytest.raises(Conflict, match="kayıtlı bir merkez yok"):
        city_report(session, FIRST, LAST, tmp_path / "x.pdf")


def test_the_report_is_audited(printed):
    printed.pdf("audited")
    with printed.store.coordinator.reading() as conn:
        rows = conn.execute("SELECT action, subject FROM audit_log WHERE action = 'report.city'").fetchall()
    assert ("report.city", f"{FIRST} {LAST} internal") in [tuple(row) for row in rows]


# ---------------------------------------------------------------------------- the figures


def test_the_internal_city_shows_everything():
    values = {"Konak": {CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}): 2, CellKey("WITH_CHILDREN"): 1}}
    city = exact_city(CATALOGUE, values, ("Buca", "Konak"))
    table = city.table("VIOLENCE_TYPE")
    assert table.grid[1][table.cells.index(CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}))] == 2
    assert city.city_total("WITH_CHILDREN") == 1 and city.district_total("WITH_CHILDREN", "Buca") == 0


# ---------------------------------------------------------------------------- a year of the whole city: the layout


YEAR = tuple(Period(2025, 1).plus(i) for i in range(12))
CITY_PLANS = tuple(
    CentrePlan(f"{district} Kadın Danışma Merkezi", district, {month: 1 + (number + index) % 3 for index, month in enumerate(YEAR)},
               {month: (number * index) % 2 for index, month in enumerate(YEAR)}, YEAR)
    for number, district in enumerate(IZMIR_DISTRICTS)
)


@pytest.fixture(scope="module")
def whole_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """One centre in each of İzmir's 30 districts, every month of 2025 recorded, submitted and sent."""
    folder = tmp_path_factory.mktemp("whole-city")
    store = build_city_store(folder / "stores", CITY_PLANS, enrolled_at="2024-12-01T09:00:00+00:00")
    yield Printed(store, folder)
    store.coordinator.close()


def fullness(path: Path) -> list[float]:
    """How much of each page's frame holds something: from the frame's top down to the lowest
    text or drawing on the page (header and footer left out), as a share of the frame's height."""
    document = pdfium.PdfDocument(str(path))
    shares = []
    try:
        for page in document:
            width, height = page.get_size()
            landscape = width > height
            top = height - (pdf.LANDSCAPE_MARGIN_TOP if landscape else pdf.MARGIN_TOP)
            bottom = pdf.LANDSCAPE_MARGIN_BOTTOM if landscape else pdf.MARGIN_BOTTOM
            lowest = top
            for item in page.get_objects(max_depth=3):
                left, low, right, high = item.get_bounds()
                if high < bottom - 4 or low > top + 4:  # the header and the footer
                    continue
                lowest = min(lowest, max(low, bottom))
            shares.append((top - lowest) / (top - bottom))
    finally:
        document.close()
    return shares


def test_fullness_sees_an_almost_empty_page(tmp_path):
    """The measure is honest: a page with one line on it counts as almost empty."""
    page = pdf.PageInfo("t", "unit", "report", "notice", "generated", lambda n, total: f"{n}/{total}", "tr")
    rendered = pdf.render([pdf.paragraph("one line", pdf.styles().body), *pdf.portrait_pages(), Spacer(1, pdf.CONTENT_HEIGHT * 0.5),
                           pdf.paragraph("half way", pdf.styles().body)], page)
    (tmp_path / "x.pdf").write_bytes(rendered.data)
    shares = fullness(tmp_path / "x.pdf")
    assert shares[0] < 0.05 and 0.5 < shares[1] < 0.6


@pytest.mark.parametrize("language", ["tr", "en"])
def test_a_year_of_the_whole_city_fits_twelve_pages_none_under_a_third_full(whole_city, language):
    result, text = whole_city.pdf(f"year-{language}", YEAR[0], YEAR[-1], language=language)
    assert result.pages <= 12, result.pages
    shares = fullness(result.path)
    assert len(shares) == result.pages
    assert all(share >= 1 / 3 for share in shares[:-1]), [round(share, 2) for share in shares]
    contents = "İçindekiler" if language == "tr" else "Contents"
    assert contents in text and re.search(r"\.\.\s*\d+\s*$", text, re.MULTILINE) is None  # page numbers, not leaders, end lines


def test_every_figure_of_the_internal_city_is_in_the_year_report(whole_city):
    """Every district's and the city's figure of every indicator and of every cell of its breakdown,
    read from its own table (each part with its row labels and the total row)."""
    result, text = whole_city.pdf("year-figures", YEAR[0], YEAR[-1])
    store = whole_city.store
    labels = [*sorted(IZMIR_DISTRICTS, key=tr_sort_key), "Kent toplamı"]

    def cells(district: str | None, indicator) -> dict[CellKey, int]:
        summed: dict[CellKey, int] = {}
        for plan in CITY_PLANS:
            if district is None or plan.district == district:
                for period in YEAR:
                    for cell, value in store.figures[plan.name].get(period, {}).items():
                        if cell.indicator == indicator.code:
                            summed[cell] = summed.get(cell, 0) + value
        return summed

    def grouped(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    checked = 0
    for indicator in CATALOGUE.active_indicators():
        if not indicator.dimensions:
            continue
        rows = parts_rows(result.path, text, indicator.label("tr"), "Kent toplamı")
        assert list(rows) == labels, indicator.code
        for label in labels:
            summed = cells(None if label == "Kent toplamı" else label, indicator)
            expected = [grouped(summed.get(cell, 0)) for cell in CATALOGUE.cells(indicator)] + [grouped(sum(summed.values()))]
            assert rows[label] == expected, (indicator.code, label)
            checked += len(expected)
    key = table_rows(result.path, "İlçelere göre temel göstergeler", "Kent toplamı")
    assert list(key) == labels
    for label in labels:
        district = None if label == "Kent toplamı" else label
        assert key[label] == [grouped(sum(cells(district, CATALOGUE.indicator(code)).values())) for code in DISTRICT_INDICATORS]
        checked += len(DISTRICT_INDICATORS)
    assert checked > 30 * 80


def test_a_public_year_of_the_whole_city_fits_twelve_pages(whole_city):
    result, text = whole_city.pdf("year-public", YEAR[0], YEAR[-1], public=True)
    assert result.public and result.pages <= 12, result.pages
    shares = fullness(result.path)
    assert all(share >= 1 / 3 for share in shares[:-1]), [round(share, 2) for share in shares]
    assert "Yöntem notu" in text


def test_a_wide_table_is_cut_into_column_groups_each_with_row_labels_and_totals():
    columns = ("District", *(f"c{i}" for i in range(11)), "Total")
    rows = (Row("Buca", tuple(range(12))), Row("Konak", tuple(range(12, 24))), Row("City total", tuple(range(24, 36)), is_total=True))
    table = ReportTable("wide", "Wide", columns, rows)
    parts = column_parts(table, at_most=5, total_column=True)
    assert len(parts) == 3 and [part.title for part in parts] == ["Wide (1/3)", "Wide (2/3)", "Wide (3/3)"]
    for part in parts:
        assert part.columns[0] == "District" and part.columns[-1] == "Total" and len(part.columns) <= 6
        assert [row.label for row in part.rows] == ["Buca", "Konak", "City total"] and part.rows[-1].is_total
        assert [row.values[-1] for row in part.rows] == [11, 23, 35]
    assert [c for part in parts for c in part.columns[1:-1]] == list(columns[1:-1])


def test_figures_are_grouped_in_the_language_of_the_report():
    assert number_text(1234567, "tr") == "1.234.567" and number_text(1234567, "en") == "1,234,567"
    assert number_text(999, "tr") == "999" and number_text(-1234, "tr") == "-1.234"
    assert change_text(12345, 10000, "tr") == "+2.345 (+%23)" and change_text(10000, 12345, "en") == "-2,345 (-19%)"


def test_hidden_figures_are_marked_not_drawn_as_bars_of_no_height(tmp_path):
    page = pdf.PageInfo("t", "unit", "report", "notice", "generated", lambda n, total: f"{n}/{total}", "tr")
    rendered = pdf.render([pdf.horizontal_bars(["Buca", "Konak", "Çiğli"], [1200, None, 0], language="tr")], page)
    (tmp_path / "bars.pdf").write_bytes(rendered.data)
    text = pdftotext(tmp_path / "bars.pdf")
    assert re.search(r"Buca\s+1\.200", text) and re.search(r"Konak\s+\.\.", text) and re.search(r"Çiğli\s+0", text)
