"""Adding or editing a local directory entry: the common fields of a support service, checked by
the directory's own rules before anything is saved (a refused entry keeps the dialog open)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from caseworker.app import directory as directory_uc
from caseworker.app.session import Session
from caseworker.domain.directory import Address, Location, Organization, Phone, Service
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.taxonomy import category_label, support_taxonomy
from caseworker.errors import CaseworkerError
from caseworker.i18n import t
from caseworker.ui.common import plain_label
from caseworker.ui.design import set_tone


class EntryDialog(QDialog):
    def __init__(self, session: Session, existing: directory_uc.ServiceDetail | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.existing = existing
        self.setWindowTitle(t("Edit directory entry") if existing else t("New directory entry"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name, self.organization, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.street, self.postal_code = QLineEdit(), QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(90)
        self.district = QComboBox()
        self.district.addItem(t("whole country"), "")
        for name in IZMIR_DISTRICTS:
            self.district.addItem(name, name)
        self.categories = QListWidget()
        self.categories.setMaximumHeight(150)
        for term in support_taxonomy().terms:
            item = QListWidgetItem(category_label(term.code))
            item.setData(Qt.ItemDataRole.UserRole, term.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.confidential = QCheckBox(t("Confidential (a shelter): address and phone never leave this computer"))
        for label, widget in (
            (t("Service name:"), self.name), (t("Organisation:"), self.organization), (t("What it offers:"), self.description),
            (t("District:"), self.district), (t("Services:"), self.categories), (t("Phone:"), self.phone),
            (t("Street address:"), self.street), (t("Postal code:"), self.postal_code),
        ):
            widget.setAccessibleName(label.rstrip(":"))
            form.addRow(label, widget)
        form.addRow("", self.confidential)
        layout.addLayout(form)
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        set_tone(self.problem, "error")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if existing:
            self._fill(existing)
        self.saved: directory_uc.ServiceDetail | None = None

    def _fill(self, detail: directory_uc.ServiceDetail) -> None:
        service = detail.service
        self.name.setText(service.name)
        self.organization.setText(detail.organization.name)
        self.description.setPlainText(service.description)
        self.district.setCurrentIndex(max(0, self.district.findData(service.district)))
        for row in range(self.categories.count()):
            item = self.categories.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in service.categories else Qt.CheckState.Unchecked)
        if service.phones:
            self.phone.setText(service.phones[0].number)
        addresses = [a for location in service.locations for a in location.addresses]
        if addresses:
            self.street.setText(addresses[0].address_1)
            self.postal_code.setText(addresses[0].postal_code)
        self.confidential.setChecked(service.confidential)

    def build(self) -> tuple[Service, Organization]:
        existing = self.existing.service if self.existing else None
        organization = Organization(
            id=self.existing.organization.id if self.existing else directory_uc.new_id(),
            name=self.organization.text().strip() or self.name.text().strip(),
            confidential=self.confidential.isChecked(),
        )
        district = self.district.currentData() or ""
        locations: tuple[Location, ...] = ()
        if self.street.text().strip():
            location_id = existing.locations[0].id if existing and existing.locations else directory_uc.new_id()
            address = Address(directory_uc.new_id(), self.street.text().strip(), district or "İzmir", "İzmir", self.postal_code.text().strip())
            locations = (Location(location_id, name=self.name.text().strip(), addresses=(address,)),)
        phones = (Phone(directory_uc.new_id(), self.phone.text().strip()),) if self.phone.text().strip() else ()
        categories = tuple(
            self.categories.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.categories.count())
            if self.categories.item(row).checkState() == Qt.CheckState.Checked
        )
        service = Service(
            id=existing.id if existing else directory_uc.new_id(), organization_id=organization.id, name=self.name.text().strip(),
            description=self.description.toPlainText().strip(), categories=categories, district=district,
            verified_at=date.today(), confidential=self.confidential.isChecked(), phones=phones, locations=locations,
        )
        if existing:
            service = replace(service, schedules=existing.schedules, languages=existing.languages, attributes=existing.attributes)
        return service, organization

    def save(self) -> None:
        try:
            service, organization = self.build()
            if self.existing:
                self.saved = directory_uc.edit(self.session, service, organization)
            else:
                self.saved = directory_uc.add(self.session, service, organization)
        except (CaseworkerError, ValueError) as error:
            self.problem.setText(getattr(error, "message", str(error)))
            return
        self.accept()
