"""Save a PNG of every screen in Turkish and English, light and dark, at 100 % and 150 % scaling,
on a 1366 × 768 screen, for the docs and for review.

    python scripts/screenshots.py [OUT_DIR]            (default: screenshots/out)
    python scripts/screenshots.py OUT_DIR --xvfb       (under a real X server, Xvfb, as well)
    python scripts/screenshots.py OUT_DIR --docs       (and copy the ones docs/gui.md shows to docs/screenshots)

Screens: the three pages of the setup wizard, the unlock screen, every page of a centre's demo
store, every page of a coordinator's store with one enrolled centre, and every page of the
coordinator's demo (İzmir's 30 districts with two years of bundles; ``*-coordinator-demo-*``). Each scaling runs in a
process of its own (Qt reads the scale factor once, at start), offscreen and, with ``--xvfb``,
under ``xvfb-run`` with Qt's X11 platform. The files go to ``OUT_DIR/<platform>-<scale>/``,
named ``<language>-<theme>-<screen>.png``. For every page the script also says when it would
need a horizontal scrollbar or cuts a button's text at that size. It works on throw-away stores
in a temporary folder and writes nothing anywhere else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

LANGUAGES = ("tr", "en")
THEMES = ("light", "dark")
SCALES = ("1", "1.5")
SCREEN = (1366, 768)
# The screenshots docs/gui.md shows: offscreen, 100 %, both languages and themes of a few.
DOCS = ROOT / "docs" / "screenshots"


def settle(app) -> None:
    from caseworker.ui.operations import wait_for_background_work

    wait_for_background_work()
    for _ in range(3):
        app.processEvents()


def shoot(app, widget, target: Path) -> None:
    settle(app)
    widget.grab().save(str(target))


def switch_language(app, language: str) -> None:
    from caseworker import i18n
    from caseworker.ui.application import apply_qt_language

    i18n.set_language(language)
    apply_qt_language(app, language)


def layout_problems(page) -> list[str]:
    """What a person would see as broken at this size: a horizontal scrollbar, a cut button."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea

    problems = [f"horizontal scrollbar in {type(area).__name__}" for area in page.findChildren(QAbstractScrollArea)
                if area.isVisibleTo(page) and area.horizontalScrollBar().isVisible()]
    problems += [f"cut text on the button “{button.text()}”" for button in page.findChildren(QAbstractButton)
                 if button.isVisibleTo(page) and button.text() and button.width() < button.minimumSizeHint().width()]
    return problems


def workspace_pages(app, window, kind: str, theme: str, out: Path) -> None:
    for language in LANGUAGES:
        switch_language(app, language)
        for row, spec in enumerate(window.page_specs_shown()):
            window.sidebar.setCurrentRow(row)
            shoot(app, window, out / f"{language}-{theme}-{kind}-{row:02d}-{spec.key}.png")
            for problem in layout_problems(window.pages[spec.key]):
                print(f"  {out.name} {language}-{theme}-{kind} {spec.key}: {problem}")


def wizard_pages(app, home: Path, theme: str, out: Path) -> None:
    from caseworker.app.demo import DEMO_PASSPHRASE
    from caseworker.ui.wizard import SetupWizard

    wizard = SetupWizard(home)
    wizard.show()
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-{theme}-wizard-1-store.png")
    wizard.store_page.name.setText("Karşıyaka Kadın Danışma Merkezi")
    wizard.store_page.district.setCurrentIndex(wizard.store_page.district.findData("Karşıyaka"))
    wizard.next()
    wizard.user_page.user.setText("ayşe")
    wizard.user_page.passphrase.setText(DEMO_PASSPHRASE)
    wizard.user_page.repeat.setText(DEMO_PASSPHRASE)
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-{theme}-wizard-2-user.png")
    wizard.next()
    settle(app)
    wizard.recovery_page.confirmed.setChecked(True)
    for language in LANGUAGES:
        switch_language(app, language)
        shoot(app, wizard, out / f"{language}-{theme}-wizard-3-recovery-key.png")
    wizard.reject()


def window_size(scale: float) -> tuple[int, int]:
    """The window filling a 1366 × 768 screen, in Qt's device-independent pixels."""
    return round(SCREEN[0] / scale), round(SCREEN[1] / scale)


