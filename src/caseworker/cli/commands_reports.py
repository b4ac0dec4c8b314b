"""Sub-commands for printed reports: ``report monthly PERIOD --out FILE.pdf``,
``report city FROM TO --out FILE.pdf`` and ``report releases`` (the release register).

The report's language is Turkish unless ``--lang en`` follows the sub-command (the language
of the program's own messages is chosen as usual). A PDF or CSV written here is not encrypted,
and the command says so on stderr. ``--public --json`` prints the public edition's figures
(docs/disclosure.md) on stdout, and writes the PDF too when ``--out`` is given.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from caseworker.app import releases as releases_uc
from caseworker.app import reports as reports_uc
from caseworker.cli.context import Context
from caseworker.domain.periods import Period
from caseworker.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help=t("print a report as PDF"))
    actions = report.add_subparsers(dest="report_command", metavar=t("REPORT"), required=True)
    monthly = actions.add_parser("monthly", help=t("the centre's monthly summary"))
    monthly.add_argument("period", metavar="PERIOD", help=t("month, YYYY-MM"))
    _common(monthly, t("the public edition of a month that has ended and was submitted, for a report that leaves the centre"))
    monthly.set_defaults(handler=run_monthly)
    city = actions.add_parser("city", help=t("the coordinator's city report over a range of months"))
    city.add_argument("first", metavar="FROM", help=t("first month, YYYY-MM"))
    city.add_argument("last", metavar="TO", help=t("last month, YYYY-MM"))
    _common(city, t("the public edition, for a report to publish (a calendar quarter or a calendar year that has ended, every month approved)"))
    city.set_defaults(handler=run_city)
    register_ = actions.add_parser("releases", help=t("the public editions issued so far (the release register)"))
    register_.add_argument("--json", action="store_true", help=t("print as JSON"))
    register_.set_defaults(handler=run_releases)


def _common(parser: argparse.ArgumentParser, public_help: str) -> None:
    parser.add_argument("--out", type=Path, metavar="FILE.pdf", help=t("the PDF file to write (needed unless --json is given)"))
    parser.add_argument("--lang", dest="report_language", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help=t("language of the report (default: Turkish)"))
    parser.add_argument("--public", action="store_true", help=public_help)
    parser.add_argument("--json", action="store_true", help=t("with --public: print the public edition's figures as JSON"))
    parser.add_argument("--csv", type=Path, metavar="DIR", help=t("also write each table of the report as CSV into DIR"))


def _check_arguments(context: Context, args: argparse.Namespace) -> None:
    if args.json and not args.public:
        context.usage_error(t("--json prints a public edition: give --public too."))
    if args.out is None and not args.json:
        context.usage_error(t("Give the PDF file to write with --out FILE.pdf (or --public --json for the figures alone)."))


def _say_release(context: Context, release: releases_uc.IssuedEdition | None) -> None:
    if release is None:
        return
    if release.reissued:
        context.note(t("This public edition was issued on {when}; it is given again with the same figures. Corrections made since "
                       "appear in internal editions only.", when=release.issued_at))
    else:
        context.note(t("Issued the public edition (recorded in the release register; see caseworker report releases)."))


def run_monthly(context: Context, args: argparse.Namespace) -> int:
    _check_arguments(context, args)
    period = Period.parse(args.period)
    with context.session() as session:
        result = reports_uc.monthly_summary(session, period, args.out, args.report_language, args.public, args.csv)
    if args.json and result.release is not None:
        context.say(json.dumps(result.release.edition.to_json(), ensure_ascii=False, indent=2))
    if result.path is not None:
        _wrote(context, t("Wrote the monthly summary of {period} to {path} ({pages} pages).", period=period, path=result.path, pages=result.pages), args.json)
    _say_release(context, result.release)
    for path in result.csv_files:
        _wrote(context, t("Wrote {path}.", path=path), args.json)
    context.note(t("Note: this PDF file is not encrypted. Keep it safe and delete it when no longer needed."))
    if result.csv_files:
        context.note(t("Note: these CSV files are not encrypted. Keep them safe and delete them when no longer needed."))
    return 0


def run_city(context: Context, args: argparse.Namespace) -> int:
    first, last = Period.parse(args.first), Period.parse(args.last)
    _check_arguments(context, args)
    with context.session() as session:
        result = reports_uc.city_report(session, first, last, args.out, args.report_language, args.public, args.csv)
    if args.json and result.release is not None:
        context.say(json.dumps(result.release.edition.to_json(), ensure_ascii=False, indent=2))
    if result.path is not None:
        _wrote(context, t("Wrote the city report of {first} to {last} to {path} ({pages} pages, {centres} centres).",
                          first=first, last=last, path=result.path, pages=result.pages, centres=result.centres), args.json)
    _say_release(context, result.release)
    for path in result.csv_files:
        _wrote(context, t("Wrote {path}.", path=path), args.json)
    context.note(t("Note: this PDF file is not encrypted. Keep it safe and delete it when no longer needed."))
    if result.csv_files:
        context.note(t("Note: these CSV files are not encrypted. Keep them safe and delete them when no longer needed."))
    return 0


def _wrote(context: Context, line: str, quiet_stdout: bool) -> None:
    """What was written: on stdout, or on stderr when stdout carries JSON."""
    if quiet_stdout:
        context.note(line)
    else:
        context.say(line)


def run_releases(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        entries = releases_uc.releases(session)
    if args.json:
        context.say(json.dumps([{"scope": e.scope, "from": str(e.first), "to": str(e.last), "issued_at": e.issued_at,
                                 "issued_by": e.issued_by, "figures_sha256": e.figures_hash} for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        context.say(t("No public edition has been issued yet."))
        return 0
    for entry in entries:
        scope = t("city") if entry.scope == "city" else t("centre")
        context.say(t("{scope} {first}–{last}: issued {when} by {user}; figures {digest}",
                      scope=scope, first=entry.first, last=entry.last, when=entry.issued_at, user=entry.issued_by, digest=entry.figures_hash[:16]))
    return 0
