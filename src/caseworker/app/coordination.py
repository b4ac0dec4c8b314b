"""Coordinator use cases over the centres' figures: reporting rate and consolidated counts.

Reporting rate (the DHIS2 view), per centre and month: *expected* when the centre was enrolled
before the month ended (or sent the month anyway); *received* when any snapshot of the month arrived; *on time* when a
submitted snapshot arrived by the deadline day of the following month; and the month's status at
the centre (open, submitted, reopened) as last received.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


# A district's name is folded for every centre in every question about a district: once is enough.
_search_key = lru_cache(maxsize=4096)(search_key)
_district = lru_cache(maxsize=1024)(normalised_district)


def centres(session: Session) -> list[sync_repo.Centre]:
    _require_role(session, StoreRole.COORDINATOR)
    with session.reading() as conn:
        rows = sync_repo.centre_rows(conn)
    return list(_in_order(rows))


@lru_cache(maxsize=4)
def _in_order(rows: tuple[tuple[str, str, str, str], ...]) -> tuple[sync_repo.Centre, ...]:
    """The centres in Turkish order of district, then name. The figures of a month are asked for
    district by district and month by month, each time for every centre: the same rows are put in
    order once."""
    return tuple(sorted((sync_repo.Centre(*row) for row in rows), key=lambda c: (tr_sort_key(c.district), tr_sort_key(c.name))))


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
    today = today or date.today()
    # What depends on the month alone is worked out once per month, not once per centre and month.
    months = [(period, str(period), period.last_day < today, period.last_day.isoformat(), deadline(period, deadline_day).isoformat())
              for period in periods]
    cells = {}
    for found in enrolled:
        enrolled_on = found.enrolled_at[:10]
        for period, key, ended, last_day, due in months:
            month = held.get((found.centre_id, key))
            expected = ended and (enrolled_on <= last_day or month is not None)
            on_time = bool(month and month.submitted_received_at and month.submitted_received_at <= due)
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
        wanted = _search_key(_district(district))
        chosen = [c for c in enrolled if _search_key(c.district) == wanted]
        if not chosen:
            require_district(district)  # says so when the text names no district at all
            raise NotFound(t("No enrolled centre is in the district {district}.", district=district))
        scope = chosen[0].district
    else:
        chosen, scope = enrolled, t("city")
    ids = [c.centre_id for c in chosen]
    every = ids if centre_id or district else None  # the city: every centre, whose sums are kept as counts are written
    with session.reading() as conn:
        total = sync_repo.summed_values(conn, str(period), every)
        held = sync_repo.month_statuses(conn, str(period), every)
    statuses = {cid: held[cid] for cid in ids if cid in held}
    return Consolidated(period, scope, ids, total, statuses)
