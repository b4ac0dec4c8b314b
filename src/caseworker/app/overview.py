"""What the home page and the status bar show: a plain summary of the store and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass, field

from caseworker.app import coordination
from caseworker.app import months as months_uc
from caseworker.app import users as users_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings


@dataclass(frozen=True)
class Overview:
    store_name: str
    district: str
    store_role: StoreRole
    user: str
    role_label: str
    current_period: Period
    current_status: str
    attention: list[str] = field(default_factory=list)
    sync_state: str = ""
    users: int = 0
    centres: int = 0


def overview(session: Session) -> Overview:
    current = Period.current()
    attention: list[str] = []
    sync_state = ""
    status = ""
    centre_count = 0
    if session.store_role is StoreRole.CENTRE:
        review = months_uc.review(session, current)
        status = review.status
        previous = months_uc.review(session, current.previous())
        if previous.status != "submitted":
            attention.append(t("{period} is not submitted yet.", period=previous.period))
        for result in previous.problems[:3]:
            attention.append(t("{period}: check “{rule}” does not pass.", period=previous.period, rule=result.rule.label()))
        from caseworker.app.sync_outbox import outbox_status

        state = outbox_status(session)
        waiting = len(state.waiting)
        sync_state = t("{count} bundle(s) waiting", count=waiting) if waiting else (t("nothing waiting to be sent") if state.profile else t("coordinator not set up"))
        if waiting:
            attention.append(t("{count} bundle(s) wait to be delivered.", count=waiting))
        if state.profile is None:
            attention.append(t("The coordinator's profile is not imported yet, so statistics cannot be sent: import it on the Sync page."))
    else:
        from caseworker.app.sync_import import gaps, gaps_text

        enrolled = coordination.centres(session)
        centre_count = len(enrolled)
        previous = current.previous()
        if enrolled:
            deadline_day = load_settings(HomePaths(session.home).settings).report_deadline_day
            expected, received, _on_time = coordination.reporting_rate(session, previous, previous, deadline_day).rate(previous)
            if received < expected:
                attention.append(t("{received} of {expected} centres have sent their figures for {period}.", received=received, expected=expected, period=previous))
        else:
            attention.append(t("No centre is enrolled yet: accept each centre's enrolment request on the Sync page."))
        missing = gaps(session)
        for centre_id, sequences in missing.items():
            attention.append(t("Centre {id} is missing bundle(s): {sequences}.", id=centre_id, sequences=gaps_text(sequences)))
        sync_state = t("{count} centre(s) enrolled", count=centre_count)
    return Overview(
        store_name=session.info.name,
        district=session.info.district,
        store_role=session.store_role,
        user=session.user.name,
        role_label=session.user.role.label(),
        current_period=current,
        current_status=status,
        attention=attention,
        sync_state=sync_state,
        users=len(users_uc.list_users(session)),
        centres=centre_count,
    )
