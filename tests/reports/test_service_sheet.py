"""The one-page info sheet: hotlines and chosen services, nothing about the woman, and never a
confidential address or phone."""

from __future__ import annotations

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
