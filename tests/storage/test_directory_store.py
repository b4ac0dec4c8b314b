"""The directory repository: exact round trips, writing only what changed, Turkish-aware search,
ranking, filters, Turkish order, and no confidential text in the search index."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.domain.directory import Address, Directory, Language, Location, Organization, Phone, Schedule, Service
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.hsds.files import load_sample_directory
from caseworker.domain.text import tr_sort_key
from caseworker.storage import database, migrations
from caseworker.storage import directory as repo
from caseworker.storage.directory import SearchQuery, Tier
from tests.hsds.samples import SECRET_PHONE, SECRET_STREET, rich_directory

NOW = "2026-01-01T00:00:00+00:00"
ORG = Organization(str(uuid.uuid4()), "Ege Kadın Dayanışma Vakfı")


KEY = os.urandom(32)


@pytest.fixture
def conn(tmp_path):
    connection = database.connect(tmp_path / "directory.db", KEY)
    migrations.migrate(connection)
    yield connection
    connection.close()


def service(name: str, **fields) -> Service:
    return Service(str(uuid.uuid4()), fields.pop("organization_id", ORG.id), name, **fields)


def stored(conn, *services: Service, organizations: tuple[Organization, ...] = (ORG,)) -> Directory:
    directory = Directory(organizations, services)
    repo.save(conn, directory, NOW)
    return directory


def names(conn, text: str = "", **query) -> list[str]:
    return [row.name for row in repo.search(conn, SearchQuery(text=text, **query))]


# --- storage ------------------------------------------------------------------------------------


def test_a_saved_directory_reads_back_exactly_confidential_parts_included(conn):
    directory = rich_directory()
    repo.save(conn, directory, NOW)
    assert repo.load(conn) == directory
    secret = next(s for s in directory.services if s.confidential and s.phones and s.phones[0].number == SECRET_PHONE)
    assert repo.service(conn, secret.id) == secret  # the store keeps what exports leave out
    assert repo.organization(conn, secret.organization_id) == directory.organization(secret.organization_id)
    assert repo.service(conn, "no-such-id") is None


def test_save_writes_only_what_changed_and_keeps_the_order(conn):
    directory = load_sample_directory()
    first = repo.save(conn, directory, NOW)
    assert len(first.added) == len(directory.services) and first.updated == first.removed == ()
    assert repo.save(conn, directory, NOW) == repo.Changes(unchanged=len(directory.services))

    changed = replace(directory.services[3], name="ALO 183 Destek Hattı")
    reordered = (changed,) + directory.services[:3] + directory.services[5:]
    result = repo.save(conn, Directory(directory.organizations, reordered), NOW)
    assert result.updated == (changed.id,) and result.removed == (directory.services[4].id,) and result.added == ()
    assert repo.load(conn) == Directory(directory.organizations, reordered)
    assert names(conn, "destek hatti")[0] == "ALO 183 Destek Hattı"
    assert names(conn, "kades") == []  # the removed entry is gone from the index too


def test_renaming_an_organization_refreshes_its_services_in_search(conn):
    entry = service("Hukuk Danışma", phones=(Phone(str(uuid.uuid4()), "0 232 000 00 01"),))
    stored(conn, entry)
    assert names(conn, "dayanisma") == ["Hukuk Danışma"]
    renamed = replace(ORG, name="Ege Barosu")
    changes = repo.save(conn, Directory((renamed,), (entry,)), NOW)
    assert changes.updated == (entry.id,)
    assert names(conn, "dayanisma") == [] and names(conn, "ege barosu") == ["Hukuk Danışma"]
    assert repo.search(conn, SearchQuery("hukuk"))[0].organization == "Ege Barosu"


# --- Turkish order as bytes ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZâîû 0123456789-.'()", max_size=12), max_size=12))
def test_collation_bytes_sort_like_tr_sort_key(texts):
    assert sorted(texts, key=repo.collation_key) == sorted(texts, key=tr_sort_key)


# --- Turkish-aware search -----------------------------------------------------------------------


@pytest.fixture
def city(conn):
    entries = [
        service("Kınık Kadın Danışma Merkezi", district="Kınık", categories=("womens_counselling_centre",)),
        service("Karşıyaka Sosyal Hizmet Merkezi", district="Karşıyaka", categories=("social_services",)),
        service("Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)", district="Bornova", categories=("sonim",)),
        service("İzmir Barosu Adli Yardım", district="Konak", categories=("legal_aid",), languages=(Language(str(uuid.uuid4()), "Arapça", "ar"),)),
        service("IZMIR Göçmen Kadın Noktası", district="Bayraklı", categories=("migrant_support",)),
        service("Çiğli Kreşi", district="Çiğli", categories=("childcare",), description="İzmir'in kuzeyinde çocuk bakımı"),
    ]
    stored(conn, *entries)
    return entries


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("kinik", "Kınık Kadın Danışma Merkezi"),
        ("KINIK", "Kınık Kadın Danışma Merkezi"),
        ("karsiyaka", "Karşıyaka Sosyal Hizmet Merkezi"),
        ("KARŞIYAKA", "Karşıyaka Sosyal Hizmet Merkezi"),
        ("sonim", "Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)"),
        ("şönim", "Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)"),
        ("ciğli kres", "Çiğli Kreşi"),
        ("yaka", "Karşıyaka Sosyal Hizmet Merkezi"),  # a substring
        ("adli yard", "İzmir Barosu Adli Yardım"),  # a prefix of the last word
    ],
)
def test_turkish_letters_case_and_accents_do_not_matter(city, conn, typed, found):
    assert names(conn, typed)[0] == found


def test_izmir_is_one_word_however_it_is_written(city, conn):
    results = {spelling: names(conn, spelling) for spelling in ("İzmir", "izmir", "IZMIR", "İZMİR", "Izmir")}
    assert len({tuple(found) for found in results.values()}) == 1
    # Names first (Turkish order: "IZMIR" reads "ızmır", and ı comes before i), then the description.
    assert results["izmir"] == ["IZMIR Göçmen Kadın Noktası", "İzmir Barosu Adli Yardım", "Çiğli Kreşi"]


def test_short_words_match_the_start_of_a_word(city, conn):
    assert names(conn, "k")[:2] == ["Karşıyaka Sosyal Hizmet Merkezi", "Kınık Kadın Danışma Merkezi"]
    assert "Karşıyaka Sosyal Hizmet Merkezi" not in names(conn, "ya")  # "ya" starts no word
    assert names(conn, "ka so")[0] == "Karşıyaka Sosyal Hizmet Merkezi"
    assert names(conn, "ka so xq") == []


def test_ranking_name_exact_then_prefix_then_word_then_substring_then_other_fields(conn):
    entries = {
        "in description": service("Hukuk Bürosu", description="destek veren birim"),
        "in category label": service("Danışma Birimi", categories=("psychological_support",)),  # "Psikolojik destek"
        "name substring": service("Psikodestek Birimi"),
        "name word": service("Ücretsiz Destek Hattı"),
        "name prefix": service("Destek Noktası Bornova"),
        "name exact": service("Destek"),
        "elsewhere": service("Merkez"),
    }
    stored(conn, *entries.values())
    rows = repo.search(conn, SearchQuery("destek"))
    assert [row.name for row in rows] == [entries[key].name for key in ("name exact", "name prefix", "name word", "name substring", "in category label", "in description")]
    assert [row.tier for row in rows] == [Tier.NAME_EXACT, Tier.NAME_PREFIX, Tier.NAME_WORD_PREFIX, Tier.NAME_SUBSTRING, Tier.OTHER_WORD_PREFIX, Tier.DESCRIPTION]
    assert [row.name for row in repo.search(conn, SearchQuery("destek", limit=3))] == [row.name for row in rows[:3]]
    assert [row.name for row in repo.search(conn, SearchQuery("destek", limit=5))] == [row.name for row in rows[:5]]


def test_words_in_any_order_rank_after_the_phrase(conn):
    stored(conn, service("Merkez Kadın"), service("Kadın Merkezi"), service("Bornova Kadın Danışma", description="merkez binası"))
    assert names(conn, "kadin merkez") == ["Kadın Merkezi", "Merkez Kadın", "Bornova Kadın Danışma"]


def test_equal_matches_come_in_turkish_alphabetical_order(conn):
    shuffled = ["Ödemiş", "Çeşme", "Ozan", "Işıklar", "İnciraltı", "Cumaovası", "Şirinyer", "Sasalı", "Üçkuyular", "Uzundere", "Güzelyalı", "Gaziemir"]
    stored(conn, *(service(f"{name} Kadın Merkezi") for name in shuffled))
    expected = [f"{name} Kadın Merkezi" for name in sorted(shuffled, key=tr_sort_key)]
    assert names(conn, "kadin merkezi") == expected
    assert names(conn) == expected
    assert expected[:4] == ["Cumaovası Kadın Merkezi", "Çeşme Kadın Merkezi", "Gaziemir Kadın Merkezi", "Güzelyalı Kadın Merkezi"]
    assert expected.index("Işıklar Kadın Merkezi") < expected.index("İnciraltı Kadın Merkezi")


def test_filters_by_district_category_and_language(city, conn):
    national = service("ALO 183", categories=("hotline",))
    repo.save(conn, Directory((ORG,), tuple(city) + (national,)), NOW)
    assert names(conn, district="karsiyaka") == ["ALO 183", "Karşıyaka Sosyal Hizmet Merkezi"]
    assert names(conn, district="Karşıyaka", with_citywide=False) == ["Karşıyaka Sosyal Hizmet Merkezi"]
    assert names(conn, "merkez", category="social_services") == ["Karşıyaka Sosyal Hizmet Merkezi"]
    assert names(conn, language="ARAPÇA") == names(conn, language="ar") == ["İzmir Barosu Adli Yardım"]
    assert names(conn, "kadin", district="Kınık", with_citywide=False) == ["Kınık Kadın Danışma Merkezi"]
    assert names(conn, "kreş", district="Kınık") == []


def test_open_now_keeps_services_open_at_that_moment(conn):
    weekdays = Schedule(str(uuid.uuid4()), byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
    always = Schedule(str(uuid.uuid4()), byday="MO,TU,WE,TH,FR,SA,SU")
    stored(conn, service("Gündüz Merkezi", schedules=(weekdays,)), service("Yedi Gün Hattı", schedules=(always,)), service("Saati Bilinmeyen Yer"))
    wednesday_noon, saturday = datetime(2026, 3, 4, 12), datetime(2026, 3, 7, 12)
    assert names(conn, open_at=wednesday_noon) == ["Gündüz Merkezi", "Yedi Gün Hattı"]
    assert names(conn, open_at=saturday) == ["Yedi Gün Hattı"]
    assert names(conn, open_at=wednesday_noon, limit=1) == ["Gündüz Merkezi"]


def test_a_confidential_place_is_not_searchable(conn):
    directory = rich_directory()
    repo.save(conn, directory, NOW)
    street_word = SECRET_STREET.split()[0]  # "Gizli"
    assert names(conn, SECRET_STREET) == [] and names(conn, "4242") == []
    assert names(conn, street_word + " yol") == []
    assert "Örnek Merkez" not in " ".join(names(conn, "örnek bina"))
    public = next(s for s in directory.services if s.name == "Örnek Danışma")
    assert public.name in names(conn, "bornova")  # a public place is found by its district


def test_districts_lists_what_is_stored_in_turkish_order(conn):
    stored(conn, *(service(f"Merkez {district}", district=district) for district in reversed(IZMIR_DISTRICTS[:8])), service("Ulusal"))
    assert repo.districts(conn) == list(IZMIR_DISTRICTS[:8])


def test_not_verified_since_lists_the_oldest_first(conn):
    stored(
        conn,
        service("Yeni", verified_at=date(2026, 1, 1)),
        service("Eski", verified_at=date(2025, 1, 1)),
        service("Hiç"),
        service("Sınırda", verified_at=date(2025, 7, 5)),
    )
    assert [row.name for row in repo.not_verified_since(conn, date(2025, 7, 5))] == ["Hiç", "Eski", "Sınırda"]


def test_addresses_and_phones_of_public_places_are_kept(conn):
    place = Location(str(uuid.uuid4()), "Alsancak binası", addresses=(Address(str(uuid.uuid4()), "Kıbrıs Şehitleri Cad. 1", "Konak", "İzmir", "35220"),))
    entry = service("Konak Danışma", locations=(place,), phones=(Phone(str(uuid.uuid4()), "0 232 111 11 11"),))
    stored(conn, entry)
    assert repo.service(conn, entry.id) == entry
    assert names(conn, "kibris sehitleri") == ["Konak Danışma"]


# --- a page of results --------------------------------------------------------------------------

KINDS = ("Kadın Danışma Merkezi", "Sosyal Hizmet Merkezi", "Baro Adli Yardım Bürosu", "Psikolojik Destek Birimi", "Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)",
         "İŞKUR Hizmet Noktası", "Işıkkent Kreşi", "Göçmen Destek Noktası", "Çocuk Evleri", "ilk adım")
TYPED = ("karşıyaka", "KARSIYAKA", "şönim", "İzmir", "ışık", "IŞIK", "isk", "kınık kadın", "çiğli k", "psikolojik destek", "adli yard", "göçmen", "destek", "i", "e", "merkez", "ücretsiz", "k a", "destek kadın", "kadın destek", "li k")


@pytest.fixture
def many(conn):
    """A few hundred services: many share words, so that every tier holds more than a page."""
    entries = [
        service(f"{district} {kind}" + (f" {number}" if number % 3 else ""), district=district,
                description="ücretsiz görüşme, randevu ile" if number % 4 == 0 else "İzmir'in her ilçesinden kadınlara destek")
        for number, (district, kind) in enumerate((district, kind) for district in IZMIR_DISTRICTS[:24] for kind in KINDS)
    ]
    stored(conn, *entries)
    return entries


def key_press(conn, text: str) -> list[str]:
    """A page of results in a read that remembers, as the Directory screen asks at a key press."""
    with conn.reading():
        return [row.id for row in repo.search(conn, SearchQuery(text=text, limit=20))]


# (_WALK_FROM, _GATHER_BELOW): as shipped; the dense tiers read along the Turkish order; every
# query ranked tier by tier and each tier walked; every tier and query gathered from the index.
@pytest.mark.parametrize(("walk_from", "gather_below"), [(300, 800), (5, 800), (5, 5), (1000, 1000)])
def test_a_page_is_the_start_of_every_result_and_the_next_pages_follow_on(many, conn, monkeypatch, walk_from, gather_below):
    monkeypatch.setattr(repo, "_WALK_FROM", walk_from)
    monkeypatch.setattr(repo, "_GATHER_BELOW", gather_below)
    for typed in TYPED:
        for prefix in [typed[:end] for end in range(1, len(typed) + 1)]:  # as typed: each press remembers the last ones
            every = [row.id for row in repo.search(conn, SearchQuery(text=prefix))]
            with conn.reading():
                pages = [row.id for offset in (0, 20, 40) for row in repo.search(conn, SearchQuery(text=prefix, limit=20, offset=offset))]
            assert pages == every[:60], prefix
            assert [row.id for row in repo.search(conn, SearchQuery(text=prefix, limit=30, offset=150))] == every[150:180], prefix
    filtered = SearchQuery(text="destek", district="Buca", with_citywide=False)
    assert [row.id for row in repo.search(conn, replace(filtered, limit=3))] == [row.id for row in repo.search(conn, filtered)][:3]


def test_what_search_remembers_between_key_presses_follows_every_change(many, conn, tmp_path):
    def in_a_transaction(change) -> None:
        conn.execute("BEGIN IMMEDIATE")
        change()
        conn.execute("COMMIT")

    def typing(text: str) -> list[str]:
        """Each key press of ``text`` gives what a search remembering nothing gives."""
        for end in range(1, len(text) + 1):
            assert key_press(conn, text[:end]) == [row.id for row in repo.search(conn, SearchQuery(text=text[:end], limit=20))], text[:end]
        return key_press(conn, text)

    before = typing("çiğli kre")
    new = service("Kreş ve Oyun Evi", district="Çiğli")
    in_a_transaction(lambda: repo.put_services(conn, [new], NOW))
    assert new.id in typing("çiğli kre")

    in_a_transaction(lambda: repo.put_services(conn, [replace(new, district="Buca")], NOW))
    assert new.id not in typing("çiğli kre")

    gone = before[0]
    in_a_transaction(lambda: repo.delete_service(conn, gone))
    assert gone not in typing("çiğli kre")

    other = database.connect(tmp_path / "directory.db", KEY)
    try:
        other.execute("BEGIN IMMEDIATE")
        repo.put_services(other, [new], NOW)
        other.execute("COMMIT")
    finally:
        other.close()
    assert new.id in typing("çiğli kre")

    conn.execute("BEGIN IMMEDIATE")
    repo.delete_service(conn, new.id)
    conn.execute("ROLLBACK")
    assert new.id in typing("çiğli kre")


def test_search_remembers_only_the_last_few_key_presses(many, conn):
    for entry in many:
        key_press(conn, entry.name[:7] + " " + entry.description[:4])
    with conn.reading():
        remembered = conn.remembered()["directory look-ups"]
    assert 0 < len(remembered) <= 64  # what the last eight searches looked up, not all of them


def test_a_page_keeps_the_ranking(many, conn):
    rows = repo.search(conn, SearchQuery(text="MERKEZ", limit=30))
    assert len(rows) == 30 and all("Merkezi" in row.name for row in rows)
    assert [row.tier for row in rows] == sorted(row.tier for row in rows)
    same_tier = [row.name for row in rows if row.tier == rows[0].tier]
    assert same_tier == sorted(same_tier, key=tr_sort_key)
    assert repo.search(conn, SearchQuery(text="", limit=5)) == repo.search(conn, SearchQuery())[:5]
