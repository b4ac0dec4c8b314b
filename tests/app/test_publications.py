"""The coordinator publishes the catalogue and the directory; a centre applies them only when
they are signed by its pinned coordinator and newer than what it has."""

from __future__ import annotations

import json

import pytest

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import directory as directory_uc
from caseworker.app import publications
from caseworker.app import sync_keys, users
from caseworker.app.session import Credentials, unlock
from caseworker.domain.directory import Directory, Organization
from caseworker.domain.users import Role
from caseworker.errors import Conflict, InvalidInput, PermissionDenied
from caseworker.storage import audit
from caseworker.sync import bundle_file
from caseworker.sync.publications import Publication, seal
from tests.app.test_directory import contains_secret, fill, new_service, stored_directory
from tests.conftest import make_centre
from tests.hsds.samples import rich_directory

@pytest.fixture
def newer_catalogue(tmp_path):
    """Version 2 of the default catalogue, with one more form of violence, as a file."""
    data = json.loads(catalogue_uc.load_default_catalogue().to_json())
    data["version"] = 2
    violence = next(dimension for dimension in data["dimensions"] if dimension["code"] == "violence")
    violence["options"].append({"code": "honour", "labels": {"tr": "Namus adına", "en": "So-called honour"}})
    path = tmp_path / "catalogue-v2.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _services(session) -> dict[str, str]:
    return {service.id: service.source for service in stored_directory(session).services}


def test_a_new_catalogue_reaches_a_centre_only_as_the_coordinators_publication(pair, newer_catalogue, tmp_path):
    centre, coordinator = pair
    with pytest.raises(PermissionDenied):
        catalogue_uc.import_file(centre, newer_catalogue)  # a plain file: refused at a centre
    assert catalogue_uc.current(coordinator).version == 1
    catalogue_uc.import_file(coordinator, newer_catalogue)
    published = publications.publish_catalogue(coordinator, tmp_path / "catalogue.cwpub")
    assert (published.kind, published.serial) == ("catalogue", 2)
    applied = publications.apply_file(centre, published.path)
    assert applied.changed and catalogue_uc.current(centre).version == 2
    assert catalogue_uc.current(centre).dimension("violence").option("honour")
    with pytest.raises(Conflict):
        publications.apply_file(centre, published.path)  # the same file again changes nothing
    with centre.reading() as conn:
        assert audit.latest(conn)[0].action == "catalogue.apply"


def test_a_catalogue_version_already_in_use_is_accepted_without_change(pair, tmp_path):
    centre, coordinator = pair
    published = publications.publish_catalogue(coordinator, tmp_path / "v1.cwpub")
    applied = publications.apply_file(centre, published.path)
    assert not applied.changed and catalogue_uc.current(centre).version == 1
    assert publications.applied_summary(applied) == "Katalog sürümü 1 zaten kullanımdaydı; değiştirilecek bir şey yoktu."


def test_the_published_directory_replaces_the_coordinators_entries_and_keeps_local_ones(pair, tmp_path):
    centre, coordinator = pair
    fill(coordinator, rich_directory())
    local_organization = Organization(directory_uc.new_id(), "Bornova Belediyesi")
    local = directory_uc.add(centre, new_service(local_organization.id, district="bornova", categories=("womens_counselling_centre",)),
                             local_organization).service
    first = publications.publish_directory(coordinator, tmp_path / "directory-1.cwpub")
    content, _signature = bundle_file.unpack(first.path.read_bytes(), bundle_file.PUBLICATION)
    assert not contains_secret(content), "a confidential address or phone left the coordinator"
    applied = publications.apply_file(centre, first.path)
    assert applied.added == first.entries and applied.removed == 0
    sources = _services(centre)
    assert sources[local.id] == "local" and list(sources.values()).count("coordinator") == first.entries
    some_published = next(service_id for service_id, source in sources.items() if source == "coordinator")
    assert not directory_uc.get(centre, some_published).editable

    # The coordinator closes one service; the next publication takes it away at the centre.
    shrunk = stored_directory(coordinator)
    gone = shrunk.services[0]
    fill(coordinator, Directory(shrunk.organizations, shrunk.services[1:]))
    second = publications.publish_directory(coordinator, tmp_path / "directory-2.cwpub")
    assert second.serial == first.serial + 1
    applied = publications.apply_file(centre, second.path)
    assert applied.removed == 1 and gone.id not in _services(centre) and local.id in _services(centre)

    # Replaying the older publication would bring the closed service back: refused.
    with pytest.raises(Conflict):
        publications.apply_file(centre, first.path)
    assert gone.id not in _services(centre)


