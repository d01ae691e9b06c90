"""Frictionless validation of every resource of a package, on the CSV files that are published.

The package writer stages each resource's CSV once (:func:`yusuan.core.resource_format.write_resource_csv`)
and hands the staging folder to :func:`validate_staged`: the file Frictionless reads is the
file that is published, byte for byte. Each error becomes a check row
``frictionless_<error type>`` (type-error, constraint-error, primary-key, foreign-key …), one
per error type, resource and field with a count. A package that fails validation is invalid
data and is not published.

Why it is cheaper than ``Package.validate`` on a descriptor (issue 14), with the same errors:

- the Frictionless ``Schema`` of each resource is built once per process from ``schemas/``,
  without the fields' titles and descriptions (Frictionless copies every field of the schema
  each time it opens a file, and validating rows needs only names, types and constraints);
- each resource is validated with ``Resource.validate`` inside a ``Package`` (so foreign keys
  resolve against the other staged files); the package descriptor itself is generated, not
  read, so its metadata is not validated again for every publication;
- the fields of those schemas are copied (twice each time Frictionless opens a file) without
  JSON-Schema-validating their descriptors again (yusuan/checks/frictionless_fields.py);
- a resource whose staged bytes (sha256) Frictionless has already validated in this process
  against the same schema (the code concordance and the COFOG weights are the same in every
  package, a code list in most), and whose foreign keys reference resources with the same
  bytes as then (an empty ``performance_indicators`` and its empty ``performance_targets``),
  gets that validation's report: its validity depends on those bytes and the schemas alone;
- a resource not remembered is first *proved* valid where possible
  (yusuan/checks/schema_proof.py: the same dialect sniffing, header, cell counts, each
  distinct cell text through the field's own Frictionless cell reader or a stricter plain
  pattern, primary, unique and foreign keys on typed values), without Frictionless' row loop;
  proved valid ⇒ Frictionless says valid. Anything the proof cannot establish is validated
  by Frictionless, whose report becomes the check rows. ``YUSUAN_VALIDATOR=frictionless``
  sends every resource to Frictionless;
- the foreign-key lookup of a resource (the referenced key's values, read from the referenced
  file) is built once per referenced bytes and schema in the process, not once per package
  (yusuan/checks/frictionless_staged.py): the function classification's 1,473 codes are read
  once, and every row of ``amounts`` is still checked against them.

:func:`validate_resources` validates rows that are not being published (``yusuan process``,
benchmarks/corpus.py): they are written to a temporary folder with the same function first.
"""

from __future__ import annotations

import functools
import tempfile
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yusuan.checks.engine import CheckRun, Row
from yusuan.core.hashing import sha256_of
from yusuan.core.resource_format import table_schema, write_resource_csv
from yusuan.core.schemas import resource_specs

CHECK_ID = "frictionless"
MEMO_SIZE = 64  # reports kept for resources seen before (a few per resource type)
_memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_memo_lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)


@dataclass
class Validation:
    """What Frictionless said about the staged resources of one package."""

    resources: int
    # (error type, resource, field) -> the errors of that kind, in Frictionless' order
    errors: dict[tuple[str, str, str], list[Any]] = field(default_factory=dict)
    failure: str = ""  # the validator could not run (why)

    @property
    def valid(self) -> bool:
        return not self.errors and not self.failure


def validate_staged(folder: Path, names: list[str], written: Mapping[str, Any] | None = None) -> Validation:
    """Validate ``folder/<name>.csv`` of each named resource (in schemas/resources.yaml order).

    ``written``: what the writer knows of the files it staged
    (:class:`~yusuan.checks.schema_proof.WrittenCells` by name), so that the proof reads a file
    whose bytes are still those written from its cells, not from the file."""
    specs = [s for s in resource_specs() if s["name"] in names]
    try:
        reports = _validate(folder, specs, written)
    except Exception as exc:  # noqa: BLE001 - any failure of the validator is reported, not raised
        return Validation(len(specs), failure=f"Frictionless could not validate the resources: {exc}")
    errors: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for report in reports:
        for task in report.tasks:
            for error in task.errors:
                errors[(error.type, task.name or "", getattr(error, "field_name", "") or "")].append(error)
            for warning in getattr(task, "warnings", []) or []:
                errors[("warning", task.name or "", "")].append(warning)
        for error in report.errors:
            errors[(error.type, "", "")].append(error)
    return Validation(len(specs), dict(errors))


