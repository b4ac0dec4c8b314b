"""Turkish case rules, lenient search keys and Turkish alphabetical order."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.text import search_key, tr_casefold, tr_lower, tr_sort_key, tr_upper

# Written out by hand in Turkish alphabetical order (a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z).
IZMIR_IN_TURKISH_ORDER = [
    "Aliağa",
    "Balçova",
    "Bayındır",
    "Bayraklı",
    "Bergama",
    "Beydağ",
    "Bornova",
    "Buca",
    "Çeşme",
    "Çiğli",
    "Dikili",
    "Foça",
    "Gaziemir",
    "Güzelbahçe",
    "Karabağlar",
    "Karaburun",
    "Karşıyaka",
    "Kemalpaşa",
    "Kınık",
    "Kiraz",
    "Konak",
    "Menderes",
    "Menemen",
    "Narlıdere",
    "Ödemiş",
    "Seferihisar",
    "Selçuk",
    "Tire",
    "Torbalı",
    "Urla",
]

turkish_words = st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ ", max_size=20)


def test_lower_and_upper_pair_dotted_and_dotless_i():
    assert tr_lower("İ") == "i" and tr_lower("I") == "ı"
    assert tr_upper("i") == "İ" and tr_upper("ı") == "I"
    assert tr_upper("izmir") == "İZMİR"
    assert tr_lower("IŞIK") == "ışık"
    assert tr_lower("İSTANBUL") == "istanbul"
    assert tr_upper("çiğdem şölen") == "ÇİĞDEM ŞÖLEN"


def test_casefold_equates_turkish_cases():
    assert tr_casefold("İzmir") == tr_casefold("izmir") == tr_casefold("İZMİR")
    assert tr_casefold("IŞIK") == tr_casefold("ışık") == tr_casefold("Işık")
    # By Turkish rules "I" is the capital of "ı": "IZMIR" reads "ızmır", not "izmir" ...
    assert tr_casefold("IZMIR") != tr_casefold("izmir")
    # ... but a search typed on a keyboard without Turkish letters still finds it.
    assert search_key("IZMIR") == search_key("İzmir") == search_key("izmir")


def test_casefold_handles_decomposed_capital_dotted_i():
    assert tr_casefold("I\u0307zmir") == tr_casefold("İzmir")
    assert tr_casefold("i\u0307zmir") == tr_casefold("izmir")


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Kınık", "kinik"),
        ("Karşıyaka", "karsiyaka"),
        ("ŞÖNİM", "sonim"),
        ("IŞIK", "isik"),
        ("Güzelbahçe", "guzelbahce"),
        ("Ödemiş", "odemis"),
    ],
)
def test_search_key_matches_ascii_typing(written, typed):
    assert search_key(written) == search_key(typed) == typed


def test_search_key_drops_punctuation_accents_and_extra_spaces():
    assert search_key("  Kadın   Danışma-Merkezi (Bornova) ") == "kadin danisma merkezi bornova"
    assert search_key("Kâzım") == search_key("kazim")
    assert search_key("ALO 183") == "alo 183"


def test_search_key_keeps_different_words_apart():
    assert search_key("Buca") != search_key("Bucak")
    assert search_key("Konak") != search_key("Kınık")


def test_izmir_districts_sort_in_turkish_order():
    shuffled = IZMIR_IN_TURKISH_ORDER[:]
    random.Random(183).shuffle(shuffled)
    assert sorted(shuffled, key=tr_sort_key) == IZMIR_IN_TURKISH_ORDER
    # Python's own order gets it wrong (Ç and Ö after Z, ı after i).
    assert sorted(shuffled) != IZMIR_IN_TURKISH_ORDER


def test_the_exported_district_list_is_complete_and_in_turkish_order():
    assert list(IZMIR_DISTRICTS) == IZMIR_IN_TURKISH_ORDER
    assert len(set(IZMIR_DISTRICTS)) == 30


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Kınık", "Kiraz"),
        ("Buca", "Çeşme"),
        ("Çiğli", "Dikili"),
        ("Ödemiş", "Seferihisar"),
        ("Urla", "Üsküdar"),
        ("Karaburun", "Karşıyaka"),
        ("ılık", "iğne"),
        ("ağaç", "Ağrı"),
        ("Işık", "iğne"),
        ("Uşak", "Üzüm"),
    ],
)
def test_turkish_letter_order(before, after):
    assert tr_sort_key(before) < tr_sort_key(after)


def test_sorting_is_case_insensitive_with_turkish_rules():
    words = ["IRMAK", "ilk", "İNCE", "ışık", "Ilgaz"]
    assert sorted(words, key=tr_sort_key) == ["Ilgaz", "IRMAK", "ışık", "ilk", "İNCE"]


def test_ties_are_broken_deterministically():
    variants = ["KAR", "Kar", "kâr", "kar"]
    assert sorted(variants, key=tr_sort_key) == ["kar", "Kar", "KAR", "kâr"]
    assert sorted(reversed(variants), key=tr_sort_key) == sorted(variants, key=tr_sort_key)


@given(turkish_words)
def test_case_round_trip_keeps_the_fold(word):
    assert tr_casefold(tr_upper(word)) == tr_casefold(word) == tr_casefold(tr_lower(word))
    assert tr_lower(tr_upper(word)) == tr_lower(word)


@given(turkish_words)
def test_search_key_is_idempotent_and_ascii_for_turkish(word):
    key = search_key(word)
    assert search_key(key) == key
    assert key.isascii()
    assert search_key(tr_upper(word)) == key


@given(st.lists(st.text(max_size=12), max_size=12))
def test_sort_key_is_a_total_order(words):
    once = sorted(words, key=tr_sort_key)
    assert sorted(reversed(words), key=tr_sort_key) == once
    assert sorted(once, key=tr_sort_key) == once