def test_a_publication_from_another_coordinator_or_altered_changes_nothing(pair, tmp_path, english):
    centre, coordinator = pair
    stranger = make_centre(tmp_path, "Başka", "Buca")  # any store's key that is not the pinned one
    try:
        foreign = tmp_path / "foreign.cwpub"
        foreign.write_bytes(seal(Publication("directory", 99, b"[]"), sync_keys.signing_key(stranger)))
    finally:
        stranger.close()
    before = _services(centre)
    with pytest.raises(InvalidInput, match="not signed by the coordinator"):
        publications.apply_file(centre, foreign)
    fill(coordinator, rich_directory())
    genuine = publications.publish_directory(coordinator, tmp_path / "genuine.cwpub").path
    truncated = tmp_path / "truncated.cwpub"
    truncated.write_bytes(genuine.read_bytes()[:-100])
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        publications.apply_file(centre, truncated)
    assert _services(centre) == before


def test_who_may_publish_and_apply(pair, tmp_path):
    centre, coordinator = pair
    with pytest.raises(PermissionDenied):
        publications.publish_directory(centre, tmp_path / "x.cwpub")
    published = publications.publish_catalogue(coordinator, tmp_path / "c.cwpub")
    with pytest.raises(PermissionDenied):
        publications.apply_file(coordinator, published.path)
    users.add_user(centre, "fatma", Role.CASEWORKER, "mavi deniz kırmızı kapı")
    caseworker = unlock(centre.home, Credentials("fatma", "mavi deniz kırmızı kapı"))
    try:
        with pytest.raises(PermissionDenied):
            publications.apply_file(caseworker, published.path)
    finally:
        caseworker.close()


def test_a_centre_that_has_not_pinned_its_coordinator_is_told_what_to_do(tmp_path, coordinator, english):
    lonely = make_centre(tmp_path, "Çiğli KDM", "Çiğli")
    try:
        published = publications.publish_catalogue(coordinator, tmp_path / "c.cwpub")
        with pytest.raises(InvalidInput, match="import the coordinator's profile first"):
            publications.apply_file(lonely, published.path)
    finally:
        lonely.close()


def test_an_empty_directory_is_not_published(coordinator, tmp_path, english):
    with pytest.raises(InvalidInput, match="directory is empty"):
        publications.publish_directory(coordinator, tmp_path / "empty.cwpub")
    assert not (tmp_path / "empty.cwpub").exists()


@pytest.mark.parametrize(
    "content",
    [catalogue_uc.load_default_catalogue().to_json().encode(), b"[]", json.dumps({"openapi": "3.0.0"}).encode()],
    ids=["a catalogue", "an empty list", "an API description"],
)
def test_a_directory_publication_that_is_not_the_coordinators_directory_changes_nothing(pair, tmp_path, content, english):
    centre, coordinator = pair
    fill(coordinator, rich_directory())
    publications.apply_file(centre, publications.publish_directory(coordinator, tmp_path / "genuine.cwpub").path)
    before = _services(centre)
    assert "coordinator" in before.values()
    hostile = tmp_path / "hostile.cwpub"
    hostile.write_bytes(seal(Publication("directory", 2, content), sync_keys.signing_key(coordinator)))
    with pytest.raises(InvalidInput, match="nothing was changed"):
        publications.apply_file(centre, hostile)
    assert _services(centre) == before


def test_pinning_another_coordinator_resets_the_serials_and_says_so(pair, tmp_path):
    from caseworker.app.session import initialise
    from caseworker.domain.users import StoreRole
    from tests.conftest import PASSPHRASE

    centre, coordinator = pair
    fill(coordinator, rich_directory())
    for _ in range(3):
        published = publications.publish_directory(coordinator, tmp_path / "old.cwpub")
    publications.apply_file(centre, published.path)
    successor, _ = initialise(tmp_path / "successor", store_role=StoreRole.COORDINATOR, name="Yeni Birim", district="", user_name="koord", passphrase=PASSPHRASE)
    try:
        fill(successor, rich_directory())
        first = publications.publish_directory(successor, tmp_path / "new.cwpub")
        profile = sync_keys.profile(successor)
    finally:
        successor.close()
    sync_keys.pin_profile(centre, profile, profile.fingerprint)
    assert first.serial == 1
    assert publications.apply_file(centre, first.path).serial == 1
    with centre.reading() as conn:
        assert any(entry.action == "publications.reset" for entry in audit.latest(conn))
