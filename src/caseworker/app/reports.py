"""Use cases for printed reports: the centre's monthly summary and the coordinator's city report
(PDF, and their tables as CSV).

Who may print: a report is a plaintext copy of the store's figures that leaves the encrypted
store, like ``counts export-csv``, so it needs ``Permission.EXPORT``: supervisors (who check,
submit and print the month, as DESIGN.md says) and coordinators; caseworkers may not. The
monthly summary is a centre's report: a coordinator's store has no figures of its own (it
prints the city report). A summary of a month still open is allowed and says "draft" on its
first page. Each printed report is written into the audit log (month, public or internal).

The city report is the coordinator's (``Permission.COORDINATE``, on a coordinator's store): the
sum of the figures the centres sent, over a range of months. A public one covers a month, a
calendar quarter or a calendar year only (DESIGN.md: published periods are fixed, so that no
two published figures differ by one month); an internal one any range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from caseworker import __version__
from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period, months_between
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import LANGUAGES, t
from caseworker.reports import city
from caseworker.reports.monthly import TREND_MONTHS, MonthlyInput, build_summary, render_summary
from caseworker.reports.tables import write_csv
from caseworker.settings import load as load_settings
from caseworker.storage import sync as sync_repo
from caseworker.storage.atomic import write_atomic


@dataclass(frozen=True)
class MonthlySummaryResult:
    path: Path
    period: Period
    language: str
    public: bool
    status: str
    pages: int
    hidden_values: int
    csv_files: tuple[Path, ...]


def monthly_summary(session: Session, period: Period, out: Path, language: str = "tr", public: bool = False,
                    csv_dir: Path | None = None, now: datetime | None = None) -> MonthlySummaryResult:
    """Print the summary of ``period`` to ``out`` (written atomically); with ``csv_dir``, write
    each of its tables there as CSV too. ``public`` applies disclosure control."""
    session.require(Permission.EXPORT)
    if session.store_role is not StoreRole.CENTRE:
        raise Conflict(t("The monthly summary is a centre's report, and this store has no figures of its own. Print the city report instead."))
    if language not in LANGUAGES:
        raise InvalidInput(t("The report language must be one of: {languages}.", languages=", ".join(LANGUAGES)))
    if period > Period.current():
        raise InvalidInput(t("{period} has not begun yet, so there is nothing to report.", period=period))
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the PDF file to write.", path=out))
    counts = counts_uc.month_counts(session, period)
    earlier = counts_uc.history(session, period, TREND_MONTHS)
    months = {period.plus(offset - TREND_MONTHS): values for offset, values in enumerate(earlier) if values}
    if counts.values:
        months[period] = counts.values
    review = months_uc.review(session, period)
    source = MonthlyInput(
        catalogue=catalogue_uc.version(session, counts.catalogue_version),
        centre=session.info.name,
        district=session.info.district,
        period=period,
        months=months,
        status=review.status,
        status_by=review.status_by,
        status_at=review.status_at,
        reopen_reason=review.reopen_reason,
        problems=review.problems,
        outliers=review.outliers,
        language=language,
        public=public,
        generated_at=now or datetime.now(timezone.utc),
        version=__version__,
    )
    summary = build_summary(source)
    rendered = render_summary(summary)
    write_atomic(out, rendered.data)
    csv_files = tuple(write_csv(summary.tables, Path(csv_dir))) if csv_dir is not None else ()
    with session.transaction() as conn:
        session.audit(conn, "report.monthly", f"{period} {'public' if public else 'internal'}")
    return MonthlySummaryResult(out, period, language, public, review.status, rendered.pages,
                                summary.hidden, csv_files)


@dataclass(frozen=True)
class CityReportResult:
    path: Path
    first: Period
    last: Period
    language: str
    public: bool
    centres: int
    pages: int
    hidden_values: int
    csv_files: tuple[Path, ...]


def city_report(session: Session, first: Period, last: Period, out: Path, language: str = "tr", public: bool = False,
                csv_dir: Path | None = None, now: datetime | None = None) -> CityReportResult:
    """Print the city report of the months ``first`` to ``last`` to ``out`` (written atomically);
    with ``csv_dir``, write each of its tables there as CSV too. ``public`` applies disclosure
    control and allows only a month, a calendar quarter or a calendar year."""
    if session.store_role is not StoreRole.COORDINATOR:
        raise Conflict(t("The city report is the coordinator's, and this is a centre's store. Print the monthly summary instead."))
    session.require(Permission.COORDINATE)
    if language not in LANGUAGES:
        raise InvalidInput(t("The report language must be one of: {languages}.", languages=", ".join(LANGUAGES)))
    periods = months_between(first, last)
    if last > Period.current():
        raise InvalidInput(t("{period} has not begun yet, so there is nothing to report.", period=last))
    if public and not city.is_fixed_range(first, last):
        raise InvalidInput(t("A public report covers a single month, a calendar quarter or a calendar year, so that no two published "
                             "figures differ by a month; {first} to {last} is none of these. Give, for example, {example}.",
                             first=first, last=last, example=f"{first.quarter.months()[0]} {first.quarter.months()[-1]}"))
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the PDF file to write.", path=out))
    enrolled = coordination.centres(session)
    if not enrolled:
        raise Conflict(t("No centre is enrolled yet, so there are no figures for a city report. Enrol the centres and import their bundles first."))
    deadline_day = load_settings(session.store.paths.settings).report_deadline_day
    rate = coordination.reporting_rate(session, first, last, deadline_day)
    moment = now or datetime.now(timezone.utc)
    needed = sorted({*periods, *(p.plus(-12) for p in periods), *city.trend_months(first, last)})
    ids = [found.centre_id for found in enrolled]
    with session.reading() as conn:
        months = {period: values for period in needed if (values := sync_repo.centre_values(conn, str(period), ids))}
    source = city.CityInput(
        catalogue=catalogue_uc.current(session),
        unit=session.info.name,
        first=first,
        last=last,
        centres=tuple(city.CentreRow(found.centre_id, found.name, found.district) for found in enrolled),
        months=months,
        reporting={key: city.ReportingMonth(cell.expected, cell.received, cell.on_time, cell.status,
                                            overdue=coordination.deadline(key[1], deadline_day) < moment)
                   for key, cell in rate.cells.items()},
        language=language,
        public=public,
        generated_at=moment,
        version=__version__,
    )
    report = city.build_report(source)
    rendered = city.render_report(report)
    write_atomic(out, rendered.data)
    csv_files = tuple(write_csv(report.tables, Path(csv_dir))) if csv_dir is not None else ()
    with session.transaction() as conn:
        session.audit(conn, "report.city", f"{first} {last} {'public' if public else 'internal'}")
    return CityReportResult(out, first, last, language, public, len(enrolled), rendered.pages, report.hidden, csv_files)
