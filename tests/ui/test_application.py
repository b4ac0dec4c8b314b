"""The shell around the pages: wizard language and printing, unlock by keyboard, locking with
dialogs open, the page registry, background operations, fault dialogs, accessible names."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
    QWizard,
)

from caseworker import i18n
from caseworker.app.session import initialise
from caseworker.domain.users import StoreRole
from caseworker.errors import EnvironmentFault, InvalidInput
from caseworker.paths import HomePaths
from caseworker.ui import errors as ui_errors
from caseworker.ui import main_window as main_window_module
from caseworker.ui.application import application
from caseworker.ui.main_window import MainWindow, PageSpec, register_page
from caseworker.ui.operations import run_in_background, wait_for_background_work
from caseworker.ui.wizard import SetupWizard
from tests.conftest import PACKAGE_PARENT, PASSPHRASE
from tests.running import start_demo, stop
from tests.ui.dialogs import record_message_boxes


@pytest.fixture
def app(qapp):
    return application()


@pytest.fixture
def message_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


def _fields_without_names(root: QWidget) -> list[str]:
    """Input widgets that a screen reader could not name: no accessible name and no label."""
    buddies = {label.buddy() for label in root.findChildren(QLabel) if label.buddy() is not None and label.text()}
    return [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in root.findChildren(QWidget)
        if isinstance(widget, QLineEdit | QComboBox | QSpinBox)
        and not widget.objectName().startswith("qt_")  # Qt's own parts of a spin or combo box
        and not widget.accessibleName() and widget not in buddies
    ]


def _fill_store_and_user_pages(wizard: SetupWizard, name: str = "Çiğli Kadın Danışma Merkezi") -> None:
    wizard.store_page.name.setText(name)
    wizard.store_page.district.setCurrentIndex(wizard.store_page.district.findData("Çiğli"))
    wizard.next()
    wizard.user_page.user.setText("zeynep")
    wizard.user_page.passphrase.setText(PASSPHRASE)
    wizard.user_page.repeat.setText(PASSPHRASE)
    wizard.next()


def test_wizard_switches_language_live_and_remembers_it(qtbot, app, home):
    wizard = SetupWizard(home)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert wizard.store_page.title() == "Caseworker'a hoş geldiniz" and next_button.text() == "&Sonraki >"
    districts = [wizard.store_page.district.itemData(i) for i in range(1, wizard.store_page.district.count())]
    assert len(districts) == 30 and districts.index("Çeşme") < districts.index("Çiğli") < districts.index("Dikili")
    assert districts.index("Kınık") < districts.index("Kiraz")  # dotless ı sorts before i in Turkish

    wizard.store_page.language.setCurrentIndex(wizard.store_page.language.findData("en"))
    assert i18n.current_language() == "en"
    assert wizard.store_page.title() == "Welcome to Caseworker" and next_button.text() == "&Next >"
    assert wizard.user_page.user_label.text() == "&User name:"
    assert wizard.store_page.district.itemText(0) == "— choose the district —"
    assert not HomePaths(home).settings.exists()  # nothing is written before the store is made

    _fill_store_and_user_pages(wizard)
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=10_000)
    assert wizard.recovery_page.print_button.text() == "&Print the recovery key…"
    assert json.loads(HomePaths(home).settings.read_text(encoding="utf-8"))["language"] == "en"
    wizard.reject()  # closed without confirming: the store stays, its session is closed
    assert wizard.session is None and HomePaths(home).has_store()


def test_recovery_key_prints_on_paper(qtbot, app, home, tmp_path):
    wizard = SetupWizard(home)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_store_and_user_pages(wizard)
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=10_000)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "key.pdf"))
    wizard.print_recovery_key(printer)
    printed = subprocess.run(["pdftotext", str(tmp_path / "key.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert wizard.recovery_page.key.text() in printed and "Çiğli Kadın Danışma Merkezi" in printed
    assert PASSPHRASE not in printed
    wizard.reject()


def test_a_coordinator_store_needs_no_district(qtbot, app, home):
    wizard = SetupWizard(home)
    qtbot.addWidget(wizard)
    page = wizard.store_page
    page.name.setText("İzmir BB Kadın Çalışmaları")
    assert not page.isComplete()
    page.coordinator.setChecked(True)
    assert page.isComplete() and not page.district.isEnabled()


def test_unlock_by_keyboard_alone(qtbot, app, centre):
    from PySide6.QtCore import Qt

    centre.session.close()
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    screen = window.unlock_screen
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.user, timeout=3000)
    qtbot.keyClicks(screen.user, "ayse")
    qtbot.keyClick(screen.user, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is screen.passphrase
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.workspace
    window.close()


def test_demo_hint_on_the_unlock_screen_follows_the_language(qtbot, app, centre):
    centre.session.close()
    window = MainWindow(centre.home, demo=True)
    qtbot.addWidget(window)
    hint = window.unlock_screen.hint_label
    assert hint.text().startswith("Deneme deposu")
    i18n.set_language("en")
    assert hint.text().startswith("Demo store") and window.unlock_screen.button.text() == "Unlock"
    assert "DEMO" in window.windowTitle()
    window.close()


def test_lock_closes_dialogs_that_are_open_even_a_modal_question(qtbot, app, centre):
    centre.session.close()
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.show()
    screen = window.unlock_screen
    screen.user.setText("ayse")
    screen.passphrase.setText(PASSPHRASE)
    screen.try_unlock()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    session = window.session
    side_dialog = QDialog(window)
    side_dialog.show()
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: [w.close() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)])
    safety.start(8000)  # only if locking failed to close the question: the test then fails, not hangs
    QTimer.singleShot(50, window.lock)
    answer = QMessageBox.question(window, "?", "Revoke the key of KDM-1?")
    safety.stop()
    assert answer != QMessageBox.StandardButton.Yes
    assert not side_dialog.isVisible() and not session.is_open
    assert window.stack.currentWidget() is window.unlock_screen
    window.close()


def test_a_registered_page_joins_the_sidebar_of_its_kind_of_store(qtbot, app, centre, monkeypatch):
    monkeypatch.setattr(main_window_module, "_registered", [])
    made = []

    def factory(session, window):
        made.append(session.user.name)
        page = QLabel("extra")
        return page

    register_page(PageSpec("extra", lambda: i18n.t("Settings") + "+", factory, (StoreRole.CENTRE,)))
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.open_session(centre.session)
    keys = [spec.key for spec in window.page_specs_shown()]
    assert keys[-2:] == ["extra", "settings"] and made == ["ayse"]
    assert window.sidebar.item(keys.index("extra")).text() == "Ayarlar+"
    window.lock()
    assert window.pages == {} and window.page_specs_shown() == []
    window.close()

    other = initialise(centre.home.parent / "koord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)[0]
    window = MainWindow(centre.home.parent / "koord")
    qtbot.addWidget(window)
    window.open_session(other)
    assert "extra" not in window.pages
    window.close()


def test_background_work_reports_back_on_the_gui_thread(qtbot, app):
    gui_thread = QThread.currentThread()
    seen: dict[str, object] = {}
    progress: list[tuple[int, int]] = []

    def work(progress):
        seen["worker_is_gui"] = threading.current_thread() is threading.main_thread()
        for done in range(1, 4):
            progress(done, 3)
        return 42

    parent = QWidget()
    qtbot.addWidget(parent)
    run_in_background(parent, work, lambda result: seen.update(result=result, on_gui=QThread.currentThread() is gui_thread), on_progress=lambda d, t: progress.append((d, t)))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen == {"worker_is_gui": False, "result": 42, "on_gui": True}
    assert progress == [(1, 3), (2, 3), (3, 3)]

    failures: list[BaseException] = []
    run_in_background(parent, lambda: 1 / 0, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ZeroDivisionError)
    assert QApplication.overrideCursor() is None
    wait_for_background_work()


def test_user_errors_and_environment_faults_show_their_message_and_the_program_goes_on(qtbot, app, message_boxes):
    ui_errors.show_error(None, InvalidInput("Period must be written YYYY-MM, not 2026-13."))
    ui_errors.show_error(None, EnvironmentFault("The disk is full."))
    assert message_boxes == [("warning", "Period must be written YYYY-MM, not 2026-13."), ("critical", "The disk is full.")]
    assert ui_errors.open_crash_dialogs() == []


def test_an_uncaught_bug_opens_the_crash_dialog_without_secrets(qtbot, app, monkeypatch, capsys):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui_errors.install_excepthook()

    def unlock_with(passphrase: str) -> None:
        raise KeyError("slot")

    try:
        unlock_with(PASSPHRASE)
    except KeyError:
        sys.excepthook(*sys.exc_info())
    dialogs = ui_errors.open_crash_dialogs()
    assert len(dialogs) == 1
    text = dialogs[0].details.toPlainText()
    assert "KeyError: 'slot'" in text and "unlock_with" in text and PASSPHRASE not in text
    assert dialogs[0].windowTitle() == "Caseworker: beklenmeyen hata"
    dialogs[0].close()
    assert ui_errors.open_crash_dialogs() == []


def test_shell_screens_name_every_field(qtbot, app, centre, home):
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    assert _fields_without_names(window.unlock_screen) == []
    window.open_session(centre.session)
    assert _fields_without_names(window.pages["settings"]) == []
    assert window.sidebar.accessibleName()
    wizard = SetupWizard(home.parent / "new")
    qtbot.addWidget(wizard)
    for page in (wizard.store_page, wizard.user_page, wizard.recovery_page):
        assert _fields_without_names(page) == []
    window.close()


def test_idle_minutes_from_settings_drive_the_lock_timer(qtbot, app, centre):
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.open_session(centre.session)
    assert window.idle_timer.interval() == 5 * 60_000 and window.idle_timer.isActive()
    i18n.set_language("en")  # switched elsewhere (the wizard, another window): the choice shown follows
    assert window.pages["settings"].language.currentText() == "English"
    window.pages["settings"].idle.setValue(12)
    assert window.idle_timer.interval() == 12 * 60_000
    window.close()
    reopened = MainWindow(centre.home)
    qtbot.addWidget(reopened)
    reopened.open_session(initialise_free_unlock(centre))
    assert reopened.idle_timer.interval() == 12 * 60_000
    reopened.close()


def initialise_free_unlock(centre):
    from caseworker.app.session import unlock

    return unlock(centre.home, centre.credentials())


def test_home_page_says_what_needs_attention(qtbot, app, centre, tmp_path):
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.open_session(centre.session)
    home_page = window.pages["home"]
    assert "Konak, İzmir" in home_page.place.text() and "1 kullanıcı" in home_page.people.text()
    assert "onaylayın" in home_page.month_text.text() and home_page.month_button.isVisibleTo(home_page)
    assert any("koordinatörün profili henüz içe aktarılmadı" in text.lower() for text in home_page.attention_texts())
    assert window.status_user.text() == "ayse (sorumlu)" and window.status_sync.text().startswith("Gönderim: ")
    window.close()

    session = initialise(tmp_path / "koord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)[0]
    window = MainWindow(tmp_path / "koord")
    qtbot.addWidget(window)
    window.open_session(session)
    home_page = window.pages["home"]
    assert home_page.place.text() == "Oturum: koord (koordinatör)"
    assert any("kayıt isteğini kabul edin" in text for text in home_page.attention_texts())
    window.close()


def test_home_page_counts_one_user_and_one_centre_in_the_singular(qtbot, app, english, tmp_path, coordinator):
    from tests.conftest import enrol, make_centre

    centre = make_centre(tmp_path, "Konak KDM", "Konak")
    enrol(centre, coordinator)
    centre.close()
    window = MainWindow(tmp_path / "coordinator")
    qtbot.addWidget(window)
    window.open_session(coordinator)
    assert window.pages["home"].people.text() == "1 user may open this store. 1 centre enrolled."
    window.close()


def test_the_application_has_its_icon_in_every_size(app):
    sizes = {size.width() for size in app.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes


def test_the_system_asking_the_program_to_end_closes_the_store_and_removes_the_demo(tmp_path):
    (tmp_path / "tmp").mkdir()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": PACKAGE_PARENT}
    process, demo_home = start_demo([sys.executable, "-m", "caseworker", "--demo"], environment)
    code, err = stop(process, Path(sys.executable))
    assert code == 0, err
    assert "Traceback" not in err
    assert not demo_home.exists()


def test_a_request_to_end_while_the_demo_is_still_being_made_ends_it_cleanly(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temporary), "PYTHONPATH": PACKAGE_PARENT}
    process = subprocess.Popen([sys.executable, "-m", "caseworker", "--demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        # The demo folder is made after the handlers are installed and long before the window is
        # ready (a year of figures is recorded first): the request comes in the middle of start-up.
        deadline = time.monotonic() + 60
        while not list(temporary.glob("caseworker-demo-*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert process.poll() is None and list(temporary.glob("caseworker-demo-*")), "the demo folder was not made"
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert list(temporary.iterdir()) == [], "the demo store was left behind"


def _recording_mkdtemp(monkeypatch, tmp_path) -> list[str]:
    import tempfile

    made: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording(suffix=None, prefix=None, dir=None):
        made.append(real_mkdtemp(suffix, prefix, tmp_path))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording)
    return made


def test_the_coordinator_demo_is_built_off_the_gui_thread_with_progress_and_removed_at_the_end(qtbot, app, home, monkeypatch, tmp_path, capsys):
    from PySide6.QtWidgets import QProgressDialog

    from caseworker.app import demo_city
    from caseworker.ui import application as application_module

    monkeypatch.setattr(demo_city, "MONTHS", 3)  # the same city, with three months instead of twenty-four
    made = _recording_mkdtemp(monkeypatch, tmp_path)
    window, clean_up = application_module.start(home, demo=True, coordinator=True)
    qtbot.addWidget(window)
    waiting = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    assert len(waiting) == 1 and window.session is None  # the GUI thread is free while the city is built
    qtbot.waitUntil(lambda: window.session is not None or bool(ui_errors.open_crash_dialogs()), timeout=120_000)
    assert window.session is not None, [d.details.toPlainText() for d in ui_errors.open_crash_dialogs()]
    assert not waiting[0].isVisible() and waiting[0].maximum() > 30
    assert "DENEME" in window.windowTitle() and window.session.store_role is StoreRole.COORDINATOR
    centres = window.pages["centres"]
    assert centres.centres.rowCount() >= 30 and "Deneme kenti" in capsys.readouterr().out  # the line on the terminal
    window.close()
    clean_up()
    assert made and not any(os.path.exists(path) for path in made)
    assert not home.exists()  # the real home was never touched


def test_the_wizard_offers_both_demos_and_leaves_the_home_untouched(qtbot, app, home, monkeypatch, tmp_path):
    from caseworker.ui import application as application_module

    made = _recording_mkdtemp(monkeypatch, tmp_path)
    wizard_window, clean_up = application_module.start(home)
    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard) and w.isVisible()]
    assert len(wizards) == 1
    wizard = wizards[0]
    assert wizard.store_page.centre_demo_button.isVisible() and wizard.store_page.coordinator_demo_button.isVisible()
    with qtbot.waitSignal(wizard.demo_requested) as asked:
        wizard.store_page.centre_demo_button.click()
    assert asked.args == ["centre"] and not wizard.isVisible()
    demos = [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window_module.MainWindow) and w.isVisible()]
    assert len(demos) == 1 and demos[0].demo and demos[0].session is not None
    qtbot.addWidget(demos[0])
    demos[0].close()
    wizard_window.close()
    clean_up()
    assert made and not any(os.path.exists(path) for path in made)
    assert not home.exists()
