"""Opening a large import's bundles on a second processor core while this one stores them.

Opening a bundle (signature, decryption, parsing, checks) and storing it take about as long
as each other, and the one needs nothing of the other until the bundle is stored. So for an
import of ``PARALLEL_FROM`` bundles or more, on a machine with more than one core, the rules are:

1. one worker process opens batches while the importing process stores them;
2. whichever of the two is free takes the next batch nobody has taken, so the import never
   waits for the worker to start, and it goes on alone if the worker cannot start, dies or
   holds a batch for ``STUCK_SECONDS`` (the batches the worker had taken and not given back
   are opened again here);
3. batches are given back in their order, and the two never run more than ``LOOKAHEAD``
   batches ahead of the one being stored, so memory stays flat however large the import;
4. a batch the worker fails on (a fault in the code, not a bad bundle: those are refused with
   their reason) is opened again here, so a fault surfaces as it would without the worker.

The worker is a fresh Python process (started with ``spawn`` on every system, never ``fork``:
the window's threads must not be copied), given the checks (``BundleChecks``, the
coordinator's age identity with them) over a pipe, never through a file; it reads bundle files,
gives back what it read and nothing else, and ends with the import.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from caseworker.app.bundle_checks import BundleChecks, CheckedBundle, Refused

PARALLEL_FROM = 384
LOOKAHEAD = 4
# Whether the importer opens batches too when it would otherwise wait (rule 2).
IMPORTER_OPENS_TOO = True
# How long the importer waits for the worker before it looks again for a batch nobody has
# taken (a batch just queued reaches the queue a moment later) and whether the worker is alive.
WAIT_SECONDS = 0.005
# A batch the worker has held this long means it is stuck: it is stopped and the importer goes on alone.
STUCK_SECONDS = 60
STOP_SECONDS = 5

Opened = list[CheckedBundle | Refused]


def cores() -> int:
    """The processor cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def opened_batches(checks: BundleChecks, batches: list[list[Path]]) -> Iterator[Iterator[Opened]]:
    """Each batch's bundles opened, batch after batch in their order; opened on two cores where it pays."""
    if sum(map(len, batches)) < PARALLEL_FROM or cores() < 2:
        yield ([checks.open(path) for path in batch] for batch in batches)
        return
    pair = _Pair(checks, batches)
    try:
        yield pair.batches()
    finally:
        pair.close()


def _answer(results) -> None:
    results.put(cores())


def second_process_answers(timeout: float = 60) -> int | None:
    """Start a worker as an import would and ask it how many cores it sees; None if it does not
    answer (``caseworker --self-test``: the desktop build must be able to start its own worker)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_answer, args=(results,), daemon=True, name="caseworker-self-test")
    process.start()
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
    """The worker: open each batch it takes, give back what it read (None for a batch it failed on)."""
    checks.speak()
    while (task := tasks.get()) is not None:
        index, paths = task
        try:
            opened: Opened | None = [checks.open(path) for path in paths]
        except Exception:  # a fault in the code: the importer opens the batch again and meets it there
            opened = None
        results.put((index, opened))


class _Pair:
    def __init__(self, checks: BundleChecks, batches: list[list[Path]]) -> None:
        self._checks, self._batches = checks, batches
        context = multiprocessing.get_context("spawn")
        self._tasks, self._results = context.Queue(), context.Queue()
        self._worker = context.Process(target=_work, args=(checks, self._tasks, self._results), daemon=True, name="caseworker-bundle-opener")
        self._alone = False
        try:
            self._worker.start()
        except (OSError, RuntimeError):
            self._alone = True
        self._queued = self._given = 0
        self._ready: dict[int, Opened] = {}

    def _open_here(self, index: int) -> None:
        self._ready[index] = [self._checks.open(path) for path in self._batches[index]]

    def batches(self) -> Iterator[Opened]:
        for index in range(len(self._batches)):
            if self._alone:
                if index not in self._ready:
                    self._open_here(index)
            else:
                self._queue_up_to(min(len(self._batches), index + LOOKAHEAD))
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
            self._tasks.put((self._queued, self._batches[self._queued]))
            self._queued += 1

    def _take_or_wait(self) -> None:
        """Open the next batch nobody has taken, or else wait for one the worker took."""
        try:
            task = self._tasks.get_nowait() if IMPORTER_OPENS_TOO else None
        except queue.Empty:
            task = None
        if task is not None:
            self._open_here(task[0])
            return
        try:
            index, opened = self._results.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            if not self._worker.is_alive():
                self._alone = True
            return
        if opened is None:
            self._open_here(index)
        else:
            self._ready[index] = opened

    def close(self) -> None:
        """End the worker: let it go when every batch was given back, stop it otherwise (its
        batches are of no use now, and it may be waiting to hand one over)."""
        if self._worker.is_alive():
            if self._given == len(self._batches):
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
