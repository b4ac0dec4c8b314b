"""Outlier hints: a value far above what the centre counted in its previous twelve months.

A hint, not an error: the supervisor sees it before submitting and decides. The rule, per
indicator total and per cell, needs at least three earlier months with figures; it flags a
value of at least 5 that exceeds the median of those months by more than the larger of three
robust standard deviations (1.4826 × MAD), three Poisson standard deviations (3 √median) and 5.
A month without figures (the centre recorded nothing for it, e.g. before it started using
Caseworker) is left out, not counted as zeros; in a month with figures a cell not counted is 0.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseworker.domain.counts import CellKey

MIN_HISTORY = 3
MIN_VALUE = 5


@dataclass(frozen=True)
class OutlierHint:
    subject: str  # an indicator code (its total) or a cell written as CellKey's str
    value: int
    typical: float
    threshold: float


def threshold(history: Sequence[int]) -> float | None:
    if len(history) < MIN_HISTORY:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    return median + max(3 * 1.4826 * mad, 3 * math.sqrt(median), 5)


def _totals(values: Mapping[CellKey, int]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for cell, value in values.items():
        totals[cell.indicator] += value
    return totals


def find_outliers(current: Mapping[CellKey, int], history: Sequence[Mapping[CellKey, int] | None]) -> list[OutlierHint]:
    """Hints for ``current`` given up to twelve earlier months' figures (oldest first); ``None``
    stands for a month without figures."""
    hints: list[OutlierHint] = []
    months = [month for month in list(history)[-12:] if month is not None]
    series: list[tuple[str, int, list[int]]] = []
    totals = _totals(current)
    past_totals = [_totals(month) for month in months]
    for indicator, value in sorted(totals.items()):
        series.append((indicator, value, [month.get(indicator, 0) for month in past_totals]))
    for cell, value in sorted(current.items()):
        if cell.options:
            series.append((str(cell), value, [month.get(cell, 0) for month in months]))
    for subject, value, past in series:
        limit = threshold(past)
        if limit is not None and value >= MIN_VALUE and value > limit:
            hints.append(OutlierHint(subject, value, statistics.median(past), limit))
    return hints
