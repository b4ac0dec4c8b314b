"""The coordinator's City page: time to open it after unlocking, and to redraw the tile map and the
trend chart when the figure or the range changes.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_city_page.py [--repeat N] [--review DIR]

Store: 30 centres × 24 months that arrived as real signed bundles through the real import path
(``city_page_store.py``; building it takes a minute or two and is not measured). The store is
closed and unlocked again before measuring, so nothing is cached from the build.

Targets: the page opens (built, figures read, shown and painted) in ≤ 300 ms after unlock; the
tile map and the trend chart redraw in ≤ 50 ms when the figure or the range changes (a range not
seen before includes reading its new months from the store). The range changes are measured
a second after the page opened: by then the page has read ahead the year before the range, as
it does for a reader.

Baseline in the same run: the City page as it was before (a table of every indicator by
district summed with ``coordination.consolidated`` month by month, and a bar chart), opened the
same way.

``--review DIR`` saves the page, the tables and a district's figures as PNG in Turkish and
English (run again with ``QT_SCALE_FACTOR=1.5`` to see it at 150 %).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_page_store import CENTRES, MONTHS, build  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget  # noqa: E402

from caseworker import i18n  # noqa: E402
from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import coordination  # noqa: E402
from caseworker.app.session import Credentials, Session, unlock  # noqa: E402
from caseworker.domain.periods import Period, months_between  # noqa: E402
from caseworker.ui.pages.city_page import CityPage  # noqa: E402
from tests.conftest import PASSPHRASE  # noqa: E402

OPEN_TARGET_MS = 300
REDRAW_TARGET_MS = 50
SIZE = (1280, 900)


def old_page(session: Session) -> QWidget:
    """The page as it was: every indicator by district over the last twelve months, summed from
    ``coordination.consolidated`` month by month, in a table."""
    widget = QWidget()
    table = QTableWidget()
    QVBoxLayout(widget).addWidget(table)
    last = Period.current().previous()
    catalogue = catalogue_uc.current(session)
    districts = sorted({c.district for c in coordination.centres(session)})
    columns = [*districts, None]
    totals: dict[str | None, dict] = {name: {} for name in columns}
    for period in months_between(last.plus(-11), last):
        for name in columns:
            for cell, value in coordination.consolidated(session, period, district=name).values.items():
                totals[name][cell] = totals[name].get(cell, 0) + value
    indicators = catalogue.active_indicators()
    table.setRowCount(len(indicators))
    table.setColumnCount(len(columns))
    for row, indicator in enumerate(indicators):
        for column, name in enumerate(columns):
            table.setItem(row, column, QTableWidgetItem(str(sum(v for c, v in totals[name].items() if c.indicator == indicator.code))))
    return widget


def opened(app: QApplication, make: Callable[[], QWidget]) -> tuple[float, QWidget]:
    start = time.perf_counter()
    page = make()
    page.resize(*SIZE)
    page.show()
    page.repaint()
    app.processEvents()
    return (time.perf_counter() - start) * 1000, page


def idle(app: QApplication, seconds: float) -> None:
    """Let the event loop run as a reader would, looking at the page."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def line(name: str, times: list[float]) -> str:
    return f"{name:<52} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms"


def verdict(name: str, figure: float, target: float, baseline: str) -> str:
    return f"{name}: {figure:.1f} ms (baseline {baseline}; target <= {target} ms) {'OK' if figure <= target else 'NOT met'}"


def settle(app: QApplication) -> None:
    """Let posted layout requests run (a layout may post another while it runs)."""
    for _ in range(5):
        app.processEvents()


