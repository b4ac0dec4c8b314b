"""The first-run setup wizard: the language, the kind of store, the centre, the first user, the
recovery key. Every text follows a language switch made on the first page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from caseworker import i18n, settings
from caseworker.app.session import InitResult, Session, initialise
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.text import tr_sort_key
from caseworker.domain.users import StoreRole, normalise_user_name
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.ui.common import Retranslatable, note, plain_label
from caseworker.ui.design import set_tone
from caseworker.ui.operations import run_in_background
from caseworker.ui.passphrase_fields import PassphraseFields
from caseworker.ui.restore_dialog import RestoreDialog


def _label_for(field: QWidget) -> QLabel:
    label = plain_label()
    label.setBuddy(field)
    return label


class StorePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.language = QComboBox()
        self.language.addItem("Türkçe", "tr")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language_label = _label_for(self.language)
        language_row = QFormLayout()
        language_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        language_row.addRow(self.language_label, self.language)
        layout.addLayout(language_row)
        self.centre = QRadioButton()
        self.coordinator = QRadioButton()
        self.centre.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.centre)
        group.addButton(self.coordinator)
        layout.addWidget(self.centre)
        layout.addWidget(self.coordinator)
        form = QFormLayout()
        self.name = QLineEdit()
        self.district = QComboBox()
        self.district.addItem("", "")
        for name in sorted(IZMIR_DISTRICTS, key=tr_sort_key):
            self.district.addItem(name, name)
        self.name_label, self.district_label = _label_for(self.name), _label_for(self.district)
        form.addRow(self.name_label, self.name)
        form.addRow(self.district_label, self.district)
        layout.addLayout(form)
        self.language.currentIndexChanged.connect(lambda: i18n.set_language(self.language.currentData()))
        self.name.textChanged.connect(self.completeChanged)
        self.district.currentIndexChanged.connect(self.completeChanged)
        self.coordinator.toggled.connect(self.completeChanged)
        self.coordinator.toggled.connect(lambda coordinator: self.district.setEnabled(not coordinator))
        layout.addStretch()
        self.restore_note = note()
        self.restore_button = QPushButton()
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_note, 1)
        restore_row.addWidget(self.restore_button)
        layout.addLayout(restore_row)
        self.demo_note = note()
        self.centre_demo_button, self.coordinator_demo_button = QPushButton(), QPushButton()
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo_note, 1)
        demo_row.addWidget(self.centre_demo_button)
        demo_row.addWidget(self.coordinator_demo_button)
        layout.addLayout(demo_row)

    def retranslate(self) -> None:
        self.setTitle(t("Welcome to Caseworker"))
        with QSignalBlocker(self.language):
            self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.setSubTitle(t("Caseworker keeps your centre's statistics encrypted on this computer. First, say what this store is for."))
        self.language_label.setText(t("&Language:"))
        self.language.setAccessibleName(t("Language"))
        self.centre.setText(t("A counselling &centre (records contacts, approves months)"))
        self.coordinator.setText(t("The c&oordinating unit (imports the centres' statistics)"))
        self.name_label.setText(t("&Name:"))
        self.name.setAccessibleName(t("Name of the centre or unit"))
        self.name.setPlaceholderText(t("e.g. Karşıyaka Kadın Danışma Merkezi"))
        self.district_label.setText(t("&District:"))
        self.district.setAccessibleName(t("District"))
        self.district.setItemText(0, t("— choose the district —"))
        self.restore_note.setText(t("A new or repaired computer? Bring the store back from its backup instead."))
        self.restore_button.setText(t("Restore a backup…"))
        self.demo_note.setText(t("Just looking? Try a demo with sample figures; it is deleted when you close it."))
        self.centre_demo_button.setText(t("Centre demo"))
        self.coordinator_demo_button.setText(t("Coordinator demo (İzmir)"))

    def role(self) -> StoreRole:
        return StoreRole.COORDINATOR if self.coordinator.isChecked() else StoreRole.CENTRE

    def isComplete(self) -> bool:
        if not self.name.text().strip():
            return False
        return self.role() is StoreRole.COORDINATOR or bool(self.district.currentData())


class UserPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.user = QLineEdit()
        self.secret = PassphraseFields()
        self.passphrase, self.repeat, self.meter, self.meter_label = (
            self.secret.passphrase, self.secret.repeat, self.secret.meter, self.secret.meter_label)
        self.problem = note()
        set_tone(self.problem, "error")
        self.user_label = _label_for(self.user)
        form.addRow(self.user_label, self.user)
        self.secret.add_rows(form)
        form.addRow(self.problem)
        self.user.textChanged.connect(self._update)
        self.secret.changed.connect(self._update)

    def retranslate(self) -> None:
        self.setTitle(t("The first user"))
        self.setSubTitle(t("This person will be the supervisor (or coordinator) and can add the others. Choose a short user name and a long passphrase: a few unrelated words work well."))
        self.user_label.setText(t("&User name:"))
        self.user.setAccessibleName(t("User name"))
        self.secret.retranslate()

    def _update(self) -> None:
        self.problem.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.user.text().strip() and self.secret.filled())

    def validatePage(self) -> bool:
        try:
            self.secret.checked(normalise_user_name(self.user.text()))
        except CaseworkerError as error:
            self.problem.setText(error.message)
            return False
        return True


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.status = note()
        self.key = plain_label()
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        font.setBold(True)
        self.key.setFont(font)
        self.key.setWordWrap(True)
        self.key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so a screen reader can reach and read it
        self.print_button = QPushButton()
        self.print_button.setEnabled(False)
        self.confirmed = QCheckBox()
        self.confirmed.setEnabled(False)
        self.confirmed.toggled.connect(self.completeChanged)
        layout.addWidget(self.status)
        layout.addWidget(self.key)
        layout.addWidget(self.print_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.confirmed)
        layout.addStretch()
        self.result: InitResult | None = None

    def retranslate(self) -> None:
        self.setTitle(t("The recovery key"))
        self.setSubTitle(t("Write this key on paper and keep it in the safe. It opens the store if every passphrase is lost. It is shown only now."))
        self.status.setText(t("The store is ready. Your recovery key:") if self.result else t("Creating the encrypted store…"))
        self.key.setAccessibleName(t("Recovery key"))
        self.print_button.setText(t("&Print the recovery key…"))
        self.confirmed.setText(t("I have &written the recovery key down and will keep it in a safe place."))

    def show_key(self, result: InitResult) -> None:
        self.result = result
        self.key.setText(result.recovery_key)
        self.print_button.setEnabled(True)
        self.confirmed.setEnabled(True)
        self.retranslate()

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


class SetupWizard(QWizard, Retranslatable):
    """Creates the store when the person leaves the user page; emits ``created`` at the end."""

    created = Signal(object)
    demo_requested = Signal(str)  # "centre" or "coordinator": a throw-away demo instead of a store

    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.store_page = StorePage()
        self.user_page = UserPage()
        self.recovery_page = RecoveryPage()
        for page in (self.store_page, self.user_page, self.recovery_page):
            self.addPage(page)
        self.session: Session | None = None
        self._closed = False
        self.currentIdChanged.connect(self._entered)
        self.recovery_page.print_button.clicked.connect(self._print)
        self.store_page.restore_button.clicked.connect(self.restore_backup)
        self.store_page.centre_demo_button.clicked.connect(lambda: self.open_demo("centre"))
        self.store_page.coordinator_demo_button.clicked.connect(lambda: self.open_demo("coordinator"))
        self.setMinimumSize(680, 500)
        self.watch_language()

    def retranslate(self) -> None:
        self.setWindowTitle(t("Caseworker setup"))
        # QWizard does not retranslate its own buttons after a switch, so they are named here.
        for button, text in (
            (QWizard.WizardButton.BackButton, t("< &Back")),
            (QWizard.WizardButton.NextButton, t("&Next >")),
            (QWizard.WizardButton.FinishButton, t("&Finish")),
            (QWizard.WizardButton.CancelButton, t("Cancel")),
        ):
            self.setButtonText(button, text)
        for page in (self.store_page, self.user_page, self.recovery_page):
            page.retranslate()

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
                    district=self.store_page.district.currentData() if role is StoreRole.CENTRE else "",
                    user_name=self.user_page.user.text(),
                    passphrase=self.user_page.passphrase.text(),
                ),
                self._made,
                self._failed,
            )

    def restore_backup(self) -> None:
        """Instead of a new store, the store of a backup; the wizard ends when it is restored."""
        dialog = RestoreDialog(self.home, self)
        dialog.accepted.connect(lambda: self._restored(dialog.session))
        dialog.open()

    def open_demo(self, kind: str) -> None:
        """Leave the setup (no store is made here) for a demo store of ``kind``, shown first so that
        the application does not end with the wizard."""
        self.demo_requested.emit(kind)
        self.reject()

    def _restored(self, session: Session | None) -> None:
        if session is None:
            return
        self._remember_language()
        self.session = session
        self.accept()

    def _remember_language(self) -> None:
        path = HomePaths(self.home).settings
        settings.save(path, replace(settings.load(path), language=i18n.current_language()))

    def _made(self, made: tuple[Session, InitResult]) -> None:
        self.session, result = made
        if self._closed:
            self.session.close()  # closed while the store was being made: it stays, locked
            self.session = None
            return
        self._remember_language()
        self.user_page.passphrase.clear()
        self.user_page.repeat.clear()
        self.recovery_page.show_key(result)

    def _failed(self, error: BaseException) -> None:
        from caseworker.ui.errors import show_error

        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        show_error(self, error)
        self.back()

    def print_recovery_key(self, printer: QPrinter) -> None:
        self.recovery_page.printable_document().print_(printer)

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_recovery_key(printer)

    def accept(self) -> None:
        super().accept()
        self.stop_watching_language()
        if self.session is not None:
            self.created.emit(self.session)

    def reject(self) -> None:
        """Closing after the store was made keeps the store; the next start asks to unlock it."""
        super().reject()
        self._closed = True
        self.stop_watching_language()
        if self.session is not None:
            self.session.close()
            self.session = None
