"""Opening a large import's bundles on a second processor core while this one stores them.

Opening a bundle (signature, decryption, parsing, checks) takes about twice as long as storing
it, and the one needs nothing of the other until the bundle is stored. So for an import of
``PARALLEL_FROM`` bundles or more, on a machine with more than one core, the rules are:

1. the bundles are cut into pieces of ``PIECE``; one worker process opens pieces while the
   importing process stores each bundle as soon as its piece is back;
2. when the piece the importer needs is not back yet, it takes in what the worker gave back,
   and only if that is not it, opens the next piece nobody has taken itself: so the import never
   waits for the worker to start, and it goes on alone if the worker cannot start, dies or
   holds a piece for ``STUCK_SECONDS`` (the pieces the worker had taken and not given back
   are opened again here); a piece is small, so neither waits long for what the other took;
3. bundles are given back in their order, and the two never run more than ``LOOKAHEAD`` pieces
   ahead of the one the importer needs, so memory stays flat however large the import;
4. a piece the worker fails on (a fault in the code, not a bad bundle: those are refused with
   their reason) is opened again here, so a fault surfaces as it would without the worker.

How the worker starts depends on what may be copied. On Linux, from a process that runs one
thread (the ``caseworker`` command), it is a ``fork`` of the importer: it has what opening needs
already loaded, and starts in a few milliseconds instead of the 0.2 s a fresh Python takes, a
tenth of the CPU of an import of 1,000 bundles. Anywhere else it is a fresh Python process
(``spawn``): the window runs threads, which ``fork`` would copy in whatever state they are, and
macOS and Windows do not fork safely or at all. A fresh worker is given the checks
(``BundleChecks``, the coordinator's age identity with them) over a pipe, never through a file,
and starts with this module and what it imports, not with the program's main module: ``spawn``
would run that again in the worker, and for the ``caseworker`` command that is the whole
command line (0.7 s, most of the worker's start, which a small import waits for). Either way the
worker reads bundle files, gives back what it read and nothing else, leaves Ctrl-C to the
importer (which stops it), and ends with the import, or within ``ORPHAN_SECONDS`` of the
importer's end if the importer is killed.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from caseworker.app.bundle_checks import BundleChecks, CheckedBundle, Refused

PARALLEL_FROM = 384
PIECE = 16
LOOKAHEAD = 32
# Whether the importer opens pieces too when it would otherwise wait (rule 2).
IMPORTER_OPENS_TOO = True
# How long the importer waits for the worker before it looks again for a piece nobody has
# taken (a piece just queued reaches the queue a moment later) and whether the worker is alive.
WAIT_SECONDS = 0.005
# A piece the worker has held this long means it is stuck: it is stopped and the importer goes on alone.
STUCK_SECONDS = 60
STOP_SECONDS = 5
# How often a worker waiting for a piece looks whether its importer is still there.
ORPHAN_SECONDS = 1

Opened = list[CheckedBundle | Refused]


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """How an import starts its worker: ``fork`` on Linux from a process running one thread,
    ``spawn`` anywhere else (rule in the module's docstring)."""
    if sys.platform == "linux" and _threads() == 1:
        return "fork"
    return "spawn"


def _threads() -> int:
    """The threads this process runs, those Python does not know of (Qt's) included."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # cannot tell: as if others ran
        return 2


@contextmanager
def opened_bundles(checks: BundleChecks, paths: list[Path]) -> Iterator[Iterator[CheckedBundle | Refused]]:
    """Each bundle opened, in their order, as it is asked for; opened on two cores where it pays."""
    if len(paths) < PARALLEL_FROM or cores() < 2:
        yield (checks.open(path) for path in paths)
        return
    pair = _Pair(checks, [paths[start : start + PIECE] for start in range(0, len(paths), PIECE)])
    try:
        yield (bundle for piece in pair.pieces() for bundle in piece)
    finally:
        pair.close()


@contextmanager
def _main_module_left_behind() -> Iterator[None]:
    """While a worker is started: ``spawn`` carries to the worker the name or path of the main
    module it finds in ``sys.modules``, and finds none here."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _start(process: multiprocessing.process.BaseProcess, method: str) -> None:
    with _main_module_left_behind() if method == "spawn" else nullcontext():
        process.start()


def _answer(results) -> None:
    results.put(cores())


def second_process_answers(timeout: float = 60) -> int | None:
    """Start a worker as the window's import would (``spawn``) and ask it how many cores it sees;
    None if it does not answer (``caseworker --self-test``: the desktop build must be able to
    start its own worker)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_answer, args=(results,), daemon=True, name="caseworker-self-test")
    _start(process, "spawn")
    try:
        return results.get(timeout=timeout)
    except queue.Empty:
        return None
    finally:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.terminate()
            process.join(STOP_SECONDS)
        results.close()


def _work(checks: BundleChecks, tasks, results) -> None:
    """The worker: open each piece it takes, give back what it read (None for a piece it failed on)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker would run the importer's handler
    checks.speak()
    importer = multiprocessing.parent_process()
    while True:
        try:
            task = tasks.get(timeout=ORPHAN_SECONDS)
        except queue.Empty:
            if importer is not None and not importer.is_alive():
                results.cancel_join_thread()  # what it could not give back would hold its exit for ever
                return
            continue
        if task is None:
            return
        index, paths = task
        try:
            opened: Opened | None = [checks.open(path) for path in paths]
        except Exception:  # a fault in the code: the importer opens the piece again and meets it there
            opened = None
        results.put((index, opened))


class _Pair:
    def __init__(self, checks: BundleChecks, pieces: list[list[Path]]) -> None:
        self._checks, self._pieces = checks, pieces
        method = start_method()
        context = multiprocessing.get_context(method)
        self._tasks, self._results = context.Queue(), context.Queue()
        self._worker = context.Process(target=_work, args=(checks, self._tasks, self._results), daemon=True, name="caseworker-bundle-opener")
        self._alone = False
        try:
            _start(self._worker, method)
        except (OSError, RuntimeError):
            self._alone = True
        self._queued = self._given = 0
        self._ready: dict[int, Opened] = {}

    def _open_here(self, index: int) -> None:
        self._ready[index] = [self._checks.open(path) for path in self._pieces[index]]

    def pieces(self) -> Iterator[Opened]:
        for index in range(len(self._pieces)):
            if self._alone:
                if index not in self._ready:
                    self._open_here(index)
            else:
                self._queue_up_to(min(len(self._pieces), index + LOOKAHEAD))
                waiting_since = time.monotonic()
                while index not in self._ready and not self._alone:
                    self._take_or_wait()
                    if time.monotonic() - waiting_since > STUCK_SECONDS:
                        self._worker.terminate()
                        self._alone = True
                if self._alone:
                    for lost in range(index, self._queued):
                        if lost not in self._ready:
                            self._open_here(lost)
            self._given += 1
            yield self._ready.pop(index)

    def _queue_up_to(self, end: int) -> None:
        while self._queued < end:
            self._tasks.put((self._queued, self._pieces[self._queued]))
            self._queued += 1

    def _take_or_wait(self) -> None:
        """Take in a piece the worker gave back; if there is none yet, open the next piece
        nobody has taken, or else wait a moment for the worker."""
        if self._taken_in(0):
            return
        try:
            task = self._tasks.get_nowait() if IMPORTER_OPENS_TOO else None
        except queue.Empty:
            task = None
        if task is not None:
            self._open_here(task[0])
        elif not self._taken_in(WAIT_SECONDS) and not self._worker.is_alive():
            self._alone = True

    def _taken_in(self, timeout: float) -> bool:
        """Whether the worker gave a piece back within ``timeout`` seconds (a piece it failed on is opened here)."""
        try:
            index, opened = self._results.get(timeout=timeout) if timeout else self._results.get_nowait()
        except queue.Empty:
            return False
        if opened is None:
            self._open_here(index)
        else:
            self._ready[index] = opened
        return True

    def close(self) -> None:
        """End the worker: let it go when every piece was given back, stop it otherwise (its
        pieces are of no use now, and it may be waiting to hand one over)."""
        if self._worker.is_alive():
            if self._given == len(self._pieces):
                self._tasks.put(None)
                self._worker.join(STOP_SECONDS)
            if self._worker.is_alive():
                self._worker.terminate()
                self._worker.join(STOP_SECONDS)
        for channel in (self._tasks, self._results):
            channel.cancel_join_thread()
            channel.close()
        if self._worker.exitcode is not None:
            self._worker.close()
