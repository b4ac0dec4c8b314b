"""Use cases for public editions: the release grid, issuing an edition once, re-issuing it with
the same figures, and the release register (docs/disclosure.md).

The rules, in this order:

1. **Release grid.** A centre publishes a calendar month; the coordinator a calendar quarter or
   a calendar year. The period must have ended, and every month of it must have been approved:
   the centre's month submitted (it may have been reopened since), and at the coordinator every
   month that each enrolled centre was expected to report received as submitted. Anything else
   is refused with one line that says what is missing; the internal edition is always there. A
   month that reached the coordinator only without cell keys (from a centre that has not synced
   since upgrading) counts as missing: its figures would be perturbed otherwise than the
   centre's own edition of it.
2. **Basis.** Public figures are made of each month's figures as first submitted, never of
   later corrections: so no two public editions differ by a contact added late.
3. **Register.** An edition is issued once: the register keeps its figures, and asking for it
   again gives the same figures (``IssuedEdition.reissued``), even when the internal figures
   changed since. Issuing a city year also issues each of its quarters not issued yet (all of
   them registered in one transaction), so that the year's trend chart shows published quarters only.

Who may issue: a centre's supervisor (``Permission.EXPORT``) for the centre's months, the
coordinator (``Permission.COORDINATE``) for the city.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app.collector import collector_paused
from caseworker.app.session import Session
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period, Year, months_between
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import t
from caseworker.settings import load as load_settings
from caseworker.stats.perturbation import load_table
from caseworker.stats.publication import (
    PublicEdition,
    add_up,
    build_city_year,
    build_edition,
)
from caseworker.storage import counts as counts_repo
from caseworker.storage import releases as releases_repo
from caseworker.storage import sync as sync_repo
from caseworker.storage.database import Connection
from caseworker.storage.store import now_utc

MISSING_LISTED_AT_MOST = 3


@dataclass(frozen=True)
class IssuedEdition:
    edition: PublicEdition
    issued_at: str
    issued_by: str
    figures_hash: str
    reissued: bool


@dataclass(frozen=True)
class ReleaseEntry:
    """One line of the register."""

    scope: str
    first: Period
    last: Period
    issued_at: str
    issued_by: str
    figures_hash: str


def grid_kind(first: Period, last: Period) -> str | None:
    """``"month"``, ``"quarter"`` or ``"year"`` for a calendar period, else None."""
    if first == last:
        return "month"
    if first.month in (1, 4, 7, 10) and last == first.plus(2):
        return "quarter"
    if first.month == 1 and last == first.plus(11):
        return "year"
    return None


def _check_ended(last: Period, today: date | None) -> None:
    if last >= Period.current(today):
        raise Conflict(t("A public edition is issued once its period has ended: {period} is not over yet. The internal edition "
                         "(without --public) can be printed now.", period=last))


# ---------------------------------------------------------------------------- the register


def releases(session: Session) -> list[ReleaseEntry]:
    """Every public edition this store issued, oldest period first."""
    with session.reading() as conn:
        found = releases_repo.listed(conn)
    return [ReleaseEntry(scope, Period.parse(first), Period.parse(last), issued_at, issued_by, figures_hash)
            for scope, first, last, issued_at, issued_by, figures_hash in found]


def released(session: Session, scope: str, first: Period, last: Period) -> PublicEdition | None:
    """The edition of that period as issued, or None if it never was."""
    with session.reading() as conn:
        found = releases_repo.find(conn, scope, str(first), str(last))
    return _edition(found) if found else None


def _edition(release: releases_repo.Release) -> PublicEdition:
    return PublicEdition.from_json(json.loads(release.edition))


def _is_released(session: Session, scope: str, first: Period, last: Period) -> bool:
    with session.reading() as conn:
        return releases_repo.exists(conn, scope, str(first), str(last))


def _issue(session: Session, conn: Connection, scope: str, first: Period, last: Period, make: Callable[[Connection], PublicEdition]) -> IssuedEdition:
    """The edition as registered, or made by ``make`` and registered, in the write transaction of ``conn``."""
    held = releases_repo.find(conn, scope, str(first), str(last))
    if held is not None:
        return IssuedEdition(_edition(held), held.issued_at, held.issued_by, held.figures_hash, reissued=True)
    edition = make(conn)
    document, figures_hash = edition.registered()
    release = releases_repo.Release(scope, str(first), str(last), now_utc(), session.actor, figures_hash, document)
    releases_repo.add(conn, release)
    session.audit(conn, "release.issue", f"{scope} {first} {last}")
    return IssuedEdition(edition, release.issued_at, release.issued_by, release.figures_hash, reissued=False)


# ---------------------------------------------------------------------------- a centre's month


def issue_centre_month(session: Session, period: Period, today: date | None = None) -> IssuedEdition:
    """The public edition of the centre's ``period`` (issued now, or as issued before)."""
    session.require(Permission.EXPORT)
    if session.store_role is not StoreRole.CENTRE:
        raise Conflict(t("The monthly summary is a centre's report, and this store has no figures of its own. Print the city report instead."))
    if not _is_released(session, "centre", period, period):
        _check_ended(period, today)
    catalogue = catalogue_uc.current(session)

    def make(conn: Connection) -> PublicEdition:
        basis = counts_repo.basis(conn, str(period))
        if basis is None:
            raise Conflict(t("A public edition shows approved figures only, and {period} has not been submitted yet. Submit it "
                             "first (caseworker month submit {period}); the internal edition can be printed now.", period=period))
        return build_edition("centre", period, period, catalogue, load_table(), {session.info.name: basis})

    with session.transaction() as conn:
        return _issue(session, conn, "centre", period, period, make)


