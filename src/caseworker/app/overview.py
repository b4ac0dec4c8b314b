"""What the home page and the status bar show: a plain summary of the store and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass, field

from caseworker.app import months as months_uc
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.i18n import t


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


def overview(session: Session) -> Overview:
    current = Period.current()
    attention: list[str] = []
    sync_state = ""
    status = ""
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
            attention.append(t("The coordinator's profile is not imported yet, so statistics cannot be sent."))
    else:
        from caseworker.app.sync_import import gaps

        missing = gaps(session)
        for centre_id, sequences in missing.items():
            attention.append(t("Centre {id} is missing bundle(s): {sequences}.", id=centre_id, sequences=", ".join(map(str, sequences))))
        sync_state = t("coordinator")
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
    )
