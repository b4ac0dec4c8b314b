"""Public editions: every figure a public report, CSV folder or JSON document may carry.

A public edition covers one release period (``app.releases`` checks that it ended and that all
of its months were approved) and is made of the figures as first submitted, each with its cell
key. The rules, in this order (docs/disclosure.md gives the reasons and the sources):

1. **Perturbation.** A published figure of a perturbed indicator is ``table.perturb(value,
   key)``, where value and key are the sums over every count behind the figure (its months,
   centres and options). The same counts always give the same figure, in any edition. Indicators
   that count no women and are not tied by a validation rule to one that does (``exact_indicators``:
   awareness events and their participants) are published exactly.
2. **Totals always.** Every area's total of every active indicator is published: each district
   and the city (city editions), or the centre (centre editions).
3. **Breakdowns only where enough women stand behind them.** An area's breakdown of a perturbed
   indicator is published only when the published total of the indicator's base (``base_indicator``: new
   applicants for what the new-applicant form counts, returning clients for the follow-up form)
   is at least ``BREAKDOWN_MINIMUM``, and the published breakdown of a sensitive indicator does
   not show all of the area's women in one category: at least two options are non-zero, and
   none reaches the base.
4. **Merging (city editions).** Districts whose breakdown may not be shown are merged into one
   row, ``OTHER_DISTRICTS``. While that row may not be shown either, the smallest shown district
   (by published base, then name) joins it; when every district has joined, only the city row
   remains, shown if rule 3 allows. So no difference of published rows gives a withheld row.

A figure that is not published has the value ``None``. Nothing here reads the store.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import chain, repeat
from json.encoder import encode_basestring as _json_string
from operator import attrgetter
from typing import Any, NamedTuple

from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount, keyed_count
from caseworker.domain.periods import Period
from caseworker.domain.text import tr_sort_key
from caseworker.stats.perturbation import PerturbationTable

CITY = "city"
OTHER_DISTRICTS = "other districts"
BREAKDOWN_MINIMUM = 20
"""Women behind an area's figures before its breakdowns are published (four times k = 5)."""

SCOPES = ("centre", "city")
EDITION_FORMAT = "caseworker-public-edition"
EDITION_VERSION = 1

Figures = Mapping[CellKey, KeyedCount]
_ZERO = KeyedCount(0)
_indicator_of = attrgetter("indicator")
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class PublicFigure(NamedTuple):
    """One published figure: ``options`` ``()`` is the indicator's total over its options. (A named
    tuple: an edition of the city holds thousands, made in a moment.)"""

    area: str
    indicator: str
    options: tuple[tuple[str, str], ...]
    value: int | None

    def to_json(self) -> dict[str, Any]:
        return {"area": self.area, "indicator": self.indicator, "options": dict(self.options), "value": self.value}


_figure = partial(tuple.__new__, PublicFigure)
"""``PublicFigure`` from its fields as a tuple, without the named tuple's own ``__new__`` in Python
(an edition of the city is thousands of figures)."""


