"""Sub-commands for printed reports: ``report monthly PERIOD --out FILE.pdf`` and
``report city FROM TO --out FILE.pdf``.

The report's language is Turkish unless ``--lang en`` follows the sub-command (the language
of the program's own messages is chosen as usual). A PDF or CSV written here is not encrypted,
and the command says so on stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.app import reports as reports_uc
from caseworker.cli.context import Context
from caseworker.domain.periods import Period
from caseworker.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help=t("print a report as PDF"))
    actions = report.add_subparsers(dest="report_command", metavar=t("REPORT"), required=True)
    monthly = actions.add_parser("monthly", help=t("the centre's monthly summary"))
    monthly.add_argument("period", metavar="PERIOD", help=t("month, YYYY-MM"))
    monthly.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help=t("the PDF file to write"))
    monthly.add_argument("--lang", dest="report_language", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                         help=t("language of the report (default: Turkish)"))
    monthly.add_argument("--public", action="store_true", help=t("apply disclosure control, for a report that leaves the centre"))
    monthly.add_argument("--csv", type=Path, metavar="DIR", help=t("also write each table of the report as CSV into DIR"))
    monthly.set_defaults(handler=run_monthly)
    city = actions.add_parser("city", help=t("the coordinator's city report over a range of months"))
    city.add_argument("first", metavar="FROM", help=t("first month, YYYY-MM"))
    city.add_argument("last", metavar="TO", help=t("last month, YYYY-MM"))
    city.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help=t("the PDF file to write"))
    city.add_argument("--lang", dest="report_language", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                      help=t("language of the report (default: Turkish)"))
    city.add_argument("--public", action="store_true",
                      help=t("apply disclosure control, for a report to publish (a month, a calendar quarter or a calendar year only)"))
    city.add_argument("--csv", type=Path, metavar="DIR", help=t("also write each table of the report as CSV into DIR"))
    city.set_defaults(handler=run_city)


def run_monthly(context: Context, args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    with context.session() as session:
        result = reports_uc.monthly_summary(session, period, args.out, args.report_language, args.public, args.csv)
    context.say(t("Wrote the monthly summary of {period} to {path} ({pages} pages).", period=period, path=result.path, pages=result.pages))
    if result.public:
        context.say(t("Disclosure control hid {count} values.", count=result.hidden_values))
    for path in result.csv_files:
        context.say(t("Wrote {path}.", path=path))
    context.note(t("Note: this PDF file is not encrypted. Keep it safe and delete it when no longer needed."))
    if result.csv_files:
        context.note(t("Note: these CSV files are not encrypted. Keep them safe and delete them when no longer needed."))
    return 0


def run_city(context: Context, args: argparse.Namespace) -> int:
    first, last = Period.parse(args.first), Period.parse(args.last)
    with context.session() as session:
        result = reports_uc.city_report(session, first, last, args.out, args.report_language, args.public, args.csv)
    context.say(t("Wrote the city report of {first} to {last} to {path} ({pages} pages, {centres} centres).",
                  first=first, last=last, path=result.path, pages=result.pages, centres=result.centres))
    if result.public:
        context.say(t("Disclosure control hid {count} values.", count=result.hidden_values))
    for path in result.csv_files:
        context.say(t("Wrote {path}.", path=path))
    context.note(t("Note: this PDF file is not encrypted. Keep it safe and delete it when no longer needed."))
    if result.csv_files:
        context.note(t("Note: these CSV files are not encrypted. Keep them safe and delete them when no longer needed."))
    return 0
