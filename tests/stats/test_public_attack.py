"""The attacker test: no combination of the public editions pins a small count of women.

What it proves. A city of ten centres in eight districts records a year of contacts the real way
(``tests/stats/attack.py``: real stores, ``TallyBook.record``, hand edits, every month of 2025
submitted, real bundles imported by a coordinator), with planted cases: a district whose only
woman of the first quarter is a 65-year-old sent by ALO 183 for violence by her family and helped
to seek a protective order; a district where every woman of the quarter has the same profile;
districts with few follow-ups; hand edits (awareness events, empowerment participants, sessions,
decreases). The public editions are issued as the application issues them: every centre's
January, February and March, the city's first quarter and the city's year (which issues every
quarter). A reader then combines every published figure of all of them in one integer program
and, for every count of women between 1 and k - 1 = 4 that the figures could be combined to
reveal, finds its smallest and largest possible value: none is pinned (smallest == largest).
Nor is any count of 0, "all options but one" included, so no woman's category follows by
elimination. The targets: every cell, every "all options but one" and every total of every
perturbed indicator for each centre, district and the city by month, quarter and year, and the
aggregate behind every published figure ("other districts" included). The lone woman's cells are
checked by name, and neither planted district shows a breakdown in the first quarter; no
published breakdown row shows all of its women in one category. So that a passing test means
something, the same reader given the first quarter's editions with exact figures (same layout)
does pin her.

What the reader knows. Only the editions' JSON, the catalogue, the perturbation table and which
centres are in which district. Unknowns: the exact count of every (centre, month, indicator,
option) of every perturbed indicator, whole numbers >= 0. Every published figure v bounds the
sum of the unknowns behind it (its centres, months and options; ``"other districts"`` are the
districts without a breakdown row of that indicator in that edition) to
``table.possible_originals(v)`` (a published 0 means 0..6); the method's exact indicators
(awareness events and their participants) count no women and are left out. For each
centre-month: new applicants by age, by legal status and by how they came have one total; women
helped to seek an order and women with children are at most the new applicants; every form of
violence, perpetrator and referral is at most the new applicants; sessions are at least the women
seen in follow-up (every high-importance rule of the catalogue, and the tally forms' structure).
And what rule 3 tells about a withheld breakdown: when a centre's or the city's breakdown of a
sensitive indicator is withheld although its published base reaches the minimum (for a district,
when a smaller district is shown, so that rule 4 did not merge it), its published options had
fewer than two non-zero or one as large as the base, so for some option the count is at least
``possible_originals(base)[0]`` or every other option's is at most 6 (binaries in the program).
Not modelled: the medium rule "violence >= new applicants", which a month may break, and guesses
from the probabilities of the table (the reader uses what is possible, not what is likely).

A target "moves" when some integer solution gives it another value than the truth; those
solutions are checked against every constraint, so a moved target is proven not pinned. Targets
that no local solution moves are solved over the whole program (scipy's HiGHS MILP) to
optimality; a pin is reported, never hidden. Record keys are seeded (``SEED``), so a run is
reproducible. The whole module takes about a minute (the city's build takes 20 to 30 s of it).

The second part corrects a month after its quarter was published: a centre reopens January,
records one late woman, submits again and sends the bundle. The published editions must not
change (reissued, identical) and the year issued after the correction must be the one a store
without the correction issues, so no pair of editions differs by her.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import releases as releases_uc
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.stats.perturbation import PerturbationTable, load_table
from caseworker.stats.publication import OTHER_DISTRICTS, PublicEdition
from tests.stats import attack
from tests.stats.attack import (
    MONTHS,
    PLANS,
    Q1,
    QUARTERS,
    SMALL_PLANS,
    Attack,
    Finding,
    Report,
    World,
)

SEED = 2025
K = 5
LONE_CENTRE = next(plan for plan in PLANS if plan.planted == attack.LONE)
UNIFORM_CENTRE = next(plan for plan in PLANS if plan.planted == attack.UNIFORM)
BREAKDOWN_INDICATORS = ("NEW_APPLICANTS", "NEW_APPLICANTS_STATUS", "REFERRED_FROM", "VIOLENCE_TYPE", "PERPETRATOR", "REFERRED_TO")
LONE_CELLS = (
    ("NEW_APPLICANTS", (("age", "65+"),)),
    ("NEW_APPLICANTS_STATUS", (("status", "citizen"),)),
    ("REFERRED_FROM", (("source", "alo183"),)),
    ("PERPETRATOR", (("perpetrator", "family"),)),
    ("VIOLENCE_TYPE", (("violence", "psychological"),)),
    ("VIOLENCE_TYPE", (("violence", "economic"),)),
    ("REFERRED_TO", (("referral", "social_services"),)),
    ("PROTECTIVE_ORDER_SUPPORT", None),
    ("NEW_APPLICANTS", None),
)
"""The lone woman's cells (None: the indicator's total)."""
LATE_CELLS = (
    ("NEW_APPLICANTS", (("age", "55-64"),)),
    ("NEW_APPLICANTS_STATUS", (("status", "international_protection"),)),
    ("REFERRED_FROM", (("source", "muhtar"),)),
    ("VIOLENCE_TYPE", (("violence", "forced_marriage"),)),
    ("PERPETRATOR", (("perpetrator", "former_partner"),)),
    ("REFERRED_TO", (("referral", "psychiatric"),)),
    ("PROTECTIVE_ORDER_SUPPORT", None),
    ("WITH_CHILDREN", None),
    ("NEW_APPLICANTS", None),
)
"""The cells the late woman of the second part adds 1 to (None: the indicator's total)."""


@dataclass
class City:
    world: World
    editions: list[dict[str, Any]]
    catalogue: Catalogue
    table: PerturbationTable
    built_in: float


@dataclass
class Attacked:
    attack: Attack
    report: Report
    seconds: float

    def finding(self, centres: tuple[str, ...], periods: tuple[Period, ...], indicator: str,
                options: tuple[tuple[str, str], ...] | None) -> Finding:
        indices = self.attack.unknowns(centres, periods, indicator, options)
        found = [f for f in self.report.findings.values() if f.target.indices == indices]
        assert found, f"no target for {centres} {periods[0]}..{periods[-1]} {indicator} {options}"
        return found[0]


def _describe(findings: list[Finding]) -> str:
    return "; ".join(f"{f.target.label}: true {f.target.truth}, possible {f.low}..{f.high}" for f in findings[:20])


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    started = time.perf_counter()
    world = attack.build_world(tmp_path_factory.mktemp("attack-city"), PLANS, SEED)
    try:
        editions = attack.issue_all(world)
        yield City(world, editions, catalogue_uc.current(world.coordinator), load_table(), time.perf_counter() - started)
    finally:
        world.close()


@pytest.fixture(scope="module")
def reader(city: City) -> tuple[Attack, np.ndarray]:
    """The reader of every edition, and the truth as a solution of the reader's program."""
    found = Attack(city.catalogue, city.table, city.world.district_of, MONTHS, city.editions)
    return found, found.truth_vector(city.world.truth)


def _lone_cells(reader: Attack) -> list[frozenset[int]]:
    return [frozenset(reader.unknowns((LONE_CENTRE.name,), periods, indicator, options))
            for indicator, options in LONE_CELLS for periods in (Q1, (Q1[1],))]


@pytest.fixture(scope="module")
def attacked(reader: tuple[Attack, np.ndarray]) -> Attacked:
    """Every aggregate whose true value is 1..k-1, and the lone woman's cells."""
    started = time.perf_counter()
    found, truth = reader
    report = found.run(truth, found.targets(truth, 1, K - 1, extra=_lone_cells(found)))
    return Attacked(found, report, time.perf_counter() - started)


def _editions(city: City) -> list[PublicEdition]:
    return [PublicEdition.from_json(document) for document in city.editions]


# ---------------------------------------------------------------------------- the set-up


def test_the_city_and_its_editions_are_as_planned(city: City) -> None:
    """Every month of every centre was submitted and reached the coordinator; 35 editions."""
    assert len(city.world.truth) == len(PLANS) * len(MONTHS)
    monthly = [sum(v for c, v in city.world.truth[(plan.name, MONTHS[4])].items() if c.indicator == "NEW_APPLICANTS") for plan in PLANS]
    assert max(monthly) >= 20 and min(monthly) <= 10
    lone_q1 = [city.world.truth[(LONE_CENTRE.name, p)] for p in Q1]
    assert [sum(v for c, v in month.items() if c.indicator == "NEW_APPLICANTS") for month in lone_q1] == [0, 1, 0]
    assert sum(v for month in lone_q1 for c, v in month.items() if c.indicator == "RETURNING_CLIENTS") == 0
    uniform = [city.world.truth[(UNIFORM_CENTRE.name, p)] for p in Q1]
    assert {c.options for month in uniform for c in month if c.indicator == "NEW_APPLICANTS"} == {(("age", "35-44"),)}
    assert any(v for month in city.world.truth.values() for c, v in month.items() if c.indicator == "EMPOWERMENT_PARTICIPANTS")
    scopes = [(e["scope"], tuple(e["areas"]), e["from"], e["to"]) for e in city.editions]
    assert len(scopes) == len(set(scopes)) == len(PLANS) * 3 + 5
    assert {(s, f, t) for s, _, f, t in scopes if s == "city"} == {("city", str(q[0]), str(q[-1])) for q in (*QUARTERS, MONTHS)}
    print(f"\ncity built and published in {city.built_in:.1f} s")


def test_the_reader_knows_every_high_rule(city: City) -> None:
    assert attack.high_rules_known(city.catalogue) == []
    assert {tuple(e["method"]["exact_indicators"]) for e in city.editions} == {("AWARENESS_EVENTS", "AWARENESS_PARTICIPANTS")}


def test_the_reader_knows_why_the_uniform_district_was_withheld(reader: tuple[Attack, np.ndarray]) -> None:
    """The planted uniform district has more women than a district that is shown, so the reader
    knows that rule 3's one-category test held back each of its first-quarter breakdowns."""
    found, _ = reader
    labels = {w.label for w in found.withheld}
    for indicator in BREAKDOWN_INDICATORS:
        assert f"city {Q1[0]}..{Q1[-1]} {UNIFORM_CENTRE.district} {indicator}" in labels, sorted(labels)


# ---------------------------------------------------------------------------- the attack


def test_no_small_count_is_pinned(attacked: Attacked) -> None:
    """No count of 1..4 women, at any level and in any combination of the editions, is pinned."""
    report = attacked.report
    print(f"\nreader: {report.variables} unknowns, {report.constraints} constraints, {attacked.attack.figures} figures read, "
          f"{report.targets} targets, {report.solves} integer programs, {attacked.seconds:.1f} s")
    assert report.targets > 1000
    assert not report.unproven, f"not solved to optimality: {report.unproven[:10]}"
    pinned = [f for f in report.pinned() if 1 <= f.target.truth < K]
    assert not pinned, f"{len(pinned)} small counts are pinned: {_describe(pinned)}"


def test_no_zero_is_pinned(reader: tuple[Attack, np.ndarray]) -> None:
    """Nor is any count of 0 (among them every "all options but one"): the reader never learns
    for sure that no woman of a kind came, so no woman's category follows by elimination."""
    started = time.perf_counter()
    found, truth = reader
    report = found.run(truth, found.targets(truth, 0, 0))
    print(f"\nreader: {report.targets} targets of 0, {report.solves} integer programs, {time.perf_counter() - started:.1f} s")
    assert report.targets > 1000
    assert not report.unproven, f"not solved to optimality: {report.unproven[:10]}"
    assert not report.pinned(), f"{len(report.pinned())} zeros are pinned: {_describe(report.pinned())}"


def test_the_reader_pins_counts_that_are_published_unprotected(city: City) -> None:
    """The reader is not toothless: given the first quarter's editions with every figure exact
    (same layout, same withheld cells), it pins the lone woman's count and her protective order."""
    first = [document for document in city.editions if document["to"] <= str(Q1[-1])]
    protected = Attack(city.catalogue, city.table, city.world.district_of, Q1, first)
    documents = attack.unprotected(protected, protected.truth_vector(city.world.truth))
    # (rule 3 withheld rows by their perturbed figures: with exact figures, they tell nothing)
    exact = Attack(city.catalogue, attack.ExactTable(), city.world.district_of, Q1, documents, read_withheld=False)  # type: ignore[arg-type]
    x = exact.truth_vector(city.world.truth)
    lone = _lone_cells(exact)
    report = exact.run(x, exact.targets(x, 1, 0, extra=lone))
    assert report.targets == len(set(lone)) and not report.unproven
    pinned = {f.target.label for f in report.pinned()}
    for indicator in ("NEW_APPLICANTS", "PROTECTIVE_ORDER_SUPPORT"):
        for periods in (Q1, (Q1[1],)):
            key = exact.unknowns((LONE_CENTRE.name,), periods, indicator, None)
            assert any(f.target.indices == key and f.pinned and f.low == 1 for f in report.findings.values()), (indicator, periods, pinned)


def test_the_lone_woman_is_not_pinned(attacked: Attacked) -> None:
    """Her cells of her district's first quarter (and of her centre's February) keep a range."""
    for indicator, options in LONE_CELLS:
        for periods in (Q1, (Q1[1],)):
            finding = attacked.finding((LONE_CENTRE.name,), periods, indicator, options)
            assert finding.target.truth == 1, finding
            assert not finding.pinned, _describe([finding])


def test_the_lone_womans_district_shows_no_breakdown_in_the_first_quarter(city: City) -> None:
    for edition in _editions(city):
        if edition.last > Q1[-1]:
            continue
        area = LONE_CENTRE.name if edition.scope == "centre" else LONE_CENTRE.district
        if area not in edition.areas:
            continue
        for figure in edition.figures:
            if figure.area == area and figure.options and figure.indicator in BREAKDOWN_INDICATORS:
                assert figure.value is None, f"{edition.scope} {edition.first}: {figure}"


def test_the_uniform_district_shows_no_breakdown_in_the_first_quarter(city: City) -> None:
    for edition in _editions(city):
        if edition.last > Q1[-1]:
            continue
        area = UNIFORM_CENTRE.name if edition.scope == "centre" else UNIFORM_CENTRE.district
        if area not in edition.areas:
            continue
        for indicator in BREAKDOWN_INDICATORS:
            shown = [f.value for f in edition.figures if f.area == area and f.indicator == indicator and f.options and f.value is not None]
            assert not shown, f"{edition.scope} {edition.first} {area} {indicator}: {shown}"


def test_no_published_row_shows_all_its_women_in_one_category(city: City) -> None:
    """Every published breakdown row of a sensitive indicator has two non-zero options and none
    as large as the row's published base (new applicants or women in follow-up)."""
    bases = {"NEW_APPLICANTS": "NEW_APPLICANTS", "NEW_APPLICANTS_STATUS": "NEW_APPLICANTS", "REFERRED_FROM": "NEW_APPLICANTS",
             "VIOLENCE_TYPE": "NEW_APPLICANTS", "PERPETRATOR": "NEW_APPLICANTS", "REFERRED_TO": "NEW_APPLICANTS",
             "RETURNING_CLIENTS": "RETURNING_CLIENTS"}
    assert {i.code for i in city.catalogue.active_indicators() if i.sensitive and i.dimensions} == set(bases)
    checked = 0
    for edition in _editions(city):
        for indicator, base in bases.items():
            rows = edition.breakdown_rows(indicator)
            for area in rows:
                values = [f.value for f in edition.figures if f.area == area and f.indicator == indicator and f.options]
                if all(v is None for v in values):
                    continue
                assert None not in values, (edition.first, area, indicator)
                where = f"{edition.scope} {edition.first}..{edition.last} {area} {indicator}: {values}"
                assert sum(1 for v in values if v) >= 2, where
                same_area = area != OTHER_DISTRICTS or edition.breakdown_rows(base) == rows
                total = edition.value(area, base) if same_area else None
                if total is not None:
                    assert max(values) < total, f"{where} (base {total})"
                checked += 1
    assert checked > 20


# ---------------------------------------------------------------------------- a correction


def test_a_late_woman_changes_no_public_edition(tmp_path_factory: pytest.TempPathFactory) -> None:
    """January is corrected after the first quarter was published. Store A holds the correction,
    store B (built from the same plan with the same keys) never had it."""
    corrected = attack.build_world(tmp_path_factory.mktemp("corrected"), SMALL_PLANS, SEED)
    plain = attack.build_world(tmp_path_factory.mktemp("plain"), SMALL_PLANS, SEED)
    try:
        january, q1 = Q1[0], (Q1[0], Q1[-1])
        centre = corrected.centres[attack.LATE_CENTRE]
        first_q1 = releases_uc.issue_city(corrected.coordinator, *q1)
        first_january = releases_uc.issue_centre_month(centre, january)
        assert not first_q1.reissued and not first_january.reissued

        months_uc.reopen(centre, january, "late_data")
        counts_uc.TallyBook(centre).record(january, "new_applicant", attack.LATE_WOMAN)
        months_uc.submit(centre, january)
        attack.send(centre, corrected.coordinator)
        cell = CellKey.of("NEW_APPLICANTS", {"age": "55-64"})
        district = corrected.district_of[attack.LATE_CENTRE]
        held = coordination.consolidated(corrected.coordinator, january, district=district).values
        truth = sum(corrected.truth[(plan.name, january)].get(cell, 0) for plan in SMALL_PLANS if plan.district == district)
        assert held.get(cell, 0) == truth + 1, "the coordinator holds the corrected January"

        again_q1 = releases_uc.issue_city(corrected.coordinator, *q1)
        again_january = releases_uc.issue_centre_month(centre, january)
        assert again_q1.reissued and again_q1.edition.to_json() == first_q1.edition.to_json()
        assert again_january.reissued and again_january.edition.to_json() == first_january.edition.to_json()

        documents = [first_january.edition.to_json(), first_q1.edition.to_json()]
        documents += [releases_uc.issue_centre_month(s, p).edition.to_json() for s in corrected.centres.values() for p in Q1
                      if (s, p) != (centre, january)]
        year = releases_uc.issue_city(corrected.coordinator, MONTHS[0], MONTHS[-1])
        assert not year.reissued
        documents.append(year.edition.to_json())
        documents += [releases_uc.released(corrected.coordinator, "city", q[0], q[-1]).to_json() for q in QUARTERS[1:]]  # type: ignore[union-attr]

        # the same editions from a store that never had her: identical figures
        twins = [releases_uc.issue_centre_month(plain.centres[attack.LATE_CENTRE], january).edition.to_json(),
                 releases_uc.issue_city(plain.coordinator, *q1).edition.to_json()]
        twins += [releases_uc.issue_centre_month(s, p).edition.to_json() for name, s in plain.centres.items() for p in Q1
                  if (name, p) != (attack.LATE_CENTRE, january)]
        twins.append(releases_uc.issue_city(plain.coordinator, MONTHS[0], MONTHS[-1]).edition.to_json())
        twins += [releases_uc.released(plain.coordinator, "city", q[0], q[-1]).to_json() for q in QUARTERS[1:]]  # type: ignore[union-attr]
        assert len(documents) == len(twins) == 3 * 3 + 5
        for mine, twin in zip(documents, twins, strict=True):
            assert (mine["scope"], mine["areas"], mine["from"], mine["to"]) == (twin["scope"], twin["areas"], twin["from"], twin["to"])
            assert mine["cells"] == twin["cells"], f"{mine['scope']} {mine['from']}..{mine['to']} differs from the uncorrected store's"

        # and the reader of all of them pins neither a small count nor a cell she would be in
        # (the truth behind every edition: the months as first submitted, without her)
        catalogue = catalogue_uc.current(corrected.coordinator)
        reader = Attack(catalogue, load_table(), corrected.district_of, MONTHS, documents)
        x = reader.truth_vector(corrected.truth)
        hers = [frozenset(reader.unknowns(centres, periods, indicator, options))
                for indicator, options in LATE_CELLS
                for centres in ((attack.LATE_CENTRE,), tuple(corrected.centres))
                for periods in ((january,), Q1, MONTHS)]
        report = reader.run(x, reader.targets(x, 1, K - 1, extra=hers))
        assert not report.unproven
        pinned = [f for f in report.pinned() if 1 <= f.target.truth < K or frozenset(f.target.indices) in hers]
        assert not pinned, _describe(pinned)
        assert sum(1 for f in report.findings.values() if frozenset(f.target.indices) in hers) == len(set(hers))
    finally:
        corrected.close()
        plain.close()
