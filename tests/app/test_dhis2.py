"""DHIS2 exchange on a coordinator's store filled through real bundles: only approved
centre-months go out, each as the centre last sent it; the exports validate, refer only to the
metadata package the store writes, and add up to the coordinator's internal city figures."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseworker.app import coordination, sync_import, sync_outbox
from caseworker.app import counts as counts_uc
from caseworker.app import dhis2 as dhis2_uc
from caseworker.app import months as months_uc
from caseworker.dhis2 import codes
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, months_between
from caseworker.errors import Conflict, InvalidInput
from caseworker.storage import audit
from tests.dhis2.references import Package, adx_errors, data_value_set_errors, read_adx, read_data_value_set
from tests.reports.city_stores import LAST, PLANS, CityStore, build_city_store, new_applicant

FIRST = Period(2025, 1)  # the Konak centre also counted two months of 2025 (left open)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityStore]:
    """Three centres; some months approved (on time or late), others left open."""
    store = build_city_store(tmp_path_factory.mktemp("dhis2-city"))
    yield store
    store.coordinator.close()


@pytest.fixture(scope="module")
def approved_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityStore]:
    """The same three centres with every month they counted approved."""
    plans = tuple(dataclasses.replace(plan, submitted_late=tuple(sorted(set(plan.new_applicants) | set(plan.follow_ups) - set(plan.submitted_on_time))))
                  for plan in PLANS)
    store = build_city_store(tmp_path_factory.mktemp("dhis2-approved"), plans)
    yield store
    store.coordinator.close()


def package_of(store: CityStore, folder: Path) -> Package:
    result = dhis2_uc.write_metadata(store.coordinator, folder / "metadata.json")
    return Package(json.loads(result.path.read_text(encoding="utf-8")))


def centre_codes(store: CityStore) -> dict[str, str]:
    """Each centre's name → its organisation unit code."""
    return {c.name: codes.centre(c.centre_id) for c in coordination.centres(store.coordinator)}


def keyed(values: dict[CellKey, int]) -> Counter:
    """Figures by (data element, category options), as the package's ``totals`` keys them; zeros dropped."""
    return Counter({(codes.data_element(cell.indicator), frozenset(codes.category_option(d, o) for d, o in cell.options)): value
                    for cell, value in values.items() if value})


def nonzero(counter: Counter) -> Counter:
    return Counter({key: value for key, value in counter.items() if value})


def test_only_approved_centre_months_go_out_each_whole(city, tmp_path):
    result = dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path / "city.xml")
    figures = read_adx(result.path.read_bytes())
    approved = {(centre_codes(city)[plan.name], f"{period.first_day.isoformat()}/P1M")
                for plan in PLANS for period in (*plan.submitted_on_time, *plan.submitted_late)}
    assert {(f.org_unit, f.period) for f in figures} == approved
    assert result.months == len(approved) == 4
    held = sum(len(set(plan.new_applicants) | set(plan.follow_ups)) for plan in PLANS)
    assert result.not_approved == held - len(approved)
    per_month = Counter((f.org_unit, f.period) for f in figures)
    assert set(per_month.values()) == {result.values // result.months}
    for plan in PLANS:
        for period in (*plan.submitted_on_time, *plan.submitted_late):
            key = (centre_codes(city)[plan.name], f"{period.first_day.isoformat()}/P1M")
            mine = [f for f in figures if (f.org_unit, f.period) == key]
            assert sum(f.value for f in mine) == sum(city.figures[plan.name][period].values())


def test_both_formats_validate_and_refer_only_to_the_metadata_package(city, tmp_path):
    package = package_of(city, tmp_path)
    adx_file = dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path / "city.adx").path
    json_file = dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path / "city.json", "json").path
    assert adx_errors(adx_file.read_bytes()) == []
    assert data_value_set_errors(json_file.read_bytes()) == []
    from_adx, from_json = read_adx(adx_file.read_bytes()), read_data_value_set(json_file.read_bytes())
    assert package.problems(from_adx) == [] and package.problems(from_json) == []
    assert package.totals(from_adx) == package.totals(from_json)
    assert {f.org_unit for f in from_json} <= set(package.units) and len(package.units) == 1 + 30 + len(PLANS)


def test_the_exported_sums_equal_the_internal_city_figures(approved_city, tmp_path):
    package = package_of(approved_city, tmp_path)
    session = approved_city.coordinator
    city_figures = Counter()
    for period in months_between(FIRST, LAST):
        city_figures.update(keyed(coordination.consolidated(session, period).values))
    assert sum(city_figures.values()) > 100
    for name, format in (("city.xml", "adx"), ("city.json", "json")):
        result = dhis2_uc.export(session, FIRST, LAST, tmp_path / name, format)
        figures = read_adx(result.path.read_bytes()) if format == "adx" else read_data_value_set(result.path.read_bytes())
        assert result.not_approved == 0
        assert nonzero(package.totals(figures)) == city_figures
    own = Counter()
    for plan in PLANS:
        for values in approved_city.figures[plan.name].values():
            own.update(keyed(values))
    assert own == city_figures


