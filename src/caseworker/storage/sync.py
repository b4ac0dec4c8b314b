"""Repository of sync state: own keys, pinned coordinator, outbox and targets (centre side);
centres, their keys and figures (with cell keys, and as first submitted), received bundles and
the import log (coordinator side)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount, keyed_count
from caseworker.storage.cell_rows import CellRow, cell_from_row, cell_rows
from caseworker.storage.database import Connection

# --- own identity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """This store's own keys. ``signing_secret`` is sealed under the signer key when
    ``signing_sealed`` (``caseworker.storage.signer_key``); ``signing_public`` is the minisign key
    id followed by the Ed25519 public key, readable by everyone who opens the store."""

    centre_id: str | None
    signing_secret: bytes
    age_identity: str | None
    signing_public: bytes
    signing_sealed: bool


def identity(conn: Connection) -> Identity | None:
    row = conn.execute(
        "SELECT centre_id, signing_secret, age_identity, signing_public, signing_sealed FROM sync_identity WHERE id = 1"
    ).fetchone()
    return Identity(row[0], bytes(row[1]), row[2], bytes(row[3] or b""), bool(row[4])) if row else None


def save_identity(conn: Connection, ident: Identity, now: str) -> None:
    conn.execute(
        "INSERT INTO sync_identity (id, centre_id, signing_secret, age_identity, signing_public, signing_sealed, created_at)"
        " VALUES (1, ?, ?, ?, ?, ?, ?)",
        (ident.centre_id, ident.signing_secret, ident.age_identity, ident.signing_public, int(ident.signing_sealed), now),
    )


def seal_signing_secret(conn: Connection, sealed: bytes) -> None:
    """Replace the plain signing secret by its sealed form; the plain bytes are overwritten on disk
    (``secure_delete``) rather than left in a free page."""
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("UPDATE sync_identity SET signing_secret = ?, signing_sealed = 1 WHERE id = 1", (sealed,))
    conn.execute("PRAGMA secure_delete = OFF")


def reseal_signing_secret(conn: Connection, sealed: bytes) -> None:
    """The signing secret sealed under a new signer key (a signer left)."""
    conn.execute("UPDATE sync_identity SET signing_secret = ? WHERE id = 1 AND signing_sealed = 1", (sealed,))


# --- centre side --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PinnedProfile:
    name: str
    age_recipients: tuple[str, ...]
    signing_public: str
    fingerprint: str
    pinned_at: str


def pinned_profile(conn: Connection) -> PinnedProfile | None:
    row = conn.execute("SELECT name, age_recipients, signing_public, fingerprint, pinned_at FROM coordinator_profile WHERE id = 1").fetchone()
    return PinnedProfile(row[0], tuple(json.loads(row[1])), row[2], row[3], row[4]) if row else None


def pin_profile(conn: Connection, profile: PinnedProfile) -> None:
    conn.execute(
        "INSERT INTO coordinator_profile (id, name, age_recipients, signing_public, fingerprint, pinned_at) VALUES (1, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, age_recipients = excluded.age_recipients, "
        "signing_public = excluded.signing_public, fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at",
        (profile.name, json.dumps(list(profile.age_recipients)), profile.signing_public, profile.fingerprint, profile.pinned_at),
    )


def outbound_state(conn: Connection) -> tuple[int, str | None, str | None]:
    row = conn.execute("SELECT next_sequence, previous_hash, last_export_at FROM outbound_state WHERE id = 1").fetchone()
    return (row[0], row[1], row[2]) if row else (1, None, None)


def advance_outbound(conn: Connection, next_sequence: int, previous_hash: str, now: str) -> None:
    conn.execute(
        "INSERT INTO outbound_state (id, next_sequence, previous_hash, last_export_at) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET next_sequence = excluded.next_sequence, previous_hash = excluded.previous_hash, last_export_at = excluded.last_export_at",
        (next_sequence, previous_hash, now),
    )


def changed_months(conn: Connection) -> list[tuple[str, int]]:
    """Months whose revision is newer than the one the last bundle carried: ``(period, revision)``."""
    rows = conn.execute(
        "SELECT m.period, m.revision FROM months m LEFT JOIN month_exports e ON e.period = m.period "
        "WHERE e.exported_revision IS NULL OR m.revision > e.exported_revision ORDER BY m.period"
    )
    return [(row[0], row[1]) for row in rows]


def mark_exported(conn: Connection, revisions: Mapping[str, int]) -> None:
    conn.executemany(
        "INSERT INTO month_exports (period, exported_revision) VALUES (?, ?) "
        "ON CONFLICT (period) DO UPDATE SET exported_revision = excluded.exported_revision",
        list(revisions.items()),
    )


@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    sequence: int
    file_name: str
    sha256: str
    created_at: str
    sent_at: str | None


def add_to_outbox(conn: Connection, entry: OutboxEntry) -> None:
    conn.execute(
        "INSERT INTO outbox (bundle_id, sequence, file_name, sha256, created_at) VALUES (?, ?, ?, ?, ?)",
        (entry.bundle_id, entry.sequence, entry.file_name, entry.sha256, entry.created_at),
    )
    conn.execute("INSERT INTO deliveries (bundle_id, target_id) SELECT ?, id FROM delivery_targets", (entry.bundle_id,))


def outbox(conn: Connection, include_sent: bool = False) -> list[OutboxEntry]:
    where = "" if include_sent else "WHERE sent_at IS NULL"
    rows = conn.execute(f"SELECT bundle_id, sequence, file_name, sha256, created_at, sent_at FROM outbox {where} ORDER BY sequence")
    return [OutboxEntry(*row) for row in rows]


def mark_sent(conn: Connection, bundle_id: str, now: str) -> None:
    conn.execute("UPDATE outbox SET sent_at = ? WHERE bundle_id = ?", (now, bundle_id))


@dataclass(frozen=True)
class Target:
    id: int
    path: str
    added_at: str


def targets(conn: Connection) -> list[Target]:
    return [Target(*row) for row in conn.execute("SELECT id, path, added_at FROM delivery_targets ORDER BY id")]


def add_target(conn: Connection, path: str, now: str) -> None:
    cursor = conn.execute("INSERT INTO delivery_targets (path, added_at) VALUES (?, ?)", (path, now))
    conn.execute(
        "INSERT INTO deliveries (bundle_id, target_id) SELECT bundle_id, ? FROM outbox WHERE sent_at IS NULL", (cursor.lastrowid,)
    )


def remove_target(conn: Connection, path: str) -> bool:
    return conn.execute("DELETE FROM delivery_targets WHERE path = ?", (path,)).rowcount > 0


@dataclass(frozen=True)
class Delivery:
    bundle_id: str
    target_id: int
    target_path: str
    delivered_at: str | None
    attempts: int
    last_error: str | None
    next_attempt_at: str | None


def deliveries(conn: Connection) -> list[Delivery]:
    rows = conn.execute(
        "SELECT d.bundle_id, d.target_id, t.path, d.delivered_at, d.attempts, d.last_error, d.next_attempt_at "
        "FROM deliveries d JOIN delivery_targets t ON t.id = d.target_id ORDER BY d.bundle_id, t.id"
    )
    return [Delivery(*row) for row in rows]


def record_delivery(conn: Connection, bundle_id: str, target_id: int, now: str) -> None:
    conn.execute(
        "UPDATE deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL WHERE bundle_id = ? AND target_id = ?",
        (now, bundle_id, target_id),
    )


def record_failure(conn: Connection, bundle_id: str, target_id: int, error: str, next_attempt_at: str) -> None:
    conn.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE bundle_id = ? AND target_id = ?",
        (error, next_attempt_at, bundle_id, target_id),
    )


# --- coordinator side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreKey:
    key_id: str
    centre_id: str
    signing_public: str
    fingerprint: str
    enrolled_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class Centre:
    centre_id: str
    name: str
    district: str
    enrolled_at: str


def centres(conn: Connection) -> list[Centre]:
    return [Centre(*row) for row in conn.execute("SELECT centre_id, name, district, enrolled_at FROM centres ORDER BY centre_id")]


def centre_rows(conn: Connection) -> tuple[tuple[str, str, str, str], ...]:
    """The enrolled centres as plain rows ``(centre_id, name, district, enrolled_at)``, by id."""
    return tuple(conn.execute("SELECT centre_id, name, district, enrolled_at FROM centres ORDER BY centre_id").fetchall())


def centre(conn: Connection, centre_id: str) -> Centre | None:
    row = conn.execute("SELECT centre_id, name, district, enrolled_at FROM centres WHERE centre_id = ?", (centre_id,)).fetchone()
    return Centre(*row) if row else None


def upsert_centre(conn: Connection, found: Centre) -> None:
    conn.execute(
        "INSERT INTO centres (centre_id, name, district, enrolled_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (centre_id) DO UPDATE SET name = excluded.name, district = excluded.district",
        (found.centre_id, found.name, found.district, found.enrolled_at),
    )


def centre_keys(conn: Connection, centre_id: str | None = None) -> list[CentreKey]:
    query = "SELECT key_id, centre_id, signing_public, fingerprint, enrolled_at, revoked_at FROM centre_keys"
    rows = conn.execute(query + " WHERE centre_id = ? ORDER BY enrolled_at", (centre_id,)) if centre_id else conn.execute(query + " ORDER BY centre_id, enrolled_at")
    return [CentreKey(*row) for row in rows]


def key_by_id(conn: Connection, key_id: str) -> CentreKey | None:
    row = conn.execute(
        "SELECT key_id, centre_id, signing_public, fingerprint, enrolled_at, revoked_at FROM centre_keys WHERE key_id = ?", (key_id,)
    ).fetchone()
    return CentreKey(*row) if row else None


def add_key(conn: Connection, key: CentreKey) -> None:
    conn.execute(
        "INSERT INTO centre_keys (key_id, centre_id, signing_public, fingerprint, enrolled_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
        (key.key_id, key.centre_id, key.signing_public, key.fingerprint, key.enrolled_at, key.revoked_at),
    )


def revoke_keys(conn: Connection, centre_id: str, now: str, except_key: str | None = None) -> int:
    return conn.execute(
        "UPDATE centre_keys SET revoked_at = ? WHERE centre_id = ? AND revoked_at IS NULL AND key_id IS NOT ?", (now, centre_id, except_key)
    ).rowcount


# A received bundle is known by (centre, bundle id): bundle ids are readable in the signature's
# trusted comment, so one centre could otherwise claim another's. The table's key column holds
# "centre:bundle"; rows from before this rule hold the bundle id alone (unique then), and are
# found as well.


def _received_key(centre_id: str, bundle_id: str) -> str:
    return f"{centre_id}:{bundle_id}"


@dataclass(frozen=True)
class ReceivedBundle:
    centre_id: str
    sequence: int
    payload_hash: str


def received_bundle(conn: Connection, centre_id: str, bundle_id: str) -> ReceivedBundle | None:
    row = conn.execute(
        "SELECT centre_id, sequence, payload_hash FROM received_bundles WHERE centre_id = ? AND bundle_id IN (?, ?)",
        (centre_id, _received_key(centre_id, bundle_id), bundle_id),
    ).fetchone()
    return ReceivedBundle(*row) if row else None


def sequence_used(conn: Connection, centre_id: str, sequence: int) -> bool:
    return conn.execute("SELECT 1 FROM received_bundles WHERE centre_id = ? AND sequence = ?", (centre_id, sequence)).fetchone() is not None


def add_received(conn: Connection, bundle_id: str, centre_id: str, sequence: int, payload_hash: str, previous_hash: str | None, created_at: str, now: str) -> None:
    conn.execute(
        "INSERT INTO received_bundles (bundle_id, centre_id, sequence, payload_hash, previous_hash, created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (_received_key(centre_id, bundle_id), centre_id, sequence, payload_hash, previous_hash, created_at, now),
    )


def last_sequence(conn: Connection, centre_id: str) -> int:
    """The highest sequence number received from the centre, 0 before its first bundle."""
    return conn.execute("SELECT coalesce(max(sequence), 0) FROM received_bundles WHERE centre_id = ?", (centre_id,)).fetchone()[0]


def missing_ranges(conn: Connection, centre_id: str) -> list[tuple[int, int]]:
    """The runs of sequence numbers below the newest that never arrived, ``[(first, last), ...]``,
    found between neighbouring stored sequences: never by counting through the numbers."""
    rows = conn.execute(
        "SELECT previous + 1, sequence - 1 FROM (SELECT sequence, lag(sequence, 1, 0) OVER (ORDER BY sequence) AS previous "
        "FROM received_bundles WHERE centre_id = ?) WHERE sequence > previous + 1 ORDER BY sequence",
        (centre_id,),
    )
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class CentreMonth:
    centre_id: str
    period: str
    status: str
    sequence: int
    first_received_at: str
    received_at: str
    submitted_received_at: str | None


def centre_month(conn: Connection, centre_id: str, period: str) -> CentreMonth | None:
    row = conn.execute(
        "SELECT centre_id, period, status, sequence, first_received_at, received_at, submitted_received_at FROM centre_months WHERE centre_id = ? AND period = ?",
        (centre_id, period),
    ).fetchone()
    return CentreMonth(*row) if row else None


def centre_months(conn: Connection, first: str, last: str) -> list[CentreMonth]:
    rows = conn.execute(
        "SELECT centre_id, period, status, sequence, first_received_at, received_at, submitted_received_at FROM centre_months "
        "WHERE period BETWEEN ? AND ? ORDER BY centre_id, period",
        (first, last),
    )
    return [CentreMonth(*row) for row in rows]


def centre_month_catalogues(conn: Connection, first: str, last: str) -> dict[tuple[str, str], int]:
    """The catalogue version each centre counted each month from ``first`` to ``last`` under:
    ``{(centre_id, period): version}``."""
    rows = conn.execute("SELECT centre_id, period, catalogue_version FROM centre_months WHERE period BETWEEN ? AND ?", (first, last))
    return {(row[0], row[1]): row[2] for row in rows}


def centre_counts_between(conn: Connection, first: str, last: str, status: str | None = None) -> dict[tuple[str, str], list[tuple[CellKey, int]]]:
    """Each centre-month's counts from ``first`` to ``last``, read in one pass over the months
    held (for long ranges: ``centre_values`` reads one month at a time): ``{(centre_id, period):
    [(cell, value), ...]}``, ``[]`` for a month held without any count; ``status``: only the
    months whose last snapshot has it. The cells are the shared objects of ``cell_from_row``."""
    query = ("SELECT m.centre_id, m.period, c.indicator, c.options, c.value FROM centre_months m "
             "LEFT JOIN centre_counts c ON c.centre_id = m.centre_id AND c.period = m.period WHERE m.period BETWEEN ? AND ?")
    rows = conn.execute(query + " AND m.status = ?", (first, last, status)) if status else conn.execute(query, (first, last))
    result: dict[tuple[str, str], list[tuple[CellKey, int]]] = {}
    for centre_id, period, indicator, options, value in rows:
        month = result.setdefault((centre_id, period), [])
        if indicator is not None:
            month.append((cell_from_row(indicator, options), value))
    return result


def disclosure_secret(conn: Connection) -> bytes:
    return bytes(conn.execute("SELECT secret FROM disclosure_secret WHERE id = 1").fetchone()[0])


def derived_key(secret: bytes, centre_id: str, period: str, indicator: str, options: str, value: int) -> int:
    """The cell key given to a count that arrived without one (a bundle of format 1): the same
    every time for the same count, and unknown to anyone without the store's secret."""
    message = "\x1f".join((centre_id, period, indicator, options, str(value))).encode("utf-8")
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big") % KEY_MODULUS


