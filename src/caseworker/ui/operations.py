"""Running store and file work off the GUI thread, in the manner of Anki's ``aqt.operations``.

``run_in_background(parent, work, on_success)`` runs ``work()`` in the thread pool and delivers its
result (or its exception) back on the GUI thread. A busy cursor shows meanwhile; ``work`` may
take a ``progress(done, total)`` callable to report progress, shown in the status bar.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QWidget


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            if "progress" in inspect.signature(self._work).parameters:
                result = self._work(progress=lambda done, total: self._signals.progressed.emit(done, total))
            else:
                result = self._work()
        except BaseException as error:  # delivered to the GUI thread, which decides
            self._signals.failed.emit(error)
        else:
            self._signals.succeeded.emit(result)


_running: set[_Signals] = set()


def run_in_background(
    parent: QWidget,
    work: Callable[..., Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Run ``work`` off the GUI thread; the callbacks run on the GUI thread."""
    from caseworker.ui.errors import show_error

    signals = _Signals()
    _running.add(signals)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def finish() -> None:
        QApplication.restoreOverrideCursor()
        _running.discard(signals)

    def succeeded(result: Any) -> None:
        finish()
        on_success(result)

    def failed(error: BaseException) -> None:
        finish()
        (on_failure or (lambda e: show_error(parent, e)))(error)

    signals.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
    signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    if on_progress:
        signals.progressed.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(_Job(work, signals))


def run_with_session(
    parent: QWidget,
    session: Any,
    work: Callable[..., Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Like ``run_in_background``, with ``work(session)`` given a fork of ``session`` on its own
    database connection (closed afterwards): the GUI thread keeps using the original."""
    wants_progress = "progress" in inspect.signature(work).parameters

    def forked(progress: Callable[[int, int], None] | None = None) -> Any:
        own = session.fork()
        try:
            return work(own, progress=progress) if wants_progress else work(own)
        finally:
            own.close()

    if wants_progress:
        run_in_background(parent, forked, on_success, on_failure, on_progress)
    else:
        run_in_background(parent, lambda: forked(), on_success, on_failure)


def wait_for_background_work(timeout_ms: int = 10_000) -> bool:
    """For tests and shutdown: wait until every background job has finished."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
