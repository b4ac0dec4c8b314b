"""Figures for the chart tests: made-up but shaped as ``app.city_view`` gives them."""

from __future__ import annotations

import pytest

from caseworker.app.city_view import MISSING, NOT_EXPECTED, ON_TIME, LATE, GridCell, GridRow, TileValue, TrendPoint
from caseworker.domain.district_tiles import TILES
from caseworker.domain.periods import Period

WITHOUT_CENTRE = ("Karaburun", "Kiraz", "Beydağ")


@pytest.fixture
def tiles() -> list[TileValue]:
    """Every district: those in ``WITHOUT_CENTRE`` without a figure, the others 0, 10, 20, …"""
    made = []
    for index, tile in enumerate(TILES):
        total = None if tile.district in WITHOUT_CENTRE else 10 * index
        made.append(TileValue(tile.district, tile.column, tile.row, 0 if total is None else 1, total, None if total is None else total / 3))
    return made


@pytest.fixture
def points() -> list[TrendPoint]:
    first = Period(2025, 11)
    values = [12, 30, None, 7, 1250, 0]
    return [TrendPoint(first.plus(i), value) for i, value in enumerate(values)]


@pytest.fixture
def grid_rows() -> tuple[list[GridRow], list[Period]]:
    periods = [Period(2026, 1).plus(i) for i in range(4)]
    states = [(ON_TIME, LATE, MISSING, NOT_EXPECTED), (MISSING, MISSING, ON_TIME, ON_TIME)]
    rows = [GridRow(f"c{n}", f"Merkez {n}", "Konak", tuple(GridCell(p, s) for p, s in zip(periods, row))) for n, row in enumerate(states)]
    return rows, periods
