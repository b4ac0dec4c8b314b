"""The unlock screen: user name and passphrase (or the recovery key). A wrong passphrase says so
and keeps the screen. User names are typed, not listed: they are not stored in plaintext."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.app.session import Credentials, Session, unlock
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note, plain_label
from caseworker.ui.design import set_tone, set_type
from caseworker.ui.operations import run_in_background


class UnlockScreen(QWidget, Retranslatable):
    unlocked = Signal(object)

    def __init__(self, home: Path, store_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.store_name = store_name
        self.hint: Callable[[], str] | None = None  # a translated line under the title (demo mode)
        outer = QVBoxLayout(self)
        outer.addStretch()
        card = QFrame()
        # A fixed width in characters: wrapped labels then get their full height, at any scaling.
        card.setFixedWidth(QFontMetrics(self.font()).averageCharWidth() * 64)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(8)
        self.title = heading(size=17)
        self.subtitle = note()
        self.hint_label = note()
        set_type(self.hint_label, "subsection")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.hint_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.user = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_label, self.passphrase_label = plain_label(), plain_label()
        self.user_label.setBuddy(self.user)
        self.passphrase_label.setBuddy(self.passphrase)
        form.addRow(self.user_label, self.user)
        form.addRow(self.passphrase_label, self.passphrase)
        layout.addLayout(form)
        self.use_recovery = QCheckBox()
        layout.addWidget(self.use_recovery)
        self.message = note()
        layout.addWidget(self.message)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        layout.addWidget(self.button)
        centred = QHBoxLayout()  # not an alignment flag: that would cut the card to its width-less size hint
        centred.addStretch()
        centred.addWidget(card)
        centred.addStretch()
        outer.addLayout(centred)
        outer.addStretch()
        self.setTabOrder(self.user, self.passphrase)
        self.setTabOrder(self.passphrase, self.use_recovery)
        self.setTabOrder(self.use_recovery, self.button)
        self.button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.user.returnPressed.connect(self.passphrase.setFocus)
        self.use_recovery.toggled.connect(lambda _on: self.retranslate())
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(self.store_name or t("Caseworker"))
        self.subtitle.setText(t("The store is locked. Type your user name and passphrase to open it."))
        self.hint_label.setText(self.hint() if self.hint else "")
        self.hint_label.setVisible(self.hint is not None)
        self.use_recovery.setText(t("Use the recovery &key instead of a passphrase"))
        self.user_label.setText(t("&User name:"))
        self.passphrase_label.setText(t("&Recovery key:") if self.use_recovery.isChecked() else t("&Passphrase:"))
        self.user.setAccessibleName(t("User name"))
        self.passphrase.setAccessibleName(t("Recovery key") if self.use_recovery.isChecked() else t("Passphrase"))
        self.button.setText(t("Unlock"))
        self.message.setAccessibleName(t("Unlock status"))

    def set_hint(self, hint: Callable[[], str] | None) -> None:
        self.hint = hint
        self.retranslate()

    def reset(self, user: str = "") -> None:
        self.user.setText(user)
        self.passphrase.clear()
        self.message.clear()
        self.focus_first_empty_field()

    def focus_first_empty_field(self) -> None:
        (self.passphrase if self.user.text() else self.user).setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_first_empty_field()

    def _say(self, text: str, problem: bool) -> None:
        set_tone(self.message, "error" if problem else None)
        self.message.setText(text)

    def try_unlock(self) -> None:
        secret = self.passphrase.text()
        credentials = (
            Credentials(self.user.text().strip() or None, recovery_key=secret)
            if self.use_recovery.isChecked()
            else Credentials(self.user.text().strip() or None, passphrase=secret)
        )
        self.button.setEnabled(False)
        self._say(t("Opening…"), problem=False)
        run_in_background(self, lambda: unlock(self.home, credentials), self._opened, self._refused)

    def _opened(self, session: Session) -> None:
        self.button.setEnabled(True)
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit(session)

    def _refused(self, error: BaseException) -> None:
        self.button.setEnabled(True)
        if isinstance(error, CaseworkerError):
            self._say(error.message, problem=True)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        else:
            from caseworker.ui.errors import show_error

            show_error(self, error)
