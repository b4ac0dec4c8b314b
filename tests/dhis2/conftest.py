"""Approved months made from the catalogue, with known figures, for the writers' tests."""

from __future__ import annotations

import random

import pytest

from caseworker.dhis2.data import ApprovedMonth, Grid
from caseworker.dhis2.metadata import CentreUnit
from caseworker.domain.catalogue import load_default_catalogue
from caseworker.domain.periods import Period

CATALOGUE = load_default_catalogue()
CENTRES = (CentreUnit("konak-3f9a", "Konak KDM", "Konak"), CentreUnit("buca-77aa", "Buca KDM", "Buca"))


@pytest.fixture
def months() -> list[ApprovedMonth]:
    """Two centres, three months each; about half the cells hold a figure, the rest are zeros."""
    rng = random.Random(5)
    made = Grid.of(CATALOGUE)
    found = []
    for centre in CENTRES:
        for period in (Period(2026, 1), Period(2026, 2), Period(2026, 3)):
            stored = {cell: rng.randint(1, 40) for cell in made.cells if rng.random() < 0.5}
            found.append(made.month(centre.centre_id, period, stored))
    return found
