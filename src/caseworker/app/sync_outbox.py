"""Use cases of a centre's sending side: export bundles to the outbox, deliver them to folders.

Export puts a snapshot of every month changed since the last bundle into one bundle. The file is
written to the outbox atomically first; then one transaction records it, advances the sequence
and the previous-bundle hash, and marks the months exported. A file left in the outbox without
its record (the process died in between) is never delivered and is cleaned up next time.

Delivery copies each waiting bundle to every target folder (temporary name, flush, rename). A
failure (missing folder, read-only, disk full) is recorded with its reason and retried with
backoff: 1 minute, doubling up to 6 hours. The outbox keeps a bundle until every target has it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import counts as counts_uc
from caseworker.app.session import Session
from caseworker.app.sync_keys import _require_role, identity, may_sign, pinned_profile, signing_key
from caseworker.domain.periods import Period
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import AlreadyExists, CaseworkerError, Conflict, InvalidInput, NotFound
from caseworker.i18n import t
from caseworker.paths import make_private_dir
from caseworker.storage import counts as counts_repo
from caseworker.storage import sync as sync_repo
from caseworker.storage.atomic import write_atomic
from caseworker.storage.store import now_utc
from caseworker.sync.bundles import seal
from caseworker.sync.payload import MonthSnapshot, Payload

BUNDLE_SUFFIX = ".cwbundle"
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass(frozen=True)
class DeliveryResult:
    bundle_id: str
    target: str
    delivered: bool
    error: str | None


@dataclass(frozen=True)
class RunReport:
    exported: sync_repo.OutboxEntry | None
    deliveries: list[DeliveryResult]
    waiting: int
    months_for_a_signer: int = 0  # changed months this session may not sign (a caseworker's run)


def _outbox_folder(session: Session) -> Path:
    return make_private_dir(session.store.paths.outbox)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def add_target(session: Session, folder: Path) -> Path:
    _require_role(session, StoreRole.CENTRE)
    session.require(Permission.EXPORT)
    folder = Path(folder).expanduser().absolute()
    with session.transaction() as conn:
        if any(target.path == str(folder) for target in sync_repo.targets(conn)):
            raise AlreadyExists(t("{folder} is a delivery target already.", folder=folder))
        sync_repo.add_target(conn, str(folder), now_utc())
        session.audit(conn, "sync.target.add")
    return folder


def remove_target(session: Session, folder: Path) -> None:
    session.require(Permission.EXPORT)
    with session.transaction() as conn:
        if not sync_repo.remove_target(conn, str(Path(folder).expanduser().absolute())):
            raise NotFound(t("{folder} is not a delivery target.", folder=folder))
        session.audit(conn, "sync.target.remove")


def targets(session: Session) -> list[sync_repo.Target]:
    with session.reading() as conn:
        return sync_repo.targets(conn)


def export_bundle(session: Session, out: Path | None = None) -> sync_repo.OutboxEntry | None:
    """A bundle of every month changed since the last one, or None if nothing changed."""
    _require_role(session, StoreRole.CENTRE)
    session.require(Permission.RECORD)
    found = pinned_profile(session)
    if found is None:
        raise Conflict(t("No coordinator profile is pinned yet: import it first, on the Sync page."), command="caseworker profile import FILE")
    signer = signing_key(session)  # refused at once for a session that may not sign
    ident = identity(session)
    with session.reading() as conn:
        changed = sync_repo.changed_months(conn)
        sequence, previous_hash, _ = sync_repo.outbound_state(conn)
    if not changed:
        return None
    catalogue = catalogue_uc.current(session)
    months = []
    for period_text, _revision in changed:
        counts = counts_uc.month_counts(session, Period.parse(period_text))
        with session.reading() as conn:
            keyed, basis = counts_repo.keyed_values(conn, period_text), counts_repo.basis(conn, period_text)
        months.append(MonthSnapshot(period_text, counts.status, counts.catalogue_version, keyed, basis))
    payload = Payload(
        bundle_id=uuid.uuid4().hex,
        centre_id=ident.centre_id or "",
        sequence=sequence,
        created_at=now_utc(),
        catalogue_version=catalogue.version,
        previous_hash=previous_hash,
        months=tuple(months),
    )
    data, payload_hash = seal(payload, signer, list(found.age_recipients))
    folder = _outbox_folder(session)
    _forget_orphans(session, folder)
    name = f"{payload.centre_id}-{payload.sequence:06d}{BUNDLE_SUFFIX}"
    write_atomic(folder / name, data)
    entry = sync_repo.OutboxEntry(payload.bundle_id, payload.sequence, name, hashlib.sha256(data).hexdigest(), payload.created_at, None)
    try:
        with session.transaction() as conn:
            if sync_repo.outbound_state(conn)[0] != sequence:
                raise Conflict(t("Another window exported a bundle at the same time; try again."))
            sync_repo.add_to_outbox(conn, entry)
            sync_repo.advance_outbound(conn, sequence + 1, payload_hash, payload.created_at)
            sync_repo.mark_exported(conn, dict(changed))
            session.audit(conn, "sync.export", str(sequence))
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    if out is not None:
        write_atomic(Path(out) / name, data, mode=0o644)
    return entry


def _forget_orphans(session: Session, folder: Path) -> None:
    with session.reading() as conn:
        known = {entry.file_name for entry in sync_repo.outbox(conn, include_sent=True)}
    for path in folder.glob(f"*{BUNDLE_SUFFIX}"):
        if path.name not in known:
            path.unlink(missing_ok=True)


def deliver(session: Session, now: datetime | None = None) -> list[DeliveryResult]:
    """Copy every waiting bundle to every target that is due; record success or the reason."""
    _require_role(session, StoreRole.CENTRE)
    moment = now or datetime.now(timezone.utc)
    folder = _outbox_folder(session)
    results = []
    with session.reading() as conn:
        pending = [d for d in sync_repo.deliveries(conn) if d.delivered_at is None]
        waiting = {entry.bundle_id: entry for entry in sync_repo.outbox(conn)}
    for delivery in pending:
        entry = waiting.get(delivery.bundle_id)
        if entry is None or (delivery.next_attempt_at and delivery.next_attempt_at > _stamp(moment)):
            continue
        try:
            data = (folder / entry.file_name).read_bytes()
            target = Path(delivery.target_path)
            if not target.is_dir():
                raise NotFound(t("{target} is not there (is the USB stick plugged in?)", target=target))
            write_atomic(target / entry.file_name, data, mode=0o644)
            with session.transaction() as conn:
                sync_repo.record_delivery(conn, entry.bundle_id, delivery.target_id, _stamp(moment))
            results.append(DeliveryResult(entry.bundle_id, delivery.target_path, True, None))
        except (OSError, CaseworkerError) as error:
            reason = str(error) if isinstance(error, CaseworkerError) else (error.strerror or str(error))
            backoff = min(FIRST_RETRY * (2 ** delivery.attempts), LONGEST_RETRY)
            with session.transaction() as conn:
                sync_repo.record_failure(conn, entry.bundle_id, delivery.target_id, reason, _stamp(moment + backoff))
            results.append(DeliveryResult(entry.bundle_id, delivery.target_path, False, reason))
    _retire_delivered(session, folder)
    return results


def _retire_delivered(session: Session, folder: Path) -> None:
    with session.transaction() as conn:
        by_bundle: dict[str, list[sync_repo.Delivery]] = {}
        for delivery in sync_repo.deliveries(conn):
            by_bundle.setdefault(delivery.bundle_id, []).append(delivery)
        for entry in sync_repo.outbox(conn):
            done = by_bundle.get(entry.bundle_id, [])
            if done and all(d.delivered_at for d in done):
                sync_repo.mark_sent(conn, entry.bundle_id, now_utc())
                (folder / entry.file_name).unlink(missing_ok=True)


def run(session: Session, now: datetime | None = None) -> RunReport:
    """What the scheduler runs: export if anything changed, then deliver what is due. A session
    that may not sign (a caseworker's) delivers what is waiting; the changed months go with the
    next run of a supervisor, or when she approves a month."""
    exported = export_bundle(session) if pinned_profile(session) and may_sign(session) else None
    results = deliver(session, now)
    with session.reading() as conn:
        waiting = len(sync_repo.outbox(conn))
        unsigned = 0 if may_sign(session) else len(sync_repo.changed_months(conn))
    return RunReport(exported, results, waiting, unsigned)


def send_after_submit(session: Session, in_window: bool = False) -> str | None:
    """Called when a month is submitted: send at once if the coordinator is known. Returns one
    sentence saying whether the month went out and, if not, why and what happens next (None in
    the coordinator's store, which sends nothing). ``in_window``: the sentence names the Sync
    page's buttons rather than commands."""
    if session.store_role is not StoreRole.CENTRE:
        return None
    if pinned_profile(session) is None:
        if in_window:
            return t("Not sent: the coordinator's profile is not imported yet (Sync page, “Import the coordinator's profile…”). The month goes with the first sending after that.")
        return t("Not sent: the coordinator's profile is not imported yet (caseworker profile import FILE). The month goes with the first run after that.")
    try:
        report = run(session)
    except CaseworkerError as error:  # the month stays marked as changed; the next run sends it
        return t("Not sent: {reason} The next sync run tries again.", reason=error.message)
    delivered = sorted({result.target for result in report.deliveries if result.delivered})
    if delivered:
        return t("Sent: delivered to {targets}.", targets=", ".join(delivered))
    failed = [result for result in report.deliveries if not result.delivered]
    if failed:
        return t("Not sent: delivery to {target} failed: {error}. The bundle stays in the outbox and is tried again.", target=failed[0].target, error=failed[0].error)
    if not targets(session):
        if in_window:
            return t("Not sent: no delivery folder is chosen yet (Sync page, “Add a delivery folder…”). The bundle waits in the outbox.")
        return t("Not sent: no delivery target is set (caseworker sync target add FOLDER). The bundle waits in the outbox.")
    if in_window:
        return t("Not sent yet: the bundle waits in the outbox for the next delivery attempt (the Sync page says when).")
    return t("Not sent yet: the bundle waits in the outbox for the next delivery attempt (caseworker sync status says when).")


@dataclass(frozen=True)
class WaitingBundle:
    sequence: int
    file_name: str
    created_at: str
    targets: list[sync_repo.Delivery]


@dataclass(frozen=True)
class OutboxStatus:
    profile: sync_repo.PinnedProfile | None
    targets: list[sync_repo.Target]
    waiting: list[WaitingBundle]
    changed_months: list[str]
    last_export_at: str | None
    next_sequence: int

    def reasons(self, in_window: bool = False) -> list[str]:
        """Plain sentences saying what waits and why; ``in_window``: what to do is said in the
        window's words (its buttons), not as commands."""
        said = []
        if self.profile is None:
            said.append(t("Nothing can be sent until the coordinator's profile is imported.") if in_window
                        else t("Nothing can be sent until the coordinator's profile is imported (caseworker profile import FILE)."))
        if not self.targets:
            said.append(t("No delivery folder is chosen: bundles wait in the outbox.") if in_window
                        else t("No delivery folder is set up (caseworker sync target add DIR): bundles wait in the outbox."))
        if self.changed_months:
            said.append(t("Months changed since the last bundle: {months}.", months=", ".join(self.changed_months)))
        for bundle in self.waiting:
            for delivery in bundle.targets:
                if delivery.delivered_at is None and delivery.last_error:
                    said.append(t("Bundle {sequence} could not be copied to {target}: {error} (next try {when}).",
                                  sequence=bundle.sequence, target=delivery.target_path, error=delivery.last_error, when=delivery.next_attempt_at))
                elif delivery.delivered_at is None:
                    said.append(t("Bundle {sequence} waits to be copied to {target}.", sequence=bundle.sequence, target=delivery.target_path))
        return said


def outbox_status(session: Session) -> OutboxStatus:
    _require_role(session, StoreRole.CENTRE)
    with session.reading() as conn:
        deliveries = sync_repo.deliveries(conn)
        waiting = [
            WaitingBundle(entry.sequence, entry.file_name, entry.created_at, [d for d in deliveries if d.bundle_id == entry.bundle_id])
            for entry in sync_repo.outbox(conn)
        ]
        next_sequence, _, last_export = sync_repo.outbound_state(conn)
        return OutboxStatus(
            sync_repo.pinned_profile(conn), sync_repo.targets(conn), waiting,
            [period for period, _ in sync_repo.changed_months(conn)], last_export, next_sequence,
        )


def bundle_path(session: Session, file_name: str) -> Path:
    path = session.store.paths.outbox / file_name
    if not path.exists():
        raise InvalidInput(t("The bundle {name} is no longer in the outbox.", name=file_name))
    return path

