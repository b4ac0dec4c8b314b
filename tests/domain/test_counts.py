"""Cells and keyed counts: equal cells made in different places are one object."""

from __future__ import annotations

from caseworker.domain import counts
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey, canonical
from caseworker.storage.cell_rows import cell_from_row, options_text


def test_equal_cells_from_the_catalogue_and_from_stored_rows_are_one_object():
    catalogue = load_default_catalogue()
    for indicator in catalogue.indicators:
        for cell in catalogue.cells(indicator):
            from_row = cell_from_row(cell.indicator, options_text(cell))
            assert from_row is cell
            assert canonical(CellKey(cell.indicator, tuple(reversed(cell.options)))) is cell


def test_the_cells_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(counts, "_CANONICAL_CELLS", {})
    monkeypatch.setattr(counts, "MAX_CANONICAL_CELLS", 3)
    made = [canonical(CellKey(f"INDICATOR_{number}")) for number in range(7)]
    assert len(counts._CANONICAL_CELLS) <= 3
    assert canonical(CellKey("INDICATOR_6")) is made[6]
    assert canonical(CellKey("INDICATOR_0")) == made[0]  # forgotten, then made again: equal, if not the same object
