"""The coordinator demo holds a real city: 30 districts, their centres enrolled the real way, two
years of months that came as real bundles through the import, some late, missing or reopened."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest

from caseworker.app import centre_overview, coordination, releases, sync_import
from caseworker.app.demo import DEMO_PASSPHRASE, DEMO_USER
from caseworker.app.demo_city import MONTHS, create_demo_city
from caseworker.app.session import Credentials, unlock
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.periods import Period, months_between
from caseworker.domain.users import StoreRole
from caseworker.storage import audit
from caseworker.storage import sync as sync_repo

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=timezone.utc)
DEADLINE_DAY = 10  # the settings' default


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    built = create_demo_city(tmp_path_factory.mktemp("city") / "home", now=NOW)
    yield built
    built.session.close()


def test_the_demo_is_a_coordinator_store_opened_with_the_demo_passphrase(city):
    assert city.session.store_role is StoreRole.COORDINATOR
    with unlock(city.session.home, Credentials(DEMO_USER, DEMO_PASSPHRASE)) as again:
        assert again.info.name == city.session.info.name


def test_every_district_of_izmir_has_one_to_three_enrolled_centres(city):
    centres = coordination.centres(city.session)
    per_district = Counter(centre.district for centre in centres)
    assert set(per_district) == set(IZMIR_DISTRICTS)
    assert all(1 <= count <= 3 for count in per_district.values())
    keys = coordination.centre_keys(city.session)
    assert {key.centre_id for key in keys if key.revoked_at is None} == {centre.centre_id for centre in centres}
    with city.session.reading() as conn:
        accepted = [entry for entry in audit.latest(conn, 100_000) if entry.action == "enrol.accept"]
    # each enrolled through the real enrolment, with the fingerprint of its request
    assert sorted(entry.subject for entry in accepted) == sorted(f"{c.centre_id} {c.request().fingerprint}" for c in city.centres)


def test_two_years_of_months_arrived_through_the_import_as_of_the_days_they_came(city):
    assert (city.first, city.last) == (Period(2024, 11), Period(2026, 10)) and len(months_between(city.first, city.last)) == MONTHS
    log = sync_import.import_log(city.session, 100_000)
    assert Counter(entry.status for entry in log) == {"imported": city.bundles_imported}
    assert city.bundles_imported > 30 * MONTHS * 0.9
    with city.session.reading() as conn:
        held = sync_repo.centre_months(conn, str(city.first), str(city.last))
        imports = [entry for entry in audit.latest(conn, 100_000) if entry.action == "sync.import"]
    assert {month.period for month in held} == {str(period) for period in months_between(city.first, city.last)}
    assert len(imports) == city.bundles_imported
    # the clock was replayed: the first months came two years ago, nothing after now
    assert min(entry.at for entry in log) < "2025-01" and max(entry.at for entry in log) <= NOW.isoformat()


def test_the_coordinator_holds_exactly_what_the_centres_sent(city):
    checked = 0
    with city.session.reading() as conn:
        for period in months_between(city.first, city.last):
            held = sync_repo.centre_values(conn, str(period))
            sent = {centre_id: months[str(period)] for centre_id, months in city.held.items() if str(period) in months}
            assert set(held) <= set(sent), period
            for centre_id, (status, figures) in sent.items():
                assert held.get(centre_id, {}) == {cell: value for cell, value in figures.items() if value}, (centre_id, period)
                assert sync_repo.centre_month(conn, centre_id, str(period)).status == status
                checked += 1
    assert checked > 900
    period = city.last.plus(-3)
    city_total = coordination.consolidated(city.session, period).values
    assert sum(v for c, v in city_total.items() if c.indicator == "NEW_APPLICANTS") == sum(
        v for months in city.held.values() for c, v in months.get(str(period), ("", {}))[1].items() if c.indicator == "NEW_APPLICANTS")


def test_some_months_are_late_some_missing_some_reopened_and_one_bundle_lost(city):
    rate = coordination.reporting_rate(city.session, city.first, city.last, DEADLINE_DAY, NOW.date())
    cells = [cell for cell in rate.cells.values() if cell.expected]
    on_time = sum(cell.on_time for cell in cells)
    late = sum(cell.received and not cell.on_time for cell in cells)
    missing = sum(not cell.received for cell in cells)
    assert on_time > 0.7 * len(cells) and late > 20 and missing > 3
    assert any(cell.status == "reopened" for cell in cells)
    assert sync_import.gaps(city.session)  # the lost bundle
    # reopened and approved again: the second bundle's figures replaced the first, which are kept
    # as first submitted, with the centres' own cell keys (format 2), for public editions
    changed = 0
    with city.session.reading() as conn:
        for period in months_between(city.first, city.last):
            bases = sync_repo.centre_bases(conn, str(period), keyed_only=True)
            values = sync_repo.centre_values(conn, str(period))
            changed += sum(1 for centre_id, basis in bases.items() if {c: k.value for c, k in basis.items()} != values.get(centre_id))
        assert sync_repo.centres_with_basis(conn, str(city.first), str(city.last), keyed_only=True) == \
            sync_repo.centres_with_basis(conn, str(city.first), str(city.last))
    assert changed >= 3


def test_figures_follow_the_size_of_the_district(city):
    def yearly(district: str) -> int:
        ids = {c.centre_id for c in city.centres if c.district == district}
        return sum(value for centre_id in ids for _status, figures in city.held[centre_id].values()
                   for cell, value in figures.items() if cell.indicator == "NEW_APPLICANTS")

    large = [yearly(district) for district in ("Konak", "Karşıyaka", "Buca", "Bornova")]
    small = [yearly(district) for district in ("Karaburun", "Beydağ", "Kiraz")]
    assert min(large) > 2.5 * max(small)


def test_the_centres_overview_shows_each_centres_year(city):
    found = centre_overview.overview(city.session, 2026, today=NOW.date())
    assert len(found.centres) == len(city.centres) and found.years == [2026, 2025, 2024]
    for summary in found.centres:
        done = summary.completeness
        assert done.on_time + done.late + done.missing + done.awaited == done.expected
        assert summary.fingerprint and summary.last_bundle is not None
    assert sum(s.completeness.late for s in found.centres) > 0 and sum(s.completeness.missing for s in found.centres) > 0


def test_the_older_quarters_are_complete_and_a_public_edition_can_be_issued(city):
    issued = releases.issue_city(city.session, Period(2025, 4), Period(2025, 6), today=NOW.date())
    assert issued.edition.scope == "city" and issued.edition.figures and set(IZMIR_DISTRICTS) <= set(issued.edition.areas)
    recent = coordination.reporting_rate(city.session, city.last.plus(-2), city.last, DEADLINE_DAY, NOW.date())
    assert any(cell.expected and not cell.received for cell in recent.cells.values())  # the last months are not complete
