"""Sub-commands for the store itself: ``init``, ``check``, ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from caseworker.app import maintenance
from caseworker.app.files import refuse_to_overwrite
from caseworker.app.session import initialise
from caseworker.cli import unlock as unlock_cli
from caseworker.cli.context import Context
from caseworker.domain.users import StoreRole, normalise_user_name
from caseworker.errors import InvalidInput
from caseworker.i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser("init", help=t("create a new encrypted store"), description=t("Create a new encrypted store with its first user and print the recovery key once."))
    init.add_argument("--role", required=True, choices=[r.value for r in StoreRole], help=t("centre or coordinator"))
    init.add_argument("--name", required=True, help=t("name of the centre or the coordinating unit"))
    init.add_argument("--district", default="", help=t("district of the centre"))
    init.add_argument("--user", help=t("first user's name (default: CASEWORKER_USER)"))
    init.set_defaults(handler=run_init)

    check = subparsers.add_parser("check", help=t("check the store's integrity"))
    check.set_defaults(handler=run_check)

    backup = subparsers.add_parser("backup", help=t("write an encrypted backup of the store"))
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.add_argument("--force", action="store_true", help=t("replace the file if it exists"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", help=t("restore a backup into an empty home"))
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=run_restore)


def run_init(context: Context, args: argparse.Namespace) -> int:
    user = args.user or os.environ.get(unlock_cli.USER_ENV)
    if not user:
        raise InvalidInput(t("Name the first user with --user or CASEWORKER_USER."))
    user = normalise_user_name(user)
    passphrase = unlock_cli.passphrase_from_env()
    if passphrase is None:
        if not unlock_cli.interactive():
            raise InvalidInput(t("No passphrase for the first user: set CASEWORKER_PASSPHRASE or run the command at a terminal."))
        passphrase = unlock_cli.new_passphrase(user)
    session, result = initialise(
        context.home, store_role=StoreRole(args.role), name=args.name, district=args.district, user_name=user, passphrase=passphrase
    )
    session.close()
    context.note(t("Created the store in {home}; {user} is its {role}.", home=context.home, user=result.first_user.name, role=result.first_user.role.label()))
    context.note(t("RECOVERY KEY (shown only now): write it on paper and keep it in the safe. It opens the store if every passphrase is lost."))
    context.say(result.recovery_key)
    return 0


def run_check(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        report = maintenance.check(session)
    for item in report.checked:
        context.say(t("checked: {item}", item=item))
    for problem in report.problems:
        context.say(t("PROBLEM: {problem}", problem=problem))
    for note in report.notes:
        context.say(t("NOTE: {note}", note=note))
    if not report.ok:
        raise InvalidInput(report.summary())
    context.say(t("The store is sound."))
    return 0


def run_backup(context: Context, args: argparse.Namespace) -> int:
    refuse_to_overwrite(args.file, args.force)  # before asking for a passphrase
    with context.session() as session:
        path = maintenance.backup(session, args.file, overwrite=args.force)
    context.say(t("Encrypted backup written to {path}. It opens with any current passphrase or the recovery key.", path=path))
    return 0


def run_restore(context: Context, args: argparse.Namespace) -> int:
    maintenance.check_backup_file(args.file)  # before asking for a passphrase
    session = maintenance.restore(context.home, args.file, unlock_cli.credentials())
    session.close()
    context.say(t("Restored the store from {file} into {home}.", file=args.file, home=context.home))
    return 0
