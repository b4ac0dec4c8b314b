"""Ending the window when the system asks (SIGTERM at logout or shutdown, SIGINT from a terminal).

The handlers are installed as soon as the command line knows it will open the window, before Qt
is loaded or a demo store is made: a request that comes while the program is still starting is
remembered and ends the event loop as soon as it runs, so the store is closed and a demo folder
removed whatever the moment. This module loads no Qt.
"""

from __future__ import annotations

import signal
from collections.abc import Callable


class Termination:
    """Remembers a request to end and passes it to ``on_request``'s callback once one is given."""

    def __init__(self) -> None:
        self.requested = False
        self._callback: Callable[[], None] | None = None

    def install(self) -> Termination:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._handle)
        return self

    def on_request(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on a request from now on, and at once if one has already come."""
        self._callback = callback
        if self.requested:
            callback()

    def _handle(self, *_: object) -> None:
        self.requested = True
        if self._callback is not None:
            self._callback()
