"""A coordinator's store filled the real way for the city report tests: three centres in two
districts record known contacts, submit some months, and send real bundles that the
coordinator imports (as in ``tests/app/test_sync.py``).

The centres' own figures are kept (``CityStore.figures``) so that tests compare the report with
the sum of what the centres hold, not with the coordinator's word for it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import sync_import, sync_keys, sync_outbox
from caseworker.app.session import Session, initialise
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from tests.conftest import PASSPHRASE

FIRST, LAST = Period(2026, 1), Period(2026, 3)
COORDINATOR_NAME = "İzmir BB Kadın Çalışmaları Şube Müdürlüğü"
ENROLLED_AT = "2025-12-01T09:00:00+00:00"


@dataclass(frozen=True)
class CentrePlan:
    name: str
    district: str
    new_applicants: Mapping[Period, int]
    follow_ups: Mapping[Period, int]
    submitted_on_time: tuple[Period, ...] = ()
    submitted_late: tuple[Period, ...] = ()


PLANS = (
    CentrePlan("Konak Kadın Danışma Merkezi", "Konak", {Period(2026, 1): 9, Period(2026, 2): 7, Period(2026, 3): 12,
                                                        Period(2025, 1): 6, Period(2025, 3): 4},
               {Period(2026, 1): 4, Period(2026, 2): 3, Period(2026, 3): 5}, (Period(2026, 1),), (Period(2026, 2),)),
    CentrePlan("Alsancak Kadın Dayanışma Evi", "Konak", {Period(2026, 1): 3, Period(2026, 3): 5},
               {Period(2026, 1): 1, Period(2026, 3): 2}, (), (Period(2026, 1),)),
    CentrePlan("Çiğli Kadın Danışma Merkezi", "Çiğli", {Period(2026, 1): 2, Period(2026, 2): 6, Period(2026, 3): 1},
               {Period(2026, 2): 2}, (Period(2026, 1),), ()),
)


def new_applicant(rng: random.Random) -> dict[str, object]:
    return {
        "age": rng.choice(["18-24", "25-34", "25-34", "35-44", "45-54"]),
        "status": rng.choice(["citizen", "citizen", "temporary_protection"]),
        "source": rng.choice(["self", "self", "alo183", "police", "ngo"]),
        "violence": rng.sample(["physical", "psychological", "economic", "sexual", "digital"], rng.randint(1, 3)),
        "perpetrator": rng.sample(["spouse", "former_spouse", "family"], 1),
        "referral": rng.sample(["legal_aid", "sonim", "shelter"], rng.randint(0, 2)),
        "protective_order": rng.random() < 0.3,
        "children": rng.random() < 0.5,
    }


def follow_up(rng: random.Random) -> dict[str, object]:
    return {"age": rng.choice(["25-34", "35-44"]), "session": rng.choice(["psychological", "social", "legal"])}


@dataclass
class CityStore:
    coordinator: Session
    home: Path
    plans: tuple[CentrePlan, ...]
    figures: dict[str, dict[Period, dict[CellKey, int]]] = field(default_factory=dict)

    def district_sum(self, district: str, periods: tuple[Period, ...], indicator: str) -> int:
        return sum(value for plan in self.plans if plan.district == district for period in periods
                   for cell, value in self.figures[plan.name].get(period, {}).items() if cell.indicator == indicator)

    def centre_sum(self, name: str, periods: tuple[Period, ...], indicator: str) -> int:
        return sum(value for period in periods for cell, value in self.figures[name].get(period, {}).items() if cell.indicator == indicator)

    def city_cells(self, periods: tuple[Period, ...], indicator: str) -> dict[CellKey, int]:
        summed: dict[CellKey, int] = {}
        for plan in self.plans:
            for period in periods:
                for cell, value in self.figures[plan.name].get(period, {}).items():
                    if cell.indicator == indicator:
                        summed[cell] = summed.get(cell, 0) + value
        return summed


def enrol(centre: Session, coordinator: Session, at: str = ENROLLED_AT) -> None:
    """Enrol the centre as if at ``at`` (December 2025: the months of 2026 are expected from it)."""
    request = sync_keys.enrolment_request(centre)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync_keys, "now_utc", lambda: at)
        sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
    profile = sync_keys.profile(coordinator)
    sync_keys.pin_profile(centre, profile, profile.fingerprint)


def _send(centre: Session, coordinator: Session, at: datetime | None) -> None:
    """Export what changed and import every bundle of the outbox (submitting a month exports one
    by itself); bundles imported before come back as duplicates."""
    sync_outbox.export_bundle(centre)
    paths = sorted(centre.store.paths.outbox.glob("*.cwbundle"))
    with pytest.MonkeyPatch.context() as patch:
        if at is not None:
            patch.setattr(sync_import, "now_utc", lambda: at.isoformat())
        outcomes = sync_import.import_bundles(coordinator, paths)
    assert {o.status for o in outcomes} <= {"imported", "duplicate"}, outcomes


def build_city_store(folder: Path, plans: tuple[CentrePlan, ...] = PLANS, seed: int = 11, enrolled_at: str = ENROLLED_AT) -> CityStore:
    """The coordinator's store (left open) and each centre's own figures. Months submitted on time
    arrive in a bundle imported before the deadline (the import's clock set to the 5th of the
    following month); everything else arrives in a second bundle, imported now."""
    coordinator, _ = initialise(folder / "coordinator", store_role=StoreRole.COORDINATOR, name=COORDINATOR_NAME, district="",
                                user_name="koord", passphrase=PASSPHRASE)
    built = CityStore(coordinator, folder / "coordinator", plans)
    rng = random.Random(seed)
    for index, plan in enumerate(plans):
        centre, _ = initialise(folder / f"centre{index}", store_role=StoreRole.CENTRE, name=plan.name, district=plan.district,
                               user_name="ayse", passphrase=PASSPHRASE)
        with centre:
            enrol(centre, coordinator, enrolled_at)
            book = counts_uc.TallyBook(centre)
            early = set(plan.submitted_on_time)
            periods = sorted(set(plan.new_applicants) | set(plan.follow_ups))
            for round_periods, at in ((sorted(early), True), ([p for p in periods if p not in early], False)):
                for period in round_periods:
                    for _ in range(plan.new_applicants.get(period, 0)):
                        book.record(period, "new_applicant", new_applicant(rng))
                    for _ in range(plan.follow_ups.get(period, 0)):
                        book.record(period, "follow_up", follow_up(rng))
                    if period in early or period in plan.submitted_late:
                        months_uc.submit(centre, period)
                if round_periods:
                    moment = datetime(round_periods[-1].next().year, round_periods[-1].next().month, 5, 12, tzinfo=timezone.utc) if at else None
                    _send(centre, coordinator, moment)
            built.figures[plan.name] = {period: dict(counts_uc.month_counts(centre, period).values) for period in periods}
    return built
