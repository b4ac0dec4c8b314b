"""The files a centre and its coordinator exchange besides statistics bundles, on the Sync page.

A centre's supervisor makes the enrolment request, pins the coordinator's profile after
comparing the fingerprint read aloud, and applies what the coordinator publishes. The
coordinator accepts enrolment requests (after the same comparison), hands out its profile and
publishes the catalogue and the directory. Every file is read and written off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QGridLayout, QPushButton, QVBoxLayout, QWidget

from caseworker.app import publications, sync_keys
from caseworker.app.session import Session
from caseworker.domain.users import Permission, StoreRole
from caseworker.i18n import t
from caseworker.ui.common import Retranslatable, heading, inform, note
from caseworker.ui.design import set_role
from caseworker.ui.fingerprint_dialog import FingerprintDialog
from caseworker.ui.operations import run_in_background, run_with_session


def _fingerprint_read_aloud(parent: QWidget, fingerprint: str, claims: list[tuple[str, str]], action: str, warning: str = "") -> str | None:
    """The fingerprint the person picked or typed, or None if she cancelled; the use case checks it."""
    dialog = FingerprintDialog(parent, fingerprint, claims, action, warning)
    if dialog.exec() != QDialog.DialogCode.Accepted.value:
        return None
    return dialog.chosen()


class ExchangeSection(QWidget, Retranslatable):
    """Enrolment and publications: the buttons shown depend on the kind of store and the role."""

    def __init__(self, session: Session, on_change: Callable[[], None]) -> None:
        super().__init__()
        self.session = session
        self.on_change = on_change
        self.centre = session.store_role is StoreRole.CENTRE
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = heading(size=12)
        self.explanation = note()
        self.pinned = note()
        self.pinned.setAccessibleName("coordinator-state")
        row = QGridLayout()
        self.request_button, self.profile_import_button, self.apply_button = QPushButton(), QPushButton(), QPushButton()
        self.accept_button, self.profile_export_button = QPushButton(), QPushButton()
        self.publish_catalogue_button, self.publish_directory_button = QPushButton(), QPushButton()
        centre_buttons = (self.request_button, self.profile_import_button, self.apply_button)
        coordinator_buttons = (self.accept_button, self.profile_export_button, self.publish_catalogue_button, self.publish_directory_button)
        shown = centre_buttons if self.centre else coordinator_buttons
        for button in centre_buttons + coordinator_buttons:
            button.setVisible(button in shown)
        for index, button in enumerate(shown):  # two to a row: they fit a small screen at 150 %
            row.addWidget(button, index // 2, index % 2)
        row.setColumnStretch(2, 1)
        for widget in (self.title, self.explanation, self.pinned):
            layout.addWidget(widget)
        layout.addLayout(row)
        self.pinned.setVisible(self.centre)
        self.setVisible(session.may(Permission.MANAGE_USERS))  # supervisors and the coordinator
        self.request_button.clicked.connect(self.make_request)
        self.profile_import_button.clicked.connect(self.import_profile)
        self.apply_button.clicked.connect(self.apply_publication)
        self.accept_button.clicked.connect(self.accept_request)
        self.profile_export_button.clicked.connect(self.export_profile)
        self.publish_catalogue_button.clicked.connect(lambda: self.publish("catalogue"))
        self.publish_directory_button.clicked.connect(lambda: self.publish("directory"))
        self.watch_language()

    def retranslate(self) -> None:
        if self.centre:
            self.title.setText(t("The coordinator"))
            self.explanation.setText(t("To enrol, save the enrolment request and give it to the coordinator, then import the profile the coordinator sends back. New indicator catalogues and directories come from the coordinator as .cwpub files: apply them here. Only files signed by your coordinator are accepted."))
        else:
            self.title.setText(t("Centres and publications"))
            self.explanation.setText(t("Accept a centre's enrolment request and give every centre your profile. Sign the catalogue in use or your directory into a file for every centre (confidential addresses and phones are left out)."))
        self.request_button.setText(t("Save the enrolment request…"))
        self.profile_import_button.setText(t("Import the coordinator's profile…"))
        self.apply_button.setText(t("Apply a file from the coordinator…"))
        self.accept_button.setText(t("Accept an enrolment request…"))
        self.profile_export_button.setText(t("Save the profile for the centres…"))
        self.publish_catalogue_button.setText(t("Publish the catalogue…"))
        self.publish_directory_button.setText(t("Publish the directory…"))
        self.refresh()

    def refresh(self) -> None:
        if not (self.centre and self.session.is_open):
            return
        pinned = sync_keys.pinned_profile(self.session)
        for button in (self.request_button, self.profile_import_button):  # the way forward while not enrolled
            set_role(button, "secondary" if pinned else "primary")
        self.pinned.setText(
            t("Coordinator: {name} (fingerprint {fingerprint}).", name=pinned.name, fingerprint=pinned.fingerprint)
            if pinned else t("No coordinator yet: this centre is not enrolled.")
        )

    # --- helpers ---------------------------------------------------------------------------

    def _save_as(self, title: str, suggested: str, kinds: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, suggested, kinds)
        return Path(chosen) if chosen else None

    def _open(self, title: str, kinds: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, title, "", kinds)
        return Path(chosen) if chosen else None

    def _tell(self, title: str, text: str) -> None:
        inform(self, title, text)
        self.refresh()
        self.on_change()

    def _run(self, work: Callable[[Session], Any], done: Callable[[Any], None]) -> None:
        run_with_session(self, self.session, work, done)

    # --- centre ----------------------------------------------------------------------------

    def make_request(self) -> None:
        target = self._save_as(t("Save the enrolment request"), "enrolment-request.json", t("Enrolment files (*.json)"))
        if target:
            self._run(lambda session: sync_keys.write_enrolment_request(session, target),
                      lambda request: self._tell(t("Enrolment request saved"), t("Give {path} to the coordinator, and read this fingerprint aloud when the coordinator asks for it: {fingerprint}", path=target.name, fingerprint=request.fingerprint)))

    def import_profile(self) -> None:
        source = self._open(t("Choose the coordinator's profile"), t("Enrolment files (*.json)"))
        if source:
            run_in_background(self, lambda: sync_keys.read_profile(source), self._pin_if_confirmed)

    def _pin_if_confirmed(self, profile: Any) -> None:
        pinned = sync_keys.pinned_profile(self.session)
        warning = ""
        if pinned is not None and pinned.fingerprint != profile.fingerprint:
            warning = t("This replaces the coordinator this centre trusts now ({name}, fingerprint {fingerprint}). Do it only if the coordinator told you their keys changed.", name=pinned.name, fingerprint=pinned.fingerprint)
        chosen = _fingerprint_read_aloud(self, profile.fingerprint, [(t("Coordinator:"), profile.name)], t("Pin the coordinator"), warning)
        if chosen is None:
            return
        done = t("This centre now sends its statistics to {name}, and accepts only files signed by it.", name=profile.name)
        if pinned is not None and pinned.signing_public != profile.signing_public:
            done += "\n\n" + t("Publications are numbered anew: the first one of the new coordinator will be applied.")
        self._run(lambda session: sync_keys.pin_profile(session, profile, chosen), lambda _none: self._tell(t("Coordinator pinned"), done))

    def apply_publication(self) -> None:
        source = self._open(t("Choose a file from the coordinator"), t("Coordinator publications (*.cwpub)"))
        if source:
            self._run(lambda session: publications.apply_file(session, source),
                      lambda applied: self._tell(t("Applied"), publications.applied_summary(applied)))

    # --- coordinator -----------------------------------------------------------------------

    def accept_request(self) -> None:
        source = self._open(t("Choose a centre's enrolment request"), t("Enrolment files (*.json)"))
        if source:
            run_in_background(self, lambda: sync_keys.read_enrolment_request(source), self._accept_if_confirmed)

    def _accept_if_confirmed(self, request: Any) -> None:
        claims = [(t("Centre:"), request.name), (t("District:"), request.district), (t("Centre id:"), request.centre_id)]
        current = sync_keys.active_key(self.session, request.centre_id)
        if current is not None and current.signing_public != request.signing_public:
            # Another key for an enrolled centre: replacing it is its own, explicit action.
            warning = t("Centre {centre} is already enrolled, with the key of fingerprint {old}. Replacing revokes that key: do it only if the centre told you, on a number you know, that its key changed.",
                        centre=request.centre_id, old=current.fingerprint)
            chosen = _fingerprint_read_aloud(self, request.fingerprint, claims, t("Replace this centre's key"), warning)
            if chosen is not None:
                self._run(lambda session: sync_keys.replace_centre_key(session, request, chosen),
                          lambda outcome: self._tell(t("Key replaced"), t("Replaced the key of centre {id}: the key with fingerprint {old} is revoked, the key with fingerprint {new} counts from now on.",
                                                                            id=outcome.centre_id, old=outcome.old_fingerprint, new=request.fingerprint)))
            return
        chosen = _fingerprint_read_aloud(self, request.fingerprint, claims, t("Enrol the centre"))
        if chosen is None:
            return
        self._run(lambda session: sync_keys.accept_enrolment(session, request, chosen),
                  lambda outcome: self._tell(t("Centre enrolled"), t("{name} is enrolled as {centre}.", name=request.name, centre=outcome.centre_id)))

    def export_profile(self) -> None:
        target = self._save_as(t("Save the profile for the centres"), "coordinator-profile.json", t("Enrolment files (*.json)"))
        if target:
            self._run(lambda session: sync_keys.write_profile(session, target),
                      lambda profile: self._tell(t("Profile saved"), t("Give {path} to every centre, and read this fingerprint aloud when a centre imports it: {fingerprint}", path=target.name, fingerprint=profile.fingerprint)))

    def publish(self, kind: str) -> None:
        target = self._save_as(t("Save the publication"), publications.suggested_file_name(self.session, kind), t("Coordinator publications (*.cwpub)"))
        if target:
            make = publications.publish_catalogue if kind == "catalogue" else publications.publish_directory
            self._run(lambda session: make(session, target), lambda published: self._tell(t("Published"), publications.published_summary(published)))
