"""Use cases for a month's status: what needs checking, submit, reopen.

open → submitted (a supervisor; high-importance rule failures block it) → reopened (a
supervisor, with a coded reason; audited) → submitted again. A submitted month refuses every
write with a message that says so and who can reopen it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import counts as counts_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.users import Permission
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import t
from caseworker.stats.outliers import OutlierHint, find_outliers
from caseworker.stats.validation import RuleResult, validate, violations
from caseworker.storage import counts as counts_repo
from caseworker.storage.store import now_utc

REOPEN_REASONS = ("correction", "late_data", "catalogue_change", "other")

def reason_label(code: str) -> str:
    return {
        "correction": t("correction of an error"),
        "late_data": t("late figures"),
        "catalogue_change": t("change of the catalogue"),
        "other": t("other reason"),
    }[code]


@dataclass(frozen=True)
class MonthReview:
    """What a supervisor sees before submitting: status, rule results and outlier hints."""

    period: Period
    status: str
    status_by: str | None
    status_at: str | None
    reopen_reason: str | None
    total_cells: int
    rules: list[RuleResult]
    problems: list[RuleResult]
    outliers: list[OutlierHint]
    # Right after submitting: one sentence saying whether the month was sent and, if not, why.
    sending: str | None = None

    @property
    def blocking(self) -> list[RuleResult]:
        return [r for r in self.problems if r.blocks_submission]

    @property
    def editable(self) -> bool:
        return self.status != "submitted"


def review(session: Session, period: Period) -> MonthReview:
    counts = counts_uc.month_counts(session, period)
    catalogue = catalogue_uc.version(session, counts.catalogue_version)
    with session.reading() as conn:
        row = counts_repo.month(conn, str(period))
    rules = validate(catalogue, counts.values)
    return MonthReview(
        period=period,
        status=counts.status,
        status_by=row.status_by if row else None,
        status_at=row.status_at if row else None,
        reopen_reason=row.reopen_reason if row else None,
        total_cells=sum(1 for v in counts.values.values() if v),
        rules=rules,
        problems=violations(rules),
        outliers=find_outliers(counts.values, counts_uc.recorded_history(session, period)),
    )


def submit(session: Session, period: Period, in_window: bool = False) -> MonthReview:
    """Submit a month and send it at once if the coordinator is known; ``in_window``: the
    sentence about sending speaks of the window's buttons rather than commands."""
    session.require(Permission.SUBMIT_MONTH)
    if period >= Period.current():
        raise Conflict(t("{period} is not over yet; a month is submitted once it has ended.", period=period))
    before = review(session, period)
    if before.status == "submitted":
        raise Conflict(t("{period} is already submitted.", period=period))
    if before.blocking:
        listed = "; ".join(problem_text(r) for r in before.blocking)
        raise Conflict(t("{period} cannot be submitted until these checks pass: {rules}", period=period, rules=listed))
    catalogue = catalogue_uc.current(session)
    with session.transaction() as conn:
        counts_repo.ensure_month(conn, str(period), catalogue.version, now_utc())
        counts_repo.set_status(conn, str(period), "submitted", session.user.name, now_utc())
        counts_repo.keep_basis(conn, str(period), now_utc())
        session.audit(conn, "month.submit", str(period))
    from caseworker.app.sync_outbox import send_after_submit

    sending = send_after_submit(session, in_window)
    return replace(review(session, period), sending=sending)


def reopen(session: Session, period: Period, reason: str) -> MonthReview:
    session.require(Permission.SUBMIT_MONTH)
    if reason not in REOPEN_REASONS:
        raise InvalidInput(t("The reason must be one of: {reasons}.", reasons=", ".join(REOPEN_REASONS)))
    with session.transaction() as conn:
        row = counts_repo.month(conn, str(period))
        if row is None or row.status != "submitted":
            raise Conflict(t("{period} is not submitted, so there is nothing to reopen.", period=period))
        counts_repo.set_status(conn, str(period), "reopened", session.user.name, now_utc(), reason)
        session.audit(conn, "month.reopen", f"{period} ({reason})")
    return review(session, period)


def importance_label(level: str) -> str:
    """How much a failing check matters, in words: high blocks submission."""
    return {"high": t("Must be fixed"), "medium": t("Please check"), "low": t("Note")}.get(level, level)


def problem_text(result: RuleResult, language: str | None = None) -> str:
    """A failing check in words: the rule's own sentence and the two figures it compares (in
    the order the sentence names them), not an expression like ``7 == 4``."""
    return t("{rule} (the figures: {left} and {right})", rule=result.rule.label(language), left=result.left, right=result.right)


def status_label(status: str) -> str:
    return {"open": t("open"), "submitted": t("submitted"), "reopened": t("reopened")}[status]
