"""Record a contact: the tally form as large toggle groups, saved with one keystroke (Ctrl+Enter),
the last contacts listed with Undo. Nothing about the contact is kept but the counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import catalogue as catalogue_uc
from caseworker.app.counts import RecordedContact, TallyBook
from caseworker.app.session import Session
from caseworker.domain.catalogue import FormField, TallyForm
from caseworker.domain.periods import Period
from caseworker.errors import CaseworkerError
from caseworker.i18n import current_language, t
from caseworker.ui.common import Retranslatable, heading, note
from caseworker.ui.design import SPACE, set_role
from caseworker.ui.errors import show_error
from caseworker.ui.empty_state import EmptyState, ListOrEmpty

COLUMNS = 3


class FieldGroup(QGroupBox):
    """One question of the form: exclusive buttons, several buttons, or a yes toggle.

    Keyboard: a single-choice question behaves like radio buttons (Tab reaches the question,
    the arrow keys move within it, Space chooses); in a multiple-choice question Tab visits
    every button and Space toggles it.
    """

    def __init__(self, form_field: FormField) -> None:
        super().__init__()
        self.field = form_field
        grid = QGridLayout(self)
        self.exclusive = QButtonGroup(self) if form_field.choice == "single" else None
        options = form_field.dimension.active_options() if form_field.dimension else ()
        self.codes: list[str] = ["yes"] if form_field.choice == "yesno" else [option.code for option in options]
        self.buttons: list[QPushButton] = []
        for index, _code in enumerate(self.codes):
            button = QPushButton()
            button.setCheckable(True)
            button.setMinimumHeight(38)
            if self.exclusive is not None:
                self.exclusive.addButton(button)
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons.append(button)
        self.retranslate()

    def set_columns(self, columns: int) -> None:
        grid = self.layout()
        for button in self.buttons:
            grid.removeWidget(button)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, button in enumerate(self.buttons):
            grid.addWidget(button, index // columns, index % columns)

    def retranslate(self) -> None:
        language = current_language()
        self.setTitle(self.field.label(language))
        options = self.field.dimension.active_options() if self.field.dimension else ()
        buttons = self.buttons
        if self.field.choice == "yesno":
            buttons[0].setText(t("Yes"))
            buttons[0].setAccessibleName(f"{self.field.label(language)}: {t('Yes')}")
        else:
            for button, option in zip(buttons, options):
                button.setText(option.label(language))
                button.setAccessibleName(f"{self.field.label(language)}: {option.label(language)}")

    def answer(self) -> Any:
        chosen = [code for code, button in zip(self.codes, self.buttons) if button.isChecked()]
        if self.field.choice == "yesno":
            return bool(chosen)
        if self.field.choice == "single":
            return chosen[0] if chosen else None
        return chosen

    def set_answer(self, value: Any) -> None:
        wanted = {"yes"} if value is True else set(value if isinstance(value, list) else [value] if value else [])
        if self.exclusive is not None:
            self.exclusive.setExclusive(False)
        for code, button in zip(self.codes, self.buttons):
            button.setChecked(code in wanted)
        if self.exclusive is not None:
            self.exclusive.setExclusive(True)


class RecordPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.book = TallyBook(session)
        self.catalogue = catalogue_uc.current(session)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        top = QHBoxLayout()
        self.title = heading()
        self.form_choice = QComboBox()
        self.period_choice = QComboBox()
        current = Period.current()
        for period in (current, current.previous()):
            self.period_choice.addItem(str(period), period)
        for form in self.catalogue.forms:
            self.form_choice.addItem(form.code, form.code)
        top.addWidget(self.title, 1)
        top.addWidget(self.form_choice)
        top.addWidget(self.period_choice)
        left.addLayout(top)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.viewport().installEventFilter(self)
        left.addWidget(self.scroll, 1)
        buttons = QHBoxLayout()
        self.save_button = set_role(QPushButton(), "primary")
        self.save_button.setDefault(True)
        self.clear_button = QPushButton()
        buttons.addStretch()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        left.addLayout(buttons)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        self.recent_title = heading(size=12)
        self.recent = QListWidget()
        self.recent_empty = EmptyState()
        self.recent_pane = ListOrEmpty(self.recent, self.recent_empty, lambda: self.recent.count() > 0)
        self.undo_button = QPushButton()
        self.hint = note()
        for widget in (self.recent_title, self.recent_pane, self.undo_button, self.hint):
            right.addWidget(widget)
        right.addStretch()
        outer.addLayout(right, 1)
        self.groups: list[FieldGroup] = []
        self.form_choice.currentIndexChanged.connect(self._build_form)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        self.undo_button.clicked.connect(self.undo)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+Z"), self, activated=self.undo)
        self._build_form()
        self.watch_language()

    @property
    def form(self) -> TallyForm:
        return self.catalogue.form(self.form_choice.currentData())

    def _build_form(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.groups = [FieldGroup(form_field) for form_field in self.form.fields]
        for group in self.groups:
            layout.addWidget(group)
        layout.addStretch()
        self.scroll.setWidget(body)
        self._columns = COLUMNS
        self._fit_columns()

    def _widest_button(self) -> int:
        return max((button.sizeHint().width() for group in self.groups for button in group.buttons), default=0)

    def _fit_columns(self) -> None:
        """As many columns of answers as fit without cutting a button's text (three at most), so
        that the form reads at 150 % scaling and with long English labels too."""
        widest = self._widest_button() + SPACE["s"]
        margins = 3 * SPACE["xl"] + self.scroll.verticalScrollBar().sizeHint().width()  # form, group and grid margins
        self.scroll.setMinimumWidth(widest + margins)  # one column at least: never a cut answer
        columns = max(1, min(COLUMNS, (self.scroll.viewport().width() - margins + SPACE["s"]) // widest))
        if columns != self._columns:
            self._columns = columns
            for group in self.groups:
                group.set_columns(columns)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the form's own width, once the layout has given it
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        language = current_language()
        self.title.setText(t("Record a contact"))
        for index, form in enumerate(self.catalogue.forms):
            self.form_choice.setItemText(index, form.label(language))
        for group in self.groups:
            group.retranslate()
        self._fit_columns()  # the labels of another language may be wider
        self.save_button.setText(t("Save (Ctrl+Enter)"))
        self.clear_button.setText(t("Clear"))
        self.recent_title.setText(t("Last contacts"))
        self.form_choice.setAccessibleName(t("Form"))
        self.form_choice.setAccessibleDescription(t("Which tally form to fill, such as a new applicant or a follow-up."))
        self.period_choice.setAccessibleName(t("Month of the contact"))
        self.recent.setAccessibleName(t("Last contacts"))
        self.save_button.setAccessibleName(t("Save the contact"))
        self.clear_button.setAccessibleName(t("Clear the form"))
        self.undo_button.setAccessibleName(t("Undo the selected contact"))
        self.recent_empty.set_texts(
            t("No contact recorded yet"),
            t("Each contact you save appears here, newest first, and can be undone from here until the window locks. Nothing is listed after unlocking: the contacts themselves are never stored."),
        )
        self.undo_button.setText(t("Undo the selected contact (Ctrl+Z)"))
        self.hint.setText(t("Only the counts are kept: the contact itself is not stored anywhere. Undo works until the window locks."))
        self._fill_recent()

    def answers(self) -> dict[str, Any]:
        collected = {}
        for group in self.groups:
            value = group.answer()
            if value not in (None, [], False):
                collected[group.field.code] = value
        return collected

    def save(self) -> None:
        try:
            contact = self.book.record(self.period_choice.currentData(), self.form.code, self.answers())
        except CaseworkerError as error:
            show_error(self, error)
            return
        self.clear()
        self._fill_recent()
        self.window_.statusBar().showMessage(t("Recorded a contact in {period} ({count} counts increased).", period=contact.period, count=len(contact.cells)), 4000)

    def clear(self) -> None:
        for group in self.groups:
            group.set_answer(None)

    def undo(self) -> None:
        row = self.recent.currentRow()
        recent = self.book.recent
        if not recent:
            return
        chosen: RecordedContact = recent[row] if 0 <= row < len(recent) else recent[0]
        try:
            self.book.undo(chosen.number)
        except CaseworkerError as error:
            show_error(self, error)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent.clear()
        language = current_language()
        for contact in self.book.recent:
            form = self.catalogue.form(contact.form)
            self.recent.addItem(t("#{number} — {form}, {period}", number=contact.number, form=form.label(language), period=contact.period))
        self.recent_pane.refresh()
        self.undo_button.setEnabled(self.recent.count() > 0)

    def draft(self) -> dict[str, Any] | None:
        answers = self.answers()
        return {"form": self.form.code, "period": str(self.period_choice.currentData()), "answers": answers} if answers else None

    def restore_draft(self, draft: dict[str, Any]) -> None:
        self.form_choice.setCurrentIndex(max(0, self.form_choice.findData(draft["form"])))
        for group in self.groups:
            group.set_answer(draft["answers"].get(group.field.code))
