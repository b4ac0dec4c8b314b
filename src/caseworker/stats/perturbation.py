"""The cell-key method at run time: record keys, cell keys, and the noise a published count gets.

Every recorded contact draws a *record key*, a uniform integer in ``[0, KEY_MODULUS)``
(``new_record_key``). A cell's *cell key* is the sum of its contributors' record keys modulo
``KEY_MODULUS`` (``combine``), so the same set of contacts always gives the same key and the
same published figure, in whichever table it appears. The published figure is the exact count
plus noise looked up in the perturbation table (``ptable.json``, built by
``caseworker.stats.ptable_design``, which documents how its probabilities are chosen).

``PerturbationTable.perturb(value, key)`` applies these rules, in this order (``perturb_all`` to
many counts at once):

1. Arguments: ``value`` must be a whole number ``>= 0`` and ``key`` a whole number with
   ``0 <= key < KEY_MODULUS``; anything else is a ``ValueError`` (never a silent fallback).
2. Zeros stay zero: value 0 publishes 0, whatever the key.
3. Values below ``interior_from`` use their own row: the row is a list of
   ``(target, upper)`` with integer ``upper`` strictly increasing up to ``KEY_MODULUS``; the
   key selects the first entry with ``key < upper``. Integer bounds make the lookup exact and
   the same on every platform.
4. Values from ``interior_from`` on use the interior row's noise: with ``(target, upper)``
   selected from the last row as in rule 3, the published figure is
   ``value + (target - interior_from)``.

Consequences the table guarantees (checked when it is loaded): no published figure is in
``1..blocked_up_to`` (so none is below the threshold ``k = blocked_up_to + 1`` except 0), no
figure differs from the exact count by more than ``max_noise``, and 0 is never perturbed.
``possible_originals(published)`` says what a reader who knows the table can deduce: the
smallest and largest exact count that can give the published figure.

Loading (``load_table``) is strict, in this order: the file's size (``MAX_TABLE_BYTES``), then
JSON (UTF-8, no duplicate keys, no NaN or infinities), then the exact set of fields and their
types, then ``key_modulus == KEY_MODULUS`` and the parameters (``max_noise`` 1..``MAX_NOISE``,
``interior_from == blocked_up_to + max_noise + 1`` and at most ``MAX_ROWS`` rows), then every
row: values consecutive from 0, row 0 exactly ``0 -> 0``, targets strictly increasing, each
``>= 0``, within ``max_noise`` of the value and not in ``1..blocked_up_to``, uppers strictly
increasing and ending at ``KEY_MODULUS``, and the readable probabilities agreeing with the
integer bounds. A wrong file raises ``ValueError`` saying what is wrong; the shipped table is a
part of the program, so a broken one is a bug, not a user error.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseworker.domain.counts import KEY_MODULUS, KeyedCount
from caseworker.paths import resource

MAX_TABLE_BYTES = 1024 * 1024
MAX_NOISE = 100
MAX_ROWS = 1000
PROBABILITY_TOLERANCE = 1e-8
_FIELDS = frozenset({"name", "key_modulus", "max_noise", "variance", "blocked_up_to", "rows", "interior_from"})
_ROW_FIELDS = frozenset({"value", "targets", "probabilities", "mean", "variance"})
_MAX_NAME_LENGTH = 200

Row = tuple[tuple[int, int], ...]


def new_record_key() -> int:
    """A fresh record key, uniform in ``[0, KEY_MODULUS)``, from the system's secure source."""
    return secrets.randbelow(KEY_MODULUS)


def combine(keys: Iterable[int]) -> int:
    """The cell key of a cell with these contributors' record keys: their sum modulo
    ``KEY_MODULUS`` (0 for an empty cell)."""
    total = 0
    for key in keys:
        _check_key(key)
        total += key
    return total % KEY_MODULUS


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_count(value: object, key: object) -> None:
    """Rule 1 for a count and its key: a ``ValueError`` saying which of the two is wrong."""
    if not _is_whole(value) or value < 0:  # type: ignore[operator]
        raise ValueError(f"a count must be a whole number >= 0, not {value!r}")
    _check_key(key)


def _check_key(key: object) -> None:
    if not _is_whole(key) or not 0 <= key < KEY_MODULUS:  # type: ignore[operator]
        raise ValueError(f"a key must be a whole number with 0 <= key < {KEY_MODULUS}, not {key!r}")


