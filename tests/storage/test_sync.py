"""The coordinator's centre figures in the store: a range's indicator totals equal the cells held."""

from __future__ import annotations

import random

from caseworker.app import catalogue as catalogue_uc
from caseworker.app.session import initialise
from caseworker.domain.counts import KEY_MODULUS, KeyedCount
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.stats.aggregate import totals
from caseworker.storage import sync as sync_repo
from tests.conftest import PASSPHRASE


def test_indicator_totals_of_a_range_are_the_sums_of_the_cells(tmp_path):
    session, _ = initialise(tmp_path / "koord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)
    rng = random.Random(5)
    with session:
        catalogue = catalogue_uc.current(session)
        cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
        months = [Period(2025, 11).plus(i) for i in range(4)]
        with session.transaction() as conn:
            for number, district in enumerate(("Konak", "Buca")):
                centre_id = f"centre-{number}"
                sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"{district} KDM", district, "2025-01-01T00:00:00+00:00"))
                for sequence, period in enumerate(months, start=1):
                    values = {cell: KeyedCount(rng.randint(0, 3), rng.randrange(KEY_MODULUS)) for cell in rng.sample(cells, 40)}
                    sync_repo.replace_centre_month(conn, centre_id, str(period), "submitted", sequence, f"b{number}{sequence}", catalogue.version,
                                                   values, values, "2026-03-01T00:00:00+00:00")
        with session.reading() as conn:
            found = sync_repo.indicator_totals(conn, str(months[1]), str(months[2]))
            expected = {(centre_id, str(period)): totals(values) for period in months[1:3]
                        for centre_id, values in sync_repo.centre_values(conn, str(period)).items()}
    assert found == expected and {period for _, period in found} == {"2025-12", "2026-01"} and len(found) == 4
