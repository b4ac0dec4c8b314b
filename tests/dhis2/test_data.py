"""An approved month goes out whole: every cell of its catalogue, zeros included."""

from __future__ import annotations

from caseworker.dhis2.data import ApprovedMonth, data_values, full_month, grid
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period

CATALOGUE = load_default_catalogue()


def test_the_grid_is_every_active_cell_in_catalogue_order():
    cells = grid(CATALOGUE)
    assert len(cells) == sum(len(CATALOGUE.cells(i)) for i in CATALOGUE.active_indicators())
    assert cells[0] == CellKey.of("NEW_APPLICANTS", {"age": "0-17"})
    assert CellKey("WITH_CHILDREN") in cells


def test_a_month_is_filled_with_zeros_and_keeps_a_figure_outside_the_grid():
    outside = CellKey.of("NEW_APPLICANTS", {"age": "retired-option"})
    values = full_month(grid(CATALOGUE), {CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): 4, outside: 1})
    assert len(values) == len(grid(CATALOGUE)) + 1
    assert values[CellKey.of("NEW_APPLICANTS", {"age": "0-17"})] == 0
    assert values[CellKey.of("NEW_APPLICANTS", {"age": "25-34"})] == 4
    assert list(values)[-1] == outside


def test_each_figure_becomes_a_data_value_with_its_codes():
    month = ApprovedMonth("konak-3f9a", Period(2026, 1), {CellKey.of("VIOLENCE_TYPE", {"violence": "sexual"}): 3, CellKey("WITH_CHILDREN"): 0})
    first, second = data_values(month)
    assert (first.data_element, first.category_option_combo, first.categories, first.value) == (
        "CW_VIOLENCE_TYPE", "CW_VIOLENCE_SEXUAL", (("CW_VIOLENCE", "CW_VIOLENCE_SEXUAL"),), 3)
    assert (second.data_element, second.category_option_combo, second.categories, second.value) == ("CW_WITH_CHILDREN", None, (), 0)
