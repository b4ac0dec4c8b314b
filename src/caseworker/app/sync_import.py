"""The coordinator's import of bundles: every check, then each bundle all or nothing, many to a transaction.

Per bundle, in the design's order: size, strict ZIP, signature by an enrolled and unrevoked
centre, trusted comment, decryption, strict schema, the payload's centre equals the signer,
known indicator codes. Then, under the bundle's own savepoint, in this order:

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

Bundles are opened and checked outside any transaction, then stored ``BATCH_SIZE`` to a
transaction (one durable commit for many bundles), each under a savepoint of its own, so each is
still stored whole or not at all with its log line. A process killed mid-batch loses the
batch's bundles, never part of one; the next import of the same files brings them in.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app.counts import MAX_VALUE, check_cell
from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role, identity
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import InvalidInput, NotFound
from caseworker.i18n import t, tn
from caseworker.storage import sync as sync_repo
from caseworker.storage.counts import options_text
from caseworker.storage.store import now_utc
from caseworker.sync import bundle_file, minisign
from caseworker.sync.bundles import OpenedBundle, Signer, open_bundle
from caseworker.sync.payload import MonthSnapshot

BUNDLE_SUFFIX = ".cwbundle"
# How far above the highest sequence received from a centre its next bundle may be numbered.
MAX_SEQUENCE_JUMP = 1000
# Bundles stored in one transaction: enough that the durable commit costs little per bundle,
# few enough that a batch's bundles are held in memory at once without a thought.
BATCH_SIZE = 64
# The months a bundle may carry: none before Caseworker's first year, none after next month
# (the centre's clock may run a little ahead).
EARLIEST_PERIOD = Period(2000, 1)
MONTHS_AHEAD = 1


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
            found.extend(sorted(p for p in path.iterdir() if p.suffix == BUNDLE_SUFFIX and p.is_file()))
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
    checks = _Checks(session)
    outcomes: list[ImportOutcome] = []
    for start in range(0, len(files), BATCH_SIZE):
        batch = files[start : start + BATCH_SIZE]
        checks.new_batch()
        opened = [(path.name, checks.open(path)) for path in batch]
        with session.transaction() as conn:
            outcomes.extend(_store_one(session, conn, name, result, dry_run) for name, result in opened)
        if progress:
            for done in range(start + 1, start + len(batch) + 1):
                progress(done, len(files))
    return outcomes


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > bundle_file.MAX_BUNDLE_BYTES:
            raise InvalidInput(t("the file is larger than a bundle can be ({size} bytes)", size=path.stat().st_size))
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(t("the file cannot be read: {reason}", reason=error.strerror or error)) from None


class _Checks:
    """The checks of one import, with what they need read once: the coordinator's identity, the
    catalogue and the cells already found in it, and (afresh for each batch, so that a key revoked
    meanwhile counts from the next batch on) the keys of the centres."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._identities = [identity(session).age_identity or ""]
        self._catalogue = catalogue_uc.current(session)
        self._latest = Period.current().plus(MONTHS_AHEAD)
        self._known_cells: set[CellKey] = set()
        self._signers: dict[bytes, Signer | None] = {}

    def new_batch(self) -> None:
        self._signers.clear()

    def _signer(self, key_id: bytes) -> Signer | None:
        if key_id not in self._signers:
            with self._session.reading() as conn:
                key = sync_repo.key_by_id(conn, key_id.hex())
            self._signers[key_id] = None if key is None else Signer(
                key.centre_id, minisign.PublicKey.from_base64(key.signing_public), key.revoked_at is not None)
        return self._signers[key_id]

    def open(self, path: Path) -> OpenedBundle | ImportOutcome:
        """The bundle opened and checked, or its refusal with the reason."""
        try:
            opened = open_bundle(_read(path), self._signer, self._identities)
            self._check_codes(opened)
        except InvalidInput as error:
            return ImportOutcome(path.name, "rejected", error.message, None, None)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError, MemoryError) as error:
            # Every check above refuses hostile input with a reason; should one still slip through,
            # this file is refused and the batch goes on, rather than the rest going unreported.
            return ImportOutcome(path.name, "rejected", t("the bundle could not be checked ({fault}); it was refused", fault=type(error).__name__), None, None)
        return opened

    def _check_codes(self, opened: OpenedBundle) -> None:
        catalogue = self._catalogue
        if opened.payload.catalogue_version > catalogue.version:
            raise InvalidInput(
                t("made with catalogue version {theirs}, newer than the coordinator's ({ours}); import the newer catalogue first",
                  theirs=opened.payload.catalogue_version, ours=catalogue.version)
            )
        for month in opened.payload.months:
            if not EARLIEST_PERIOD <= Period.parse(month.period) <= self._latest:
                raise InvalidInput(t("month {period} is outside the months a bundle may carry ({first} to {last})",
                                     period=month.period, first=EARLIEST_PERIOD, last=self._latest))
            for cell, count in itertools.chain(month.counts.items(), (month.basis or {}).items()):
                value = count.value
                if cell not in self._known_cells:
                    try:
                        check_cell(catalogue, cell.indicator, cell.options)
                    except (InvalidInput, NotFound) as error:
                        raise InvalidInput(t("month {period}: {problem}", period=month.period, problem=error.message)) from None
                    self._known_cells.add(cell)
                if type(value) is not int or not 0 <= value <= MAX_VALUE:
                    raise InvalidInput(t("month {period}: {value} is not a count (a whole number from 0 to {limit})",
                                         period=month.period, value=value, limit=MAX_VALUE))


