"""Approved figures as ADX, the IHE Aggregate Data Exchange message (namespace
``urn:ihe:qrph:adx:2015``), which DHIS2 imports at ``/api/dataValueSets`` as
``application/adx+xml``.

One ``group`` per centre and month, with the centre's code (``orgUnit``), the month as an ISO
8601 interval (``2026-01-01/P1M``) and the data set's code; in it one ``dataValue`` per figure
with the data element's code, one attribute per category (the category's code, the option's code
as its value) and the value. A figure of an indicator without dimensions has no category
attribute (DHIS2's default combination). Every attribute is escaped as XML requires; the start
of each ``dataValue`` is written once per cell of the grid, not once per figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from caseworker.dhis2 import codes
from caseworker.dhis2.data import Address, ApprovedMonth, PerCells
from caseworker.domain.periods import Period

NAMESPACE = "urn:ihe:qrph:adx:2015"
MEDIA_TYPE = "application/adx+xml"


def period_interval(period: Period) -> str:
    """A month as ADX writes a period: its first day and a duration of one month."""
    return f"{period.first_day.isoformat()}/P1M"


def _value_start(found: Address) -> str:
    categories = "".join(f" {category}={quoteattr(option)}" for category, option in found.categories)
    return f"    <dataValue dataElement={quoteattr(found.data_element)}{categories} value="


def write(months: Iterable[ApprovedMonth], exported: datetime) -> bytes:
    """The ADX document of ``months`` (UTF-8), stamped with the moment it was ``exported``."""
    stamp = exported.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<adx xmlns={quoteattr(NAMESPACE)} exported={quoteattr(stamp)}>"]
    data_set = quoteattr(codes.DATA_SET)
    starts = PerCells(lambda found: [_value_start(a) for a in found])
    for month in months:
        lines.append(f"  <group orgUnit={quoteattr(codes.centre(month.centre_id))} period={quoteattr(period_interval(month.period))} dataSet={data_set}>")
        lines.extend(f'{start}"{value:d}"/>' for start, value in zip(starts(month.cells), month.values))
        lines.append("  </group>")
    lines.append("</adx>")
    return ("\n".join(lines) + "\n").encode("utf-8")
