"""Sub-commands for the exchange with DHIS2: ``dhis2 metadata`` and ``dhis2 export``."""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.app import dhis2 as dhis2_uc
from caseworker.cli.context import Context
from caseworker.domain.periods import Period
from caseworker.i18n import t, tn

FORMAT_NAMES = {"adx": "ADX", "json": "DHIS2 dataValueSets JSON"}


def register(subparsers: argparse._SubParsersAction) -> None:
    dhis2 = subparsers.add_parser("dhis2", help=t("coordinator: exchange with DHIS2 (metadata package, approved figures)"))
    actions = dhis2.add_subparsers(dest="dhis2_command", metavar=t("ACTION"), required=True)
    metadata = actions.add_parser("metadata", help=t("write the DHIS2 metadata package (data elements, categories, data set, organisation units)"))
    metadata.add_argument("file", type=Path, metavar="OUT.json")
    metadata.set_defaults(handler=run_metadata)
    export = actions.add_parser("export", help=t("write the approved figures of a range of months as ADX or DHIS2 JSON (plaintext!)"))
    export.add_argument("first", metavar="FROM", help=t("the first month, YYYY-MM"))
    export.add_argument("last", metavar="TO", help=t("the last month, YYYY-MM"))
    export.add_argument("file", type=Path, metavar="OUT")
    export.add_argument("--format", choices=dhis2_uc.FORMATS, help=t("adx or json (default: json for a file ending in .json, adx otherwise)"))
    export.set_defaults(handler=run_export)


def run_metadata(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        result = dhis2_uc.write_metadata(session, args.file)
    context.say(t("Wrote the DHIS2 metadata package to {path}: {elements} data elements, {options} category options, {units} organisation units ({centres} centres).",
                  path=result.path, elements=result.data_elements, options=result.category_options, units=result.organisation_units, centres=result.centres))
    context.say(t("Import it into DHIS2 at /api/metadata with idScheme=CODE (see docs/dhis2.md)."))
    return 0


def run_export(context: Context, args: argparse.Namespace) -> int:
    first, last = Period.parse(args.first), Period.parse(args.last)
    format = args.format or ("json" if args.file.suffix.lower() == ".json" else "adx")
    with context.session() as session:
        result = dhis2_uc.export(session, first, last, args.file, format)
    context.say(tn(result.months, "Wrote {values} figures of {count} approved centre-month ({first} to {last}) to {path} as {format}.",
                   "Wrote {values} figures of {count} approved centre-months ({first} to {last}) to {path} as {format}.",
                   values=result.values, first=first, last=last, path=result.path, format=FORMAT_NAMES[format]))
    if result.not_approved:
        context.say(tn(result.not_approved, "{count} centre-month of the range is not approved and was left out.",
                       "{count} centre-months of the range are not approved and were left out."))
    context.note(t("Note: this file is not encrypted. Keep it safe and delete it when no longer needed."))
    return 0
