"""The trend chart: its table is its points, a month without data says so (never 0), and it
says what it shows to a screen reader."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from caseworker.ui.charts.chart_panel import ChartPanel
from caseworker.ui.charts.figures import integer, month
from caseworker.ui.charts.trend_chart import TrendChart, nice_ceiling


@pytest.fixture
def panel(qtbot, points):
    chart = TrendChart()
    panel = ChartPanel(chart)
    qtbot.addWidget(panel)
    chart.set_data("Yeni başvuran kadınlar", points)
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_table_shows_the_points(qtbot, panel, points):
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert panel.cell_texts() == [[month(p.period), "veri yok" if p.value is None else integer(p.value)] for p in points]
    assert panel.cell_texts()[4] == ["Mar 2026", "1.250"] and panel.cell_texts()[0][0] == "Kas 2025"


def test_new_points_redraw_and_refill_the_shown_table(qtbot, panel, points):
    panel.toggle.click()
    panel.chart.set_data("Takip", points[:2])
    assert panel.cell_texts() == [["Kas 2025", "12"], ["Ara 2025", "30"]]
    assert panel.chart.accessibleName() == "Eğilim grafiği: Takip"


def test_description_names_highest_lowest_and_gaps(panel):
    description = panel.chart.accessibleDescription()
    assert "En yüksek 1.250 (Mar 2026), en düşük 0 (Nis 2026)" in description
    assert "1 ayın verisi yok" in description


def test_english_months_and_numbers(qtbot, english, points):
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.set_data("New applicants", points)
    assert chart.table()[1][4] == ["Mar 2026", "1,250"] and chart.table()[1][2][1] == "no data"


def test_axis_top_is_round():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 38, 1250)] == [1, 1, 4, 10, 20, 40, 2000]
