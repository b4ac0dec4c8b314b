"""Directory use cases: exchange round trips through the store, HSDS conformance, confidentiality,
all-or-nothing imports, who may do what, validation, review."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from jsonschema import Draft202012Validator

from caseworker.app import directory as directory_uc
from caseworker.app import users
from caseworker.app.directory import SearchFilters
from caseworker.app.session import Credentials, initialise, unlock
from caseworker.domain.directory import Address, Directory, Location, Organization, Phone, Schedule, Service, redact_confidential
from caseworker.hsds.files import load_sample_directory
from caseworker.hsds.writing import export_hsds_json
from caseworker.domain.users import Role, StoreRole
from caseworker.errors import AlreadyExists, Conflict, InvalidInput, NotFound, PermissionDenied
from caseworker.storage import audit
from caseworker.storage import directory as directory_repo
from tests.conftest import PASSPHRASE
from tests.hsds.samples import REFERENCE, SECRET_PHONE, SECRET_STREET, TableChecker, format_checker, rich_directory, schema_registry

CASEWORKER_PASSPHRASE = "mavi deniz kırmızı kapı"
TODAY = date(2026, 3, 4)

needs_reference = pytest.mark.usefixtures("hsds_reference")


def stored_directory(session) -> Directory:
    with session.reading() as conn:
        return directory_repo.load(conn)


def fill(session, directory: Directory) -> None:
    """Put ``directory`` in the store as it is (confidential parts included)."""
    with session.transaction() as conn:
        directory_repo.save(conn, directory, "2026-01-01T00:00:00+00:00")


@pytest.fixture
def rich(centre) -> Directory:
    directory = rich_directory()
    fill(centre.session, directory)
    return directory


@pytest.fixture
def empty_store(tmp_path):
    session, _ = initialise(tmp_path / "other", store_role=StoreRole.CENTRE, name="Buca KDM", district="Buca", user_name="zeynep", passphrase=PASSPHRASE)
    yield session
    session.close()


@pytest.fixture
def caseworker(centre):
    users.add_user(centre.session, "fatma", Role.CASEWORKER, CASEWORKER_PASSPHRASE)
    session = unlock(centre.home, Credentials("fatma", CASEWORKER_PASSPHRASE))
    yield session
    session.close()


def contains_secret(data: bytes) -> bool:
    digits = "".join(ch for ch in SECRET_PHONE if ch.isdigit())
    flat = "".join(ch for ch in data.decode("utf-8") if ch.isdigit())
    return SECRET_PHONE.encode() in data or SECRET_STREET.encode() in data or digits in flat


# --- exchange -----------------------------------------------------------------------------------


@pytest.mark.parametrize("format", directory_uc.FORMATS)
def test_export_import_into_an_empty_store_export_gives_the_same_content(centre, rich, empty_store, tmp_path, format):
    first = tmp_path / ("first.json" if format == "hsds-json" else "first")
    second = tmp_path / ("second.json" if format == "hsds-json" else "second")
    written = directory_uc.export(centre.session, first, format)
    report = directory_uc.import_file(empty_store, first)
    assert report.added == len(rich.services) and report.updated == 0 and report.skipped == ()
    again = directory_uc.export(empty_store, second, format)
    assert len(written) == len(again) and (format == "hsds-json" or [p.name for p in written] == [p.name for p in again])
    for one, other in zip(written, again):
        assert one.read_bytes() == other.read_bytes(), one.name
    assert stored_directory(empty_store) == redact_confidential(rich)


@needs_reference
def test_exports_pass_the_official_hsds_schemas(centre, rich, tmp_path):
    (path,) = directory_uc.export(centre.session, tmp_path / "directory.json", "hsds-json")
    services = json.loads(path.read_text(encoding="utf-8"))
    schemas, registry = schema_registry()
    compiled = json.loads((REFERENCE / "schema" / "compiled" / "service.json").read_text(encoding="utf-8"))
    validators = [
        Draft202012Validator(schemas["service.json"], registry=registry, format_checker=format_checker()),
        Draft202012Validator(compiled, format_checker=format_checker()),
    ]
    assert len(services) == len(rich.services)
    assert [f"{error.json_path}: {error.message}" for v in validators for service in services for error in v.iter_errors(service)] == []
    broken = dict(services[0], id="not-a-uuid")
    assert all(list(v.iter_errors(broken)) for v in validators)  # the validators do check
    directory_uc.export(centre.session, tmp_path / "package", "hsds-csv")
    official = json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8"))
    assert TableChecker(official, tmp_path / "package").problems() == []


def test_no_confidential_address_or_phone_in_any_export_or_search_result(centre, rich, tmp_path):
    assert contains_secret(json.dumps([str(s) for s in rich.services], ensure_ascii=False).encode())  # the check can see it
    exported = directory_uc.export(centre.session, tmp_path / "d.json", "hsds-json") + directory_uc.export(centre.session, tmp_path / "csv", "hsds-csv")
    assert len(exported) > 5
    for path in exported:
        assert not contains_secret(path.read_bytes()), path.name
    hits = directory_uc.search(centre.session, "örnek")
    assert any(hit.confidential for hit in hits)
    assert not contains_secret(repr(hits).encode())
    for detail in directory_uc.printable(centre.session, [hit.id for hit in hits]) + directory_uc.hotlines(centre.session):
        assert detail.redacted and not contains_secret(repr(detail).encode())


def test_get_shows_the_confidential_details_to_the_user_marked(centre, rich):
    secret = next(s for s in rich.services if s.confidential and any(p.number == SECRET_PHONE for p in s.phones))
    detail = directory_uc.get(centre.session, secret.id, today=TODAY)
    assert detail.confidential and not detail.redacted
    assert detail.service == secret and contains_secret(repr(detail.service).encode())
    (printed,) = directory_uc.printable(centre.session, [secret.id])
    assert printed.confidential and printed.service.phones == () and not contains_secret(repr(printed).encode())
    with pytest.raises(NotFound):
        directory_uc.get(centre.session, str(uuid.uuid4()))


def test_reimporting_our_own_export_keeps_the_confidential_details(centre, rich, tmp_path):
    directory_uc.export(centre.session, tmp_path / "d.json", "hsds-json")
    report = directory_uc.import_file(centre.session, tmp_path / "d.json")
    assert report.added == 0 and report.updated == 0 and report.unchanged == len(rich.services)
    assert stored_directory(centre.session) == rich


@pytest.mark.parametrize(
    "content",
    [
        "[{\"id\": \"x\", \"name\": ",  # truncated JSON
        json.dumps([{"id": "4b7a4a47-3c0b-4a8c-9f52-4c1d0a0e0a01", "status": "active"}]),  # a service without a name
        "\"just a string\"",
        json.dumps([{"id": "4b7a4a47-3c0b-4a8c-9f52-4c1d0a0e0a02", "name": "X", "status": "sleeping", "organization": {"id": "4b7a4a47-3c0b-4a8c-9f52-4c1d0a0e0a03", "name": "Y"}}]),
    ],
)
def test_a_bad_import_file_changes_nothing(centre, rich, tmp_path, content):
    before = stored_directory(centre.session)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput):
        directory_uc.import_file(centre.session, bad)
    assert stored_directory(centre.session) == before
    with centre.session.reading() as conn:
        assert not any(entry.action == "directory.import" for entry in audit.latest(conn))


def test_an_import_that_conflicts_with_the_store_changes_nothing(centre, rich, tmp_path):
    """The file is valid alone, but reuses the id of a stored phone for another owner."""
    before = stored_directory(centre.session)
    taken = next(phone.id for service in rich.services if not service.confidential for phone in service.phones)
    organization = Organization(str(uuid.uuid4()), "Yeni Kurum")
    newcomer = Service(str(uuid.uuid4()), organization.id, "Yeni Hizmet", phones=(Phone(taken, "0 232 999 99 99"),))
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(export_hsds_json(Directory((organization,), (newcomer,)))), encoding="utf-8")
    with pytest.raises(InvalidInput):
        directory_uc.import_file(centre.session, path)
    assert stored_directory(centre.session) == before


def test_import_reports_what_was_skipped_and_a_missing_path(centre, tmp_path):
    data = export_hsds_json(load_sample_directory())
    data[0]["wait_time"] = "2 gün"
    path = tmp_path / "with-extra.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = directory_uc.import_file(centre.session, path)
    assert report.added == len(data) and any("wait_time" in note for note in report.skipped)
    with pytest.raises(NotFound):
        directory_uc.import_file(centre.session, tmp_path / "nowhere.json")


def test_export_refuses_an_unknown_format_and_a_wrong_target(centre, rich, tmp_path):
    with pytest.raises(InvalidInput):
        directory_uc.export(centre.session, tmp_path / "x", "xml")
    with pytest.raises(InvalidInput):
        directory_uc.export(centre.session, tmp_path, "hsds-json")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InvalidInput):
        directory_uc.export(centre.session, tmp_path / "file.txt", "hsds-csv")


def test_the_sample_loads_once_and_again_safely(centre):
    first = directory_uc.load_sample(centre.session)
    assert first.added == len(load_sample_directory().services)
    second = directory_uc.load_sample(centre.session)
    assert second.added == second.updated == 0 and second.unchanged == first.added
    assert [hotline.service.name for hotline in directory_uc.hotlines(centre.session)][:4] == ["112 Acil Çağrı", "155 Polis İmdat", "156 Jandarma İmdat", "ALO 183 Sosyal Destek Hattı"]


# --- who may do what ----------------------------------------------------------------------------


def new_service(organization_id: str, name: str = "Bornova Kadın Danışma", **fields) -> Service:
    fields.setdefault("phones", (Phone(directory_uc.new_id(), "0 232 123 45 67"),))
    return Service(directory_uc.new_id(), organization_id, name, **fields)


def test_a_caseworker_looks_up_adds_edits_and_verifies_but_does_not_import_or_export(centre, caseworker, tmp_path):
    directory_uc.load_sample(centre.session)
    organization = Organization(directory_uc.new_id(), "Bornova Belediyesi")
    entry = new_service(organization.id, district="bornova", categories=("womens_counselling_centre",))
    added = directory_uc.add(caseworker, entry, organization, today=TODAY)
    assert added.service.district == "Bornova" and added.editable and added.needs_review
    assert directory_uc.search(caseworker, "bornova kadin")[0].id == entry.id
    edited = directory_uc.edit(caseworker, replace(added.service, name="Bornova Kadın Danışma Merkezi"), today=TODAY)
    assert edited.service.name == "Bornova Kadın Danışma Merkezi"
    assert not directory_uc.mark_verified(caseworker, entry.id, today=TODAY).needs_review
    with pytest.raises(PermissionDenied):
        directory_uc.import_file(caseworker, tmp_path / "any.json")
    with pytest.raises(PermissionDenied):
        directory_uc.export(caseworker, tmp_path / "out.json")
    with pytest.raises(PermissionDenied):
        directory_uc.load_sample(caseworker)
    with centre.session.reading() as conn:
        actions = [(e.actor, e.action, e.subject) for e in audit.latest(conn)]
    assert ("fatma", "directory.add", entry.id) in actions and ("fatma", "directory.verify", entry.id) in actions


def test_entries_from_the_coordinator_are_read_only_at_a_centre(centre, tmp_path):
    published = load_sample_directory()
    from_coordinator = Directory(published.organizations, tuple(replace(s, source="coordinator") for s in published.services))
    path = tmp_path / "coordinator.json"
    path.write_text(json.dumps(export_hsds_json(from_coordinator), ensure_ascii=False), encoding="utf-8")
    directory_uc.import_file(centre.session, path)
    entry = published.services[0]
    detail = directory_uc.get(centre.session, entry.id)
    assert detail.service.source == "coordinator" and not detail.editable
    for attempt in (
        lambda: directory_uc.edit(centre.session, replace(detail.service, name="Değişti")),
        lambda: directory_uc.mark_verified(centre.session, entry.id),
        lambda: directory_uc.remove(centre.session, entry.id),
    ):
        with pytest.raises(Conflict):
            attempt()
    assert directory_uc.get(centre.session, entry.id).service == detail.service


# --- validation ---------------------------------------------------------------------------------


@pytest.fixture
def organization(centre) -> Organization:
    organization = Organization(directory_uc.new_id(), "Konak Belediyesi")
    directory_uc.add(centre.session, new_service(organization.id, "İlk Kayıt"), organization)
    return organization


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"district": "Kadıköy"}, "Kadıköy"),
        ({"phones": ()}, "phone"),
        ({"phones": ("0 232 ABC",)}, "0 232 ABC"),
        ({"url": "www.example.org", "phones": ()}, "www.example.org"),
        ({"email": "kdm-at-example.org"}, "kdm-at-example.org"),
        ({"verified_at": TODAY + timedelta(days=1)}, "2026-03-05"),
        ({"id": "kayit-1"}, "kayit-1"),
    ],
)
def test_add_refuses_what_would_be_wrong_and_says_what(centre, organization, english, change, message):
    if change.get("phones") and isinstance(change["phones"][0], str):
        change = {"phones": (Phone(directory_uc.new_id(), change["phones"][0]),)}
    entry = replace(new_service(organization.id), **change)
    before = stored_directory(centre.session)
    with pytest.raises(InvalidInput) as raised:
        directory_uc.add(centre.session, entry, today=TODAY)
    assert message in str(raised.value)
    assert stored_directory(centre.session) == before


def test_add_refuses_a_duplicate_and_an_unknown_organization(centre, organization):
    entry = new_service(organization.id)
    directory_uc.add(centre.session, entry)
    with pytest.raises(AlreadyExists):
        directory_uc.add(centre.session, entry)
    with pytest.raises(NotFound):
        directory_uc.add(centre.session, new_service(directory_uc.new_id()))
    with pytest.raises(NotFound):
        directory_uc.edit(centre.session, new_service(organization.id))


def test_editing_a_shared_place_changes_it_for_every_entry(centre, organization):
    place = Location(directory_uc.new_id(), "Belediye binası", addresses=(Address(directory_uc.new_id(), "Cumhuriyet Bulvarı 1", "Konak", "İzmir", "35250"),))
    first = new_service(organization.id, "Hukuk Danışma", locations=(place,))
    second = new_service(organization.id, "Psikolojik Danışma", locations=(place,))
    directory_uc.add(centre.session, first)
    directory_uc.add(centre.session, second)
    moved = replace(place, addresses=(replace(place.addresses[0], address_1="Gazi Bulvarı 9"),))
    directory_uc.edit(centre.session, replace(first, locations=(moved,)))
    assert directory_uc.get(centre.session, second.id).service.locations == (moved,)
    assert directory_uc.search(centre.session, "gazi bulvari")[0].name in ("Hukuk Danışma", "Psikolojik Danışma")
    directory_uc.remove(centre.session, first.id)
    assert [hit.name for hit in directory_uc.search(centre.session, "danışma")] == ["Psikolojik Danışma"]


def _place(name: str = "Belediye binası", street: str = "Cumhuriyet Bulvarı 1") -> Location:
    return Location(directory_uc.new_id(), name, addresses=(Address(directory_uc.new_id(), street, "Konak", "İzmir", "35250"),))


def _conflicting(stored: Service, organization: Organization) -> dict[str, tuple[Service, str]]:
    """Entries that break a rule of the directory against ``stored`` alone, with what is said."""
    phone, schedule, place = stored.phones[0], stored.schedules[0], stored.locations[0]
    elsewhere = _place("Başka bina")
    return {
        "a phone id with another number": (new_service(organization.id, phones=(replace(phone, number="0 232 999 99 99"),)), "Two different phone records share the id"),
        "the same phone on two entries": (new_service(organization.id, phones=(phone,)), f"The phone record {phone.id} belongs to two different entries."),
        "a schedule on two entries": (new_service(organization.id, schedules=(schedule,)), f"The schedule record {schedule.id} belongs to two different entries."),
        "an address in two places": (new_service(organization.id, locations=(replace(elsewhere, addresses=place.addresses),)), "The address record"),
        "an address id with another street": (
            new_service(organization.id, locations=(replace(elsewhere, addresses=(replace(place.addresses[0], address_1="Başka Sokak 2"),)),)),
            "Two different address records share the id",
        ),
    }


@pytest.mark.parametrize("case", ["a phone id with another number", "the same phone on two entries", "a schedule on two entries", "an address in two places",
                                  "an address id with another street"])
def test_a_change_is_checked_against_the_stored_entries_it_meets(centre, organization, english, case):
    stored = new_service(organization.id, "Kayıtlı Nokta", schedules=(Schedule(directory_uc.new_id(), byday="MO"),), locations=(_place(),))
    directory_uc.add(centre.session, stored)
    entry, message = _conflicting(stored, organization)[case]
    before = stored_directory(centre.session)
    with pytest.raises(InvalidInput) as raised:
        directory_uc.add(centre.session, entry)
    assert message in str(raised.value)
    first = before.services[0]  # the organization's first entry, edited into the same
    with pytest.raises(InvalidInput) as raised:
        directory_uc.edit(centre.session, replace(first, phones=entry.phones, schedules=entry.schedules, locations=entry.locations))
    assert message in str(raised.value)
    assert stored_directory(centre.session) == before


def test_an_organization_is_checked_against_the_stored_entries_it_meets(centre, organization, english):
    stored = new_service(organization.id, "Kayıtlı Nokta")
    directory_uc.add(centre.session, stored)
    other = Organization(directory_uc.new_id(), "Başka Dernek", phones=(stored.phones[0],))
    before = stored_directory(centre.session)
    # the same phone may be an entry's and an organization's, once each
    directory_uc.add(centre.session, new_service(other.id, "Dernek Noktası"), other)
    taken = Organization(directory_uc.new_id(), "Üçüncü Dernek", phones=(stored.phones[0],))
    with pytest.raises(InvalidInput) as raised:
        directory_uc.add(centre.session, new_service(taken.id, "Üçüncü Nokta"), taken)
    assert f"The phone record {stored.phones[0].id} belongs to two different entries." == str(raised.value)
    assert [service.name for service in stored_directory(centre.session).services] == [service.name for service in before.services] + ["Dernek Noktası"]


def test_changes_one_by_one_leave_the_store_as_saving_the_whole_directory_would(centre, organization, empty_store):
    shared = _place("Gazi Bulvarı binası", "Gazi Bulvarı 9")
    shelter = new_service(organization.id, "Sığınma Evi", confidential=True, locations=(shared,))
    office = new_service(organization.id, "Hukuk Ofisi", locations=(shared,))
    other = new_service(organization.id, "Psikolojik Destek", locations=(_place(),))
    for entry in (office, other, shelter):
        directory_uc.add(centre.session, entry, today=TODAY)
    directory_uc.edit(centre.session, replace(other, name="Psikolojik Danışma"), replace(organization, name="Karşıyaka Belediyesi"), today=TODAY)
    directory_uc.mark_verified(centre.session, office.id, today=TODAY)

    def compare() -> None:
        current = stored_directory(centre.session)
        fill(empty_store, current)
        for query in ("gazi", "karsiyaka belediyesi", "konak belediyesi", "belediye binasi", "psikolojik", "sigınma", "hukuk"):
            assert [hit.name for hit in directory_uc.search(centre.session, query)] == [hit.name for hit in directory_uc.search(empty_store, query)], query
        assert _index_rows(centre.session) == _index_rows(empty_store)

    compare()
    assert directory_uc.search(centre.session, "gazi") == []  # the place is a shelter's: hidden for every entry
    directory_uc.remove(centre.session, shelter.id)
    compare()
    assert [hit.name for hit in directory_uc.search(centre.session, "gazi")] == ["Hukuk Ofisi"]


def _index_rows(session) -> tuple[list, list, list]:
    """What the search and the rules read, by service id, whatever the row numbers."""
    with session.reading() as conn:
        keys = conn.execute(
            "SELECT s.id, k.name_key, k.other_key, k.description_key, k.sort_key FROM directory_search_keys k JOIN directory_services s ON s.seq = k.seq ORDER BY s.id"
        ).fetchall()
        terms = conn.execute("SELECT s.id, t.kind, t.key FROM directory_service_terms t JOIN directory_services s ON s.seq = t.seq ORDER BY 1, 2, 3").fetchall()
        records = conn.execute("SELECT * FROM directory_records ORDER BY kind, id, holder_kind, holder_id, owner_kind, owner_id").fetchall()
    return keys, terms, records


# --- search and review through the use cases ----------------------------------------------------


def test_search_filters_take_loosely_typed_districts_and_category_names(centre):
    directory_uc.load_sample(centre.session)
    hits = directory_uc.search(centre.session, "", SearchFilters(district="KARSIYAKA", category="Baro adli yardım"))
    assert [hit.name for hit in hits] == ["Örnek Baro Adli Yardım Bürosu"]
    assert hits[0].district == "Karşıyaka" and hits[0].sample
    with pytest.raises(InvalidInput):
        directory_uc.search(centre.session, "", SearchFilters(category="uzay"))
    open_sunday_night = directory_uc.search(centre.session, "", SearchFilters(open_at=datetime.combine(date(2026, 3, 8), time(23))))
    assert "112 Acil Çağrı" in [hit.name for hit in open_sunday_night]
    assert "Örnek Belediye Kreşi" not in [hit.name for hit in open_sunday_night]
    assert len(directory_uc.search(centre.session, "örnek", limit=3)) == 3


def test_review_lists_entries_unverified_for_180_days_and_verifying_clears_them(centre, organization):
    fresh = new_service(organization.id, "Taze", verified_at=TODAY - timedelta(days=179))
    due = new_service(organization.id, "Vakti Gelmiş", verified_at=TODAY - timedelta(days=180))
    never = new_service(organization.id, "Hiç Bakılmamış")
    for entry in (fresh, due, never):
        directory_uc.add(centre.session, entry, today=TODAY)
    listed = [hit.name for hit in directory_uc.entries_needing_review(centre.session, TODAY)]
    assert listed[:2] == ["Hiç Bakılmamış", "İlk Kayıt"] and "Vakti Gelmiş" in listed and "Taze" not in listed
    assert all(hit.needs_review for hit in directory_uc.entries_needing_review(centre.session, TODAY))
    directory_uc.mark_verified(centre.session, due.id, today=TODAY)
    assert "Vakti Gelmiş" not in [hit.name for hit in directory_uc.entries_needing_review(centre.session, TODAY)]
    assert [hit.needs_review for hit in directory_uc.search(centre.session, "taze", today=TODAY)] == [False]


def test_districts_offer_izmir_first_then_others_stored(centre, rich):
    offered = directory_uc.districts(centre.session)
    assert offered[:2] == ["Aliağa", "Balçova"] and len(offered) == len(set(offered)) >= 30


def test_a_schedule_makes_open_now_in_the_detail(centre, organization):
    weekdays = Schedule(directory_uc.new_id(), byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
    entry = new_service(organization.id, schedules=(weekdays,))
    directory_uc.add(centre.session, entry)
    assert directory_uc.get(centre.session, entry.id, now=datetime(2026, 3, 4, 10)).open_now
    assert not directory_uc.get(centre.session, entry.id, now=datetime(2026, 3, 4, 18)).open_now
