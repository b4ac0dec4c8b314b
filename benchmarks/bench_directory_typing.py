"""How long the Directory screen keeps the GUI thread busy while someone types, at 10,000 services.

    python benchmarks/bench_directory_typing.py [--services N]

Real widgets (Qt offscreen): the Directory page on an encrypted store of N generated services.
Every prefix of the search-benchmark queries is typed one key at a time, pausing after each key
long enough for the page's debounce to fire, so every key press leads to a search, a new first
page in the list, the first entry's detail and a repaint. A 1 ms heartbeat timer on the GUI
thread measures the longest time the event loop could not run around each key press (scheduling
delays of a busy machine included). Scrolling to the end of the list, which reads the next page,
is measured the same way.

Baseline, measured in the same run: what the page did before the list read its hits lazily —
200 hits per key press put into a QListWidget — timed directly, beside the page's own refresh
timed the same way.

Target: the list never blocks for more than 30 ms while typing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory_search import QUERIES, generate, percentile, typing_prefixes  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget  # noqa: E402

from caseworker.app import directory as directory_uc  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.storage import directory as directory_repo  # noqa: E402
from caseworker.storage.store import now_utc  # noqa: E402
from caseworker.ui.application import application  # noqa: E402
from caseworker.ui.pages.directory_page import DirectoryPage  # noqa: E402

TARGET_MS = 30.0
PAUSE_MS = 180  # longer than the page's 120 ms debounce: every key press is searched


class Heartbeat:
    """Ticks every millisecond on the GUI thread; the longest gap between ticks is the longest
    time the event loop was blocked."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self.last) * 1000)
        self.last = now

    def start_window(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0


def old_refresh(session, listing: QListWidget, text: str) -> None:
    """What a key press cost before: 200 hits, each made a QListWidgetItem."""
    hits = directory_uc.search(session, text, limit=200)
    listing.clear()
    for hit in hits:
        item = QListWidgetItem(f"{hit.name}\n{hit.organization} · {hit.district}")
        item.setData(256, hit.id)
        listing.addItem(item)
    if hits:
        listing.setCurrentRow(0)
        directory_uc.get(session, hits[0].id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    args = parser.parse_args()
    app = application()
    prefixes = [prefix for query in QUERIES for prefix in typing_prefixes(query)]
    with tempfile.TemporaryDirectory() as folder:
        session, _ = initialise(Path(folder) / "home", store_role=StoreRole.CENTRE, name="Bench", district="Konak", user_name="bench", passphrase="a passphrase of fair length")
        try:
            with session.transaction() as conn:
                directory_repo.save(conn, generate(args.services, seed=1), now_utc())
            page = DirectoryPage(session, QWidget())
            page.resize(1000, 650)
            page.show()
            heartbeat = Heartbeat()
            heartbeat.timer.start()
            QTest.qWait(300)

            typing: list[float] = []
            for query in QUERIES:
                page.query.clear()
                QTest.qWait(PAUSE_MS)
                for char in query:
                    heartbeat.start_window()
                    QTest.keyClick(page.query, char)
                    QTest.qWait(PAUSE_MS)
                    typing.append(heartbeat.longest)
            scrolling: list[float] = []
            page.query.setText("")
            QTest.qWait(PAUSE_MS)
            for _ in range(10):
                heartbeat.start_window()
                page.results.scrollToBottom()
                QTest.qWait(60)
                scrolling.append(heartbeat.longest)
            rows_after_scrolling = page.model.rowCount()

            new_direct, old_direct, new_cpu, old_cpu = [], [], [], []
            listing = QListWidget()
            listing.resize(400, 600)
            listing.show()
            for prefix in prefixes:
                page.query.blockSignals(True)
                page.query.setText(prefix)
                page.query.blockSignals(False)
                start, cpu = time.perf_counter(), time.thread_time()
                page.search()
                app.processEvents()
                new_direct.append((time.perf_counter() - start) * 1000)
                new_cpu.append((time.thread_time() - cpu) * 1000)
                start, cpu = time.perf_counter(), time.thread_time()
                old_refresh(session, listing, prefix)
                app.processEvents()
                old_direct.append((time.perf_counter() - start) * 1000)
                old_cpu.append((time.thread_time() - cpu) * 1000)
            heartbeat.timer.stop()
            for widget in (page, listing):
                widget.close()
                widget.deleteLater()
            app.processEvents()
        finally:
            session.close()

    def line(label: str, values: list[float]) -> str:
        return f"  {label:<58} p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms"

    print(f"{args.services} services; {len(typing)} key presses, each searched; queries: {', '.join(QUERIES)}")
    print(line("GUI thread blocked around a key press (heartbeat)", typing))
    print(line(f"GUI thread blocked scrolling to the end ({rows_after_scrolling} rows read)", scrolling))
    print(line("page refresh: first page, detail, repaint (timed)", new_direct))
    print(line("baseline: 200 hits into a QListWidget, detail, repaint", old_direct))
    print(line("page refresh, CPU time of the GUI thread", new_cpu))
    print(line("baseline, CPU time of the GUI thread", old_cpu))
    print(f"baseline / page refresh (p95): {percentile(old_direct, 0.95) / percentile(new_direct, 0.95):.1f}x")
    worst = max(typing)
    print(f"longest block while typing: {worst:.1f} ms (p95 {percentile(typing, 0.95):.1f} ms; baseline refresh p95 {percentile(old_direct, 0.95):.1f} ms); "
          f"target <= {TARGET_MS:.0f} ms: {'OK' if worst <= TARGET_MS else 'NOT met'}")
    worst_scroll = max(scrolling)
    print(f"longest block while scrolling: {worst_scroll:.1f} ms; target <= {TARGET_MS:.0f} ms: {'OK' if worst_scroll <= TARGET_MS else 'NOT met'}")
    sys.stdout.flush()
    os._exit(0)  # PySide6 can crash tearing down the offscreen application at interpreter exit


if __name__ == "__main__":
    main()
