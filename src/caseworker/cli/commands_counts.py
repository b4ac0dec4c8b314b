"""Sub-commands for counting: ``tally``, ``counts``, ``month`` and ``catalogue``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import publications as publications_uc
from caseworker.app import coordination
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.cli.context import Context
from caseworker.domain.catalogue import FormField
from caseworker.domain.periods import Period
from caseworker.domain.tally import parse_cli_answers
from caseworker.domain.users import StoreRole
from caseworker.errors import InvalidInput
from caseworker.i18n import current_language, t, tn


def register(subparsers: argparse._SubParsersAction) -> None:
    tally = subparsers.add_parser("tally", help=t("record one contact through a tally form"))
    tally.add_argument("period", metavar="PERIOD", help=t("month, YYYY-MM"))
    tally.add_argument("answers", nargs=argparse.REMAINDER, metavar="FIELD=CODE", help=t("answers; repeat a multiple-choice field, yes/no fields as FIELD=yes"))
    tally.add_argument("--form", default="new_applicant", help=t("tally form (default: new_applicant)"))
    tally.set_defaults(handler=run_tally)

    counts = subparsers.add_parser("counts", help=t("read and edit a month's counts"))
    actions = counts.add_subparsers(dest="counts_command", metavar=t("ACTION"), required=True)
    show = actions.add_parser("show", help=t("show a month's counts"))
    show.add_argument("period", metavar="PERIOD")
    show.add_argument("--json", action="store_true", help=t("machine-readable output"))
    scope = show.add_mutually_exclusive_group()
    scope.add_argument("--centre", metavar="ID", help=t("coordinator: one centre's figures"))
    scope.add_argument("--district", metavar="NAME", help=t("coordinator: the sum of a district's centres"))
    scope.add_argument("--city", action="store_true", help=t("coordinator: the sum of every centre (the default)"))
    show.set_defaults(handler=run_show)
    set_ = actions.add_parser("set", help=t("set cells of an open month: INDICATOR[dim=option]=VALUE ..."))
    set_.add_argument("period", metavar="PERIOD")
    set_.add_argument("cells", nargs="+", metavar="CELL=VALUE")
    set_.set_defaults(handler=run_set)
    imp = actions.add_parser("import-csv", help=t("apply a counts CSV (all rows or none)"))
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=run_import_csv)
    exp = actions.add_parser("export-csv", help=t("write counts as CSV (plaintext!)"))
    exp.add_argument("file", type=Path, metavar="FILE")
    exp.add_argument("--from", dest="first", metavar="PERIOD", required=True)
    exp.add_argument("--to", dest="last", metavar="PERIOD", help=t("the last month (default: the last month with figures)"))
    exp.set_defaults(handler=run_export_csv)

    month = subparsers.add_parser("month", help=t("a month's status: status, submit, reopen"))
    month_actions = month.add_subparsers(dest="month_command", metavar=t("ACTION"), required=True)
    status = month_actions.add_parser("status", help=t("status, checks and outlier hints"))
    status.add_argument("period", metavar="PERIOD")
    status.set_defaults(handler=run_status)
    submit = month_actions.add_parser("submit", help=t("submit (lock) a month"))
    submit.add_argument("period", metavar="PERIOD")
    submit.set_defaults(handler=run_submit)
    reopen = month_actions.add_parser("reopen", help=t("reopen a submitted month"))
    reopen.add_argument("period", metavar="PERIOD")
    reopen.add_argument("--reason", required=True, choices=months_uc.REOPEN_REASONS)
    reopen.set_defaults(handler=run_reopen)

    catalogue = subparsers.add_parser("catalogue", help=t("the indicator catalogue"))
    catalogue_actions = catalogue.add_subparsers(dest="catalogue_command", metavar=t("ACTION"), required=True)
    cat_show = catalogue_actions.add_parser("show", help=t("show the catalogue in use"))
    cat_show.add_argument("--json", action="store_true", help=t("machine-readable output"))
    cat_show.set_defaults(handler=run_catalogue_show)
    cat_import = catalogue_actions.add_parser("import", help=t("apply a newer catalogue: at a centre the coordinator's signed publication (.cwpub), at the coordinator a catalogue file"))
    cat_import.add_argument("file", type=Path, metavar="FILE")
    cat_import.set_defaults(handler=run_catalogue_import)
    cat_publish = catalogue_actions.add_parser("publish", help=t("coordinator: sign the catalogue in use into a file for the centres"))
    cat_publish.add_argument("file", type=Path, metavar="FILE.cwpub")
    cat_publish.set_defaults(handler=run_catalogue_publish)


def _split_form_option(words: list[str], default: str) -> tuple[str, list[str]]:
    """``--form NAME`` may also come after the answers."""
    form, answers, rest = default, [], iter(words)
    for word in rest:
        if word == "--form":
            form = next(rest, "")
        elif word.startswith("--form="):
            form = word.split("=", 1)[1]
        else:
            answers.append(word)
    return form, answers


def run_tally(context: Context, args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    form_code, words = _split_form_option(args.answers, args.form)
    with context.session() as session:
        form = catalogue_uc.current(session).form(form_code)
        contact = counts_uc.TallyBook(session).record(period, form.code, parse_cli_answers(form, words))
    context.say(t("Recorded a contact in {period} ({count} counts increased).", period=period, count=len(contact.cells)))
    return 0


def run_show(context: Context, args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    with context.session() as session:
        if session.store_role is StoreRole.COORDINATOR:
            found = coordination.consolidated(session, period, centre_id=args.centre, district=args.district)
            values, catalogue = found.values, catalogue_uc.current(session)
            statuses = sorted(set(found.statuses.values()))
            status = statuses[0] if len(statuses) == 1 and len(found.statuses) == len(found.centre_ids) else "mixed"
            extra = {"scope": found.scope, "centres": found.centre_ids, "statuses": found.statuses}
        else:
            if args.centre or args.district or args.city:
                raise InvalidInput(t("--centre, --district and --city are for the coordinator's store."))
            counts = counts_uc.month_counts(session, period)
            values, status, extra = counts.values, counts.status, {}
            catalogue = catalogue_uc.version(session, counts.catalogue_version)
    cells = sorted((cell, value) for cell, value in values.items() if value)
    if args.json:
        document = {"period": str(period), "status": status, **extra, "cells": [{**cell.to_json(), "value": value} for cell, value in cells]}
        context.say(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    shown_status = months_uc.status_label(status) if status != "mixed" else t("some centres open, some submitted")
    context.say(t("{period}: {status}", period=period, status=shown_status))
    for indicator in catalogue.indicators:
        mine = [(cell, value) for cell, value in cells if cell.indicator == indicator.code]
        total = sum(value for _, value in mine)
        context.say(f"  {indicator.label():<48} {total:>6}")
        for cell, value in mine if indicator.dimensions else []:
            names = ", ".join(catalogue.dimension(d).option(o).label() for d, o in cell.options)
            context.say(f"      {names:<44} {value:>6}")
    return 0


def run_set(context: Context, args: argparse.Namespace) -> int:
    period = Period.parse(args.period)
    with context.session() as session:
        catalogue = catalogue_uc.current(session)
        wanted = {}
        for word in args.cells:
            cell_text, _, value_text = word.rpartition("=")
            if not cell_text:
                raise InvalidInput(t("Write each cell as INDICATOR[dimension=option]=VALUE, not {text}.", text=word))
            wanted[counts_uc.parse_cell(catalogue, cell_text)] = counts_uc.parse_value(value_text)
        counts_uc.set_counts(session, period, wanted)
    context.say(tn(len(wanted), "Set {count} cell of {period}.", "Set {count} cells of {period}.", period=period))
    return 0


def run_import_csv(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        applied = counts_uc.import_csv(session, args.file)
    for period, count in sorted(applied.items()):
        context.say(tn(count, "{period}: {count} cell set.", "{period}: {count} cells set.", period=period))
    return 0


def run_export_csv(context: Context, args: argparse.Namespace) -> int:
    first = Period.parse(args.first)
    from caseworker.domain.periods import months_between

    with context.session() as session:
        if args.last:
            last = Period.parse(args.last)
        else:  # from --from to the last month with figures
            last = max(first, counts_uc.last_month_with_figures(session) or first)
            if last > first:
                context.say(t("Months {first} to {last} ({last} is the last month with figures).", first=first, last=last))
        rows = counts_uc.export_csv(session, months_between(first, last), args.file)
    context.say(tn(rows, "Wrote {count} row to {path}.", "Wrote {count} rows to {path}.", path=args.file))
    context.note(t("Note: this CSV file is not encrypted. Keep it safe and delete it when no longer needed."))
    return 0


def _print_review(context: Context, review: months_uc.MonthReview) -> None:
    line = t("{period}: {status}", period=review.period, status=months_uc.status_label(review.status))
    if review.status_by:
        line += " " + t("(by {user}, {when})", user=review.status_by, when=review.status_at)
    if review.reopen_reason:
        line += " — " + months_uc.reason_label(review.reopen_reason)
    context.say(line)
    if not review.problems:
        context.say(t("All {count} checks pass.", count=len(review.rules)))
    for result in review.problems:
        context.say(t("CHECK ({importance}): {problem}", importance=months_uc.importance_label(result.rule.importance), problem=months_uc.problem_text(result)))
    for hint in review.outliers:
        context.say(t("UNUSUAL: {subject} is {value}, well above the usual {typical:g}", subject=hint.subject, value=hint.value, typical=hint.typical))


def run_status(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        _print_review(context, months_uc.review(session, Period.parse(args.period)))
    return 0


def run_submit(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        review = months_uc.submit(session, Period.parse(args.period))
    _print_review(context, review)
    if review.sending:
        context.say(review.sending)
    return 0


def run_reopen(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        _print_review(context, months_uc.reopen(session, Period.parse(args.period), args.reason))
    return 0


def run_catalogue_show(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        catalogue = catalogue_uc.current(session)
    if args.json:
        context.say(catalogue.to_json(indent=2))
        return 0
    language = current_language()
    context.say(t("Catalogue version {version} (published {published}); disclosure threshold k = {k}",
                  version=catalogue.version, published=catalogue.published, k=catalogue.sharing.k))
    for indicator in catalogue.active_indicators():
        context.say(f"  {indicator.code:<26} {indicator.label(language)}")
        for dimension in indicator.dimensions:
            options = ", ".join(o.code for o in dimension.active_options())
            context.say(f"      {dimension.code}: {options}")
    context.say(t("Tally forms (caseworker tally PERIOD --form FORM FIELD=CODE ...):"))
    for form in catalogue.forms:
        context.say(f"  {form.code:<26} {form.label(language)}")
        for form_field in form.fields:
            context.say(f"      {form_field.code} ({_field_kind(form_field)}): {_field_answers(form_field)}")
    return 0


def _field_kind(form_field: FormField) -> str:
    kind = {"single": t("one answer"), "multiple": t("one or more answers"), "yesno": t("yes or no")}[form_field.choice]
    return kind + (", " + t("required") if form_field.required else "")


def _field_answers(form_field: FormField) -> str:
    if form_field.dimension is None:
        return "yes, no"
    return ", ".join(option.code for option in form_field.dimension.active_options())


def run_catalogue_import(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        if publications_uc.looks_like_publication_file(args.file):
            context.say(publications_uc.applied_summary(publications_uc.apply_file(session, args.file)))
            return 0
        catalogue = catalogue_uc.import_file(session, args.file)
    context.say(t("Catalogue version {version} is now in use.", version=catalogue.version))
    return 0


def run_catalogue_publish(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        context.say(publications_uc.published_summary(publications_uc.publish_catalogue(session, args.file)))
    return 0
