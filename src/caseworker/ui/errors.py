"""Showing faults: a user error in a message box, an environment fault likewise (the program goes
on), anything else in the crash dialog with the traceback to copy."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from caseworker.cli.crash import crash_text
from caseworker.errors import EnvironmentFault, UserError
from caseworker.i18n import t
from caseworker.ui.common import fail, plain_label, warn


class CrashDialog(QDialog):
    """The traceback of a bug, to copy and send; it holds no passphrase, key or data."""

    def __init__(self, error: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("Caseworker: unexpected error"))
        layout = QVBoxLayout(self)
        intro = plain_label(t("Something went wrong inside Caseworker. Your data is safe: the last change was either saved whole or not at all. Please copy the text below and send it to your coordinator."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(crash_text(error))
        self.details.setReadOnly(True)
        self.details.setAccessibleName(t("Error details"))
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(t("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.details.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, UserError):
        warn(parent, t("Caseworker"), error.message)
    elif isinstance(error, EnvironmentFault):
        fail(parent, t("Caseworker"), error.message)
    else:
        dialog = CrashDialog(error, parent)
        dialog.setModal(True)
        dialog.show()
        _open_dialogs.append(dialog)
        dialog.finished.connect(lambda *_: _open_dialogs.remove(dialog) if dialog in _open_dialogs else None)


_open_dialogs: list[CrashDialog] = []


def open_crash_dialogs() -> list[CrashDialog]:
    return list(_open_dialogs)


def install_excepthook() -> None:
    """Uncaught exceptions in slots reach the person as dialogs instead of vanishing."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        traceback.print_exception(kind, error, trace)
        show_error(QApplication.activeWindow(), error)

    sys.excepthook = hook
