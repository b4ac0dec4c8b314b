"""What the home page shows, as plain data: the month so far in four figures with a year of
history, the month to approve and the next step, when the statistics last left and where, what
needs attention (each with the page that deals with it), the first-run checklist of a new
centre, and for the coordinator the city's month and which centres are late.

Every "done" of the checklist is read from the store itself (users, pinned profile, delivery
folders, audit log); the one thing the store cannot know, that the recovery key is on paper, is
written in the audit log when the person says so (``keep_recovery_key``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from caseworker.app import coordination
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.app import users as users_uc
from caseworker.app.overview import enrolled_text
from caseworker.app.session import Session
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.domain.users import Permission, StoreRole
from caseworker.i18n import t, tn
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.storage import audit as audit_repo
from caseworker.storage import sync as sync_repo

RECOVERY_KEY_KEPT = "recovery_key.kept"
HISTORY_MONTHS = 12

# The four figures of the month, by the indicator that holds each.
FIGURES = (
    ("NEW_APPLICANTS", lambda: t("New applicants")),
    ("RETURNING_CLIENTS", lambda: t("Follow-ups")),
    ("SESSIONS", lambda: t("Sessions")),
    ("AWARENESS_EVENTS", lambda: t("Events")),
)


@dataclass(frozen=True)
class Figure:
    indicator: str
    label: str
    value: int
    # The last HISTORY_MONTHS months, oldest first, ending with the month shown; None where the
    # store holds nothing for a month.
    history: list[int | None]


@dataclass(frozen=True)
class Action:
    """Something to do and where: ``page`` is the sidebar page that does it; ``step`` names a
    particular action on it (``submit``, ``reopen``, ``send``, ``import-profile``, …)."""

    label: str
    page: str
    step: str = ""
    period: Period | None = None


@dataclass(frozen=True)
class AttentionItem:
    text: str
    action: Action | None = None


@dataclass(frozen=True)
class MonthStep:
    period: Period
    status: str
    status_label: str
    explanation: str
    action: Action | None


@dataclass(frozen=True)
class LastSent:
    at: str  # local time, "2026-12-01 14:03"
    where: str


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    explanation: str
    done: bool
    action: Action


@dataclass(frozen=True)
class CityMonth:
    period: Period
    expected: int
    received: int
    on_time: int
    late: list[str]  # "Name (District)" of each centre whose month has not arrived


@dataclass(frozen=True)
class Dashboard:
    store_role: StoreRole
    store_name: str
    place: str
    people: str  # who may open the store (and, for the coordinator, how many centres are enrolled)
    period: Period  # the month in progress
    figures: list[Figure]
    month_step: MonthStep | None = None
    last_sent: LastSent | None = None
    attention: list[AttentionItem] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    city: CityMonth | None = None

    @property
    def checklist_done(self) -> bool:
        return all(item.done for item in self.checklist)


def keep_recovery_key(session: Session) -> None:
    """Record that the recovery key is printed or written down (the store cannot know it)."""
    with session.transaction() as conn:
        if not audit_repo.has_action(conn, RECOVERY_KEY_KEPT):
            session.audit(conn, RECOVERY_KEY_KEPT)


def dashboard(session: Session, today: date | None = None) -> Dashboard:
    current = Period.current(today)
    if session.store_role is StoreRole.CENTRE:
        return _centre(session, current)
    return _coordinator(session, current, today)


def _total(values: dict[CellKey, int], indicator: str) -> int:
    return sum(value for cell, value in values.items() if cell.indicator == indicator)


def _place(session: Session) -> str:
    user, role = session.user.name, session.user.role.label()
    if session.info.district:
        return t("{district}, İzmir — signed in as {user} ({role})", district=session.info.district, user=user, role=role)
    return t("Signed in as {user} ({role})", user=user, role=role)


def _people(session: Session, centres: int | None) -> str:
    people = tn(len(users_uc.list_users(session)), "{count} user may open this store.", "{count} users may open this store.")
    return people if centres is None else f"{people} {enrolled_text(centres)}."


def _centre_figures(session: Session, current: Period) -> list[Figure]:
    months = counts_uc.recorded_history(session, current.next(), HISTORY_MONTHS)
    return [
        Figure(code, label(), _total(months[-1] or {}, code), [None if month is None else _total(month, code) for month in months])
        for code, label in FIGURES
    ]


def _local(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _centre(session: Session, current: Period) -> Dashboard:
    previous = current.previous()
    review = months_uc.review(session, previous)
    with session.reading() as conn:
        profile = sync_repo.pinned_profile(conn)
        targets = sync_repo.targets(conn)
        waiting = sync_repo.outbox(conn)
        changed = [period for period, _ in sync_repo.changed_months(conn)]
        delivered = [d for d in sync_repo.deliveries(conn) if d.delivered_at]
        kept_key = audit_repo.has_action(conn, RECOVERY_KEY_KEPT)
        requested = audit_repo.has_action(conn, "enrol.request")
    supervisor = session.may(Permission.SUBMIT_MONTH)
    attention: list[AttentionItem] = []
    last_sent = None
    if delivered:
        latest = max(delivered, key=lambda d: d.delivered_at or "")
        last_sent = LastSent(_local(latest.delivered_at or ""), latest.target_path)

    status = review.status
    if status != "submitted":
        if review.blocking:
            explanation = tn(len(review.blocking), "{period} has {count} check that must be fixed before it is approved.",
                             "{period} has {count} checks that must be fixed before it is approved.", period=previous)
        else:
            explanation = t("{period} has ended: check its figures and approve it, so that it goes to the coordinator.", period=previous)
        action = Action(t("Approve {period}…", period=previous), "month", "submit", previous) if supervisor else None
        if not supervisor:
            explanation += " " + t("A supervisor approves it.")
    elif waiting or str(previous) in changed:
        explanation = t("{period} is approved but not sent yet.", period=previous)
        action = Action(t("Send now"), "sync", "send")
    else:
        explanation = t("{period} is approved and sent. Reopen it only to correct it.", period=previous)
        action = Action(t("Reopen {period}…", period=previous), "month", "reopen", previous) if supervisor else None
    step = MonthStep(previous, status, months_uc.status_label(status), explanation, action)

    for result in review.problems[:3]:
        attention.append(AttentionItem(t("{period}: check “{rule}” does not pass.", period=previous, rule=result.rule.label()),
                                       Action(t("Open the month"), "month", "", previous)))
    if waiting:
        attention.append(AttentionItem(tn(len(waiting), "{count} bundle waits to be delivered.", "{count} bundles wait to be delivered."),
                                       Action(t("Open Sync"), "sync")))
    if profile is None:
        attention.append(AttentionItem(t("The coordinator's profile is not imported yet, so statistics cannot be sent."),
                                       Action(t("Open Sync"), "sync")))
    elif not targets:
        attention.append(AttentionItem(t("No delivery folder is chosen, so bundles stay on this computer."),
                                       Action(t("Open Sync"), "sync")))

    checklist: list[ChecklistItem] = []
    if session.may(Permission.MANAGE_USERS):
        users = users_uc.list_users(session)
        checklist = [
            ChecklistItem("recovery-key", t("Keep the recovery key on paper"),
                          t("Without it a forgotten passphrase locks the store for good."), kept_key,
                          Action(t("I have it on paper"), "home", "keep-recovery-key")),
            ChecklistItem("users", t("Add the centre's caseworkers"),
                          t("Each person opens the store with her own name and passphrase."), len(users) > 1,
                          Action(t("Add a user…"), "users", "add-user")),
            ChecklistItem("enrolment", t("Send the enrolment request to the coordinator"),
                          t("Save the request as a file and give it to the coordinator."), requested or profile is not None,
                          Action(t("Save the enrolment request…"), "sync", "save-request")),
            ChecklistItem("profile", t("Import the coordinator's profile"),
                          t("The file the coordinator sends back; compare its fingerprint on the phone."), profile is not None,
                          Action(t("Import the coordinator's profile…"), "sync", "import-profile")),
            ChecklistItem("delivery", t("Choose a delivery folder"),
                          t("Where bundles of statistics are copied for the coordinator."), bool(targets),
                          Action(t("Choose a delivery folder…"), "sync", "add-folder")),
        ]
    return Dashboard(
        store_role=session.store_role, store_name=session.info.name, place=_place(session), people=_people(session, None), period=current,
        figures=_centre_figures(session, current), month_step=step, last_sent=last_sent, attention=attention, checklist=checklist,
    )


def _coordinator(session: Session, current: Period, today: date | None) -> Dashboard:
    from caseworker.app.sync_import import gap_text, gaps

    previous = current.previous()
    enrolled = coordination.centres(session)
    attention: list[AttentionItem] = []
    figures: list[Figure] = []
    city = None
    if session.may(Permission.COORDINATE):
        deadline_day = load_settings(HomePaths(session.home).settings).report_deadline_day
        rate = coordination.reporting_rate(session, previous, previous, deadline_day, today)
        expected, received, on_time = rate.rate(previous)
        late = [f"{c.name} ({c.district})" for c in rate.centres
                if rate.cells[(c.centre_id, previous)].expected and not rate.cells[(c.centre_id, previous)].received]
        city = CityMonth(previous, expected, received, on_time, late)
        months = [previous.plus(-offset) for offset in range(HISTORY_MONTHS - 1, -1, -1)]
        sums = [coordination.consolidated(session, month).values if enrolled else {} for month in months]
        figures = [Figure(code, label(), _total(sums[-1], code), [_total(values, code) for values in sums]) for code, label in FIGURES]
        if late:
            attention.append(AttentionItem(tn(len(late), "{count} centre has not sent {period} yet.", "{count} centres have not sent {period} yet.", period=previous),
                                           Action(t("Open Centres"), "centres")))
    if not enrolled:
        attention.append(AttentionItem(t("No centre is enrolled yet: accept each centre's enrolment request."), Action(t("Open Sync"), "sync")))
    for centre_id, sequences in gaps(session).items():
        attention.append(AttentionItem(gap_text(centre_id, sequences), Action(t("Open Sync"), "sync")))
    return Dashboard(
        store_role=session.store_role, store_name=session.info.name, place=_place(session), people=_people(session, len(enrolled)), period=current,
        figures=figures, attention=attention, city=city,
    )
