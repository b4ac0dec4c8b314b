"""The tables of a report as plain data, the CSV files written from them, and the figures a
report may publish.

A ``ReportTable`` is what a PDF prints and what its CSV holds: a title, column headings, rows of
figures or texts. CSV files are UTF-8 with a byte-order mark and CRLF line ends, so that
spreadsheet programs on Windows read the Turkish letters.

``published_month`` decides which figures of one month a report shows. In an internal report,
all of them. In a public one, every sensitive indicator goes through disclosure control
(``caseworker.stats.disclosure``): the breakdown of one indicator in one month, with its total,
is one table protected on its own. So the same month always gets the same hidden values,
whichever report shows it (the monthly summary of that month, or of the next one as "previous
month"), and two reports cannot be subtracted from each other. Validation rules tie some totals
together (``NEW_APPLICANTS == REFERRED_FROM``, ``SESSIONS >= RETURNING_CLIENTS``), and a reader
may know them: when a hidden total is tied to a shown one that would give it away, that one is
hidden too (``_hide_bounding_totals``).

Month names come from the translation catalogue (never the system locale), in the language
of the report.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from caseworker.domain import csv_cells
from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period
from caseworker.errors import fault_from_os_error
from caseworker.i18n import t_in
from caseworker.stats.disclosure import ProtectedTable, Suppressed, Table, protect
from caseworker.storage.atomic import write_atomic

Entry = int | Suppressed
"""A figure as a report may print it: the number, or a hidden value."""

Value = int | str
"""What a table cell holds: a figure, or a text (the suppression symbol, a change, a dash)."""

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


def suppression_footnote(k: int, language: str) -> str:
    """The note that explains the suppression symbol: the words of ``ProtectedTable.footnote``."""
    hidden = ProtectedTable(("",), ("",), k, ((Suppressed(primary=False), None), (None, None)))
    return hidden.footnote(language) or ""


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
    """The figures of one month as a report shows them (``Suppressed`` where hidden)."""

    cells: Mapping[CellKey, Entry]
    totals: Mapping[str, Entry]
    k: int | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)

    def cell(self, key: CellKey) -> Entry:
        return self.cells.get(key, 0)

    def total(self, indicator: str) -> Entry:
        return self.totals.get(indicator, 0)

    @property
    def public(self) -> bool:
        return self.k is not None


def published_month(catalogue: Catalogue, values: Mapping[CellKey, int], k: int | None) -> PublishedMonth:
    """The month's figures for a report: all of them (``k`` None), or disclosure-controlled."""
    cells: dict[CellKey, Entry] = {}
    totals: dict[str, Entry] = {}
    hidden: set[str] = set()
    for indicator in catalogue.indicators:
        keys = layout_cells(catalogue, indicator, values)
        figures = [values.get(key, 0) for key in keys]
        if k is None or not indicator.sensitive:
            cells.update(zip(keys, figures, strict=True))
            totals[indicator.code] = sum(figures)
            continue
        shown, total = _protected_breakdown(indicator, keys, figures, k)
        cells.update(zip(keys, shown, strict=True))
        totals[indicator.code] = total
        if any(isinstance(entry, Suppressed) for entry in (*shown, total)):
            hidden.add(indicator.code)
    if k is not None:
        _hide_bounding_totals(catalogue, values, k, cells, totals, hidden)
    return PublishedMonth(cells, totals, k, frozenset(hidden))


def _protected_breakdown(indicator: Indicator, keys: list[CellKey], figures: list[int], k: int) -> tuple[list[Entry], Entry]:
    if not indicator.dimensions:
        protected = protect(Table((indicator.code,), ("n",), ((figures[0],),), True, False, False, False), k)
        return [protected.entry(0, 0)], protected.entry(0, 0)
    table = Table(tuple(str(key) for key in keys), ("n",), tuple((figure,) for figure in figures), True,
                  row_totals=False, column_totals=True, grand_total=False)
    protected = protect(table, k)
    return [protected.entry(row, 0) for row in range(len(keys))], protected.entry(len(keys), 0)  # type: ignore[list-item,return-value]


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


def _hide_bounding_totals(catalogue: Catalogue, values: Mapping[CellKey, int], k: int, cells: dict[CellKey, Entry],
                          totals: dict[str, Entry], hidden: set[str]) -> None:
    """A hidden total must not be given away by a shown total that a rule ties it to: one equal
    to it (``NEW_APPLICANTS == REFERRED_FROM``), or one above it but below ``k`` (a hidden count
    of women seen in follow-up under 3 sessions held is known to be under 3). Such a shown total
    is hidden too, with every non-zero figure of its breakdown; repeated until nothing changes."""
    bounds = rule_bounds(catalogue)
    changed = True
    while changed:
        changed = False
        for bounded, bounding, exact in bounds:
            shown = totals.get(bounding)
            if not isinstance(totals.get(bounded), Suppressed) or not isinstance(shown, int) or shown == 0:
                continue
            if exact or shown < k:
                for key in layout_cells(catalogue, catalogue.indicator(bounding), values):
                    if not isinstance(cells.get(key, 0), Suppressed) and cells.get(key, 0):
                        cells[key] = Suppressed(primary=False)
                totals[bounding] = Suppressed(primary=False)
                hidden.add(bounding)
                changed = True


# ---------------------------------------------------------------------------- changes


def change_text(current: Entry, other: Entry, language: str) -> str:
    """``+3 (+25%)`` (Turkish: ``+3 (+%25)``), ``-2 (-10%)``, ``0``, ``+4`` when the other is 0;
    the suppression symbol if either figure is hidden."""
    if isinstance(current, Suppressed) or isinstance(other, Suppressed):
        return str(Suppressed(primary=False))
    difference = current - other
    if difference == 0:
        return "0"
    sign = "+" if difference > 0 else "-"
    text = f"{sign}{abs(difference)}"
    if other:
        percent = abs(round(100 * difference / other))
        text += f" ({sign}%{percent})" if language == "tr" else f" ({sign}{percent}%)"
    return text


def entry_value(entry: Entry) -> Value:
    return str(entry) if isinstance(entry, Suppressed) else entry
