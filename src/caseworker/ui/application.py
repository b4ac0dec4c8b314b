"""Starting the GUI: the Qt application, its translations, the first-run wizard or the unlock
screen, and the demo mode on a throw-away store."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from caseworker import i18n
from caseworker.paths import HomePaths, resource
from caseworker.settings import load as load_settings
from caseworker.ui import design
from caseworker.ui.errors import install_excepthook
from caseworker.ui.termination import Termination

# With this variable set, the program writes READY_LINE on stdout once its window is shown and
# its event loop runs: a scheduler, a session manager or a test can wait for it.
READY_ENV = "CASEWORKER_ANNOUNCE_READY"
READY_LINE = "caseworker: ready"

_translator: QTranslator | None = None


def apply_qt_language(app: QApplication, language: str) -> None:
    """Qt's own texts (dialog buttons, wizard buttons) in the chosen language."""
    global _translator
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    QLocale.setDefault(QLocale(QLocale.Language.Turkish if language == "tr" else QLocale.Language.English))
    if language == "tr":
        translator = QTranslator(app)
        if translator.load("qtbase_tr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _translator = translator


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def application_icon() -> QIcon:
    """The application's icon in every size shipped (``resources/icons``)."""
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(resource("icons", f"caseworker-{size}.png").read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Caseworker")
    app.setOrganizationName("Caseworker")
    app.setDesktopFileName("caseworker")  # matches the Linux desktop entry, for the taskbar icon
    app.setWindowIcon(application_icon())
    if app.property("caseworker_palette") is None:
        design.apply(app)  # every window and page gets the one visual language (ui/design.py)
    return app  # type: ignore[return-value]


def quit_on_termination_signals(app: QApplication, termination: Termination) -> QTimer:
    """Close cleanly (store closed, demo folder removed) when the system asks the program to end,
    as at logout or shutdown, also when it asked before the event loop ran: the quit waits in
    the event queue. Python handles a signal only when it runs, so a timer wakes it."""
    termination.on_request(lambda: QTimer.singleShot(0, app.quit))
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(250)
    return waker


def build_window(home: Path, demo: bool = False):
    """The first-run wizard if ``home`` has no store, else the main window at its unlock screen."""
    from caseworker.ui.main_window import MainWindow
    from caseworker.ui.wizard import SetupWizard

    window = MainWindow(home, demo=demo)
    if HomePaths(home).has_store():
        return window, None
    wizard = SetupWizard(home)

    def created(session) -> None:
        if wizard.recovery_page.confirmed.isChecked():  # a new store, its key written down: the checklist's first step
            from caseworker.app.home_dashboard import keep_recovery_key

            keep_recovery_key(session)
        window.open_session(session)
        window.show()

    wizard.created.connect(created)
    return window, wizard


class Demos:
    """Demo stores, each in a throw-away folder removed at the end: the centre's (made at once) or
    the coordinator's city (built off the GUI thread, with progress shown meanwhile)."""

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.sessions: list = []
        self.windows: list = []

    def open(self, kind: str) -> QWidget:
        """The window of a new demo store of ``kind`` ("centre" or "coordinator"), or, for the
        city, the progress dialog shown while it is built (the window follows)."""
        from caseworker.ui.main_window import MainWindow

        folder = Path(tempfile.mkdtemp(prefix="caseworker-demo-"))
        self.folders.append(folder)
        home = folder / "home"
        window = MainWindow(home, demo=True)
        self.windows.append(window)
        if kind == "coordinator":
            return self._build_city(window, home)
        from caseworker.app.demo import create_demo_store

        session = create_demo_store(home)
        self.sessions.append(session)
        window.open_session(session)
        window.show()
        return window

    def _build_city(self, window: QWidget, home: Path) -> QWidget:
        from PySide6.QtWidgets import QApplication, QProgressDialog

        from caseworker.app.demo_city import create_demo_city, summary_line
        from caseworker.ui.errors import show_error
        from caseworker.ui.operations import run_in_background

        waiting = QProgressDialog(i18n.t("Building the demo city: İzmir's 30 districts and two years of their centres' bundles…"), "", 0, 0)
        waiting.setWindowTitle(f"{i18n.t('Caseworker')} — {i18n.t('DEMO')}")
        waiting.setCancelButton(None)
        waiting.setMinimumDuration(0)
        waiting.setMinimumWidth(460)
        waiting.setAutoClose(False)  # open until the window takes over, not when the last bundle is in
        waiting.setAutoReset(False)

        def work(progress):
            city = create_demo_city(home, progress=progress)
            self.sessions.append(city.session)
            return city

        def built(city) -> None:
            waiting.close()
            print(summary_line(city), flush=True)
            window.open_session(city.session)
            window.show()

        def failed(error: BaseException) -> None:
            waiting.close()
            show_error(None, error)
            QApplication.quit()

        def progressed(done: int, total: int) -> None:
            waiting.setMaximum(total)
            waiting.setValue(done)

        run_in_background(waiting, work, built, failed, progressed)
        waiting.show()
        return waiting

    def clean_up(self) -> None:
        from caseworker.ui.operations import wait_for_background_work

        wait_for_background_work(120_000)  # a city still being built finishes before its folder goes
        for session in self.sessions:
            session.close()
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)


def start(home: Path, demo: bool = False, coordinator: bool = False) -> tuple[QWidget, Callable[[], None]]:
    """Show the first window; returns it and the clean-up to call when the application ends.
    ``demo``: a throw-away store, a centre's or (``coordinator``) the city's."""
    app = application()
    install_excepthook()
    language = load_settings(HomePaths(home).settings).language
    i18n.set_language(language)
    apply_qt_language(app, language)
    unsubscribe = i18n.on_language_changed(lambda chosen: apply_qt_language(app, chosen))
    demos = Demos()
    window: QWidget | None = None
    try:
        if demo:
            shown = demos.open("coordinator" if coordinator else "centre")
        else:
            window, wizard = build_window(home)
            if wizard is not None:
                wizard.demo_requested.connect(demos.open)
            shown = wizard or window
    except BaseException:
        demos.clean_up()
        raise
    shown.show()

    def clean_up() -> None:
        unsubscribe()
        if window is not None and window.session is not None:
            window.session.close()
        demos.clean_up()

    return window or demos.windows[0], clean_up


def announce_ready() -> None:
    if os.environ.get(READY_ENV):
        print(READY_LINE, flush=True)


def run(home: Path, demo: bool = False, termination: Termination | None = None, coordinator: bool = False) -> int:
    """Run the window until it is closed or the system asks the program to end. ``termination``
    holds the signal handlers the command line installed before any work (made here if not)."""
    termination = termination or Termination().install()
    app = application()
    quit_on_termination_signals(app, termination)
    _window, clean_up = start(home, demo, coordinator)
    try:
        QTimer.singleShot(0, announce_ready)
        return app.exec()
    finally:
        clean_up()
