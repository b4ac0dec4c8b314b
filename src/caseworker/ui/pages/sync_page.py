"""Sync: what waits to be sent and why, the delivery folders (an explanation and a button
while there is none) and "send now" (centre); the
centres' reporting and bundle import by button or by dropping files on the window
(coordinator); below, enrolment and the coordinator's publications (``sync_exchange``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from caseworker.app import sync_import, sync_outbox
from caseworker.app.session import Session
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, ask, heading, inform, note
from caseworker.ui.design import set_role
from caseworker.ui.empty_state import EmptyState, ListOrEmpty
from caseworker.ui.errors import show_error
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
        self.items_empty = EmptyState(self.add_target if self.centre else self.choose_bundles)
        self.items_pane = ListOrEmpty(self.items, self.items_empty, lambda: self.items.count() > 0)
        buttons = QHBoxLayout()
        self.primary, self.secondary = set_role(QPushButton(), "primary"), QPushButton()
        self.remove_button = QPushButton()
        self.remove_button.setVisible(self.centre)
        buttons.addWidget(self.secondary)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        buttons.addWidget(self.primary)
        for widget in (self.title, self.state, self.list_title, self.items_pane):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.primary.clicked.connect(self.send_now if self.centre else self.choose_bundles)
        self.secondary.clicked.connect(self.add_target if self.centre else self.refresh)
        self.remove_button.clicked.connect(self.remove_target)

        self.exchange = ExchangeSection(session, on_change=self.refresh)
        layout.addWidget(self.exchange)
        layout.addStretch()
        self.setAcceptDrops(not self.centre)
        self.watch_language()

    def retranslate(self) -> None:
        self.title.setText(t("Sync"))
        if self.centre:
            self.list_title.setText(t("Delivery folders"))
            self.primary.setText(t("Send now"))
            self.secondary.setText(t("Add a delivery folder…"))
            self.remove_button.setText(t("Remove the selected folder"))
            self.items_empty.set_texts(
                t("No delivery folder yet"),
                t("Bundles of statistics are copied to the folders chosen here: a shared network folder or the folder of a synchronised drive the coordinator reads. Until one is chosen, bundles wait on this computer."),
                t("Choose a delivery folder…"),
            )
            self.items.setAccessibleName(t("Delivery folders"))
        else:
            self.list_title.setText(t("Import log"))
            self.primary.setText(t("Import bundles…"))
            self.secondary.setText(t("Refresh"))
            self.items_empty.set_texts(
                t("No bundle imported yet"),
                t("Each centre's statistics arrive as .cwbundle files. Choose them with the button, or drop them on this window; every import is listed here."),
                t("Import bundles…"),
            )
            self.items.setAccessibleName(t("Import log"))
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_open:
            return
        self.items.clear()
        if self.centre:
            status = sync_outbox.outbox_status(self.session)
            reasons = status.reasons(in_window=True)
            if status.profile is None:
                reasons.append(
                    t("To enrol, use “Save the enrolment request…” and “Import the coordinator's profile…” below.")
                    if self.exchange_visible() else t("A supervisor enrols this centre with the coordinator on this page.")
                )
            self.state.setText("\n".join(reasons) or t("Everything has been sent."))
            for target in status.targets:
                self.items.addItem(target.path)
            self.remove_button.setEnabled(bool(status.targets))
            self.primary.setEnabled(status.profile is not None)  # nothing can be sent before enrolment
        else:
            missing = sync_import.gaps(self.session)
            self.state.setText(
                "\n".join(sync_import.gap_text(c, s) for c, s in missing.items())
                or t("Drop bundle files here, or choose them with the button.")
            )
            labels = {"imported": t("imported"), "duplicate": t("duplicate"), "rejected": t("rejected")}
            for entry in sync_import.import_log(self.session, 100):
                self.items.addItem(f"{entry.at[:16]}  {entry.file_name}: {labels.get(entry.status, entry.status)}" + (f" — {entry.reason}" if entry.reason else ""))
        self.items_pane.refresh()
        self.window_.refresh_status()

    def exchange_visible(self) -> bool:
        return self.session.may(Permission.MANAGE_USERS)

    def send_now(self) -> None:
        run_with_session(self, self.session, sync_outbox.run, lambda _report: self.refresh())

    def add_target(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("Choose a delivery folder"))
        if folder:
            try:
                sync_outbox.add_target(self.session, Path(folder))
            except CaseworkerError as error:
                show_error(self, error)
            self.refresh()

    def remove_target(self) -> None:
        chosen = self.items.currentItem()
        if chosen is None:
            inform(self, t("Delivery folders"), t("Choose the folder to remove in the list first."))
            return
        if ask(self, t("Remove the delivery folder"), t("Bundles will no longer be copied to {folder}. Remove it?", folder=chosen.text())):
            try:
                sync_outbox.remove_target(self.session, Path(chosen.text()))
            except CaseworkerError as error:
                show_error(self, error)
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
