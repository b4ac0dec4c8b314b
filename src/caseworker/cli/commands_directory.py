"""Sub-commands for the support-service directory: ``directory import | publish | export | search |
review | show | sample | sheet | pathway | pathway-note``.

``directory search TEXT --json`` and ``directory review --json`` print a JSON list in rank order;
each item is ``hit_json`` of a result. Its keys are part of the interface (docs/directory.md).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from caseworker.app import directory as directory_uc
from caseworker.app import pathways as pathways_uc
from caseworker.app import publications as publications_uc
from caseworker.app.files import refuse_to_overwrite
from caseworker.app.service_sheet import info_sheet
from caseworker.cli.context import Context
from caseworker.domain.pathways import SECTOR_CODES
from caseworker.domain.taxonomy import category_label
from caseworker.i18n import t, tn
from caseworker.reports.handouts import HANDOUT_LANGUAGES


def register(subparsers: argparse._SubParsersAction) -> None:
    directory = subparsers.add_parser("directory", help=t("the support-service directory"))
    actions = directory.add_subparsers(dest="directory_command", metavar=t("ACTION"), required=True)

    imp = actions.add_parser("import", help=t("merge an HSDS JSON file or tabular package folder into the directory (all or nothing), or apply the coordinator's signed directory (.cwpub)"))
    imp.add_argument("path", type=Path, metavar="FILE|DIR")
    imp.set_defaults(handler=run_import)

    publish = actions.add_parser("publish", help=t("coordinator: sign the directory into a file for the centres (confidential addresses and phones left out)"))
    publish.add_argument("file", type=Path, metavar="FILE.cwpub")
    publish.set_defaults(handler=run_publish)

    exp = actions.add_parser("export", help=t("write the directory as HSDS (plaintext; confidential addresses and phones left out)"))
    exp.add_argument("target", type=Path, metavar="FILE|DIR")
    exp.add_argument("--format", choices=directory_uc.FORMATS, help=t("hsds-json (a file) or hsds-csv (a folder); default: hsds-json for a name ending in .json, else hsds-csv"))
    exp.add_argument("--force", action="store_true", help=t("replace the file or folder if it exists"))
    exp.set_defaults(handler=run_export)

    search = actions.add_parser("search", help=t("search the directory, Turkish-aware"))
    search.add_argument("text", nargs="?", default="", metavar="TEXT")
    search.add_argument("--json", action="store_true", help=t("machine-readable output"))
    search.add_argument("--district", help=t("only this district (and city-wide entries)"))
    search.add_argument("--category", help=t("only this category (code or name)"))
    search.add_argument("--language", help=t("only services in this language (code or name)"))
    search.add_argument("--open-now", action="store_true", help=t("only services open now"))
    search.add_argument("--limit", type=int, default=0, help=t("at most this many results (default: all)"))
    search.set_defaults(handler=run_search)

    review = actions.add_parser("review", help=t("entries not verified for 180 days"))
    review.add_argument("--json", action="store_true", help=t("machine-readable output"))
    review.set_defaults(handler=run_review)

    show = actions.add_parser("show", help=t("show one entry in full (confidential details marked)"))
    show.add_argument("id", metavar="ID")
    show.set_defaults(handler=run_show)

    sample = actions.add_parser("sample", help=t("load the sample directory (national lines and marked sample entries)"))
    sample.set_defaults(handler=run_sample)

    sheet = actions.add_parser("sheet", help=t("print the one-page info sheet: hotlines and the services named (plaintext PDF)"))
    sheet.add_argument("ids", nargs="*", metavar="ID", help=t("services to list (ids from directory search --json)"))
    sheet.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    sheet.add_argument("--lang", dest="sheet_language", choices=HANDOUT_LANGUAGES, default="tr", help=t("language of the sheet"))
    sheet.set_defaults(handler=run_sheet)

    pathway = actions.add_parser("pathway", help=t("print the one-page referral pathway of a district or of the whole city (plaintext PDF)"))
    pathway.add_argument("--district", help=t("the district (default: the whole city)"))
    pathway.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    pathway.add_argument("--lang", dest="sheet_language", choices=HANDOUT_LANGUAGES, default="tr", help=t("language of the sheet"))
    pathway.add_argument("--force", action="store_true", help=t("replace the file if it exists"))
    pathway.set_defaults(handler=run_pathway)

    note = actions.add_parser("pathway-note", help=t("coordinator: write (or with no text, remove) a note on a sector of a pathway; it is published with the directory"))
    note.add_argument("sector", choices=SECTOR_CODES, metavar="SECTOR", help=", ".join(SECTOR_CODES))
    note.add_argument("text", nargs="?", default="", metavar="TEXT")
    note.add_argument("--district", help=t("the district (default: the whole city)"))
    note.set_defaults(handler=run_pathway_note)


def hit_json(hit: directory_uc.SearchHit) -> dict[str, Any]:
    """One search or review result as printed by ``--json``."""
    return {
        "id": hit.id,
        "name": hit.name,
        "organization": hit.organization,
        "organization_id": hit.organization_id,
        "district": hit.district,
        "categories": list(hit.categories),
        "status": hit.status,
        "source": hit.source,
        "confidential": hit.confidential,
        "sample": hit.sample,
        "verified_at": hit.verified_at.isoformat() if hit.verified_at else None,
        "needs_review": hit.needs_review,
    }


def _hit_line(hit: directory_uc.SearchHit) -> str:
    district = hit.district or t("city-wide")
    categories = ", ".join(category_label(code) for code in hit.categories)
    line = f"{hit.id}  {hit.name} — {hit.organization} ({district})"  # the id for directory show / sheet
    if categories:
        line += f" [{categories}]"
    marks = []
    if hit.confidential:
        marks.append(t("confidential"))
    if hit.sample:
        marks.append(t("sample"))
    if hit.status != "active":
        marks.append(hit.status)
    if hit.needs_review:
        marks.append(t("to verify"))
    return line + (f" ({'; '.join(marks)})" if marks else "")


def run_import(context: Context, args: argparse.Namespace) -> int:
    directory_uc.refuse_other_file(args.path)
    with context.session() as session:
        if publications_uc.looks_like_publication_file(args.path):
            context.say(publications_uc.applied_summary(publications_uc.apply_file(session, args.path)))
            return 0
        report = directory_uc.import_file(session, args.path)
    context.say(t("Imported: {added} new, {updated} updated, {unchanged} unchanged.", added=report.added, updated=report.updated, unchanged=report.unchanged))
    if report.skipped:
        context.say(t("Left out (does not map to the directory):"))
        for note in report.skipped:
            context.say(f"  - {note}")
    return 0


def run_publish(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        context.say(publications_uc.published_summary(publications_uc.publish_directory(session, args.file)))
    return 0


def run_export(context: Context, args: argparse.Namespace) -> int:
    format = args.format or ("hsds-json" if args.target.suffix.lower() == ".json" else "hsds-csv")
    refuse_to_overwrite(args.target, args.force)  # before asking for a passphrase
    with context.session() as session:
        written = directory_uc.export(session, args.target, format, overwrite=args.force)
    context.say(tn(len(written), "Wrote the directory as {format} to {path} ({count} file).", "Wrote the directory as {format} to {path} ({count} files).", format=format, path=args.target))
    context.note(t("Note: this export is not encrypted. Confidential addresses and phone numbers were left out."))
    return 0


def run_search(context: Context, args: argparse.Namespace) -> int:
    filters = directory_uc.SearchFilters(
        district=args.district, category=args.category, language=args.language, open_at=datetime.now() if args.open_now else None
    )
    with context.session() as session:
        hits = directory_uc.search(session, args.text, filters, limit=args.limit)
    if args.json:
        context.say(json.dumps([hit_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        context.say(_hit_line(hit))
    if not hits:
        context.note(t("Nothing found. Try fewer or shorter words, or drop a filter."))
    return 0


def run_review(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        hits = directory_uc.entries_needing_review(session)
    if args.json:
        context.say(json.dumps([hit_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        return 0
    for hit in hits:
        line = t("{name} — last verified {date}", name=hit.name, date=hit.verified_at.isoformat()) if hit.verified_at else t("{name} — never verified", name=hit.name)
        context.say(f"{hit.id}  " + line + (f" ({t('from the coordinator: report corrections to the coordinator')})" if hit.source != "local" else ""))
    if not hits:
        context.say(t("Every entry was verified within the last 180 days."))
    return 0


def run_show(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        detail = directory_uc.get(session, args.id)
    service, organization = detail.service, detail.organization
    secret = f" [{t('CONFIDENTIAL — do not share')}]" if detail.confidential else ""
    say = context.say
    say(f"{service.name}{secret}")
    say("  " + t("Organization: {name}", name=organization.name))
    say("  " + t("District: {district}", district=service.district or t("city-wide")))
    if service.categories:
        say("  " + t("Categories: {categories}", categories=", ".join(category_label(code) for code in service.categories)))
    phones = list(service.phones) + [phone for location in service.locations for phone in location.phones]
    for phone in phones:
        say("  " + t("Phone: {number}", number=phone.number) + secret)
    for location in service.locations:
        for address in location.addresses:
            say("  " + t("Address: {street}, {district}/{province}", street=address.address_1, district=address.district, province=address.province) + secret)
    for schedule in service.schedules:
        say("  " + t("Opening hours: {hours}", hours=directory_uc.schedule_text(schedule)))
    if service.description:
        say(f"  {service.description}")
    verified = t("Last verified {date}", date=service.verified_at.isoformat()) if service.verified_at else t("Never verified")
    say("  " + verified + (f" ({t('to verify')})" if detail.needs_review else ""))
    return 0


def run_sample(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        report = directory_uc.load_sample(session)
    context.say(t("Imported: {added} new, {updated} updated, {unchanged} unchanged.", added=report.added, updated=report.updated, unchanged=report.unchanged))
    return 0


def run_sheet(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        result = info_sheet(session, args.out, args.ids, args.sheet_language)
    context.say(t("Info sheet written to {path}: {hotlines} hotlines and {count} services.", path=result.path, hotlines=result.hotlines, count=result.services))
    context.note(t("Note: the PDF is not encrypted. It holds nothing about the woman it is given to."))
    return 0


def run_pathway(context: Context, args: argparse.Namespace) -> int:
    refuse_to_overwrite(args.out, args.force)  # before asking for a passphrase
    with context.session() as session:
        result = pathways_uc.write_pathway(session, args.out, args.district, args.sheet_language)
    place = result.district or t("the whole city")
    context.say(t("Referral pathway of {place} written to {path}.", place=place, path=result.path))
    if result.publication is not None:
        context.say(t("It is the pathway the coordinator published (directory publication {number}).", number=result.publication))
    if not result.reviewed:
        context.note(t("The translation is to be reviewed by a native speaker; the sheet says so."))
    context.note(t("Note: the PDF is not encrypted. It holds no confidential address or phone."))
    return 0


def run_pathway_note(context: Context, args: argparse.Namespace) -> int:
    with context.session() as session:
        pathways_uc.set_note(session, args.district, args.sector, args.text)
    place = pathways_uc.pathway_district(args.district) or t("the whole city")
    if args.text.strip():
        context.say(t("Note kept on the pathway of {place}; it reaches the centres with the next directory publication.", place=place))
    else:
        context.say(t("Note removed from the pathway of {place}.", place=place))
    return 0
