"""The catalogue in use as the store holds it: read back as it was checked when it went in,
without a second pass of the JSON Schema in every process that reads figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.domain.catalogue import load_default_catalogue, parse_catalogue
from tests.conftest import PASSPHRASE

READ_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
from caseworker.app import catalogue
from caseworker.app.session import Credentials, unlock
with unlock(Path(sys.argv[1]), Credentials("koord", sys.argv[2])) as session:
    found = catalogue.current(session)
print(found.version, len(found.indicators), "jsonschema" in sys.modules)
"""


def test_the_stored_catalogue_is_the_one_that_was_checked(coordinator, tmp_path):
    shipped = load_default_catalogue()
    assert catalogue_uc.current(coordinator) == shipped
    newer = parse_catalogue({**json.loads(shipped.to_json()), "version": shipped.version + 1, "published": "2026-12-01"})
    path = tmp_path / "newer.json"
    path.write_text(newer.to_json(), encoding="utf-8")
    catalogue_uc.import_file(coordinator, path)
    catalogue_uc._cache.clear()
    assert catalogue_uc.current(coordinator) == newer
    assert catalogue_uc.version(coordinator, shipped.version) == shipped


def test_reading_the_catalogue_in_use_makes_no_schema_pass(coordinator):
    catalogue_uc.current(coordinator)  # the store's first reading puts the shipped catalogue in it
    home = coordinator.store.paths.home
    coordinator.close()
    answer = subprocess.run([sys.executable, "-c", READ_IN_A_FRESH_PROCESS, str(home), PASSPHRASE], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).parents[2], env={"PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    assert answer.returncode == 0, answer.stderr
    version, indicators, schema_loaded = answer.stdout.split()
    assert (int(version), int(indicators), schema_loaded) == (load_default_catalogue().version, len(load_default_catalogue().indicators), "False")
