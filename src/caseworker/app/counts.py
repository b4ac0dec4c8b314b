"""Use cases for a month's counts: record a contact, undo it, read and edit the grid, CSV.

Recording a contact adds 1 to every cell its tally form names, and the contact's random record
key to each of those cells' keys, in one transaction; nothing else about the contact is kept
(the keys make public figures perturbed the same way every time: docs/disclosure.md). Hand
edits give cells keys as ``domain.counts.key_after_edit`` says. The undo of the last contacts lives in memory only
(``TallyBook``), per session: once the window closes or locks, they can no longer be undone
one by one (the month grid can still be edited while the month is open). The record key of a
contact that can still be undone is kept with it in memory, so that the undo takes it back.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app.files import read_named_file
from caseworker.app.session import Session
from caseworker.domain import csv_cells
from caseworker.domain.catalogue import Catalogue, check_cell
from caseworker.domain.counts import MAX_VALUE, CellKey, KeyedCount, key_after_edit
from caseworker.domain.periods import Period
from caseworker.domain.tally import cells_for_contact
from caseworker.domain.users import Permission
from caseworker.errors import Conflict, InvalidInput, NotFound
from caseworker.i18n import t
from caseworker.storage import counts as counts_repo
from caseworker.storage.atomic import write_atomic
from caseworker.storage.database import Connection
from caseworker.stats.perturbation import new_record_key
from caseworker.storage.store import now_utc

UNDO_DEPTH = 20
CSV_HEADER = ("period", "indicator", "options", "value")


@dataclass(frozen=True)
class RecordedContact:
    """A contact just recorded: what the undo needs, and nothing that outlives the session."""

    number: int
    period: Period
    form: str
    cells: tuple[CellKey, ...]
    record_key: int = field(repr=False)


@dataclass(frozen=True)
class MonthCounts:
    period: Period
    status: str
    catalogue_version: int
    values: dict[CellKey, int]


# The earliest month figures are recorded for: Caseworker came long after it, so an earlier year
# (1900-10 for 2026-10) is a typing mistake, not old paper records to enter. See docs/counts.md.
EARLIEST_PERIOD = Period(2000, 1)


def check_not_too_early(period: Period) -> None:
    if period < EARLIEST_PERIOD:
        raise InvalidInput(t("{period} is too early: figures are recorded from {earliest} on. Check the year.", period=period, earliest=EARLIEST_PERIOD))


def check_recordable_period(period: Period, today: date | None = None) -> None:
    check_not_too_early(period)
    if period > Period.current(today):
        raise InvalidInput(t("{period} is in the future; contacts are recorded in the current or an earlier month.", period=period))


def editable_month(session: Session, conn: Connection, period: Period, catalogue: Catalogue) -> counts_repo.MonthRow:
    """The month row, created open if new; ``Conflict`` if it is submitted."""
    row = counts_repo.ensure_month(conn, str(period), catalogue.version, now_utc())
    if row.status == "submitted":
        raise Conflict(
            t("{period} is submitted, so its counts are locked. A supervisor can reopen it on the Month page.", period=period),
            command=f"caseworker month reopen {period}",
        )
    return row


class TallyBook:
    """Records contacts for one session and remembers the last few for Undo, in memory only."""

    def __init__(self, session: Session, depth: int = UNDO_DEPTH) -> None:
        self._session = session
        self._recent: deque[RecordedContact] = deque(maxlen=depth)
        self._numbers = itertools.count(1)

    @property
    def recent(self) -> list[RecordedContact]:
        """The contacts that can still be undone, newest first."""
        return list(reversed(self._recent))

    def record(self, period: Period, form_code: str, answers: Mapping[str, object], today: date | None = None) -> RecordedContact:
        session = self._session
        session.require(Permission.RECORD)
        check_recordable_period(period, today)
        catalogue = catalogue_uc.current(session)
        cells = tuple(cells_for_contact(catalogue, form_code, answers))  # type: ignore[arg-type]
        record_key = new_record_key()
        with session.transaction() as conn:
            editable_month(session, conn, period, catalogue)
            counts_repo.add(conn, str(period), cells, 1, record_key)
            counts_repo.touch(conn, str(period), now_utc())
            session.audit(conn, "contact.record", str(period))
        contact = RecordedContact(next(self._numbers), period, form_code, cells, record_key)
        self._recent.append(contact)
        return contact

    def undo(self, number: int | None = None) -> RecordedContact:
        """Take back a recent contact (the newest by default)."""
        session = self._session
        session.require(Permission.RECORD)
        if not self._recent:
            raise NotFound(t("There is no recent contact to undo."))
        contact = self._recent[-1] if number is None else next((c for c in self._recent if c.number == number), None)
        if contact is None:
            raise NotFound(t("That contact can no longer be undone."))
        catalogue = catalogue_uc.current(session)
        with session.transaction() as conn:
            editable_month(session, conn, contact.period, catalogue)
            current = counts_repo.values(conn, str(contact.period))
            if any(current.get(cell, 0) < 1 for cell in contact.cells):
                raise Conflict(t("The month's counts were edited since; correct them in the month grid instead."))
            counts_repo.add(conn, str(contact.period), contact.cells, -1, contact.record_key)
            counts_repo.touch(conn, str(contact.period), now_utc())
            session.audit(conn, "contact.undo", str(contact.period))
        self._recent.remove(contact)
        return contact


def month_counts(session: Session, period: Period) -> MonthCounts:
    with session.reading() as conn:
        row = counts_repo.month(conn, str(period))
        values = counts_repo.values(conn, str(period))
    if row is None:
        return MonthCounts(period, "open", catalogue_uc.current(session).version, {})
    return MonthCounts(period, row.status, row.catalogue_version, values)


def history(session: Session, period: Period, months: int = 12) -> list[dict[CellKey, int]]:
    """The counts of the ``months`` months before ``period``, oldest first (missing months empty)."""
    with session.reading() as conn:
        return [counts_repo.values(conn, str(period.plus(-offset))) for offset in range(months, 0, -1)]


def last_month_with_figures(session: Session) -> Period | None:
    """The latest month the store holds figures for (something recorded, set or imported)."""
    with session.reading() as conn:
        months = counts_repo.months(conn)
    return Period.parse(months[-1].period) if months else None


def recorded_history(session: Session, period: Period, months: int = 12) -> list[dict[CellKey, int] | None]:
    """The counts of the ``months`` months before ``period``, oldest first; ``None`` for a month
    without figures: one the store holds nothing for (nothing recorded, set or imported)."""
    with session.reading() as conn:
        earlier = [str(period.plus(-offset)) for offset in range(months, 0, -1)]
        return [counts_repo.values(conn, month) if counts_repo.month(conn, month) is not None else None for month in earlier]


def parse_cell(catalogue: Catalogue, text: str) -> CellKey:
    """``VIOLENCE_TYPE[violence=physical]`` or ``WITH_CHILDREN``; every dimension named once."""
    text = text.strip()
    indicator_code, bracket, rest = text.partition("[")
    pairs: list[tuple[str, str]] = []
    if bracket:
        if not rest.endswith("]"):
            raise InvalidInput(t("A cell is written INDICATOR[dimension=option,...], not {text}.", text=text))
        for part in filter(None, (p.strip() for p in rest[:-1].split(","))):
            dimension, equals, option = part.partition("=")
            if not equals:
                raise InvalidInput(t("A cell is written INDICATOR[dimension=option,...], not {text}.", text=text))
            pairs.append((dimension.strip(), option.strip()))
    return check_cell(catalogue, indicator_code.strip(), pairs)


def check_value(value: object) -> int:
    """``value`` if it is a count: a whole number from 0 to ``MAX_VALUE``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(t("A count is a whole number of 0 or more, not {value}.", value=value))
    if value > MAX_VALUE:
        raise InvalidInput(t("A count is at most {limit}, not {value}: check the number.", limit=MAX_VALUE, value=value))
    return value


