"""The City page on a real coordinator store filled by imported bundles
(``tests/reports/city_stores.py``): the range and the figure chosen drive every chart, a click
on a district opens its figures, and each chart's table shows the chart's numbers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from caseworker.app import city_view as city_uc
from caseworker.domain.periods import months_between
from caseworker.ui.charts.figures import decimal, integer, signed
from caseworker.ui.pages.city_page import CityPage
from tests.reports.city_stores import FIRST, LAST, PLANS, CityStore, build_city_store

RANGE = months_between(FIRST, LAST)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityStore]:
    store = build_city_store(tmp_path_factory.mktemp("city"))
    yield store
    store.coordinator.close()


@pytest.fixture
def page(qtbot, city) -> CityPage:
    shown = CityPage(city.coordinator, None)
    qtbot.addWidget(shown)
    shown.resize(1200, 900)
    shown.show()
    qtbot.waitExposed(shown)
    choose_range(shown, FIRST, LAST)
    return shown


def choose_range(page: CityPage, first, last) -> None:
    page.choose_range(first, last)


def choose(page: CityPage, indicator: str) -> None:
    page.indicator.setCurrentIndex(next(i for i in range(page.indicator.count()) if page.indicator.itemData(i) == indicator))


def card_figure(page: CityPage, indicator: str) -> str:
    return page.cards[list(city_uc.HEADLINE_INDICATORS).index(indicator)].figure.text()


def city_sum(city: CityStore, periods, indicator: str) -> int:
    return sum(city.district_sum(district, tuple(periods), indicator) for district in {plan.district for plan in PLANS})


def test_range_change_updates_headlines_and_charts(page, city):
    assert card_figure(page, "NEW_APPLICANTS") == integer(city_sum(city, RANGE, "NEW_APPLICANTS"))
    assert [p.period for p in page.trend.points] == list(RANGE)
    choose_range(page, FIRST, FIRST)
    assert card_figure(page, "NEW_APPLICANTS") == integer(city_sum(city, (FIRST,), "NEW_APPLICANTS"))
    assert [p.period for p in page.trend.points] == [FIRST]
    konak = next(tile for tile in page.tile_map.tiles if tile.district == "Konak")
    assert konak.total == city.district_sum("Konak", (FIRST,), "NEW_APPLICANTS")
    year_ago = next(c for c in page.cards if c.name.text() == "Yeni başvuran kadınlar").change.text()
    before = sum(plan.new_applicants.get(FIRST.plus(-12), 0) for plan in PLANS)
    assert before and year_ago.startswith("Oca 2025 dönemine göre " + signed(city_sum(city, (FIRST,), "NEW_APPLICANTS") - before) + " (")


def test_indicator_change_redraws_map_bars_and_trend(page, city):
    choose(page, "RETURNING_CLIENTS")
    assert page.tile_map.figure_name.startswith("Takip görüşmesine gelen kadınlar")
    for tile in page.tile_map.tiles:
        expected = city.district_sum(tile.district, RANGE, "RETURNING_CLIENTS") if tile.district in ("Konak", "Çiğli") else None
        assert tile.total == expected
    assert [p.value for p in page.trend.points] == [city_sum(city, (p,), "RETURNING_CLIENTS") for p in RANGE]
    assert {row.district: row.total for row in page.bars.rows} == {d: city.district_sum(d, RANGE, "RETURNING_CLIENTS") for d in ("Konak", "Çiğli")}
    assert page.tile_map.accessibleName() == "Kare harita: Takip görüşmesine gelen kadınlar, toplam"


def test_clicking_a_tile_opens_that_districts_figures(qtbot, page, city):
    centre = page.tile_map.tile_rect("Çiğli").center().toPoint()
    qtbot.mouseClick(page.tile_map, Qt.MouseButton.LeftButton, pos=centre)
    dialog = page.district_dialog
    assert dialog is not None and dialog.isVisible() and dialog.district == "Çiğli"
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["Yeni başvuran kadınlar"] == integer(city.district_sum("Çiğli", RANGE, "NEW_APPLICANTS"))
    assert rows["Takip görüşmesine gelen kadınlar"] == integer(city.district_sum("Çiğli", RANGE, "RETURNING_CLIENTS"))
    dialog.close()


def test_a_district_without_a_centre_says_so(qtbot, page):
    qtbot.mouseClick(page.tile_map, Qt.MouseButton.LeftButton, pos=page.tile_map.tile_rect("Bergama").center().toPoint())
    assert page.district_dialog.district == "Bergama" and page.district_dialog.table.rowCount() == 0


def test_table_toggle_shows_the_numbers_of_the_charts(qtbot, page, city):
    for panel in (page.map_panel, page.bars_panel, page.trend_panel, page.grid_panel):
        qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
        assert panel.showing_table
    by_district = {row[0]: row for row in page.map_panel.cell_texts()}
    assert by_district["Konak"][2] == integer(page.tile_map.tiles[[t.district for t in page.tile_map.tiles].index("Konak")].total)
    assert by_district["Bergama"][2] == "merkez yok"
    assert [row[0] for row in page.bars_panel.cell_texts()] == [row.district for row in page.bars.rows]
    for row, shown in zip(page.bars.rows, page.bars_panel.cell_texts()):
        assert shown[2] == decimal(row.per_month) and shown[3] == integer(row.total)
    assert [row[1] for row in page.trend_panel.cell_texts()] == [integer(p.value) for p in page.trend.points]
    choose(page, "SESSIONS")  # a shown table follows the chart
    assert [row[1] for row in page.trend_panel.cell_texts()] == [integer(p.value) for p in page.trend.points]
    assert len(page.grid_panel.cell_texts()) == len(PLANS)


def test_double_click_on_a_table_row_opens_the_district(qtbot, page):
    page.bars_panel.toggle.click()
    first = page.bars_panel.model.index(0, 0)
    page.bars_panel.view.doubleClicked.emit(first)
    assert page.district_dialog.district == page.bars.rows[0].district


def test_every_chart_has_an_accessible_name_and_description(page):
    for chart in (page.tile_map, page.bars, page.trend, page.grid):
        assert chart.accessibleName() and chart.accessibleDescription()
    assert page.grid.accessibleName() == "Raporlama tablosu"
    assert page.trend.accessibleName() == "Eğilim grafiği: Yeni başvuran kadınlar"
    assert page.first.accessibleName() == "Dönemin ilk ayı" and page.indicator.accessibleName()


def test_english(qtbot, city, english):
    shown = CityPage(city.coordinator, None)
    qtbot.addWidget(shown)
    shown.show()
    choose_range(shown, FIRST, LAST)
    assert shown.title.text() == "City figures" and shown.first.currentText() == "Jan 2026"
    assert shown.map_panel.toggle.text() == "Show as table"
    assert shown.completeness.text().startswith("Monthly reports, Jan 2026 – Mar 2026: ")


def test_the_window_shows_the_city_page_of_a_store_without_centres(qtbot, tmp_path):
    from caseworker.app.session import initialise
    from caseworker.domain.users import StoreRole
    from caseworker.ui.main_window import MainWindow
    from tests.conftest import PASSPHRASE

    session, _ = initialise(tmp_path / "koord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)
    window = MainWindow(tmp_path / "koord")
    qtbot.addWidget(window)
    window.open_session(session)
    window.show()
    window.sidebar.setCurrentRow([spec.key for spec in window.page_specs_shown()].index("city"))
    page = window.pages["city"]
    qtbot.waitUntil(lambda: page.view is not None)
    assert page.completeness.text().startswith("Henüz kayıtlı merkez yok.")
    assert all(tile.total is None for tile in page.tile_map.tiles) and len(page.tile_map.tiles) == 30
    assert page.bars.rows == [] and all(point.value is None for point in page.trend.points)
    for chart in (page.tile_map, page.bars, page.trend, page.grid):
        assert not chart.grab().isNull()  # every chart paints without figures
    window.close()


def test_once_up_the_page_reads_ahead_the_year_before_the_range(qtbot, page, monkeypatch):
    from caseworker.app import coordination

    calls = []
    original = coordination.reporting_rate
    monkeypatch.setattr(coordination, "reporting_rate", lambda *args, **kwargs: calls.append(args[1:3]) or original(*args, **kwargs))
    qtbot.waitUntil(lambda: calls != [], timeout=5000)  # the read-ahead, a moment after the page is up
    assert calls == [(FIRST.plus(-12), LAST)]
    choose_range(page, FIRST.plus(-5), LAST)
    assert len(calls) == 1 and page.view.first == FIRST.plus(-5)


def test_switching_language_relabels_the_page(page):
    from caseworker import i18n

    i18n.set_language("en")  # the test fixtures put Turkish back afterwards
    assert page.indicator.currentText() == "New applicants" and page.title.text() == "City figures"
    assert page.first.currentText() == "Jan 2026" and page.map_panel.toggle.text() == "Show as table"
    assert page.cards[0].name.text() == "New applicants"