@dataclass(frozen=True)
class PublicEdition:
    """The figures of one public edition, in a fixed order, and the method that made them.
    ``areas`` lists the areas with totals: the districts and then ``CITY``, or the centre."""

    scope: str
    first: Period
    last: Period
    method: Mapping[str, Any]
    areas: tuple[str, ...]
    figures: tuple[PublicFigure, ...]

    @cached_property
    def _index(self) -> dict[tuple[str, str, tuple[tuple[str, str], ...]], int | None]:
        """Each figure's value by area, indicator and options (made when first looked up: the
        quarters issued with a year are registered without being read)."""
        return {(f.area, f.indicator, f.options): f.value for f in self.figures}

    def value(self, area: str, indicator: str, options: Iterable[tuple[str, str]] = ()) -> int | None:
        """The published value; ``None`` when not published or not in the edition."""
        return self._index.get((area, indicator, tuple(sorted(options))))

    def has(self, area: str, indicator: str, options: Iterable[tuple[str, str]] = ()) -> bool:
        return (area, indicator, tuple(sorted(options))) in self._index

    def breakdown_rows(self, indicator: str) -> tuple[str, ...]:
        """The areas whose breakdown of ``indicator`` is in the edition, in edition order."""
        return tuple(dict.fromkeys(f.area for f in self.figures if f.indicator == indicator and f.options))

    def to_json(self) -> dict[str, Any]:
        return {**self._described(), "cells": [figure.to_json() for figure in self.figures]}

    def _described(self) -> dict[str, Any]:
        """Everything ``to_json`` holds but the figures, in its order."""
        return {
            "format": EDITION_FORMAT,
            "format_version": EDITION_VERSION,
            "edition": "public",
            "scope": self.scope,
            "from": str(self.first),
            "to": str(self.last),
            "method": dict(self.method),
            "areas": list(self.areas),
        }

    def canonical_bytes(self) -> bytes:
        """``to_json()`` as compact JSON with keys sorted, UTF-8: what the register keeps."""
        return self.registered()[0]

    def figures_hash(self) -> str:
        """SHA-256 of the figures alone (areas, cells and values in order), for the register."""
        return self.registered()[1]

    def registered(self) -> tuple[bytes, str]:
        """The canonical JSON (``canonical_bytes``) and the ``figures_hash``, from one encoding of
        the figures: the figures' JSON is both hashed and put in the document, at the place of its
        key ``cells`` among the sorted keys."""
        described = self._described()
        cells = _figures_json(self.figures)
        before = _CANONICAL.encode({key: value for key, value in described.items() if key < "cells"})
        after = _CANONICAL.encode({key: value for key, value in described.items() if key > "cells"})
        parts = (before[1:-1].encode("utf-8"), b'"cells":' + cells, after[1:-1].encode("utf-8"))
        return b"{" + b",".join(part for part in parts if part) + b"}", hashlib.sha256(cells).hexdigest()

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> PublicEdition:
        """Read an edition as ``to_json`` wrote it (the register's own copy)."""
        return cls(
            scope=document["scope"],
            first=Period.parse(document["from"]),
            last=Period.parse(document["to"]),
            method=document["method"],
            areas=tuple(document["areas"]),
            figures=tuple(PublicFigure(cell["area"], cell["indicator"], tuple(sorted(cell["options"].items())), cell["value"])
                          for cell in document["cells"]),
        )


# The pieces of the figures' JSON, encoded once (UTF-8) and kept: a figure's start (its area and
# indicator), its options, its value. An issue's five editions share nearly all of them; each
# store is emptied when it outgrows its bound.
_JSON_HEADS: dict[tuple[str, str], bytes] = {}
_JSON_OPTIONS: dict[tuple[tuple[str, str], ...], bytes] = {}
_JSON_VALUES: dict[int | None, bytes] = {None: b"null},"}
MAX_JSON_PIECES = 65536


def _figures_json(figures: Sequence[PublicFigure]) -> bytes:
    """``[figure.to_json() for figure in figures]`` as ``_CANONICAL`` encodes it, in UTF-8, put
    together from the pieces above. A figure's keys, and the options' dimensions, are in sorted
    order as ``sort_keys`` puts them; strings are encoded as ``ensure_ascii=False`` encodes them
    (``encode_basestring``)."""
    for pieces in (_JSON_HEADS, _JSON_OPTIONS, _JSON_VALUES):
        if len(pieces) > MAX_JSON_PIECES:
            pieces.clear()
    heads, tails, texts = _JSON_HEADS, _JSON_OPTIONS, _JSON_VALUES
    texts[None] = b"null},"
    parts = []
    add = parts.append
    last_area = last_indicator = head = None
    for area, indicator, options, value in figures:
        if indicator is not last_indicator or area is not last_area:
            last_area, last_indicator = area, indicator
            head = heads.get((area, indicator))
            if head is None:
                head = heads[(area, indicator)] = f'{{"area":{_json_string(area)},"indicator":{_json_string(indicator)},"options":'.encode("utf-8")
        tail = tails.get(options)
        if tail is None:
            pairs = ",".join(f"{_json_string(dimension)}:{_json_string(option)}" for dimension, option in sorted(options))
            tail = tails[options] = ("{" + pairs + '},"value":').encode("utf-8")
        text = texts.get(value)
        if text is None:
            text = texts[value] = f"{value}}},".encode("ascii")
        add(head)
        add(tail)
        add(text)
    if parts:
        parts[-1] = parts[-1][:-1]  # no comma after the last figure
    return b"[" + b"".join(parts) + b"]"


