"""Confirming a fingerprint read aloud over the phone, before trusting an enrolment request or a
coordinator's profile.

The rules, in the order the person meets them on screen:

1. The fingerprints come first, in a fixed layout that nothing from the file can change: the
   file's fingerprint among ``DECOYS`` random ones, in a random order, in a fixed-width font.
2. The person picks the one the other side read to her, or types it. She is never asked to
   approve a text, and the dialog never says which choice is right: the caller checks the
   answer (``sync_keys``), and a wrong one is refused without showing the expected fingerprint.
3. Only then, below, what the file says about itself (name, district, centre id), as plain text
   and labelled as unchecked claims; then any warning of the caller (a coordinator replaced).
"""

from __future__ import annotations

import random
import secrets

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.i18n import t
from caseworker.ui.common import heading, note, plain_label
from caseworker.ui.design import fingerprint_font, set_tone

DECOYS = 3
FINGERPRINT_DIGITS = 20


def _random_fingerprint() -> str:
    digits = secrets.token_hex(FINGERPRINT_DIGITS // 2).upper()
    return "-".join(digits[i : i + 4] for i in range(0, FINGERPRINT_DIGITS, 4))


def _hex_digits(text: str) -> str:
    return "".join(c for c in text.upper() if c in "0123456789ABCDEF")


class FingerprintDialog(QDialog):
    """Pick or type the fingerprint read aloud; ``chosen()`` is the answer, for the caller to check."""

    def __init__(self, parent: QWidget | None, fingerprint: str, claims: list[tuple[str, str]], action: str, warning: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Compare the fingerprint"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(t("Which fingerprint did the other side read to you?"), size=12))
        layout.addWidget(note(t("Call them on a number you already know and ask them to read their fingerprint aloud. Choose the one they read, or type it. If none is the one they read, cancel.")))
        monospace = fingerprint_font()
        options = [fingerprint] + [_random_fingerprint() for _ in range(DECOYS)]
        random.SystemRandom().shuffle(options)
        self.group = QButtonGroup(self)
        self.choices: list[QRadioButton] = []
        for option in options:
            choice = QRadioButton(option)
            choice.setFont(monospace)
            self.group.addButton(choice)
            self.choices.append(choice)
            layout.addWidget(choice)
        self.typed = QLineEdit()
        self.typed.setFont(monospace)
        self.typed.setMaxLength(40)
        self.typed.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX")
        self.typed.setAccessibleName(t("The fingerprint read to you"))
        typed_row = QFormLayout()
        typed_label = plain_label(t("Or type it:"))
        typed_label.setBuddy(self.typed)
        typed_row.addRow(typed_label, self.typed)
        layout.addLayout(typed_row)

        layout.addWidget(heading(t("What the file says about itself (not checked; only the fingerprint is):"), size=10))
        claimed = QFormLayout()
        for label, value in claims:
            shown = plain_label(value or "—")
            shown.setWordWrap(True)
            claimed.addRow(plain_label(label), shown)
        layout.addLayout(claimed)
        if warning:
            caution = note(warning)
            set_tone(caution, "error")
            layout.addWidget(caution)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.group.buttonToggled.connect(lambda *_: self._picked())
        self.typed.textEdited.connect(lambda *_: self._typed())
        self._update()

    def _picked(self) -> None:
        if self.group.checkedButton() is not None and self.typed.text():
            self.typed.clear()
        self._update()

    def _typed(self) -> None:
        checked = self.group.checkedButton()
        if checked is not None:
            self.group.setExclusive(False)
            checked.setChecked(False)
            self.group.setExclusive(True)
        self._update()

    def _update(self) -> None:
        self.accept_button.setEnabled(bool(self.chosen()))

    def chosen(self) -> str:
        """The fingerprint picked or typed (20 hexadecimal digits), or ``""``."""
        checked = self.group.checkedButton()
        if checked is not None:
            return checked.text()
        typed = _hex_digits(self.typed.text())
        return typed if len(typed) == FINGERPRINT_DIGITS else ""
