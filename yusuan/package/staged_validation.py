"""Stage a package's resource CSVs once and validate those files: the validated file is the
published file, byte for byte (issue 14: no temporary copy, no second write).

The circle: the validation's result is a check row, and the check rows are a resource of the
package (``checks.csv``; the document's status in ``document.csv`` follows from them). So the
check rows are staged as they will be *if the package is valid* (``frictionless`` passed, one
comparison per resource) and then validated with the rest. If Frictionless agrees, every
staged file — checks.csv and document.csv included — is exactly what it validated. If it
finds errors, their ``frictionless_*`` rows (severity error) block the package, so nothing
is published; the check rows and the document's status are rewritten in the staging folder
only so that the result (and a caller's summary) says why. If Frictionless itself fails,
``frictionless`` is recorded as not run and the rewritten files say so.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yusuan.checks.schema_proof import WrittenCells, written_cells
from yusuan.checks.schema_validation import CHECK_ID, record, validate_staged
from yusuan.core.resource_columns import ResourceColumns, classes_of, resource_columns
from yusuan.core.resource_format import csv_file_bytes, resource_csv_cells, resource_csv_path
from yusuan.core.schemas import resource_specs
from yusuan.package.parquet_memo import SharedRowsMemo, ValuesMemo
from yusuan.package.process import DocumentResult, conclude_checks

# the resources whose rows follow from the check rows (conclude_checks)
FOLLOW_CHECKS = ("document", "checks", "check_rows")
# staged CSVs of the process by their cells (:func:`csv_file`): the code lists, the COFOG
# weights and the concordance are the same in many packages (issue 14)
CSV_MEMO = ValuesMemo()
# the staged CSV and columns of rows shared by every package (SharedRows), by their identity
SHARED_CSV = SharedRowsMemo()


@dataclass(frozen=True)
class StagedCsv:
    """A resource's CSV as staged (and validated): the descriptor's path, hash and bytes, and
    the columns it was written from, which the Parquet file is then written from too."""

    path: Path
    sha256: str
    bytes: int
    columns: ResourceColumns | None = field(default=None, compare=False, repr=False)


def stage_and_validate(result: DocumentResult, folder: Path) -> tuple[DocumentResult, dict[str, StagedCsv]]:
    """Write every resource's CSV into ``folder`` and validate them with Frictionless.

    Returns ``result`` completed with the validation's check rows (a copy: ``result`` itself
    is left as it is, so it can be written again) and the staged files by resource name.
    """
    specs = resource_specs()
    run = result.check_run.fork()
    run.count_checked(CHECK_ID, len(specs))  # staged as valid: see the module's docstring
    completed = _copy(result)
    conclude_checks(completed, run)
    written: dict[str, WrittenCells] = {}  # dropped with the call: the cells are not kept for Parquet
    staged = {spec["name"]: stage_csv(completed, spec, folder, written) for spec in specs}
    validation = validate_staged(folder, list(staged), written)
    if not validation.valid:
        record(run, validation, counted=True)
        conclude_checks(completed, run)
        for spec in specs:
            if spec["name"] in FOLLOW_CHECKS:
                staged[spec["name"]] = stage_csv(completed, spec, folder)
    return completed, staged


def stage_csv(result: DocumentResult, spec: dict[str, Any], folder: Path, written: dict[str, WrittenCells] | None = None) -> StagedCsv:
    """The resource's CSV written into ``folder``, hashed as it is written (not read back);
    its cells put in ``written`` for the proof (:class:`~yusuan.checks.schema_proof.WrittenCells`).

    The file's bytes, their sha256 and what the proof knows of them are those staged before in
    the process from the same shared rows (:data:`SHARED_CSV`: the very object, which no one
    can change) or from equal cells (:data:`CSV_MEMO`, see :func:`csv_file`)."""
    rows = result.resources[spec["name"]]
    made, columns = SHARED_CSV.made((spec["name"], tuple(spec["fields"])), rows, lambda: _csv_of_rows(rows, spec))
    path = resource_csv_path(spec, folder)
    write_new_file(path, made.data)
    if written is not None:
        written[spec["name"]] = made.written
    return StagedCsv(path, made.written.sha256, len(made.data), columns)


# how ``Path.write_bytes`` opens a file ("wb"), and the permissions it asks for (the umask
# applies); O_BINARY (Windows only) so that no byte of a Parquet file or CSV is translated
WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
WRITE_MODE = 0o666


def write_new_file(path: Path, data: Any) -> None:
    """``path.write_bytes(data)``, the same file, with fewer system calls: opened with the
    flags and permissions ``open(path, "wb")`` uses, the bytes written by ``os.write`` until
    all are written, then closed. ``open`` also asks the file's status (for its buffer size)
    and whether it is a terminal, and its buffered writer writes the bytes through; every
    file of a package is written whole from memory, about 2,845 files a pass (issue 14).
    ``data``: anything that gives a buffer (bytes, a pyarrow Buffer)."""
    descriptor = os.open(path, WRITE_FLAGS, WRITE_MODE)
    try:
        with memoryview(data) as whole, whole.cast("B") as view:
            written = 0
            while written < len(view):
                written += os.write(descriptor, view[written:])
    finally:
        os.close(descriptor)


def _csv_of_rows(rows: list[dict[str, Any]], spec: dict[str, Any]) -> tuple[CsvFile, ResourceColumns]:
    """The CSV file of a resource's rows, and the columns it is made of."""
    columns = resource_columns(rows, spec["fields"])
    cells = resource_csv_cells(columns)
    made = CSV_MEMO.made(_csv_key(spec["name"], columns.names, cells), cells, lambda: csv_file(columns.names, cells, known_classes(columns, cells)))
    return made, columns


