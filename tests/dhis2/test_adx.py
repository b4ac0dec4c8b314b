"""The ADX message: valid against the ADX schema, one group per centre and month, every figure
with its codes, nothing but what the metadata package defines."""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree

from caseworker.dhis2 import adx
from caseworker.dhis2.metadata import package
from caseworker.domain.periods import Period
from tests.dhis2.conftest import CATALOGUE, CENTRES
from tests.dhis2.references import ADX, Package, adx_errors, read_adx

EXPORTED = datetime(2026, 4, 2, 9, 30, 15, 123, tzinfo=timezone.utc)


def test_the_message_is_valid_adx(months):
    document = adx.write(months, EXPORTED)
    assert adx_errors(document) == []
    root = etree.fromstring(document)
    assert root.tag == f"{ADX}adx" and root.get("exported") == "2026-04-02T09:30:15Z"


def test_one_group_per_centre_and_month_with_every_figure(months):
    root = etree.fromstring(adx.write(months, EXPORTED))
    groups = root.findall(f"{ADX}group")
    assert [(g.get("orgUnit"), g.get("period"), g.get("dataSet")) for g in groups] == [
        (code, f"2026-0{m}-01/P1M", "CW_MONTHLY") for code in ("CW_KDM_KONAK-3F9A", "CW_KDM_BUCA-77AA") for m in (1, 2, 3)]
    for group, month in zip(groups, months):
        assert len(group.findall(f"{ADX}dataValue")) == len(month.values)
    figures = read_adx(adx.write(months, EXPORTED))
    assert sum(f.value for f in figures) == sum(v for m in months for v in m.values)
    assert sum(f.value == 0 for f in figures) == sum(v == 0 for m in months for v in m.values) > 0


def test_the_message_refers_only_to_the_metadata_package(months):
    made = Package(package(CATALOGUE, CENTRES))
    assert made.problems(read_adx(adx.write(months, EXPORTED))) == []


def test_the_schema_refuses_what_adx_does_not_allow(months):
    good = adx.write(months, EXPORTED)
    assert adx_errors(good.replace(b' orgUnit="CW_KDM_KONAK-3F9A"', b"", 1)) != []
    assert adx_errors(good.replace(b'value="', b'value="x', 1)) != []
    assert adx_errors(good.replace(b"urn:ihe:qrph:adx:2015", b"urn:example:other")) != []
    assert adx_errors(good.replace(b"2026-01-01/P1M", b"January 2026", 1)) != []
    assert adx_errors(good.replace(b' exported="2026-04-02T09:30:15Z"', b"")) != []


def test_the_period_is_a_month_as_an_iso_interval():
    assert adx.period_interval(Period(2026, 11)) == "2026-11-01/P1M"
