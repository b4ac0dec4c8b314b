"""Sync: what waits to be sent and why, the delivery folders and "send now" (centre); the
centres' reporting and bundle import by button or by dropping files on the window
(coordinator); below, enrolment and the coordinator's publications (``sync_exchange``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from caseworker.app import sync_import, sync_outbox
from caseworker.app.session import Session
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, note
from caseworker.ui.operations import run_with_session
from caseworker.ui.pages.sync_exchange import ExchangeSection


class SyncPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.centre = session.store_role is StoreRole.CENTRE
        layout = QVBoxLayout(self)
        self.title = heading()
        self.state = note()
        self.state.setAccessibleName("sync-state")
        self.list_title = heading(size=12)
        self.items = QListWidget()
        buttons = QHBoxLayout()
        self.primary, self.secondary = QPushButton(), QPushButton()
        buttons.addWidget(self.secondary)
        buttons.addStretch()
        buttons.addWidget(self.primary)
        for widget in (self.title, self.state, self.list_title, self.items):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.primary.clicked.connect(self.send_now if self.centre else self.choose_bundles)
        self.secondary.clicked.connect(self.add_target if self.centre else self.refresh)

        self.exchange = ExchangeSection(session, on_change=self.refresh)
        layout.addWidget(self.exchange)
        self.setAcceptDrops(not self.centre)
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("Sync"))
        if self.centre:
            self.list_title.setText(t("Delivery folders"))
            self.primary.setText(t("Send now"))
            self.secondary.setText(t("Add a delivery folder…"))
        else:
            self.list_title.setText(t("Import log"))
            self.primary.setText(t("Import bundles…"))
            self.secondary.setText(t("Refresh"))
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_open:
            return
        self.items.clear()
        if self.centre:
            status = sync_outbox.outbox_status(self.session)
            self.state.setText("\n".join(status.reasons()) or t("Everything has been sent."))
            for target in status.targets:
                self.items.addItem(target.path)
        else:
            missing = sync_import.gaps(self.session)
            self.state.setText(
                "\n".join(t("Centre {id} is missing bundle(s): {sequences}.", id=c, sequences=sync_import.gaps_text(s)) for c, s in missing.items())
                or t("Drop bundle files here, or choose them with the button.")
            )
            labels = {"imported": t("imported"), "duplicate": t("duplicate"), "rejected": t("rejected")}
            for entry in sync_import.import_log(self.session, 100):
                self.items.addItem(f"{entry.at[:16]}  {entry.file_name}: {labels.get(entry.status, entry.status)}" + (f" — {entry.reason}" if entry.reason else ""))
        self.window_.refresh_status()

    def send_now(self) -> None:
        run_with_session(self, self.session, sync_outbox.run, lambda _report: self.refresh())

    def add_target(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("Choose a delivery folder"))
        if folder:
            sync_outbox.add_target(self.session, Path(folder))
            self.refresh()

    def choose_bundles(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, t("Choose bundles"), "", t("Caseworker bundles (*.cwbundle)"))
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        def progress(done: int, total: int) -> None:
            self.window_.statusBar().showMessage(t("Importing {done} / {total}…", done=done, total=total))

        run_with_session(
            self,
            self.session,
            lambda session, progress: sync_import.import_bundles(session, paths, progress=progress),
            lambda _outcomes: self.refresh(),
            on_progress=progress,
        )

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_files(paths)
