"""The tables of a report as plain data, the CSV files written from them, and the figures of
one month as a report shows them.

A ``ReportTable`` is what a PDF prints and what its CSV holds: a title, column headings, rows of
figures or texts. CSV files are UTF-8 with a byte-order mark and CRLF line ends, so that
spreadsheet programs on Windows read the Turkish letters.

``PublishedMonth`` holds one month's figures for a report: every exact figure in an internal
report (``exact_month``); in a public one only what the month's public edition published
(``public_month``, from ``caseworker.stats.publication``), ``NOT_SHOWN`` for the rest and for
every figure of a month never released.

Month names come from the translation catalogue (never the system locale), in the language
of the report.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseworker.domain import csv_cells
from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.errors import fault_from_os_error
from caseworker.i18n import t_in
from caseworker.reports.numbers import number_text
from caseworker.stats.publication import PublicEdition
from caseworker.storage.atomic import write_atomic



@dataclass(frozen=True)
class NotShown:
    """A figure a public report does not print: a breakdown not published, or a period not released."""

    def __str__(self) -> str:
        return NOT_SHOWN_SYMBOL


NOT_SHOWN_SYMBOL = ".."
NOT_SHOWN = NotShown()

Entry = int | NotShown
"""A figure as a report may print it: the number, or ``NOT_SHOWN``."""

Value = int | str
"""What a table cell holds: a figure, or a text (the not-published symbol, a change, a dash)."""

DASH = "—"


# ---------------------------------------------------------------------------- names of months


def month_name(month: int, language: str) -> str:
    """The name of a month (1-12) in ``language``, from the translation catalogue."""
    names = (
        t_in(language, "January"), t_in(language, "February"), t_in(language, "March"),
        t_in(language, "April"), t_in(language, "May"), t_in(language, "June"),
        t_in(language, "July"), t_in(language, "August"), t_in(language, "September"),
        t_in(language, "October"), t_in(language, "November"), t_in(language, "December"),
    )
    return names[month - 1]


def short_month_name(month: int, language: str) -> str:
    """A three-letter name of a month for chart axes (``Oca``, ``Şub``; ``Jan``, ``Feb``)."""
    names = (
        t_in(language, "Jan (short month name)"), t_in(language, "Feb (short month name)"),
        t_in(language, "Mar (short month name)"), t_in(language, "Apr (short month name)"),
        t_in(language, "May (short month name)"), t_in(language, "Jun (short month name)"),
        t_in(language, "Jul (short month name)"), t_in(language, "Aug (short month name)"),
        t_in(language, "Sep (short month name)"), t_in(language, "Oct (short month name)"),
        t_in(language, "Nov (short month name)"), t_in(language, "Dec (short month name)"),
    )
    return names[month - 1]


def period_label(period: Period, language: str) -> str:
    """``Ocak 2026`` / ``January 2026``."""
    return f"{month_name(period.month, language)} {period.year}"


def date_time_label(moment: datetime, language: str) -> str:
    """``24 Kasım 2026, 14:05`` / ``24 November 2026, 14:05``, in the computer's time zone."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local.day} {month_name(local.month, language)} {local.year}, {local:%H:%M}"


def not_shown_footnote(language: str) -> str:
    """The note under a public table that explains the symbol."""
    return t_in(language, "{symbol}: not published (too few women behind the figure, or the period was not released).", symbol=NOT_SHOWN_SYMBOL)


# ---------------------------------------------------------------------------- plain tables


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Value, ...]
    is_total: bool = False


