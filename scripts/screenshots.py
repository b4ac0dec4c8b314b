"""Save a PNG of each screen in Turkish and English, offscreen, for the docs and for review.

    python scripts/screenshots.py [OUT_DIR]     (default: screenshots/out)
    QT_SCALE_FACTOR=1.25 python scripts/screenshots.py OUT_DIR     (the same at 125 % scaling)

Screens: the three pages of the setup wizard, the unlock screen, every page of a centre's demo
store, every page of a new coordinator's store, and every page of the coordinator's demo (İzmir's
30 districts with two years of bundles; ``*-coordinator-demo-*``). It works on throw-away stores in a temporary
folder and writes nothing anywhere else.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from caseworker import i18n  # noqa: E402
from caseworker.app.demo import DEMO_PASSPHRASE, create_demo_store  # noqa: E402
from caseworker.app.demo_city import create_demo_city, summary_line  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.ui.application import application, apply_qt_language  # noqa: E402
from caseworker.ui.main_window import MainWindow  # noqa: E402
from caseworker.ui.operations import wait_for_background_work  # noqa: E402
from caseworker.ui.wizard import SetupWizard  # noqa: E402

LANGUAGES = ("tr", "en")


def settle(app: QApplication) -> None:
    wait_for_background_work()
    for _ in range(3):
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, target: Path) -> None:
    settle(app)
    widget.grab().save(str(target))


def switch_language(app: QApplication, language: str) -> None:
    i18n.set_language(language)
    apply_qt_language(app, language)


def workspace_pages(app: QApplication, window: MainWindow, kind: str, out: Path) -> None:
    for language in LANGUAGES:
        switch_language(app, language)
        for row, spec in enumerate(window.page_specs_shown()):
            window.sidebar.setCurrentRow(row)
            shoot(app, window, out / f"{language}-{kind}-{row:02d}-{spec.key}.png")


def wizard_pages(app: QApplication, home: Path, out: Path) -> None:
    wizard = SetupWizard(home)
    wizard.show()
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-wizard-1-store.png")
    wizard.store_page.name.setText("Karşıyaka Kadın Danışma Merkezi")
    wizard.store_page.district.setCurrentIndex(wizard.store_page.district.findData("Karşıyaka"))
    wizard.next()
    wizard.user_page.user.setText("ayşe")
    wizard.user_page.passphrase.setText(DEMO_PASSPHRASE)
    wizard.user_page.repeat.setText(DEMO_PASSPHRASE)
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-wizard-2-user.png")
    wizard.next()
    settle(app)
    wizard.recovery_page.confirmed.setChecked(True)
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-wizard-3-recovery-key.png")
    wizard.reject()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/out")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        wizard_pages(app, Path(tmp) / "wizard", out)

        window = MainWindow(Path(tmp) / "demo", demo=True)
        window.open_session(create_demo_store(Path(tmp) / "demo"))
        window.resize(1200, 780)
        window.show()
        workspace_pages(app, window, "centre", out)
        window.lock()
        for language in LANGUAGES:
            switch_language(app, language)
            shoot(app, window, out / f"{language}-unlock.png")
        window.close()

        session, _ = initialise(
            Path(tmp) / "coordinator", store_role=StoreRole.COORDINATOR, name="İzmir Büyükşehir Belediyesi Kadın Çalışmaları Şube Müdürlüğü",
            district="", user_name="koordinatör", passphrase=DEMO_PASSPHRASE,
        )
        window = MainWindow(Path(tmp) / "coordinator")
        window.open_session(session)
        window.resize(1200, 780)
        window.show()
        workspace_pages(app, window, "coordinator", out)
        window.close()

        city = create_demo_city(Path(tmp) / "city")
        print(summary_line(city))
        window = MainWindow(Path(tmp) / "city", demo=True)
        window.open_session(city.session)
        window.resize(1200, 780)
        window.show()
        workspace_pages(app, window, "coordinator-demo", out)
        window.close()
    switch_language(app, i18n.DEFAULT_LANGUAGE)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
