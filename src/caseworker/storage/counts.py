"""Repository of months and their counts (the centre's own figures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from caseworker.domain.counts import CellKey
from caseworker.storage.database import Connection


@dataclass(frozen=True)
class MonthRow:
    period: str
    status: str
    catalogue_version: int
    revision: int
    changed_at: str
    status_by: str | None
    status_at: str | None
    reopen_reason: str | None


def options_text(cell: CellKey) -> str:
    return ";".join(f"{dimension}={option}" for dimension, option in cell.options)


def cell_from_row(indicator: str, options: str) -> CellKey:
    pairs = [tuple(part.split("=", 1)) for part in options.split(";")] if options else []
    return CellKey(indicator, tuple((a, b) for a, b in pairs))


def month(conn: Connection, period: str) -> MonthRow | None:
    row = conn.execute(
        "SELECT period, status, catalogue_version, revision, changed_at, status_by, status_at, reopen_reason FROM months WHERE period = ?",
        (period,),
    ).fetchone()
    return MonthRow(*row) if row else None


def months(conn: Connection) -> list[MonthRow]:
    rows = conn.execute(
        "SELECT period, status, catalogue_version, revision, changed_at, status_by, status_at, reopen_reason FROM months ORDER BY period"
    )
    return [MonthRow(*row) for row in rows]


def ensure_month(conn: Connection, period: str, catalogue_version: int, now: str) -> MonthRow:
    conn.execute(
        "INSERT INTO months (period, status, catalogue_version, changed_at) VALUES (?, 'open', ?, ?) ON CONFLICT (period) DO NOTHING",
        (period, catalogue_version, now),
    )
    found = month(conn, period)
    assert found is not None
    return found


def touch(conn: Connection, period: str, now: str) -> None:
    conn.execute("UPDATE months SET revision = revision + 1, changed_at = ? WHERE period = ?", (now, period))


def set_status(conn: Connection, period: str, status: str, by: str, now: str, reason: str | None = None) -> None:
    conn.execute(
        "UPDATE months SET status = ?, status_by = ?, status_at = ?, reopen_reason = ?, revision = revision + 1, changed_at = ? WHERE period = ?",
        (status, by, now, reason, now, period),
    )


def values(conn: Connection, period: str) -> dict[CellKey, int]:
    rows = conn.execute("SELECT indicator, options, value FROM counts WHERE period = ?", (period,))
    return {cell_from_row(indicator, options): value for indicator, options, value in rows}


def add(conn: Connection, period: str, cells: Iterable[CellKey], delta: int) -> None:
    """Add ``delta`` to each cell (creating it at 0); the table refuses a value below 0."""
    if delta < 0:
        conn.executemany(
            "UPDATE counts SET value = value + ? WHERE period = ? AND indicator = ? AND options = ?",
            [(delta, period, cell.indicator, options_text(cell)) for cell in cells],
        )
        return
    conn.executemany(
        "INSERT INTO counts (period, indicator, options, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (period, indicator, options) DO UPDATE SET value = value + excluded.value",
        [(period, cell.indicator, options_text(cell), delta) for cell in cells],
    )


def put(conn: Connection, period: str, new_values: Mapping[CellKey, int]) -> None:
    conn.executemany(
        "INSERT INTO counts (period, indicator, options, value) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (period, indicator, options) DO UPDATE SET value = excluded.value",
        [(period, cell.indicator, options_text(cell), value) for cell, value in new_values.items()],
    )


def catalogue_documents(conn: Connection) -> list[tuple[int, str, str]]:
    return list(conn.execute("SELECT version, document, source FROM catalogues ORDER BY version"))


def latest_catalogue(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute("SELECT version, document FROM catalogues ORDER BY version DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def catalogue_document(conn: Connection, version: int) -> str | None:
    row = conn.execute("SELECT document FROM catalogues WHERE version = ?", (version,)).fetchone()
    return row[0] if row else None


def insert_catalogue(conn: Connection, version: int, document: str, source: str, now: str) -> None:
    conn.execute("INSERT INTO catalogues (version, document, source, applied_at) VALUES (?, ?, ?, ?)", (version, document, source, now))
