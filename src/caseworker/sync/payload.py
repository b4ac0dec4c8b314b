"""The bundle payload: canonical JSON with a documented schema (format versions 1 and 2).

``resources/schemas/bundle-payload-2.schema.json`` is the contract of what Caseworker writes:
every non-zero count with its cell key (the sum of its contributors' record keys modulo 2**32,
docs/disclosure.md), and, for a month changed since it was first submitted, its figures as first
submitted (``first_submitted``), the only figures public editions are made of. Canonical form:
UTF-8, keys sorted, no insignificant white space, months sorted by period and cells by indicator
and options, so the same snapshot always gives the same bytes.

Parsing is strict, in this order: UTF-8 JSON, the schema of the format version the document
names (``bundle-payload.schema.json`` for version 1, written by Caseworker before cell keys),
then meaning (no month twice, no cell twice in a list). A document of format 2 is first held
against ``payload_check``, the same schema as plain code; only one it does not pass goes through
the generic validator, which decides and names what is wrong. A version 1 month comes without keys
(``MonthSnapshot.keyed`` is False: the importer gives its counts keys of its own) and, if
submitted or reopened, with its counts as basis.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from caseworker import strict_json
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.paths import resource
from caseworker.sync import payload_check

FORMAT = "caseworker-bundle"
FORMAT_VERSION = 2
SCHEMAS = {1: "bundle-payload.schema.json", 2: "bundle-payload-2.schema.json"}
SUBMITTED_ONCE = ("submitted", "reopened")
PAYLOAD_JSON = strict_json.JsonLimits(max_bytes=16 * 1024 * 1024)


@dataclass(frozen=True)
class MonthSnapshot:
    """One month as the centre holds it: its non-zero ``counts`` with their keys (key 0 when
    ``keyed`` is False), and ``basis``, its figures as first submitted (None if never submitted)."""

    period: str
    status: str
    catalogue_version: int
    counts: dict[CellKey, KeyedCount]
    basis: dict[CellKey, KeyedCount] | None = None
    keyed: bool = True

    @property
    def values(self) -> dict[CellKey, int]:
        return {cell: count.value for cell, count in self.counts.items()}


@dataclass(frozen=True)
class Payload:
    bundle_id: str
    centre_id: str
    sequence: int
    created_at: str
    catalogue_version: int
    previous_hash: str | None
    months: tuple[MonthSnapshot, ...]


def _cells(counts: dict[CellKey, KeyedCount]) -> list[dict[str, object]]:
    return [{**cell.to_json(), "value": count.value, "key": count.key} for cell, count in sorted(counts.items()) if count.value]


def _month(month: MonthSnapshot) -> dict[str, object]:
    document: dict[str, object] = {
        "period": month.period,
        "status": month.status,
        "catalogue_version": month.catalogue_version,
        "cells": _cells(month.counts),
    }
    if month.basis is not None and _cells(month.basis) != document["cells"]:
        document["first_submitted"] = _cells(month.basis)
    return document


def to_bytes(payload: Payload) -> bytes:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "bundle_id": payload.bundle_id,
        "centre_id": payload.centre_id,
        "sequence": payload.sequence,
        "created_at": payload.created_at,
        "catalogue_version": payload.catalogue_version,
        "previous_hash": payload.previous_hash,
        "months": [_month(month) for month in sorted(payload.months, key=lambda m: m.period)],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@lru_cache(maxsize=2)
def _validator(version: int) -> Any:
    import jsonschema  # only for a payload the code of payload_check does not certainly accept

    text = resource("schemas", SCHEMAS[version]).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _read_cells(cells: list[dict[str, Any]], period: str) -> dict[CellKey, KeyedCount]:
    counts: dict[CellKey, KeyedCount] = {}
    for cell in cells:
        key = CellKey.of(cell["indicator"], cell["options"])
        if key in counts:
            raise InvalidInput(t("the payload carries the cell {cell} of {period} twice", cell=str(key), period=period))
        counts[key] = KeyedCount(cell["value"], cell.get("key", 0))
    return counts


def from_bytes(data: bytes) -> Payload:
    """Parse and check a decrypted payload; ``InvalidInput`` names what is wrong."""
    try:
        document: Any = strict_json.loads(data, PAYLOAD_JSON, lambda: t("the payload"))
    except json.JSONDecodeError:
        raise InvalidInput(t("the payload is not valid UTF-8 JSON")) from None
    version = document.get("format_version") if isinstance(document, dict) else None
    if version not in SCHEMAS or isinstance(version, bool):
        version = FORMAT_VERSION  # the schema names what is wrong
    fast = payload_check.read_cells(document) if version == FORMAT_VERSION else None
    if fast is None:
        from jsonschema.exceptions import best_match

        error = best_match(_validator(version).iter_errors(document))
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path) or "/"
            raise InvalidInput(t("the payload does not follow the bundle schema at {where}: {reason}", where=where, reason=error.message[:200]))
    months = []
    seen_periods: set[str] = set()
    for index, month in enumerate(document["months"]):
        period = month["period"]
        if period in seen_periods:
            raise InvalidInput(t("the payload carries the month {period} twice", period=period))
        seen_periods.add(period)
        counts, basis = fast[index] if fast is not None else ({cell: count for cell, count in _read_cells(month["cells"], period).items() if count.value}, None)
        if "first_submitted" in month:
            if month["status"] not in SUBMITTED_ONCE:
                raise InvalidInput(t("the payload gives first-submitted figures for {period}, which was never submitted", period=period))
            if fast is None:
                basis = _read_cells(month["first_submitted"], period)
        elif month["status"] in SUBMITTED_ONCE:
            basis = counts
        months.append(MonthSnapshot(period, month["status"], month["catalogue_version"], counts, basis, keyed=version >= 2))
    return Payload(
        bundle_id=document["bundle_id"],
        centre_id=document["centre_id"],
        sequence=document["sequence"],
        created_at=document["created_at"],
        catalogue_version=document["catalogue_version"],
        previous_hash=document["previous_hash"],
        months=tuple(months),
    )
