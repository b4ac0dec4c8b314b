"""The directory the HSDS tests export and read back."""

from __future__ import annotations

import pytest

from caseworker.domain.directory import Directory
from tests.hsds.samples import rich_directory


@pytest.fixture(scope="module")
def directory() -> Directory:
    return rich_directory()