def send(centre, coordinator) -> None:
    sync_outbox.export_bundle(centre)
    outcomes = sync_import.import_bundles(coordinator, sorted(centre.store.paths.outbox.glob("*.cwbundle")))
    assert {o.status for o in outcomes} <= {"imported", "duplicate"}, outcomes


def exported(coordinator, folder: Path, first: Period, last: Period) -> dict[tuple[str, str, str | None], int]:
    result = dhis2_uc.export(coordinator, first, last, folder / "figures.json", "json")
    return {(v["period"], v["dataElement"], v.get("categoryOptionCombo")): int(v["value"])
            for v in json.loads(result.path.read_bytes())["dataValues"]}


def test_a_month_reopened_and_approved_again_goes_out_with_its_new_figures(pair, tmp_path):
    centre, coordinator = pair
    january, february = Period(2026, 1), Period(2026, 2)
    book, rng = counts_uc.TallyBook(centre), random.Random(3)
    spouse = CellKey.of("PERPETRATOR", {"perpetrator": "spouse"})
    for period in (january, february):
        for _ in range(4):
            book.record(period, "new_applicant", {**new_applicant(rng), "perpetrator": ["spouse"]})
        months_uc.submit(centre, period)
    send(centre, coordinator)
    before = exported(coordinator, tmp_path, january, february)
    assert before[("202601", "CW_PERPETRATOR", "CW_PERPETRATOR_SPOUSE")] == 4
    assert before[("202601", "CW_NEW_APPLICANTS", "CW_AGE_0-17")] == 0

    months_uc.reopen(centre, january, "correction")
    counts_uc.set_counts(centre, january, {spouse: 0, CellKey.of("PERPETRATOR", {"perpetrator": "family"}): 4})
    book.record(january, "new_applicant", {**new_applicant(rng), "age": "0-17", "perpetrator": ["family"]})
    send(centre, coordinator)
    while_open = exported(coordinator, tmp_path, january, february)
    assert {period for period, _, _ in while_open} == {"202602"}

    months_uc.submit(centre, january)
    send(centre, coordinator)
    after = exported(coordinator, tmp_path, january, february)
    now = counts_uc.month_counts(centre, january).values
    assert after[("202601", "CW_PERPETRATOR", "CW_PERPETRATOR_SPOUSE")] == 0
    assert after[("202601", "CW_PERPETRATOR", "CW_PERPETRATOR_FAMILY")] == 5
    assert after[("202601", "CW_NEW_APPLICANTS", "CW_AGE_0-17")] == now[CellKey.of("NEW_APPLICANTS", {"age": "0-17"})] >= 1
    assert sum(v for (p, _, _), v in after.items() if p == "202601") == sum(now.values())
    assert {k: v for k, v in after.items() if k[0] == "202602"} == {k: v for k, v in before.items() if k[0] == "202602"}


def test_nothing_approved_is_said_and_nothing_is_written(pair, tmp_path):
    centre, coordinator = pair
    counts_uc.TallyBook(centre).record(Period(2026, 1), "new_applicant", new_applicant(random.Random(1)))
    send(centre, coordinator)
    with pytest.raises(Conflict, match="2026-01"):
        dhis2_uc.export(coordinator, Period(2026, 1), Period(2026, 3), tmp_path / "none.xml")
    assert not (tmp_path / "none.xml").exists()


def test_a_centre_store_is_told_that_the_exchange_is_the_coordinators(centre, tmp_path):
    for call in (lambda: dhis2_uc.write_metadata(centre.session, tmp_path / "m.json"),
                 lambda: dhis2_uc.export(centre.session, Period(2026, 1), Period(2026, 2), tmp_path / "d.xml")):
        with pytest.raises(Conflict, match="koordinatör"):
            call()
    assert not (tmp_path / "m.json").exists() and not (tmp_path / "d.xml").exists()


def test_bad_arguments_are_refused_before_anything_is_written(city, tmp_path):
    with pytest.raises(InvalidInput):
        dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path / "x.csv", "csv")
    with pytest.raises(InvalidInput):
        dhis2_uc.export(city.coordinator, LAST, FIRST, tmp_path / "x.xml")
    with pytest.raises(InvalidInput):
        dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_both_commands_are_in_the_audit_log(city, tmp_path):
    dhis2_uc.write_metadata(city.coordinator, tmp_path / "m.json")
    dhis2_uc.export(city.coordinator, FIRST, LAST, tmp_path / "d.json", "json")
    with city.coordinator.reading() as conn:
        newest_first = audit.latest(conn)
    entries: dict[str, str | None] = {}
    for entry in newest_first:
        entries.setdefault(entry.action, entry.subject)
    assert entries["dhis2.metadata"] == "3 centres"
    assert entries["dhis2.export"] == "2025-01 2026-03 json 4 months"


def test_the_metadata_package_lists_the_enrolled_centres_under_their_districts(city, tmp_path):
    package = package_of(city, tmp_path)
    centres = coordination.centres(city.coordinator)
    for found in centres:
        unit = package.units[codes.centre(found.centre_id)]
        assert unit["name"] == found.name
        assert package.target(unit["parent"])["name"] == found.district