@dataclass(frozen=True)
class ReportTable:
    """One table of a report. ``columns[0]`` heads the row labels, the rest the values."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    sensitive: bool = False
    note: str | None = None
    footnote: str | None = None

    def column(self, heading: str) -> list[Value]:
        index = self.columns.index(heading) - 1
        return [row.values[index] for row in self.rows]

    def row(self, label: str) -> Row:
        return next(row for row in self.rows if row.label == label)


def csv_bytes(table: ReportTable) -> bytes:
    """The table as CSV: a heading row, then one row per table row; UTF-8 with BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_cells.row(table.columns))
    for row in table.rows:
        writer.writerow(csv_cells.row((row.label, *row.values)))
    if table.footnote:
        writer.writerow(())
        writer.writerow(csv_cells.row((table.footnote,)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_stem(index: int, name: str) -> str:
    """``03_violence_type``: numbered in report order, letters, digits and ``_`` only."""
    return f"{index:02d}_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def write_csv(tables: Sequence[ReportTable], folder: Path) -> list[Path]:
    """Write each table to ``folder/NN_name.csv`` (each file atomically); the folder is made if missing."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fault_from_os_error(error, folder) from error
    written = []
    for index, table in enumerate(tables, start=1):
        path = folder / f"{file_stem(index, table.name)}.csv"
        write_atomic(path, csv_bytes(table))
        written.append(path)
    return written


# ---------------------------------------------------------------------------- what may be shown


def layout_cells(catalogue: Catalogue, indicator: Indicator, *months: Mapping[CellKey, int]) -> list[CellKey]:
    """The rows of an indicator's breakdown: its active options in catalogue order, then any
    retired option that has a figure in one of ``months``."""
    cells = catalogue.cells(indicator)
    known = set(cells)
    for cell in catalogue.cells(indicator, include_retired=True):
        if cell not in known and any(month.get(cell, 0) for month in months):
            cells.append(cell)
    return cells


@dataclass(frozen=True)
class PublishedMonth:
    """The figures of one month as a report shows them (``NOT_SHOWN`` where not published)."""

    cells: Mapping[CellKey, Entry]
    totals: Mapping[str, Entry]
    public: bool = False

    def cell(self, key: CellKey) -> Entry:
        return self.cells.get(key, NOT_SHOWN if self.public else 0)

    def total(self, indicator: str) -> Entry:
        return self.totals.get(indicator, NOT_SHOWN if self.public else 0)


def exact_month(catalogue: Catalogue, values: Mapping[CellKey, int]) -> PublishedMonth:
    """Every figure of the month, exact (internal reports)."""
    cells: dict[CellKey, Entry] = {}
    totals: dict[str, Entry] = {}
    for indicator in catalogue.indicators:
        keys = layout_cells(catalogue, indicator, values)
        cells.update((key, values.get(key, 0)) for key in keys)
        totals[indicator.code] = sum(values.get(key, 0) for key in keys)
    return PublishedMonth(cells, totals)


def public_month(catalogue: Catalogue, edition: PublicEdition | None, area: str) -> PublishedMonth:
    """The figures of ``area`` that ``edition`` published; none if the month was never released."""
    if edition is None:
        return PublishedMonth({}, {}, public=True)
    cells: dict[CellKey, Entry] = {}
    totals: dict[str, Entry] = {}
    for indicator in catalogue.indicators:
        total = edition.value(area, indicator.code)
        totals[indicator.code] = NOT_SHOWN if total is None else total
        for key in catalogue.cells(indicator, include_retired=True):
            value = edition.value(area, indicator.code, key.options)
            cells[key] = NOT_SHOWN if value is None else value
    return PublishedMonth(cells, totals, public=True)


# ---------------------------------------------------------------------------- changes


def change_text(current: Entry, other: Entry, language: str) -> str:
    """``+3 (+25%)`` (Turkish: ``+3 (+%25)``), ``-2 (-10%)``, ``0``, ``+4`` when the other is 0;
    the symbol if either figure is not shown."""
    if isinstance(current, NotShown) or isinstance(other, NotShown):
        return NOT_SHOWN_SYMBOL
    difference = current - other
    if difference == 0:
        return "0"
    sign = "+" if difference > 0 else "-"
    text = f"{sign}{number_text(abs(difference), language)}"
    if other:
        percent = abs(round(100 * difference / other))
        text += f" ({sign}%{percent})" if language == "tr" else f" ({sign}{percent}%)"
    return text


def entry_value(entry: Entry) -> Value:
    return str(entry) if isinstance(entry, NotShown) else entry