Cells = Mapping[CellKey, KeyedCount] | Sequence[CellRow]


def _keyed_rows(centre_id: str, period: str, cells: Cells) -> list[tuple[str, str, str, str, int, int]]:
    rows = cell_rows(cells) if isinstance(cells, Mapping) else cells
    return [(centre_id, period, indicator, options, value, key) for indicator, options, value, key in rows if value]


def _totals_text(count_rows: list[tuple[str, str, str, str, int, int]]) -> str:
    """A month's total of each indicator, as ``centre_months.indicator_totals`` holds it."""
    totals: dict[str, int] = {}
    for _centre, _period, indicator, _options, value, _key in count_rows:
        totals[indicator] = totals.get(indicator, 0) + value
    return json.dumps(totals, separators=(",", ":"), sort_keys=True)


_HELD = "SELECT has_basis, basis_keyed, basis_in_counts, first_received_at, submitted_received_at FROM centre_months WHERE centre_id = ? AND period = ?"
_COPY_BASIS = ("INSERT INTO centre_public_basis (centre_id, period, indicator, options, value, noise_key) "
               "SELECT centre_id, period, indicator, options, value, noise_key FROM centre_counts WHERE centre_id = ? AND period = ? AND value > 0")
_PUT_MONTH = (
    "INSERT INTO centre_months (centre_id, period, status, sequence, bundle_id, first_received_at, received_at, submitted_received_at, "
    "catalogue_version, has_basis, basis_keyed, basis_in_counts, indicator_totals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (centre_id, period) DO UPDATE SET status = excluded.status, sequence = excluded.sequence, bundle_id = excluded.bundle_id, "
    "received_at = excluded.received_at, submitted_received_at = excluded.submitted_received_at, catalogue_version = excluded.catalogue_version, "
    "has_basis = excluded.has_basis, basis_keyed = excluded.basis_keyed, basis_in_counts = excluded.basis_in_counts, "
    "indicator_totals = excluded.indicator_totals"
)
_PUT_COUNT = "INSERT INTO centre_counts (centre_id, period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?, ?)"
_PUT_BASIS = "INSERT INTO centre_public_basis (centre_id, period, indicator, options, value, noise_key) VALUES (?, ?, ?, ?, ?, ?)"
# The city's sums of the month (migration 15): a centre's counts are taken out before they are
# replaced, and the new ones added once written.
_UNCOUNT_CITY = ("UPDATE city_counts SET value = city_counts.value - held.value FROM "
                 "(SELECT period, indicator, options, value FROM centre_counts WHERE centre_id = ? AND period = ?) AS held "
                 "WHERE city_counts.period = held.period AND city_counts.indicator = held.indicator AND city_counts.options = held.options")