# ---------------------------------------------------------------------------- the catalogue's part


def rule_bounds(catalogue: Catalogue) -> list[tuple[str, str, bool]]:
    """What the validation rules tell a reader about indicator totals: ``(bounded, bounding,
    exact)`` means the total of ``bounded`` is at most (``exact``: equal to) that of ``bounding``.
    Only rules between whole indicators count (``PROTECTIVE_ORDER_SUPPORT <= NEW_APPLICANTS``)."""
    bounds = []
    for rule in catalogue.rules:
        sides = (rule.left.terms, rule.right.terms)
        if not all(len(terms) == 1 and not terms[0].selectors for terms in sides):
            continue
        left, right = sides[0][0].indicator, sides[1][0].indicator
        if rule.operator == "==":
            bounds += [(left, right, True), (right, left, True)]
        elif rule.operator in ("<", "<="):
            bounds.append((left, right, False))
        elif rule.operator in (">", ">="):
            bounds.append((right, left, False))
    return bounds


def tie_group(catalogue: Catalogue, indicator: str) -> frozenset[str]:
    """``indicator`` and every indicator tied to it by rules, directly or through others."""
    return _tied(rule_bounds(catalogue), indicator)


def _tied(bounds: Sequence[tuple[str, str, bool]], indicator: str) -> frozenset[str]:
    group, queue = {indicator}, deque([indicator])
    while queue:
        code = queue.popleft()
        for bounded, bounding, _ in bounds:
            for one, other in ((bounded, bounding), (bounding, bounded)):
                if one == code and other not in group:
                    group.add(other)
                    queue.append(other)
    return frozenset(group)


def exact_indicators(catalogue: Catalogue) -> frozenset[str]:
    """Indicators published without noise: not sensitive, and tied to nothing sensitive."""
    sensitive = {i.code for i in catalogue.indicators if i.sensitive}
    bounds = rule_bounds(catalogue)
    return frozenset(i.code for i in catalogue.indicators if not _tied(bounds, i.code) & sensitive)


def base_indicator(catalogue: Catalogue, indicator: str) -> str:
    """The indicator that counts the women behind ``indicator``'s breakdown: the first
    single-choice count of the form that increments it, or the indicator itself."""
    for form in catalogue.forms:
        if any(indicator in form_field.increments for form_field in form.fields):
            for form_field in form.fields:
                if form_field.choice == "single" and form_field.increments:
                    return form_field.increments[0]
    return indicator


def breakdown_cells(catalogue: Catalogue, indicator: Indicator, *figures: Figures) -> list[CellKey]:
    """An indicator's cells: its active options in catalogue order, then any retired option
    with a figure in one of ``figures``."""
    cells = catalogue.cells(indicator)
    known = set(cells)
    for cell in catalogue.cells(indicator, include_retired=True):
        if cell not in known and any(part.get(cell, _ZERO).value for part in figures):
            cells.append(cell)
    return cells


def method(table: PerturbationTable, catalogue: Catalogue, exact: frozenset[str] | None = None) -> dict[str, Any]:
    """What an edition says about how it was made (the ``method`` of its JSON); ``exact``: the
    catalogue's ``exact_indicators``, where worked out already."""
    return {
        **table.method(),
        "name": "cell-key perturbation",
        "table": table.name,
        "threshold": catalogue.sharing.k,
        "breakdown_minimum": BREAKDOWN_MINIMUM,
        "exact_indicators": sorted(exact_indicators(catalogue) if exact is None else exact),
        "basis": "figures as first submitted",
    }


