"""Approved figures as a DHIS2 ``dataValueSets`` JSON document, for ``/api/dataValueSets``
with ``dataElementIdScheme=CODE``, ``orgUnitIdScheme=CODE`` and
``categoryOptionComboIdScheme=CODE`` (or ``idScheme=CODE``).

One document for the whole range: the data set's code at the top, then one entry per figure with
the data element's, the centre's and the option combination's codes, the month as DHIS2 writes a
monthly period (``202601``) and the value as text, as DHIS2 writes it. A figure of an indicator
without dimensions has no ``categoryOptionCombo`` (DHIS2's default combination).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from caseworker.dhis2 import codes
from caseworker.dhis2.data import Address, ApprovedMonth, PerCells, figures
from caseworker.domain.periods import Period


def dhis2_period(period: Period) -> str:
    """A month as DHIS2 names a monthly period: ``YYYYMM``."""
    return f"{period.year:04d}{period.month:02d}"


def _cell_part(found: Address) -> dict[str, str]:
    part = {"dataElement": found.data_element}
    if found.category_option_combo is not None:
        part["categoryOptionCombo"] = found.category_option_combo
    return part


def document(months: Iterable[ApprovedMonth]) -> dict[str, Any]:
    """The document as plain data."""
    values = [{"orgUnit": codes.centre(month.centre_id), "period": dhis2_period(month.period), **_cell_part(found), "value": str(value)}
              for month in months for found, value in figures(month)]
    return {"dataSet": codes.DATA_SET, "dataValues": values}


def _cell_texts(found: Sequence[Address]) -> list[str]:
    return [json.dumps(_cell_part(a), ensure_ascii=False)[1:-1] + ', "value": "' for a in found]


def write(months: Iterable[ApprovedMonth]) -> bytes:
    """The document as UTF-8 JSON, one data value to a line (the same data as ``document``,
    written without building it: each cell's part is written once per export)."""
    texts = PerCells(_cell_texts)
    lines: list[str] = []
    for month in months:
        head = '  {"orgUnit": ' + json.dumps(codes.centre(month.centre_id)) + ', "period": "' + dhis2_period(month.period) + '", '
        lines.extend(f'{head}{text}{value:d}"}}' for text, value in zip(texts(month.cells), month.values))
    return ('{"dataSet": ' + json.dumps(codes.DATA_SET) + ',\n "dataValues": [\n' + ",\n".join(lines) + "\n ]\n}\n").encode("utf-8")