_COUNT_CITY = ("INSERT INTO city_counts (period, indicator, options, value) "
               "SELECT period, indicator, options, value FROM centre_counts WHERE centre_id = ? AND period = ? AND true "
               "ON CONFLICT (period, indicator, options) DO UPDATE SET value = city_counts.value + excluded.value")


def replace_centre_month(
    conn: Connection, centre_id: str, period: str, status: str, sequence: int, bundle_id: str, catalogue_version: int,
    counts: Cells, basis: Cells | None, now: str, keyed: bool = True,
) -> None:
    """Put a month snapshot in place of the one held (the caller checked the sequence rule). A
    snapshot with a basis (figures as first submitted) replaces the basis held; one without
    keeps it (a month once submitted stays so). ``keyed``: the keys are the centre's own.

    A basis equal to the counts is not written twice: the month is marked ``basis_in_counts``
    and its basis read from its counts, until a later snapshot replaces the counts and the basis
    is copied aside first (migration 11). The month's total of each indicator is written with it
    (migration 14, ``indicator_totals``), and the city's sum of each cell follows the counts
    (migration 15, ``city_counts``)."""
    held = conn.execute(_HELD, (centre_id, period)).fetchone()
    has_basis, basis_keyed, in_counts, first_received, submitted_received = held or (0, 0, 0, now, None)
    if held is not None:
        if basis is None and in_counts:
            conn.execute(_COPY_BASIS, (centre_id, period))
            in_counts = 0
        elif basis is not None and has_basis and not in_counts:
            conn.execute("DELETE FROM centre_public_basis WHERE centre_id = ? AND period = ?", (centre_id, period))
        conn.execute(_UNCOUNT_CITY, (centre_id, period))
        conn.execute("DELETE FROM centre_counts WHERE centre_id = ? AND period = ?", (centre_id, period))
    if basis is not None:
        has_basis, basis_keyed, in_counts = 1, int(keyed), int(basis is counts or basis == counts)
    submitted_received = submitted_received or (now if status == "submitted" else None)
    count_rows = _keyed_rows(centre_id, period, counts)
    conn.execute(_PUT_MONTH, (centre_id, period, status, sequence, bundle_id, first_received, now, submitted_received, catalogue_version,
                              has_basis, basis_keyed, in_counts, _totals_text(count_rows)))
    conn.executemany(_PUT_COUNT, count_rows)
    conn.execute(_COUNT_CITY, (centre_id, period))
    if basis is not None and not in_counts:
        conn.executemany(_PUT_BASIS, _keyed_rows(centre_id, period, basis))


