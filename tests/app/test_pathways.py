"""Referral pathways through the use cases: the coordinator publishes them with the directory and
a centre prints the same page; older publications still apply; a supervisor marks a handout
language reviewed, and the audit says so."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest

from caseworker.app import directory as directory_uc
from caseworker.app import pathways, publications, sync_keys, users
from caseworker.app.session import Credentials, unlock
from caseworker.domain.directory import Organization
from caseworker.domain.users import Role
from caseworker.errors import InvalidInput, PermissionDenied
from caseworker.storage import audit
from caseworker.sync import bundle_file
from caseworker.sync.publications import Publication, seal
from tests.app.test_directory import new_service
from tests.reports.test_pathway import logical

TODAY = date(2026, 12, 2)


def _text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def published(pair, tmp_path):
    """The coordinator's sample directory published and applied at the Konak centre, which has
    a local entry of its own in Konak."""
    centre, coordinator = pair
    directory_uc.load_sample(coordinator)
    organization = Organization(directory_uc.new_id(), "Konak Belediyesi")
    local = directory_uc.add(centre, new_service(organization.id, "Konak Yerel Danışma", district="Konak", categories=("psychological_support",)), organization).service
    before = pathways.pathway_pdf(centre, "Konak", "tr", today=TODAY)
    assert local.name in _text(before.data, tmp_path, "before.pdf")  # derived from the centre's own directory
    publication = publications.publish_directory(coordinator, tmp_path / "directory.cwpub")
    publications.apply_file(centre, publication.path)
    return centre, coordinator, publication, local


@pytest.mark.parametrize("district", ["Konak", "Çiğli", None])
@pytest.mark.parametrize("language", ["tr", "ar", "kmr"])
def test_a_pathway_published_by_the_coordinator_prints_identically_at_the_centre(published, tmp_path, district, language):
    centre, coordinator, publication, local = published
    at_coordinator = pathways.pathway_pdf(coordinator, district, language, today=TODAY)
    at_centre = pathways.pathway_pdf(centre, district, language, today=TODAY)
    coordinator_text = _text(at_coordinator.data, tmp_path, "coordinator.pdf")
    centre_text = _text(at_centre.data, tmp_path, "centre.pdf")
    assert centre_text == coordinator_text
    assert at_centre.publication == at_coordinator.publication == publication.serial
    assert local.name not in centre_text  # the centre prints the coordinator's pathway, not its own additions


def test_the_publication_carries_the_definitions_and_no_secret(published, tmp_path):
    _, _, publication, _ = published
    content, _ = bundle_file.unpack(publication.path.read_bytes(), bundle_file.PUBLICATION)
    document = json.loads(content)
    assert document["format"] == publications.DIRECTORY_FORMAT and isinstance(document["directory"], list)
    districts = [item["district"] for item in document["pathways"]["pathways"]]
    assert districts[0] == "" and "Konak" in districts and len(districts) == 31
    assert b"0 000 000 00 00" not in content  # the sample shelter's placeholder phone


def test_the_coordinators_page_says_publication_only_while_it_matches_what_was_published(published, tmp_path):
    _, coordinator, publication, _ = published
    assert pathways.pathway_pdf(coordinator, "Buca", "tr", today=TODAY).publication == publication.serial
    organization = Organization(directory_uc.new_id(), "Buca Belediyesi")
    directory_uc.add(coordinator, new_service(organization.id, "Buca Yeni Kreş", district="Buca", categories=("childcare",)), organization)
    changed = pathways.pathway_pdf(coordinator, "Buca", "tr", today=TODAY)
    assert changed.publication is None and "Buca Yeni Kreş" in _text(changed.data, tmp_path, "buca.pdf")
    assert pathways.pathway_pdf(coordinator, "Çiğli", "tr", today=TODAY).publication == publication.serial  # its nearest kreş is still Karabağlar


def test_an_older_publication_without_pathways_still_applies_and_the_centre_derives_them(pair, tmp_path):
    centre, coordinator = pair
    directory_uc.load_sample(coordinator)
    with coordinator.reading() as conn:
        from caseworker.storage import directory as directory_repo

        directory = directory_repo.load(conn)
    old = tmp_path / "old.cwpub"
    old.write_bytes(seal(Publication("directory", 1, directory_uc.hsds_json_bytes(directory)), sync_keys.signing_key(coordinator)))
    applied = publications.apply_file(centre, old)
    assert applied.added == len(directory.services)
    result = pathways.pathway_pdf(centre, "Bornova", "tr", today=TODAY)
    assert result.publication is None
    assert "Örnek Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)" in _text(result.data, tmp_path, "bornova.pdf")


def test_a_publication_whose_pathway_names_an_unpublished_service_changes_nothing(pair, tmp_path, english):
    centre, coordinator = pair
    directory_uc.load_sample(coordinator)
    genuine = publications.publish_directory(coordinator, tmp_path / "genuine.cwpub")
    content, _ = bundle_file.unpack(genuine.path.read_bytes(), bundle_file.PUBLICATION)
    document = json.loads(content)
    document["pathways"]["pathways"][1]["sectors"][0]["services"].append("not-a-published-service")
    hostile = tmp_path / "hostile.cwpub"
    hostile.write_bytes(seal(Publication("directory", 2, json.dumps(document).encode()), sync_keys.signing_key(coordinator)))
    with pytest.raises(InvalidInput, match="nothing was changed"):
        publications.apply_file(centre, hostile)
    assert pathways.pathway_pdf(centre, "Konak", "tr").publication is None


def test_a_supervisor_marks_a_language_reviewed_and_the_sheet_stops_saying_it_is_to_be_reviewed(centre, tmp_path):
    session = centre.session
    directory_uc.load_sample(session)
    languages = {item.code: item for item in pathways.handout_languages(session)}
    assert languages["tr"].reviewed and languages["en"].reviewed and not languages["ar"].reviewed
    wording = logical("ترجمة بانتظار مراجعة متحدث أصلي")
    assert wording in logical(_text(pathways.pathway_pdf(session, "Konak", "ar").data, tmp_path, "before.pdf"))
    users.add_user(session, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    caseworker = unlock(centre.home, Credentials("fatma", "mavi deniz kırmızı kapı"))
    try:
        with pytest.raises(PermissionDenied):
            pathways.mark_reviewed(caseworker, "ar")
    finally:
        caseworker.close()
    with pytest.raises(InvalidInput):
        pathways.mark_reviewed(session, "tr")
    pathways.mark_reviewed(session, "ar")
    assert pathways.is_reviewed(session, "ar") and not pathways.is_reviewed(session, "fa")
    assert wording not in logical(_text(pathways.pathway_pdf(session, "Konak", "ar").data, tmp_path, "after.pdf"))
    with session.reading() as conn:
        actions = [(entry.action, entry.subject) for entry in audit.latest(conn, 20)]
    assert ("handouts.reviewed", "ar") in actions
    pathways.mark_reviewed(session, "ar", reviewed=False)
    assert not pathways.is_reviewed(session, "ar")


def test_the_coordinators_note_on_a_sector_reaches_the_centre_with_the_publication(pair, tmp_path):
    centre, coordinator = pair
    directory_uc.load_sample(coordinator)
    note = "Baro nöbetçi avukatı Salı günleri ilçede."
    pathways.set_note(coordinator, "konak", "legal", note)
    with pytest.raises(PermissionDenied):
        pathways.set_note(centre, "Konak", "legal", "yerel not")
    with pytest.raises(InvalidInput):
        pathways.set_note(coordinator, "Konak", "weather", "yağmur")
    publication = publications.publish_directory(coordinator, tmp_path / "with-note.cwpub")
    publications.apply_file(centre, publication.path)
    at_centre = _text(pathways.pathway_pdf(centre, "Konak", "ar", today=TODAY).data, tmp_path, "centre.pdf")
    assert logical(note) in logical(at_centre)
    assert at_centre == _text(pathways.pathway_pdf(coordinator, "Konak", "ar", today=TODAY).data, tmp_path, "coordinator.pdf")
    assert logical(note) not in logical(_text(pathways.pathway_pdf(centre, "Buca", "tr", today=TODAY).data, tmp_path, "buca.pdf"))
    pathways.set_note(coordinator, "Konak", "legal", "")
    assert logical(note) not in logical(_text(pathways.pathway_pdf(coordinator, "Konak", "tr", today=TODAY).data, tmp_path, "removed.pdf"))
