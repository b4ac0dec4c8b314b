"""Use case: print the info sheet of hotlines and chosen services (any signed-in user)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from caseworker.app import directory as directory_uc
from caseworker.app import pathways as pathways_uc
from caseworker.app.session import Session
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.reports.handouts import require_language
from caseworker.reports.service_sheet import SheetEntry, render_sheet
from caseworker.storage.atomic import write_atomic


@dataclass(frozen=True)
class SheetResult:
    path: Path
    services: int
    hotlines: int


def info_sheet(session: Session, out: Path, service_ids: Sequence[str], language: str = "tr") -> SheetResult:
    """Write the sheet to ``out`` atomically in ``language`` (a handout language, chosen for the
    woman); the audit says a sheet was printed, not which services."""
    require_language(language)
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the PDF file to write.", path=out))
    hotlines = directory_uc.hotlines(session)
    hotline_ids = {detail.service.id for detail in hotlines}
    chosen = [detail for detail in directory_uc.printable(session, list(dict.fromkeys(service_ids))) if detail.service.id not in hotline_ids]
    sheet = render_sheet(
        [SheetEntry(d.service, d.organization.name) for d in hotlines],
        [SheetEntry(d.service, d.organization.name) for d in chosen],
        language,
        reviewed=pathways_uc.is_reviewed(session, language),
    )
    write_atomic(out, sheet.data)
    with session.transaction() as conn:
        session.audit(conn, "directory.info_sheet")
    return SheetResult(out, len(chosen), len(hotlines))
