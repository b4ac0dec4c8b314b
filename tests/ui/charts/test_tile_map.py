"""The tile map: every district has its square where district_tiles puts it, clicking it or
choosing it with the keys says which district, the fill follows the classes, districts
without a centre are hatched and say so, and the table holds the same figures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from caseworker.app.city_view import class_bounds
from caseworker.domain.district_tiles import TILES
from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import ChartPanel
from caseworker.ui.charts.tile_map import TileMap, class_labels
from tests.ui.charts.conftest import WITHOUT_CENTRE


@pytest.fixture
def shown(qtbot, tiles):
    chart = TileMap()
    panel = ChartPanel(chart)
    qtbot.addWidget(panel)
    chart.set_data("Yeni başvuran kadınlar, toplam", tiles, class_bounds([t.total for t in tiles if t.total is not None]))
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    return chart, panel


def test_clicking_each_square_names_its_district(qtbot, shown):
    chart, _panel = shown
    for tile in TILES:
        with qtbot.waitSignal(chart.district_chosen) as signal:
            qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.tile_rect(tile.district).center().toPoint())
        assert signal.args == [tile.district]


def test_arrow_keys_and_enter_choose_a_district(qtbot, shown):
    chart, _panel = shown
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    with qtbot.waitSignal(chart.district_chosen) as signal:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert signal.args == [TILES[1].district]


def pixel(image: QImage, chart: TileMap, district: str, dx: float = 0.0) -> str:
    rect = chart.tile_rect(district)
    ratio = image.devicePixelRatio()
    return image.pixelColor(int((rect.left() + 2 + dx) * ratio), int((rect.top() + 2) * ratio)).name()


def test_fill_follows_the_classes_and_no_centre_is_hatched_grey(shown, tiles):
    chart, _panel = shown
    highest = max((t for t in tiles if t.total is not None), key=lambda t: t.total)
    lowest = min((t for t in tiles if t.total is not None), key=lambda t: t.total)
    image = chart.grab().toImage()
    assert pixel(image, chart, highest.district) == palette.RAMP[-1].name()
    assert pixel(image, chart, lowest.district) == palette.RAMP[0].name()
    seen = {pixel(image, chart, WITHOUT_CENTRE[0], dx) for dx in range(12)}
    assert palette.NO_DATA_FILL.name() in seen and palette.NO_DATA_HATCH.name() in seen  # grey with hatching lines


def test_table_holds_the_figures_of_the_map(qtbot, shown, tiles):
    chart, panel = shown
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert panel.showing_table and panel.toggle.text() == "Grafik olarak göster"
    rows = {row[0]: row for row in panel.cell_texts()}
    assert len(rows) == 30
    for tile in tiles:
        assert rows[tile.district][2] == ("merkez yok" if tile.total is None else f"{tile.total:,d}".replace(",", "."))
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert not panel.showing_table and panel.stack.currentWidget() is chart


def test_accessible_name_and_description(shown):
    chart, panel = shown
    assert chart.accessibleName() == "Kare harita: Yeni başvuran kadınlar, toplam"
    assert "3 ilçede merkez yok" in chart.accessibleDescription() and "En yüksek: " in chart.accessibleDescription()
    panel.toggle.click()
    assert panel.view.accessibleName() == "Kare harita: Yeni başvuran kadınlar, toplam, tablo olarak"


def test_class_labels_run_from_just_above_the_previous_bound():
    assert class_labels((4, 9, 1200)) == ["0–4", "5–9", "10–1.200"]
    assert class_labels((0, 3)) == ["0", "1–3"]
