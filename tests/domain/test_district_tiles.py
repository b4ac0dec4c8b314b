"""The tile map's layout: every district of İzmir once, no two on one square."""

from __future__ import annotations

from caseworker.domain.district_tiles import GRID_COLUMNS, GRID_ROWS, TILE_OF, TILES
from caseworker.domain.districts import IZMIR_DISTRICTS


def test_every_district_has_its_own_square():
    assert sorted(TILE_OF) == sorted(IZMIR_DISTRICTS)
    squares = {(tile.column, tile.row) for tile in TILES}
    assert len(squares) == 30
    assert all(0 <= tile.column < GRID_COLUMNS and 0 <= tile.row < GRID_ROWS for tile in TILES)


def test_the_map_keeps_north_and_west():
    assert TILE_OF["Bergama"].row < TILE_OF["Konak"].row < TILE_OF["Selçuk"].row
    assert TILE_OF["Çeşme"].column < TILE_OF["Konak"].column < TILE_OF["Kiraz"].column
