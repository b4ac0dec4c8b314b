"""Small pieces shared by the screens: retranslation on a language switch, headings, form rows,
and the one way text is put on screen.

Text on screen is plain text, always: a name from an enrolment request, a reason that quotes a
bundle, a directory entry, a user's name. Qt would otherwise guess ("automatic" format) and
render anything that looks like HTML, so that a file could lay out a fake fingerprint or hide
the real one. ``plain_label`` makes every label, ``message`` / ``inform`` / ``warn`` /
``fail`` / ``ask`` every message box; nothing in ``ui/`` makes either any other way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

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


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text exactly as written, never as markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
            buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
    """A message box whose text is shown exactly as written, never as markup."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Information, title, text).exec()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Warning, title, text).exec()


def fail(parent: QWidget | None, title: str, text: str) -> None:
    message(parent, QMessageBox.Icon.Critical, title, text).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question, No by default; True when answered Yes."""
    box = message(parent, QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes.value


def heading(text: str = "", size: int = 15) -> QLabel:
    """A heading; ``size`` picks its step of the type scale (``ui/design.py``): 15 and up a
    page's title, 12 to 14 a section, smaller a subsection."""
    label = plain_label(text)
    label.setProperty("type", "title" if size >= 15 else "section" if size >= 12 else "subsection")
    label.setIndent(0)  # flush with the text below it
    label.setWordWrap(True)
    label.setContentsMargins(0, 3, 0, 0)  # room for the dots of a capital Ö or İ, which rise above the ascent
    return label


def note(text: str = "") -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
