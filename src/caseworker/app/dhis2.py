"""Use cases for the exchange with DHIS2: the metadata package and the export of the
coordinator's approved figures as ADX or as a DHIS2 ``dataValueSets`` document (docs/dhis2.md).

Both are the coordinator's, on a coordinator's store: the coordinator is the one sender of a
city's figures to DHIS2, and the only one who knows the city's centres. A centre's figures reach
DHIS2 through its coordinator, once she has them, so a centre's store refuses both.

An export holds the internal, exact figures of every centre-month from the range that the centre
approved (its last snapshot is "submitted"), each as the centre last sent it: a month reopened
and approved again carries its new figures; a month open or reopened is left out. It is a
plaintext copy of the figures leaving the encrypted store, like ``counts export-csv``: it needs
``Permission.EXPORT`` too, and is written into the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import coordination
from caseworker.app.session import Session
from caseworker.dhis2 import adx, data_value_sets
from caseworker.dhis2 import metadata as dhis2_metadata
from caseworker.dhis2.data import ApprovedMonth, Grid
from caseworker.domain.periods import Period, months_between
from caseworker.domain.users import Permission, StoreRole
from caseworker.errors import Conflict, InvalidInput
from caseworker.i18n import t
from caseworker.storage import sync as sync_repo
from caseworker.storage.atomic import write_atomic

FORMATS = ("adx", "json")
APPROVED = "submitted"


def _require_coordinator(session: Session) -> None:
    if session.store_role is not StoreRole.COORDINATOR:
        raise Conflict(t("The exchange with DHIS2 is the coordinator's: a centre's approved months reach DHIS2 through its coordinator. Send them with caseworker sync run."))
    session.require(Permission.COORDINATE)
    session.require(Permission.EXPORT)


def _check_out(out: Path) -> None:
    if Path(out).is_dir():
        raise InvalidInput(t("{path} is a folder; give the name of the file to write.", path=out))


@dataclass(frozen=True)
class MetadataResult:
    path: Path
    data_elements: int
    category_options: int
    organisation_units: int
    centres: int


def write_metadata(session: Session, out: Path) -> MetadataResult:
    """Write the DHIS2 metadata package of the catalogue in use and the enrolled centres to ``out``."""
    _require_coordinator(session)
    _check_out(out)
    centres = [dhis2_metadata.CentreUnit(c.centre_id, c.name, c.district) for c in coordination.centres(session)]
    package = dhis2_metadata.package(catalogue_uc.current(session), centres)
    write_atomic(Path(out), (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    with session.transaction() as conn:
        session.audit(conn, "dhis2.metadata", f"{len(centres)} centres")
    return MetadataResult(Path(out), len(package["dataElements"]), len(package["categoryOptions"]), len(package["organisationUnits"]), len(centres))


@dataclass(frozen=True)
class ApprovedFigures:
    """The approved centre-months of a range, and how many received months were left out."""

    months: list[ApprovedMonth]
    not_approved: int


def approved_figures(session: Session, first: Period, last: Period) -> ApprovedFigures:
    """Every approved centre-month from ``first`` to ``last`` with its whole grid of figures,
    by centre (in the order of ``coordination.centres``) and month."""
    _require_coordinator(session)
    order = {c.centre_id: index for index, c in enumerate(coordination.centres(session))}
    with session.reading() as conn:
        held = [m for m in sync_repo.centre_months(conn, str(first), str(last)) if m.centre_id in order]
        versions = sync_repo.centre_month_catalogues(conn, str(first), str(last))
        stored = sync_repo.centre_counts_between(conn, str(first), str(last), APPROVED)
    approved = sorted((m for m in held if m.status == APPROVED), key=lambda m: (order[m.centre_id], m.period))
    grids: dict[int, Grid] = {}
    months = []
    for month in approved:
        version = versions[(month.centre_id, month.period)]
        if version not in grids:
            grids[version] = Grid.of(catalogue_uc.version(session, version))
        months.append(grids[version].month(month.centre_id, Period.parse(month.period), stored.get((month.centre_id, month.period), [])))
    return ApprovedFigures(months, len(held) - len(approved))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    first: Period
    last: Period
    months: int
    values: int
    not_approved: int


def export(session: Session, first: Period, last: Period, out: Path, format: str = "adx", now: datetime | None = None) -> ExportResult:
    """Write the approved figures of the months ``first`` to ``last`` to ``out`` (atomically) as
    ADX (``format="adx"``) or a DHIS2 ``dataValueSets`` document (``"json"``)."""
    _require_coordinator(session)
    if format not in FORMATS:
        raise InvalidInput(t("The format must be one of: {formats}.", formats=", ".join(FORMATS)))
    months_between(first, last)  # says so when the range runs backwards
    _check_out(out)
    found = approved_figures(session, first, last)
    if not found.months:
        raise Conflict(t("No centre has an approved month from {first} to {last}, so there is nothing to send to DHIS2; nothing was written.",
                         first=first, last=last))
    if format == "adx":
        document = adx.write(found.months, now or datetime.now(timezone.utc))
    else:
        document = data_value_sets.write(found.months)
    write_atomic(Path(out), document)
    values = sum(len(month.values) for month in found.months)
    with session.transaction() as conn:
        session.audit(conn, "dhis2.export", f"{first} {last} {format} {len(found.months)} months")
    return ExportResult(Path(out), format, first, last, len(found.months), values, found.not_approved)
