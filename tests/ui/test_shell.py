"""The application shell with real widgets, offscreen: wizard, unlock, language, auto-lock, demo."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QWizard

from caseworker import i18n
from caseworker.app import counts as counts_uc
from caseworker.domain.periods import Period
from caseworker.domain.users import Role
from caseworker.ui import errors as ui_errors
from caseworker.ui.application import application, build_window
from caseworker.ui.main_window import MainWindow
from caseworker.ui.operations import wait_for_background_work
from tests.conftest import PASSPHRASE
from tests.ui.dialogs import answer_fingerprint_dialogs, record_message_boxes, sync_sections


@pytest.fixture
def app(qapp):
    return application()


@pytest.fixture
def no_message_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


def _unlocked_window(qtbot, centre):
    centre.session.close()
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.show()
    window.unlock_screen.user.setText("ayse")
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    window.unlock_screen.try_unlock()
    qtbot.waitUntil(lambda: window.session is not None or window.unlock_screen.button.isEnabled(), timeout=10_000)
    assert window.session is not None, window.unlock_screen.message.text()
    return window


def test_wizard_creates_a_store_that_the_cli_opens(qtbot, app, home, cli):
    window, wizard = build_window(home)
    assert wizard is not None
    qtbot.addWidget(window)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.store_page
    assert not page.isComplete()
    page.name.setText("Bornova Kadın Danışma Merkezi")
    page.district.setCurrentIndex(page.district.findData("Bornova"))
    assert page.isComplete()
    wizard.next()
    wizard.user_page.user.setText("Ayşe")
    wizard.user_page.passphrase.setText("kısa")
    wizard.user_page.repeat.setText("kısa")
    wizard.next()
    assert wizard.currentPage() is wizard.user_page and wizard.user_page.problem.text()
    wizard.user_page.passphrase.setText(PASSPHRASE)
    wizard.user_page.repeat.setText(PASSPHRASE)
    assert wizard.user_page.meter.value() >= 3
    wizard.next()
    qtbot.waitUntil(lambda: wizard.recovery_page.result is not None, timeout=10_000)
    key = wizard.recovery_page.key.text()
    assert len(key) == 44 and not wizard.recovery_page.isComplete()
    wizard.recovery_page.confirmed.setChecked(True)
    with qtbot.waitSignal(wizard.created, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert window.session is not None and window.session.info.district == "Bornova"
    window.session.close()
    result = cli("check", env={"CASEWORKER_USER": "ayşe", "CASEWORKER_PASSPHRASE": PASSPHRASE})
    assert result.code == 0, result.err
    assert cli("check", env={"CASEWORKER_RECOVERY_KEY": key}).code == 0


def test_unlock_with_wrong_then_right_passphrase(qtbot, app, centre):
    centre.session.close()
    window = MainWindow(centre.home)
    qtbot.addWidget(window)
    window.show()
    screen = window.unlock_screen
    screen.user.setText("ayse")
    screen.passphrase.setText("not the passphrase")
    screen.try_unlock()
    qtbot.waitUntil(lambda: screen.button.isEnabled(), timeout=10_000)
    assert window.session is None and window.stack.currentWidget() is screen
    assert "yanlış" in screen.message.text()
    screen.passphrase.setText(PASSPHRASE)
    screen.try_unlock()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert window.stack.currentWidget() is window.workspace
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())][:3] == ["Ana sayfa", "Görüşme kaydet", "Ay"]
    window.close()


def test_language_switch_changes_visible_text(qtbot, app, centre):
    window = _unlocked_window(qtbot, centre)
    settings_page = window.pages["settings"]
    assert window.sidebar.item(0).text() == "Ana sayfa"
    settings_page.language.setCurrentIndex(settings_page.language.findData("en"))
    assert i18n.current_language() == "en"
    assert window.sidebar.item(0).text() == "Home"
    assert window.pages["record"].save_button.text() == "Save (Ctrl+Enter)"
    assert window.pages["month"].submit_button.text() == "Submit the month"
    settings_page.language.setCurrentIndex(settings_page.language.findData("tr"))
    assert window.pages["record"].save_button.text() == "Kaydet (Ctrl+Enter)"
    window.close()


def test_auto_lock_closes_the_store_and_keeps_the_draft(qtbot, app, centre):
    window = _unlocked_window(qtbot, centre)
    session = window.session
    record = window.pages["record"]
    record.groups[0].buttons[2].setChecked(True)  # an age group chosen, not saved yet
    window.set_idle_timeout_ms(200)
    qtbot.waitUntil(lambda: window.session is None, timeout=5000)
    assert not session.is_open
    assert window.stack.currentWidget() is window.unlock_screen and window.pages == {}
    window.unlock_screen.passphrase.setText(PASSPHRASE)
    window.unlock_screen.try_unlock()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert window.pages["record"].groups[0].answer() == window.pages["record"].groups[0].codes[2]
    window.close()


def test_ctrl_l_locks(qtbot, app, centre):
    window = _unlocked_window(qtbot, centre)
    window.lock_shortcut.activated.emit()
    assert window.session is None
    window.close()


def test_record_page_saves_and_undoes(qtbot, app, centre, no_message_boxes):
    window = _unlocked_window(qtbot, centre)
    page = window.pages["record"]
    answers = {"age": "25-34", "status": "citizen", "source": "self", "violence": ["physical", "economic"], "children": True}
    for group in page.groups:
        if group.field.code in answers:
            group.set_answer(answers[group.field.code])
    page.save()
    assert no_message_boxes == []
    period = Period.current()
    values = counts_uc.month_counts(window.session, period).values
    assert sum(v for c, v in values.items() if c.indicator == "VIOLENCE_TYPE") == 2
    assert page.recent.count() == 1 and page.answers() == {}
    page.save()  # nothing chosen: a clear message, nothing recorded
    assert no_message_boxes and no_message_boxes[-1][0] == "warning"
    page.undo()
    assert sum(counts_uc.month_counts(window.session, period).values.values()) == 0
    window.close()


def test_month_page_edits_and_submits(qtbot, app, centre, no_message_boxes):
    window = _unlocked_window(qtbot, centre)
    page = window.pages["month"]
    page.period_choice.setCurrentIndex(page.period_choice.findText(str(Period.current().previous())))
    row = next(r for r, cell in page.cells.items() if cell.indicator == "AWARENESS_EVENTS")
    page.table.item(row, 1).setText("3")
    assert page.save_button.isEnabled()
    page.save()
    assert sum(v for c, v in counts_uc.month_counts(window.session, page.period).values.items() if c.indicator == "AWARENESS_EVENTS") == 3
    page.submit()
    assert counts_uc.month_counts(window.session, page.period).status == "submitted"
    assert not page.submit_button.isEnabled() and page.reopen_button.isEnabled()
    window.close()


def test_demo_store_has_a_year_of_figures(tmp_path):
    from caseworker.app.demo import create_demo_store

    session = create_demo_store(tmp_path / "demo")
    previous = Period.current().plus(-3)
    assert counts_uc.month_counts(session, previous).status == "submitted"
    assert sum(counts_uc.month_counts(session, previous).values.values()) > 50
    session.close()


def test_crash_dialog_for_a_bug(qtbot, app):
    ui_errors.show_error(None, RuntimeError("a bug, not a user error"))
    dialogs = ui_errors.open_crash_dialogs()
    assert dialogs and "RuntimeError: a bug, not a user error" in dialogs[-1].details.toPlainText()
    for dialog in dialogs:
        dialog.close()
    wait_for_background_work()


def test_demo_mode_title_and_cleanup(qtbot, app, home, monkeypatch, tmp_path):
    import os
    import tempfile

    from caseworker.ui import application as application_module

    made = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        made.append(real_mkdtemp(*args, dir=tmp_path, **{k: v for k, v in kwargs.items() if k != "dir"}))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    window, clean_up = application_module.start(home, demo=True)
    qtbot.addWidget(window)
    assert "DENEME" in window.windowTitle() and (window.home / "store.db").exists()
    assert window.session is not None and window.pages["month"].table.rowCount() > 50
    window.close()
    clean_up()
    assert made and not any(os.path.exists(path) for path in made)
    assert not home.exists()  # the real home was never touched


def test_directory_page_searches_as_you_type(qtbot, app, centre):
    from caseworker.app import directory as directory_uc

    directory_uc.load_sample(centre.session)
    window = _unlocked_window(qtbot, centre)
    page = window.pages["directory"]
    everything = page.results.count()
    assert everything > 5
    page.query.setText("karsiyaka")
    qtbot.waitUntil(lambda: 0 < page.results.count() < everything, timeout=3000)
    assert all("Karşıyaka" in page.results.item(i).text() for i in range(page.results.count()))
    page.query.setText("alo 183")
    qtbot.waitUntil(lambda: page.results.count() >= 1 and "183" in page.results.item(0).text(), timeout=3000)
    assert "183" in page.detail.toPlainText()
    window.close()


def test_reports_page_writes_the_monthly_summary(qtbot, app, centre, tmp_path):
    counts_uc.TallyBook(centre.session).record(Period.current().previous(), "follow_up", {"age": "35-44", "session": "legal"})
    window = _unlocked_window(qtbot, centre)
    page = window.pages["reports"]
    target = tmp_path / "ozet.pdf"
    page.write(target)
    qtbot.waitUntil(lambda: target.exists() and page.result.text() != "", timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    window.close()


def test_reports_page_issues_a_public_edition_and_lists_it_in_the_register(qtbot, app, centre, tmp_path):
    from caseworker.app import months as months_uc

    month = Period.current().previous()
    counts_uc.TallyBook(centre.session).record(month, "follow_up", {"age": "35-44", "session": "legal"})
    months_uc.submit(centre.session, month)
    window = _unlocked_window(qtbot, centre)
    page = window.pages["reports"]
    assert page.register.rowCount() == 0 and "docs/disclosure.md" in page.method.text()
    page.public.setChecked(True)
    target = tmp_path / "kamu.pdf"
    page.write(target)
    qtbot.waitUntil(lambda: target.exists() and page.register.rowCount() == 1, timeout=10_000)
    assert page.register.item(0, 0).text() == str(month) and page.register.item(0, 1).text() == "merkez"
    assert page.register.item(0, 3).text() == centre.session.user.name
    window.close()


def test_coordinator_sees_centres_and_city(qtbot, app, tmp_path):
    from caseworker.app.session import initialise
    from caseworker.domain.users import StoreRole

    session, _ = initialise(tmp_path / "koord", store_role=StoreRole.COORDINATOR, name="İzmir BB", district="", user_name="koord", passphrase=PASSPHRASE)
    window = MainWindow(tmp_path / "koord")
    qtbot.addWidget(window)
    window.open_session(session)
    labels = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert labels == ["Ana sayfa", "Merkezler", "Kent", "Hizmet rehberi", "Raporlar", "Gönderim", "Kullanıcılar", "Ayarlar"]
    assert window.pages["centres"].matrix.columnCount() == 12
    window.close()


def test_keyboard_alone_records_a_contact_and_undo_reverts_it(qtbot, app, centre):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window = _unlocked_window(qtbot, centre)
    window.activateWindow()
    window.sidebar.setCurrentRow(1)
    page = window.pages["record"]
    wanted = {"age": "35-44", "status": "citizen", "source": "alo183", "violence": "digital"}
    targets = [
        button
        for group in page.groups if group.field.code in wanted
        for code, button in zip(group.codes, group.buttons) if code == wanted[group.field.code]
    ]
    window.activateWindow()
    page.groups[0].buttons[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.groups[0].buttons[0], timeout=3000)
    for target in targets:
        # Tab moves from question to question; the arrow keys move within a question.
        for _ in range(40):
            if QApplication.focusWidget() is target or (target.group() is not None and QApplication.focusWidget() in target.group().buttons()):
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        def press(key) -> bool:
            before = QApplication.focusWidget()
            qtbot.keyClick(before, key)
            return QApplication.focusWidget() is not before

        for _ in range(20):  # row by row: right to the end of the row, then down and back left
            if QApplication.focusWidget() is target:
                break
            if not press(Qt.Key.Key_Right):
                press(Qt.Key.Key_Down)
                while press(Qt.Key.Key_Left) and QApplication.focusWidget() is not target:
                    pass
        assert QApplication.focusWidget() is target
        qtbot.keyClick(target, Qt.Key.Key_Space)
        assert target.isChecked()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.recent.count() == 1

    def new_applicants_in_grid() -> int:
        month = window.pages["month"]
        month.period_choice.setCurrentIndex(0)
        month.load()
        row = next(r for r, cell in month.cells.items() if cell.indicator == "NEW_APPLICANTS" and cell.option("age") == "35-44")
        return int(month.table.item(row, 1).text())

    assert new_applicants_in_grid() == 1
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.recent.count() == 0
    assert new_applicants_in_grid() == 0
    window.close()


def test_directory_entry_can_be_added_and_a_bad_one_is_refused(qtbot, app, centre):
    window = _unlocked_window(qtbot, centre)
    page = window.pages["directory"]
    dialog = page.open_editor(None)
    dialog.save()  # nothing filled in: refused, the dialog stays
    assert dialog.problem.text() and dialog.saved is None
    dialog.name.setText("Örnek Hukuk Danışma Noktası")
    dialog.organization.setText("Örnek Barosu")
    dialog.district.setCurrentIndex(dialog.district.findData("Çiğli"))
    dialog.phone.setText("0 232 000 00 00")
    dialog.save()
    assert dialog.saved is not None, dialog.problem.text()
    page.query.setText("hukuk danisma")
    qtbot.waitUntil(lambda: page.results.count() == 1, timeout=3000)
    assert "Çiğli" in page.results.item(0).text()
    window.close()


def test_directory_page_prints_an_info_sheet_of_the_selection(qtbot, app, centre, tmp_path):
    from caseworker.app import directory as directory_uc

    directory_uc.load_sample(centre.session)
    window = _unlocked_window(qtbot, centre)
    page = window.pages["directory"]
    page.results.item(5).setSelected(True)
    page.results.item(6).setSelected(True)
    target = tmp_path / "sheet.pdf"
    page.write_sheet(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    window.close()


def test_reports_page_previews_and_prints(qtbot, app, centre, tmp_path, monkeypatch):
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    counts_uc.TallyBook(centre.session).record(Period.current().previous(), "follow_up", {"age": "35-44", "session": "legal"})
    window = _unlocked_window(qtbot, centre)
    page = window.pages["reports"]
    page.make_preview()
    qtbot.waitUntil(lambda: len(page.preview.images) >= 2, timeout=15_000)
    assert page.print_button.isEnabled()
    assert list((centre.home / "preview").iterdir()) == []  # the plaintext file is gone
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    from caseworker.ui.pdf_preview import print_images

    print_images(page.preview.images, printer)
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")
    window.close()


def test_enrolment_and_publications_through_the_sync_page(qtbot, app, tmp_path, coordinator, monkeypatch, no_message_boxes):
    from PySide6.QtWidgets import QFileDialog

    from caseworker.app import directory as directory_uc
    from caseworker.app import sync_keys
    from tests.conftest import make_centre

    centre = make_centre(tmp_path, "Karşıyaka KDM", "Karşıyaka")
    directory_uc.load_sample(coordinator)
    at_centre, at_coordinator = sync_sections(qtbot, centre, coordinator)
    assert at_centre.publish_directory_button.isHidden() and not at_centre.apply_button.isHidden()
    assert at_coordinator.apply_button.isHidden() and at_coordinator.publish_directory_button.text() == "Rehberi yayımla…"
    assert at_centre.pinned.text() == "Henüz koordinatör yok: bu merkez kayıtlı değil."

    request_fingerprint = sync_keys.enrolment_request(centre).fingerprint
    profile_fingerprint = sync_keys.profile(coordinator).fingerprint
    asked = answer_fingerprint_dialogs(monkeypatch, lambda dialog: {0: request_fingerprint, 1: profile_fingerprint}.get(len(asked) - 1))
    chosen = {}
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, name, kinds: (suggested.append(name), (str(tmp_path / chosen["next"]), kinds))[1])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(tmp_path / chosen["next"]), ""))

    def step(button, file_name: str) -> str:
        chosen["next"] = file_name
        count = len(no_message_boxes)
        button.click()
        qtbot.waitUntil(lambda: len(no_message_boxes) > count, timeout=10_000)
        kind, text = no_message_boxes[-1]
        assert kind == "information", text
        return text

    assert request_fingerprint in step(at_centre.request_button, "request.json")
    assert "enrolled" in step(at_coordinator.accept_button, "request.json") or "kaydedildi" in no_message_boxes[-1][1]
    assert request_fingerprint in [choice.text() for choice in asked[-1].choices]
    assert profile_fingerprint in step(at_coordinator.profile_export_button, "profile.json")
    step(at_centre.profile_import_button, "profile.json")
    assert profile_fingerprint in [choice.text() for choice in asked[-1].choices]
    assert sync_keys.pinned_profile(centre).fingerprint == profile_fingerprint
    assert profile_fingerprint in at_centre.pinned.text()

    assert "13 hizmet" in step(at_coordinator.publish_directory_button, "rehber.cwpub")
    assert suggested == ["enrolment-request.json", "coordinator-profile.json"] + suggested[2:] and suggested[2].startswith("caseworker-directory-")
    assert step(at_centre.apply_button, "rehber.cwpub") == "Koordinatörün rehberi (1 numaralı yayın) uygulandı: 13 yeni, 0 güncellenen, 0 kaldırılan."

    # A fingerprint read aloud that is not the file's (picked among the choices, or typed) is
    # refused without saying the file's; cancelling does nothing either.
    from caseworker.app import coordination

    other = make_centre(tmp_path, "Bornova KDM", "Bornova")
    other_fingerprint = sync_keys.write_enrolment_request(other, tmp_path / "other.json").fingerprint
    other.close()
    chosen["next"] = "other.json"
    wrong_choice = lambda dialog: next(c.text() for c in dialog.choices if c.text() != other_fingerprint)  # noqa: E731
    for pick, refused in ((wrong_choice, True), (lambda dialog: "0123-4567-89AB-CDEF-0123", True), (lambda dialog: None, False)):
        asked = answer_fingerprint_dialogs(monkeypatch, pick)
        count = len(no_message_boxes)
        at_coordinator.accept_button.click()
        qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
        if refused:
            qtbot.waitUntil(lambda: len(no_message_boxes) > count, timeout=10_000)
            kind, text = no_message_boxes[-1]
            assert kind == "warning" and "eşleşmiyor" in text and other_fingerprint not in text
    assert [c.name for c in coordination.centres(coordinator)] == ["Karşıyaka KDM"]

    # A profile from someone else: the question says what it would replace; No keeps the pin.
    from caseworker.app.session import initialise
    from caseworker.domain.users import StoreRole

    impostor, _ = initialise(tmp_path / "impostor", store_role=StoreRole.COORDINATOR, name="Sahte Birim", district="", user_name="x", passphrase=PASSPHRASE)
    sync_keys.write_profile(impostor, tmp_path / "impostor.json")
    impostor.close()
    asked = answer_fingerprint_dialogs(monkeypatch, lambda dialog: None)
    chosen["next"] = "impostor.json"
    at_centre.profile_import_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    shown = [label.text() for label in asked[0].findChildren(QLabel)]
    assert any(text.startswith("Bu, merkezin şu anda güvendiği koordinatörün (İzmir BB Kadın Çalışmaları") and profile_fingerprint in text for text in shown)
    assert sync_keys.pinned_profile(centre).fingerprint == profile_fingerprint
    centre.close()


def test_a_new_key_for_an_enrolled_centre_is_replaced_only_by_its_own_action(qtbot, app, tmp_path, pair, monkeypatch, no_message_boxes):
    from PySide6.QtWidgets import QFileDialog

    from caseworker.app import sync_keys
    from caseworker.sync import minisign

    centre, coordinator = pair
    request = sync_keys.enrolment_request(centre)
    new = type(request)(request.centre_id, request.name, request.district, minisign.generate_keypair().public_key().to_base64())
    (tmp_path / "new.json").write_bytes(new.to_bytes())
    (section,) = sync_sections(qtbot, coordinator)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(tmp_path / "new.json"), ""))
    asked = answer_fingerprint_dialogs(monkeypatch, lambda dialog: new.fingerprint)
    section.accept_button.click()
    qtbot.waitUntil(lambda: bool(no_message_boxes), timeout=10_000)
    dialog = asked[0]
    assert dialog.accept_button.text() == "Bu merkezin anahtarını değiştir"
    assert any(request.fingerprint in label.text() for label in dialog.findChildren(QLabel))
    kind, text = no_message_boxes[-1]
    assert kind == "information" and request.fingerprint in text and new.fingerprint in text
    assert sync_keys.active_key(coordinator, request.centre_id).fingerprint == new.fingerprint


def test_a_supervisor_adds_resets_and_removes_users_and_a_caseworker_changes_only_her_own(qtbot, app, centre, monkeypatch, no_message_boxes):
    from caseworker.app.session import Credentials, unlock
    from caseworker.errors import AuthenticationFailed
    from caseworker.ui.pages.users_page import UserDialog

    window = _unlocked_window(qtbot, centre)
    page = window.pages["users"]
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "ayse"

    def dialog_after(button) -> UserDialog:
        before = set(page.findChildren(UserDialog))
        button.click()
        (dialog,) = set(page.findChildren(UserDialog)) - before
        return dialog

    dialog = dialog_after(page.add_button)
    dialog.name.setText("Fatma")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.CASEWORKER))
    dialog.secret.passphrase.setText("mavi deniz kırmızı kapı")
    dialog.secret.repeat.setText("mavi deniz kırmızı kapi")
    dialog.save()
    assert dialog.problem.text() == "İki parola birbirini tutmuyor; aynı parolayı iki kez yazın." and page.table.rowCount() == 1
    dialog.secret.repeat.setText("mavi deniz kırmızı kapı")
    dialog.save()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=15_000)
    assert not dialog.isVisible()
    assert [(page.table.item(row, 0).text(), page.table.item(row, 1).text()) for row in range(2)] == [("ayse", "sorumlu"), ("fatma", "meslek elemanı")]
    unlock(centre.home, Credentials("fatma", "mavi deniz kırmızı kapı")).close()

    page.table.selectRow(1)
    dialog = dialog_after(page.passphrase_button)
    assert "fatma" in dialog.windowTitle()
    dialog.secret.passphrase.setText("sarı limon yeşil çay")
    dialog.secret.repeat.setText("sarı limon yeşil çay")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15_000)
    unlock(centre.home, Credentials("fatma", "sarı limon yeşil çay")).close()

    caseworker_window = MainWindow(centre.home)
    qtbot.addWidget(caseworker_window)
    caseworker_window.open_session(unlock(centre.home, Credentials("fatma", "sarı limon yeşil çay")))
    own = caseworker_window.pages["users"]
    assert own.add_button.isHidden() and own.remove_button.isHidden() and own.passphrase_button.text() == "Parolamı değiştir…"
    caseworker_window.close()

    record_message_boxes(monkeypatch, answer=QMessageBox.StandardButton.Yes)
    page.table.selectRow(1)
    page.remove_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=60_000)  # a rekey runs Argon2id for every slot: slow on a busy machine
    with pytest.raises(AuthenticationFailed):
        unlock(centre.home, Credentials("fatma", "sarı limon yeşil çay"))
    window.close()


def test_settings_check_the_store_and_write_a_backup(qtbot, app, centre, tmp_path, monkeypatch, no_message_boxes):
    from PySide6.QtWidgets import QFileDialog

    window = _unlocked_window(qtbot, centre)
    page = window.pages["settings"]
    page.check_button.click()
    qtbot.waitUntil(lambda: bool(no_message_boxes), timeout=15_000)
    assert no_message_boxes[-1][0] == "information" and no_message_boxes[-1][1].startswith("Depo sağlam.")
    target = tmp_path / "yedek.cwbackup"
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, name, kinds: (suggested.append(name), (str(target), kinds))[1])
    page.backup_button.click()
    qtbot.waitUntil(lambda: len(no_message_boxes) == 2, timeout=15_000)
    assert suggested[0].startswith("caseworker-") and suggested[0].endswith(".cwbackup")
    assert target.read_bytes()[:2] == b"PK" and str(target) in no_message_boxes[-1][1]
    window.close()


def test_the_wizard_restores_a_backup_on_a_new_computer(qtbot, app, centre, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from caseworker.app import maintenance
    from caseworker.ui.restore_dialog import RestoreDialog

    from caseworker.app import catalogue as catalogue_uc

    cell = counts_uc.parse_cell(catalogue_uc.current(centre.session), "SESSIONS[session=legal]")
    counts_uc.set_counts(centre.session, Period(2026, 10), {cell: 7})
    backup = maintenance.backup(centre.session, tmp_path / "yedek.cwbackup")
    new_laptop = tmp_path / "new-laptop"
    window, wizard = build_window(new_laptop)
    qtbot.addWidget(window)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.store_page.restore_button.text() == "Yedeği geri yükle…"
    wizard.store_page.restore_button.click()
    (dialog,) = wizard.findChildren(RestoreDialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(backup), ""))
    dialog.choose.click()
    assert dialog.file.text() == str(backup)
    dialog.user.setText("ayse")
    dialog.secret.setText("not the passphrase at all")
    dialog.restore()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=15_000)
    assert "parola" in dialog.problem.text().lower() and not (new_laptop / "store.db").exists()
    dialog.secret.setText(PASSPHRASE)
    with qtbot.waitSignal(wizard.created, timeout=15_000):
        dialog.restore()
    assert window.session is not None and window.session.info.name == "Konak Kadın Danışma Merkezi"
    assert counts_uc.month_counts(window.session, Period(2026, 10)).values[cell] == 7
    window.session.close()
