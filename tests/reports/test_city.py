"""The coordinator's city report: the PDF holds the sums of the centres' figures (sent through real
bundles), by district in Turkish order and for the city, in Turkish or English, with its fonts
embedded; a public one covers fixed periods only, hides every small count of women, and prints
no figure of a single centre for counts of women."""

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

from caseworker.app.reports import city_report
from caseworker.app.session import initialise
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.reports.city import DISTRICT_INDICATORS, is_fixed_range, range_label, trend_gives_away
from caseworker.reports.published_city import IndicatorTable, published_city
from caseworker.reports.tables import rule_bounds
from caseworker.stats.disclosure import (
    ProtectedTable,
    Suppressed,
    feasible_ranges,
    unprotected,
)
from tests.conftest import PASSPHRASE
from tests.reports.city_stores import FIRST, LAST, PLANS, CityStore, build_city_store

CATALOGUE = load_default_catalogue()
K = CATALOGUE.sharing.k
SYMBOL = str(Suppressed(primary=False))
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


def table_rows(text: str, title: str, total_label: str) -> dict[str, list[str]]:
    """The rows printed under ``title`` (its last occurrence as a line of its own), up to the total row."""
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


def parts_rows(text: str, title: str, total_label: str) -> dict[str, list[str]]:
    """A table printed whole or in parts (``Title (1/2)``, ``Title (2/2)``), its parts joined."""
    if f"{title} (1/" not in text:
        return table_rows(text, title, total_label)
    count = int(re.search(re.escape(title) + r" \(1/(\d)\)", text)[1])
    joined: dict[str, list[str]] = {}
    for number in range(1, count + 1):
        for label, values in table_rows(text, f"{title} ({number}/{count})", total_label).items():
            joined.setdefault(label, []).extend(values)
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
    rows = table_rows(text, "İlçelere göre temel göstergeler", "Kent toplamı")
    assert list(rows) == [*DISTRICTS, "Kent toplamı"]
    for district in DISTRICTS:
        assert rows[district] == [str(indicator_sum(printed.store, code, district=district)) for code in DISTRICT_INDICATORS], district
    assert rows["Kent toplamı"] == [str(indicator_sum(printed.store, code)) for code in DISTRICT_INDICATORS]
    # the known tallies, not only the centres' word for them
    recorded = {d: sum(n for plan in PLANS if plan.district == d for p, n in plan.new_applicants.items() if p in RANGE) for d in DISTRICTS}
    assert [rows[d][0] for d in DISTRICTS] == [str(recorded[d]) for d in DISTRICTS] == ["9", "36"]


@pytest.mark.parametrize("code", [i.code for i in CATALOGUE.active_indicators() if i.dimensions])
def test_every_indicator_by_district_equals_the_centres_cells(printed, code):
    _, text = printed.pdf(f"detail-{code}")
    indicator = CATALOGUE.indicator(code)
    cells = CATALOGUE.cells(indicator)
    rows = parts_rows(text, indicator.label("tr"), "Kent toplamı")

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
    line = next(line for line in text.splitlines() if re.match(r"^\s*Yeni başvuran kadınlar\s{2,}\d", line))
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

    matrix = table_rows(text, "Merkezlere göre raporlama", "Kent: beklenen")
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
    assert "Gelen raporlar: beklenen 9 aylık raporun 8 tanesi geldi (%89); bunların 2 tanesi zamanında gönderildi." in " ".join(text.split())


def test_the_english_report_has_the_same_figures(printed):
    _, text = printed.pdf("en", language="en")
    flat = " ".join(text.split())
    for words in ("City report", "Q1 2026 (January–March)", "Key indicators by district", "Reporting by centre",
                  "This document holds no personal data", "Keep it as an official document", "Page 1 / "):
        assert words in flat, words
    assert "Kent toplamı" not in text and "Yeni başvuran" not in text
    rows = table_rows(text, "Key indicators by district", "City total")
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


def _sensitive_values(printed: Printed, name: str) -> list[tuple[str, str, str]]:
    """Every figure of a count of women printed in the report's tables: (table, row, value)."""
    labels = {i.label("tr"): i for i in CATALOGUE.indicators}
    found = []
    for path in sorted((printed.folder / f"{name}-csv").glob("*.csv")):
        rows = [row for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) if len(row) > 1]
        header, body = rows[0], rows[1:]
        table = path.stem.split("_", 1)[1]
        if table in ("city_totals",):
            found += [(table, row[0], v) for row in body if labels[row[0]].sensitive for v in (row[1], row[2])]
        elif table in ("by_district", "other_indicators", "by_centre"):
            found += [(table, row[0], v) for row in body for column, v in zip(header[1:], row[1:], strict=True) if labels[column].sensitive]
        elif table.startswith("reporting"):
            continue
        elif table.upper() in SENSITIVE or table in ("chart_districts", "chart_trend", "chart_violence"):
            found += [(table, row[0], v) for row in body for v in row[1:]]
    return found