def parse_value(text: str) -> int:
    """A count as written in a file: ASCII digits only (not ``٣``, ``1_000`` or ``1e3``)."""
    if not re.fullmatch(r"[0-9]{1,7}", text.strip()):
        raise InvalidInput(t("A count is a whole number of 0 or more, not {value}.", value=text.strip()[:40]))
    return check_value(int(text.strip()))


def set_counts(session: Session, period: Period, new_values: Mapping[CellKey, int]) -> None:
    """Replace some cells of an open month (the month grid, ``counts set``)."""
    session.require(Permission.RECORD)
    catalogue = catalogue_uc.current(session)
    check_not_too_early(period)
    for cell, value in new_values.items():
        check_cell(catalogue, cell.indicator, cell.options)
        check_value(value)
    with session.transaction() as conn:
        editable_month(session, conn, period, catalogue)
        put_by_hand(conn, period, new_values)
        counts_repo.touch(conn, str(period), now_utc())
        session.audit(conn, "month.edit", str(period))


def put_by_hand(conn: Connection, period: Period, new_values: Mapping[CellKey, int]) -> None:
    """Set cells to values typed or imported by hand, each with its key after the edit."""
    held = counts_repo.keyed_values(conn, str(period))
    edited = {}
    for cell, value in new_values.items():
        before = held.get(cell, KeyedCount(0))
        edited[cell] = KeyedCount(value, key_after_edit(before.value, before.key, value, new_record_key))
    counts_repo.put(conn, str(period), edited)


