"""The release grid: which periods a public edition may cover."""

from __future__ import annotations

import pytest

from caseworker.app.releases import grid_kind
from caseworker.domain.periods import Period


@pytest.mark.parametrize(("first", "last", "kind"), [
    ("2026-03", "2026-03", "month"),
    ("2026-01", "2026-03", "quarter"),
    ("2026-10", "2026-12", "quarter"),
    ("2026-01", "2026-12", "year"),
    ("2026-02", "2026-04", None),  # three months, but not a calendar quarter
    ("2026-01", "2026-02", None),
    ("2026-07", "2027-06", None),  # twelve months, but not a calendar year
    ("2026-01", "2027-12", None),
])
def test_only_calendar_months_quarters_and_years_are_on_the_grid(first, last, kind):
    assert grid_kind(Period.parse(first), Period.parse(last)) == kind