def centre_values(conn: Connection, period: str, centre_ids: list[str] | None = None) -> dict[str, dict[CellKey, int]]:
    """Each centre's counts of ``period``: ``{centre_id: {cell: value}}``. Each centre's month is
    one stretch of the table, reached through its key: other months are never read."""
    if centre_ids is None:
        chosen, arguments = "SELECT centre_id FROM centre_months WHERE period = ? ORDER BY centre_id", (period,)
    else:
        chosen, arguments = "SELECT value AS centre_id FROM json_each(?)", (json.dumps(sorted(set(centre_ids))),)
    rows = conn.execute(f"SELECT centre_id, indicator, options, value FROM ({chosen}) AS chosen CROSS JOIN centre_counts USING (centre_id) WHERE period = ?",
                        (*arguments, period))
    result: dict[str, dict[CellKey, int]] = {}
    for centre_id, indicator, options, value in rows:
        result.setdefault(centre_id, {})[cell_from_row(indicator, options)] = value
    return result


def centre_sums(conn: Connection, first: str, last: str, centre_ids: list[str] | None = None) -> dict[str, dict[CellKey, int]]:
    """Each centre's counts summed over the months ``first`` to ``last`` (by the database):
    ``{centre_id: {cell: sum}}``. The centres named are read each through its key (a quarter
    faster than the whole range through the index by month the store had until migration 15);
    without names, the whole table is read."""
    summed = "SELECT centre_id, indicator, options, SUM(value) FROM {} WHERE period BETWEEN ? AND ? GROUP BY centre_id, indicator, options"
    if centre_ids is None:
        rows = conn.execute(summed.format("centre_counts"), (first, last))
    else:
        chosen = "(SELECT DISTINCT value AS centre_id FROM json_each(?)) AS chosen CROSS JOIN centre_counts USING (centre_id)"
        rows = conn.execute(summed.format(chosen), (json.dumps(list(centre_ids)), first, last))
    result: dict[str, dict[CellKey, int]] = {}
    for centre_id, indicator, options, value in rows:
        result.setdefault(centre_id, {})[cell_from_row(indicator, options)] = value
    return result


