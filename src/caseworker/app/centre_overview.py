"""The coordinator's view of each enrolled centre: its district, the key it signs with, the last
bundle it sent, and how completely it reported a year (months on time, late, missing).

Completeness counts only the months the reporting rate expects (``coordination.reporting_rate``):
ended, and from a centre enrolled by then. *On time*: submitted and received by the deadline;
*late*: received, but not submitted by the deadline; *missing*: never received, its deadline
passed; *awaited*: not received yet, its deadline still ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from caseworker.app import coordination
from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role
from caseworker.domain.periods import Period, Year
from caseworker.domain.users import Permission, StoreRole
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.storage import sync as sync_repo


@dataclass(frozen=True)
class Completeness:
    expected: int
    on_time: int
    late: int
    missing: int
    awaited: int = 0


@dataclass(frozen=True)
class CentreSummary:
    centre_id: str
    name: str
    district: str
    enrolled_at: str
    fingerprint: str | None  # of the key it signs with now; None once every key of it is revoked
    revoked_at: str | None  # when its last key was revoked, if it has no key that counts
    last_bundle: sync_repo.LastBundle | None
    completeness: Completeness

    @property
    def revoked(self) -> bool:
        return self.fingerprint is None


@dataclass(frozen=True)
class CentresOverview:
    year: int
    centres: list[CentreSummary]
    years: list[int]  # the years with anything to show, newest first


def default_year(today: date | None = None) -> int:
    """The year of the last month that has ended: in January, the year before."""
    return Period.current(today).previous().year


def overview(session: Session, year: int | None = None, today: date | None = None) -> CentresOverview:
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    year = year or default_year(today)
    months = Year(year).months()
    deadline_day = load_settings(HomePaths(session.home).settings).report_deadline_day
    now = datetime.combine(today, time(12), timezone.utc) if today else datetime.now(timezone.utc)
    rate = coordination.reporting_rate(session, months[0], months[-1], deadline_day, today)
    summaries = []
    with session.reading() as conn:
        keys = sync_repo.centre_keys(conn)
        first_year = conn.execute("SELECT min(period) FROM centre_months").fetchone()[0]
        for centre in rate.centres:
            own = [key for key in keys if key.centre_id == centre.centre_id]
            active = next((key for key in own if key.revoked_at is None), None)
            cells = [rate.cells[(centre.centre_id, period)] for period in rate.periods]
            expected = [cell for cell in cells if cell.expected]
            on_time = sum(cell.on_time for cell in expected)
            received = sum(cell.received for cell in expected)
            awaited = sum(not cell.received and coordination.deadline(cell.period, deadline_day) > now for cell in expected)
            summaries.append(CentreSummary(
                centre.centre_id, centre.name, centre.district, centre.enrolled_at,
                active.fingerprint if active else None,
                None if active or not own else max(key.revoked_at or "" for key in own),
                sync_repo.last_received(conn, centre.centre_id),
                Completeness(len(expected), on_time, received - on_time, len(expected) - received - awaited, awaited),
            ))
    newest = default_year(today)
    oldest = int(first_year[:4]) if first_year else newest
    return CentresOverview(year, summaries, list(range(max(newest, year), min(oldest, year) - 1, -1)))
