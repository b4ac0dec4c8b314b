"""Sub-commands for sync: ``keys``, ``enrol``, ``profile`` and ``sync``."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path

from caseworker.app import coordination, sync_import, sync_keys, sync_outbox
from caseworker.app import schedule as schedule_uc
from caseworker.app.session import Credentials, unlock
from caseworker.cli import unlock as unlock_cli
from caseworker.cli.context import Context
from caseworker.domain.periods import Period
from caseworker.domain.users import StoreRole
from caseworker.errors import InvalidInput
from caseworker.i18n import t, tn
from caseworker.settings import load as load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    keys = subparsers.add_parser("keys", help=t("this store's public keys and fingerprint"))
    keys_actions = keys.add_subparsers(dest="keys_command", metavar=t("ACTION"), required=True)
    show = keys_actions.add_parser("show", help=t("show the public keys and the fingerprint to read aloud"))
    show.add_argument("--json", action="store_true", help=t("machine-readable output"))
    show.set_defaults(handler=run_keys_show)
    export = keys_actions.add_parser("export-identity", help=t("write the coordinator's age identity to a file for the safe"))
    export.add_argument("file", type=Path, metavar="FILE")
    export.set_defaults(handler=run_export_identity)

    enrol = subparsers.add_parser("enrol", help=t("enrolment of a centre with the coordinator"))
    enrol_actions = enrol.add_subparsers(dest="enrol_command", metavar=t("ACTION"), required=True)
    request = enrol_actions.add_parser("request", help=t("write this centre's enrolment request (centre)"))
    request.add_argument("file", type=Path, metavar="FILE")
    request.set_defaults(handler=run_enrol_request)
    accept = enrol_actions.add_parser("accept", help=t("enrol a centre from its request (coordinator)"))
    accept.add_argument("file", type=Path, metavar="FILE")
    accept.add_argument("--fingerprint", metavar="FP", help=t("the fingerprint the centre read aloud"))
    accept.set_defaults(handler=run_enrol_accept)
    replace_key = enrol_actions.add_parser("replace-key", help=t("replace an enrolled centre's key from its new request (coordinator)"))
    replace_key.add_argument("file", type=Path, metavar="FILE")
    replace_key.add_argument("--fingerprint", metavar="FP", help=t("the fingerprint the centre read aloud"))
    replace_key.set_defaults(handler=run_enrol_replace_key)
    revoke = enrol_actions.add_parser("revoke", help=t("revoke a centre's key (coordinator)"))
    revoke.add_argument("centre", metavar="CENTRE")
    revoke.set_defaults(handler=run_enrol_revoke)

    profile = subparsers.add_parser("profile", help=t("the coordinator's profile (keys) for the centres"))
    profile_actions = profile.add_subparsers(dest="profile_command", metavar=t("ACTION"), required=True)
    pexport = profile_actions.add_parser("export", help=t("write the coordinator's profile (coordinator)"))
    pexport.add_argument("file", type=Path, metavar="FILE")
    pexport.set_defaults(handler=run_profile_export)
    pimport = profile_actions.add_parser("import", help=t("pin the coordinator's profile (centre)"))
    pimport.add_argument("file", type=Path, metavar="FILE")
    pimport.add_argument("--fingerprint", metavar="FP", help=t("the fingerprint the coordinator read aloud"))
    pimport.set_defaults(handler=run_profile_import)

    sync = subparsers.add_parser("sync", help=t("send and receive statistics bundles"))
    sync_actions = sync.add_subparsers(dest="sync_command", metavar=t("ACTION"), required=True)
    target = sync_actions.add_parser("target", help=t("delivery folders (USB stick, network share, synced folder)"))
    target_actions = target.add_subparsers(dest="target_command", metavar=t("ACTION"), required=True)
    for name, handler, helptext in (("add", run_target_add, t("add a delivery folder")), ("remove", run_target_remove, t("remove a delivery folder"))):
        action = target_actions.add_parser(name, help=helptext)
        action.add_argument("folder", type=Path, metavar="DIR")
        action.set_defaults(handler=handler)
    target_actions.add_parser("list", help=t("list delivery folders")).set_defaults(handler=run_target_list)
    sync_actions.add_parser("run", help=t("export what changed and deliver what waits (for the scheduler)")).set_defaults(handler=run_sync_run)
    sexport = sync_actions.add_parser("export", help=t("export a bundle of the months changed since the last one"))
    sexport.add_argument("--out", type=Path, metavar="DIR", help=t("also copy the bundle into this folder"))
    sexport.set_defaults(handler=run_sync_export)
    simport = sync_actions.add_parser("import", help=t("import bundles (coordinator)"))
    simport.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR")
    simport.add_argument("--dry-run", action="store_true", help=t("check everything, change nothing"))
    simport.add_argument("--json", action="store_true", help=t("machine-readable output"))
    simport.set_defaults(handler=run_sync_import)
    status = sync_actions.add_parser("status", help=t("what waits and why; reporting rate on a coordinator's store"))
    status.add_argument("--json", action="store_true", help=t("machine-readable output"))
    status.add_argument("--from", dest="first", metavar="PERIOD")
    status.add_argument("--to", dest="last", metavar="PERIOD")
    status.set_defaults(handler=run_sync_status)
    schedule = sync_actions.add_parser("schedule", help=t("send every day without the window: the system's scheduler runs sync run"))
    schedule_actions = schedule.add_subparsers(dest="schedule_command", metavar=t("ACTION"), required=True)
    install = schedule_actions.add_parser("install", help=t("schedule sync run every day (systemd user timer, launchd agent or Windows task)"))
    install.add_argument("--at", default="18:00", metavar="HH:MM", help=t("time of day to send (default: 18:00)"))
    install.add_argument("--user", metavar="NAME", help=t("user the job unlocks the store as (default: CASEWORKER_USER)"))
    install.add_argument("--passphrase-file", type=Path, metavar="FILE", help=t("file holding that user's passphrase, readable by you alone (default: CASEWORKER_PASSPHRASE_FILE)"))
    install.set_defaults(handler=run_schedule_install)
    schedule_actions.add_parser("remove", help=t("stop sending on a schedule and remove the job")).set_defaults(handler=run_schedule_remove)
    schedule_status = schedule_actions.add_parser("status", help=t("whether sending is scheduled, when and for which store"))
    schedule_status.add_argument("--json", action="store_true", help=t("machine-readable output"))
    schedule_status.set_defaults(handler=run_schedule_status)


def _confirm(given: str | None) -> str | None:
    """The fingerprint read aloud: from ``--fingerprint``, or typed at a terminal. The file's own
    fingerprint is never printed, neither before the prompt nor when the answer is wrong."""
    if given is not None or not unlock_cli.interactive():
        return given
    return input(t("Type the fingerprint the other side read to you over the phone: "))


def run_keys_show(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        info = sync_keys.keys(session)
    if args.json:
        document = {"signing_public_key": info.signing_public_key, "fingerprint": info.fingerprint}
        if info.age_recipient:
            document["age_recipient"] = info.age_recipient
        if info.centre_id:
            document["centre_id"] = info.centre_id
        context.say(json.dumps(document, indent=2))
        return 0
    if info.centre_id:
        context.say(t("Centre id: {id}", id=info.centre_id))
    context.say(t("Signing public key (minisign): {key}", key=info.signing_public_key))
    if info.age_recipient:
        context.say(t("Age recipient: {recipient}", recipient=info.age_recipient))
    context.say(t("Fingerprint to read aloud: {fingerprint}", fingerprint=info.fingerprint))
    return 0


def run_export_identity(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        path = sync_keys.export_identity(session, args.file)
    context.note(t("WARNING: {path} holds the coordinator's secret key. Whoever has it can read every bundle. Keep it in the safe, never on a shared drive.", path=path))
    return 0


def run_enrol_request(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        request = sync_keys.write_enrolment_request(session, args.file)
    context.say(t("Enrolment request written to {path} for centre {id}.", path=args.file, id=request.centre_id))
    context.say(t("Read this fingerprint to the coordinator over the phone: {fingerprint}", fingerprint=request.fingerprint))
    return 0


def run_enrol_accept(context: Context, args: argparse.Namespace) -> int:
    return _enrol(context, args, sync_keys.accept_enrolment)


def run_enrol_replace_key(context: Context, args: argparse.Namespace) -> int:
    return _enrol(context, args, sync_keys.replace_centre_key)


def _enrol(context: Context, args: argparse.Namespace, action) -> int:
    request = sync_keys.read_enrolment_request(args.file)
    confirmed = _confirm(args.fingerprint)
    with context.session() as session:
        outcome = action(session, request, confirmed)
    messages = {
        "enrolled": t("Enrolled centre {id} ({name}).", id=outcome.centre_id, name=request.name),
        "re-enrolled": tn(outcome.revoked_keys, "Centre {id} enrolled with a new key; {count} old key revoked.", "Centre {id} enrolled with a new key; {count} old keys revoked.", id=outcome.centre_id),
        "replaced": t("Replaced the key of centre {id}: the key with fingerprint {old} is revoked, the key with fingerprint {new} counts from now on.",
                      id=outcome.centre_id, old=outcome.old_fingerprint, new=request.fingerprint),
        "unchanged": t("Centre {id} is already enrolled with this key.", id=outcome.centre_id),
    }
    context.say(messages[outcome.status])
    return 0


def run_enrol_revoke(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        count = sync_keys.revoke_centre(session, args.centre)
    context.say(tn(count, "Revoked {count} key of centre {id}; its bundles are refused until it enrols again.", "Revoked {count} keys of centre {id}; its bundles are refused until it enrols again.", id=args.centre))
    return 0


def run_profile_export(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        found = sync_keys.write_profile(session, args.file)
    context.say(t("Coordinator profile written to {path}.", path=args.file))
    context.say(t("Read this fingerprint to each centre over the phone: {fingerprint}", fingerprint=found.fingerprint))
    return 0


def run_profile_import(context: Context, args: argparse.Namespace) -> int:
    found = sync_keys.read_profile(args.file)
    confirmed = _confirm(args.fingerprint)
    with context.session() as session:
        before = sync_keys.pinned_profile(session)
        sync_keys.pin_profile(session, found, confirmed)
    context.say(t("Pinned the coordinator profile of {name}; bundles will be encrypted to it.", name=found.name))
    if before is not None and before.fingerprint != found.fingerprint:
        context.note(t("This replaced the coordinator trusted before ({name}, fingerprint {fingerprint}).", name=before.name, fingerprint=before.fingerprint))
        if before.signing_public != found.signing_public:
            context.note(t("Publications are numbered anew: the first one of the new coordinator will be applied."))
    return 0


def run_target_add(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        folder = sync_outbox.add_target(session, args.folder)
    context.say(t("Bundles will also be delivered to {folder}.", folder=folder))
    return 0


def run_target_remove(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        sync_outbox.remove_target(session, args.folder)
    context.say(t("{folder} is no longer a delivery target.", folder=args.folder))
    return 0


def run_target_list(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        for target in sync_outbox.targets(session):
            context.say(target.path)
    return 0


def _say_deliveries(context: Context, results: list[sync_outbox.DeliveryResult]) -> None:
    for result in results:
        if result.delivered:
            context.say(t("Delivered to {target}.", target=result.target))
        else:
            context.say(t("Not delivered to {target}: {error} (it stays in the outbox and is tried again).", target=result.target, error=result.error))


def run_sync_run(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        report = sync_outbox.run(session)
    if report.exported:
        context.say(t("Exported bundle {sequence}.", sequence=report.exported.sequence))
    if report.months_for_a_signer:
        context.say(tn(report.months_for_a_signer,
                       "{count} changed month waits for a supervisor: only a supervisor signs the statistics (her next sync, or approving a month, sends it).",
                       "{count} changed months wait for a supervisor: only a supervisor signs the statistics (her next sync, or approving a month, sends them)."))
    _say_deliveries(context, report.deliveries)
    context.say(tn(report.waiting, "{count} bundle waits in the outbox.", "{count} bundles wait in the outbox."))
    if report.deliveries and not any(result.delivered for result in report.deliveries):
        context.note(f"caseworker: {t('No delivery succeeded; the bundles stay in the outbox. Check the targets above (caseworker sync target list) and run again.')}")
        return 1
    return 0


def run_sync_export(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        entry = sync_outbox.export_bundle(session, args.out)
    if entry is None:
        context.say(t("Nothing changed since the last bundle; nothing was exported."))
    else:
        context.say(t("Exported bundle {sequence} to the outbox ({name}).", sequence=entry.sequence, name=entry.file_name))
    return 0


def run_sync_import(context: Context, args: argparse.Namespace) -> int:
    def progress(done: int, total: int) -> None:
        if unlock_cli.interactive() and total > 1:
            context.note(f"{done} / {total}")

    with context.session() as session:
        outcomes = sync_import.import_bundles(session, args.paths, dry_run=args.dry_run, progress=progress)
        found_gaps = sync_import.gaps(session)
    if args.json:
        context.say(json.dumps([o.to_json() for o in outcomes], ensure_ascii=False, indent=2))
    elif not outcomes:
        context.say(t("No bundle (*.cwbundle file) found in {paths}; nothing was imported.", paths=", ".join(str(path) for path in args.paths)))
    else:
        labels = {"imported": t("imported"), "duplicate": t("duplicate"), "rejected": t("rejected")}
        for outcome in outcomes:
            line = f"{outcome.file}: {labels[outcome.status]}"
            if outcome.centre:
                line += f" ({outcome.centre} #{outcome.sequence})"
            if outcome.reason:
                line += f" — {outcome.reason}"
            context.say(line)
        for centre_id, missing in found_gaps.items():
            context.say(sync_import.gap_text(centre_id, missing))
        if args.dry_run:
            context.say(t("Dry run: nothing was changed."))
    rejected = sum(o.status == "rejected" for o in outcomes)
    if rejected:
        rejected_text = tn(len(outcomes), "{rejected} of {count} bundle was rejected; see the reasons above and the import log.",
                           "{rejected} of {count} bundles were rejected; see the reasons above and the import log.", rejected=rejected)
        context.note(f"caseworker: {rejected_text}")
        return 1
    return 0


def run_sync_status(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        if session.store_role is StoreRole.CENTRE:
            return _centre_status(context, args, sync_outbox.outbox_status(session))
        last = Period.parse(args.last) if args.last else Period.current().previous()
        first = Period.parse(args.first) if args.first else last.plus(-11)
        rate = coordination.reporting_rate(session, first, last, load_settings(session.store.paths.settings).report_deadline_day)
        found_gaps = sync_import.gaps(session)
    return _coordinator_status(context, args, rate, found_gaps)


def _centre_status(context: Context, args: argparse.Namespace, status: sync_outbox.OutboxStatus) -> int:
    if args.json:
        document = {
            "coordinator": status.profile.name if status.profile else None,
            "targets": [t_.path for t_ in status.targets],
            "changed_months": status.changed_months,
            "last_export_at": status.last_export_at,
            "next_sequence": status.next_sequence,
            "waiting": [
                {"sequence": b.sequence, "file": b.file_name, "created_at": b.created_at,
                 "targets": [{"path": d.target_path, "delivered_at": d.delivered_at, "attempts": d.attempts, "last_error": d.last_error, "next_attempt_at": d.next_attempt_at} for d in b.targets]}
                for b in status.waiting
            ],
        }
        context.say(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    reasons = status.reasons()
    for reason in reasons:
        context.say(reason)
    if not reasons:
        context.say(t("Everything has been sent."))
    return 0


def _coordinator_status(context: Context, args: argparse.Namespace, rate: coordination.ReportingRate, found_gaps: dict[str, list[tuple[int, int]]]) -> int:
    if args.json:
        document = {
            "periods": [str(p) for p in rate.periods],
            "centres": [
                {"centre": c.centre_id, "name": c.name, "district": c.district, "missing_sequences": [list(run) for run in found_gaps.get(c.centre_id, [])],
                 "months": [{"period": str(p), "expected": cell.expected, "received": cell.received, "on_time": cell.on_time, "status": cell.status}
                            for p in rate.periods for cell in [rate.cells[(c.centre_id, p)]]]}
                for c in rate.centres
            ],
        }
        context.say(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    marks = {"submitted": "S", "open": "o", "reopened": "r", None: "."}
    context.say(t("Reporting rate (S submitted, o open, r reopened, . nothing received; * late):"))
    context.say(" " * 28 + " ".join(str(p)[2:] for p in rate.periods))
    for found in rate.centres:
        cells = [rate.cells[(found.centre_id, p)] for p in rate.periods]
        row = " ".join(f"{marks[c.status]}{'' if c.on_time or not c.received else '*':<4}" for c in cells)
        context.say(f"{found.centre_id[:27]:<28}{row}")
    for period in [p for p in rate.periods if p.last_day < date.today()][-1:]:  # the last month that has ended
        expected, received, on_time = rate.rate(period)
        context.say(tn(expected, "{period}: {received} of {count} centre reported, {on_time} on time.", "{period}: {received} of {count} centres reported, {on_time} on time.",
                       period=period, received=received, on_time=on_time))
    for centre_id, missing in found_gaps.items():
        context.say(sync_import.gap_text(centre_id, missing))
    if not rate.centres:
        raise InvalidInput(t("No centre is enrolled yet (caseworker enrol accept FILE)."))
    return 0


# --- sync schedule ---------------------------------------------------------------------------------


def run_schedule_install(context: Context, args: argparse.Namespace) -> int:
    at = schedule_uc.parse_time(args.at)
    user = args.user or os.environ.get(unlock_cli.USER_ENV)
    if not user:
        raise InvalidInput(t("Name the user the job unlocks the store as with --user or CASEWORKER_USER."))
    file_name = args.passphrase_file or os.environ.get(unlock_cli.PASSPHRASE_FILE_ENV)
    if not file_name:
        raise InvalidInput(t("A scheduled job reads the passphrase from a file: give --passphrase-file FILE (readable by you alone, chmod 600)."))
    passphrase_file = Path(file_name).absolute()
    if not passphrase_file.is_file():
        raise InvalidInput(t("The passphrase file {file} does not exist.", file=passphrase_file))
    unlock_cli.require_private_file(passphrase_file)
    passphrase = passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
    with unlock(context.home, Credentials(user=user, passphrase=passphrase)) as session:  # the job will open it the same way
        user = session.user.name
    job = schedule_uc.Job(context.home.absolute(), user, passphrase_file, at)
    outcome = schedule_uc.install(job, schedule_uc.Platform.current())
    for path in outcome.files:
        context.say(t("written: {path}", path=path))
    return _schedule_outcome(context, outcome, t("Sending is scheduled every day at {at} for {user} (sync run).", at=f"{at:%H:%M}", user=user))


def run_schedule_remove(context: Context, args: argparse.Namespace) -> int:
    outcome = schedule_uc.remove(schedule_uc.Platform.current())
    if not outcome.files:
        context.say(t("Sending is not scheduled; there was nothing to remove."))
        return 0
    for path in outcome.files:
        context.say(t("removed: {path}", path=path))
    return _schedule_outcome(context, outcome, t("Sending is no longer scheduled."))


def _schedule_outcome(context: Context, outcome: schedule_uc.Outcome, done: str) -> int:
    if outcome.failed:
        context.note(t("The scheduler refused: {reason}", reason=outcome.failed))
    if outcome.to_run:
        context.say(t("Run this to finish (the scheduler cannot be reached from here):"))
        for command in outcome.to_run:
            context.say("  " + schedule_uc.printable(command, outcome.kind))
        return 1 if outcome.failed else 0
    context.say(done)
    return 0


def run_schedule_status(context: Context, args: argparse.Namespace) -> int:
    found = schedule_uc.status(schedule_uc.Platform.current())
    if args.json:
        context.say(json.dumps({"kind": found.kind, "installed": found.installed, "at": found.at, "home": found.home, "user": found.user,
                                "registered": found.registered, "files": [str(path) for path in found.files]}, ensure_ascii=False, indent=2))
        return 0
    if not found.files:
        context.say(t("Sending is not scheduled (caseworker sync schedule install)."))
        return 0
    if not found.installed:
        context.say(t("The schedule is incomplete: run caseworker sync schedule install again."))
    else:
        context.say(t("Sending is scheduled every day at {at} for {user}, store {home}.", at=found.at or "?", user=found.user or "?", home=found.home or "?"))
    if found.registered is False:
        context.say(t("The system's scheduler does not know the job yet: run caseworker sync schedule install again."))
    for path in found.files:
        context.say("  " + str(path))
    return 0