def city_totals_by_month(conn: Connection, first: str, last: str, centre_ids: list[str]) -> dict[str, dict[str, int]]:
    """For each month from ``first`` to ``last`` that holds any figure of the centres named, the sum
    of each indicator over them: ``{period: {indicator: sum}}``, added up from ``indicator_totals``."""
    named = set(centre_ids)
    result: dict[str, dict[str, int]] = {}
    for (centre_id, period), totals in indicator_totals(conn, first, last).items():
        if centre_id in named:
            month = result.setdefault(period, {})
            for indicator, total in totals.items():
                month[indicator] = month.get(indicator, 0) + total
    return result


def indicator_totals(conn: Connection, first: str, last: str) -> dict[tuple[str, str], dict[str, int]]:
    """Each centre's total of each indicator in each month from ``first`` to ``last`` that holds
    any count (the sum of its cells, as ``centre_values`` holds them): ``{(centre_id, period):
    {indicator: total}}``. The totals are kept with each month as its counts are written
    (migration 14): one row per centre and month is read, none of its cells."""
    loads = json.loads
    rows = conn.execute("SELECT centre_id, period, indicator_totals FROM centre_months WHERE period BETWEEN ? AND ? AND indicator_totals != '{}'",
                        (first, last))
    return {(centre_id, period): loads(totals) for centre_id, period, totals in rows}


