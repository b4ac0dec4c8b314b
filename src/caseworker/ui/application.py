"""Starting the GUI: the Qt application, its translations, the first-run wizard or the unlock
screen, and the demo mode on a throw-away store."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from caseworker import i18n
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.ui.errors import install_excepthook

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


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    app.setApplicationName("Caseworker")
    app.setOrganizationName("Caseworker")
    return app  # type: ignore[return-value]


def build_window(home: Path, demo: bool = False):
    """The first-run wizard if ``home`` has no store, else the main window at its unlock screen."""
    from caseworker.ui.main_window import MainWindow
    from caseworker.ui.wizard import SetupWizard

    window = MainWindow(home, demo=demo)
    if HomePaths(home).has_store():
        return window, None
    wizard = SetupWizard(home)
    wizard.created.connect(lambda session: (window.open_session(session), window.show()))
    return window, wizard


def start(home: Path, demo: bool = False) -> tuple[QWidget, Callable[[], None]]:
    """Show the first window; returns it and the clean-up to call when the application ends."""
    app = application()
    install_excepthook()
    language = load_settings(HomePaths(home).settings).language
    i18n.set_language(language)
    apply_qt_language(app, language)
    unsubscribe = i18n.on_language_changed(lambda chosen: apply_qt_language(app, chosen))
    demo_folder: Path | None = None
    if demo:
        from caseworker.app.demo import create_demo_store
        from caseworker.ui.main_window import MainWindow

        demo_folder = Path(tempfile.mkdtemp(prefix="caseworker-demo-"))
        home = demo_folder / "home"
        window = MainWindow(home, demo=True)
        window.open_session(create_demo_store(home))
        shown: QWidget = window
    else:
        window, wizard = build_window(home)
        shown = wizard or window
    shown.show()

    def clean_up() -> None:
        unsubscribe()
        if window.session is not None:
            window.session.close()
        if demo_folder is not None:
            shutil.rmtree(demo_folder, ignore_errors=True)

    return window, clean_up


def run(home: Path, demo: bool = False) -> int:
    app = application()
    _window, clean_up = start(home, demo)
    try:
        return app.exec()
    finally:
        clean_up()