def coordinator_with_a_centre(folder: Path):
    """A coordinator's store with one enrolled centre whose last month arrived."""
    from caseworker.app import counts as counts_uc
    from caseworker.app import months, sync_import, sync_keys, sync_outbox
    from caseworker.app.demo import DEMO_PASSPHRASE
    from caseworker.app.session import initialise
    from caseworker.domain.periods import Period
    from caseworker.domain.users import StoreRole

    coordinator, _ = initialise(
        folder / "coordinator", store_role=StoreRole.COORDINATOR, name="İzmir Büyükşehir Belediyesi Kadın Çalışmaları Şube Müdürlüğü",
        district="", user_name="koordinatör", passphrase=DEMO_PASSPHRASE,
    )
    with initialise(folder / "centre", store_role=StoreRole.CENTRE, name="Konak Kadın Danışma Merkezi", district="Konak",
                    user_name="ayşe", passphrase=DEMO_PASSPHRASE)[0] as centre:
        request = sync_keys.enrolment_request(centre)
        sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
        profile = sync_keys.profile(coordinator)
        sync_keys.pin_profile(centre, profile, profile.fingerprint)
        previous = Period.current().previous()
        book = counts_uc.TallyBook(centre)
        for _ in range(4):
            book.record(previous, "new_applicant", {"age": "25-34", "status": "citizen", "source": "self"})
        months.submit(centre, previous)
        bundles = [centre.store.paths.outbox / bundle.file_name for bundle in sync_outbox.outbox_status(centre).waiting]
        sync_import.import_bundles(coordinator, bundles)
    return coordinator


def one_run(out: Path, scale: float) -> None:
    """Every screen, in this process's platform and scaling."""
    from caseworker import i18n
    from caseworker.app.demo import create_demo_store
    from caseworker.app.demo_city import create_demo_city, summary_line
    from caseworker.ui import design
    from caseworker.ui.application import application
    from caseworker.ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = application()
    size = window_size(scale)
    for theme in THEMES:
        design.apply(app, design.DARK if theme == "dark" else design.LIGHT)
        with tempfile.TemporaryDirectory() as tmp:
            wizard_pages(app, Path(tmp) / "wizard", theme, out)

            window = MainWindow(Path(tmp) / "demo", demo=True)
            window.open_session(create_demo_store(Path(tmp) / "demo"))
            window.resize(*size)
            window.show()
            workspace_pages(app, window, "centre", theme, out)
            window.lock()
            for language in LANGUAGES:
                switch_language(app, language)
                shoot(app, window, out / f"{language}-{theme}-unlock.png")
            window.close()

            window = MainWindow(Path(tmp) / "coordinator")
            window.open_session(coordinator_with_a_centre(Path(tmp)))
            window.resize(*size)
            window.show()
            workspace_pages(app, window, "coordinator", theme, out)
            window.close()

            city = create_demo_city(Path(tmp) / "city")
            print(summary_line(city))
            window = MainWindow(Path(tmp) / "city", demo=True)
            window.open_session(city.session)
            window.resize(*size)
            window.show()
            workspace_pages(app, window, "coordinator-demo", theme, out)
            window.close()
    switch_language(app, i18n.DEFAULT_LANGUAGE)


def copy_for_docs(shots: Path) -> None:
    """The pictures docs/gui.md shows: every page in Turkish, light, at 100 %; the home pages in
    English, in dark and at 150 %. Only this script's own earlier pictures are replaced."""
    DOCS.mkdir(parents=True, exist_ok=True)
    for old in [*DOCS.glob("tr-*.png"), *DOCS.glob("en-*.png")]:
        old.unlink()
    plain = shots / "offscreen-1"
    chosen = [p for p in plain.glob("tr-light-*.png")]
    chosen += [p for p in plain.glob("en-light-*-home.png")] + [p for p in plain.glob("tr-dark-*-home.png")]
    for picture in chosen:
        shutil.copy(picture, DOCS / picture.name)
    for picture in (shots / "offscreen-1.5").glob("tr-light-*-home.png"):
        shutil.copy(picture, DOCS / picture.name.replace("tr-light", "tr-light-150"))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0] if args else "screenshots/out").absolute()
    if "--one" in sys.argv:  # a child: one platform and scaling, set up by the parent
        one_run(out, float(os.environ.get("QT_SCALE_FACTOR", "1")))
        return
    platforms = ["offscreen"] + (["xcb"] if "--xvfb" in sys.argv else [])
    for platform in platforms:
        for scale in SCALES:
            folder = out / f"{'offscreen' if platform == 'offscreen' else 'xvfb'}-{scale}"
            env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM=platform)
            command = [sys.executable, str(Path(__file__).resolve()), str(folder), "--one"]
            if platform == "xcb":
                if shutil.which("xvfb-run") is None:
                    sys.exit("xvfb-run is missing: install the Debian packages xvfb and xauth (scripts/setup.sh does)")
                command = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24"] + command
            print(f"{folder.name}:", flush=True)
            subprocess.run(command, env=env, check=True)
    if "--docs" in sys.argv:
        copy_for_docs(out)
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
