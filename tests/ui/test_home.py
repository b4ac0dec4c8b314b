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
    qtbot.wait(1)

    def top(button: QPushButton) -> int:
        return button.mapTo(home, button.rect().topLeft()).y()

    def shown(card) -> list[QPushButton]:
        return sorted((b for b in card.findChildren(QPushButton) if b.isVisible()), key=top)

    # The checklist from top to bottom, then the month's card (left), then what needs attention (right).
    expected = shown(home.checklist_card) + [home.month_button] + shown(home.attention_card)
    chain, widget = [], expected[0]
    while len(chain) < len(expected):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not isinstance(widget, QPushButton) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert len(expected) == 7 and chain == expected
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