def test_the_public_report_hides_every_small_count_of_women(printed):
    printed.pdf("internal-for-public", csv=True)
    result, text = printed.pdf("public", public=True, csv=True)
    assert result.public and result.hidden_values > 0
    internal = _sensitive_values(printed, "internal-for-public")
    assert any(v.isdigit() and 1 <= int(v) < K for _, _, v in internal)  # the internal report does print small counts
    public = _sensitive_values(printed, "public")
    assert public and not [item for item in public if item[2].isdigit() and 1 <= int(item[2]) < K]
    assert any(v == SYMBOL for _, _, v in public)
    flat = " ".join(text.split())
    assert "Kamuya açık sürüm" in flat
    assert "1 ile 4 arasındaki değerler gizlenmiştir (.. ile gösterilir)" in flat
    # and in the PDF itself: the district tables of counts of women print no 1..k-1
    for code in SENSITIVE & {i.code for i in CATALOGUE.active_indicators() if i.dimensions}:
        for label, values in parts_rows(text, CATALOGUE.indicator(code).label("tr"), "Kent toplamı").items():
            assert not any(v.isdigit() and 1 <= int(v) < K for v in values), (code, label, values)


def _section(text: str, start: str, end: str) -> str:
    lines = text.splitlines()
    first = next(index for index, line in enumerate(lines) if line.strip() == start)
    last = next(index for index, line in enumerate(lines) if index > first and line.strip() == end)
    return "\n".join(lines[first:last])


def test_the_public_report_prints_no_figure_of_a_single_centre_for_counts_of_women(printed):
    _, internal = printed.pdf("internal-centres")
    _, text = printed.pdf("public-centres", public=True, csv=True)
    rows = printed.csv_rows("public-centres", "by_centre")
    assert rows[0][1:] and not any(i.label("tr") in rows[0] for i in CATALOGUE.indicators if i.sensitive)
    assert "Tek tek merkezlerin kadın sayıları yayımlanmaz" in " ".join(text.split())
    shown = {value for row in rows[1:] for value in row[1:]}
    public_section = _section(text, "Merkezlere göre rakamlar", "Raporlama")
    internal_section = _section(internal, "Merkezlere göre rakamlar", "Raporlama")
    assert all(plan.name[:20] in public_section for plan in PLANS)
    assert set(re.findall(r"\d+", public_section)) <= shown  # only the activity counts of the CSV
    for plan in PLANS:
        own = str(printed.store.centre_sum(plan.name, RANGE, "NEW_APPLICANTS"))
        assert own in re.findall(r"\d+", internal_section)  # the internal report prints each centre's women
    assert "Merkezlere göre raporlama" in text  # the reporting matrix stays


@pytest.mark.parametrize(("first", "last"), [(Period(2026, 1), Period(2026, 2)), (Period(2026, 2), Period(2026, 4)),
                                             (Period(2025, 7), Period(2026, 6))])
def test_a_public_report_covers_a_fixed_period_only(printed, first, last):
    with pytest.raises(InvalidInput, match="takvim çeyreğini"):
        city_report(printed.store.coordinator, first, last, printed.folder / "refused.pdf", public=True)
    assert not (printed.folder / "refused.pdf").exists()
    assert city_report(printed.store.coordinator, first, last, printed.folder / "internal-any.pdf").pages >= 1


@pytest.mark.parametrize(("first", "last", "fixed"), [
    ("2026-03", "2026-03", True), ("2026-01", "2026-03", True), ("2026-10", "2026-12", True), ("2026-01", "2026-12", True),
    ("2026-02", "2026-04", False), ("2026-01", "2026-02", False), ("2025-12", "2026-02", False), ("2026-02", "2027-01", False),
    ("2026-01", "2026-06", False)])
def test_fixed_ranges(first, last, fixed):
    assert is_fixed_range(Period.parse(first), Period.parse(last)) is fixed


def test_a_public_month_and_year_are_printed(printed):
    month, text = printed.pdf("public-month", Period(2026, 3), Period(2026, 3), public=True)
    assert "Mart 2026" in text and month.public
    _, text = printed.pdf("public-year", Period(2025, 1), Period(2025, 12), language="en", public=True)
    assert "Year 2025" in text and "Public version" in " ".join(text.split())


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
    printed.pdf("audited", public=True)
    with printed.store.coordinator.reading() as conn:
        rows = conn.execute("SELECT action, subject FROM audit_log WHERE action = 'report.city'").fetchall()
    assert ("report.city", f"{FIRST} {LAST} public") in [tuple(row) for row in rows]


# ---------------------------------------------------------------------------- disclosure control, property


