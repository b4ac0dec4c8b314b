"""Save a PNG of each screen in Turkish and English, offscreen, for the docs and for review.

    python scripts/screenshots.py [OUT_DIR]     (default: screenshots/out)

It works on a throw-away demo store and writes nothing anywhere else.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker import i18n  # noqa: E402
from caseworker.app.demo import create_demo_store  # noqa: E402
from caseworker.ui.application import application, apply_qt_language  # noqa: E402
from caseworker.ui.main_window import MainWindow  # noqa: E402
from caseworker.ui.wizard import SetupWizard  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/out")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        session = create_demo_store(Path(tmp) / "demo")
        window = MainWindow(Path(tmp) / "demo", demo=True)
        window.open_session(session)
        window.resize(1200, 780)
        window.show()
        for language in ("tr", "en"):
            i18n.set_language(language)
            apply_qt_language(app, language)
            for row, spec in enumerate(window._specs):
                window.sidebar.setCurrentRow(row)
                app.processEvents()
                window.grab().save(str(out / f"{language}-{row:02d}-{spec.key}.png"))
            wizard = SetupWizard(Path(tmp) / "unused")
            wizard.show()
            app.processEvents()
            wizard.grab().save(str(out / f"{language}-wizard.png"))
            wizard.close()
        window.lock()
        for language in ("tr", "en"):
            i18n.set_language(language)
            apply_qt_language(app, language)
            app.processEvents()
            window.grab().save(str(out / f"{language}-unlock.png"))
        window.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
