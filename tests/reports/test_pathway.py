"""The referral pathway read back from the PDF: one page for every sample district and the city
in every handout language, the national lines and every listed service of the district, the
Arabic and Persian fixed texts in logical order and laid out right to left, and never a
confidential address or phone."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pytest

from caseworker.app import directory as directory_uc
from caseworker.app import pathways
from caseworker.domain.directory import Address, Location, Phone
from caseworker.domain.pathways import SECTORS
from caseworker.hsds.files import load_sample_directory
from caseworker.reports.handouts import HANDOUT_LANGUAGES, handout

SECRET_PHONE = "0 232 999 77 55"
SECRET_STREET = "Gizlikonut Sokak No 13"
SAMPLE_DISTRICTS = sorted({service.district for service in load_sample_directory().services if service.district})
HOTLINES = ("112", "155", "156", "183")
TODAY = date(2026, 12, 2)
_BIDI_CONTROLS = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_WORD = re.compile(r"[\u0600-\u06ff]+|[^\W\d_\u0600-\u06ff]+|\d+")


def logical(text: str) -> str:
    """Text compared word by word in reading order: presentation forms back to letters (NFKC),
    bidi controls dropped, and only words kept — a run of Arabic letters, of other letters or of
    digits — since where an extractor puts a colon or a space between a right-to-left and a
    left-to-right run is its own choice."""
    text = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZ" else ch for ch in text)
    return " ".join(_WORD.findall(text))


def pdftotext(path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfium_text(data: bytes) -> tuple[int, str]:
    document = pdfium.PdfDocument(data)
    try:
        pages = len(document)
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
        page.close()
        return pages, text
    finally:
        document.close()


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """A centre's store with the sample directory, its shelter given a real-looking address and phone."""
    from caseworker.app.session import initialise
    from caseworker.domain.users import StoreRole
    from tests.conftest import PASSPHRASE

    session, _ = initialise(tmp_path_factory.mktemp("store"), store_role=StoreRole.CENTRE, name="Konak KDM", district="Konak", user_name="ayse", passphrase=PASSPHRASE)
    directory_uc.load_sample(session)
    shelter = next(hit for hit in directory_uc.search(session, "") if hit.confidential)
    detail = directory_uc.get(session, shelter.id)
    new = directory_uc.new_id
    location = Location(new(), addresses=(Address(new(), SECRET_STREET, "Konak", "İzmir", "35000"),), phones=(Phone(new(), SECRET_PHONE),))
    directory_uc.edit(session, replace(detail.service, locations=(location,), phones=(Phone(new(), SECRET_PHONE),)), detail.organization)
    yield session
    session.close()


def _listed_names(session, district: str) -> list[str]:
    return [hit.name for hit in directory_uc.search(session, "", directory_uc.SearchFilters(district=district, with_citywide=False))]


