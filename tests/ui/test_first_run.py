"""A new centre walked through its first day with real widgets: the setup wizard, the recovery
key printed, the home page's checklist done item by item (each button opening the place that
does it), the first contact recorded, the month approved from the home page, and the bundle
in the delivery folder, where the coordinator imports it."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard

from caseworker.app import coordination, sync_import, sync_keys
from caseworker.app import counts as counts_uc
from caseworker.app.session import initialise
from caseworker.domain.periods import Period
from caseworker.domain.users import Role, StoreRole
from caseworker.ui.application import application, build_window
from caseworker.ui.operations import wait_for_background_work
from caseworker.ui.pages.users_page import UserDialog
from tests.conftest import PASSPHRASE
from tests.ui.dialogs import answer_fingerprint_dialogs, record_message_boxes

CONTACT = {"age": "25-34", "status": "citizen", "source": "self", "violence": ["physical"]}


@pytest.fixture
def app(qapp):
    return application()


def open_items(window) -> list[str]:
    home = window.pages["home"]
    home.refresh()
    if home.checklist_card.isHidden():
        return []
    return [item.key for item in home.dashboard.checklist if not item.done]


def click_checklist(qtbot, window, key: str) -> None:
    home = window.pages["home"]
    window.show_page("home")
    qtbot.wait(1)  # the page's new buttons are shown by the event loop
    button = home.findChild(type(home.month_button), f"checklist-{key}")
    assert button is not None and button.isVisibleTo(home), f"no button for {key}"
    assert button.accessibleName()
    button.click()


def test_a_new_centre_goes_from_the_wizard_to_its_first_bundle(qtbot, app, tmp_path, monkeypatch):
    shown = record_message_boxes(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    home_folder, delivery = tmp_path / "home", tmp_path / "delivery"
    delivery.mkdir()

    # The wizard: store, first user, recovery key printed and confirmed.
    window, wizard = build_window(home_folder)
    qtbot.addWidget(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.store_page.name.setText("Çiğli Kadın Danışma Merkezi")
    wizard.store_page.district.setCurrentIndex(wizard.store_page.district.findData("Çiğli"))
    wizard.next()
    wizard.user_page.user.setText("ayse")
    wizard.user_page.passphrase.setText(PASSPHRASE)
    wizard.user_page.repeat.setText(PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=15_000)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "recovery-key.pdf"))
    wizard.print_recovery_key(printer)
    printed = subprocess.run(["pdftotext", str(tmp_path / "recovery-key.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert wizard.recovery_page.key.text() in printed
    wizard.recovery_page.confirmed.setChecked(True)
    with qtbot.waitSignal(wizard.created, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    window.resize(1366, 768)
    assert window.session is not None and window.isVisible()
    assert open_items(window) == ["users", "enrolment", "profile", "delivery"]  # the key was confirmed in the wizard

    # Add a caseworker: the checklist's button opens the Users page's dialog.
    before = set(window.pages["users"].findChildren(UserDialog))
    click_checklist(qtbot, window, "users")
    assert window.sidebar.currentRow() == [s.key for s in window.page_specs_shown()].index("users")
    (dialog,) = set(window.pages["users"].findChildren(UserDialog)) - before
    dialog.name.setText("Zehra")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.CASEWORKER))
    dialog.secret.passphrase.setText("mavi deniz kırmızı kapı")
    dialog.secret.repeat.setText("mavi deniz kırmızı kapı")
    dialog.save()
    qtbot.waitUntil(lambda: window.pages["users"].table.rowCount() == 2, timeout=15_000)
    assert open_items(window) == ["enrolment", "profile", "delivery"]

    # The enrolment request, saved where the coordinator can take it.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(tmp_path / "request.json"), ""))
    count = len(shown)
    click_checklist(qtbot, window, "enrolment")
    qtbot.waitUntil(lambda: len(shown) > count, timeout=10_000)
    assert shown[-1][0] == "information" and (tmp_path / "request.json").is_file()
    assert open_items(window) == ["profile", "delivery"]

    # The coordinator accepts it and hands out its profile.
    coordinator, _ = initialise(tmp_path / "coordinator", store_role=StoreRole.COORDINATOR, name="İzmir BB Kadın Çalışmaları",
                                district="", user_name="koord", passphrase=PASSPHRASE)
    request = sync_keys.read_enrolment_request(tmp_path / "request.json")
    sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
    profile = sync_keys.write_profile(coordinator, tmp_path / "profile.json")

    # The profile imported at the centre, after comparing the fingerprint read on the phone.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(tmp_path / "profile.json"), ""))
    asked = answer_fingerprint_dialogs(monkeypatch, lambda dialog: profile.fingerprint)
    count = len(shown)
    click_checklist(qtbot, window, "profile")
    qtbot.waitUntil(lambda: len(shown) > count, timeout=10_000)
    assert asked and shown[-1][0] == "information"
    assert open_items(window) == ["delivery"]

    # The delivery folder: the last step; the checklist leaves the home page.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(delivery))
    click_checklist(qtbot, window, "delivery")
    assert window.pages["sync"].items.count() == 1
    assert open_items(window) == [] and window.pages["home"].checklist_card.isHidden()

    # The first contact, recorded in the month that has just ended.
    previous = Period.current().previous()
    record = window.show_page("record")
    record.period_choice.setCurrentIndex(record.period_choice.findText(str(previous)))
    assert record.recent_empty.isVisibleTo(record) and not record.undo_button.isEnabled()
    for group in record.groups:
        if group.field.code in CONTACT:
            group.set_answer(CONTACT[group.field.code])
    record.save_button.click()
    assert record.recent.count() == 1 and not record.recent_empty.isVisibleTo(record)

    # The month approved from the home page's next step; the bundle goes out at once.
    window.show_page("home")
    home = window.pages["home"]
    assert home.month_button.isVisibleTo(home) and str(previous) in home.month_button.text()
    home.month_button.click()
    month = window.pages["month"]
    assert window.page_stack.currentWidget() is month and month.period == previous
    month.submit_button.click()
    wait_for_background_work()
    assert counts_uc.month_counts(window.session, previous).status == "submitted"
    bundles = list(delivery.glob("*.cwbundle"))
    assert len(bundles) == 1
    window.show_page("home")
    assert str(delivery) in home.sent_text.text()
    assert "caseworker " not in month.status.text()

    # What left is what the coordinator reads.
    outcomes = sync_import.import_bundles(coordinator, bundles)
    assert [o.status for o in outcomes] == ["imported"]
    assert coordination.consolidated(coordinator, previous).values
    coordinator.close()
    window.close()
