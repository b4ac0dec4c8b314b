"""``caseworker dhis2 metadata`` and ``caseworker dhis2 export`` on a coordinator's store filled
through real bundles; a centre's store is told that the exchange is the coordinator's."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliRunner
from tests.dhis2.references import Package, adx_errors, data_value_set_errors, read_adx, read_data_value_set
from tests.reports.city_stores import PLANS, build_city_store


@pytest.fixture(scope="module")
def city_cli(tmp_path_factory) -> CliRunner:
    """A coordinator's store with three centres' real bundles imported, closed, and a command
    line that opens it as ``koord``."""
    folder = tmp_path_factory.mktemp("dhis2-cli")
    store = build_city_store(folder / "stores")
    store.coordinator.close()
    tmp = folder / "tmpdir"
    tmp.mkdir()
    runner = CliRunner(store.home, tmp)
    runner.env.update(runner.as_user("koord"))
    return runner


def test_metadata_then_export_in_both_formats(city_cli, tmp_path):
    metadata = city_cli("dhis2", "metadata", str(tmp_path / "metadata.json"))
    assert metadata.code == 0, metadata.err
    assert "13 data elements" in metadata.out and "idScheme=CODE" in metadata.out
    package = Package(json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8")))
    assert len(package.units) == 1 + 30 + len(PLANS)

    adx = city_cli("dhis2", "export", "2025-01", "2026-03", str(tmp_path / "city.xml"))
    assert adx.code == 0, adx.err
    assert "4 approved centre-months (2025-01 to 2026-03)" in adx.out and "as ADX" in adx.out
    assert "not approved and were left out" in adx.out
    assert "not encrypted" in adx.err
    assert adx_errors((tmp_path / "city.xml").read_bytes()) == []
    assert package.problems(read_adx((tmp_path / "city.xml").read_bytes())) == []

    as_json = city_cli("dhis2", "export", "2025-01", "2026-03", str(tmp_path / "city.json"))
    assert as_json.code == 0, as_json.err
    assert "DHIS2 dataValueSets JSON" in as_json.out and "not encrypted" in as_json.err
    assert data_value_set_errors((tmp_path / "city.json").read_bytes()) == []
    assert package.problems(read_data_value_set((tmp_path / "city.json").read_bytes())) == []

    forced = city_cli("dhis2", "export", "2025-01", "2026-03", str(tmp_path / "city.json.txt"), "--format", "json")
    assert forced.code == 0 and json.loads((tmp_path / "city.json.txt").read_text(encoding="utf-8"))["dataSet"] == "CW_MONTHLY"


def test_messages_are_turkish_by_default(city_cli, tmp_path):
    result = city_cli("dhis2", "export", "2026-01", "2026-03", str(tmp_path / "kent.xml"), env={"CASEWORKER_LANG": "tr"})
    assert result.code == 0, result.err
    assert "onaylanmış merkez-ayının" in result.out and "şifreli değildir" in result.err


@pytest.mark.parametrize("args, words", [
    (("2026-03", "2026-01"), "comes after"),
    (("2026-13", "2026-03"), "2026-13"),
    (("2024-01", "2024-12"), "nothing to send to DHIS2"),
])
def test_refusals_are_one_clear_line_and_write_nothing(city_cli, tmp_path, args, words):
    result = city_cli("dhis2", "export", *args, str(tmp_path / "x.xml"))
    assert result.code == 1 and words in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "x.xml").exists()


def test_an_unknown_format_is_a_usage_error(city_cli, tmp_path):
    assert city_cli("dhis2", "export", "2026-01", "2026-03", str(tmp_path / "x.csv"), "--format", "csv").code == 2


def test_a_centre_store_is_told_the_exchange_is_the_coordinators(cli_centre, tmp_path):
    for args in (("metadata", str(tmp_path / "m.json")), ("export", "2026-01", "2026-03", str(tmp_path / "d.xml"))):
        result = cli_centre("dhis2", *args)
        assert result.code == 1 and "is the coordinator's" in result.err and "sync run" in result.err
    assert not (tmp_path / "m.json").exists() and not (tmp_path / "d.xml").exists()