@pytest.mark.parametrize("language", HANDOUT_LANGUAGES)
@pytest.mark.parametrize("district", SAMPLE_DISTRICTS + [""])
def test_each_pathway_is_one_page_with_the_lines_and_the_districts_services_and_no_secret(sample_store, tmp_path, district, language):
    result = pathways.write_pathway(sample_store, tmp_path / "pathway.pdf", district, language, today=TODAY)
    pages, pdfium_words = pdfium_text(result.data)
    assert pages == 1
    text = logical(pdftotext(result.path))
    for number in HOTLINES:
        assert number in text
    names = _listed_names(sample_store, district) if district else [hit.name for hit in directory_uc.search(sample_store, "")]
    assert names
    for name in names:
        if name.startswith(HOTLINES) or name.startswith("KADES"):
            continue  # national lines are on top, by number
        assert logical(name) in text, f"{name} missing from the {language} pathway of {district or 'the city'}"
        assert logical(name) in logical(pdfium_words)
    digits = "".join(ch for ch in SECRET_PHONE if ch.isdigit())
    assert SECRET_STREET not in text and digits not in "".join(ch for ch in text if ch.isdigit())
    assert SECRET_PHONE.encode() not in result.data and SECRET_STREET.encode() not in result.data
    sheet = handout(language)
    for sector in SECTORS:
        from caseworker.reports.pathway import SECTOR_LABELS

        assert logical(sheet.text(SECTOR_LABELS[sector.code])) in text


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_right_to_left_pages_read_back_in_logical_order_and_start_at_the_right(sample_store, tmp_path, language):
    result = pathways.write_pathway(sample_store, tmp_path / "rtl.pdf", "Konak", language, today=TODAY)
    sheet = handout(language)
    text = logical(pdftotext(result.path))
    _, pdfium_words = pdfium_text(result.data)
    for fixed in ("Steps", "National lines: free, at any hour", "Through ŞÖNİM / ALO 183; the address is confidential.",
                  "Translation to be reviewed by a native speaker.", "Health care", "Child protection"):
        assert logical(sheet.text(fixed)) in text, fixed
    assert logical(sheet.text("Steps")) in logical(pdfium_words)
    # The title starts at the right margin: its first word (in logical order) lies right of the middle.
    first_word = sheet.text("Referral pathway").split()[0]
    boxes = pdftotext(result.path, "-bbox")
    page_width = float(re.search(r'<page width="([0-9.]+)"', boxes).group(1))
    words = re.findall(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>', boxes)
    title = next((float(x_min), float(x_max)) for x_min, x_max, word in words
                 if logical(first_word) in (logical(word), logical(word[::-1])))  # -bbox gives a word as drawn
    assert title[0] > page_width / 2
    assert page_width - title[1] < 60  # within the right margin's reach


def test_the_turkish_pathway_says_what_to_do_where_a_district_has_no_service(sample_store, tmp_path):
    result = pathways.write_pathway(sample_store, tmp_path / "konak.pdf", "konak", "tr", today=TODAY)
    text = logical(pdftotext(result.path))
    assert result.district == "Konak"
    assert logical("Konak ilçesinde hizmet yok; en yakını:") in text
    assert logical("Örnek Şiddet Önleme ve İzleme Merkezi (ŞÖNİM) — Bornova") in text  # the nearest district's
    assert logical("Örnek Kadın Konukevi") in text and logical("ŞÖNİM / ALO 183 aracılığıyla; adres gizlidir.") in text
    assert "gözden geçirilecektir" not in text  # Turkish is the program's own text
    fonts = subprocess.run(["pdffonts", str(result.path)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts and "Helvetica" not in fonts


def test_an_arabic_page_embeds_naskh_and_a_latin_one_does_not_need_it(sample_store, tmp_path):
    arabic = pathways.write_pathway(sample_store, tmp_path / "ar.pdf", None, "ar", today=TODAY)
    kurmanji = pathways.write_pathway(sample_store, tmp_path / "kmr.pdf", None, "kmr", today=TODAY)
    assert "NotoNaskhArabic" in subprocess.run(["pdffonts", str(arabic.path)], capture_output=True, text=True).stdout
    assert "Naskh" not in subprocess.run(["pdffonts", str(kurmanji.path)], capture_output=True, text=True).stdout
    assert logical("Rêya şandinê: Îzmîr, hemû bajar") in logical(pdftotext(kurmanji.path))


def _crowded(per_sector: int):
    from caseworker.domain.directory import Service
    from caseworker.reports.pathway import PathwaySector, PathwayService, PathwayView

    def service(code: str, number: int) -> PathwayService:
        long_way = "Önce telefonla randevu alınır; başvuruda kimlik istenmez, tercüman talep edilebilir ve çocuklarla gelinebilir."
        entry = Service(f"{code}-{number}", "org", f"Örnek {code} hizmeti {number}", district="Konak", application_process=long_way,
                        phones=(Phone(f"p-{code}-{number}", f"0 232 {number:03d} 00 00"),))
        return PathwayService(entry, "Örnek Belediyesi")

    sectors = tuple(PathwaySector(sector.code, True, tuple(service(sector.code, n) for n in range(per_sector))) for sector in SECTORS)
    return PathwayView("Konak", (), sectors)


def test_a_crowded_pathway_is_set_smaller_and_an_impossible_one_is_refused():
    from caseworker.errors import InvalidInput
    from caseworker.reports.pathway import SCALES, render_pathway

    fitted = render_pathway(_crowded(3), "ar", reviewed=False, today=TODAY)
    assert fitted.pages == 1 and fitted.scale < 1.0 and fitted.scale >= SCALES[-1]
    with pytest.raises(InvalidInput):
        render_pathway(_crowded(12), "tr", reviewed=True, today=TODAY)
