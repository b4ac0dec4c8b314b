"""The address of one count: an indicator and one option of each of its dimensions.

A month's figures are a mapping ``CellKey -> int``; where public figures are made, each count
also carries its cell key for perturbation (``KeyedCount``; docs/disclosure.md). A ``CellKey`` is canonical: its
(dimension, option) pairs are kept sorted by dimension code, so two keys built in any order
are equal and hash alike, and they sort in a stable order for files and reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

# The largest count a cell may hold, typed or received.
MAX_VALUE = 1_000_000


@dataclass(frozen=True, order=True)
class CellKey:
    """``CellKey("VIOLENCE_TYPE", (("violence", "physical"),))``; no pairs for an indicator
    without dimensions (``CellKey("WITH_CHILDREN")``)."""

    indicator: str
    options: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        pairs = tuple(sorted((str(dimension), str(option)) for dimension, option in self.options))
        if len({dimension for dimension, _ in pairs}) != len(pairs):
            raise ValueError(f"a cell has one option per dimension: {self.indicator} {pairs}")
        object.__setattr__(self, "options", pairs)
        # Cells are dictionary keys by the million in sums and imports: the hash is worked out once.
        object.__setattr__(self, "_hash", hash((self.indicator, pairs)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    def __reduce__(self) -> tuple[type[CellKey], tuple[str, tuple[tuple[str, str], ...]]]:
        return CellKey, (self.indicator, self.options)  # a hash is worked out afresh in each process

    @classmethod
    def of(cls, indicator: str, options: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> CellKey:
        """Build from a mapping ``{"age": "25-34"}`` or from pairs."""
        pairs = options.items() if isinstance(options, Mapping) else options
        return cls(indicator, tuple(pairs))

    def option(self, dimension: str) -> str | None:
        """The option of ``dimension`` in this cell, or None if the cell has no such dimension."""
        for code, option in self.options:
            if code == dimension:
                return option
        return None

    def options_dict(self) -> dict[str, str]:
        return dict(self.options)

    def to_json(self) -> dict[str, object]:
        """The form used in ``counts show --json`` and bundles: ``{"indicator", "options"}``."""
        return {"indicator": self.indicator, "options": self.options_dict()}

    def __str__(self) -> str:
        if not self.options:
            return self.indicator
        return self.indicator + "[" + ",".join(f"{dimension}={option}" for dimension, option in self.options) + "]"


KEY_MODULUS = 2**32
"""Record keys and cell keys are whole numbers from 0 to ``KEY_MODULUS - 1``; sums wrap around."""


# Equal cells made in different places (the catalogue's, rows read from the store, a bundle's)
# are made one object: a dictionary finds a key by identity before it compares, and comparing
# two equal cells field by field costs more than the lookup itself (a public year compares
# thousands). Emptied when it grows past its bound: cells are a catalogue's few hundred.
_CANONICAL_CELLS: dict[CellKey, CellKey] = {}
MAX_CANONICAL_CELLS = 65536


def canonical(cell: CellKey) -> CellKey:
    """The one object of the cells equal to ``cell``."""
    found = _CANONICAL_CELLS.get(cell)
    if found is None:
        if len(_CANONICAL_CELLS) >= MAX_CANONICAL_CELLS:
            _CANONICAL_CELLS.clear()
        found = _CANONICAL_CELLS[cell] = cell
    return found


class KeyedCount(NamedTuple):
    """A count with its cell key: the sum of its contributors' record keys modulo ``KEY_MODULUS``
    (docs/disclosure.md). A zero count has no contributors and the key 0. (A named tuple: sums
    and public editions make tens of thousands at a time, see ``keyed_count``.)"""

    value: int
    key: int = 0

    def __add__(self, other: KeyedCount) -> KeyedCount:  # type: ignore[override]
        return keyed_count((self.value + other.value, (self.key + other.key) % KEY_MODULUS))


keyed_count: Callable[[tuple[int, int]], KeyedCount] = partial(tuple.__new__, KeyedCount)
"""``KeyedCount`` of a pair ``(value, key)``, made without the named tuple's ``__new__``, which
is Python code: a third of the cost where sums make thousands."""


def key_after_edit(value: int, key: int, new_value: int, draw: Callable[[], int]) -> int:
    """The cell key once a cell is set by hand from ``value`` to ``new_value``.

    Units added by hand are contributors like recorded contacts: one fresh key for all of them
    (a sum of uniform keys is uniform). A decrease cannot say which contributors left, so the
    cell draws a fresh key: after any hand edit the key is as random as a recorded one, and no
    key tells an edit from a recording. An unchanged value keeps its key; zero has the key 0.
    """
    if new_value == 0:
        return 0
    if new_value == value:
        return key
    if new_value > value:
        return (key + draw()) % KEY_MODULUS
    return draw()
