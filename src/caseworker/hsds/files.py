"""HSDS files: the JSON file, the tabular package folder and the shipped sample directory.

Everything in the HSDS exchange that touches the file system is here; ``reading``,
``writing`` and ``tabular`` work on bytes, text and parsed data only. Writes go through
``storage.atomic.write_atomic``, so a failed export leaves no half-written file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caseworker.domain.directory import Directory, Source, redact_confidential
from caseworker.errors import InvalidInput, fault_from_os_error
from caseworker.hsds.reading import (
    ImportResult,
    _assemble,
    _decode,
    _import_document,
    _Notes,
    _parse_json,
    _Tables,
    import_hsds_json,
)
from caseworker.hsds.tabular import (
    TABLE_FIELDS,
    TABLE_PATHS,
    _csv_bytes,
    _datapackage,
    _directory_tables,
    _parse_csv,
    _table_files,
)
from caseworker.i18n import t
from caseworker.storage.atomic import write_atomic


def export_hsds_tabular(directory: Directory, folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write the directory as an HSDS tabular data package (UTF-8 CSV files and
    ``datapackage.json``) into ``folder``; returns the files written. Confidential data removed."""
    folder = Path(folder)
    directory = redact_confidential(directory)
    tables = _directory_tables(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fault_from_os_error(error, folder) from error
    written = []
    for table, fields in TABLE_FIELDS.items():
        path = folder / TABLE_PATHS[table]
        write_atomic(path, _csv_bytes(fields, tables.get(table, [])), 0o644)
        written.append(path)
    descriptor = folder / "datapackage.json"
    write_atomic(descriptor, (json.dumps(_datapackage(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"), 0o644)
    written.append(descriptor)
    return tuple(written)


def load_sample_directory() -> Directory:
    """The sample directory shipped in ``resources/directory/sample.json``.

    The file is HSDS 3.0 JSON, a list of compiled services as ``export_hsds_json`` writes them,
    except that it is not redacted: the sample shelter keeps its fake placeholder address and
    phone, so redaction can be seen at work. The national lines (112, 155, 156, ALO 183, KADES)
    are public fact; every other entry is named "Örnek ..." and has ``sample`` set.
    """
    from caseworker.paths import resource

    data = resource("directory", "sample.json").read_bytes()
    return import_hsds_json(data).directory


def read_hsds_json(path: str | os.PathLike[str], *, source: Source | None = None) -> ImportResult:
    """Read the HSDS JSON file at ``path`` (see ``reading.import_hsds_json``)."""
    path = Path(path)
    return _import_document(_parse_json(_decode(_read_bytes(path), path.name), path.name), source)


def import_hsds_tabular(folder: str | os.PathLike[str], *, source: Source | None = None) -> ImportResult:
    """Read the HSDS tabular data package (CSV files, ``datapackage.json``) in ``folder``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(t("{folder} is not a folder. Choose the folder of an HSDS tabular data package.", folder=folder))
    notes = _Notes()
    tables = _Tables(notes)
    paths = _resource_paths(folder)
    present = {table: path for table, path in paths.items() if path.is_file()}
    if not present:
        raise InvalidInput(
            t("{folder} holds none of the HSDS table files (services.csv, organizations.csv ...). Choose the folder of an HSDS tabular data package.", folder=folder)
        )
    for table, path in present.items():
        for values, where in _read_csv(path):
            tables.add(table, values, where, strict=True)
    expected = {path.name for path in paths.values()}
    for extra in sorted(folder.glob("*.csv")):
        if extra.name not in expected:
            notes.add(t("The file {file} is not an HSDS table; it was left out.", file=extra.name))
    return ImportResult(_assemble(tables, notes, source), notes.lines())


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise fault_from_os_error(error, path) from error


def _resource_paths(folder: Path) -> dict[str, Path]:
    paths = {table: folder / name for table, name in TABLE_PATHS.items()}
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        return paths
    text = _decode(_read_bytes(descriptor), descriptor.name)
    target = text.strip()
    if target.endswith(".json") and "\n" not in target and not target.startswith("{") and (folder / target).is_file():
        # A symbolic link checked out as a text file (git on a system without links).
        text = _decode(_read_bytes(folder / target), descriptor.name)
    package = _parse_json(text, descriptor.name)
    paths.update((table, folder / name) for table, name in _table_files(package, descriptor.name).items())
    return paths


def _read_csv(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    return _parse_csv(_decode(_read_bytes(path), path.name), path.name)
