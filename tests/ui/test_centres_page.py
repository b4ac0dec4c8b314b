"""The centres page of the coordinator: each centre's year at a glance, and the actions on
centres — accepting an enrolment, revoking a centre whose laptop was lost."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from caseworker.app import coordination, sync_import, sync_keys
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.storage import audit
from caseworker.storage.store import replayed_clock
from caseworker.sync import minisign
from caseworker.sync.bundles import seal
from caseworker.sync.enrolment import EnrolmentRequest
from caseworker.sync.payload import MonthSnapshot, Payload
from caseworker.ui.application import application
from caseworker.ui.operations import wait_for_background_work
from caseworker.ui.pages.centres_page import CentresPage
from tests.ui.dialogs import answer_fingerprint_dialogs, record_message_boxes

YEAR = Period.current().year - 1  # a whole year that has ended, with every deadline passed
JANUARY, MARCH, APRIL = Period(YEAR, 1), Period(YEAR, 3), Period(YEAR, 4)


@pytest.fixture
def app(qapp):
    return application()


class SendingCentre:
    """A centre as the coordinator meets it: a key, an enrolment request, bundles it seals."""

    def __init__(self, coordinator, centre_id: str, name: str, district: str) -> None:
        self.coordinator = coordinator
        self.key = minisign.generate_keypair()
        self.request = EnrolmentRequest(centre_id, name, district, self.key.public_key().to_base64())
        self.sequence = 0
        self.sent: dict[Period, dict[CellKey, int]] = {}

    def bundle(self, folder: Path, period: Period, new_applicants: int) -> Path:
        self.sequence += 1
        counts = {CellKey.of("NEW_APPLICANTS", {"age": "25-34"}): KeyedCount(new_applicants, 1234 + new_applicants),
                  CellKey.of("SESSIONS", {"session": "legal"}): KeyedCount(2, 99)}
        self.sent[period] = {cell: count.value for cell, count in counts.items()}
        payload = Payload(uuid.uuid4().hex, self.request.centre_id, self.sequence, "2026-01-01T00:00:00+00:00", 1, None,
                          (MonthSnapshot(str(period), "submitted", 1, counts, counts),))
        data, _hash = seal(payload, self.key, list(sync_keys.profile(self.coordinator).age_recipients))
        path = folder / f"{self.request.centre_id}-{self.sequence}.cwbundle"
        path.write_bytes(data)
        return path

    def send(self, folder: Path, period: Period, new_applicants: int, at: datetime) -> sync_import.ImportOutcome:
        with replayed_clock(at):
            [outcome] = sync_import.import_bundles(self.coordinator, [self.bundle(folder, period, new_applicants)])
        return outcome


def _at(period: Period, day: int) -> datetime:
    following = period.next()
    return datetime(following.year, following.month, day, 12, tzinfo=timezone.utc)


@pytest.fixture
def two_centres(coordinator, tmp_path):
    """Konak reported January on time and March late, February never; Karaburun January on time."""
    konak = SendingCentre(coordinator, "konak-0001", "Konak Kadın Danışma Merkezi", "Konak")
    karaburun = SendingCentre(coordinator, "karaburun-0002", "Karaburun Kadın Danışma Merkezi", "Karaburun")
    for centre in (konak, karaburun):
        with replayed_clock(datetime(YEAR, 1, 3, 10, tzinfo=timezone.utc)):
            sync_keys.accept_enrolment(coordinator, centre.request, centre.request.fingerprint)
    assert konak.send(tmp_path, JANUARY, 31, _at(JANUARY, 5)).status == "imported"
    assert konak.send(tmp_path, MARCH, 28, _at(MARCH, 25)).status == "imported"
    assert karaburun.send(tmp_path, JANUARY, 4, _at(JANUARY, 8)).status == "imported"
    return konak, karaburun


def _page(qtbot, coordinator, year: int | None = None) -> CentresPage:
    page = CentresPage(coordinator, None)
    qtbot.addWidget(page)
    page.show()
    if year is not None:
        page.year_choice.setCurrentIndex(page.year_choice.findData(year))
        page.year_choice.activated.emit(page.year_choice.currentIndex())
    return page


def _row(page: CentresPage, name: str) -> list[str]:
    for row in range(page.centres.rowCount()):
        if page.centres.item(row, 1).text() == name:
            return [page.centres.item(row, column).text() for column in range(page.centres.columnCount())]
    raise AssertionError(f"{name} is not listed")


def test_no_centre_yet_says_what_to_do(qtbot, app, coordinator, english):
    page = _page(qtbot, coordinator)
    assert page.empty.isVisible() and not page.centres.isVisible() and not page.revoke_button.isVisible()
    assert "Accept an enrolment request" in page.empty.text() and page.accept_button.isVisible()
    assert "caseworker " not in page.empty.text() and "--" not in page.empty.text()


def test_each_centre_shows_its_district_last_bundle_year_and_fingerprint(qtbot, app, coordinator, two_centres, english):
    konak, karaburun = two_centres
    page = _page(qtbot, coordinator, YEAR)
    assert not page.empty.isVisible() and page.centres.rowCount() == 2
    district, _name, last, on_time, late, missing, fingerprint = _row(page, konak.request.name)
    assert (district, on_time, late, missing) == ("Konak", "1", "1", "10")  # February and April to December missing
    assert last == f"{_at(MARCH, 25).date().isoformat()}: {MARCH}"
    assert fingerprint == konak.request.fingerprint
    assert _row(page, karaburun.request.name)[2:6] == [f"{_at(JANUARY, 8).date().isoformat()}: {JANUARY}", "1", "0", "11"]
    assert "2 centres in 2 districts" in page.summary.text()


def test_accepting_an_enrolment_request_from_the_page(qtbot, app, coordinator, tmp_path, monkeypatch, english):
    request = EnrolmentRequest("kiraz-0003", "Kiraz Kadın Danışma Merkezi", "Kiraz", minisign.generate_keypair().public_key().to_base64())
    (tmp_path / "request.json").write_bytes(request.to_bytes())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(tmp_path / "request.json"), ""))
    dialogs = answer_fingerprint_dialogs(monkeypatch, lambda dialog: request.fingerprint)
    boxes = record_message_boxes(monkeypatch)
    page = _page(qtbot, coordinator)
    page.accept_button.click()
    qtbot.waitUntil(lambda: page.centres.rowCount() == 1, timeout=10_000)
    assert len(dialogs) == 1 and boxes[-1] == ("information", "Kiraz Kadın Danışma Merkezi is enrolled as kiraz-0003.")
    assert _row(page, "Kiraz Kadın Danışma Merkezi")[6] == request.fingerprint and not page.empty.isVisible()


def test_revoking_a_lost_laptops_centre_refuses_its_next_bundle_and_keeps_its_months(qtbot, app, coordinator, two_centres, tmp_path, monkeypatch, english):
    konak, karaburun = two_centres
    boxes = record_message_boxes(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    page = _page(qtbot, coordinator, YEAR)
    page.select(konak.request.centre_id)
    assert page.revoke_button.isEnabled()
    page.revoke_button.click()
    qtbot.waitUntil(lambda: _row(page, konak.request.name)[6].startswith("revoked on"), timeout=10_000)
    wait_for_background_work()
    kind, question = boxes[0]
    assert kind == "question" and konak.request.name in question and konak.request.fingerprint in question
    assert not page.revoke_button.isEnabled()  # the revoked centre is still selected

    refused = konak.send(tmp_path, APRIL, 12, datetime.now(timezone.utc))
    assert refused.status == "rejected" and "revoked" in refused.reason and konak.request.centre_id in refused.reason
    assert karaburun.send(tmp_path, MARCH, 3, datetime.now(timezone.utc)).status == "imported"  # the others go on
    for period in (JANUARY, MARCH):  # its earlier months stay in the city's figures
        city = coordination.consolidated(coordinator, period).values
        assert city[CellKey.of("NEW_APPLICANTS", {"age": "25-34"})] == sum(c.sent.get(period, {}).get(CellKey.of("NEW_APPLICANTS", {"age": "25-34"}), 0)
                                                                          for c in (konak, karaburun))
    assert coordination.consolidated(coordinator, APRIL).values == {}
    with coordinator.reading() as conn:
        revocations = [entry for entry in audit.latest(conn) if entry.action == "enrol.revoke"]
    assert [entry.subject for entry in revocations] == [konak.request.centre_id]


def test_no_revocation_without_a_yes(qtbot, app, coordinator, two_centres, monkeypatch, english):
    konak, _ = two_centres
    boxes = record_message_boxes(monkeypatch, answer=QMessageBox.StandardButton.No)
    page = _page(qtbot, coordinator, YEAR)
    page.select(konak.request.centre_id)
    page.revoke_button.click()
    wait_for_background_work()
    assert len(boxes) == 1 and sync_keys.active_key(coordinator, konak.request.centre_id) is not None
    assert _row(page, konak.request.name)[6] == konak.request.fingerprint


def test_replacing_the_selected_centres_key_from_the_page(qtbot, app, coordinator, two_centres, tmp_path, monkeypatch, english):
    konak, karaburun = two_centres
    new_key = minisign.generate_keypair()
    renewed = EnrolmentRequest(konak.request.centre_id, konak.request.name, "Konak", new_key.public_key().to_base64())
    (tmp_path / "new.json").write_bytes(renewed.to_bytes())
    (tmp_path / "other.json").write_bytes(karaburun.request.to_bytes())
    chosen_file = [tmp_path / "other.json"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(chosen_file[0]), ""))
    dialogs = answer_fingerprint_dialogs(monkeypatch, lambda dialog: renewed.fingerprint)
    boxes = record_message_boxes(monkeypatch)
    page = _page(qtbot, coordinator, YEAR)
    page.select(konak.request.centre_id)
    page.replace_button.click()  # another centre's request: refused, nothing asked
    qtbot.waitUntil(lambda: len(boxes) == 1, timeout=10_000)
    assert boxes[0] == ("warning", "This enrolment request is for centre karaburun-0002, not for the selected Konak Kadın Danışma Merkezi. "
                                   "Choose the request the selected centre made, or select its centre first.")
    assert not dialogs and sync_keys.active_key(coordinator, konak.request.centre_id).fingerprint == konak.request.fingerprint

    chosen_file[0] = tmp_path / "new.json"
    page.select(konak.request.centre_id)
    page.replace_button.click()
    qtbot.waitUntil(lambda: _row(page, konak.request.name)[6] == renewed.fingerprint, timeout=10_000)
    assert len(dialogs) == 1 and any(konak.request.fingerprint in label.text() for label in dialogs[0].findChildren(type(page.summary)))
    assert konak.request.fingerprint in boxes[-1][1] and renewed.fingerprint in boxes[-1][1]
