"""Every page of a centre's and a coordinator's window, walked as assistive technology and a
small screen would: every interactive widget has an accessible name, and every page fits 1366 ×
768 at 150 % scaling (910 × 512 device-independent pixels) without a horizontal scrollbar and
without cutting a button's text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from caseworker.app.demo import create_demo_store
from caseworker.ui.application import application
from caseworker.ui.main_window import MainWindow
from caseworker.ui.operations import wait_for_background_work

INTERACTIVE = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit)
SMALL_SCREEN = (910, 512)  # 1366 × 768 at 150 %


@pytest.fixture
def app(qapp):
    return application()


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology reads: Qt's own answer (a button's text, a field's buddy
    label, or the name set by hand)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return (interface.text(QAccessible.Text.Name) if interface is not None else "").replace("&", "").strip()


def unnamed_widgets(page: QWidget) -> list[str]:
    missing = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(page) or not widget.isEnabled():
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the editor inside a combo or spin box: the box carries the name
        if isinstance(widget, QHeaderView) or type(widget).__name__ == "QComboBoxListView":
            continue  # a table's headers and a combo box's drop-down: the table or box carries the name
        if not accessible_name(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName() or ''}".strip())
    return missing


def walk(qtbot, window: MainWindow) -> list[str]:
    problems = []
    window.resize(*SMALL_SCREEN)
    window.show()
    qtbot.waitExposed(window)
    for row, spec in enumerate(window.page_specs_shown()):
        window.sidebar.setCurrentRow(row)
        wait_for_background_work()
        qtbot.wait(20)
        page = window.pages[spec.key]
        problems += [f"{spec.key}: no accessible name: {name}" for name in unnamed_widgets(page)]
        for area in page.findChildren(QAbstractScrollArea):
            if area.isVisibleTo(page) and area.horizontalScrollBar().isVisible():
                problems.append(f"{spec.key}: horizontal scrollbar on {type(area).__name__} {area.objectName()}")
        for button in page.findChildren(QAbstractButton):
            if button.isVisibleTo(page) and button.text() and button.width() < button.minimumSizeHint().width():
                problems.append(f"{spec.key}: text cut on the button {button.text()!r}")
    # The window is as wide as its widest page needs: each page is measured on its own.
    margins = window.page_stack.contentsMargins()
    around = window.sidebar.width() + margins.left() + margins.right()
    for spec in window.page_specs_shown():
        needed = around + window.pages[spec.key].minimumSizeHint().width()
        if needed > SMALL_SCREEN[0]:
            problems.append(f"{spec.key}: needs a window {needed} wide, more than {SMALL_SCREEN[0]}")
    if window.minimumSizeHint().height() > SMALL_SCREEN[1]:
        problems.append(f"the window needs {window.minimumSizeHint().height()} high, more than {SMALL_SCREEN[1]}")
    return problems


@pytest.mark.parametrize("language", ["tr", "en"])
def test_every_page_of_a_centre_names_its_controls_and_fits_a_small_screen(qtbot, app, tmp_path, language):
    from caseworker import i18n

    i18n.set_language(language)
    window = MainWindow(tmp_path / "demo", demo=True)
    qtbot.addWidget(window)
    window.open_session(create_demo_store(tmp_path / "demo"))
    problems = walk(qtbot, window)
    assert problems == [], "\n".join(problems)
    window.close()


@pytest.mark.parametrize("language", ["tr", "en"])
def test_every_page_of_a_coordinator_names_its_controls_and_fits_a_small_screen(qtbot, app, tmp_path, pair, language):
    from caseworker import i18n

    i18n.set_language(language)
    _centre, coordinator = pair
    window = MainWindow(tmp_path / "coordinator")
    qtbot.addWidget(window)
    window.open_session(coordinator)
    problems = walk(qtbot, window)
    assert problems == [], "\n".join(problems)
    window.close()
