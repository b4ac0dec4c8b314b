"""The first-run setup wizard: the kind of store, the centre, the first user, the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from caseworker.app.session import InitResult, Session, initialise
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.users import StoreRole, check_new_passphrase, normalise_user_name, passphrase_strength
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import note
from caseworker.ui.operations import run_in_background


class StorePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(t("Welcome to Caseworker"))
        self.setSubTitle(t("Caseworker keeps your centre's statistics encrypted on this computer. First, say what this store is for."))
        layout = QVBoxLayout(self)
        self.centre = QRadioButton(t("A counselling centre (records contacts, approves months)"))
        self.coordinator = QRadioButton(t("The coordinating unit (imports the centres' statistics)"))
        self.centre.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.centre)
        group.addButton(self.coordinator)
        layout.addWidget(self.centre)
        layout.addWidget(self.coordinator)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(t("Name of the centre or unit"))
        self.name.setPlaceholderText(t("e.g. Karşıyaka Kadın Danışma Merkezi"))
        self.district = QComboBox()
        self.district.setAccessibleName(t("District"))
        self.district.addItem(t("— choose the district —"), "")
        for name in IZMIR_DISTRICTS:
            self.district.addItem(name, name)
        form.addRow(t("Name:"), self.name)
        form.addRow(t("District:"), self.district)
        layout.addLayout(form)
        self.name.textChanged.connect(self.completeChanged)
        self.district.currentIndexChanged.connect(self.completeChanged)
        self.coordinator.toggled.connect(self.completeChanged)

    def role(self) -> StoreRole:
        return StoreRole.COORDINATOR if self.coordinator.isChecked() else StoreRole.CENTRE

    def isComplete(self) -> bool:
        if not self.name.text().strip():
            return False
        return self.role() is StoreRole.COORDINATOR or bool(self.district.currentData())


class UserPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(t("The first user"))
        self.setSubTitle(t("This person will be the supervisor (or coordinator) and can add the others. Choose a short user name and a long passphrase: a few unrelated words work well."))
        form = QFormLayout(self)
        self.user = QLineEdit()
        self.user.setAccessibleName(t("User name"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(t("Passphrase"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(t("Passphrase again"))
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(t("Passphrase strength"))
        self.meter_label = QLabel()
        self.problem = note()
        self.problem.setStyleSheet("color: #a0153e;")
        form.addRow(t("User name:"), self.user)
        form.addRow(t("Passphrase:"), self.passphrase)
        form.addRow(t("Passphrase again:"), self.repeat)
        form.addRow(t("Strength:"), self.meter)
        form.addRow("", self.meter_label)
        form.addRow(self.problem)
        for field in (self.user, self.passphrase, self.repeat):
            field.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        strength = passphrase_strength(self.passphrase.text())
        self.meter.setValue(strength)
        self.meter_label.setText([t("too short"), t("weak"), t("fair"), t("good"), t("strong")][strength])
        self.problem.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.user.text().strip() and self.passphrase.text() and self.repeat.text())

    def validatePage(self) -> bool:
        try:
            name = normalise_user_name(self.user.text())
            if self.passphrase.text() != self.repeat.text():
                raise CaseworkerError(t("The two passphrases differ; type the same passphrase twice."))
            check_new_passphrase(self.passphrase.text(), name)
        except CaseworkerError as error:
            self.problem.setText(error.message)
            return False
        return True


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(t("The recovery key"))
        self.setSubTitle(t("Write this key on paper and keep it in the safe. It opens the store if every passphrase is lost. It is shown only now."))
        layout = QVBoxLayout(self)
        self.status = note(t("Creating the encrypted store…"))
        self.key = QLabel()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        font.setBold(True)
        self.key.setFont(font)
        self.key.setWordWrap(True)
        self.key.setAccessibleName(t("Recovery key"))
        self.print_button = QPushButton(t("Print the recovery key…"))
        self.print_button.setEnabled(False)
        self.confirmed = QCheckBox(t("I have written the recovery key down and will keep it in a safe place."))
        self.confirmed.setEnabled(False)
        self.confirmed.toggled.connect(self.completeChanged)
        for widget in (self.status, self.key, self.print_button, self.confirmed):
            layout.addWidget(widget)
        layout.addStretch()
        self.result: InitResult | None = None

    def show_key(self, result: InitResult) -> None:
        self.result = result
        self.status.setText(t("The store is ready. Your recovery key:"))
        self.key.setText(result.recovery_key)
        self.print_button.setEnabled(True)
        self.confirmed.setEnabled(True)

    def printable_document(self) -> QTextDocument:
        assert self.result is not None
        document = QTextDocument()
        document.setPlainText(
            "\n\n".join([
                t("Caseworker recovery key"),
                self.result.info.name,
                self.result.recovery_key,
                t("Keep this paper in the safe. Whoever holds it can open the store."),
            ])
        )
        return document

    def isComplete(self) -> bool:
        return self.result is not None and self.confirmed.isChecked()


class SetupWizard(QWizard):
    """Creates the store when the person leaves the user page; emits ``created`` at the end."""

    created = Signal(object)

    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setWindowTitle(t("Caseworker setup"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.store_page = StorePage()
        self.user_page = UserPage()
        self.recovery_page = RecoveryPage()
        for page in (self.store_page, self.user_page, self.recovery_page):
            self.addPage(page)
        self.session: Session | None = None
        self.currentIdChanged.connect(self._entered)
        self.recovery_page.print_button.clicked.connect(self._print)
        self.setMinimumSize(640, 460)

    def _entered(self, page_id: int) -> None:
        if self.page(page_id) is self.recovery_page and self.session is None:
            self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
            role = self.store_page.role()
            run_in_background(
                self,
                lambda: initialise(
                    self.home,
                    store_role=role,
                    name=self.store_page.name.text(),
                    district=self.store_page.district.currentData() or "",
                    user_name=self.user_page.user.text(),
                    passphrase=self.user_page.passphrase.text(),
                ),
                self._made,
                self._failed,
            )

    def _made(self, made: tuple[Session, InitResult]) -> None:
        self.session, result = made
        self.user_page.passphrase.clear()
        self.user_page.repeat.clear()
        self.recovery_page.show_key(result)

    def _failed(self, error: BaseException) -> None:
        from caseworker.ui.errors import show_error

        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        show_error(self, error)
        self.back()

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.recovery_page.printable_document().print_(printer)

    def accept(self) -> None:
        super().accept()
        if self.session is not None:
            self.created.emit(self.session)
