"""Users: who may open the store. Supervisors (and the coordinator) add users, reset a
passphrase and remove users; everyone can change their own passphrase here. Every change of a
key slot (Argon2id, and a rekey on removal) runs off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseworker.app import users
from caseworker.app.session import Session
from caseworker.domain.users import ROLES_OF_STORE, Permission, Role, normalise_user_name
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, ask, heading, note, plain_label
from caseworker.ui.design import set_role, set_tone
from caseworker.ui.errors import show_error
from caseworker.ui.operations import run_with_session
from caseworker.ui.passphrase_fields import PassphraseFields


class UserDialog(QDialog):
    """A new user (name, role, passphrase) or a new passphrase for ``user_name``."""

    def __init__(self, page: UsersPage, user_name: str | None = None) -> None:
        super().__init__(page)
        self.page = page
        self.user_name = user_name
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES_OF_STORE[page.session.store_role]:
            self.role.addItem(role.label(), role.value)
        self.secret = PassphraseFields()
        self.problem = note()
        set_tone(self.problem, "error")
        if user_name is None:
            self.setWindowTitle(t("Add a user"))
            for text, field in ((t("&User name:"), self.name), (t("&Role:"), self.role)):
                label = plain_label(text)
                label.setBuddy(field)
                form.addRow(label, field)
            self.name.setAccessibleName(t("User name"))
            self.role.setAccessibleName(t("Role"))
        else:
            self.setWindowTitle(t("New passphrase for {user}", user=user_name))
        self.secret.add_rows(form)
        self.secret.retranslate()
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        try:
            name = self.user_name or normalise_user_name(self.name.text())
            passphrase = self.secret.checked(name)
        except CaseworkerError as error:
            self.problem.setText(error.message)
            return
        self.buttons.setEnabled(False)
        self.problem.setText(t("Protecting the passphrase; this takes a moment…"))
        if self.user_name is None:
            role = Role(self.role.currentData())
            work: Callable[[Session], Any] = lambda session: users.add_user(session, name, role, passphrase)  # noqa: E731
            done = t("{user} can now open the store.", user=name)
        else:
            work = lambda session: users.change_passphrase(session, name, passphrase)  # noqa: E731
            done = t("The passphrase of {user} was changed.", user=name)
        run_with_session(self, self.page.session, work, lambda _result: self._saved(done), self._failed)

    def _saved(self, message: str) -> None:
        self.accept()
        self.page.changed(message)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, CaseworkerError):
            self.problem.setText(error.message)
        else:
            self.problem.setText("")
            show_error(self, error)


class UsersPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.manager = session.may(Permission.MANAGE_USERS)
        layout = QVBoxLayout(self)
        self.title = heading()
        self.explanation = note()
        self.table = QTableWidget(0, 3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.add_button, self.passphrase_button, self.remove_button = set_role(QPushButton(), "primary"), QPushButton(), set_role(QPushButton(), "destructive")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.passphrase_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        for widget in (self.title, self.explanation, self.table):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.add_button.setVisible(self.manager)
        self.remove_button.setVisible(self.manager)
        self.add_button.clicked.connect(self.add)
        self.passphrase_button.clicked.connect(self.change_passphrase)
        self.remove_button.clicked.connect(self.remove)
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("Users"))
        self.explanation.setText(
            t("Each person opens the store with their own user name and passphrase. Removing a user re-encrypts the store, so a copy of their old key no longer opens it. A forgotten passphrase is reset here by a supervisor, or with the recovery key.")
            if self.manager else t("You can change your own passphrase here. A supervisor adds and removes users.")
        )
        self.table.setHorizontalHeaderLabels([t("User name"), t("Role"), t("Added")])
        self.add_button.setText(t("Add a user…"))
        self.passphrase_button.setText(t("Change the passphrase…") if self.manager else t("Change my passphrase…"))
        self.remove_button.setText(t("Remove the user…"))
        self.table.setAccessibleName(t("Users"))
        self.table.setAccessibleDescription(t("Everyone who may open this store, with their role."))
        self.load()

    def load(self) -> None:
        if not self.session.is_open:
            return
        listed = users.list_users(self.session)
        self.table.setRowCount(len(listed))
        for row, user in enumerate(listed):
            for column, text in enumerate((user.name, user.role.label(), user.created_at[:10])):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if user.name == self.session.user.name:
                self.table.selectRow(row)

    def selected_user(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).text() if rows else self.session.user.name

    def changed(self, message: str) -> None:
        self.load()
        self.window_.statusBar().showMessage(message, 6000)

    def add(self) -> None:
        UserDialog(self).open()

    def change_passphrase(self) -> None:
        UserDialog(self, self.selected_user() if self.manager else self.session.user.name).open()

    def remove(self) -> None:
        name = self.selected_user()
        if ask(self, t("Remove the user"),
               t("Remove {user}? They will no longer be able to open the store, and the store is re-encrypted so that a copy of their old key does not open it either.", user=name)):
            # Re-encrypting needs the store to itself: the window's own connection does it.
            self.window_.statusBar().showMessage(t("Re-encrypting the store…"))
            self.window_.run_exclusive(lambda session: users.remove_user(session, name),
                                       lambda _none: self.changed(t("{user} was removed and the store re-encrypted.", user=name)))
