"""Reading a decrypted payload of format 2 fast, with ``bundle-payload-2.schema.json`` written as code.

A generic JSON Schema pass walks a bundle's hundreds of cells through the validator's whole
machinery and was most of a coordinator's import time. Here the schema is plain code over the
parsed document, checked in the same pass that reads the cells into ``CellKey`` and
``KeyedCount``, and it is *conservative*: ``read_cells`` reads only a document the schema
certainly accepts. For any other it answers None and the schema itself decides and names what
is wrong (``payload.from_bytes``), so a refusal's reason is the same as ever, and a rare document
this code is too strict for (``2.0`` for ``2``, a string ending in a line feed that the
schema's ``$`` lets through) is still judged by the schema.

tests/sync/test_payload_check.py holds it against the schema on mutated and generated documents.
"""

from __future__ import annotations

import re
from typing import Any

from caseworker.domain.counts import CellKey, KeyedCount, canonical

_TOP_KEYS = frozenset(("format", "format_version", "bundle_id", "centre_id", "sequence", "created_at", "catalogue_version", "previous_hash", "months"))
_MONTH_KEYS = frozenset(("period", "status", "catalogue_version", "cells"))
_MONTH_KEYS_WITH_BASIS = _MONTH_KEYS | {"first_submitted"}
_CELL_KEYS = frozenset(("indicator", "options", "value", "key"))
_STATUSES = frozenset(("open", "submitted", "reopened"))

_BUNDLE_ID = re.compile(r"[0-9a-f]{32}").fullmatch
_CENTRE_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}").fullmatch
_CREATED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00").fullmatch
_HASH = re.compile(r"[0-9a-f]{64}").fullmatch
_PERIOD = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])").fullmatch
_INDICATOR = re.compile(r"[A-Z][A-Z0-9_]{0,63}").fullmatch
_DIMENSION = re.compile(r"[a-z][a-z0-9_]{0,63}").fullmatch
_OPTION = re.compile(r"[a-z0-9][a-z0-9_+-]{0,63}").fullmatch

MAX_MONTHS = 240
MAX_CELLS = 5000
MAX_OPTIONS = 8
MAX_SEQUENCE = 2147483647
MAX_CELL_VALUE = 1_000_000
MAX_CELL_KEY = 4294967295


def _whole(value: object, low: int, high: int | None = None) -> bool:
    return type(value) is int and low <= value and (high is None or value <= high)  # type() refuses True and False


def _string(value: object, matches) -> bool:
    return type(value) is str and matches(value) is not None


Cells = dict[CellKey, KeyedCount]

# The cells whose (indicator, options) passed before, by that form: a coordinator's bundles
# repeat the same few hundred cells, so each form's patterns are checked, and its CellKey
# built, once per process (emptied when it grows past its bound: hostile bundles cannot make it large).
_FORMS_PASSED: dict[tuple[str, tuple[tuple[str, object], ...]], CellKey] = {}
MAX_FORMS_REMEMBERED = 16384


def _new_cell_key(form: tuple[object, tuple[tuple[object, object], ...]]) -> CellKey | None:
    """The cell of a form not seen before, if its indicator and options follow the schema."""
    indicator, pairs = form
    if type(indicator) is not str or len(pairs) > MAX_OPTIONS or _INDICATOR(indicator) is None:
        return None
    if not all(type(name) is str and _DIMENSION(name) and _string(option, _OPTION) for name, option in pairs):
        return None
    if len(_FORMS_PASSED) >= MAX_FORMS_REMEMBERED:
        _FORMS_PASSED.clear()
    found = _FORMS_PASSED[form] = canonical(CellKey(indicator, pairs))  # type: ignore[arg-type]
    return found


def _cells(cells: object) -> Cells | None:
    """The cells read, or None: not certainly valid, or a cell given twice (``payload`` says which)."""
    if type(cells) is not list or len(cells) > MAX_CELLS:
        return None
    counts: Cells = {}
    passed = _FORMS_PASSED
    for cell in cells:
        # Exactly the four keys: four entries, each of them found.
        if type(cell) is not dict or len(cell) != 4:
            return None
        try:
            value, key, options = cell["value"], cell["key"], cell["options"]
            form = (cell["indicator"], tuple(options.items()) if type(options) is dict else None)
            found = passed.get(form)  # a form that passed before is valid again
        except (KeyError, TypeError):  # a key missing; an option that is a list or an object
            return None
        if type(value) is not int or type(key) is not int or not (1 <= value <= MAX_CELL_VALUE and 0 <= key <= MAX_CELL_KEY):
            return None
        if found is None:
            if form[1] is None or (found := _new_cell_key(form)) is None:  # type: ignore[arg-type]
                return None
        counts[found] = KeyedCount(value, key)
    return counts if len(counts) == len(cells) else None


def _month(month: object) -> tuple[Cells, Cells | None] | None:
    if type(month) is not dict:
        return None
    keys = month.keys()
    if keys != _MONTH_KEYS and keys != _MONTH_KEYS_WITH_BASIS:
        return None
    if not (_string(month["period"], _PERIOD) and type(month["status"]) is str and month["status"] in _STATUSES
            and _whole(month["catalogue_version"], 1)):
        return None
    counts = _cells(month["cells"])
    if counts is None:
        return None
    if "first_submitted" not in month:
        return counts, None
    basis = _cells(month["first_submitted"])
    return None if basis is None else (counts, basis)


def read_cells(document: Any) -> list[tuple[Cells, Cells | None]] | None:
    """Each month's cells and cells as first submitted (None where the month has none), read,
    if ``document`` certainly follows the format 2 schema and gives no cell twice in a list;
    None says: ask the schema, which decides and names what is wrong."""
    if type(document) is not dict or document.keys() != _TOP_KEYS:
        return None
    previous = document["previous_hash"]
    months = document["months"]
    if not (
        document["format"] == "caseworker-bundle" and type(document["format"]) is str
        and _whole(document["format_version"], 2, 2)
        and _string(document["bundle_id"], _BUNDLE_ID)
        and _string(document["centre_id"], _CENTRE_ID)
        and _whole(document["sequence"], 1, MAX_SEQUENCE)
        and _string(document["created_at"], _CREATED_AT)
        and _whole(document["catalogue_version"], 1)
        and (previous is None or _string(previous, _HASH))
        and type(months) is list and len(months) <= MAX_MONTHS
    ):
        return None
    read = []
    for month in months:
        cells = _month(month)
        if cells is None:
            return None
        read.append(cells)
    return read
