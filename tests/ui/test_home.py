"""The home page with real widgets: its buttons open the page that does the work, Tab follows
reading order, and the checklist is only for those who can do it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from caseworker.app.session import Credentials, unlock
from caseworker.app import users
from caseworker.domain.users import Role
from caseworker.ui.application import application
from caseworker.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.dialogs import record_message_boxes


@pytest.fixture
def app(qapp):
    return application()


def open_window(qtbot, home, session) -> MainWindow:
    window = MainWindow(home)
    qtbot.addWidget(window)
    window.open_session(session)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_tab_goes_through_the_home_page_in_reading_order(qtbot, app, centre):
    window = open_window(qtbot, centre.home, centre.session)
    home = window.pages["home"]
    buttons = [b for b in home.findChildren(QPushButton) if b.isVisible()]
    first = min(buttons, key=lambda b: (b.mapTo(home, b.rect().topLeft()).y(), b.mapTo(home, b.rect().topLeft()).x()))
    seen, widget = [], first
    while widget in buttons and widget not in seen:
        seen.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not None and not (widget in buttons or widget is first) and widget.focusPolicy() == widget.focusPolicy().NoFocus:
            widget = widget.nextInFocusChain()
    tops = [b.mapTo(home, b.rect().topLeft()).y() for b in seen]
    assert len(seen) == len(buttons) and tops == sorted(tops)
    window.close()


def test_the_recovery_key_step_asks_once_and_ticks_itself(qtbot, app, centre, monkeypatch):
    record_message_boxes(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    window = open_window(qtbot, centre.home, centre.session)
    home = window.pages["home"]
    button = home.findChild(QPushButton, "checklist-recovery-key")
    button.click()
    assert home.findChild(QPushButton, "checklist-recovery-key") is None
    assert [item.done for item in home.dashboard.checklist][0] is True
    window.close()


def test_an_attention_button_opens_its_page(qtbot, app, centre):
    window = open_window(qtbot, centre.home, centre.session)
    home = window.pages["home"]
    (button,) = [b for b in home.attention_card.findChildren(QPushButton) if "Gönderim" in b.text()]
    button.click()
    assert window.page_stack.currentWidget() is window.pages["sync"]
    window.close()


def test_a_caseworker_sees_no_checklist_and_no_approve_button(qtbot, app, centre):
    users.add_user(centre.session, "zehra", Role.CASEWORKER, PASSPHRASE)
    centre.session.close()
    window = open_window(qtbot, centre.home, unlock(centre.home, Credentials("zehra", PASSPHRASE)))
    home = window.pages["home"]
    assert home.checklist_card.isHidden() and home.month_button.isHidden()
    assert "sorumlu onaylar" in home.month_text.text()
    window.close()
