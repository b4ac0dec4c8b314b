"""Message boxes and fingerprint dialogs answered by the test instead of a person: the real
widget is built (with its text format), recorded, and answered without blocking."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QMessageBox

KINDS = {
    QMessageBox.Icon.Information: "information",
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Critical: "critical",
    QMessageBox.Icon.Question: "question",
}


def record_message_boxes(monkeypatch, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.No) -> list[tuple[str, str]]:
    """Every message box shown from now on: ``(kind, text)``; a question is answered ``answer``,
    anything else OK. The boxes themselves are in ``.boxes`` of the returned list."""
    shown = _Shown()

    def exec_(box: QMessageBox) -> int:
        shown.boxes.append(box)
        shown.append((KINDS[box.icon()], box.text()))
        return (answer if box.icon() is QMessageBox.Icon.Question else QMessageBox.StandardButton.Ok).value

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return shown


class _Shown(list):
    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[QMessageBox] = []


def answer_fingerprint_dialogs(monkeypatch, pick) -> list:
    """Every fingerprint dialog from now on, answered with the fingerprint ``pick(dialog)``: one
    of its choices is clicked, any other text typed; ``None`` cancels. Returns the dialogs shown."""
    from caseworker.ui.fingerprint_dialog import FingerprintDialog

    shown = []

    def exec_(dialog: FingerprintDialog) -> int:
        shown.append(dialog)
        wanted = pick(dialog)
        if wanted is None:
            return QDialog.DialogCode.Rejected.value
        for choice in dialog.choices:
            if choice.text() == wanted:
                choice.setChecked(True)
                break
        else:
            QTest.keyClicks(dialog.typed, wanted)
        assert dialog.accept_button.isEnabled()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(FingerprintDialog, "exec", exec_)
    return shown


def sync_sections(qtbot, *sessions) -> list:
    """The enrolment and publication section of the Sync page, in a window opened on each session."""
    from caseworker.ui.main_window import MainWindow

    sections = []
    for session in sessions:
        window = MainWindow(session.home)
        qtbot.addWidget(window)
        window.open_session(session)
        sections.append(window.pages["sync"].exchange)
    return sections
