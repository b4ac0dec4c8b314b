"""Start-up: unlock, then time to a usable main window (shown, every page built, events idle).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_startup.py

Targets (DESIGN.md): unlock <= 0.5 s; start to a usable main window after unlock <= 1.0 s. The
baseline, in the same run, is an empty QMainWindow shown the same way.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QMainWindow  # noqa: E402

from caseworker.app.demo import DEMO_PASSPHRASE, DEMO_USER, create_demo_store  # noqa: E402
from caseworker.app.session import Credentials, unlock  # noqa: E402
from caseworker.ui.application import application  # noqa: E402
from caseworker.ui.main_window import MainWindow  # noqa: E402


def until_idle() -> None:
    """Run the event loop until it has nothing left to do: a zero timer fires only then."""
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


def main() -> None:
    application()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        create_demo_store(home).close()
        unlocks, windows, baselines = [], [], []
        for _ in range(5):
            start = time.perf_counter()
            session = unlock(home, Credentials(DEMO_USER, DEMO_PASSPHRASE))
            unlocked = time.perf_counter()
            window = MainWindow(home)
            window.open_session(session)
            window.show()
            until_idle()
            shown = time.perf_counter()
            unlocks.append(unlocked - start)
            windows.append(shown - unlocked)
            window.close()
            start = time.perf_counter()
            bare = QMainWindow()
            bare.show()
            until_idle()
            baselines.append(time.perf_counter() - start)
            bare.close()
        unlock_ms, window_ms, base_ms = (statistics.median(x) * 1000 for x in (unlocks, windows, baselines))
        print(f"unlock (Argon2id + open + migrations check + audit): median {unlock_ms:.0f} ms (target <= 500 ms)")
        print(f"unlock to usable main window, a year of data:      median {window_ms:.0f} ms (target <= 1000 ms): {'OK' if window_ms <= 1000 else 'SLOW'}")
        print(f"baseline, an empty main window shown:               median {base_ms:.1f} ms; ratio {window_ms / max(base_ms, 0.1):.0f}x")


if __name__ == "__main__":
    main()
