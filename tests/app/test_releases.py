"""The release grid: which periods a public edition may cover; a city edition issued once and given
again as registered, a year made with its quarters, with the garbage collector held off."""

from __future__ import annotations

import gc
import random

import pytest

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import releases as releases_uc
from caseworker.app.releases import grid_kind
from caseworker.app.session import initialise
from caseworker.domain.counts import KEY_MODULUS, KeyedCount
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.storage import sync as sync_repo
from tests.conftest import PASSPHRASE


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


# ---------------------------------------------------------------------------- issuing city editions

YEAR = (Period(2025, 1), Period(2025, 12))
QUARTERS = tuple((Period(2025, month), Period(2025, month + 2)) for month in (1, 4, 7, 10))


@pytest.fixture
def coordinator(tmp_path):
    """A coordinator holding every month of 2025 of four centres in three districts, submitted
    with their cell keys, as an import leaves them."""
    session, _ = initialise(tmp_path / "home", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="",
                            user_name="koord", passphrase=PASSPHRASE)
    rng = random.Random(5)
    catalogue = catalogue_uc.current(session)
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    with session.transaction() as conn:
        for number, district in enumerate(("Buca", "Konak", "Konak", "Çiğli")):
            centre_id = f"centre-{number}"
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"{district} {number}", district, "2024-12-01T09:00:00+00:00"))
            for offset in range(12):
                period = YEAR[0].plus(offset)
                values = {cell: KeyedCount(value, rng.randrange(KEY_MODULUS)) for cell in cells if (value := rng.choice((0, 1, 3, 8)))}
                sync_repo.replace_centre_month(conn, centre_id, str(period), "submitted", offset + 1, f"{number}-{offset}", catalogue.version,
                                               values, values, f"{period.next()}-03T10:00:00+00:00")
    with session:
        yield session


def _forget(session, first, last):
    with session.transaction() as conn:
        conn.execute("DELETE FROM releases WHERE first = ? AND last = ?", (str(first), str(last)))


def test_a_year_summed_from_its_quarters_is_the_year_summed_from_its_months(coordinator):
    at_once = releases_uc.issue_city(coordinator, *YEAR)  # its quarters are made first, the year from their sums
    assert {(e.first, e.last) for e in releases_uc.releases(coordinator)} == {YEAR, *QUARTERS}
    _forget(coordinator, *YEAR)
    alone = releases_uc.issue_city(coordinator, *YEAR)  # its quarters are in the register: the year from its months
    assert not alone.reissued
    assert alone.edition.canonical_bytes() == at_once.edition.canonical_bytes()
    assert alone.figures_hash == at_once.figures_hash == at_once.edition.figures_hash()


def test_an_edition_given_again_is_the_one_registered(coordinator):
    issued = releases_uc.issue_city(coordinator, *YEAR)
    quarter = releases_uc.released(coordinator, "city", *QUARTERS[1])
    again = releases_uc.issue_city(coordinator, *YEAR)
    assert again.reissued and again.issued_at == issued.issued_at and again.figures_hash == issued.figures_hash
    assert again.edition.canonical_bytes() == issued.edition.canonical_bytes()
    assert releases_uc.issue_city(coordinator, *QUARTERS[1]).edition.canonical_bytes() == quarter.canonical_bytes()
    listed = releases_uc.releases(coordinator)  # the register's list: oldest period first, each with its hash and issuer
    assert [(entry.first, entry.last) for entry in listed] == sorted([*QUARTERS, YEAR])
    year = next(entry for entry in listed if (entry.first, entry.last) == YEAR)
    assert (year.scope, year.issued_at, year.issued_by, year.figures_hash) == ("city", issued.issued_at, issued.issued_by, issued.figures_hash)


def test_a_year_given_again_issues_a_quarter_missing_from_the_register(coordinator):
    releases_uc.issue_city(coordinator, *YEAR)
    second = releases_uc.released(coordinator, "city", *QUARTERS[1])
    _forget(coordinator, *QUARTERS[1])
    assert releases_uc.issue_city(coordinator, *YEAR).reissued
    made_again = releases_uc.released(coordinator, "city", *QUARTERS[1])
    assert made_again is not None and made_again.canonical_bytes() == second.canonical_bytes()


def test_a_year_is_issued_with_the_collector_off_which_runs_again_after_it(coordinator, monkeypatch):
    seen = []
    build = releases_uc.build_city_year

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(releases_uc, "build_city_year", watched)
    assert gc.isenabled()
    releases_uc.issue_city(coordinator, *YEAR)
    assert seen == [False] and gc.isenabled()


def test_a_fault_while_issuing_registers_nothing_and_lets_the_collector_run_again(coordinator, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("a fault while making the editions")

    monkeypatch.setattr(releases_uc, "build_city_year", failing)
    with pytest.raises(RuntimeError):
        releases_uc.issue_city(coordinator, *YEAR)
    assert gc.isenabled()
    assert releases_uc.releases(coordinator) == []