def summed_values(conn: Connection, period: str, centre_ids: list[str] | None = None) -> dict[CellKey, int]:
    """The counts of ``period`` summed over the centres (all, or those named), cell by cell. Over
    all of them, the sums kept as the counts are written (``city_counts``, migration 15) are read;
    over those named, each centre's month is one stretch of the table, reached through its key."""
    if centre_ids is None:
        rows = conn.execute("SELECT indicator, options, value FROM city_counts WHERE period = ? AND value > 0", (period,))
    else:
        rows = conn.execute("SELECT indicator, options, sum(value) FROM (SELECT DISTINCT value AS centre_id FROM json_each(?)) AS chosen "
                            "CROSS JOIN centre_counts USING (centre_id) WHERE period = ? GROUP BY indicator, options", (json.dumps(list(centre_ids)), period))
    return {cell_from_row(indicator, options): total for indicator, options, total in rows}


def month_statuses(conn: Connection, period: str, centre_ids: list[str] | None = None) -> dict[str, str]:
    """The status of ``period`` at each of the centres (all, or those named) that sent it."""
    if centre_ids is None:
        rows = conn.execute("SELECT centre_id, status FROM centre_months WHERE period = ?", (period,))
    else:
        rows = conn.execute("SELECT centre_id, status FROM centre_months WHERE centre_id IN (SELECT DISTINCT value FROM json_each(?)) AND period = ?",
                            (json.dumps(list(centre_ids)), period))
    return dict(rows.fetchall())


