"""An approved month goes out whole: every cell of its catalogue, zeros included, each with its
DHIS2 address."""

from __future__ import annotations

from caseworker.dhis2.data import Address, Grid, PerCells, figures
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period

CATALOGUE = load_default_catalogue()
JANUARY = Period(2026, 1)


def test_the_grid_is_every_active_cell_in_catalogue_order():
    cells = Grid.of(CATALOGUE).cells
    assert len(cells) == sum(len(CATALOGUE.cells(i)) for i in CATALOGUE.active_indicators())
    assert cells[0] == CellKey.of("NEW_APPLICANTS", {"age": "0-17"})
    assert CellKey("WITH_CHILDREN") in cells


def test_a_month_is_filled_with_zeros_and_keeps_a_figure_outside_the_grid():
    grid = Grid.of(CATALOGUE)
    outside = CellKey.of("NEW_APPLICANTS", {"age": "retired-option"})
    month = grid.month("konak-3f9a", JANUARY, {CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 4, outside: 1})
    values = month.figures()
    assert len(values) == len(grid.cells) + 1
    assert values[CellKey.of("NEW_APPLICANTS", {"age": "0-17"})] == 0
    assert values[CellKey.of("NEW_APPLICANTS", {"age": "25-34"})] == 4
    assert month.cells[-1] == outside and month.values[-1] == 1
    assert grid.month("konak-3f9a", JANUARY, {}).cells is grid.cells


def test_each_figure_has_its_codes():
    grid = Grid((CellKey.of("VIOLENCE_TYPE", {"violence": "sexual"}), CellKey("WITH_CHILDREN")))
    first, second = figures(grid.month("konak-3f9a", JANUARY, {CellKey.of("VIOLENCE_TYPE", {"violence": "sexual"}): 3}))
    assert first == (Address("CW_VIOLENCE_TYPE", "CW_VIOLENCE_SEXUAL", (("CW_VIOLENCE", "CW_VIOLENCE_SEXUAL"),)), 3)
    assert second == (Address("CW_WITH_CHILDREN", None, ()), 0)


def test_a_writer_works_out_each_tuple_of_cells_once():
    grid = Grid.of(CATALOGUE)
    made = []
    per_cells = PerCells(lambda found: made.append(len(found)) or len(found))
    for period in (JANUARY, JANUARY.next()):
        assert per_cells(grid.month("konak-3f9a", period, {}).cells) == len(grid.cells)
    assert made == [len(grid.cells)]
