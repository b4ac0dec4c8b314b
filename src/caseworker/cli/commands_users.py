"""Sub-commands for users: ``user add | list | remove | passwd``."""

from __future__ import annotations

import argparse

from caseworker.app import users
from caseworker.cli import unlock as unlock_cli
from caseworker.cli.context import Context
from caseworker.domain.users import Permission, Role, normalise_user_name, parse_role
from caseworker.i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help=t("manage who may open the store"))
    actions = user.add_subparsers(dest="user_command", metavar=t("ACTION"), required=True)

    add = actions.add_parser("add", help=t("add a user (asks for the new passphrase)"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help=t("list users and their roles"))
    listing.set_defaults(handler=run_list)

    remove = actions.add_parser("remove", help=t("remove a user and rekey the store"))
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=run_remove)

    passwd = actions.add_parser("passwd", help=t("change a user's passphrase"))
    passwd.add_argument("name", metavar="NAME")
    passwd.set_defaults(handler=run_passwd)


def run_add(context: Context, args: argparse.Namespace) -> int:
    name = normalise_user_name(args.name)
    role = parse_role(args.role)
    with context.session() as session:
        session.require(Permission.MANAGE_USERS)
        user = users.add_user(session, name, role, unlock_cli.new_passphrase(name))
    context.say(t("Added {user} as {role}.", user=user.name, role=user.role.label()))
    return 0


def run_list(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        listed = users.list_users(session)
    width = max((len(u.name) for u in listed), default=4)
    role_width = max((len(u.role.label()) for u in listed), default=4)
    for user in listed:
        context.say(f"{user.name:<{width}}  {user.role.label():<{role_width}}  {user.created_at}")
    return 0


def run_remove(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        users.remove_user(session, args.name)
    context.say(t("Removed {user}; the store was rekeyed, so their old key slot no longer opens it.", user=normalise_user_name(args.name)))
    return 0


def run_passwd(context: Context, args: argparse.Namespace) -> int:
    name = normalise_user_name(args.name)
    with context.session() as session:
        users.check_may_change_passphrase(session, name)
        users.change_passphrase(session, name, unlock_cli.new_passphrase(name))
    context.say(t("The passphrase of {user} was changed.", user=name))
    return 0
