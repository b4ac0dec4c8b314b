"""Use cases for printed reports: the centre's monthly summary and the coordinator's city report
(PDF, and their tables as CSV).

Who may print: a report is a plaintext copy of the store's figures that leaves the encrypted
store, like ``counts export-csv``, so it needs ``Permission.EXPORT``: supervisors (who check,
submit and print the month, as DESIGN.md says) and coordinators; caseworkers may not. The
monthly summary is a centre's report: a coordinator's store has no figures of its own (it
prints the city report). A summary of a month still open is allowed and says "draft" on its
first page. Each printed report is written into the audit log (month, public or internal).

The city report is the coordinator's (``Permission.COORDINATE``, on a coordinator's store): the
sum of the figures the centres sent, over a range of months; an internal one covers any range.

A public report is the rendering of a public edition (``app.releases``: the release grid, the
register, figures as first submitted, perturbed): it is issued once, then given again with the
same figures; the report is made from the edition and the editions released before it, never
from exact figures. ``out`` may be None for a public edition wanted as data only (``--json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from caseworker import __version__
from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import releases as releases_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period, months_between
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import LANGUAGES, t
from caseworker.reports import city, method_note
from caseworker.reports.monthly import TREND_MONTHS, MonthlyInput, build_summary, render_summary
from caseworker.reports.monthly import trend_months as monthly_trend_months
from caseworker.reports.pdf import RenderedPdf
from caseworker.reports.tables import ReportTable, write_csv
from caseworker.settings import load as load_settings
from caseworker.storage import sync as sync_repo
from caseworker.storage.atomic import write_atomic


PUBLIC_TREND_PERIODS = {3: 7, 12: 4}
"""How many released periods before a public city edition its trend chart may show: the seven
quarters before a quarter (two years in all), the four years before a year."""


@dataclass(frozen=True)
class MonthlySummaryResult:
    path: Path | None
    period: Period
    language: str
    public: bool
    status: str
    pages: int
    csv_files: tuple[Path, ...]
    release: releases_uc.IssuedEdition | None = None


def monthly_summary(session: Session, period: Period, out: Path | None, language: str = "tr", public: bool = False,
                    csv_dir: Path | None = None, now: datetime | None = None) -> MonthlySummaryResult:
    """Print the summary of ``period`` to ``out`` (written atomically); with ``csv_dir``, write
    each of its tables there as CSV too. ``public``: the month's public edition."""
    session.require(Permission.EXPORT)
    if session.store_role is not StoreRole.CENTRE:
        raise Conflict(t("The monthly summary is a centre's report, and this store has no figures of its own. Print the city report instead."))
    _check_language(language)
    if period > Period.current():
        raise InvalidInput(t("{period} has not begun yet, so there is nothing to report.", period=period))
    _check_out(out)
    moment = now or datetime.now(timezone.utc)
    if public:
        release = releases_uc.issue_centre_month(session, period)
        compared = {period.previous(), period.same_month_last_year(), *monthly_trend_months(period)} - {period}
        released = {month: found for month in compared if (found := releases_uc.released(session, "centre", month, month))}
        source = MonthlyInput(
            catalogue=catalogue_uc.current(session), centre=session.info.name, district=session.info.district, period=period,
            months={}, status="submitted", status_by=None, status_at=None, reopen_reason=None, problems=(), outliers=(),
            language=language, public=True, generated_at=moment, version=__version__,
            edition=release.edition, released=released, issued_at=datetime.fromisoformat(release.issued_at),
        )
    else:
        release = None
        counts = counts_uc.month_counts(session, period)
        earlier = counts_uc.history(session, period, TREND_MONTHS)
        months = {period.plus(offset - TREND_MONTHS): values for offset, values in enumerate(earlier) if values}
        if counts.values:
            months[period] = counts.values
        review = months_uc.review(session, period)
        source = MonthlyInput(
            catalogue=catalogue_uc.version(session, counts.catalogue_version), centre=session.info.name, district=session.info.district,
            period=period, months=months, status=review.status, status_by=review.status_by, status_at=review.status_at,
            reopen_reason=review.reopen_reason, problems=review.problems, outliers=review.outliers, language=language, public=False,
            generated_at=moment, version=__version__,
        )
    summary = build_summary(source)
    pages = _write_pdf(out, render_summary(summary) if out is not None else None)
    csv_files = _write_tables(csv_dir, summary.tables, summary.method_note, language)
    with session.transaction() as conn:
        session.audit(conn, "report.monthly", f"{period} {'public' if public else 'internal'}")
    return MonthlySummaryResult(out, period, language, public, source.status, pages, csv_files, release)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(t("The report language must be one of: {languages}.", languages=", ".join(LANGUAGES)))


