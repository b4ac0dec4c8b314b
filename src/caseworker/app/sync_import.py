"""The coordinator's import of bundles: every check, then each bundle all or nothing, many to a transaction.

Per bundle, in the design's order: size, strict ZIP, signature by an enrolled and unrevoked
centre, trusted comment, decryption, strict schema, the payload's centre equals the signer,
known indicator codes (``bundle_checks``; for a large import on a second core,
``bundle_opening``), and the signer's key not revoked since the import began. Then, under the
bundle's own savepoint, in this order:

1. identity is (centre, bundle id): the same centre's bundle id seen before with the same
   ``payload.age`` (byte for byte) is a **duplicate** and changes nothing; with other bytes it is
   **rejected** (an id is never reused). Another centre's use of the id is no concern of this one.
2. a sequence number already used by another bundle of the centre is rejected (a replay, or a
   store restored from an old backup);
3. a sequence number more than ``MAX_SEQUENCE_JUMP`` above the centre's highest received is
   rejected: a centre numbers its bundles 1, 2, 3 …, and a huge number would make every later
   gap report enormous;
4. each month snapshot replaces the centre's figures for that month only if its sequence is
   higher than the one applied, so late and out-of-order bundles end in the same state.

A rejected bundle changes nothing but the import log. One bad file never stops the batch: every
file gets an outcome, with its reason. ``dry_run`` does everything and rolls back.

Bundles are opened and checked before they are stored, with nothing of the store but what
``BundleChecks`` read when the import began, and stored ``BATCH_SIZE`` to a transaction (one
durable commit for many bundles), each under a savepoint of its own, so each is still stored
whole or not at all with its log line. A process killed mid-batch loses the
batch's bundles, never part of one; the next import of the same files brings them in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from caseworker.app import bundle_opening
from caseworker.app.bundle_checks import BundleChecks, CheckedBundle, CheckedMonth, Refused
from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import NotFound
from caseworker.i18n import t, tn
from caseworker.storage import sync as sync_repo
from caseworker.storage.store import now_utc
from caseworker.storage.cell_rows import CellRow
from caseworker.storage.sync import CentreKey

BUNDLE_SUFFIX = ".cwbundle"
# How far above the highest sequence received from a centre its next bundle may be numbered.
MAX_SEQUENCE_JUMP = 1000
# Bundles stored in one transaction: enough that the durable commit (its fsync costs as much as
# storing some twenty bundles) costs little per bundle, few enough that a batch's bundles are
# held in memory at once without a thought and a batch is committed every few tenths of a second.
BATCH_SIZE = 256
# The page cache while importing: an import writes each page of a bundle's rows once and reads
# little back, so a small cache costs it nothing (docs/store.md), and the import's memory stays
# flat however large the store has grown.
IMPORT_CACHE_KIB = 4 * 1024


@dataclass(frozen=True)
class ImportOutcome:
    file: str
    status: str  # "imported", "duplicate" or "rejected"
    reason: str | None
    centre: str | None
    sequence: int | None
    months_applied: int = 0
    months_superseded: int = 0

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "status": self.status, "reason": self.reason, "centre": self.centre, "sequence": self.sequence}


def bundle_files(paths: Iterable[Path]) -> list[Path]:
    """The bundles named, with folders expanded to the ``*.cwbundle`` files in them, sorted."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            with os.scandir(path) as entries:  # names and kinds from one listing, no file looked at twice
                names = sorted(entry.name for entry in entries if entry.name.endswith(BUNDLE_SUFFIX) and entry.is_file())
            found.extend(path / name for name in names)
        elif path.exists():
            found.append(path)
        else:
            raise NotFound(t("{path} does not exist.", path=path))
    return found


