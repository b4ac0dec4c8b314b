"""Disclosure control for published tables: no reader can recover a small count of women.

A ``Table`` holds counts with row labels, column labels, and row, column and grand totals that
are published alongside. ``protect(table, k)`` returns a ``ProtectedTable`` in which some values
are hidden (shown as ``..``), following these rules:

Primary suppression
    Every *sensitive* published value with ``1 <= value < k`` is hidden: cells of sensitive rows,
    and totals to which a sensitive cell contributes a non-zero count (a total of 3 with a
    sensitive 2 in it is itself a small count of women). Rows of activity counts (events,
    sessions) can be marked not sensitive; nothing in them is hidden as primary.

Zeros are always shown, never hidden (neither as primary nor as complement)
    A hidden 0 protects little: it can only rise, so hiding a 0 beside a small value lets the
    reader bound that value by the row total. And once zeros are never hidden, a reader who
    knows the rules knows that every ``..`` is at least 1; the audit (``audit.py``) assumes
    exactly that, so the protection holds against a reader who knows these rules. The same
    choice is made by sdcTable (empty cells are "published, not used for secondary suppression").

Protection rule (checked exactly, by ``feasible_ranges``)
    For every hidden value the range of values consistent with everything published (shown
    values, totals, whole numbers, hidden values >= 1) must contain at least two values, and for
    a primary value it must reach ``k``: the largest consistent value is ``>= k``. It is not
    enough that the range is merely wider than one value or that it merely touches 0: a range
    such as 1..3, or 0..3 combined with knowing one woman in the group, still tells the reader
    that the group is smaller than ``k`` - exactly what the threshold forbids. Because the range
    must reach a value that would have been shown, a hidden primary cannot be told apart from a
    value that was hidden only to protect another.

Secondary suppression
    While some hidden value breaks the rule, further values are hidden. For a value that cannot
    rise far enough, the cheapest set of shown values that opens a path for it to rise is
    hidden: cost is the value itself (small values first), totals cost more than any cell so
    that totals stay shown when cells can do the job. Hiding a value only widens every other
    hidden value's range, so a value that passes the rule keeps passing and the process reaches
    a fixed point; hiding a cell together with its row total, column total and grand total
    always leaves it unbounded above, so the process always succeeds. Everything is processed
    in a fixed order: the same table always gives the same result.

What the reader must not see
    ``Suppressed.primary`` tells primary from secondary for audits and tests. Never render it
    differently: a reader who knows which ``..`` is primary knows that value is below ``k``.

Limits
    Each table is protected on its own. Two published tables that share cells (the same counts
    by district and by age, or periods that differ by one month) can be subtracted from each
    other; the publication rules (fixed periods and areas) keep that from happening.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from caseworker.errors import InvalidInput
from caseworker.i18n import t, t_in
from caseworker.stats.audit import HIDDEN_AT_LEAST, INF, HiddenValues, Position, arc_of

SUPPRESSION_SYMBOL = ".."


@dataclass(frozen=True)
class Table:
    """Counts to publish: ``values[row][column]``, whole numbers ``>= 0``.

    ``sensitive`` is one flag for the whole table or one per row (person counts are sensitive,
    activity counts are not). The totals flags say which margins are published; ``None`` means
    the usual layout: row totals when there is more than one column, column totals when there is
    more than one row, the grand total whenever some totals are published. A one-row table with
    its total is therefore a one-dimensional table.
    """

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]
    sensitive: bool | tuple[bool, ...] = True
    row_totals: bool | None = None
    column_totals: bool | None = None
    grand_total: bool | None = None

    def __post_init__(self) -> None:
        rows = tuple(tuple(row) for row in self.values)
        object.__setattr__(self, "values", rows)
        object.__setattr__(self, "row_labels", tuple(self.row_labels))
        object.__setattr__(self, "column_labels", tuple(self.column_labels))
        if not rows or not self.column_labels:
            raise InvalidInput(t("A table needs at least one row and one column; this one has {rows} rows and {columns} columns.",
                                 rows=len(rows), columns=len(self.column_labels)))
        if len(self.row_labels) != len(rows):
            raise InvalidInput(t("The table has {labels} row labels but {rows} rows of values. Give one label per row.",
                                 labels=len(self.row_labels), rows=len(rows)))
        for number, row in enumerate(rows, start=1):
            if len(row) != len(self.column_labels):
                raise InvalidInput(t("The table has {labels} column labels but row {row} has {values} values. Give one value per column.",
                                     labels=len(self.column_labels), row=number, values=len(row)))
            for value in row:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise InvalidInput(t("A count must be a whole number of at least 0, not {value}.", value=value))
        if not isinstance(self.sensitive, bool):
            flags = tuple(bool(flag) for flag in self.sensitive)
            if len(flags) != len(rows):
                raise InvalidInput(t("The table has {rows} rows but {flags} sensitivity flags. Give one flag per row.",
                                     rows=len(rows), flags=len(flags)))
            object.__setattr__(self, "sensitive", flags)

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_cols(self) -> int:
        return len(self.column_labels)

    @property
    def sensitive_rows(self) -> tuple[bool, ...]:
        if isinstance(self.sensitive, bool):
            return (self.sensitive,) * self.n_rows
        return self.sensitive

    @property
    def publishes_row_totals(self) -> bool:
        return self.n_cols > 1 if self.row_totals is None else self.row_totals

    @property
    def publishes_column_totals(self) -> bool:
        return self.n_rows > 1 if self.column_totals is None else self.column_totals

    @property
    def publishes_grand_total(self) -> bool:
        if self.grand_total is None:
            return self.publishes_row_totals or self.publishes_column_totals
        return self.grand_total

    def value(self, position: Position) -> int:
        """The value at a position of the table with its margins (totals are computed)."""
        row, col = position
        rows = range(self.n_rows) if row == self.n_rows else (row,)
        cols = range(self.n_cols) if col == self.n_cols else (col,)
        return sum(self.values[r][c] for r in rows for c in cols)

    def is_published(self, position: Position) -> bool:
        row, col = position
        if row < self.n_rows and col < self.n_cols:
            return True
        if row < self.n_rows:
            return self.publishes_row_totals
        if col < self.n_cols:
            return self.publishes_column_totals
        return self.publishes_grand_total

    def is_sensitive(self, position: Position) -> bool:
        """A cell of a sensitive row, or a total with a non-zero sensitive cell in it."""
        row, col = position
        rows = range(self.n_rows) if row == self.n_rows else (row,)
        cols = range(self.n_cols) if col == self.n_cols else (col,)
        flags = self.sensitive_rows
        return any(flags[r] and self.values[r][c] > 0 for r in rows for c in cols) or (
            row < self.n_rows and col < self.n_cols and flags[row])

    def positions(self) -> list[Position]:
        """Every position of the table with its margins, row by row."""
        return [(r, c) for r in range(self.n_rows + 1) for c in range(self.n_cols + 1)]


@dataclass(frozen=True)
class Suppressed:
    """A hidden value. ``primary`` is for audits only: never render it differently."""

    primary: bool

    @property
    def symbol(self) -> str:
        return SUPPRESSION_SYMBOL

    def __str__(self) -> str:
        return SUPPRESSION_SYMBOL


Entry = int | Suppressed | None
"""A published value, a hidden one, or ``None`` for a total that is not part of the layout."""


@dataclass(frozen=True)
class ProtectedTable:
    """A table ready to publish. ``grid`` is ``(n_rows + 1) x (n_cols + 1)``: the last row holds the
    column totals, the last column the row totals, the last entry the grand total."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    k: int
    grid: tuple[tuple[Entry, ...], ...]

    @property
    def n_rows(self) -> int:
        return len(self.row_labels)

    @property
    def n_cols(self) -> int:
        return len(self.column_labels)

    def entry(self, row: int, col: int) -> Entry:
        return self.grid[row][col]

    def text(self, row: int, col: int) -> str:
        """What to print at a position: the value, the suppression symbol, or "" for no total."""
        entry = self.grid[row][col]
        return "" if entry is None else str(entry)

    @property
    def cells(self) -> tuple[tuple[Entry, ...], ...]:
        return tuple(row[: self.n_cols] for row in self.grid[: self.n_rows])

    @property
    def row_totals(self) -> tuple[Entry, ...] | None:
        totals = tuple(row[self.n_cols] for row in self.grid[: self.n_rows])
        return None if all(entry is None for entry in totals) else totals

    @property
    def column_totals(self) -> tuple[Entry, ...] | None:
        totals = self.grid[self.n_rows][: self.n_cols]
        return None if all(entry is None for entry in totals) else totals

    @property
    def grand_total(self) -> Entry:
        return self.grid[self.n_rows][self.n_cols]

    @property
    def suppressed(self) -> dict[Position, Suppressed]:
        return {(r, c): entry for r, row in enumerate(self.grid) for c, entry in enumerate(row) if isinstance(entry, Suppressed)}

    def footnote(self, language: str | None = None) -> str | None:
        """The note to print under the table, or ``None`` when nothing is hidden."""
        if not self.suppressed:
            return None
        if self.k == 2:
            msgid = "Values of 1 are suppressed (shown as {symbol}), and so are some other values, so that none can be worked out from the totals."
        else:
            msgid = "Values from 1 to {k_minus_one} are suppressed (shown as {symbol}), and so are some other values, so that none can be worked out from the totals."
        params = {"symbol": SUPPRESSION_SYMBOL}
        if self.k != 2:
            params["k_minus_one"] = str(self.k - 1)
        return t(msgid, **params) if language is None else t_in(language, msgid, **params)


