"""The stable DHIS2 codes of everything Caseworker sends, and the DHIS2 ids derived from them.

Codes are the identifiers that stay: the same catalogue and the same centres give the same codes
in every package and every export, so a DHIS2 administrator imports with ``idScheme=CODE``.
Every code starts with one fixed prefix, ``CW_``, so that Caseworker's objects never clash with
the other programmes of a national DHIS2:

- data element: ``CW_`` + the indicator code (``CW_NEW_APPLICANTS``);
- category: ``CW_`` + the dimension code in capitals (``CW_AGE``); a category combination the
  same over its categories, joined by ``_`` (one dimension: the category's code);
- category option: category code + ``_`` + the option code in capitals, ``+`` written ``PLUS``
  (``CW_AGE_0-17``, ``CW_AGE_65PLUS``), so that "unknown" age and "unknown" perpetrator differ;
- category option combination: its options' codes joined by ``_`` after the prefix (one
  dimension: the option's code);
- data set ``CW_MONTHLY``; organisation units ``CW_IZMIR`` (the city), ``CW_IZMIR_`` + the
  district's name in capitals without Turkish letters (``CW_IZMIR_KARSIYAKA``), ``CW_KDM_`` +
  the centre id in capitals (``CW_KDM_KONAK-3F9A``).

DHIS2 allows 50 characters in a code: a longer one keeps its first 41 characters and ends with
``_`` and 8 hexadecimal digits of its SHA-256, so it stays stable and distinct.

DHIS2 also gives every object an 11-character id (a letter, then letters and digits). Ours are
derived from the object's kind and code (SHA-256, written in base 62), never drawn at random: the
same code always has the same id, and a package imported again updates the objects it made.
"""

from __future__ import annotations

import hashlib
import string
from functools import lru_cache

from caseworker.domain.counts import CellKey
from caseworker.domain.text import search_key

PREFIX = "CW_"
MAX_CODE = 50
UID_LENGTH = 11
DATA_SET = PREFIX + "MONTHLY"
CITY = PREFIX + "IZMIR"
_LETTERS = string.ascii_letters
_ALPHANUMERIC = string.digits + string.ascii_letters


def fit(code: str) -> str:
    """``code`` if DHIS2 takes its length, else a shortened form that stays distinct."""
    if len(code) <= MAX_CODE:
        return code
    digest = hashlib.sha256(code.encode("utf-8")).hexdigest()[:8].upper()
    return f"{code[:MAX_CODE - 9]}_{digest}"


def _part(text: str) -> str:
    return text.upper().replace("+", "PLUS")


@lru_cache(maxsize=None)
def data_element(indicator: str) -> str:
    return fit(PREFIX + indicator)


@lru_cache(maxsize=None)
def category(dimension: str) -> str:
    return fit(PREFIX + _part(dimension))


def category_combo(dimensions: tuple[str, ...]) -> str:
    return fit(PREFIX + "_".join(_part(dimension) for dimension in dimensions))


@lru_cache(maxsize=None)
def category_option(dimension: str, option: str) -> str:
    return fit(f"{PREFIX}{_part(dimension)}_{_part(option)}")


@lru_cache(maxsize=None)
def category_option_combo(options: tuple[tuple[str, str], ...]) -> str | None:
    """The code of a cell's option combination; None for a cell without dimensions (DHIS2's
    default combination)."""
    if not options:
        return None
    return fit(PREFIX + "_".join(f"{_part(dimension)}_{_part(option)}" for dimension, option in options))


def cell_combo(cell: CellKey) -> str | None:
    return category_option_combo(cell.options)


def district(name: str) -> str:
    return fit(f"{CITY}_{'_'.join(search_key(name).upper().split())}")


@lru_cache(maxsize=None)
def centre(centre_id: str) -> str:
    return fit(f"{PREFIX}KDM_{centre_id.upper()}")


@lru_cache(maxsize=None)
def uid(kind: str, code: str) -> str:
    """The DHIS2 id of the object of ``kind`` (``"dataElement"``, ``"organisationUnit"``, …)
    with ``code``: a letter, then ten letters or digits."""
    number = int.from_bytes(hashlib.sha256(f"caseworker\x1f{kind}\x1f{code}".encode()).digest(), "big")
    number, first = divmod(number, len(_LETTERS))
    rest = []
    for _ in range(UID_LENGTH - 1):
        number, digit = divmod(number, len(_ALPHANUMERIC))
        rest.append(_ALPHANUMERIC[digit])
    return _LETTERS[first] + "".join(rest)
