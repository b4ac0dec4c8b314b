"""The one JSON reader for everything that crosses a trust boundary: bundle payloads, key slots,
enrolment requests and coordinator profiles, HSDS directories, catalogues, publications and the
backup manifest.

Python's own reader turns a hostile document into an exception nobody foresaw: deep nesting
into ``RecursionError``, a 5,000-digit number into ``ValueError``, ``NaN`` into a float. Here
each document is checked against its ``JsonLimits``, in this order, before and while it is
parsed:

1. its size in bytes, before anything else;
2. UTF-8 (a byte order mark is allowed);
3. with strings set aside, how deep arrays and objects nest, and how long each number is;
4. then the parse itself, which refuses ``NaN`` and ``Infinity``.

A violation of 1–4 is ``InvalidInput`` naming the document and the limit. A syntax error stays
``json.JSONDecodeError`` (with its line and column), which callers turn into their own message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from caseworker.errors import InvalidInput
from caseworker.i18n import t


@dataclass(frozen=True)
class JsonLimits:
    """The most a document may hold: bytes, levels of nesting and characters of one number."""

    max_bytes: int
    max_depth: int = 32
    max_number_chars: int = 40


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(code for code in range(256) if code not in b"[]{}")
_PAIRS = bytes.maketrans(b"[{]}", b"(())")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
# Every character a JSON number may hold becomes "0", every other one a space.
_NUMBER_RUNS = bytes(ord("0") if chr(code) in "-+.0123456789eE" else ord(" ") for code in range(256))
# Up to this many brackets, nesting is measured by taking out the innermost pairs, a pass per
# level: several times faster than counting bracket by bracket, and at most ``max_depth`` passes.
PAIRING_UP_TO = 100_000


def _outside_strings(data: bytes) -> bytes:
    """The document with its strings left out. Without a backslash the quotes simply pair up, and
    splitting at them is several times faster than the pattern that follows escapes. (In UTF-8 no
    byte of a longer character is a quote, a backslash or a bracket, so this reads bytes.)"""
    if b"\\" not in data:
        pieces = data.split(b'"')
        if len(pieces) % 2:
            return b"".join(pieces[::2])
    return _STRING.sub(b"", data)


def _brackets(outside_strings: bytes) -> bytes:
    return outside_strings.translate(None, _NOT_BRACKETS)


def _openers(count: int) -> re.Pattern[bytes]:
    """``count`` openings in a row: too deep for certain, found without counting every bracket."""
    return re.compile(rb"[\[{]{%d}" % count)


def _nests_deeper_than(brackets: bytes, limit: int) -> bool:
    """Whether the brackets nest deeper than ``limit``. A pass that takes out every innermost pair
    leaves the brackets one level shallower, so a document ``limit`` deep is gone after ``limit``
    passes; one that is not (deeper, or brackets that do not pair: the parser says where) is
    counted bracket by bracket."""
    if len(brackets) <= limit:
        return False
    if len(brackets) <= PAIRING_UP_TO:
        pairs = brackets.translate(_PAIRS)
        for _ in range(limit):
            shallower = pairs.replace(b"()", b"")
            if not shallower:
                return False
            if len(shallower) == len(pairs):
                break
            pairs = shallower
    return _openers(limit + 1).search(brackets) is not None or max(accumulate(map(_STEP.__getitem__, brackets))) > limit


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


class _Constant(Exception):
    pass


def _name(what: str | Callable[[], str]) -> str:
    return what if isinstance(what, str) else what()


def loads(data: bytes | str, limits: JsonLimits, what: str | Callable[[], str]) -> Any:
    """The parsed document, if it is within ``limits``; ``what`` names it in the reasons, or gives
    its name when a reason needs it (a name translated only for a document refused)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > limits.max_bytes:
        raise InvalidInput(t("{what} is larger than allowed ({size} bytes; at most {limit}).", what=_name(what), size=len(raw), limit=limits.max_bytes))
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise InvalidInput(t("{what} is not UTF-8 text (fault at byte {offset}).", what=_name(what), offset=error.start)) from None
    outside_strings = _outside_strings(raw)
    if _nests_deeper_than(_brackets(outside_strings), limits.max_depth):
        raise InvalidInput(t("{what} nests arrays and objects deeper than {limit} levels.", what=_name(what), limit=limits.max_depth))
    if b"0" * (limits.max_number_chars + 1) in outside_strings.translate(_NUMBER_RUNS):
        raise InvalidInput(t("{what} holds a number longer than {limit} characters.", what=_name(what), limit=limits.max_number_chars))
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except _Constant as constant:
        raise InvalidInput(t("{file} is not valid JSON: it contains {value}, which JSON does not allow.", file=_name(what), value=constant)) from None
    except RecursionError:  # the checks above keep the parser far from this; kept so it is never a crash
        raise InvalidInput(t("{what} nests arrays and objects deeper than {limit} levels.", what=_name(what), limit=limits.max_depth)) from None
