"""Expressions of validation rules: sums of indicator totals, narrowed to options if wished.

The grammar (DHIS2-style rules, kept small)::

    expression := term ( "+" term )*
    term       := INDICATOR [ "[" selector ( "," selector )* "]" ]
    selector   := dimension "=" option

``NEW_APPLICANTS`` is the total of every cell of the indicator;
``VIOLENCE_TYPE[violence=physical]`` the total of the cells with that option; with several
selectors a cell must match them all. Spaces around the parts are allowed. Option codes may
contain ``+`` (``NEW_APPLICANTS[age=65+]``): only a ``+`` outside brackets adds terms.
Whether the codes exist is checked with the catalogue (``catalogue_checks``), not here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from caseworker.domain.counts import CellKey
from caseworker.errors import InvalidInput
from caseworker.i18n import t


@dataclass(frozen=True)
class Term:
    """One indicator, optionally narrowed to some options: ``VIOLENCE_TYPE[violence=physical]``."""

    indicator: str
    selectors: tuple[tuple[str, str], ...] = ()

    def matches(self, cell: CellKey) -> bool:
        return cell.indicator == self.indicator and all(cell.option(dim) == option for dim, option in self.selectors)

    def __str__(self) -> str:
        if not self.selectors:
            return self.indicator
        return self.indicator + "[" + ",".join(f"{dim}={option}" for dim, option in self.selectors) + "]"


@dataclass(frozen=True)
class Expression:
    """A sum of terms, the side of a validation rule."""

    terms: tuple[Term, ...]

    def value(self, counts: Mapping[CellKey, int]) -> int:
        """The sum of the counts that each term selects (a term written twice counts twice)."""
        return sum(value for term in self.terms for cell, value in counts.items() if term.matches(cell))

    def __str__(self) -> str:
        return " + ".join(str(term) for term in self.terms)


_TERM = re.compile(r"\s*([A-Z][A-Z0-9_]*)\s*(?:\[(.*)\])?\s*", re.DOTALL)
_SELECTOR = re.compile(r"\s*([a-z][a-z0-9_]*)\s*=\s*([a-z0-9][a-z0-9_+-]*)\s*")


def _split_sum(text: str) -> list[str] | None:
    """Split at the ``+`` signs outside brackets (option codes such as ``65+`` contain one)."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char == "[":
            depth += 1
            if depth > 1:
                return None
        elif char == "]":
            depth -= 1
            if depth < 0:
                return None
        elif char == "+" and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    if depth != 0:
        return None
    parts.append(text[start:])
    return parts


def parse_expression(text: str) -> Expression:
    """Read a rule expression (grammar in the module docstring); only its form is checked here."""
    invalid = InvalidInput(
        t(
            "“{expression}” is not a valid expression. Write a sum of terms such as NEW_APPLICANTS or VIOLENCE_TYPE[violence=physical].",
            expression=text,
        )
    )
    parts = _split_sum(text) if isinstance(text, str) else None
    if not parts:
        raise invalid
    terms = []
    for part in parts:
        match = _TERM.fullmatch(part)
        if match is None:
            raise invalid
        selectors: list[tuple[str, str]] = []
        if match[2] is not None:
            for written in match[2].split(","):
                selector = _SELECTOR.fullmatch(written)
                if selector is None:
                    raise invalid
                selectors.append((selector[1], selector[2]))
        terms.append(Term(match[1], tuple(selectors)))
    return Expression(tuple(terms))
