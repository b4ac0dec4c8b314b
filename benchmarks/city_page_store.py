"""A coordinator's store for the City page benchmark and screenshots: 30 centres in 22 of
İzmir's districts (8 districts without a centre), each sending the 24 months up to last month as
real signed bundles through the real import path (``tests/reports/city_stores.py``). Most
months are submitted on time, some late, some never submitted, a few never sent."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.domain.districts import IZMIR_DISTRICTS  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from tests.reports.city_stores import CentrePlan, CityStore, build_city_store  # noqa: E402

CENTRES = 30
MONTHS = 24


def plans(seed: int = 2026, centres: int = CENTRES, months: int = MONTHS) -> tuple[CentrePlan, ...]:
    rng = random.Random(seed)
    districts = sorted(rng.sample(IZMIR_DISTRICTS, 22))
    last = Period.current().previous()
    periods = [last.plus(-offset) for offset in range(months - 1, -1, -1)]
    made = []
    for number in range(centres):
        district = districts[number % len(districts)]
        size = rng.choice([1, 2, 3, 4, 6])
        sent = [p for p in periods if rng.random() > 0.05]
        new = {p: max(0, int(rng.gauss(size, size / 2))) for p in sent}
        follow = {p: max(0, int(rng.gauss(size / 2, size / 3))) for p in sent}
        new = {p: max(1, v) if not follow[p] else v for p, v in new.items()}  # a month sent holds at least one contact
        on_time = tuple(p for p in sent if p != last and rng.random() < 0.8)
        late = tuple(p for p in sent if p not in on_time and rng.random() < 0.6)
        made.append(CentrePlan(f"{district} Kadın Danışma Merkezi {number + 1}", district, new, follow, on_time, late))
    return tuple(made)


def build(folder: Path, centres: int = CENTRES, months: int = MONTHS) -> CityStore:
    return build_city_store(folder, plans(centres=centres, months=months))
