"""Home: the month so far in four figures with a year of history, the month to approve and the
next step, when the statistics last left, what needs attention, and for a new centre the
first-run checklist; for the coordinator the city's month and the centres that are late.

Everything shown comes from ``app.home_dashboard``; every button opens the page that does the
work and starts it there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from caseworker.app import home_dashboard
from caseworker.app.home_dashboard import Action, Dashboard
from caseworker.app.session import Session
from caseworker.domain.users import StoreRole
from caseworker.i18n import t, tn
from caseworker.ui.common import Retranslatable, ask, heading, note
from caseworker.ui.design import SPACE, set_role, set_tone, set_type
from caseworker.ui.sparkline import Sparkline


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("card", True)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(SPACE["l"], SPACE["m"], SPACE["l"], SPACE["m"])
    layout.setSpacing(SPACE["s"])
    return frame, layout


def clear(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()  # gone at once, not when the event loop gets round to deleting it
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear(item.layout())


class FigureCard(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("card", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE["m"], SPACE["s"], SPACE["m"], SPACE["s"])
        self.label = note()
        set_type(self.label, "caption")
        self.value = note()
        set_type(self.value, "figure")
        self.sparkline = Sparkline()
        for widget in (self.label, self.value, self.sparkline):
            layout.addWidget(widget)

    def show_figure(self, figure: home_dashboard.Figure) -> None:
        self.label.setText(figure.label)
        self.value.setText(str(figure.value))
        known = ", ".join("–" if value is None else str(value) for value in figure.history)
        self.sparkline.set_values(figure.history, t("The last 12 months, oldest first: {values}", values=known))
        self.sparkline.setAccessibleName(t("{figure} over 12 months", figure=figure.label))


class HomePage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.dashboard: Dashboard | None = None
        self._shown = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setSpacing(SPACE["m"])
        self.title = heading(size=18)
        self.place = note()
        set_type(self.place, "caption")
        self.people = note()
        set_type(self.people, "caption")
        layout.addWidget(self.title)
        layout.addWidget(self.place)
        layout.addWidget(self.people)

        self.checklist_card, self.checklist_layout = card()
        layout.addWidget(self.checklist_card)

        self.figures_title = heading(size=13)
        layout.addWidget(self.figures_title)
        figures = QHBoxLayout()
        figures.setSpacing(SPACE["m"])
        self.figure_cards = [FigureCard() for _ in home_dashboard.FIGURES]
        for figure_card in self.figure_cards:
            figures.addWidget(figure_card, 1)
        layout.addLayout(figures)

        row = QHBoxLayout()
        row.setSpacing(SPACE["m"])
        self.month_card, month_layout = card()
        self.month_title = heading(size=12)
        self.month_text = note()
        self.month_button = set_role(QPushButton(), "primary")
        self.month_button.clicked.connect(lambda: self.run(self.dashboard.month_step.action if self.dashboard and self.dashboard.month_step else None))
        self.sent_title = heading(size=12)
        self.sent_text = note()
        for widget in (self.month_title, self.month_text):
            month_layout.addWidget(widget)
        month_layout.addWidget(self.month_button, alignment=Qt.AlignmentFlag.AlignLeft)
        month_layout.addWidget(self.sent_title)
        month_layout.addWidget(self.sent_text)
        month_layout.addStretch()
        row.addWidget(self.month_card, 1)
        self.attention_card, attention_layout = card()
        self.attention_title = heading(size=12)
        attention_layout.addWidget(self.attention_title)
        self.attention_layout = QVBoxLayout()
        attention_layout.addLayout(self.attention_layout)
        attention_layout.addStretch()
        row.addWidget(self.attention_card, 1)
        layout.addLayout(row)
        layout.addStretch()
        self.watch_language()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._shown:  # figures change on the other pages; the first time, they were just read
            self.refresh()
        self._shown = True

    def retranslate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_open:
            return
        self.dashboard = found = home_dashboard.dashboard(self.session)
        self.title.setText(found.store_name)
        self.place.setText(found.place)
        self.people.setText(found.people)
        self._show_checklist(found)
        centre = found.store_role is StoreRole.CENTRE
        if centre:
            self.figures_title.setText(t("This month so far ({period})", period=found.period))
        elif found.city is not None:
            self.figures_title.setText(t("The city in {period}", period=found.city.period))
        self.figures_title.setVisible(bool(found.figures))
        for figure_card, figure in zip(self.figure_cards, found.figures, strict=False):
            figure_card.show_figure(figure)
        for figure_card in self.figure_cards:
            figure_card.setVisible(bool(found.figures))
        self._show_month(found)
        self._show_attention(found)
        self._chain_focus()

    def _chain_focus(self) -> None:
        """Tab goes through the buttons in reading order: the checklist, the month, what needs
        attention (the checklist's and attention's buttons are made anew on every refresh)."""
        chain = [*self.checklist_card.findChildren(QPushButton), self.month_button, *self.attention_card.findChildren(QPushButton)]
        chain = [button for button in chain if not button.isHidden()]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _show_checklist(self, found: Dashboard) -> None:
        clear(self.checklist_layout)
        self.checklist_card.setVisible(bool(found.checklist) and not found.checklist_done)
        if not found.checklist or found.checklist_done:
            return
        done = sum(item.done for item in found.checklist)
        self.checklist_layout.addWidget(heading(t("Getting started"), size=13))
        self.checklist_layout.addWidget(note(tn(done, "{count} of {total} step done. The rest makes the centre ready to send its statistics.",
                                               "{count} of {total} steps done. The rest makes the centre ready to send its statistics.", total=len(found.checklist))))
        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACE["m"])
        grid.setColumnStretch(1, 1)
        for row, item in enumerate(found.checklist):
            mark = note(("✓ " + t("Done")) if item.done else ("○ " + t("To do")))
            set_tone(mark, "success" if item.done else "muted")
            text = QVBoxLayout()
            text.setSpacing(0)
            label = note(item.label)
            set_type(label, "subsection")
            text.addWidget(label)
            text.addWidget(note(item.explanation))
            grid.addWidget(mark, row, 0, alignment=Qt.AlignmentFlag.AlignTop)
            grid.addLayout(text, row, 1)
            if not item.done:
                button = QPushButton(item.action.label)
                button.setObjectName(f"checklist-{item.key}")
                button.setAccessibleName(f"{item.label}: {item.action.label}")
                button.setAccessibleDescription(item.explanation)
                button.clicked.connect(lambda _checked=False, action=item.action: self.run(action))
                grid.addWidget(button, row, 2, alignment=Qt.AlignmentFlag.AlignTop)
        self.checklist_layout.addLayout(grid)

    def _show_month(self, found: Dashboard) -> None:
        step = found.month_step
        if step is None:
            city = found.city
            self.month_title.setText(t("Reporting"))
            if city is None:
                self.month_text.setText(t("Only a coordinator sees the centres' reporting."))
            elif city.expected:
                text = t("{received} of {expected} centres sent {period}; {on_time} on time.", received=city.received, expected=city.expected,
                         period=city.period, on_time=city.on_time)
                if city.late:
                    text += "\n" + t("Not arrived yet: {centres}", centres=", ".join(city.late))
                self.month_text.setText(text)
            else:
                self.month_text.setText(t("No centre was expected to send {period}.", period=city.period))
            self.month_button.hide()
            self.sent_title.hide()
            self.sent_text.hide()
            return
        self.month_title.setText(t("{period}: {status}", period=step.period, status=step.status_label))
        self.month_text.setText(step.explanation)
        self.month_button.setVisible(step.action is not None)
        if step.action is not None:
            self.month_button.setText(step.action.label)
            self.month_button.setAccessibleName(step.action.label)
            self.month_button.setAccessibleDescription(step.explanation)
            set_role(self.month_button, "secondary" if step.action.step == "reopen" else "primary")
        self.sent_title.setText(t("Last sent"))
        self.sent_text.setText(
            t("The statistics last left on {at}, to {where}.", at=found.last_sent.at, where=found.last_sent.where)
            if found.last_sent else t("No statistics have left this computer yet.")
        )

    def _show_attention(self, found: Dashboard) -> None:
        self.attention_title.setText(t("Needs attention"))
        clear(self.attention_layout)
        if not found.attention:
            self.attention_layout.addWidget(note(t("Nothing needs attention.")))
            return
        for item in found.attention:
            line = QHBoxLayout()
            text = note("• " + item.text)
            line.addWidget(text, 1)
            if item.action is not None:
                button = QPushButton(item.action.label)
                button.setAccessibleName(f"{item.action.label}: {item.text}")
                button.clicked.connect(lambda _checked=False, action=item.action: self.run(action))
                line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.attention_layout.addLayout(line)

    def attention_texts(self) -> list[str]:
        """The sentences under "Needs attention", as shown."""
        return [item.text for item in self.dashboard.attention] if self.dashboard else []

    # --- actions ---------------------------------------------------------------------------

    def run(self, action: Action | None) -> None:
        """Open the page of ``action`` and start its step there."""
        if action is None:
            return
        if action.step == "keep-recovery-key":
            if ask(self, t("The recovery key"), t("Is the recovery key printed or written down, and kept in a safe place away from this computer?")):
                home_dashboard.keep_recovery_key(self.session)
            self.refresh()
            return
        page = self.window_.show_page(action.page)
        if page is None:
            return
        if action.period is not None and hasattr(page, "show_period"):
            page.show_period(action.period)
        step = {
            "submit": lambda: page.submit_button.setFocus(),
            "reopen": lambda: page.reopen_button.setFocus(),
            "send": lambda: page.send_now(),
            "add-user": lambda: page.add(),
            "save-request": lambda: page.exchange.make_request(),
            "import-profile": lambda: page.exchange.import_profile(),
            "add-folder": lambda: page.add_target(),
        }.get(action.step)
        if step is not None:
            step()


