"""Restoring a store from its backup on a computer that has none yet (a new or repaired
laptop), offered by the setup wizard: the backup file, then the user name and passphrase of
anyone who could open the store when it was backed up, or the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
)

from caseworker.app import maintenance
from caseworker.app.session import Credentials, Session
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import note, plain_label
from caseworker.ui.design import set_tone
from caseworker.ui.operations import run_in_background


class RestoreDialog(QDialog):
    """On success ``session`` holds the restored store, unlocked."""

    def __init__(self, home: Path, parent=None) -> None:
        super().__init__(parent)
        self.home = home
        self.session: Session | None = None
        self.setWindowTitle(t("Restore a backup"))
        form = QFormLayout(self)
        form.addRow(note(t("Choose the backup file (.cwbackup), then unlock it as you unlocked the store: with your user name and passphrase at the time of the backup, or with the recovery key.")))
        self.file = QLineEdit()
        self.file.setAccessibleName(t("Backup file"))
        self.choose = QPushButton(t("Choose…"))
        row = QHBoxLayout()
        row.addWidget(self.file)
        row.addWidget(self.choose)
        self.user = QLineEdit()
        self.user.setAccessibleName(t("User name"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.use_recovery = QCheckBox(t("Use the recovery &key instead of a passphrase"))
        self.secret_label = plain_label()
        self.secret_label.setBuddy(self.secret)
        file_label, user_label = plain_label(t("&Backup file:")), plain_label(t("&User name:"))
        file_label.setBuddy(self.file)
        user_label.setBuddy(self.user)
        form.addRow(file_label, row)
        form.addRow(user_label, self.user)
        form.addRow(self.secret_label, self.secret)
        form.addRow("", self.use_recovery)
        self.problem = note()
        set_tone(self.problem, "error")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(t("Restore"))
        form.addRow(self.buttons)
        self.choose.clicked.connect(self.choose_file)
        self.use_recovery.toggled.connect(self._label_secret)
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        self._label_secret()
        self.resize(620, self.sizeHint().height())

    def _label_secret(self) -> None:
        recovery = self.use_recovery.isChecked()
        self.secret_label.setText(t("&Recovery key:") if recovery else t("&Passphrase:"))
        self.secret.setAccessibleName(t("Recovery key") if recovery else t("Passphrase"))

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, t("Choose the backup"), "", t("Caseworker backups (*.cwbackup)"))
        if chosen:
            self.file.setText(chosen)

    def credentials(self) -> Credentials:
        user = self.user.text().strip() or None
        if self.use_recovery.isChecked():
            return Credentials(user, recovery_key=self.secret.text())
        return Credentials(user, passphrase=self.secret.text())

    def restore(self) -> None:
        if not self.file.text().strip():
            self.problem.setText(t("Choose the backup file first."))
            return
        source, credentials = Path(self.file.text().strip()), self.credentials()
        self.buttons.setEnabled(False)
        set_tone(self.problem, None)
        self.problem.setText(t("Checking and restoring the backup…"))
        run_in_background(self, lambda: maintenance.restore(self.home, source, credentials), self._restored, self._failed)

    def _restored(self, session: Session) -> None:
        self.session = session
        self.secret.clear()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        set_tone(self.problem, "error")
        if isinstance(error, CaseworkerError):
            self.problem.setText(error.message)
            self.secret.selectAll()
        else:
            from caseworker.ui.errors import show_error

            self.problem.setText("")
            show_error(self, error)
