"""An honest page for a screen that is not built yet: it says so and names the command that
does the same work today."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseworker.app.session import Session
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note

_COMMANDS = {
    "centres": "caseworker enrol accept FILE · caseworker sync import DIR · caseworker sync status",
    "city": "caseworker counts show PERIOD --city · caseworker counts show PERIOD --district NAME",
    "reports": "caseworker report monthly PERIOD --out FILE.pdf [--public]",
}


class PlaceholderPage(QWidget, Retranslatable):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        layout = QVBoxLayout(self)
        self.title = heading()
        self.body = note()
        self.command = note(_COMMANDS[key])
        self.command.setStyleSheet("font-family: monospace;")
        for widget in (self.title, self.body, self.command):
            layout.addWidget(widget)
        layout.addStretch()
        self.watch_language()

    def retranslate(self) -> None:
        titles = {"centres": t("Centres"), "city": t("City"), "reports": t("Reports")}
        self.title.setText(titles[self.key])
        self.body.setText(t("This screen is not in this version yet. The same work can be done today from the command line:"))


def factory(key: str) -> Callable[[Session, QWidget], QWidget]:
    return lambda _session, _window: PlaceholderPage(key)
