"""Repository of months and their counts (the centre's own figures), each count with its cell
key, and each month's figures as first submitted (the basis of its public figures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount
from caseworker.storage.cell_rows import cell_from_row, options_text
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


def keyed_values(conn: Connection, period: str) -> dict[CellKey, KeyedCount]:
    rows = conn.execute("SELECT indicator, options, value, noise_key FROM counts WHERE period = ?", (period,))
    return {cell_from_row(indicator, options): KeyedCount(value, key) for indicator, options, value, key in rows}


def add(conn: Connection, period: str, cells: Iterable[CellKey], delta: int, record_key: int) -> None:
    """Add ``delta`` (+1 or -1: one contact, or its undo) to each cell, and add or take back the
    contact's record key; a cell is created at 0, and the table refuses a value below 0."""
    key = (record_key if delta > 0 else -record_key) % KEY_MODULUS
    if delta < 0:
        conn.executemany(
            "UPDATE counts SET value = value + ?, noise_key = CASE WHEN value + ? = 0 THEN 0 ELSE (noise_key + ?) % 4294967296 END "
            "WHERE period = ? AND indicator = ? AND options = ?",
            [(delta, delta, key, period, cell.indicator, options_text(cell)) for cell in cells],
        )
        return
    conn.executemany(
        "INSERT INTO counts (period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (period, indicator, options) DO UPDATE SET value = value + excluded.value, "
        "noise_key = (noise_key + excluded.noise_key) % 4294967296",
        [(period, cell.indicator, options_text(cell), delta, key) for cell in cells],
    )


def put(conn: Connection, period: str, new_values: Mapping[CellKey, KeyedCount]) -> None:
    conn.executemany(
        "INSERT INTO counts (period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (period, indicator, options) DO UPDATE SET value = excluded.value, noise_key = excluded.noise_key",
        [(period, cell.indicator, options_text(cell), count.value, count.key) for cell, count in new_values.items()],
    )


def keep_basis(conn: Connection, period: str, now: str) -> bool:
    """Keep the month's figures as they are now as its public basis, unless it has one already
    (it was submitted before); True if kept now."""
    if conn.execute("SELECT 1 FROM public_basis_months WHERE period = ?", (period,)).fetchone():
        return False
    conn.execute("INSERT INTO public_basis_months (period, submitted_at) VALUES (?, ?)", (period, now))
    conn.execute("INSERT INTO public_basis (period, indicator, options, value, noise_key) "
                 "SELECT period, indicator, options, value, noise_key FROM counts WHERE period = ? AND value > 0", (period,))
    return True


def basis(conn: Connection, period: str) -> dict[CellKey, KeyedCount] | None:
    """The month's figures as first submitted, or None if it was never submitted."""
    if not conn.execute("SELECT 1 FROM public_basis_months WHERE period = ?", (period,)).fetchone():
        return None
    rows = conn.execute("SELECT indicator, options, value, noise_key FROM public_basis WHERE period = ?", (period,))
    return {cell_from_row(indicator, options): KeyedCount(value, key) for indicator, options, value, key in rows}


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
