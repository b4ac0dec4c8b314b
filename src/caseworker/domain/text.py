"""Turkish-aware case, search and sorting of text.

Python's ``str.lower``/``upper`` follow the rules of English: ``"I".lower()`` is ``"i"`` and
``"İ".lower()`` is ``"i̇"`` (with a combining dot). Turkish pairs İ with i and I with ı, and
sorts ç, ğ, ı, ö, ş, ü as letters of their own. Everything in the program that compares,
searches or sorts names a person reads goes through these functions.

- ``tr_lower`` / ``tr_upper``: case conversion by Turkish rules.
- ``tr_casefold``: for case-insensitive equality by Turkish rules (``"İZMİR"`` equals
  ``"izmir"``; ``"IZMIR"`` does not, it reads "ızmır" in Turkish; use ``search_key`` to be
  lenient about it).
- ``search_key``: a lenient key for matching what someone types: case, the Turkish letters
  and other accents, punctuation and extra spaces are ignored (``"IŞIK"`` matches ``"isik"``).
- ``visible_text``: text with the characters removed that would let it hide or disguise
  itself (see its docstring for the rule); every text of the service directory goes through it.
- ``tr_sort_key``: Turkish alphabetical order
  (a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z), case-insensitive first,
  ties broken by accents, then lower case before upper case, then the text itself.
"""

from __future__ import annotations

import functools
import unicodedata

_COMBINING_DOT_ABOVE = "\u0307"
_TO_ASCII = str.maketrans("çğıöşü", "cgiosu")
ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def tr_lower(text: str) -> str:
    """Lower case by Turkish rules: ``I`` → ``ı``, ``İ`` → ``i``."""
    return _nfc(text).replace("I", "ı").replace("İ", "i").lower()


def tr_upper(text: str) -> str:
    """Upper case by Turkish rules: ``i`` → ``İ``, ``ı`` → ``I``."""
    return _nfc(text).replace("i", "İ").replace("ı", "I").upper()


def tr_casefold(text: str) -> str:
    """A form of ``text`` for case-insensitive equality by Turkish rules."""
    return tr_lower(text).replace("i" + _COMBINING_DOT_ABOVE, "i").casefold()


def search_key(text: str) -> str:
    """A lenient matching key: Turkish case folding, Turkish letters to their base letters,
    other accents and punctuation dropped, runs of spaces collapsed to one."""
    folded = tr_casefold(text).translate(_TO_ASCII)
    decomposed = unicodedata.normalize("NFKD", folded)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        kept.append(char if char.isalnum() else " ")
    return " ".join("".join(kept).split())


def _char_weights(char: str) -> tuple[tuple[int, int], int]:
    """(primary weight, secondary weight) of one lower-case character."""
    if char in _LETTER_RANK:
        return (3, _LETTER_RANK[char]), 0
    if char.isdigit():
        return (2, unicodedata.digit(char, 0)), 0
    if char.isspace():
        return (0, 0), 0
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if base in _LETTER_RANK:
        # â, î, û (as in "Kâzım") sort with their base letter; the accent only breaks ties.
        return (3, _LETTER_RANK[base]), sum(ord(mark) for mark in marks) or 1
    if unicodedata.category(char)[0] in "PSZC":
        return (1, ord(char)), 0
    return (4, ord(char)), 0


@functools.lru_cache(maxsize=8192)  # the same names are sorted again and again (districts, centres)
def tr_sort_key(text: str) -> tuple:
    """Key for ``sorted`` that puts texts in Turkish alphabetical order.

    Spaces and punctuation come before digits, digits before letters, letters outside the
    Turkish alphabet after it. Comparison is case-insensitive first; among texts equal so far,
    the one without accents comes first, then the one in lower case, then by code points.
    """
    normal = _nfc(text)
    lowered = tr_casefold(normal)
    weights = [_char_weights(char) for char in lowered]
    primary = tuple(weight for weight, _ in weights)
    secondary = tuple(accent for _, accent in weights)
    tertiary = tuple(0 if char == tr_lower(char) else 1 for char in normal)
    return primary, secondary, tertiary, normal, text


# Removed from text that people read (the directory, the info sheet): control characters (Cc:
# NUL, escape sequences that reach a terminal), format characters (Cf: the bidi embeddings,
# overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E, U+200F and U+061C,
# zero-width space, joiners and U+FEFF) and lone surrogates (Cs). A tab becomes a space, a line
# or paragraph separator (Zl, Zp) a new line; a new line stays.
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_REPLACED = {"\t": " ", "\u2028": "\n", "\u2029": "\n"}


def visible_text(text: str) -> str:
    """``text`` without the characters that would let it hide, reorder or disguise itself."""
    if text.isprintable():
        return text
    return "".join(
        _REPLACED.get(char, char)
        for char in text
        if char in _REPLACED or char == "\n" or unicodedata.category(char) not in _REMOVED_CATEGORIES
    )
