"""Months, quarters and years: strict parsing, arithmetic and roll-ups."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseworker.domain.periods import Period, Quarter, Year, last_12_months, months_between
from caseworker.errors import InvalidInput
from caseworker.i18n import set_language

periods = st.builds(Period, st.integers(1900, 2500), st.integers(1, 12))


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language("tr")


def test_parse_and_write_round_trip():
    period = Period.parse("2026-01")
    assert (period.year, period.month) == (2026, 1)
    assert str(period) == "2026-01"
    assert str(Period(2026, 11)) == "2026-11"


@pytest.mark.parametrize(
    "text", ["2026-1", "2026-13", "26-01", "2026-01-05", "2026-00", "2026/01", " 2026-01", "2026-01\n", "２０２６-01", ""]
)
def test_parse_is_strict(text):
    with pytest.raises(InvalidInput) as caught:
        Period.parse(text)
    assert text.strip() in str(caught.value)


def test_message_is_translated_and_says_how_to_write(english):
    with pytest.raises(InvalidInput) as caught:
        Period.parse("2026-1")
    english_message = str(caught.value)
    assert "YYYY-MM" in english_message
    set_language("tr")
    with pytest.raises(InvalidInput) as caught:
        Period.parse("2026-1")
    assert str(caught.value) != english_message
    assert "YYYY-AA" in str(caught.value) and "2026-1" in str(caught.value)


def test_month_out_of_range_says_so(english):
    with pytest.raises(InvalidInput, match="01 to 12"):
        Period.parse("2026-13")
    with pytest.raises(InvalidInput):
        Period(2026, 0)


def test_next_and_previous_cross_the_year():
    assert Period(2026, 12).next() == Period(2027, 1)
    assert Period(2026, 1).previous() == Period(2025, 12)
    assert Period(2026, 5).next() == Period(2026, 6)


def test_order_follows_time():
    assert Period(2025, 12) < Period(2026, 1) < Period(2026, 2)
    assert sorted([Period(2026, 3), Period(2025, 11), Period(2026, 1)]) == [Period(2025, 11), Period(2026, 1), Period(2026, 3)]


def test_months_between_is_inclusive():
    months = months_between(Period(2025, 11), Period(2026, 2))
    assert [str(m) for m in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between(Period(2026, 4), Period(2026, 4)) == (Period(2026, 4),)


def test_months_between_refuses_reversed_range(english):
    with pytest.raises(InvalidInput, match="2026-05.*2026-04"):
        months_between(Period(2026, 5), Period(2026, 4))


def test_same_month_last_year():
    assert Period(2026, 2).same_month_last_year() == Period(2025, 2)


def test_quarters():
    assert Period(2026, 10).quarter == Quarter(2026, 4)
    assert Period(2026, 3).quarter == Quarter(2026, 1)
    assert str(Quarter(2026, 4)) == "2026-Q4"
    assert Quarter.parse("2026-Q4").months() == (Period(2026, 10), Period(2026, 11), Period(2026, 12))
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    for bad in ("2026-Q5", "2026-Q0", "2026Q4", "2026-4"):
        with pytest.raises(InvalidInput):
            Quarter.parse(bad)


def test_years():
    year = Year.parse("2026")
    assert year.months()[0] == Period(2026, 1) and year.months()[-1] == Period(2026, 12)
    assert len(year.months()) == 12
    assert Period(2026, 7).whole_year == year == Year.of(Period(2026, 7))
    assert [q.months()[0].month for q in year.quarters()] == [1, 4, 7, 10]
    with pytest.raises(InvalidInput):
        Year.parse("26")


def test_current_month():
    assert Period.current(date(2026, 2, 28)) == Period(2026, 2)
    assert Period.current() == Period.of(date.today())


def test_first_and_last_day():
    assert Period(2024, 2).last_day == date(2024, 2, 29)
    assert Period(2026, 2).last_day == date(2026, 2, 28)
    assert Period(2026, 12).first_day == date(2026, 12, 1)


def test_last_12_months_ends_at_the_month():
    months = last_12_months(Period(2026, 3))
    assert months[0] == Period(2025, 4) and months[-1] == Period(2026, 3)
    assert len(months) == 12


@given(periods)
def test_written_form_round_trips(period):
    assert Period.parse(str(period)) == period


@given(periods)
def test_next_undoes_previous(period):
    assert period.next().previous() == period
    assert period.previous() < period < period.next()


@given(periods, periods)
def test_order_matches_written_order_and_range_length(a, b):
    assert (a < b) == (str(a) < str(b))
    first, last = min(a, b), max(a, b)
    months = months_between(first, last)
    assert months[0] == first and months[-1] == last
    assert all(earlier.next() == later for earlier, later in zip(months, months[1:]))


@given(periods)
def test_every_month_is_in_its_quarter_and_year(period):
    assert period in period.quarter.months()
    assert period in period.whole_year.months()
