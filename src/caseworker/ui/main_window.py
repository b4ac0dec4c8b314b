"""The main window: unlock screen or workspace (sidebar + pages), status bar, idle lock.

Pages are listed by ``page_specs()`` with the kind of store they serve; a later capability adds
its own with ``register_page(PageSpec(...))``. Each page is made for one unlocked session and
thrown away when the window locks. A page that holds unsaved input
implements ``draft()`` / ``restore_draft()``: on locking the draft is kept in memory and given
back after the same user unlocks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from caseworker.app.overview import overview
from caseworker.app.session import Session
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.ui.common import Retranslatable, plain_label
from caseworker.ui.design import SPACE
from caseworker.ui.navigation import Navigation
from caseworker.ui.unlock import UnlockScreen


WORK, ADMINISTRATION = "work", "administration"


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: Callable[[], str]
    factory: Callable[[Session, MainWindow], QWidget]
    stores: tuple[StoreRole, ...]
    # The sidebar's group (daily work or administration) and the icon, resources/icons/nav/<icon>.svg
    # (the page's key when not given).
    group: str = WORK
    icon: str = ""


GROUP_TITLES: dict[str, Callable[[], str]] = {WORK: lambda: t("Daily work"), ADMINISTRATION: lambda: t("Administration")}

_registered: list[tuple[PageSpec, str]] = []


def register_page(spec: PageSpec, before: str = "settings") -> None:
    """Add a page to the sidebar, placed before the page ``before`` (Settings stays last)."""
    _registered.append((spec, before))


def page_specs() -> list[PageSpec]:
    """Every page in sidebar order: the built-in ones and those registered (a registered page
    placed among the administration pages joins that group)."""
    specs = _built_in_pages()
    for spec, before in _registered:
        keys = [existing.key for existing in specs]
        at = keys.index(before) if before in keys else len(specs)
        if spec.group == WORK and at < len(specs) and specs[at].group == ADMINISTRATION and (at == 0 or specs[at - 1].group == ADMINISTRATION):
            spec = replace(spec, group=ADMINISTRATION)
        specs.insert(at, spec)
    return specs


def _built_in_pages() -> list[PageSpec]:
    from caseworker.ui.pages import (
        centres_page,
        city_page,
        directory_page,
        home,
        month,
        record,
        reports_page,
        settings_page,
        sync_page,
        users_page,
    )

    centre, coordinator = (StoreRole.CENTRE,), (StoreRole.COORDINATOR,)
    both = centre + coordinator
    return [
        PageSpec("home", lambda: t("Home"), home.HomePage, both),
        PageSpec("record", lambda: t("Record a contact"), record.RecordPage, centre),
        PageSpec("month", lambda: t("Month"), month.MonthPage, centre),
        PageSpec("centres", lambda: t("Centres"), centres_page.CentresPage, coordinator),
        PageSpec("city", lambda: t("City"), city_page.CityPage, coordinator),
        PageSpec("directory", lambda: t("Directory"), directory_page.DirectoryPage, both),
        PageSpec("reports", lambda: t("Reports"), reports_page.ReportsPage, both),
        PageSpec("sync", lambda: t("Sync"), sync_page.SyncPage, both, ADMINISTRATION),
        PageSpec("users", lambda: t("Users"), users_page.UsersPage, both, ADMINISTRATION),
        PageSpec("settings", lambda: t("Settings"), settings_page.SettingsPage, both, ADMINISTRATION),
    ]


class _ActivityWatcher(QObject):
    """Restarts the idle timer on every key press, click or mouse move in the application."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self._timer = timer
        self._events = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._events and self._timer.isActive():
            self._timer.start()
        return False


