"""The one-page info sheet: hotlines and chosen services, nothing about the woman, and never a
confidential address or phone."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace

import pytest

from caseworker.app import directory as directory_uc
from caseworker.app.service_sheet import info_sheet
from caseworker.errors import InvalidInput

SECRET_PHONE = "0 232 999 77 55"
SECRET_STREET = "Gizlikonut Sokak No 13"


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def directory(centre):
    directory_uc.load_sample(centre.session)
    hits = directory_uc.search(centre.session, "")
    shelter = next(h for h in hits if h.confidential)
    detail = directory_uc.get(centre.session, shelter.id)
    # Give the shelter a distinctive phone and street, as a real entry would have.
    from caseworker.domain.directory import Address, Location, Phone

    new = directory_uc.new_id
    location = Location(new(), addresses=(Address(new(), SECRET_STREET, "Konak", "İzmir", "35000"),), phones=(Phone(new(), SECRET_PHONE),))
    directory_uc.edit(centre.session, replace(detail.service, locations=(location,), phones=(Phone(new(), SECRET_PHONE),)), detail.organization)
    assert SECRET_PHONE in str(directory_uc.get(centre.session, shelter.id).service)  # stored, visible to the signed-in user
    return centre, hits, shelter


def test_sheet_lists_hotlines_and_services_in_turkish(directory, tmp_path):
    centre, hits, shelter = directory
    chosen = [h.id for h in hits if not h.confidential and "Örnek" in h.name][:2] + [shelter.id]
    result = info_sheet(centre.session, tmp_path / "sheet.pdf", chosen, "tr")
    text = _text(result.path)
    assert "112" in text and "ALO 183" in text and "Ulaşabileceğiniz destek" in text
    assert shelter.name in text and "gizlidir" in text
    data = result.path.read_bytes()
    assert SECRET_PHONE not in text and SECRET_STREET not in text and SECRET_PHONE.encode() not in data
    assert "Pages:           1" in subprocess.run(["pdfinfo", str(result.path)], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(result.path)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts and "Helvetica" not in fonts


def test_sheet_in_english_and_too_many_services(directory, tmp_path):
    centre, hits, _ = directory
    result = info_sheet(centre.session, tmp_path / "sheet-en.pdf", [hits[-1].id], "en")
    assert "Support you can reach" in _text(result.path)
    with pytest.raises(InvalidInput):
        info_sheet(centre.session, tmp_path / "too-many.pdf", [h.id for h in hits if "Örnek" in h.name][:6], "tr")
    assert not (tmp_path / "too-many.pdf").exists()


def test_sheet_command(cli_centre, tmp_path):
    assert cli_centre("directory", "sample").code == 0
    out = tmp_path / "s.pdf"
    result = cli_centre("directory", "sheet", "--out", str(out))
    assert result.code == 0, result.err
    assert "not encrypted" in result.err and out.exists()


@pytest.mark.parametrize("language", ["ar", "fa", "kmr"])
def test_sheet_in_the_languages_women_read_keeps_names_as_written_and_hides_the_shelter(directory, tmp_path, language):
    from caseworker.reports.handouts import handout
    from tests.reports.test_pathway import logical, pdftotext

    centre, hits, shelter = directory
    chosen = [h for h in hits if not h.confidential and "Örnek" in h.name][:2] + [shelter]
    result = info_sheet(centre.session, tmp_path / f"sheet-{language}.pdf", [h.id for h in chosen], language)
    text = logical(pdftotext(result.path))  # reading order (-layout lays right-to-left lines out by position)
    sheet = handout(language)
    # Each clause of a fixed text reads back in logical order. Which clause of a line comes first
    # is pdftotext's guess on a page it judges mostly left-to-right (the Turkish descriptions).
    for fixed in ("Support you can reach", "Emergency and helplines", "Address and phone are confidential: the centre will put you in touch.",
                  "Translation to be reviewed by a native speaker."):
        for clause in re.split("[.:;،؛]", sheet.text(fixed)):
            assert logical(clause) in text, fixed
    for hit in chosen:
        assert logical(hit.name) in text
    assert "112" in text and "183" in text
    assert SECRET_PHONE.encode() not in result.path.read_bytes() and SECRET_STREET not in _text(result.path)
    assert "Pages:           1" in subprocess.run(["pdfinfo", str(result.path)], capture_output=True, text=True).stdout


def test_sheet_in_an_unknown_language_is_refused(directory, tmp_path, english):
    centre, hits, _ = directory
    with pytest.raises(InvalidInput, match="ar, fa, kmr"):
        info_sheet(centre.session, tmp_path / "x.pdf", [hits[-1].id], "de")
    assert not (tmp_path / "x.pdf").exists()