def review(app: QApplication, session: Session, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    scale = os.environ.get("QT_SCALE_FACTOR", "1")
    suffix = "" if scale in ("", "1") else f"-{float(scale) * 100:.0f}"
    for language in ("tr", "en"):
        i18n.set_language(language)
        page = CityPage(session, None)
        page.resize(1280, 2700)
        page.show()
        settle(app)
        page.grab().save(str(folder / f"city-{language}{suffix}.png"))
        for panel in (page.map_panel, page.bars_panel, page.trend_panel, page.grid_panel):
            panel.toggle.click()
        settle(app)
        page.grab().save(str(folder / f"city-{language}-tables{suffix}.png"))
        page.open_district(page.bars.rows[0].district)
        settle(app)
        page.district_dialog.grab().save(str(folder / f"city-{language}-district{suffix}.png"))
        page.district_dialog.close()
        page.close()
    i18n.set_language("tr")
    print(f"review files written to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--review", type=Path, metavar="DIR")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = build(Path(tmp))
        store.coordinator.close()
        print(f"store of {CENTRES} centres x {MONTHS} months built from real bundles in {time.perf_counter() - start:.0f} s (not measured)")
        start = time.perf_counter()
        session = unlock(store.home, Credentials(user="koord", passphrase=PASSPHRASE))
        print(f"{'unlock (for reference)':<52} {(time.perf_counter() - start) * 1000:14.1f} ms")
        with session:
            first_open, page = opened(app, lambda: CityPage(session, None))
            page.close()
            opens, baseline = [], []
            for _ in range(args.repeat):
                elapsed, page = opened(app, lambda: CityPage(session, None))
                opens.append(elapsed)
                page.close()
                elapsed, old = opened(app, lambda: old_page(session))
                baseline.append(elapsed)
                old.close()
            _, page = opened(app, lambda: CityPage(session, None))
            idle(app, 1.0)  # the page reads ahead the year before the range once it is up

            def redraw() -> None:
                """Paint both charts now, even where the scroll area shows neither (grab paints the widget itself)."""
                page.tile_map.grab()
                page.trend.grab()

            indicator_changes = []
            for _ in range(args.repeat):
                for index in range(page.indicator.count()):
                    indicator_changes.append(timed(lambda index=index: (page.indicator.setCurrentIndex(index), redraw())))
            new_ranges, seen_ranges = [], []
            for offset in range(1, args.repeat + 1):
                new_ranges.append(timed(lambda offset=offset: (page.first.setCurrentIndex(11 + offset), redraw())))
            for offset in range(1, args.repeat + 1):
                seen_ranges.append(timed(lambda offset=offset: (page.first.setCurrentIndex(11 + offset), redraw())))
            bare = [timed(redraw) for _ in range(args.repeat)]
            page.close()
            report(args.repeat, first_open, opens, baseline, indicator_changes, new_ranges, seen_ranges, bare)
            if args.review:
                review(app, session, args.review)


def report(repeat: int, first_open: float, opens: list[float], baseline: list[float], indicator_changes: list[float],
           new_ranges: list[float], seen_ranges: list[float], bare: list[float]) -> None:
    print(f"City page, {CENTRES} centres x {MONTHS} months, last 12 months shown, {repeat} runs each")
    print(f"{'first open after unlock':<52} {first_open:14.1f} ms")
    print(line("open (page built, figures read, shown, painted)", opens))
    print(line("baseline: the former City page, opened the same way", baseline))
    print(line("figure changed: tile map and trend redrawn", indicator_changes))
    print(line("range changed, months not read yet (store read + redraw)", new_ranges))
    print(line("range changed back to a range seen (redraw)", seen_ranges))
    print(line("baseline: tile map and trend painted, nothing changed", bare))
    old = f"former page {statistics.median(baseline):.1f} ms"
    print(verdict("open after unlock (slowest, first included)", max([first_open, *opens]), OPEN_TARGET_MS, old))
    print(verdict("redraw on a figure change (slowest)", max(indicator_changes), REDRAW_TARGET_MS, f"bare repaint {statistics.median(bare):.1f} ms"))
    print(verdict("redraw on a range change (slowest, store read included)", max(new_ranges + seen_ranges), REDRAW_TARGET_MS,
                  f"bare repaint {statistics.median(bare):.1f} ms"))


if __name__ == "__main__":
    main()
