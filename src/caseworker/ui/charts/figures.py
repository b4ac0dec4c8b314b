"""Numbers and months as the charts write them, in the current language: Turkish groups
thousands with a dot and writes decimals with a comma ("1.234", "12,5", "%12"); English with a
comma and a point ("1,234", "12.5", "12%")."""

from __future__ import annotations

from caseworker.domain.periods import Period
from caseworker.i18n import current_language, t

DASH = "—"


def _localised(text: str) -> str:
    if current_language() != "tr":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def integer(value: int | None) -> str:
    return DASH if value is None else _localised(f"{value:,d}")


def decimal(value: float | None, places: int = 1) -> str:
    return DASH if value is None else _localised(f"{value:,.{places}f}")


def signed(value: int | None) -> str:
    if value is None:
        return DASH
    return ("+" if value > 0 else "−" if value < 0 else "±") + integer(abs(value))


def percent(value: float | None, places: int = 0, sign: bool = False) -> str:
    if value is None:
        return DASH
    number = decimal(abs(value) if sign else value, places)
    prefix = ("+" if value > 0 else "−" if value < 0 else "±") if sign else ""
    return f"{prefix}%{number}" if current_language() == "tr" else f"{prefix}{number}%"


def month_abbreviations() -> tuple[str, ...]:
    return (t("Jan (short month)"), t("Feb (short month)"), t("Mar (short month)"), t("Apr (short month)"), t("May (short month)"),
            t("Jun (short month)"), t("Jul (short month)"), t("Aug (short month)"), t("Sep (short month)"), t("Oct (short month)"),
            t("Nov (short month)"), t("Dec (short month)"))


def month(period: Period) -> str:
    """"Oca 2026" / "Jan 2026"."""
    return f"{month_abbreviations()[period.month - 1]} {period.year}"


def month_range(first: Period, last: Period) -> str:
    return month(first) if first == last else f"{month(first)} – {month(last)}"
