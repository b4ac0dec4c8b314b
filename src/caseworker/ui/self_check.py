"""The self-test's check of the desktop interface: Qt starts without a screen, the first window
builds and draws, the icon loads and printing works.

Qt runs on its offscreen platform here, so the check behaves the same on a desktop, on a server
and inside a frozen build, and never opens a window.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTranslator, qVersion
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from caseworker.i18n import t


def _qt_application() -> QApplication:
    existing = QApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    return QApplication([sys.argv[0] if sys.argv else "caseworker", "-platform", "offscreen"])


def _distinct_colours(image: QImage, samples: int = 400) -> int:
    width, height = image.width(), image.height()
    return len({image.pixel((i * 7919) % width, (i * 104729) % height) for i in range(samples)})


def check_desktop_interface() -> str:
    """Build and draw the setup wizard, load the icon and Qt's Turkish texts, and print a page
    to PDF; raise on failure."""
    from caseworker.ui.application import application, application_icon
    from caseworker.ui.wizard import SetupWizard

    app = _qt_application()
    application()
    if application_icon().isNull():
        raise RuntimeError("the application icon did not load")
    if not QTranslator().load("qtbase_tr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        raise RuntimeError("Qt's own Turkish texts (qtbase_tr) are missing")
    with tempfile.TemporaryDirectory() as folder:
        wizard = SetupWizard(Path(folder) / "home")
        wizard.resize(720, 520)
        wizard.restart()  # lays its first page out, as showing it would
        image = wizard.grab().toImage()
        wizard.deleteLater()
        if image.isNull() or _distinct_colours(image) < 3:
            raise RuntimeError("the first window drew nothing")
        target = Path(folder) / "probe.pdf"
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        QTextDocument("Caseworker İzmir").print_(printer)
        if not target.exists() or target.stat().st_size < 500:
            raise RuntimeError("printing produced no PDF")
    return t("Qt {version} ({platform}), window {width}×{height}, icon, Qt texts in Turkish, printing", version=qVersion(), platform=app.platformName(), width=image.width(), height=image.height())
