"""The unlock screen: user name and passphrase (or the recovery key). A wrong passphrase says so
and keeps the screen. User names are typed, not listed: they are not stored in plaintext."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QFrame, QLineEdit, QPushButton, QVBoxLayout, QWidget

from caseworker.app.session import Credentials, Session, unlock
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note
from caseworker.ui.operations import run_in_background


class UnlockScreen(QWidget, Retranslatable):
    unlocked = Signal(object)

    def __init__(self, home: Path, store_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.store_name = store_name
        self.hint = ""
        outer = QVBoxLayout(self)
        outer.addStretch()
        card = QFrame()
        card.setMaximumWidth(460)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        self.title = heading(size=17)
        self.subtitle = note()
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        form = QFormLayout()
        self.user = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.use_recovery = QCheckBox()
        form.addRow("", self.use_recovery)
        self.user_label, self.passphrase_label = note(), note()
        form.addRow(self.user_label, self.user)
        form.addRow(self.passphrase_label, self.passphrase)
        layout.addLayout(form)
        self.message = note()
        self.message.setStyleSheet("color: #a0153e;")
        self.message.setAccessibleName("unlock-message")
        layout.addWidget(self.message)
        self.button = QPushButton()
        self.button.setDefault(True)
        layout.addWidget(self.button)
        outer.addWidget(card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch()
        self.button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.user.returnPressed.connect(self.passphrase.setFocus)
        self.use_recovery.toggled.connect(lambda _on: self.retranslate())
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(self.store_name or t("Caseworker"))
        self.subtitle.setText(t("The store is locked. Type your user name and passphrase to open it.") + (f"\n{self.hint}" if self.hint else ""))
        self.use_recovery.setText(t("Use the recovery key instead of a passphrase"))
        self.user_label.setText(t("User name:"))
        self.passphrase_label.setText(t("Recovery key:") if self.use_recovery.isChecked() else t("Passphrase:"))
        self.user.setAccessibleName(t("User name"))
        self.passphrase.setAccessibleName(t("Recovery key") if self.use_recovery.isChecked() else t("Passphrase"))
        self.button.setText(t("Unlock"))

    def reset(self, user: str = "") -> None:
        self.user.setText(user)
        self.passphrase.clear()
        self.message.clear()
        (self.passphrase if user else self.user).setFocus()

    def try_unlock(self) -> None:
        secret = self.passphrase.text()
        credentials = (
            Credentials(self.user.text().strip() or None, recovery_key=secret)
            if self.use_recovery.isChecked()
            else Credentials(self.user.text().strip() or None, passphrase=secret)
        )
        self.button.setEnabled(False)
        self.message.setText(t("Opening…"))
        run_in_background(self, lambda: unlock(self.home, credentials), self._opened, self._refused)

    def _opened(self, session: Session) -> None:
        self.button.setEnabled(True)
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit(session)

    def _refused(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        if isinstance(error, CaseworkerError):
            self.message.setText(error.message)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        else:
            from caseworker.ui.errors import show_error

            show_error(self, error)