def protect(table: Table, k: int) -> ProtectedTable:
    """Hide small sensitive values, and enough others that none of them can be worked out."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidInput(t("The disclosure threshold k must be a whole number of at least 1, not {value}.", value=k))
    unpublished = [p for p in table.positions() if not table.is_published(p)]
    hidden = HiddenValues(table.n_rows, table.n_cols, lower={p: 0 for p in unpublished}, flow={p: table.value(p) for p in unpublished})
    status: dict[Position, Suppressed] = {}

    def hide(position: Position, primary: bool) -> None:
        status[position] = Suppressed(primary)
        hidden.lower[position] = HIDDEN_AT_LEAST
        hidden.flow[position] = table.value(position)

    primaries = [p for p in table.positions()
                 if table.is_published(p) and table.is_sensitive(p) and 1 <= table.value(p) < k]
    for position in primaries:
        hide(position, primary=True)
    queue = deque(primaries)
    while queue:
        position = queue.popleft()
        primary = status[position].primary
        rise = k - table.value(position) if primary else 1
        while not _is_protected(hidden, position, rise, primary):
            for complement in _cheapest_complements(table, hidden, position, rise):
                hide(complement, primary=False)
                queue.append(complement)
    return _published(table, k, status)


def feasible_ranges(protected: ProtectedTable) -> dict[Position, tuple[int, float]]:
    """For each hidden value, the (smallest, largest) value consistent with what is published.

    The reader is assumed to know the rules: every hidden value is at least 1. The largest value
    is ``math.inf`` when nothing published bounds it.
    """
    shown: dict[Position, int] = {}
    lower: dict[Position, int] = {}
    for r, row in enumerate(protected.grid):
        for c, entry in enumerate(row):
            if isinstance(entry, Suppressed):
                lower[(r, c)] = HIDDEN_AT_LEAST
            elif entry is None:
                lower[(r, c)] = 0
            else:
                shown[(r, c)] = entry
    hidden = HiddenValues.from_published(protected.n_rows, protected.n_cols, shown, lower)
    return hidden.ranges(sorted(protected.suppressed))


def unprotected(protected: ProtectedTable, ranges: dict[Position, tuple[int, float]] | None = None) -> list[Position]:
    """Hidden positions that break the protection rule (empty for a table made by ``protect``)."""
    ranges = feasible_ranges(protected) if ranges is None else ranges
    failing = []
    for position, mark in sorted(protected.suppressed.items()):
        low, high = ranges[position]
        if high <= low or (mark.primary and high < protected.k):
            failing.append(position)
    return failing


def _is_protected(hidden: HiddenValues, position: Position, rise: int, primary: bool) -> bool:
    """A primary value can rise by ``rise`` (up to k); a complement can move at all."""
    if hidden.room_up(position, rise) >= rise:
        return True
    return not primary and hidden.room_down(position, 1) >= 1


def _cheapest_complements(table: Table, hidden: HiddenValues, position: Position, rise: int) -> list[Position]:
    """Shown values whose hiding opens the cheapest path for ``position`` to rise further."""
    tail, head = arc_of(position, table.n_rows, table.n_cols)
    graph = hidden.residual(position)
    missing = rise - graph.max_flow(head, tail, rise)
    costliest_cell = table.value((table.n_rows, table.n_cols)) + 1
    for candidate in table.positions():
        value = table.value(candidate)
        if candidate in hidden.flow or value == 0:
            continue
        is_cell = candidate[0] < table.n_rows and candidate[1] < table.n_cols
        c_tail, c_head = arc_of(candidate, table.n_rows, table.n_cols)
        graph.add(c_tail, c_head, INF, value - HIDDEN_AT_LEAST, cost=value if is_cell else value + costliest_cell, label=candidate)
    path = graph.cheapest_path(head, tail, missing) or graph.cheapest_path(head, tail, 1)
    if not path:
        raise AssertionError(f"no complement can protect {position}")  # impossible: see the module docstring
    return sorted({label for e in path if (label := graph.label[e]) is not None and label not in hidden.flow})


def _published(table: Table, k: int, status: dict[Position, Suppressed]) -> ProtectedTable:
    def entry(position: Position) -> Entry:
        if position in status:
            return status[position]
        return table.value(position) if table.is_published(position) else None

    grid = tuple(tuple(entry((r, c)) for c in range(table.n_cols + 1)) for r in range(table.n_rows + 1))
    return ProtectedTable(table.row_labels, table.column_labels, k, grid)
