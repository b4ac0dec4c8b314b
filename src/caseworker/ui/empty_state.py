"""A list that, when it has nothing in it, says why and offers the action that fills it,
instead of showing an empty white box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from caseworker.ui.common import heading, note
from caseworker.ui.design import SPACE, set_role


class EmptyState(QFrame):
    """A short title, a sentence saying why nothing is here, and at most one button."""

    def __init__(self, action: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.setProperty("card", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE["l"], SPACE["l"], SPACE["l"], SPACE["l"])
        self.title = heading(size=11)
        self.text = note()
        self.button = set_role(QPushButton(), "primary")
        self.button.setVisible(action is not None)
        if action is not None:
            self.button.clicked.connect(action)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def set_texts(self, title: str, text: str, button: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.button.setText(button)
        self.button.setAccessibleName(button)
        self.button.setAccessibleDescription(text)


class ListOrEmpty(QWidget):
    """``content`` when it has something to show, else the ``empty`` explanation, only as tall
    as its text; ``refresh()`` after filling the content chooses which."""

    def __init__(self, content: QWidget, empty: EmptyState, has_items: Callable[[], bool]) -> None:
        super().__init__()
        self.content, self.empty = content, empty
        self._has_items = has_items
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        layout.addWidget(empty)
        empty.hide()

    def refresh(self) -> None:
        filled = self._has_items()
        self.content.setVisible(filled)
        self.empty.setVisible(not filled)
        vertical = QSizePolicy.Policy.Expanding if filled else QSizePolicy.Policy.Maximum
        self.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
