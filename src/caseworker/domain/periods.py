"""Reporting periods: the calendar month (``YYYY-MM``) and the quarters and years built from it.

A month is the unit in which centres count and report. Quarters (``2026-Q4``) and years
(``2026``) are only roll-ups of months, never stored on their own.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from caseworker.errors import InvalidInput
from caseworker.i18n import t

MIN_YEAR = 1000
MAX_YEAR = 9999

_MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_PATTERN = re.compile(r"([0-9]{4})-Q([1-4])")
_YEAR_PATTERN = re.compile(r"[0-9]{4}")


def _check_year(year: int, value: object) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(
            t("The year of {value} is out of range: use a year from {low} to {high}.", value=value, low=MIN_YEAR, high=MAX_YEAR)
        )


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month. Written and parsed as ``YYYY-MM``; ordered in time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not isinstance(self.month, int) or not 1 <= self.month <= 12:
            raise InvalidInput(t("{value} is not a month: the month must be from 01 to 12.", value=f"{self.year}-{self.month}"))
        _check_year(self.year, f"{self.year:04d}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a month written strictly as ``YYYY-MM`` (for example ``2026-03``)."""
        match = _MONTH_PATTERN.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(t("A month must be written as YYYY-MM, for example 2026-03, not “{value}”.", value=text))
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise InvalidInput(t("{value} is not a month: the month must be from 01 to 12.", value=text))
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Period:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def current(cls, today: date | None = None) -> Period:
        """The month of ``today`` (default: the computer's date)."""
        return cls.of(today or date.today())

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Period:
        return self.plus(1)

    def previous(self) -> Period:
        return self.plus(-1)

    def plus(self, months: int) -> Period:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def same_month_last_year(self) -> Period:
        return Period(self.year - 1, self.month)

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    @property
    def whole_year(self) -> Year:
        return Year(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


@dataclass(frozen=True, order=True)
class Quarter:
    """Three months, written ``YYYY-Qn`` (``2026-Q4`` is October to December 2026)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise InvalidInput(
                t(
                    "A quarter must be written as YYYY-Qn with n from 1 to 4, for example 2026-Q4, not “{value}”.",
                    value=f"{self.year}-Q{self.number}",
                )
            )
        _check_year(self.year, f"{self.year}-Q{self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER_PATTERN.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidInput(
                t("A quarter must be written as YYYY-Qn with n from 1 to 4, for example 2026-Q4, not “{value}”.", value=text)
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, period: Period) -> Quarter:
        return period.quarter

    def __str__(self) -> str:
        return f"{self.year:04d}-Q{self.number}"

    def months(self) -> tuple[Period, ...]:
        first = 3 * (self.number - 1) + 1
        return tuple(Period(self.year, month) for month in range(first, first + 3))

    def next(self) -> Quarter:
        return self.months()[-1].next().quarter

    def previous(self) -> Quarter:
        return self.months()[0].previous().quarter


@dataclass(frozen=True, order=True)
class Year:
    """Twelve months, written ``YYYY``."""

    year: int

    def __post_init__(self) -> None:
        _check_year(self.year, self.year)

    @classmethod
    def parse(cls, text: str) -> Year:
        if not isinstance(text, str) or _YEAR_PATTERN.fullmatch(text) is None:
            raise InvalidInput(t("A year must be written with four digits, for example 2026, not “{value}”.", value=text))
        return cls(int(text))

    @classmethod
    def of(cls, period: Period) -> Year:
        return cls(period.year)

    def __str__(self) -> str:
        return f"{self.year:04d}"

    def months(self) -> tuple[Period, ...]:
        return tuple(Period(self.year, month) for month in range(1, 13))

    def quarters(self) -> tuple[Quarter, ...]:
        return tuple(Quarter(self.year, number) for number in range(1, 5))


def months_between(first: Period, last: Period) -> tuple[Period, ...]:
    """Every month from ``first`` to ``last``, both included, in order."""
    if first > last:
        raise InvalidInput(
            t("The first month {first} comes after the last month {last}. Give the earlier month first.", first=first, last=last)
        )
    count = (last.year - first.year) * 12 + (last.month - first.month) + 1
    return tuple(first.plus(offset) for offset in range(count))


def last_12_months(end: Period) -> tuple[Period, ...]:
    """The twelve months ending with ``end`` (included), oldest first."""
    return months_between(end.plus(-11), end)
