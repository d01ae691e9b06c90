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
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yusuan.checks.schema_proof import WrittenCells, written_cells
from yusuan.checks.schema_validation import CHECK_ID, record, validate_staged
from yusuan.core.resource_columns import ResourceColumns, resource_columns
from yusuan.core.resource_format import csv_file_bytes, resource_csv_cells, resource_csv_path
from yusuan.core.schemas import resource_specs
from yusuan.package.process import DocumentResult, conclude_checks

# the resources whose rows follow from the check rows (conclude_checks)
FOLLOW_CHECKS = ("document", "checks", "check_rows")


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
    its cells put in ``written`` for the proof (:class:`~yusuan.checks.schema_proof.WrittenCells`)."""
    columns = resource_columns(result.resources[spec["name"]], spec["fields"])
    cells = resource_csv_cells(columns)
    data = csv_file_bytes(columns.names, cells)
    path = resource_csv_path(spec, folder)
    path.write_bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if written is not None:
        written[spec["name"]] = written_cells(data, sha256, columns.names, cells)
    return StagedCsv(path, sha256, len(data), columns)


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