# ---------------------------------------------------------------------------- making an edition


def add_up(parts: Iterable[Figures]) -> dict[CellKey, KeyedCount]:
    """The cell-by-cell sum of keyed figures (values and keys); the same as adding the
    ``KeyedCount``s one by one, without making one for every step."""
    sums = _sums_of_pairs(chain.from_iterable(part.items() for part in parts))
    return {cell: keyed_count((value, key % KEY_MODULUS)) for cell, (value, key) in sums.items()}


def _sums_of_pairs(counts: Iterable[tuple[Hashable, Sequence[int]]]) -> dict[Any, list[int]]:
    """``{name: [sum of values, sum of keys]}`` of ``(name, (value, key))`` pairs (a name: a cell,
    or an indicator)."""
    sums: dict[Any, list[int]] = {}
    for name, (value, key) in counts:
        found = sums.get(name)
        if found is None:
            sums[name] = [value, key]
        else:
            found[0] += value
            found[1] += key
    return sums


class _Publisher:
    """Published values of one catalogue with one table."""

    def __init__(self, catalogue: Catalogue, table: PerturbationTable) -> None:
        self.catalogue = catalogue
        self.table = table
        self.exact = exact_indicators(catalogue)
        self.bases = {i.code: base_indicator(catalogue, i.code) for i in catalogue.indicators}

    def values(self, indicator: str, values: Sequence[int], keys: Iterable[int]) -> list[int]:
        """The published values of the counts of ``indicator`` with these exact values and sums of
        keys (not yet reduced modulo ``KEY_MODULUS``)."""
        if indicator in self.exact:
            return list(values)
        return self.table.perturb_all(zip(values, map(KEY_MODULUS.__rmod__, keys)))

    def totals(self, sums: Mapping[str, Sequence[int]]) -> dict[str, int]:
        """The published totals of ``{indicator: (value, sum of keys)}``, all perturbed in one call."""
        exact: dict[str, int] = {}
        perturbed: dict[str, tuple[int, int]] = {}
        for indicator, (value, key) in sums.items():
            if indicator in self.exact:
                exact[indicator] = value
            else:
                perturbed[indicator] = (value, key % KEY_MODULUS)
        return {**dict(zip(perturbed, self.table.perturb_all(perturbed.values()), strict=True)), **exact}


# The editions of one issue (a year and its quarters) share a catalogue and a table: what the
# catalogue's rules say about them is worked out once, for the pair seen last.
_LAST_PUBLISHER: list[_Publisher] = []


def _publisher(catalogue: Catalogue, table: PerturbationTable) -> _Publisher:
    held = _LAST_PUBLISHER[:]  # one read: another thread may put its own pair in meanwhile
    if held and held[0].catalogue is catalogue and held[0].table is table:
        return held[0]
    publisher = _Publisher(catalogue, table)
    _LAST_PUBLISHER[:] = [publisher]
    return publisher


Counts = tuple[Sequence[int], Sequence[int]]
"""An area's exact counts of an indicator's cells, in the order of its cells: their values, and
their sums of keys (not yet reduced modulo ``KEY_MODULUS``)."""