def import_bundles(
    session: Session, paths: Iterable[Path], *, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> list[ImportOutcome]:
    """Import every bundle named, ``BATCH_SIZE`` to a transaction; ``progress(done, total)`` is
    called once a batch is committed, so a bundle counted as done is in the store."""
    _require_role(session, StoreRole.COORDINATOR)
    session.require(Permission.COORDINATE)
    files = bundle_files(paths)
    signers = _Signers()
    outcomes: list[ImportOutcome] = []
    with session.store.page_cache(IMPORT_CACHE_KIB), bundle_opening.opened_bundles(BundleChecks.of(session), files) as opened:
        for start in range(0, len(files), BATCH_SIZE):
            batch = files[start : start + BATCH_SIZE]
            signers.new_batch()
            with session.transaction() as conn:
                outcomes.extend(_store_one(session, conn, path.name, signers.still_valid(conn, next(opened)), dry_run) for path in batch)
            if progress:
                for done in range(start + 1, start + len(batch) + 1):
                    progress(done, len(files))
    return outcomes


class _Signers:
    """The centres' keys as the store holds them now, read afresh for each batch: a key revoked
    while an import runs counts from the next batch on."""

    def __init__(self) -> None:
        self._found: dict[bytes, CentreKey | None] = {}

    def new_batch(self) -> None:
        self._found.clear()

    def still_valid(self, conn, result: CheckedBundle | Refused) -> CheckedBundle | Refused:
        """The bundle, or its refusal if the key that signed it was revoked or removed since the import began."""
        if isinstance(result, Refused):
            return result
        if result.key_id not in self._found:
            self._found[result.key_id] = sync_repo.key_by_id(conn, result.key_id.hex())
        key = self._found[result.key_id]
        if key is None:
            return Refused(t("signed by a key no enrolled centre has (key id {key_id})", key_id=result.key_id.hex().upper()))
        if key.revoked_at is not None:
            return Refused(t("signed with a revoked key of centre {centre}", centre=key.centre_id))
        return result


def _store_one(session: Session, conn, file_name: str, result: CheckedBundle | Refused, dry_run: bool) -> ImportOutcome:
    """One bundle inside its batch's transaction, under a savepoint of its own: it is stored
    whole or not at all, and its line in the import log goes with it. A dry run rolls the
    savepoint back, so each bundle is judged against the store as it was."""
    conn.execute("SAVEPOINT bundle")
    try:
        if isinstance(result, Refused):
            outcome, bundle_id = ImportOutcome(file_name, "rejected", result.reason, None, None), None
        else:
            outcome, bundle_id = _apply(conn, file_name, result), result.bundle_id
            if outcome.status == "imported":
                session.audit(conn, "sync.import", f"{result.centre_id} {result.sequence}")
        if dry_run:
            conn.execute("ROLLBACK TO bundle")
        else:
            _log(conn, outcome, bundle_id)
    except BaseException:
        conn.execute("ROLLBACK TO bundle")
        conn.execute("RELEASE bundle")
        raise
    conn.execute("RELEASE bundle")
    return outcome


def _log(conn, outcome: ImportOutcome, bundle_id: str | None = None) -> None:
    sync_repo.log_import(conn, sync_repo.LogEntry(now_utc(), outcome.file, outcome.status, outcome.reason, outcome.centre, outcome.sequence, bundle_id))


def _apply(conn, file_name: str, bundle: CheckedBundle) -> ImportOutcome:
    now = now_utc()

    def rejected(reason: str) -> ImportOutcome:
        return ImportOutcome(file_name, "rejected", reason, bundle.centre_id, bundle.sequence)

    known = sync_repo.received_bundle(conn, bundle.centre_id, bundle.bundle_id)
    if known is not None and known.payload_hash == bundle.payload_hash:
        return ImportOutcome(file_name, "duplicate", t("this bundle was imported before; nothing changed"), bundle.centre_id, bundle.sequence)
    if known is not None:
        return rejected(t("bundle id {bundle} of centre {centre} was already used by another bundle; a bundle id is never reused",
                          bundle=bundle.bundle_id, centre=bundle.centre_id))
    if sync_repo.sequence_used(conn, bundle.centre_id, bundle.sequence):
        return rejected(
            t("sequence {sequence} of centre {centre} was already used by another bundle (a replay, or the centre's store was restored from an old backup)",
              sequence=bundle.sequence, centre=bundle.centre_id)
        )
    last = sync_repo.last_sequence(conn, bundle.centre_id)
    if bundle.sequence > last + MAX_SEQUENCE_JUMP:
        return rejected(t("sequence {sequence} is more than {jump} above the last one received from centre {centre} ({last})",
                          sequence=bundle.sequence, jump=MAX_SEQUENCE_JUMP, centre=bundle.centre_id, last=last))
    applied = superseded = 0
    for month in bundle.months:
        held = sync_repo.centre_month(conn, bundle.centre_id, month.period)
        if held is None or bundle.sequence > held.sequence:
            counts, basis = _keyed(conn, bundle.centre_id, month)
            sync_repo.replace_centre_month(
                conn, bundle.centre_id, month.period, month.status, bundle.sequence, bundle.bundle_id, month.catalogue_version, counts, basis, now,
                keyed=month.keyed,
            )
            applied += 1
        else:
            superseded += 1
    sync_repo.add_received(conn, bundle.bundle_id, bundle.centre_id, bundle.sequence, bundle.payload_hash, bundle.previous_hash, bundle.created_at, now)
    return ImportOutcome(file_name, "imported", None, bundle.centre_id, bundle.sequence, applied, superseded)


def _keyed(conn, centre_id: str, month: CheckedMonth) -> tuple[tuple[CellRow, ...], tuple[CellRow, ...] | None]:
    """The month's counts and basis with cell keys: the centre's own, or for a bundle of format 1
    keys derived from this store's secret (docs/disclosure.md)."""
    if month.keyed:
        return month.counts, month.basis
    secret = sync_repo.disclosure_secret(conn)
    counts = tuple((indicator, options, value, sync_repo.derived_key(secret, centre_id, month.period, indicator, options, value))
                   for indicator, options, value, _ in month.counts)
    return counts, (counts if month.basis is not None else None)


def gaps(session: Session) -> dict[str, list[tuple[int, int]]]:
    """For each centre, the runs ``(first, last)`` of sequence numbers below its newest that never
    arrived, from the stored sequences alone."""
    with session.reading() as conn:
        result = {}
        for found in sync_repo.centres(conn):
            missing = sync_repo.missing_ranges(conn, found.centre_id)
            if missing:
                result[found.centre_id] = missing
        return result


def gaps_text(ranges: list[tuple[int, int]]) -> str:
    """``[(1, 2), (5, 5)]`` as ``1–2, 5``."""
    return ", ".join(str(first) if first == last else f"{first}–{last}" for first, last in ranges)


def gap_text(centre_id: str, ranges: list[tuple[int, int]]) -> str:
    """One sentence naming the bundles of a centre that never arrived."""
    missing = sum(last - first + 1 for first, last in ranges)
    return tn(missing, "Centre {id} is missing bundle {sequences}.", "Centre {id} is missing bundles {sequences}.", id=centre_id,
              sequences=gaps_text(ranges))


def import_log(session: Session, limit: int = 200) -> list[sync_repo.LogEntry]:
    _require_role(session, StoreRole.COORDINATOR)
    with session.reading() as conn:
        return sync_repo.import_log(conn, limit)
