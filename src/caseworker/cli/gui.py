"""Starting the GUI from the command line, or saying plainly why it cannot start here."""

from __future__ import annotations

import os
import sys

from caseworker.cli.context import Context
from caseworker.errors import UserError
from caseworker.i18n import t


def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def launch(context: Context, demo: bool, coordinator: bool = False) -> int:
    # First of all, so that a request to end during start-up closes the window cleanly too.
    from caseworker.ui.termination import Termination

    termination = Termination().install()
    if not display_available():
        raise UserError(
            t("No display found, so the window cannot open. On a machine without a screen run it offscreen (QT_QPA_PLATFORM=offscreen caseworker) or under a virtual screen (xvfb-run caseworker); for headless work use the sub-commands (caseworker --help).")
        )
    try:
        from caseworker.ui.application import run
    except ImportError as error:
        raise UserError(t("The GUI cannot start: {reason}. Reinstall Caseworker with its GUI libraries (PySide6).", reason=error)) from None
    return run(home=context.home, demo=demo, termination=termination, coordinator=coordinator)