class _Area:
    """One row of an edition (a district, the merged districts, the city or the centre): its
    exact sums, and its published totals and breakdowns, each worked out once. ``cells``: an
    indicator's cells in the edition, the same for every area. ``sums``: each indicator's total
    as ``(value, sum of keys)``; an indicator it lacks totals 0, as zeros stay zero."""

    def __init__(self, publisher: _Publisher, sums: Mapping[str, Sequence[int]]) -> None:
        self.publisher = publisher
        self.sums = sums
        self._totals: dict[str, int] | None = None
        self._counts: dict[str, tuple[Sequence[CellKey], Counts]] = {}
        self._breakdowns: dict[str, list[int]] = {}
        self._showable: dict[str, bool] = {}

    def _count(self, indicator: str, cells: Sequence[CellKey]) -> Counts:
        raise NotImplementedError

    def total(self, indicator: str) -> int:
        totals = self._totals
        if totals is None:
            totals = self._totals = self.publisher.totals(self.sums)
        return totals.get(indicator, 0)

    def counts(self, indicator: str, cells: Sequence[CellKey]) -> Counts:
        """The exact counts of ``indicator``'s ``cells`` (kept with the cells they are of: a
        quarter's area is read again for its year, whose cells may hold a retired option more)."""
        found = self._counts.get(indicator)
        if found is None or found[0] != cells:
            found = self._counts[indicator] = (cells, self._count(indicator, cells))
        return found[1]

    def breakdown(self, indicator: Indicator, cells: Sequence[CellKey]) -> list[int]:
        found = self._breakdowns.get(indicator.code)
        if found is None:
            found = self._breakdowns[indicator.code] = self.publisher.values(indicator.code, *self.counts(indicator.code, cells))
        return found

    def showable(self, indicator: Indicator, cells: Sequence[CellKey]) -> bool:
        """Rule 3: enough women behind the area, and not all of them in one category (exact
        indicators count no women: their breakdowns are always shown)."""
        found = self._showable.get(indicator.code)
        if found is None:
            found = self._showable[indicator.code] = self._check_showable(indicator, cells)
        return found

    def _check_showable(self, indicator: Indicator, cells: Sequence[CellKey]) -> bool:
        if indicator.code in self.publisher.exact:
            return True
        base = self.total(self.publisher.bases[indicator.code])
        if base < BREAKDOWN_MINIMUM:
            return False
        if not indicator.sensitive:
            return True
        shown = self.breakdown(indicator, cells)
        return sum(1 for value in shown if value) >= 2 and max(shown, default=0) < base


class _Figures(_Area):
    """An area of its own figures: a district, or the centre."""

    def __init__(self, publisher: _Publisher, figures: Figures) -> None:
        super().__init__(publisher, _sums_of_pairs(zip(map(_indicator_of, figures), figures.values(), strict=True)))
        self.figures = figures

    def _count(self, indicator: str, cells: Sequence[CellKey]) -> Counts:
        if not cells:
            return (), ()
        values, keys = zip(*map(self.figures.get, cells, repeat(_ZERO, len(cells))), strict=True)
        return values, keys


class _Sum(_Area):
    """Areas counted together: the city, or the merged districts. Cell by cell, its values and
    keys are the sums of theirs (a list per area, added up position by position)."""

    def __init__(self, publisher: _Publisher, parts: Sequence[_Area]) -> None:
        super().__init__(publisher, _sums_of_pairs(chain.from_iterable(part.sums.items() for part in parts)))
        self.parts = parts

    def _count(self, indicator: str, cells: Sequence[CellKey]) -> Counts:
        counts = [part.counts(indicator, cells) for part in self.parts]
        values = list(map(sum, zip(*(values for values, _ in counts), strict=True)))
        return values, list(map(sum, zip(*(keys for _, keys in counts), strict=True)))


