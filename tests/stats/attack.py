"""Helpers of the attacker test (``tests/stats/test_public_attack.py``): a city built the real way,
its public editions, and a reader who combines every published figure in an integer program.

The city: real centre stores record contacts with ``counts_uc.TallyBook`` (plus a few hand
edits with ``counts_uc.set_counts``), submit every month of 2025 with ``months_uc.submit``, and
send real bundles that a coordinator store imports (as ``tests/reports/city_stores.py`` does).
Record keys come from a seeded generator, so that a run is reproducible and two stores built
from the same plan hold the same keys.

The reader (``Attack``) knows only the editions' JSON, the catalogue, the perturbation table
and which centres are in which district; ``Attack.run`` says, for each target, whether the
published figures pin its true value (its smallest and largest possible value are equal).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import releases as releases_uc
from caseworker.app import sync_import, sync_outbox
from caseworker.app.session import Session, initialise
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, months_between
from caseworker.domain.text import tr_sort_key
from caseworker.domain.users import StoreRole
from caseworker.stats.perturbation import PerturbationTable
from caseworker.stats.publication import (
    CITY,
    OTHER_DISTRICTS,
    PublicEdition,
    base_indicator,
)
from tests.conftest import PASSPHRASE
from tests.reports.city_stores import enrol

YEAR = 2025
MONTHS = tuple(Period(YEAR, month) for month in range(1, 13))
QUARTERS = tuple(MONTHS[index:index + 3] for index in range(0, 12, 3))
Q1 = QUARTERS[0]
COORDINATOR_NAME = "İzmir BB Kadın Çalışmaları Şube Müdürlüğü"
ENROLLED_AT = "2024-12-01T09:00:00+00:00"

# ---------------------------------------------------------------------------- the city's plan

LONE_WOMAN = {"age": "65+", "status": "citizen", "source": "alo183", "violence": ["psychological", "economic"],
              "perpetrator": ["family"], "referral": ["social_services"], "protective_order": True, "children": False}
"""The only woman of her district in the first quarter (planted case a)."""

UNIFORM_WOMAN = {"age": "35-44", "status": "citizen", "source": "self", "violence": ["physical", "sexual"],
                 "perpetrator": ["spouse"], "referral": ["legal_aid"], "protective_order": False, "children": False}
"""The profile every woman of one district shares in the first quarter (planted case b)."""

UNIFORM_PER_MONTH = 8
"""Women of the uniform district per month of the first quarter: 24 in the quarter, enough for
the breakdown minimum, so only the one-category rule can hold their breakdowns back (and more
than Çiğli's, so that a reader can tell that it did)."""

LATE_WOMAN = {"age": "55-64", "status": "international_protection", "source": "muhtar", "violence": ["forced_marriage"],
              "perpetrator": ["former_partner"], "referral": ["shelter", "psychiatric"], "protective_order": True, "children": True}
"""The woman recorded late, after January was submitted and the first quarter published (part 2)."""

LONE, UNIFORM = "lone", "uniform"


@dataclass(frozen=True)
class Edit:
    """A hand edit of one cell before the month is submitted: ``change`` added to its value."""

    month: int
    cell: str
    change: int


@dataclass(frozen=True)
class CentrePlan:
    name: str
    district: str
    new_applicants: tuple[int, int]
    follow_ups: tuple[int, int]
    planted: str = ""
    edits: tuple[Edit, ...] = ()


PLANS = (
    CentrePlan("Konak Kadın Danışma Merkezi", "Konak", (30, 50), (8, 16),
               edits=(Edit(1, "AWARENESS_EVENTS[event=seminar]", 2), Edit(1, "AWARENESS_PARTICIPANTS[sex=women]", 41),
                      Edit(1, "AWARENESS_PARTICIPANTS[sex=men]", 3), Edit(3, "EMPOWERMENT_PARTICIPANTS", 12),
                      Edit(7, "AWARENESS_EVENTS[event=campaign]", 1))),
    CentrePlan("Alsancak Kadın Dayanışma Evi", "Konak", (5, 12), (0, 3)),
    CentrePlan("Karşıyaka Kadın Danışma Merkezi", "Karşıyaka", (20, 35), (4, 10), edits=(Edit(5, "EMPOWERMENT_PARTICIPANTS", 2),)),
    CentrePlan("Bornova Kadın Danışma Merkezi", "Bornova", (20, 40), (5, 12)),
    CentrePlan("Evka-3 Kadın Dayanışma Noktası", "Bornova", (3, 8), (0, 2)),
    CentrePlan("Buca Kadın Danışma Merkezi", "Buca", (25, 60), (6, 14),
               edits=(Edit(2, "VIOLENCE_TYPE[violence=psychological]", -1), Edit(2, "AWARENESS_EVENTS[event=workshop]", 1),
                      Edit(2, "AWARENESS_PARTICIPANTS[sex=women]", 17), Edit(9, "REFERRED_TO[referral=legal_aid]", -1))),
    CentrePlan("Çiğli Kadın Danışma Merkezi", "Çiğli", (6, 8), (0, 3), edits=(Edit(2, "EMPOWERMENT_PARTICIPANTS", 3),)),
    CentrePlan("Bayraklı Kadın Danışma Merkezi", "Bayraklı", (3, 8), (0, 2), edits=(Edit(1, "SESSIONS[session=legal]", 2),)),
    CentrePlan("Karabağlar Kadın Danışma Merkezi", "Karabağlar", (4, 10), (0, 2), planted=UNIFORM),
    CentrePlan("Foça Kadın Danışma Merkezi", "Foça", (2, 6), (0, 2), planted=LONE),
)

SMALL_PLANS = (
    CentrePlan("Konak Kadın Danışma Merkezi", "Konak", (6, 12), (1, 3), edits=(Edit(2, "EMPOWERMENT_PARTICIPANTS", 2),)),
    CentrePlan("Alsancak Kadın Dayanışma Evi", "Konak", (2, 5), (0, 1)),
    CentrePlan("Çiğli Kadın Danışma Merkezi", "Çiğli", (3, 7), (0, 2)),
)
LATE_CENTRE = SMALL_PLANS[1].name


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _some(rng: random.Random, weights: Mapping[str, int], low: int, high: int) -> list[str]:
    chosen: list[str] = []
    for _ in range(rng.randint(low, high)):
        option = _weighted(rng, weights)
        if option not in chosen:
            chosen.append(option)
    return chosen


def new_applicant(rng: random.Random) -> dict[str, object]:
    """A woman's answers on the new-applicant form, drawn from rough real-life shares."""
    return {
        "age": _weighted(rng, {"0-17": 1, "18-24": 12, "25-34": 30, "35-44": 28, "45-54": 15, "55-64": 6, "65+": 2, "unknown": 2}),
        "status": _weighted(rng, {"citizen": 80, "temporary_protection": 14, "international_protection": 3, "other_foreign": 3}),
        "source": _weighted(rng, {"self": 40, "alo183": 12, "sonim": 8, "police": 12, "health": 5, "ngo": 8, "muhtar": 2,
                                  "other_institution": 5, "family_friends": 8}),
        "violence": _some(rng, {"physical": 35, "psychological": 40, "economic": 20, "sexual": 8, "digital": 6, "stalking": 5,
                                "forced_marriage": 1, "other": 2}, 1, 3),
        "perpetrator": _some(rng, {"spouse": 55, "former_spouse": 15, "partner": 5, "former_partner": 5, "family": 12,
                                   "acquaintance": 4, "stranger": 2, "unknown": 2}, 1, 2),
        "referral": _some(rng, {"sonim": 20, "shelter": 6, "police": 10, "legal_aid": 25, "health": 8, "social_services": 12,
                                "employment": 6, "education": 3, "childcare": 3, "psychiatric": 4, "other": 3}, 0, 3),
        "protective_order": rng.random() < 0.25,
        "children": rng.random() < 0.45,
    }


def follow_up(rng: random.Random, age: str | None = None) -> dict[str, object]:
    return {"age": age or _weighted(rng, {"18-24": 2, "25-34": 5, "35-44": 5, "45-54": 2, "55-64": 1}),
            "session": _weighted(rng, {"psychological": 3, "social": 3, "legal": 2})}


def month_contacts(plan: CentrePlan, period: Period, rng: random.Random) -> list[tuple[str, dict[str, object]]]:
    """The contacts a centre records in a month, planted cases included."""
    if plan.planted == LONE and period in Q1:
        return [("new_applicant", dict(LONE_WOMAN))] if period.month == 2 else []
    if plan.planted == UNIFORM and period in Q1:
        return ([("new_applicant", dict(UNIFORM_WOMAN))] * UNIFORM_PER_MONTH
                + [("follow_up", follow_up(rng, "35-44")) for _ in range(rng.randint(*plan.follow_ups))])
    contacts = [("new_applicant", new_applicant(rng)) for _ in range(rng.randint(*plan.new_applicants))]
    contacts += [("follow_up", follow_up(rng)) for _ in range(rng.randint(*plan.follow_ups))]
    rng.shuffle(contacts)
    return contacts


# ---------------------------------------------------------------------------- building the stores


@dataclass
class World:
    """The coordinator's store (open), the centres' stores (open) and what each centre held when
    it first submitted each month: the truth behind every public figure."""

    coordinator: Session
    centres: dict[str, Session]
    district_of: dict[str, str]
    truth: dict[tuple[str, Period], dict[CellKey, int]] = field(default_factory=dict)

    def close(self) -> None:
        for session in (*self.centres.values(), self.coordinator):
            session.close()


def seeded_keys(patch: pytest.MonkeyPatch, seed: int) -> None:
    """Record keys (and the keys of hand edits) from a seeded generator, in this process."""
    keys = random.Random(seed)
    patch.setattr(counts_uc, "new_record_key", lambda: keys.getrandbits(32))


def send(centre: Session, coordinator: Session) -> None:
    """Export what changed and import every bundle of the centre's outbox at the coordinator."""
    sync_outbox.export_bundle(centre)
    outcomes = sync_import.import_bundles(coordinator, sorted(centre.store.paths.outbox.glob("*.cwbundle")))
    assert {o.status for o in outcomes} <= {"imported", "duplicate"}, outcomes


def apply_edits(centre: Session, catalogue: Catalogue, period: Period, edits: Iterable[Edit]) -> None:
    values = counts_uc.month_counts(centre, period).values
    changed: dict[CellKey, int] = {}
    for edit in edits:
        cell = counts_uc.parse_cell(catalogue, edit.cell)
        changed[cell] = changed.get(cell, values.get(cell, 0)) + edit.change
        assert changed[cell] >= 0, edit
    if changed:
        counts_uc.set_counts(centre, period, changed)


def build_world(folder: Path, plans: Sequence[CentrePlan], seed: int) -> World:
    """Every centre records and submits each month of 2025 and sends its bundles; the
    coordinator imports them. Record keys are seeded with ``seed``."""
    coordinator, _ = initialise(folder / "coordinator", store_role=StoreRole.COORDINATOR, name=COORDINATOR_NAME, district="",
                                user_name="koord", passphrase=PASSPHRASE)
    world = World(coordinator, {}, {plan.name: plan.district for plan in plans})
    with pytest.MonkeyPatch.context() as patch:
        seeded_keys(patch, seed)
        for index, plan in enumerate(plans):
            centre, _ = initialise(folder / f"centre{index}", store_role=StoreRole.CENTRE, name=plan.name, district=plan.district,
                                   user_name="ayse", passphrase=PASSPHRASE)
            world.centres[plan.name] = centre
            enrol(centre, coordinator, ENROLLED_AT)
            catalogue = catalogue_uc.current(centre)
            book = counts_uc.TallyBook(centre)
            rng = random.Random(f"{seed}/{plan.name}")
            for period in MONTHS:
                for form, answers in month_contacts(plan, period, rng):
                    book.record(period, form, answers)
                apply_edits(centre, catalogue, period, (e for e in plan.edits if e.month == period.month))
                months_uc.submit(centre, period)
                world.truth[(plan.name, period)] = {cell: value for cell, value in counts_uc.month_counts(centre, period).values.items() if value}
            send(centre, coordinator)
    return world


def issue_all(world: World, centre_months: Sequence[Period] = Q1) -> list[dict[str, Any]]:
    """The JSON of every public edition the attacker reads: each centre's months
    ``centre_months``, the city's first quarter, its year and (issued with the year) every quarter."""
    editions = []
    for centre in world.centres.values():
        for period in centre_months:
            editions.append(releases_uc.issue_centre_month(centre, period).edition.to_json())
    editions.append(releases_uc.issue_city(world.coordinator, Q1[0], Q1[-1]).edition.to_json())
    editions.append(releases_uc.issue_city(world.coordinator, MONTHS[0], MONTHS[-1]).edition.to_json())
    for quarter in QUARTERS[1:]:
        edition = releases_uc.released(world.coordinator, "city", quarter[0], quarter[-1])
        assert edition is not None, quarter
        editions.append(edition.to_json())
    return editions


# ---------------------------------------------------------------------------- what the reader knows

EQUAL_TOTALS = (("NEW_APPLICANTS", "NEW_APPLICANTS_STATUS"), ("NEW_APPLICANTS", "REFERRED_FROM"))
"""Each new applicant has one age, one legal status and one way she came (high rules)."""
TOTAL_AT_MOST = (("PROTECTIVE_ORDER_SUPPORT", "NEW_APPLICANTS"), ("WITH_CHILDREN", "NEW_APPLICANTS"),
                 ("RETURNING_CLIENTS", "SESSIONS"))
"""``(smaller, larger)`` indicator totals of one centre-month (high rules)."""
EACH_OPTION_AT_MOST = (("VIOLENCE_TYPE", "NEW_APPLICANTS"), ("PERPETRATOR", "NEW_APPLICANTS"), ("REFERRED_TO", "NEW_APPLICANTS"))
"""Multiple-choice answers of the new-applicant form: each option at most once per woman."""


def high_rules_known(catalogue: Catalogue) -> list[str]:
    """The catalogue's high-importance rules that the reader's rules above do not state
    (should be none)."""
    known = {frozenset(pair) for pair in EQUAL_TOTALS} | {frozenset(pair) for pair in TOTAL_AT_MOST}
    missing = []
    for rule in catalogue.rules:
        if rule.importance != "high":
            continue
        sides = (rule.left.terms, rule.right.terms)
        simple = all(len(terms) == 1 and not terms[0].selectors for terms in sides)
        if not simple or frozenset((sides[0][0].indicator, sides[1][0].indicator)) not in known:
            missing.append(rule.id)
    return missing


@dataclass(frozen=True)
class Target:
    label: str
    indices: tuple[int, ...]
    truth: int


@dataclass(frozen=True)
class Withheld:
    """A breakdown row withheld by rule 3's one-category test: for some option, its count is at
    least ``at_least`` or every other option's is at most ``zero_at_most``."""

    label: str
    options: tuple[tuple[int, ...], ...]
    at_least: int
    zero_at_most: int


@dataclass
class Finding:
    """``low`` and ``high``: the smallest and largest value of the target in the solutions seen
    (for a target that moved, not necessarily its extremes). ``proven``: the verdict pinned or
    not is proven (a solution moved it, or both of its extremes were solved to optimality)."""

    target: Target
    low: int
    high: int
    proven: bool

    @property
    def pinned(self) -> bool:
        return self.low == self.high


@dataclass
class Report:
    variables: int
    constraints: int
    targets: int
    findings: dict[str, Finding]
    solves: int
    unproven: list[str]

    def pinned(self) -> list[Finding]:
        return [f for f in self.findings.values() if f.pinned]


class Attack:
    """The reader's integer program. Unknowns: every (centre, month, indicator, option) count of
    the perturbed indicators; every published figure bounds the sum of the unknowns behind it to
    ``table.possible_originals(figure)`` (exactly when the method says the indicator is exact)."""

    def __init__(self, catalogue: Catalogue, table: PerturbationTable, district_of: Mapping[str, str],
                 months: Sequence[Period], documents: Sequence[Mapping[str, Any]], read_withheld: bool = True) -> None:
        self.catalogue, self.table = catalogue, table
        self.district_of = dict(district_of)
        self.centres = tuple(district_of)
        self.months = tuple(months)
        self.editions = [PublicEdition.from_json(document) for document in documents]
        exact: set[str] = set()
        for edition in self.editions:
            exact |= set(edition.method["exact_indicators"])
        self.exact = frozenset(exact)
        self.indicators = tuple(i.code for i in catalogue.active_indicators() if i.code not in self.exact)
        self.cells = {code: catalogue.cells(code) for code in self.indicators}
        self.index: dict[tuple[str, Period, CellKey], int] = {}
        for centre in self.centres:
            for period in self.months:
                for code in self.indicators:
                    for cell in self.cells[code]:
                        self.index[(centre, period, cell)] = len(self.index)
        self.bounds: dict[frozenset[int], list[int]] = {}
        self.labels: dict[frozenset[int], str] = {}
        self.rows: list[tuple[dict[int, int], float, float]] = []
        self.figures = 0
        for edition in self.editions:
            self._read(edition)
        self._rules()
        self.withheld: list[Withheld] = []
        for edition in self.editions if read_withheld else ():
            self._read_withheld(edition)
        self.variables = len(self.index) + sum(2 * len(w.options) for w in self.withheld)

    # ------------------------------------------------------------------ the unknowns behind a figure

    def centres_of(self, area: str) -> tuple[str, ...]:
        if area == CITY:
            return self.centres
        if area in self.district_of:
            return (area,)
        return tuple(c for c in self.centres if self.district_of[c] == area)

    def unknowns(self, centres: Iterable[str], periods: Iterable[Period], indicator: str,
                 options: tuple[tuple[str, str], ...] | None) -> tuple[int, ...]:
        """``options`` None: the indicator's total over its options."""
        cells = self.cells[indicator] if options is None else [CellKey(indicator, options)]
        return tuple(sorted(self.index[(c, p, cell)] for c in centres for p in periods for cell in cells))

    def _area(self, edition: PublicEdition, area: str, indicator: str) -> tuple[str, ...]:
        if edition.scope == "centre":
            assert area in self.district_of, area
            return (area,)
        if area == OTHER_DISTRICTS:
            shown = set(edition.breakdown_rows(indicator))
            merged = [d for d in edition.areas if d != CITY and d not in shown]
            assert merged, (edition.first, indicator)
            return tuple(c for d in merged for c in self.centres_of(d))
        return self.centres_of(area)

    def _read(self, edition: PublicEdition) -> None:
        periods = months_between(edition.first, edition.last)
        for figure in edition.figures:
            if figure.value is None or figure.indicator in self.exact:
                continue
            self.figures += 1
            options = figure.options if figure.options else None
            key = frozenset(self.unknowns(self._area(edition, figure.area, figure.indicator), periods, figure.indicator, options))
            low, high = self.table.possible_originals(figure.value)
            held = self.bounds.setdefault(key, [low, high])
            held[0], held[1] = max(held[0], low), min(held[1], high)
            assert held[0] <= held[1], f"contradictory figures for {figure}"
            self.labels.setdefault(key, f"{edition.scope} {edition.first}..{edition.last} {figure.area} {figure.indicator}{dict(figure.options) or ''}")

    def _rules(self) -> None:
        for centre in self.centres:
            for period in self.months:
                total = {code: self.unknowns((centre,), (period,), code, None) for code in self.indicators}
                for left, right in EQUAL_TOTALS:
                    row = {i: 1 for i in total[left]}
                    for i in total[right]:
                        row[i] = row.get(i, 0) - 1
                    self.rows.append((row, 0, 0))
                for smaller, larger in TOTAL_AT_MOST:
                    row = {i: 1 for i in total[smaller]}
                    for i in total[larger]:
                        row[i] = row.get(i, 0) - 1
                    self.rows.append((row, -np.inf, 0))
                for multiple, base in EACH_OPTION_AT_MOST:
                    for cell in self.cells[multiple]:
                        row = {i: -1 for i in total[base]}
                        row[self.index[(centre, period, cell)]] = 1
                        self.rows.append((row, -np.inf, 0))

    # ------------------------------------------------------------------ truth and targets

    def _read_withheld(self, edition: PublicEdition) -> None:
        """Rule 3 as the reader knows it (the method is public): a breakdown of a sensitive
        indicator withheld although its area's published base reaches the minimum was withheld
        because its published options had fewer than two non-zero or one as large as the base.
        Certain for a centre and for the city; for a district only when a shown district is
        smaller (by published base, then name), for otherwise rule 4 may have merged it."""
        minimum = edition.method["breakdown_minimum"]
        periods = months_between(edition.first, edition.last)
        for code in self.indicators:
            cells = self.cells[code]
            if not self.catalogue.indicator(code).sensitive or len(cells) < 2:
                continue
            base = base_indicator(self.catalogue, code)
            shown = [s for s in edition.breakdown_rows(code) if s not in (CITY, OTHER_DISTRICTS)]
            for area in edition.areas:
                published = edition.value(area, base)
                if published is None or published < minimum:
                    continue
                if any(edition.value(area, code, cell.options) is not None for cell in cells):
                    continue
                smaller_shown = any((edition.value(s, base), tr_sort_key(s)) < (published, tr_sort_key(area)) for s in shown)
                if edition.scope == "city" and area != CITY and not smaller_shown:
                    continue
                centres = self._area(edition, area, code)
                self.withheld.append(Withheld(
                    f"{edition.scope} {edition.first}..{edition.last} {area} {code}",
                    tuple(self.unknowns(centres, periods, code, cell.options) for cell in cells),
                    self.table.possible_originals(published)[0], self.table.possible_originals(0)[1]))

    def _withheld_rows(self, var_ub: np.ndarray) -> tuple[list[dict[int, int]], list[float], list[float]]:
        """For each withheld row, binaries ``big[o]`` (option o reached the base: its count is
        at least ``at_least``) and ``alone[o]`` (every other option published 0: each at most
        ``zero_at_most``), at least one of them 1."""
        rows: list[dict[int, int]] = []
        lower: list[float] = []
        upper: list[float] = []
        column = len(self.index)
        for withheld in self.withheld:
            m = len(withheld.options)
            big, alone = range(column, column + m), range(column + m, column + 2 * m)
            column += 2 * m
            rows.append(dict.fromkeys([*big, *alone], 1))
            lower.append(1)
            upper.append(np.inf)
            most = [float(var_ub[list(option)].sum()) for option in withheld.options]
            for o, option in enumerate(withheld.options):
                row = dict.fromkeys(option, 1)
                row[big[o]] = -withheld.at_least
                rows.append(row)
                lower.append(0)
                upper.append(np.inf)
                for other, other_option in enumerate(withheld.options):
                    if other != o:
                        row = dict.fromkeys(other_option, 1)
                        row[alone[o]] = most[other]
                        rows.append(row)
                        lower.append(-np.inf)
                        upper.append(withheld.zero_at_most + most[other])
        return rows, lower, upper

    def truth_vector(self, truth: Mapping[tuple[str, Period], Mapping[CellKey, int]]) -> np.ndarray:
        """The truth as a solution of the reader's program (the withheld rows' binaries set as
        the truth allows; an assertion if it allows none: the reader's rule 3 would be wrong)."""
        x = np.zeros(self.variables, dtype=np.int64)
        for (centre, period), values in truth.items():
            for cell, value in values.items():
                if cell.indicator in self.exact or period not in self.months:
                    continue
                x[self.index[(centre, period, cell)]] = value
        column = len(self.index)
        for withheld in self.withheld:
            m = len(withheld.options)
            sums = [int(x[list(option)].sum()) for option in withheld.options]
            big = [o for o, value in enumerate(sums) if value >= withheld.at_least]
            alone = [o for o in range(m) if all(v <= withheld.zero_at_most for other, v in enumerate(sums) if other != o)]
            assert big or alone, f"{withheld.label} was withheld, yet the truth {sums} cannot explain it"
            x[column + big[0] if big else column + m + alone[0]] = 1
            column += 2 * m
        return x

    def aggregates(self) -> dict[frozenset[int], str]:
        """Every aggregate a reader might want: each cell, each "all options but one" and the
        total of each perturbed indicator, for each centre, district and the city, by month,
        quarter and year, and every published figure's own aggregate (other districts included).
        A pinned 0 of "all but one" would tell that every woman behind it is in that one option."""
        found: dict[frozenset[int], str] = {}
        districts = sorted(set(self.district_of.values()))
        areas = [("centre", c, (c,)) for c in self.centres] + [("district", d, self.centres_of(d)) for d in districts]
        areas.append(("city", CITY, self.centres))
        spans = [(str(p), (p,)) for p in self.months]
        spans += [(f"Q{n + 1}", q) for n, q in enumerate(QUARTERS) if all(p in self.months for p in q)]
        if all(p in self.months for p in MONTHS):
            spans.append((str(YEAR), MONTHS))
        for code in self.indicators:
            cells = self.cells[code]
            groups = [(code, cells)] + [(f"{code}{dict(cell.options)}", [cell]) for cell in cells]
            if len(cells) > 2:
                groups += [(f"{code} but {dict(cell.options)}", [other for other in cells if other != cell]) for cell in cells]
            for name, chosen in groups:
                for kind, area, centres in areas:
                    for span, periods in spans:
                        key = frozenset(self.index[(c, p, cell)] for c in centres for p in periods for cell in chosen)
                        found.setdefault(key, f"{kind} {area} {span} {name}")
        for key, label in self.labels.items():
            found.setdefault(key, "figure " + label)
        return found

    def targets(self, x: np.ndarray, low: int = 1, high: int = 4, extra: Iterable[frozenset[int]] = ()) -> list[Target]:
        """The aggregates whose true value is in ``low..high``, and every aggregate in ``extra``."""
        wanted = set(extra)
        found = self.aggregates()
        for number, key in enumerate(sorted(wanted - set(found), key=sorted)):
            found[key] = f"aggregate {number}"
        result = []
        for key, label in found.items():
            truth = int(x[list(key)].sum())
            if low <= truth <= high or key in wanted:
                result.append(Target(label, tuple(sorted(key)), truth))
        return result

    # ------------------------------------------------------------------ solving

    def program(self) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
        """The reader's constraints ``lb <= A x <= ub`` and each unknown's upper bound (the
        smallest upper bound of a figure that counts it)."""
        n = len(self.index)
        rows: list[dict[int, int]] = [dict.fromkeys(key, 1) for key in self.bounds]
        lower = [float(b[0]) for b in self.bounds.values()]
        upper = [float(b[1]) for b in self.bounds.values()]
        for row, lo, hi in self.rows:
            rows.append(row)
            lower.append(lo)
            upper.append(hi)
        var_ub = np.full(self.variables, 1.0)
        var_ub[:n] = np.inf
        for key, (_, hi) in self.bounds.items():
            for i in key:
                var_ub[i] = min(var_ub[i], hi)
        assert np.isfinite(var_ub).all(), "every unknown is counted in some published figure"
        extra_rows, extra_lower, extra_upper = self._withheld_rows(var_ub)
        return (_matrix(rows + extra_rows, self.variables), np.array(lower + extra_lower), np.array(upper + extra_upper), var_ub)

    def run(self, x: np.ndarray, targets: Sequence[Target], time_limit: float = 60.0) -> Report:
        """For each target, its smallest and largest value over every integer solution of the
        reader's program (``x``, the truth, is one of them): ``Report.findings``.

        A target is *moved* once some integer solution gives it another value than the truth:
        then it is not pinned, and that solution proves it. Solutions come, cheapest first, from
        (1) each target's largest and smallest value when only the counts of the centre-months
        behind it may change (the rest kept at the truth: still solutions of the whole program),
        (2) the whole program, moving as many unmoved targets as possible at once, and (3) the
        whole program, each unmoved target's largest and smallest value: if both are the truth
        (solved to optimality), the target is pinned."""
        n = self.variables
        a, lb, ub, var_ub = self.program()
        values = a @ x
        broken = np.flatnonzero((values < lb) | (values > ub))
        assert not len(broken), f"the truth breaks {len(broken)} of the reader's constraints, e.g. row {broken[0]}"
        t_matrix = _matrix([dict.fromkeys(t.indices, 1) for t in targets], n)
        truth = np.array([t.truth for t in targets], dtype=np.int64)
        assert (np.rint(t_matrix @ x).astype(np.int64) == truth).all()
        seen_low, seen_high = truth.copy(), truth.copy()
        whole = _Part(a, lb, ub, var_ub, time_limit)

        def seen(solution: np.ndarray | None) -> None:
            if solution is not None:
                found = np.rint(t_matrix @ solution).astype(np.int64)
                np.minimum(seen_low, found, out=seen_low)
                np.maximum(seen_high, found, out=seen_high)

        # 1. local: the centre-months behind the target (those with counts in it, else a few)
        cm_of = np.full(n, -1, dtype=np.int64)
        binaries = np.arange(len(self.index), n)
        cm_index: dict[tuple[str, Period], int] = {}
        for (centre, period, _), i in self.index.items():
            cm_of[i] = cm_index.setdefault((centre, period), len(cm_index))
        a_csc = a.tocsc()
        local_solves = 0
        # 1a. each centre-month: all its unmoved targets up at once, then down
        single: dict[int, list[int]] = {}
        for j, target in enumerate(targets):
            months_behind = np.unique(cm_of[list(target.indices)])
            if len(months_behind) == 1:
                single.setdefault(int(months_behind[0]), []).append(j)
        for month, mine in single.items():
            columns = np.concatenate([np.flatnonzero(cm_of == month), binaries])
            local = _local(a_csc, lb, ub, var_ub, x, columns, time_limit)
            for maximise in (True, False):
                still = [j for j in mine if seen_low[j] == seen_high[j]]
                if not still:
                    break
                found = local.extreme(np.asarray(t_matrix[still][:, columns].sum(axis=0)).ravel(), maximise)
                local_solves += 1
                seen(_lift(whole, x, columns, found.x))
        # 1b. each target still unmoved: its largest, then its smallest value
        order = sorted(range(len(targets)), key=lambda j: len(targets[j].indices))
        for j in order:
            if seen_low[j] < seen_high[j]:
                continue
            indices = np.array(targets[j].indices)
            behind = np.unique(cm_of[indices[x[indices] > 0]]) if truth[j] else np.unique(cm_of[indices])[:3]
            columns = np.concatenate([np.flatnonzero(np.isin(cm_of, behind)), binaries])
            local = _local(a_csc, lb, ub, var_ub, x, columns, time_limit)
            for maximise in (True, False):
                if seen_low[j] < seen_high[j]:
                    break
                found = local.extreme(np.asarray(t_matrix[j][:, columns].todense()).ravel(), maximise)
                local_solves += 1
                seen(_lift(whole, x, columns, found.x))
        # 2. and 3. the whole program, one independent part at a time
        graph = sparse.bmat([[None, a.T], [a, None]]).tocsr()
        _, labels = connected_components(graph, directed=False)
        var_part, row_part = labels[:n], labels[n:]
        proven = seen_low < seen_high
        unproven: list[str] = []
        solves = local_solves
        target_part = np.array([var_part[t.indices[0]] for t in targets])
        for part in np.unique(target_part[seen_low == seen_high]):
            columns = np.flatnonzero(var_part == part)
            chosen = np.flatnonzero(row_part == part)
            solver = _Part(a[chosen][:, columns].tocsr(), lb[chosen], ub[chosen], var_ub[columns], time_limit)
            mine = np.flatnonzero(target_part == part)
            assert all((var_part[list(targets[j].indices)] == part).all() for j in mine)

            for _ in range(3):
                before = int((seen_low[mine] == seen_high[mine]).sum())
                for up in (True, False):
                    still = mine[seen_low[mine] == seen_high[mine]]
                    if len(still):
                        seen(_lift(whole, x, columns, solver.cover(t_matrix[still][:, columns], truth[still], up)))
                if int((seen_low[mine] == seen_high[mine]).sum()) in (0, before):
                    break
            for j in mine:
                if seen_low[j] < seen_high[j]:
                    proven[j] = True
                    continue
                row = np.asarray(t_matrix[j][:, columns].todense()).ravel()
                optimal = True
                for maximise in (True, False):
                    found = solver.extreme(row, maximise)
                    seen(_lift(whole, x, columns, found.x))
                    optimal = optimal and found.optimal
                    if seen_low[j] < seen_high[j]:
                        break
                proven[j] = seen_low[j] < seen_high[j] or optimal
                if not proven[j]:
                    unproven.append(targets[j].label)
            solves += solver.solves
        findings = {t.label: Finding(t, int(seen_low[j]), int(seen_high[j]), bool(proven[j])) for j, t in enumerate(targets)}
        assert len(findings) == len(targets), "two targets with one label"
        return Report(n, a.shape[0], len(targets), findings, solves, unproven)


def _lift(whole: _Part, x: np.ndarray, columns: np.ndarray, solution: np.ndarray | None) -> np.ndarray | None:
    """A solution of a part (or of a local program) as a solution of the whole program: ``x``
    elsewhere; checked against every constraint."""
    if solution is None:
        return None
    full = x.copy()
    full[columns] = solution
    return whole.check(full)


def _local(a_csc: sparse.csc_matrix, lb: np.ndarray, ub: np.ndarray, var_ub: np.ndarray, x: np.ndarray, columns: np.ndarray,
           time_limit: float) -> _Part:
    """The program in ``columns`` alone, every other unknown fixed at ``x``."""
    sub = a_csc[:, columns]
    touched = np.unique(sub.indices)
    sub = sub.tocsr()[touched]
    rest = (a_csc @ x)[touched] - sub @ x[columns]
    return _Part(sub.tocsr(), lb[touched] - rest, ub[touched] - rest, var_ub[columns], time_limit)


def _matrix(rows: Sequence[Mapping[int, int]], columns: int) -> sparse.csr_matrix:
    data, row_index, column_index = [], [], []
    for r, row in enumerate(rows):
        for c, v in row.items():
            if v:
                row_index.append(r)
                column_index.append(c)
                data.append(float(v))
    return sparse.csr_matrix((data, (row_index, column_index)), shape=(len(rows), columns))


@dataclass(frozen=True)
class Extreme:
    x: np.ndarray | None
    optimal: bool


class _Part:
    """One independent part of the reader's program: integer unknowns ``>= 0`` under ``a``."""

    def __init__(self, a: sparse.csr_matrix, lb: np.ndarray, ub: np.ndarray, var_ub: np.ndarray, time_limit: float) -> None:
        self.a, self.lb, self.ub, self.var_ub = a, lb, ub, var_ub
        self.n = a.shape[1]
        self.time_limit = time_limit
        self.solves = 0

    def _milp(self, c: np.ndarray, a: sparse.csr_matrix, lb: np.ndarray, ub: np.ndarray, low: np.ndarray, high: np.ndarray,
              integral: np.ndarray) -> Extreme:
        self.solves += 1
        result = milp(c, constraints=LinearConstraint(a, lb, ub), integrality=integral, bounds=Bounds(low, high),
                      options={"time_limit": self.time_limit, "disp": False})
        assert result.status in (0, 1), result.message
        if result.x is None:
            return Extreme(None, False)
        x = np.rint(result.x[: self.n]).astype(np.int64)
        values = self.a @ x
        assert ((values >= self.lb - 1e-6) & (values <= self.ub + 1e-6)).all() and (x >= 0).all(), "rounded solution infeasible"
        return Extreme(x, result.status == 0)

    def check(self, x: np.ndarray) -> np.ndarray:
        """``x``, once checked to be a solution (integers >= 0 within every constraint)."""
        values = self.a @ x
        assert ((values >= self.lb - 1e-6) & (values <= self.ub + 1e-6)).all() and (x >= 0).all() and (x <= self.var_ub).all()
        return x

    def extreme(self, row: np.ndarray, maximise: bool) -> Extreme:
        return self._milp(-row if maximise else row, self.a, self.lb, self.ub, np.zeros(self.n), self.var_ub, np.ones(self.n))

    def cover(self, targets: sparse.csr_matrix, truth: np.ndarray, up: bool) -> np.ndarray | None:
        """A solution that moves as many ``targets`` as it can above (``up``) or below their
        true values: binary z_t = 1 only if target t moved (``T x >= (truth + 1) z`` or
        ``T x + (most - truth + 1) z <= most``, with ``most`` the target's largest possible sum)."""
        m = targets.shape[0]
        most = targets @ self.var_ub
        if up:
            link = sparse.hstack([targets, sparse.diags(-(truth + 1.0))])
            link_lb, link_ub = np.zeros(m), np.full(m, np.inf)
        else:
            link = sparse.hstack([targets, sparse.diags(most - truth + 1.0)])
            link_lb, link_ub = np.full(m, -np.inf), most
        a = sparse.vstack([sparse.hstack([self.a, sparse.csr_matrix((self.a.shape[0], m))]), link]).tocsr()
        c = np.concatenate([np.zeros(self.n), -np.ones(m)])
        return self._milp(c, a, np.concatenate([self.lb, link_lb]), np.concatenate([self.ub, link_ub]),
                          np.zeros(self.n + m), np.concatenate([self.var_ub, np.ones(m)]), np.ones(self.n + m)).x


# ---------------------------------------------------------------------------- an unprotected publication


class ExactTable:
    """A "table" that publishes every count as it is: what the reader knows of an unprotected
    publication (for checking that the reader does find pins where there are some)."""

    name = "exact"

    def possible_originals(self, published: int) -> tuple[int, int]:
        return published, published


def unprotected(reader: Attack, x: np.ndarray) -> list[dict[str, Any]]:
    """The reader's editions with every published figure of a perturbed indicator replaced by
    its true value (same layout, same withheld figures)."""
    documents = []
    for edition in reader.editions:
        document = edition.to_json()
        periods = months_between(edition.first, edition.last)
        for cell in document["cells"]:
            if cell["value"] is None or cell["indicator"] in reader.exact:
                continue
            options = tuple(sorted(cell["options"].items())) or None
            centres = reader._area(edition, cell["area"], cell["indicator"])
            cell["value"] = int(x[list(reader.unknowns(centres, periods, cell["indicator"], options))].sum())
        documents.append(document)
    return documents