class MainWindow(QMainWindow, Retranslatable):
    def __init__(self, home: Path, demo: bool = False) -> None:
        super().__init__()
        self.home = home
        self.demo = demo
        self.session: Session | None = None
        self.pages: dict[str, QWidget] = {}
        self._drafts: tuple[str, dict[str, Any]] | None = None
        self._specs: list[PageSpec] = []
        self.stack = QStackedWidget()
        self.unlock_screen = UnlockScreen(home, parent=self)
        self.unlock_screen.unlocked.connect(self.open_session)
        if demo:
            from caseworker.app.demo import DEMO_PASSPHRASE, DEMO_USER

            self.unlock_screen.set_hint(lambda: t("Demo store: user {user}, passphrase “{passphrase}”.", user=DEMO_USER, passphrase=DEMO_PASSPHRASE))
        self.workspace = QWidget()
        row = QHBoxLayout(self.workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = Navigation()
        self.page_stack = QStackedWidget()
        self.page_stack.setObjectName("pages")
        self.page_stack.setContentsMargins(SPACE["l"], SPACE["m"], SPACE["l"], SPACE["s"])
        row.addWidget(self.sidebar)
        row.addWidget(self.page_stack, 1)
        self.sidebar.pageChanged.connect(self.page_stack.setCurrentIndex)
        self.stack.addWidget(self.unlock_screen)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self.status_store, self.status_user, self.status_sync = plain_label(), plain_label(), plain_label()
        for label in (self.status_store, self.status_user, self.status_sync):
            self.statusBar().addPermanentWidget(label)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self._watcher = _ActivityWatcher(self.idle_timer)
        QApplication.instance().installEventFilter(self._watcher)
        self.sync_timer = QTimer(self)
        self.sync_timer.timeout.connect(self.run_scheduled_sync)
        self.first_sync = QTimer(self)
        self.first_sync.setSingleShot(True)
        self.first_sync.timeout.connect(self.run_scheduled_sync)
        self.lock_shortcut = QShortcut(QKeySequence("Ctrl+L"), self)
        self.lock_shortcut.activated.connect(self.lock)
        self.resize(1100, 720)
        self.watch_language()

    # --- session ---------------------------------------------------------------------------------

    def open_session(self, session: Session) -> None:
        self.session = session
        self.unlock_screen.store_name = session.info.name
        specs = [spec for spec in page_specs() if session.store_role in spec.stores]
        group = None
        for spec in specs:
            page = spec.factory(session, self)
            page.setObjectName(f"page-{spec.key}")
            self.pages[spec.key] = page
            self.page_stack.addWidget(page)
            if spec.group != group:
                group = spec.group
                self.sidebar.add_group(GROUP_TITLES.get(group, GROUP_TITLES[WORK]))
            self.sidebar.add_page(spec.label(), spec.icon or spec.key)
        self._specs = specs
        if self._drafts and self._drafts[0] == session.user.name:
            for key, draft in self._drafts[1].items():
                if key in self.pages and hasattr(self.pages[key], "restore_draft"):
                    self.pages[key].restore_draft(draft)
        self._drafts = None
        self.sidebar.setCurrentRow(0)
        self.stack.setCurrentWidget(self.workspace)
        self.restart_idle_timer()
        if session.store_role is StoreRole.CENTRE:
            hours = load_settings(HomePaths(self.home).settings).sync_interval_hours
            self.sync_timer.start(hours * 3_600_000)
            self.first_sync.start(2000)
        self.refresh_status()
        self.retranslate()

    def show_page(self, key: str) -> QWidget | None:
        """Bring the page ``key`` forward (None if this store's role has no such page)."""
        keys = [spec.key for spec in self.page_specs_shown()]
        if key not in keys:
            return None
        self.sidebar.setCurrentRow(keys.index(key))
        return self.pages[key]

    def page_specs_shown(self) -> list[PageSpec]:
        """The pages in the sidebar now, in order (none while locked)."""
        return list(self._specs) if self.session is not None else []

    def run_scheduled_sync(self) -> None:
        """Export what changed and deliver what waits, off the GUI thread (centre, while unlocked)."""
        from caseworker.app.sync_outbox import run as run_sync
        from caseworker.ui.operations import run_with_session

        session = self.session
        if session is None or session.store_role is not StoreRole.CENTRE:
            return
        run_with_session(self, session, run_sync, lambda _report: self.refresh_status(), lambda _error: self.refresh_status())

    def run_exclusive(self, work: Callable[[Session], Any], on_success: Callable[[Any], None]) -> None:
        """Run ``work`` on this window's own session, off the GUI thread, for the rare operation
        that needs the store to itself (re-encrypting it after a user is removed): other
        background work is let finish first, then the window takes no input and its timers wait
        until the work is done."""
        from caseworker.ui.errors import show_error
        from caseworker.ui.operations import run_in_background, wait_for_background_work

        session = self.session
        if session is None:
            return
        wait_for_background_work()
        for timer in (self.idle_timer, self.sync_timer, self.first_sync):
            timer.stop()
        self.setEnabled(False)

        def finished() -> None:
            self.setEnabled(True)
            if self.session is session:
                self.restart_idle_timer()
                if session.store_role is StoreRole.CENTRE:
                    self.sync_timer.start(load_settings(HomePaths(self.home).settings).sync_interval_hours * 3_600_000)

        def succeeded(result: Any) -> None:
            finished()
            on_success(result)

        def failed(error: BaseException) -> None:
            finished()
            show_error(self, error)

        run_in_background(self, lambda: work(session), succeeded, failed)

    def restart_idle_timer(self) -> None:
        minutes = load_settings(HomePaths(self.home).settings).idle_lock_minutes
        self.idle_timer.start(int(minutes * 60_000))

    def set_idle_timeout_ms(self, milliseconds: int) -> None:
        """For tests and the settings page: lock after this much idle time from now on."""
        self.idle_timer.start(milliseconds)

    def lock(self) -> None:
        """Close the store, hide every page, keep drafts in memory, show the unlock screen."""
        if self.session is None:
            return
        drafts = {key: page.draft() for key, page in self.pages.items() if hasattr(page, "draft") and page.draft()}
        user = self.session.user.name
        self._drafts = (user, drafts)
        self.idle_timer.stop()
        self.sync_timer.stop()
        self.first_sync.stop()
        self._close_other_windows()
        self._retire_pages()
        self.session.close()
        self.session = None
        self.unlock_screen.reset(user)
        self.stack.setCurrentWidget(self.unlock_screen)
        self.refresh_status()
        self.retranslate()

    def _close_other_windows(self) -> None:
        """Dialogs and other windows may show the store's content: close them with the store."""
        for widget in QApplication.topLevelWidgets():
            if widget is self or isinstance(widget, MainWindow) or not widget.isVisible():
                continue
            if isinstance(widget, QDialog):
                widget.reject()
            widget.hide()

    def _retire_pages(self) -> None:
        for page in self.pages.values():
            if isinstance(page, Retranslatable):
                page.stop_watching_language()
            self.page_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.sidebar.clear()

    def refresh_status(self) -> None:
        if self.session is None or not self.session.is_open:
            self.status_store.setText(t("Locked"))
            self.status_user.hide()
            self.status_sync.hide()
            return
        self.status_user.show()
        self.status_sync.show()
        summary = overview(self.session)
        self.status_store.setText(summary.store_name)
        self.status_user.setText(f"{summary.user} ({summary.role_label})")
        self.status_sync.setText(t("Sync: {state}", state=summary.sync_state))

    def retranslate(self) -> None:
        title = t("Caseworker")
        if self.session is not None:
            title = f"{title} — {self.session.info.name}"
        if self.demo:
            title = f"{title} — {t('DEMO')}"
        self.setWindowTitle(title)
        if self.session is not None:
            for row, spec in enumerate(self._specs):
                self.sidebar.item(row).setText(spec.label())
            self.sidebar.retitle()
        self.sidebar.setAccessibleName(t("Navigation"))
        self.sidebar.setAccessibleDescription(t("The pages of Caseworker: choose one with the arrow keys."))
        self.refresh_status()

    def closeEvent(self, event: Any) -> None:
        from caseworker.ui.operations import wait_for_background_work

        wait_for_background_work()  # no worker may outlive the window it reports to
        QApplication.instance().processEvents()
        QApplication.instance().removeEventFilter(self._watcher)
        self.idle_timer.stop()
        self.sync_timer.stop()
        self.first_sync.stop()
        self._retire_pages()
        self.stop_watching_language()
        self.unlock_screen.stop_watching_language()
        if self.session is not None:
            self.session.close()
            self.session = None
        super().closeEvent(event)