@dataclass(frozen=True)
class PerturbationTable:
    """A validated perturbation table; construct it with ``load_table`` or ``parse_table``.
    Building one directly checks the same invariants (``ValueError`` otherwise)."""

    name: str
    max_noise: int
    variance: float
    blocked_up_to: int
    interior_from: int
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        _check_table(self)
        object.__setattr__(self, "_uppers", tuple(tuple(upper for _, upper in row) for row in self.rows))

    @property
    def threshold(self) -> int:
        """The smallest positive count that may be published: ``blocked_up_to + 1``."""
        return self.blocked_up_to + 1

    def perturb(self, value: int, key: int) -> int:
        """The published figure for the exact count ``value`` in a cell with cell key ``key``."""
        return self.perturb_all((KeyedCount(value, key),))[0]

    def perturb_all(self, counts: Iterable[tuple[int, int]]) -> list[int]:
        """``perturb(value, key)`` of each ``(value, key)`` (an edition perturbs thousands at once)."""
        rows, uppers, interior_from, find = self.rows, self._uppers, self.interior_from, bisect.bisect_right  # type: ignore[attr-defined]
        interior_row, interior_uppers = rows[interior_from], uppers[interior_from]
        published: list[int] = []
        add = published.append
        for value, key in counts:
            if value.__class__ is not int or key.__class__ is not int or value < 0 or not 0 <= key < KEY_MODULUS:
                _check_count(value, key)
            if value < interior_from:  # row 0 is 0 -> 0 for every key: zeros stay zero
                add(rows[value][find(uppers[value], key)][0])
            else:
                add(value + interior_row[find(interior_uppers, key)][0] - interior_from)
        return published

    def _can_give(self, original: int, published: int) -> bool:
        if original < self.interior_from:
            return any(target == published for target, _ in self.rows[original])
        shifted = published - original + self.interior_from
        return any(target == shifted for target, _ in self.rows[self.interior_from])

    def possible_originals(self, published: int) -> tuple[int, int]:
        """``(smallest, largest)`` exact count that can be published as ``published``: all a
        reader who knows the table can say about the exact count. ``ValueError`` for a figure the
        table never publishes (negative, or in ``1..blocked_up_to``)."""
        if not _is_whole(published) or published < 0:
            raise ValueError(f"a published figure is a whole number >= 0, not {published!r}")
        candidates = [v for v in range(max(0, published - self.max_noise), published + self.max_noise + 1) if self._can_give(v, published)]
        if not candidates:
            raise ValueError(f"the table {self.name} never publishes {published}")
        return candidates[0], candidates[-1]

    def method(self) -> dict[str, Any]:
        """The parameters a publication states so that readers know how figures were protected."""
        return {
            "name": self.name,
            "max_noise": self.max_noise,
            "threshold": self.threshold,
            "variance": self.variance,
            "zeros": "never perturbed",
            "blocked": [1, self.blocked_up_to],
        }


def _check_table(table: PerturbationTable) -> None:
    if not isinstance(table.name, str) or not 0 < len(table.name) <= _MAX_NAME_LENGTH:
        raise ValueError(f"the table's name must be a string of 1 to {_MAX_NAME_LENGTH} characters")
    for field, value, low in (("max_noise", table.max_noise, 1), ("blocked_up_to", table.blocked_up_to, 0), ("interior_from", table.interior_from, 1)):
        if not _is_whole(value) or value < low:
            raise ValueError(f"{field} must be a whole number >= {low}, not {value!r}")
    if table.max_noise > MAX_NOISE:
        raise ValueError(f"max_noise must be at most {MAX_NOISE}, not {table.max_noise}")
    if not isinstance(table.variance, float) or not math.isfinite(table.variance) or table.variance <= 0:
        raise ValueError(f"variance must be a positive finite number, not {table.variance!r}")
    if table.interior_from != table.blocked_up_to + table.max_noise + 1:
        raise ValueError(f"interior_from must be blocked_up_to + max_noise + 1 = {table.blocked_up_to + table.max_noise + 1}, not {table.interior_from}")
    if table.interior_from + 1 > MAX_ROWS:
        raise ValueError(f"the table may hold at most {MAX_ROWS} rows")
    if not isinstance(table.rows, tuple) or len(table.rows) != table.interior_from + 1:
        raise ValueError(f"the table must hold rows 0..{table.interior_from}, one per value")
    for value, row in enumerate(table.rows):
        _check_row(table, value, row)
    if table.rows[0] != ((0, KEY_MODULUS),):
        raise ValueError("row 0 must be exactly 0 -> 0: zeros are never perturbed")


