"""The referral pathway dialog and the sheet language on the Directory page, with real widgets
offscreen: the sheet's language is the woman's whatever the interface speaks, an unreviewed
translation says so, and a supervisor marks it reviewed."""

from __future__ import annotations

import os

import pytest

from caseworker.app import directory as directory_uc
from caseworker.app import pathways as pathways_uc
from caseworker.i18n import set_language
from caseworker.ui.application import application
from caseworker.ui.operations import wait_for_background_work
from caseworker.ui.pathway_dialog import PathwayDialog
from tests.reports.test_pathway import logical, pdftotext
from tests.ui.test_shell import _unlocked_window

SCREENSHOTS = os.environ.get("CASEWORKER_SCREENSHOTS")


@pytest.fixture
def app(qapp):
    return application()


def _settle(qtbot, dialog: PathwayDialog) -> None:
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled(), timeout=20_000)
    wait_for_background_work()


def test_the_dialog_previews_the_chosen_district_and_language_and_saves_it(qtbot, app, centre, tmp_path):
    directory_uc.load_sample(centre.session)
    dialog = PathwayDialog(centre.session, district="Bornova")
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot, dialog)
    assert dialog.district.currentData() == "Bornova" and len(dialog.preview.images) == 1
    assert not dialog.review_note.text()  # Turkish is reviewed
    dialog.language.setCurrentIndex(dialog.language.findData("ar"))
    _settle(qtbot, dialog)
    assert "Arap" in dialog.review_note.text() or "العربية" in dialog.review_note.text()
    assert dialog.review_button.isVisible()  # ayse is a supervisor
    if SCREENSHOTS:
        dialog.grab().save(os.path.join(SCREENSHOTS, "pathway-dialog-ar.png"))
    target = tmp_path / "bornova-ar.pdf"
    dialog.save(target)
    qtbot.waitUntil(target.exists, timeout=20_000)
    wait_for_background_work()
    text = logical(pdftotext(target))
    assert logical("مسار الإحالة") in text and logical("Örnek Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)") in text
    dialog.review_button.click()
    _settle(qtbot, dialog)
    assert pathways_uc.is_reviewed(centre.session, "ar") and not dialog.review_note.text()
    dialog.close()


def test_the_directory_page_prints_the_sheet_in_the_womans_language_not_the_interfaces(qtbot, app, centre, tmp_path):
    directory_uc.load_sample(centre.session)
    window = _unlocked_window(qtbot, centre)
    set_language("en")
    page = window.pages["directory"]
    page.sheet_language.setCurrentIndex(page.sheet_language.findData("fa"))
    page.results.item(5).setSelected(True)
    target = tmp_path / "sheet-fa.pdf"
    page.write_sheet(target)
    qtbot.waitUntil(target.exists, timeout=20_000)
    wait_for_background_work()
    assert logical("خطوط اضطراری و پشتیبانی") in logical(pdftotext(target))
    dialog = page.open_pathway()  # owned by the page, closed with the window
    _settle(qtbot, dialog)
    assert dialog.windowTitle() == "Referral pathway"
    if SCREENSHOTS:
        window.grab().save(os.path.join(SCREENSHOTS, "directory-page-en.png"))
    dialog.close()
    window.close()