def _check_out(out: Path | None) -> None:
    if out is not None and Path(out).is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the PDF file to write.", path=out))


def _write_pdf(out: Path | None, rendered: RenderedPdf | None) -> int:
    """Write the PDF if one is wanted; the number of pages written."""
    if out is None or rendered is None:
        return 0
    write_atomic(Path(out), rendered.data)
    return rendered.pages


def _write_tables(csv_dir: Path | None, tables: Sequence[ReportTable], note: Sequence[str], language: str) -> tuple[Path, ...]:
    """The report's tables as CSV, and a public edition's method note beside them."""
    if csv_dir is None:
        return ()
    written = write_csv(tables, Path(csv_dir))
    if note:
        written.insert(0, method_note.write(Path(csv_dir), note, language))
    return tuple(written)


@dataclass(frozen=True)
class CityReportResult:
    path: Path | None
    first: Period
    last: Period
    language: str
    public: bool
    centres: int
    pages: int
    csv_files: tuple[Path, ...]
    release: releases_uc.IssuedEdition | None = None


def city_report(session: Session, first: Period, last: Period, out: Path | None, language: str = "tr", public: bool = False,
                csv_dir: Path | None = None, now: datetime | None = None) -> CityReportResult:
    """Print the city report of the months ``first`` to ``last`` to ``out`` (written atomically);
    with ``csv_dir``, write each of its tables there as CSV too. ``public``: the period's public
    edition (a calendar quarter or year, ended and approved)."""
    if session.store_role is not StoreRole.COORDINATOR:
        raise Conflict(t("The city report is the coordinator's, and this is a centre's store. Print the monthly summary instead."))
    session.require(Permission.COORDINATE)
    _check_language(language)
    periods = months_between(first, last)
    if last > Period.current():
        raise InvalidInput(t("{period} has not begun yet, so there is nothing to report.", period=last))
    _check_out(out)
    enrolled = coordination.centres(session)
    if not enrolled:
        raise Conflict(t("No centre is enrolled yet, so there are no figures for a city report. Enrol the centres and import their bundles first."))
    deadline_day = load_settings(session.store.paths.settings).report_deadline_day
    rate = coordination.reporting_rate(session, first, last, deadline_day)
    release = releases_uc.issue_city(session, first, last, rate=rate) if public else None
    moment = now or datetime.now(timezone.utc)
    range_sums: dict[tuple[Period, Period], dict[str, dict]] = {}
    month_totals: dict[Period, dict[str, int]] | None = None
    if release is None:
        ids = [found.centre_id for found in enrolled]
        with session.reading() as conn:  # the database sums: a year of thirty centres is tens of thousands of rows
            range_sums[(first, last)] = sync_repo.centre_sums(conn, str(first), str(last), ids)
            by_month = sync_repo.city_totals_by_month(conn, str(first.plus(-12)), str(last), ids)
        month_totals = {Period.parse(period): totals for period, totals in by_month.items()}
    earlier = releases_uc.earlier_editions(session, "city", first, last, PUBLIC_TREND_PERIODS[len(periods)]) if release else []
    source = city.CityInput(
        catalogue=catalogue_uc.current(session),
        unit=session.info.name,
        first=first,
        last=last,
        centres=tuple(city.CentreRow(found.centre_id, found.name, found.district) for found in enrolled),
        months={},
        range_sums=range_sums,
        month_totals=month_totals,
        reporting={key: city.ReportingMonth(cell.expected, cell.received, cell.on_time, cell.status,
                                            overdue=coordination.deadline(key[1], deadline_day) < moment)
                   for key, cell in rate.cells.items()},
        language=language,
        public=public,
        generated_at=moment,
        version=__version__,
        edition=release.edition if release else None,
        released={(edition.first, edition.last): edition for edition in earlier},
        issued_at=datetime.fromisoformat(release.issued_at) if release else None,
    )
    report = city.build_report(source)
    pages = _write_pdf(out, city.render_report(report) if out is not None else None)
    csv_files = _write_tables(csv_dir, report.tables, report.method_note, language)
    with session.transaction() as conn:
        session.audit(conn, "report.city", f"{first} {last} {'public' if public else 'internal'}")
    return CityReportResult(out, first, last, language, public, len(enrolled), pages, csv_files, release)