def build_edition(scope: str, first: Period, last: Period, catalogue: Catalogue, table: PerturbationTable,
                  by_area: Mapping[str, Figures]) -> PublicEdition:
    """The public edition of ``by_area``'s figures (summed over the period): for ``scope``
    ``"city"`` the districts (in Turkish alphabetical order) and the city, for ``"centre"`` the
    one centre (``by_area`` holds one area)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope}")
    publisher = _publisher(catalogue, table)
    districts = tuple(sorted(by_area, key=tr_sort_key)) if scope == "city" else tuple(by_area)
    rows: dict[str, _Area] = {area: _Figures(publisher, by_area[area]) for area in districts}
    return _edition(scope, first, last, publisher, districts, rows, [by_area[area] for area in districts])


def build_city_year(first: Period, last: Period, catalogue: Catalogue, table: PerturbationTable,
                    quarters: Sequence[tuple[Period, Period, Mapping[str, Figures]]]) -> tuple[list[PublicEdition], PublicEdition]:
    """The city editions of a year's quarters (each with its districts' figures) and of the year
    ``first`` to ``last``, the same as ``build_edition`` makes of each. The year's figures are
    the quarters' added up: each district's sums are taken from its quarters', cell by cell,
    instead of adding up its figures once more."""
    publisher = _publisher(catalogue, table)
    districts = tuple(sorted(quarters[0][2], key=tr_sort_key))
    if any(set(by_area) != set(districts) for _, _, by_area in quarters):
        raise ValueError("the quarters of a year have the same districts")
    editions, quarter_rows = [], []
    for quarter_first, quarter_last, by_area in quarters:
        rows: dict[str, _Area] = {area: _Figures(publisher, by_area[area]) for area in districts}
        quarter_rows.append(dict(rows))
        editions.append(_edition("city", quarter_first, quarter_last, publisher, districts, rows, [by_area[area] for area in districts]))
    year_rows: dict[str, _Area] = {area: _Sum(publisher, [rows[area] for rows in quarter_rows]) for area in districts}
    figures = [by_area[area] for _, _, by_area in quarters for area in districts]
    return editions, _edition("city", first, last, publisher, districts, year_rows, figures)


def _edition(scope: str, first: Period, last: Period, publisher: _Publisher, districts: tuple[str, ...], rows: dict[str, _Area],
             figures_behind: Sequence[Figures]) -> PublicEdition:
    """The edition of the areas ``rows`` (one per district, or the centre; the city's is added
    here). ``figures_behind``: the figures they are made of, for the retired options that have one."""
    catalogue, table = publisher.catalogue, publisher.table
    indicators = catalogue.active_indicators()
    if scope == "city":
        rows[CITY] = _Sum(publisher, list(rows.values()))
    figures: list[PublicFigure] = []
    codes = [indicator.code for indicator in indicators]
    for area, row in rows.items():
        figures += [_figure((area, code, (), row.total(code))) for code in codes]
    for indicator in indicators:
        if not indicator.dimensions:
            continue
        cells = breakdown_cells(catalogue, indicator, *figures_behind)
        options = [cell.options for cell in cells]
        for area, row in _breakdown_rows(publisher, indicator, cells, rows, districts, scope):
            values = row.breakdown(indicator, cells) if row.showable(indicator, cells) else [None] * len(cells)
            if area == OTHER_DISTRICTS:
                figures.append(PublicFigure(area, indicator.code, (), row.total(indicator.code)))
            figures += map(_figure, zip(repeat(area, len(cells)), repeat(indicator.code, len(cells)), options, values, strict=True))
    return PublicEdition(scope, first, last, method(table, catalogue, publisher.exact), (*rows,), tuple(figures))


def _breakdown_rows(publisher: _Publisher, indicator: Indicator, cells: Sequence[CellKey], rows: Mapping[str, _Area],
                    districts: Sequence[str], scope: str) -> list[tuple[str, _Area]]:
    """Rule 4: the rows of an indicator's breakdown table, with the figures behind each."""
    if scope != "city":
        return [(area, rows[area]) for area in districts]
    base = publisher.bases[indicator.code]
    shown = [district for district in districts if rows[district].showable(indicator, cells)]
    merged = [district for district in districts if district not in shown]
    other: _Area | None = _Sum(publisher, [rows[d] for d in merged]) if merged else None
    while other is not None and shown and not other.showable(indicator, cells):
        smallest = min(shown, key=lambda d: (rows[d].total(base), tr_sort_key(d)))
        shown.remove(smallest)
        other = _Sum(publisher, [other, rows[smallest]])  # the sums so far, and the district it takes in
    result: list[tuple[str, _Area]] = [(district, rows[district]) for district in shown]
    if other is not None and shown:
        result.append((OTHER_DISTRICTS, other))
    result.append((CITY, rows[CITY]))
    return result
