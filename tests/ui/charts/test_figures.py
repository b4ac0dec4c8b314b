"""Numbers as the charts write them, in Turkish and in English."""

from __future__ import annotations

from caseworker.domain.periods import Period
from caseworker.ui.charts import figures


def test_turkish_numbers():
    assert figures.integer(1234567) == "1.234.567"
    assert figures.decimal(1234.56) == "1.234,6"
    assert figures.percent(12.4) == "%12" and figures.percent(-8.0, sign=True) == "−%8" and figures.percent(None) == "—"
    assert figures.signed(12) == "+12" and figures.signed(-1500) == "−1.500" and figures.signed(None) == "—"
    assert figures.month_range(Period(2026, 1), Period(2026, 3)) == "Oca 2026 – Mar 2026"


def test_english_numbers(english):
    assert figures.integer(1234567) == "1,234,567"
    assert figures.decimal(1234.56) == "1,234.6"
    assert figures.percent(12.4, sign=True) == "+12%"
    assert figures.month(Period(2026, 5)) == "May 2026"