def known_classes(columns: ResourceColumns, cells: list[list[Any]]) -> list[set[type] | None]:
    """The classes of each column of cells already known: those taken with a column of values
    that is its own column of cells (most columns: the csv writer is handed the values), None
    for a column of cells made of its values (found when asked). The lists are the writer's
    own and changed by no one, so the classes then are their classes now."""
    return [kinds if column is values else None for values, column, kinds in zip(columns.values, cells, classes_of(columns), strict=True)]


@dataclass(frozen=True)
class CsvFile:
    """A staged CSV as made of its cells: its bytes and what the proof knows of them (their
    sha256 among it)."""

    data: bytes
    written: WrittenCells


def csv_file(header: list[str], cells: list[list[Any]], classes: list[set[type] | None] | None = None) -> CsvFile:
    """The CSV file of ``header`` and ``cells`` (:func:`~yusuan.core.resource_format.csv_file_bytes`).

    Remembered in :data:`CSV_MEMO` for a resource's header and cells compared in full, value
    and class: the cells are what ``csv.writer`` is handed (``str``, ``None`` or ``int``,
    :func:`~yusuan.core.resource_format.resource_csv_cells`), and of such cells equal values of
    the same classes are the same texts (unlike the values they come from: ``Decimal("1.0")``
    equals ``Decimal("1.00")``), so the same bytes, sha256 and sample. ``classes``: each
    column's classes where known (:func:`known_classes`), kept for the proof."""
    data = csv_file_bytes(header, cells)
    return CsvFile(data, written_cells(data, hashlib.sha256(data).hexdigest(), header, cells, classes))


def _csv_key(name: str, header: list[str], cells: list[list[Any]]) -> tuple[Any, ...]:
    """Where a staged CSV is looked up in :data:`CSV_MEMO`: the resource, its header and a hash
    of its cells (editions of a code list are kept apart; equal cells are still compared in
    full). A table too large to be remembered is not hashed."""
    if not CSV_MEMO.kept(cells):
        return (name,)
    try:
        return (name, tuple(header), hash(tuple(map(tuple, cells))))
    except TypeError:  # an unhashable cell: looked up by resource and header alone
        return (name, tuple(header))


def check_unpublished(result: DocumentResult) -> DocumentResult:
    """The package's validation for a result that is not written (``yusuan process``,
    benchmarks/corpus.py), staged in a temporary folder: the completed result has the check
    rows its written package would have."""
    with tempfile.TemporaryDirectory(prefix="yusuan-validate-") as folder:
        completed, _staged = stage_and_validate(result, Path(folder))
    return completed


def _copy(result: DocumentResult) -> DocumentResult:
    """``result`` with its own resource table and document row (what conclude_checks replaces)."""
    resources = dict(result.resources)
    resources["document"] = [dict(row) for row in result.resources["document"]]
    return replace(result, resources=resources)
