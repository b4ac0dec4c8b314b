"""The directory model: review dates, opening hours, validation, redaction, taxonomy, sample data."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.directory import (
    REVIEW_AFTER_DAYS,
    WEEKDAYS,
    Address,
    Directory,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    is_open_at,
    needs_review,
    redact_confidential,
)
from caseworker.hsds.files import load_sample_directory
from caseworker.domain.taxonomy import category_label, field_taxonomy, support_taxonomy
from caseworker.errors import InvalidInput
from caseworker.i18n import set_language

ORG = Organization("0b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a01", "Örnek Kurum", "Deneme kurumu")
MONDAY = date(2025, 6, 2)


def service(**changes) -> Service:
    base = Service("1b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a02", ORG.id, "Örnek Hizmet")
    return replace(base, **changes)


def address(district: str = "Konak") -> Address:
    return Address("2b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a03", "Örnek Sokak No: 1", district, "İzmir", "35000")


# --- review -----------------------------------------------------------------------------------


def test_never_verified_needs_review():
    assert needs_review(service(), MONDAY)


@given(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.integers(0, 2000))
def test_needs_review_exactly_from_180_days(verified, age):
    today = verified + timedelta(days=age)
    assert needs_review(service(verified_at=verified), today) is (age >= REVIEW_AFTER_DAYS)


# --- opening hours ----------------------------------------------------------------------------


def weekday_hours(days: str = "MO,TU,WE,TH,FR", opens: time | None = time(9), closes: time | None = time(17), **more) -> Schedule:
    return Schedule("3b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a04", "WEEKLY", days, opens_at=opens, closes_at=closes, **more)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_weekday_office_hours():
    schedule = weekday_hours()
    assert is_open_at(schedule, at(MONDAY, 9))
    assert is_open_at(schedule, at(MONDAY, 16, 59))
    assert not is_open_at(schedule, at(MONDAY, 17))
    assert not is_open_at(schedule, at(MONDAY, 8, 59))
    assert not is_open_at(schedule, at(MONDAY + timedelta(days=5), 10))  # Saturday


@given(
    st.sets(st.sampled_from(WEEKDAYS), min_size=1),
    st.times(),
    st.times(),
    st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)),
)
def test_weekly_rule_matches_its_definition(days, first, second, when):
    opens, closes = sorted((first.replace(microsecond=0), second.replace(microsecond=0)))
    if opens == closes:
        return
    schedule = weekday_hours(",".join(sorted(days)), opens, closes)
    expected = WEEKDAYS[when.weekday()] in days and opens <= when.time() < closes
    assert is_open_at(schedule, when) is expected


def test_all_day_when_no_hours_are_given():
    schedule = weekday_hours(",".join(WEEKDAYS), None, None)
    assert all(is_open_at(schedule, at(MONDAY + timedelta(days=offset), hour)) for offset in range(7) for hour in (0, 12, 23))


def test_hours_past_midnight_belong_to_the_day_they_start():
    schedule = weekday_hours("FR", time(22), time(6))
    friday = MONDAY + timedelta(days=4)
    assert is_open_at(schedule, at(friday, 23))
    assert is_open_at(schedule, at(friday + timedelta(days=1), 5, 59))
    assert not is_open_at(schedule, at(friday + timedelta(days=1), 6))
    assert not is_open_at(schedule, at(friday, 5))  # Thursday night is not in the rule


def test_validity_period_bounds_the_rule():
    schedule = weekday_hours(valid_from=MONDAY, valid_to=MONDAY + timedelta(days=1))
    assert is_open_at(schedule, at(MONDAY, 10))
    assert not is_open_at(schedule, at(MONDAY + timedelta(days=2), 10))
    assert not is_open_at(schedule, at(MONDAY - timedelta(days=7), 10))


def test_every_second_week_counts_from_dtstart():
    schedule = weekday_hours("MO", interval=2, dtstart=MONDAY)
    assert is_open_at(schedule, at(MONDAY + timedelta(days=14), 10))
    assert not is_open_at(schedule, at(MONDAY + timedelta(days=7), 10))


def test_monthly_rules_by_month_day_and_by_ordinal_weekday():
    fifteenth = Schedule("4b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a05", "MONTHLY", bymonthday="15,-1", opens_at=time(9), closes_at=time(12))
    assert is_open_at(fifteenth, at(date(2025, 6, 15), 10))
    assert is_open_at(fifteenth, at(date(2025, 6, 30), 10))  # -1: the last day
    assert not is_open_at(fifteenth, at(date(2025, 6, 16), 10))
    first_monday = replace(fifteenth, bymonthday="", byday="1MO,-1FR")
    assert is_open_at(first_monday, at(date(2025, 6, 2), 10))
    assert is_open_at(first_monday, at(date(2025, 6, 27), 10))  # last Friday of June 2025
    assert not is_open_at(first_monday, at(date(2025, 6, 9), 10))
    assert not is_open_at(first_monday, at(date(2025, 6, 20), 10))


def test_aware_time_is_read_in_the_schedule_timezone():
    schedule = weekday_hours(timezone=3)
    utc_morning = datetime(2025, 6, 2, 6, 30, tzinfo=UTC)  # 09:30 in Türkiye
    assert is_open_at(schedule, utc_morning)
    assert not is_open_at(schedule, utc_morning - timedelta(hours=1))


def test_a_service_is_open_when_any_schedule_is_open_and_closed_without_schedules():
    morning = weekday_hours(opens=time(9), closes=time(12))
    evening = replace(morning, id="5b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a06", opens_at=time(18), closes_at=time(20))
    entry = service(schedules=(morning, evening))
    assert is_open_at(entry, at(MONDAY, 19))
    assert not is_open_at(entry, at(MONDAY, 15))
    assert not is_open_at(service(), at(MONDAY, 10))


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: service(categories=("no_such_code",)),
        lambda: service(categories=("sonim", "sonim")),
        lambda: service(status="open"),
        lambda: service(source="elsewhere"),
        lambda: service(name=" "),
        lambda: address(district=""),
        lambda: Phone("6b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a07", ""),
        lambda: weekday_hours("MONDAY"),
        lambda: Schedule("7b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a08", "DAILY"),
        lambda: Directory((), (service(),)),  # its organization is missing
        lambda: Directory((ORG, ORG)),
    ],
)
def test_invalid_entries_are_refused(build):
    with pytest.raises(InvalidInput):
        build()


def test_the_same_phone_id_cannot_belong_to_two_services():
    phone = Phone("8b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a09", "0 232 000 00 01")
    first = service(phones=(phone,))
    second = replace(first, id="9b5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a10")
    with pytest.raises(InvalidInput):
        Directory((ORG,), (first, second))


def test_messages_follow_the_language():
    set_language("en")
    with pytest.raises(InvalidInput, match="needs a district"):
        address(district="")
    set_language("tr")
    with pytest.raises(InvalidInput, match="ilçe"):
        address(district="")


# --- confidentiality --------------------------------------------------------------------------

SECRET = "+90 555 987 65 43"


def confidential_setup() -> Directory:
    secret_phone = Phone("ab5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a11", SECRET)
    shelter_place = Location(
        "bb5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a12",
        "Konukevi",
        addresses=(address(),),
        phones=(secret_phone,),
        latitude=38.4,
        longitude=27.1,
        transportation="Otobüs 5",
    )
    shelter = service(id="cb5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a13", confidential=True, categories=("shelter",), phones=(secret_phone,), locations=(shelter_place,))
    sharing = service(id="db5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a14", locations=(shelter_place,))
    public_phone = Phone("eb5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a15", "0 232 000 00 09")
    public = service(id="fb5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a16", phones=(public_phone,))
    leaky_org = replace(ORG, phones=(Phone("0c5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a17", SECRET.replace(" ", "")),))
    return Directory((leaky_org,), (shelter, sharing, public))


def test_redaction_removes_address_and_phones_of_confidential_entries_everywhere():
    redacted = redact_confidential(confidential_setup())
    shelter, sharing, public = redacted.services
    assert shelter.phones == ()
    for location in shelter.locations + sharing.locations:
        assert location.addresses == () and location.phones == ()
        assert location.latitude is None and location.longitude is None and location.transportation == ""
    assert redacted.organizations[0].phones == ()  # the same number, written differently
    assert public.phones and public.phones[0].number == "0 232 000 00 09"
    assert shelter.name == "Örnek Hizmet" and shelter.categories == ("shelter",)


def test_redacting_a_single_service_and_a_confidential_organization():
    shelter = confidential_setup().services[0]
    alone = redact_confidential(shelter)
    assert alone.phones == () and alone.locations[0].addresses == ()
    secret_org = replace(ORG, confidential=True, phones=(Phone("1c5f3f4e-4c1e-4d3a-9a57-2f1f0f6f0a18", "0 232 000 00 08"),))
    assert redact_confidential(Directory((secret_org,))).organizations[0].phones == ()


def test_redaction_keeps_public_entries_untouched():
    directory = confidential_setup()
    public = directory.services[2]
    assert redact_confidential(Directory(directory.organizations[:0] + (ORG,), (public,))) == Directory((ORG,), (public,))


# --- taxonomy ---------------------------------------------------------------------------------

REQUIRED_CODES = {
    "sonim", "shelter", "legal_aid", "psychological_support", "health", "police", "gendarmerie", "hotline",
    "social_services", "employment", "education", "childcare", "migrant_support", "womens_counselling_centre",
}
# Referral options of the default catalogue (DESIGN.md) that name a kind of service.
REFERRAL_CODES = {"sonim", "shelter", "police", "legal_aid", "health", "social_services", "employment", "education", "childcare", "psychiatric"}


def test_taxonomy_codes_ids_and_labels():
    for taxonomy in (support_taxonomy(), field_taxonomy()):
        codes = [term.code for term in taxonomy.terms]
        ids = [term.id for term in taxonomy.terms] + [taxonomy.taxonomy.id]
        assert len(set(codes)) == len(codes) and len(set(ids)) == len(ids)
        assert all(re.fullmatch(r"[a-z_]+", code) for code in codes)
        assert all(str(uuid.UUID(value)) == value for value in ids)
        for term in taxonomy.terms:
            assert term.label_tr and term.label_en and term.label_tr != term.label_en
            assert term.description_tr and term.description_en
    assert REQUIRED_CODES | REFERRAL_CODES <= support_taxonomy().codes
    assert {"district", "source", "confidential", "sample"} == field_taxonomy().codes


def test_category_labels_follow_the_language():
    assert category_label("sonim") == "Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)"
    assert category_label("shelter", "en") == "Women's shelter"
    set_language("en")
    assert category_label("legal_aid") == "Bar association legal aid"


# --- sample data ------------------------------------------------------------------------------


def test_sample_directory_holds_the_national_lines_and_marked_samples():
    directory = load_sample_directory()
    numbers = {phone.number for entry in directory.services for phone in entry.phones}
    assert {"112", "183", "155", "156"} <= numbers
    names = [entry.name for entry in directory.services]
    assert any("KADES" in name for name in names)
    samples = [entry for entry in directory.services if entry.sample]
    assert len({entry.district for entry in samples if entry.district}) >= 5
    for entry in directory.services:
        if entry.sample:
            assert entry.name.startswith("Örnek")
            assert all(location.name.startswith("Örnek") for location in entry.locations)
        else:
            assert not entry.locations, "national lines have no address"
        if "shelter" in entry.categories:
            assert entry.sample and entry.confidential and entry.district == ""
    assert {organization.id for organization in directory.organizations} >= {entry.organization_id for entry in directory.services}


HIDDEN = {
    "escape sequence": ("ALO \x1b[2J\x1b[31m183", "ALO [2J[31m183"),
    "NUL": ("Şiddet\x00 Önleme", "Şiddet Önleme"),
    "right-to-left override": ("Hat \u202e381 OLA\u202c", "Hat 381 OLA"),
    "isolates and marks": ("\u2066Kadın\u2069 \u200fDanışma\u200e", "Kadın Danışma"),
    "zero-width": ("Sığın\u200bma\u200d Evi\ufeff", "Sığınma Evi"),
    "lone surrogate": ("Konak\ud800", "Konak"),
    "tab and line separator": ("Pazartesi\tSalı\u2028Çarşamba\n", "Pazartesi Salı\nÇarşamba\n"),
}


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_characters_are_removed_from_every_directory_text(name):
    dirty, clean = HIDDEN[name]
    entry = service(name=dirty, description=dirty, phones=(Phone(str(uuid.uuid4()), dirty),))
    assert entry.name == clean and entry.description == clean and entry.phones[0].number == clean


def test_hidden_characters_are_removed_on_import():
    from caseworker.hsds.reading import import_hsds_json
    from caseworker.hsds.writing import export_hsds_json

    sample = load_sample_directory()
    first = sample.services[0]
    exported = export_hsds_json(sample)
    exported[0]["name"] = HIDDEN["right-to-left override"][0]
    imported = import_hsds_json(exported).directory
    assert imported.service(first.id).name == HIDDEN["right-to-left override"][1]


def test_a_directory_text_longer_than_the_limit_is_refused(english):
    import time

    from caseworker.domain.directory import MAX_TEXT_CHARS
    from caseworker.hsds.reading import import_hsds_json
    from caseworker.hsds.writing import export_hsds_json

    assert service(description="x" * MAX_TEXT_CHARS).description == "x" * MAX_TEXT_CHARS
    with pytest.raises(InvalidInput, match="longer than"):
        service(name="x" * (MAX_TEXT_CHARS + 1))
    exported = export_hsds_json(load_sample_directory())
    exported[0]["name"] = "ALO 183 " * 700_000  # 5.6 MB
    started = time.monotonic()
    with pytest.raises(InvalidInput, match="longer than"):
        import_hsds_json(exported)
    assert time.monotonic() - started < 2
