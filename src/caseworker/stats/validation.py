"""Checking a month's counts against the catalogue's validation rules (DHIS2-style)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from caseworker.domain.catalogue import Catalogue, ValidationRule
from caseworker.domain.counts import CellKey


@dataclass(frozen=True)
class RuleResult:
    rule: ValidationRule
    left: int
    right: int

    @property
    def holds(self) -> bool:
        return self.rule.compare(self.left, self.right)

    @property
    def blocks_submission(self) -> bool:
        return not self.holds and self.rule.importance == "high"


def validate(catalogue: Catalogue, values: Mapping[CellKey, int]) -> list[RuleResult]:
    """Every rule of the catalogue evaluated on ``values`` (missing cells count as 0)."""
    return [RuleResult(rule, rule.left.value(values), rule.right.value(values)) for rule in catalogue.rules]


def violations(results: list[RuleResult]) -> list[RuleResult]:
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted((r for r in results if not r.holds), key=lambda r: order.get(r.rule.importance, 3))
