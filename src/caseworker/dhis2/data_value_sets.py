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
from collections.abc import Iterable
from typing import Any

from caseworker.dhis2 import codes
from caseworker.dhis2.data import ApprovedMonth, data_values
from caseworker.domain.periods import Period


def dhis2_period(period: Period) -> str:
    """A month as DHIS2 names a monthly period: ``YYYYMM``."""
    return f"{period.year:04d}{period.month:02d}"


def document(months: Iterable[ApprovedMonth]) -> dict[str, Any]:
    values: list[dict[str, str]] = []
    for month in months:
        org_unit, period = codes.centre(month.centre_id), dhis2_period(month.period)
        for value in data_values(month):
            entry = {"dataElement": value.data_element, "period": period, "orgUnit": org_unit}
            if value.category_option_combo is not None:
                entry["categoryOptionCombo"] = value.category_option_combo
            entry["value"] = str(value.value)
            values.append(entry)
    return {"dataSet": codes.DATA_SET, "dataValues": values}


def write(months: Iterable[ApprovedMonth]) -> bytes:
    """The document as UTF-8 JSON, one data value to a line."""
    found = document(months)
    lines = [json.dumps(entry, ensure_ascii=False) for entry in found["dataValues"]]
    body = ",\n  ".join(lines)
    return (f'{{"dataSet": {json.dumps(found["dataSet"])},\n "dataValues": [\n  {body}\n ]\n}}\n').encode("utf-8")