def _check_row(table: PerturbationTable, value: int, row: Row) -> None:
    where = f"row {value}"
    if not isinstance(row, tuple) or not row:
        raise ValueError(f"{where}: no targets")
    previous_target, previous_upper = -1, 0
    for entry in row:
        if not isinstance(entry, tuple) or len(entry) != 2 or not all(_is_whole(x) for x in entry):
            raise ValueError(f"{where}: every entry must be a pair of whole numbers (target, upper), not {entry!r}")
        target, upper = entry
        if target < 0:
            raise ValueError(f"{where}: target {target} is negative")
        if target <= previous_target:
            raise ValueError(f"{where}: targets must be strictly increasing ({target} after {previous_target})")
        if abs(target - value) > table.max_noise:
            raise ValueError(f"{where}: target {target} is more than max_noise = {table.max_noise} away")
        if 1 <= target <= table.blocked_up_to:
            raise ValueError(f"{where}: target {target} is in the blocked range 1..{table.blocked_up_to}")
        if upper <= previous_upper:
            raise ValueError(f"{where}: uppers must be strictly increasing ({upper} after {previous_upper})")
        previous_target, previous_upper = target, upper
    if previous_upper != KEY_MODULUS:
        raise ValueError(f"{where}: the last upper must be {KEY_MODULUS}, not {previous_upper}")


def _reject_constant(name: str) -> float:
    raise ValueError(f"the table may not contain {name}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the field {key!r} appears twice")
        result[key] = value
    return result


def _whole(document: dict[str, Any], field: str) -> int:
    value = document[field]
    if not _is_whole(value):
        raise ValueError(f"{field} must be a whole number, not {value!r}")
    return value


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return float(value)


def _pairs(value: object, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(p, list) and len(p) == 2 for p in value):
        raise ValueError(f"{what} must be a list of pairs")
    return value


def _parse_row(raw: object, value: int) -> Row:
    """The ``(target, upper)`` pairs of one row; its readable fields are checked later, by
    ``_check_readable``, once the table's structure is known to be sound."""
    where = f"row {value}"
    if not isinstance(raw, dict) or set(raw) != _ROW_FIELDS:
        raise ValueError(f"{where} must have exactly the fields {sorted(_ROW_FIELDS)}")
    if not _is_whole(raw["value"]) or raw["value"] != value:
        raise ValueError(f"rows must be consecutive from 0: expected value {value}, found {raw['value']!r}")
    return tuple(tuple(pair) for pair in _pairs(raw["targets"], f"{where}: targets"))  # type: ignore[return-value]


def _check_readable(raw: dict[str, Any], row: Row) -> None:
    """The probabilities written for people must name the same targets as the bounds and agree
    with the bounds' widths."""
    where = f"row {raw['value']}"
    probabilities = _pairs(raw["probabilities"], f"{where}: probabilities")
    _number(raw["mean"], f"{where}: mean")
    _number(raw["variance"], f"{where}: variance")
    if [p[0] for p in probabilities] != [entry[0] for entry in row]:
        raise ValueError(f"{where}: the probabilities must list the same targets as the bounds")
    lower = 0
    for (target, upper), (_, probability) in zip(row, probabilities):
        p = _number(probability, f"{where}: probability of {target}")
        if abs(p - (upper - lower) / KEY_MODULUS) > PROBABILITY_TOLERANCE:
            raise ValueError(f"{where}: the probability of {target} ({p}) does not match its bounds")
        lower = upper


def parse_table(data: bytes) -> PerturbationTable:
    """A perturbation table from the bytes of a ``ptable.json``; ``ValueError`` otherwise."""
    if len(data) > MAX_TABLE_BYTES:
        raise ValueError(f"the table file is larger than {MAX_TABLE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the table file is not UTF-8") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ValueError(f"the table file is not JSON: {error}") from None
    if not isinstance(document, dict) or set(document) != _FIELDS:
        raise ValueError(f"the table must have exactly the fields {sorted(_FIELDS)}")
    if _whole(document, "key_modulus") != KEY_MODULUS:
        raise ValueError(f"key_modulus must be {KEY_MODULUS}, not {document['key_modulus']}")
    max_noise = _whole(document, "max_noise")
    blocked = _whole(document, "blocked_up_to")
    interior_from = _whole(document, "interior_from")
    variance = _number(document["variance"], "variance")
    rows = document["rows"]
    if not isinstance(rows, list) or len(rows) > MAX_ROWS:
        raise ValueError(f"rows must be a list of at most {MAX_ROWS} rows")
    table = PerturbationTable(
        name=document["name"],
        max_noise=max_noise,
        variance=variance,
        blocked_up_to=blocked,
        interior_from=interior_from,
        rows=tuple(_parse_row(raw, value) for value, raw in enumerate(rows)),
    )
    for raw, row in zip(rows, table.rows):
        _check_readable(raw, row)
    return table


@functools.lru_cache(maxsize=8)
def load_table(path: str | os.PathLike[str] | None = None) -> PerturbationTable:
    """The perturbation table in ``path``, or the shipped ``resources/disclosure/ptable.json``;
    read once and cached."""
    source = resource("disclosure", "ptable.json") if path is None else Path(path)
    with source.open("rb") as handle:
        data = handle.read(MAX_TABLE_BYTES + 1)
    return parse_table(data)
