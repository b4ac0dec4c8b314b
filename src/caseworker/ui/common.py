"""Small pieces shared by the screens: retranslation on a language switch, headings, form rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from caseworker import i18n


class Retranslatable:
    """A widget mixin: ``retranslate()`` is called now and after every language switch."""

    def watch_language(self) -> None:
        self._unsubscribe_language = i18n.on_language_changed(lambda _language: self.retranslate())
        if isinstance(self, QWidget):
            self.destroyed.connect(lambda *_: self._unsubscribe_language())
        self.retranslate()

    def stop_watching_language(self) -> None:
        """Called when the widget is retired (a page of a closed session)."""
        if hasattr(self, "_unsubscribe_language"):
            self._unsubscribe_language()

    def retranslate(self) -> None:  # pragma: no cover - every user overrides it
        raise NotImplementedError


def heading(text: str = "", size: int = 15) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setContentsMargins(0, 3, 0, 0)  # room for the dots of a capital Ö or İ, which rise above the ascent
    return label


def note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
