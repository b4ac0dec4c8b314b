"""Home: the store, the current month and what needs attention."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseworker.app.months import status_label
from caseworker.app.overview import enrolled_text, overview
from caseworker.app.session import Session
from caseworker.domain.users import StoreRole
from caseworker.i18n import t, tn
from caseworker.ui.common import Retranslatable, heading, note


class HomePage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        self.title = heading(size=18)
        self.place = note()
        self.month = heading(size=13)
        self.people = note()
        self.attention_title = heading(size=13)
        self.attention = note()
        self.attention.setAccessibleName("attention")
        for widget in (self.title, self.place, self.month, self.people, self.attention_title, self.attention):
            layout.addWidget(widget)
        layout.addStretch()
        self.watch_language()

    def retranslate(self) -> None:
        if not self.session.is_open:
            return
        summary = overview(self.session)
        self.title.setText(summary.store_name)
        if summary.district:
            self.place.setText(t("{district}, İzmir — signed in as {user} ({role})", district=summary.district, user=summary.user, role=summary.role_label))
        else:
            self.place.setText(t("Signed in as {user} ({role})", user=summary.user, role=summary.role_label))
        if summary.store_role is StoreRole.CENTRE:
            self.month.setText(t("This month ({period}): {status}", period=summary.current_period, status=status_label(summary.current_status)))
        else:
            self.month.setText(t("Coordination of the centres' statistics"))
        people = tn(summary.users, "{count} user may open this store.", "{count} users may open this store.")
        if summary.store_role is StoreRole.COORDINATOR:
            people += " " + enrolled_text(summary.centres) + "."
        self.people.setText(people)
        self.attention_title.setText(t("Needs attention"))
        self.attention.setText("\n".join(f"• {line}" for line in summary.attention) or t("Nothing needs attention."))
