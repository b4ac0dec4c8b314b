"""Centres (coordinator): the enrolled centres with their key fingerprints, revocation, and the
reporting-rate matrix (expected, received, on time, status) for the last twelve months."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from caseworker.app import coordination, sync_keys
from caseworker.app.session import Session
from caseworker.domain.periods import Period
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.ui.common import Retranslatable, ask, heading, note

_MARKS = {"submitted": "✔", "open": "…", "reopened": "↺", None: ""}


class CentresPage(QWidget, Retranslatable):
    def __init__(self, session: Session, window: QWidget) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        self.title = heading()
        self.centres = QTableWidget(0, 4)
        self.centres.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.centres.verticalHeader().setVisible(False)
        self.revoke_button = QPushButton()
        self.matrix_title = heading(size=12)
        self.legend = note()
        self.matrix = QTableWidget()
        for widget in (self.title, self.centres, self.revoke_button, self.matrix_title, self.legend, self.matrix):
            layout.addWidget(widget)
        self.revoke_button.clicked.connect(self.revoke)
        self.watch_language()

    def retranslate(self) -> None:
        if not self.session.is_open:
            return
        self.title.setText(t("Enrolled centres"))
        self.centres.setHorizontalHeaderLabels([t("Centre"), t("Name"), t("District"), t("Key fingerprint")])
        self.revoke_button.setText(t("Revoke the selected centre's key…"))
        self.matrix_title.setText(t("Reporting rate, last twelve months"))
        self.legend.setText(t("✔ submitted, … open, ↺ reopened; red: expected but not received; amber: received late."))
        self.load()

    def load(self) -> None:
        found = coordination.centres(self.session)
        keys = {key.centre_id: key for key in coordination.centre_keys(self.session) if key.revoked_at is None}
        self.centres.setRowCount(len(found))
        for row, centre in enumerate(found):
            key = keys.get(centre.centre_id)
            values = [centre.centre_id, centre.name, centre.district, key.fingerprint if key else t("revoked")]
            for column, value in enumerate(values):
                self.centres.setItem(row, column, QTableWidgetItem(value))
        last = Period.current().previous()
        rate = coordination.reporting_rate(self.session, last.plus(-11), last, load_settings(HomePaths(self.session.home).settings).report_deadline_day)
        self.matrix.setRowCount(len(rate.centres))
        self.matrix.setColumnCount(len(rate.periods))
        self.matrix.setHorizontalHeaderLabels([str(p) for p in rate.periods])
        self.matrix.setVerticalHeaderLabels([c.centre_id for c in rate.centres])
        for row, centre in enumerate(rate.centres):
            for column, period in enumerate(rate.periods):
                cell = rate.cells[(centre.centre_id, period)]
                item = QTableWidgetItem(_MARKS[cell.status])
                if cell.expected and not cell.received:
                    item.setBackground(QColor("#f6c9cf"))
                elif cell.received and not cell.on_time:
                    item.setBackground(QColor("#fde9b8"))
                self.matrix.setItem(row, column, item)

    def revoke(self) -> None:
        row = self.centres.currentRow()
        if row < 0:
            return
        centre_id = self.centres.item(row, 0).text()
        if ask(self, t("Revoke"), t("Revoke the key of {id}? Its bundles are refused until it enrols again.", id=centre_id)):
            sync_keys.revoke_centre(self.session, centre_id)
            self.load()
