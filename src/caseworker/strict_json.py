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


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_ASCII_BUT_BRACKETS = {code: None for code in range(128) if chr(code) not in "[]{}"}
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _outside_strings(text: str) -> str:
    """The text with its strings left out. Without a backslash the quotes simply pair up, and
    splitting at them is several times faster than the pattern that follows escapes."""
    if "\\" not in text:
        pieces = text.split('"')
        if len(pieces) % 2:
            return "".join(pieces[::2])
    return _STRING.sub("", text)


def _brackets(outside_strings: str) -> str:
    kept = outside_strings.translate(_ASCII_BUT_BRACKETS)
    return kept if kept.isascii() else _NOT_BRACKET.sub("", outside_strings)  # not JSON outside its strings: the parser says where


def _openers(count: int) -> re.Pattern[str]:
    """``count`` openings in a row: too deep for certain, found without counting every bracket."""
    return re.compile(r"[\[{]{%d}" % count)


def _number_pattern(limit: int) -> re.Pattern[str]:
    return re.compile(r"[-+0-9.eE]{%d,}" % (limit + 1))


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


class _Constant(Exception):
    pass


def loads(data: bytes | str, limits: JsonLimits, what: str) -> Any:
    """The parsed document, if it is within ``limits``; ``what`` names it in the reasons."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limits.max_bytes:
        raise InvalidInput(t("{what} is larger than allowed ({size} bytes; at most {limit}).", what=what, size=size, limit=limits.max_bytes))
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInput(t("{what} is not UTF-8 text (fault at byte {offset}).", what=what, offset=error.start)) from None
    else:
        text = data
    outside_strings = _outside_strings(text)
    brackets = _brackets(outside_strings)
    if len(brackets) > limits.max_depth and (_openers(limits.max_depth + 1).search(brackets) or max(accumulate(map(_STEP.__getitem__, brackets))) > limits.max_depth):
        raise InvalidInput(t("{what} nests arrays and objects deeper than {limit} levels.", what=what, limit=limits.max_depth))
    if _number_pattern(limits.max_number_chars).search(outside_strings):
        raise InvalidInput(t("{what} holds a number longer than {limit} characters.", what=what, limit=limits.max_number_chars))
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except _Constant as constant:
        raise InvalidInput(t("{file} is not valid JSON: it contains {value}, which JSON does not allow.", file=what, value=constant)) from None
    except RecursionError:  # the checks above keep the parser far from this; kept so it is never a crash
        raise InvalidInput(t("{what} nests arrays and objects deeper than {limit} levels.", what=what, limit=limits.max_depth)) from None
