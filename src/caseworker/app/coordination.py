"""Coordinator use cases over the centres' figures: reporting rate and consolidated counts.

Reporting rate (the DHIS2 view), per centre and month: *expected* when the centre was enrolled
before the month ended (or sent the month anyway); *received* when any snapshot of the month arrived; *on time* when a
submitted snapshot arrived by the deadline day of the following month; and the month's status at
the centre (open, submitted, reopened) as last received.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, months_between
from caseworker.domain.districts import normalised_district, require_district
from caseworker.domain.text import search_key, tr_sort_key
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import NotFound
from caseworker.i18n import t
from caseworker.storage import sync as sync_repo


@dataclass(frozen=True)
class ReportingCell:
    centre_id: str
    period: Period
    expected: bool
    received: bool
    on_time: bool
    status: str | None


@dataclass(frozen=True)
class ReportingRate:
    centres: list[sync_repo.Centre]
    periods: list[Period]
    cells: dict[tuple[str, Period], ReportingCell]

    def rate(self, period: Period) -> tuple[int, int, int]:
        """(expected, received, on time) for one month over all centres."""
        row = [self.cells[(c.centre_id, period)] for c in self.centres]
        return sum(c.expected for c in row), sum(c.received and c.expected for c in row), sum(c.on_time and c.expected for c in row)


def deadline(period: Period, deadline_day: int) -> datetime:
    following = period.next()
    return datetime.combine(date(following.year, following.month, deadline_day), time(23, 59, 59), tzinfo=timezone.utc)


def centres(session: Session) -> list[sync_repo.Centre]:
    _require_role(session, StoreRole.COORDINATOR)
    with session.reading() as conn:
        return sorted(sync_repo.centres(conn), key=lambda c: (tr_sort_key(c.district), tr_sort_key(c.name)))


def centre_keys(session: Session, centre_id: str | None = None) -> list[sync_repo.CentreKey]:
    _require_role(session, StoreRole.COORDINATOR)
    with session.reading() as conn:
        return sync_repo.centre_keys(conn, centre_id)


def reporting_rate(session: Session, first: Period, last: Period, deadline_day: int, today: date | None = None) -> ReportingRate:
    """Which centre's months are expected, received and on time. A month is expected once it has
    ended (never the month in progress) from a centre enrolled by its last day or that sent it."""
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    periods = months_between(first, last)
    enrolled = centres(session)
    with session.reading() as conn:
        held = {(m.centre_id, m.period): m for m in sync_repo.centre_months(conn, str(first), str(last))}
    cells = {}
    for found in enrolled:
        for period in periods:
            month = held.get((found.centre_id, str(period)))
            ended = period.last_day < (today or date.today())
            expected = ended and (found.enrolled_at[:10] <= period.last_day.isoformat() or month is not None)
            on_time = bool(month and month.submitted_received_at and month.submitted_received_at <= deadline(period, deadline_day).isoformat())
            cells[(found.centre_id, period)] = ReportingCell(found.centre_id, period, expected, month is not None, on_time, month.status if month else None)
    return ReportingRate(enrolled, periods, cells)


@dataclass(frozen=True)
class Consolidated:
    period: Period
    scope: str
    centre_ids: list[str]
    values: dict[CellKey, int]
    statuses: dict[str, str]


def consolidated(session: Session, period: Period, centre_id: str | None = None, district: str | None = None) -> Consolidated:
    """The sum of the centres' figures for a month: one centre, one district or the city."""
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    enrolled = centres(session)
    if centre_id:
        chosen = [c for c in enrolled if c.centre_id == centre_id]
        if not chosen:
            raise NotFound(t("There is no enrolled centre {centre}.", centre=centre_id))
        scope = centre_id
    elif district:
        wanted = search_key(normalised_district(district))
        chosen = [c for c in enrolled if search_key(c.district) == wanted]
        if not chosen:
            require_district(district)  # says so when the text names no district at all
            raise NotFound(t("No enrolled centre is in the district {district}.", district=district))
        scope = chosen[0].district
    else:
        chosen, scope = enrolled, t("city")
    ids = [c.centre_id for c in chosen]
    with session.reading() as conn:
        per_centre = sync_repo.centre_values(conn, str(period), ids)
        statuses = {cid: m.status for cid in ids if (m := sync_repo.centre_month(conn, cid, str(period)))}
    total: dict[CellKey, int] = defaultdict(int)
    for values in per_centre.values():
        for cell, value in values.items():
            total[cell] += value
    return Consolidated(period, scope, ids, dict(total), statuses)