def _women(rng: random.Random, count: int) -> dict[CellKey, int]:
    """The counts of ``count`` new applicants and a few follow-ups, as a centre's tally would give
    them: every validation rule holds."""
    values: dict[CellKey, int] = {}

    def add(cell: CellKey, n: int = 1) -> None:
        values[cell] = values.get(cell, 0) + n

    for _ in range(count):
        add(CellKey.of("NEW_APPLICANTS", {"age": rng.choice(["18-24", "25-34", "35-44"])}))
        add(CellKey.of("NEW_APPLICANTS_STATUS", {"status": rng.choice(["citizen", "temporary_protection"])}))
        add(CellKey.of("REFERRED_FROM", {"source": rng.choice(["self", "alo183", "police"])}))
        for violence in rng.sample(["physical", "psychological", "economic", "digital"], rng.randint(1, 2)):
            add(CellKey.of("VIOLENCE_TYPE", {"violence": violence}))
        if rng.random() < 0.3:
            add(CellKey.of("PROTECTIVE_ORDER_SUPPORT"))
        if rng.random() < 0.5:
            add(CellKey.of("WITH_CHILDREN"))
    for _ in range(rng.randint(0, count)):
        add(CellKey.of("RETURNING_CLIENTS", {"age": rng.choice(["25-34", "35-44"])}))
        add(CellKey.of("SESSIONS", {"session": rng.choice(["psychological", "legal"])}), rng.randint(1, 2))
    return values


def _as_protected(table: IndicatorTable) -> ProtectedTable:
    grid = table.grid if table.broken_down else tuple((row[0], None) for row in table.grid)
    columns = tuple(map(str, table.cells))
    return ProtectedTable(table.districts, columns, K, grid)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 14), min_size=2, max_size=4), st.integers(0, 2**32))
def test_published_city_shows_no_small_value_and_no_hidden_value_can_be_worked_out(sizes, seed):
    rng = random.Random(seed)
    districts = tuple(f"D{index}" for index in range(len(sizes)))
    by_district = {district: _women(rng, size) for district, size in zip(districts, sizes, strict=True)}
    codes = ("NEW_APPLICANTS", "NEW_APPLICANTS_STATUS", "REFERRED_FROM", "VIOLENCE_TYPE", "PROTECTIVE_ORDER_SUPPORT", "WITH_CHILDREN",
             "RETURNING_CLIENTS", "SESSIONS")
    city = published_city(CATALOGUE, by_district, districts, K, codes)
    for code in codes:
        table = city.table(code)
        protected = _as_protected(table)
        assert unprotected(protected) == [], code
        for row, district in enumerate((*districts, None)):
            for column, entry in enumerate(table.grid[row]):
                cells = table.cells if column == len(table.cells) else (table.cells[column],)
                areas = districts if district is None else (district,)
                true = sum(by_district[a].get(cell, 0) for a in areas for cell in cells)
                assert isinstance(entry, Suppressed) or entry == true, (code, row, column)
                if CATALOGUE.indicator(code).sensitive:
                    assert isinstance(entry, Suppressed) or not 1 <= entry < K, (code, row, column, entry)
    # totals tied by rules: read together, every hidden total keeps at least two values, and a
    # small one can still reach k
    ranges = {code: feasible_ranges(_as_protected(city.table(code))) for code in codes}

    def known(code: str, row: int) -> tuple[float, float, Suppressed | None]:
        table = city.table(code)
        position = (row, len(table.cells) if table.broken_down else 0)
        entry = table.grid[row][-1]
        return (*ranges[code][position], entry) if isinstance(entry, Suppressed) else (entry, entry, None)

    for bounded, bounding, exact in rule_bounds(CATALOGUE):
        if bounded not in codes or bounding not in codes:
            continue
        for row in range(len(districts) + 1):
            low_a, high_a, mark_a = known(bounded, row)
            low_b, high_b, mark_b = known(bounding, row)
            spans = ((mark_a, max(low_a, low_b) if exact else low_a, min(high_a, high_b)),
                     (mark_b, max(low_b, low_a), min(high_b, high_a) if exact else high_b))
            for mark, low, high in spans:
                if mark is not None:
                    assert high - low >= 1 and (not mark.primary or high >= K), (bounded, bounding, row, low, high)


def test_the_internal_city_shows_everything():
    values = {"Konak": {CellKey.of("VIOLENCE_TYPE", {"violence": "physical"}): 2, CellKey("WITH_CHILDREN"): 1}}
    city = published_city(CATALOGUE, values, ("Konak", "Buca"), None)
    assert city.table("VIOLENCE_TYPE").cell("Konak", CellKey.of("VIOLENCE_TYPE", {"violence": "physical"})) == 2
    assert city.city_total("WITH_CHILDREN") == 1 and city.district_total("WITH_CHILDREN", "Buca") == 0 and city.hidden == 0



def test_the_trend_of_a_public_report_may_not_give_away_a_hidden_figure_of_the_range():
    months = tuple(Period(2026, m) for m in (1, 2, 3))
    one_hidden = [Suppressed(primary=True), 20, 30]
    assert trend_gives_away(months, one_hidden, months, 52, K)  # 52 - 20 - 30 = 2
    two_hidden = [Suppressed(primary=True), Suppressed(primary=False), 30]
    assert not trend_gives_away(months, two_hidden, months, 72, K)  # each of the two lies in 1..41
    assert trend_gives_away(months, two_hidden, months, 34, K)  # each in 1..3: a small one cannot reach k
    assert trend_gives_away(months, [10, 20, 30], months, Suppressed(primary=False), K)  # the sum gives the total away
    assert not trend_gives_away(months[:1], [Suppressed(primary=True)], months[:1], Suppressed(primary=True), K)
    assert not trend_gives_away(months, [10, 20, 30], months, 60, K)
