"""A new passphrase typed twice, with a strength meter: used by the setup wizard and by the
dialogs that add a user or change a passphrase."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QProgressBar

from caseworker.domain.users import check_new_passphrase, passphrase_strength
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.ui.common import plain_label


class PassphraseFields(QObject):
    """The fields, to be placed in a form with ``add_rows``; ``changed`` fires on every keystroke."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter_label = plain_label()
        self.labels = [plain_label() for _ in range(3)]
        for label, field in zip(self.labels, (self.passphrase, self.repeat, self.meter)):
            label.setBuddy(field)
        for field in (self.passphrase, self.repeat):
            field.textChanged.connect(self._typed)

    def add_rows(self, form: QFormLayout) -> None:
        for label, field in zip(self.labels, (self.passphrase, self.repeat, self.meter)):
            form.addRow(label, field)
        form.addRow("", self.meter_label)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (t("&Passphrase:"), t("Passphrase &again:"), t("Strength:"))):
            label.setText(text)
        self.passphrase.setAccessibleName(t("Passphrase"))
        self.repeat.setAccessibleName(t("Passphrase again"))
        self.meter.setAccessibleName(t("Passphrase strength"))
        self._show_strength()

    def filled(self) -> bool:
        return bool(self.passphrase.text() and self.repeat.text())

    def checked(self, user_name: str) -> str:
        """The passphrase, if both fields agree and it is acceptable for ``user_name``."""
        if self.passphrase.text() != self.repeat.text():
            raise InvalidInput(t("The two passphrases differ; type the same passphrase twice."))
        check_new_passphrase(self.passphrase.text(), user_name)
        return self.passphrase.text()

    def _show_strength(self) -> None:
        strength = passphrase_strength(self.passphrase.text())
        self.meter.setValue(strength)
        self.meter_label.setText([t("too short"), t("weak"), t("fair"), t("good"), t("strong")][strength])
        self.meter.setAccessibleDescription(self.meter_label.text())

    def _typed(self) -> None:
        self._show_strength()
        self.changed.emit()
