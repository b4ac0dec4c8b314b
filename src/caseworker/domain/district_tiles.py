"""Where each of İzmir's 30 districts sits on the tile map: one square per district.

The tile map is the city's map without geodata: a grid laid out roughly as the districts lie
(north at the top, the Çeşme peninsula on the left, Kiraz and Beydağ in the east), so a reader
finds Bergama at the top and Selçuk near the bottom. The screen (Qt painting) and the printed
report (reportlab) both draw from this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseworker.domain.districts import IZMIR_DISTRICTS


@dataclass(frozen=True)
class Tile:
    """One district's square: its column (0 = west) and row (0 = north)."""

    district: str
    column: int
    row: int


_LAYOUT: tuple[tuple[str, int, int], ...] = (
    ("Dikili", 3, 0), ("Bergama", 4, 0), ("Kınık", 5, 0),
    ("Foça", 2, 1), ("Aliağa", 3, 1), ("Menemen", 4, 1),
    ("Karaburun", 0, 2), ("Çiğli", 3, 2), ("Karşıyaka", 4, 2), ("Bayraklı", 5, 2), ("Bornova", 6, 2), ("Kemalpaşa", 7, 2),
    ("Çeşme", 0, 3), ("Urla", 1, 3), ("Güzelbahçe", 2, 3), ("Narlıdere", 3, 3), ("Balçova", 4, 3), ("Konak", 5, 3), ("Buca", 6, 3),
    ("Seferihisar", 2, 4), ("Gaziemir", 4, 4), ("Karabağlar", 5, 4), ("Torbalı", 6, 4), ("Bayındır", 7, 4),
    ("Menderes", 3, 5), ("Selçuk", 4, 5), ("Tire", 6, 5), ("Ödemiş", 7, 5), ("Kiraz", 8, 5),
    ("Beydağ", 8, 6),
)

TILES: tuple[Tile, ...] = tuple(Tile(name, column, row) for name, column, row in _LAYOUT)
TILE_OF: dict[str, Tile] = {tile.district: tile for tile in TILES}
GRID_COLUMNS = max(tile.column for tile in TILES) + 1
GRID_ROWS = max(tile.row for tile in TILES) + 1

assert set(TILE_OF) == set(IZMIR_DISTRICTS) and len(TILES) == len(IZMIR_DISTRICTS)