# ---------------------------------------------------------------------------- the city


def issue_city(session: Session, first: Period, last: Period, today: date | None = None,
               rate: coordination.ReportingRate | None = None) -> IssuedEdition:
    """The public city edition of a calendar quarter or year (issued now, or as issued before);
    a year issues its quarters not issued yet first, in the same transaction. ``rate``: the
    reporting rate of ``first`` to ``last``, where the caller has it already (a report prints it)."""
    session.require(Permission.COORDINATE)
    if session.store_role is not StoreRole.COORDINATOR:
        raise Conflict(t("The city report is the coordinator's, and this is a centre's store. Print the monthly summary instead."))
    kind = grid_kind(first, last)
    if kind not in ("quarter", "year"):
        raise InvalidInput(t("A public city edition covers a calendar quarter or a calendar year, so that published figures never "
                             "differ by a month; {first} to {last} is neither. Give, for example, {example}.",
                             first=first, last=last, example=f"{first.quarter.months()[0]} {first.quarter.months()[-1]}"))
    held = _is_released(session, "city", first, last)
    if not held:
        _check_ended(last, today)
        _check_approved(session, first, last, rate)
    quarters = [quarter for quarter in _quarters(first.year) if not _is_released(session, "city", *quarter)] if kind == "year" else []
    if held:  # a year issued before its quarters: each of them is checked on its own
        for quarter_first, quarter_last in quarters:
            _check_ended(quarter_last, today)
            _check_approved(session, quarter_first, quarter_last)
    catalogue = catalogue_uc.current(session)
    sums = _DistrictSums({centre.centre_id: centre.district for centre in coordination.centres(session)})

    def make(first: Period, last: Period) -> Callable[[Connection], PublicEdition]:
        return lambda conn: build_edition("city", first, last, catalogue, load_table(), sums.of(conn, first, last))

    # A year and its quarters are registered together; their editions are tens of thousands of small objects.
    with collector_paused(), session.transaction() as conn:
        if kind == "year" and not held and len(quarters) == len(_quarters(first.year)):
            # All five are made now: the year's figures are its quarters' added up.
            made, year = build_city_year(first, last, catalogue, load_table(), [(*quarter, sums.of(conn, *quarter)) for quarter in quarters])
            for (quarter_first, quarter_last), edition in zip(quarters, made, strict=True):
                _issue(session, conn, "city", quarter_first, quarter_last, lambda _conn, edition=edition: edition)
            return _issue(session, conn, "city", first, last, lambda _conn: year)
        for quarter_first, quarter_last in quarters:
            _issue(session, conn, "city", quarter_first, quarter_last, make(quarter_first, quarter_last))
        return _issue(session, conn, "city", first, last, make(first, last))


def _quarters(year: int) -> list[tuple[Period, Period]]:
    return [(quarter.months()[0], quarter.months()[-1]) for quarter in Year(year).quarters()]


def _check_approved(session: Session, first: Period, last: Period, rate: coordination.ReportingRate | None = None) -> None:
    rate = rate or coordination.reporting_rate(session, first, last, load_settings(session.store.paths.settings).report_deadline_day)
    names = {centre.centre_id: centre.name for centre in rate.centres}
    with session.reading() as conn:
        approved = sync_repo.centres_with_basis(conn, str(first), str(last), keyed_only=True)
    missing = [(cell.centre_id, cell.period) for cell in rate.cells.values() if cell.expected and (cell.centre_id, str(cell.period)) not in approved]
    if missing:
        listed = ", ".join(f"{names[centre_id]} {period}" for centre_id, period in sorted(missing, key=lambda m: (str(m[1]), m[0]))[:MISSING_LISTED_AT_MOST])
        raise Conflict(t("A public edition shows approved figures only, and {count} of the months it needs have not been received "
                         "as submitted yet, with cell keys (for example: {listed}). Import the centres' bundles first (a centre that "
                         "upgraded Caseworker sends its keys at its next sync); the internal edition can be printed now.", count=len(missing), listed=listed))


class _DistrictSums:
    """The districts' figures as first submitted, summed over a period by the database, for the
    editions of one issue."""

    def __init__(self, district_of: Mapping[str, str]) -> None:
        self.district_of = district_of

    def of(self, conn: Connection, first: Period, last: Period) -> dict[str, dict[CellKey, KeyedCount]]:
        parts: dict[str, list[Mapping[CellKey, KeyedCount]]] = {district: [] for district in self.district_of.values()}
        for centre_id, figures in sync_repo.centre_basis_sums(conn, str(first), str(last)).items():
            if centre_id in self.district_of:
                parts[self.district_of[centre_id]].append(figures)
        # A district of one centre has that centre's sums, keys already reduced by the database.
        return {district: figures[0] if len(figures) == 1 else add_up(figures) for district, figures in parts.items()}


def earlier_editions(session: Session, scope: str, first: Period, last: Period, count: int) -> list[PublicEdition]:
    """The released editions of the ``count`` periods of the same length before ``first``..``last``
    (oldest first), for comparisons and trend charts; periods never released are left out."""
    length = len(months_between(first, last))
    found = []
    for step in range(count, 0, -1):
        edition = released(session, scope, first.plus(-length * step), last.plus(-length * step))
        if edition is not None:
            found.append(edition)
    return found