def record(run: CheckRun, validation: Validation, *, counted: bool = False) -> None:
    """The check rows of a validation: ``frictionless`` passed (one comparison per resource)
    and one ``frictionless_<type>`` row per kind of error, or ``frictionless`` not run.

    ``counted``: the writer counted the comparisons before validating (the check rows it
    stages expect a valid package); they are not counted twice.
    """
    if validation.failure:
        run.not_run(CHECK_ID, validation.failure)
        return
    if not counted:
        run.count_checked(CHECK_ID, validation.resources)
    for (kind, resource, field_name), found in validation.errors.items():
        first = found[0]
        row_number = getattr(first, "row_number", None)
        where = f"{resource} row {row_number}" if row_number else resource
        note = first if isinstance(first, str) else (first.note or first.message)
        run.add(
            f"{CHECK_ID}_" + kind.replace("-", "_"), "failed", None,
            f"{len(found)} × {kind} in {resource or 'the package'}{f'.{field_name}' if field_name else ''}: {note}",
            actual=str(getattr(first, "cell", "") or ""), field=f"{resource}.{field_name}" if field_name else resource, count=len(found),
        ).update(row=where)


def validate_resources(run: CheckRun, resources: dict[str, list[Row]]) -> None:
    """Validate rows that are not published: written to a temporary folder, then validated there."""
    specs = [s for s in resource_specs() if s["name"] in resources]
    with tempfile.TemporaryDirectory(prefix="yusuan-validate-") as folder:
        for spec in specs:
            write_resource_csv(resources[spec["name"]], spec, Path(folder))
        validation = validate_staged(Path(folder), [s["name"] for s in specs])
    record(run, validation)


def _validate(folder: Path, specs: list[dict[str, Any]], written: Mapping[str, Any] | None = None) -> list[Any]:
    """One report per resource, in ``specs`` order: remembered, proved valid
    (:class:`~yusuan.checks.schema_proof.ProvedReport`) or Frictionless'."""
    from yusuan.checks import schema_proof

    digests = {s["name"]: sha256_of(folder / f"{s['name']}.csv") for s in specs}  # the bytes as they are now
    names = [s["name"] for s in specs]
    prover = schema_proof.Prover(folder, names, _schema, digests=digests, written=written) if schema_proof.enabled() else None
    package = None
    reports = []
    for index, spec in enumerate(specs):
        key = _memo_key(spec, digests)
        report = _remembered(key)
        if report is None and prover is not None and prover.proves(spec["name"]):
            report = schema_proof.ProvedReport(spec["name"])
        if report is None:
            package = package or _package(folder, specs)
            report = package.resources[index].validate()
        _remember(key, report)
        reports.append(report)
    return reports


def _package(folder: Path, specs: list[dict[str, Any]]) -> Any:
    """The staged resources as one Frictionless package (foreign keys resolve between them)."""
    from frictionless import Package, Resource  # imported here: loading it takes a moment

    from yusuan.checks.frictionless_staged import HOOKED, StagedTableResource

    table = StagedTableResource if HOOKED else Resource
    return Package(
        resources=[
            table(name=s["name"], path=f"{s['name']}.csv", format="csv", encoding="utf-8", schema=_schema(s["name"]))
            for s in specs
        ],
        basepath=str(folder),
    )


def _memo_key(spec: dict[str, Any], digests: dict[str, str]) -> tuple[Any, ...] | None:
    """What a resource's report depends on besides its schema (fixed per name in a process):
    its bytes and those of every resource its foreign keys reference. None: not known (a
    reference outside the staged resources), validated every time."""
    references = sorted({fk["resource"] for fk in spec.get("foreign_keys") or []})
    if any(name not in digests for name in references):
        return None
    return (spec["name"], digests[spec["name"]], *((name, digests[name]) for name in references))


def _remembered(key: tuple[Any, ...] | None) -> Any:
    """The report of a resource validated before with these bytes, or None."""
    if key is None:
        return None
    with _memo_lock:
        report = _memo.get(key)
        if report is not None:
            _memo.move_to_end(key)
        return report


def _remember(key: tuple[Any, ...] | None, report: Any) -> None:
    if key is None:
        return
    with _memo_lock:
        _memo[key] = report
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


@functools.cache
def _schema(name: str) -> Any:
    """The Frictionless Schema of a resource, built once per process from schemas/."""
    from frictionless import Schema

    from yusuan.checks.frictionless_fields import staged_fields

    spec = next(s for s in resource_specs() if s["name"] == name)
    return staged_fields(Schema.from_descriptor(table_schema(spec, names_only=True)))