def centres_with_basis(conn: Connection, first: str, last: str, keyed_only: bool = False) -> set[tuple[str, str]]:
    """``(centre_id, period)`` of every month from ``first`` to ``last`` a centre submitted
    (``keyed_only``: and sent with its own cell keys)."""
    query = "SELECT centre_id, period FROM centre_months WHERE period BETWEEN ? AND ? AND has_basis = 1"
    return set(conn.execute(query + (" AND basis_keyed = 1" if keyed_only else ""), (first, last)))


def centre_bases(conn: Connection, period: str, keyed_only: bool = False) -> dict[str, dict[CellKey, KeyedCount]]:
    """Each centre's figures of ``period`` as first submitted, for the centres that submitted it
    (``keyed_only``: and sent them with their own cell keys)."""
    return centre_basis_sums(conn, period, period, keyed_only)


def centre_basis_sums(conn: Connection, first: str, last: str, keyed_only: bool = False) -> dict[str, dict[CellKey, KeyedCount]]:
    """Each centre's figures as first submitted, summed over the months from ``first`` to ``last``
    it submitted (``keyed_only``: sent with its own cell keys), by the database: values and keys
    added up as ``KeyedCount``s add. A centre that submitted a month of them has an entry. A
    month's figures are kept apart, or they are its counts where the two are the same
    (``basis_in_counts``, migration 11)."""
    months: dict[str, tuple[list[str], list[str]]] = {}
    chosen = "SELECT centre_id, period, basis_in_counts FROM centre_months WHERE period BETWEEN ? AND ? AND has_basis = 1"
    for centre_id, period, in_counts in conn.execute(chosen + (" AND basis_keyed = 1" if keyed_only else ""), (first, last)):
        months.setdefault(centre_id, ([], []))[0 if in_counts else 1].append(period)
    result: dict[str, dict[CellKey, KeyedCount]] = {}
    # A centre at a time, each of its months one stretch of a table reached through its key: the
    # database sorts a few hundred rows per centre to sum them, a fifth quicker in all than
    # sorting every centre's rows at once.
    for centre_id, (in_counts, apart) in months.items():
        figures = result[centre_id] = {}
        for table, periods in (("centre_counts", in_counts), ("centre_public_basis", apart)):
            if not periods:
                continue
            rows = conn.execute(f"SELECT indicator, options, SUM(value), SUM(noise_key) % {KEY_MODULUS} FROM {table} WHERE centre_id = ? "
                                f"AND period IN ({', '.join('?' * len(periods))}) AND value > 0 GROUP BY indicator, options", (centre_id, *periods))
            for indicator, options, value, key in rows:
                cell = cell_from_row(indicator, options)
                held = figures.get(cell) if table == "centre_public_basis" else None
                figures[cell] = keyed_count((value, key)) if held is None else held + keyed_count((value, key))
    return result


@dataclass(frozen=True)
class LogEntry:
    at: str
    file_name: str
    status: str
    reason: str | None
    centre_id: str | None
    sequence: int | None
    bundle_id: str | None


def log_import(conn: Connection, entry: LogEntry) -> None:
    conn.execute(
        "INSERT INTO import_log (at, file_name, status, reason, centre_id, sequence, bundle_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (entry.at, entry.file_name, entry.status, entry.reason, entry.centre_id, entry.sequence, entry.bundle_id),
    )


def import_log(conn: Connection, limit: int = 200) -> list[LogEntry]:
    rows = conn.execute("SELECT at, file_name, status, reason, centre_id, sequence, bundle_id FROM import_log ORDER BY id DESC LIMIT ?", (limit,))
    return [LogEntry(*row) for row in rows]


@dataclass(frozen=True)
class LastBundle:
    """A centre's bundle received last: its sequence, when it came, and the months it carries
    that are still held as it brought them."""

    sequence: int
    received_at: str
    periods: tuple[str, ...]


def last_received(conn: Connection, centre_id: str) -> LastBundle | None:
    row = conn.execute(
        "SELECT sequence, received_at, bundle_id FROM received_bundles WHERE centre_id = ? ORDER BY received_at DESC, sequence DESC LIMIT 1",
        (centre_id,),
    ).fetchone()
    if row is None:
        return None
    bundle_id = row[2].split(":", 1)[1] if row[2].startswith(f"{centre_id}:") else row[2]
    periods = conn.execute("SELECT period FROM centre_months WHERE centre_id = ? AND bundle_id = ? ORDER BY period", (centre_id, bundle_id))
    return LastBundle(row[0], row[1], tuple(period for (period,) in periods))
