"""Python's cyclic garbage collector held off while a use case makes many small objects.

The collector looks for reference cycles, which reference counting alone cannot free. It runs
whenever enough objects have been made since it last ran, and each run goes through the objects
made since (and, every so often, through every object of the program). Issuing a public city
year makes tens of thousands of small objects (sums, perturbed figures, the editions' rows), none
of them in a cycle: the collector found nothing in them, yet went through them again and again
while they were made, about a sixth of the issue by the clock (docs/store.md).

``collector_paused`` holds the collector off for the length of a ``with`` block and lets it run
again afterwards as it was: what the block made and dropped is freed as it is dropped, by
reference counting, and anything left in a cycle is collected at the collector's next run. A
block inside another leaves it off; one entered while it is off (by the program or a test)
leaves it off. The collector is the program's, not the thread's: while an issue runs on a
worker thread, the window's objects wait for it too, a tenth of a second.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
