"""The reporting grid: each cell's fill and symbol say its state, the table says it in words."""

from __future__ import annotations

from PySide6.QtCore import Qt

from caseworker.ui.charts import palette
from caseworker.ui.charts.chart_panel import ChartPanel
from caseworker.ui.charts.rate_grid import NAME_WIDTH, RateGrid


def test_cells_are_filled_by_state_and_the_table_says_it_in_words(qtbot, grid_rows):
    rows, periods = grid_rows
    chart = RateGrid()
    panel = ChartPanel(chart)
    qtbot.addWidget(panel)
    chart.set_data(rows, periods)
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    width = (chart.width() - NAME_WIDTH - 4) / len(periods)
    height = chart._row_height()
    fills = [palette.ON_TIME, palette.LATE, palette.MISSING, palette.NOT_EXPECTED]
    for column, fill in enumerate(fills):
        x, y = NAME_WIDTH + column * width + 3, 2 * height + 3
        assert image.pixelColor(int(x * ratio), int(y * ratio)).name() == fill.name()
    assert chart.accessibleName() == "Raporlama tablosu"
    assert "2 merkez, 4 ay: 3 rapor zamanında, 1 geç, 3 gelmedi, 1 beklenmiyordu." in chart.accessibleDescription()
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    texts = panel.cell_texts()
    assert texts[0] == ["Merkez 0", "Konak", "✔ zamanında", "◑ geç", "✘ gelmedi", "· beklenmiyor"]
    assert [panel.model.horizontalHeaderItem(i).text() for i in range(3)] == ["Merkez", "İlçe", "Oca 2026"]


def test_legend_shows_each_fill_with_its_symbol(qtbot, grid_rows):
    rows, periods = grid_rows
    chart = RateGrid()
    qtbot.addWidget(chart)
    chart.set_data(rows, periods)
    chart.resize(700, chart.sizeHint().height())
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    height = chart._row_height()
    top = (2 + len(rows)) * height + height / 2
    swatches = []
    for x in range(0, chart.width(), 2):
        colour = image.pixelColor(int(x * ratio), int((top + 2) * ratio)).name()
        if colour in {fill.name() for fill in (palette.ON_TIME, palette.LATE, palette.MISSING, palette.NOT_EXPECTED)} and colour not in swatches:
            swatches.append(colour)
    assert swatches == [palette.ON_TIME.name(), palette.LATE.name(), palette.MISSING.name(), palette.NOT_EXPECTED.name()]
