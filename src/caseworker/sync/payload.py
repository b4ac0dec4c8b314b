"""The bundle payload: canonical JSON with a documented schema (format version 1).

``resources/schemas/bundle-payload.schema.json`` is the contract. Canonical form: UTF-8, keys
sorted, no insignificant white space, months sorted by period and cells by indicator and
options, so the same snapshot always gives the same bytes. Parsing is strict: the schema, then
meaning (no month twice, no cell twice, the same catalogue version throughout).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonschema

from caseworker.domain.counts import CellKey
from caseworker import strict_json
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.paths import resource

FORMAT = "caseworker-bundle"
FORMAT_VERSION = 1
PAYLOAD_JSON = strict_json.JsonLimits(max_bytes=16 * 1024 * 1024)


@dataclass(frozen=True)
class MonthSnapshot:
    period: str
    status: str
    catalogue_version: int
    values: dict[CellKey, int]


@dataclass(frozen=True)
class Payload:
    bundle_id: str
    centre_id: str
    sequence: int
    created_at: str
    catalogue_version: int
    previous_hash: str | None
    months: tuple[MonthSnapshot, ...]


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
        "months": [
            {
                "period": month.period,
                "status": month.status,
                "catalogue_version": month.catalogue_version,
                "cells": [{**cell.to_json(), "value": value} for cell, value in sorted(month.values.items()) if value],
            }
            for month in sorted(payload.months, key=lambda m: m.period)
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    text = resource("schemas", "bundle-payload.schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def from_bytes(data: bytes) -> Payload:
    """Parse and check a decrypted payload; ``InvalidInput`` names what is wrong."""
    try:
        document: Any = strict_json.loads(data, PAYLOAD_JSON, t("the payload"))
    except json.JSONDecodeError:
        raise InvalidInput(t("the payload is not valid UTF-8 JSON")) from None
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "/"
        raise InvalidInput(t("the payload does not follow the bundle schema at {where}: {reason}", where=where, reason=error.message[:200]))
    months = []
    seen_periods: set[str] = set()
    for month in document["months"]:
        if month["period"] in seen_periods:
            raise InvalidInput(t("the payload carries the month {period} twice", period=month["period"]))
        seen_periods.add(month["period"])
        values: dict[CellKey, int] = {}
        for cell in month["cells"]:
            key = CellKey.of(cell["indicator"], cell["options"])
            if key in values:
                raise InvalidInput(t("the payload carries the cell {cell} of {period} twice", cell=str(key), period=month["period"]))
            values[key] = cell["value"]
        months.append(MonthSnapshot(month["period"], month["status"], month["catalogue_version"], values))
    return Payload(
        bundle_id=document["bundle_id"],
        centre_id=document["centre_id"],
        sequence=document["sequence"],
        created_at=document["created_at"],
        catalogue_version=document["catalogue_version"],
        previous_hash=document["previous_hash"],
        months=tuple(months),
    )