def _store_one(session: Session, conn, file_name: str, result: OpenedBundle | ImportOutcome, dry_run: bool) -> ImportOutcome:
    """One bundle inside its batch's transaction, under a savepoint of its own: it is stored
    whole or not at all, and its line in the import log goes with it. A dry run rolls the
    savepoint back, so each bundle is judged against the store as it was."""
    conn.execute("SAVEPOINT bundle")
    try:
        if isinstance(result, ImportOutcome):
            outcome, bundle_id = result, None
        else:
            outcome, bundle_id = _apply(conn, file_name, result), result.payload.bundle_id
            if outcome.status == "imported":
                session.audit(conn, "sync.import", f"{result.payload.centre_id} {result.payload.sequence}")
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


def _apply(conn, file_name: str, opened: OpenedBundle) -> ImportOutcome:
    payload = opened.payload
    now = now_utc()

    def rejected(reason: str) -> ImportOutcome:
        return ImportOutcome(file_name, "rejected", reason, payload.centre_id, payload.sequence)

    known = sync_repo.received_bundle(conn, payload.centre_id, payload.bundle_id)
    if known is not None and known.payload_hash == opened.payload_hash:
        return ImportOutcome(file_name, "duplicate", t("this bundle was imported before; nothing changed"), payload.centre_id, payload.sequence)
    if known is not None:
        return rejected(t("bundle id {bundle} of centre {centre} was already used by another bundle; a bundle id is never reused",
                          bundle=payload.bundle_id, centre=payload.centre_id))
    if sync_repo.sequence_used(conn, payload.centre_id, payload.sequence):
        return rejected(
            t("sequence {sequence} of centre {centre} was already used by another bundle (a replay, or the centre's store was restored from an old backup)",
              sequence=payload.sequence, centre=payload.centre_id)
        )
    last = sync_repo.last_sequence(conn, payload.centre_id)
    if payload.sequence > last + MAX_SEQUENCE_JUMP:
        return rejected(t("sequence {sequence} is more than {jump} above the last one received from centre {centre} ({last})",
                          sequence=payload.sequence, jump=MAX_SEQUENCE_JUMP, centre=payload.centre_id, last=last))
    applied = superseded = 0
    for month in payload.months:
        held = sync_repo.centre_month(conn, payload.centre_id, month.period)
        if held is None or payload.sequence > held.sequence:
            counts, basis = _keyed(conn, payload.centre_id, month)
            sync_repo.replace_centre_month(
                conn, payload.centre_id, month.period, month.status, payload.sequence, payload.bundle_id, month.catalogue_version, counts, basis, now,
                keyed=month.keyed,
            )
            applied += 1
        else:
            superseded += 1
    sync_repo.add_received(conn, payload.bundle_id, payload.centre_id, payload.sequence, opened.payload_hash, payload.previous_hash, payload.created_at, now)
    return ImportOutcome(file_name, "imported", None, payload.centre_id, payload.sequence, applied, superseded)


def _keyed(conn, centre_id: str, month: MonthSnapshot) -> tuple[dict[CellKey, KeyedCount], dict[CellKey, KeyedCount] | None]:
    """The month's counts and basis with cell keys: the centre's own, or for a bundle of format 1
    keys derived from this store's secret (docs/disclosure.md)."""
    if month.keyed:
        return month.counts, month.basis
    secret = sync_repo.disclosure_secret(conn)
    counts = {cell: KeyedCount(count.value, sync_repo.derived_key(secret, centre_id, month.period, cell.indicator, options_text(cell), count.value))
              for cell, count in month.counts.items()}
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