def export_csv(session: Session, periods: Sequence[Period], target: Path) -> int:
    """Write the counts of ``periods`` as CSV (UTF-8 with BOM); returns the rows written."""
    session.require(Permission.EXPORT)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_cells.row(CSV_HEADER))
    rows = 0
    for period in periods:
        for cell, value in sorted(month_counts(session, period).values.items()):
            writer.writerow(csv_cells.row((str(period), cell.indicator, counts_repo.options_text(cell), value)))
            rows += 1
    write_atomic(Path(target), ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    with session.transaction() as conn:
        session.audit(conn, "counts.export_csv", ",".join(str(p) for p in periods))
    return rows


def import_csv(session: Session, source: Path) -> dict[Period, int]:
    """Apply a counts CSV: every row is checked first; one bad row and nothing is applied."""
    session.require(Permission.RECORD)
    catalogue = catalogue_uc.current(session)
    try:
        text = read_named_file(source).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(t("{path} is not a UTF-8 text file.", path=source)) from None
    try:
        reader = iter([[csv_cells.read_cell(value) for value in line] for line in csv.reader(io.StringIO(text))])
    except csv.Error as error:
        raise InvalidInput(t("{path} is not a well-formed CSV file ({reason}). Nothing was imported.", path=source, reason=error)) from None
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != CSV_HEADER:
        raise InvalidInput(t("Line 1 of {path} must be the header {header}.", path=source, header=",".join(CSV_HEADER)))
    planned: dict[Period, dict[CellKey, int]] = {}
    for line_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            if len(row) != len(CSV_HEADER):
                raise InvalidInput(t("expected {count} columns, found {found}", count=len(CSV_HEADER), found=len(row)))
            period = Period.parse(row[0].strip())
            check_not_too_early(period)
            pairs = [tuple(p.split("=", 1)) for p in row[2].split(";") if p.strip()] if row[2].strip() else []
            if any(len(p) != 2 for p in pairs):
                raise InvalidInput(t("options are written dimension=option;dimension=option"))
            cell = check_cell(catalogue, row[1].strip(), [(a.strip(), b.strip()) for a, b in pairs])
            value = parse_value(row[3])
            if cell in planned.get(period, {}):
                raise InvalidInput(t("this cell appears twice in the file"))
        except InvalidInput as error:
            raise InvalidInput(t("Line {line} of {path}: {problem} Nothing was imported.", line=line_number, path=source, problem=error.message)) from None
        planned.setdefault(period, {})[cell] = value
    with session.transaction() as conn:
        for period, values in planned.items():
            editable_month(session, conn, period, catalogue)
            put_by_hand(conn, period, values)
            counts_repo.touch(conn, str(period), now_utc())
        session.audit(conn, "counts.import_csv", ",".join(str(p) for p in sorted(planned)))
    return {period: len(values) for period, values in planned.items()}
