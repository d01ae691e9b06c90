"""Frictionless validation of every resource of a package before it is written.

The rows are written as the package writer writes them (the same CSV text, the same table
schema with primary and foreign keys) to a temporary folder and validated there with
Frictionless; each error becomes a check row ``frictionless_<error type>`` (type-error,
constraint-error, primary-key, foreign-key …), one per error type, resource and field with a
count. A package that fails validation is invalid data and is not published.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from yusuan.checks.engine import CheckRun, Row
from yusuan.core.schemas import field_dictionary, resource_specs


def validate_resources(run: CheckRun, resources: dict[str, list[Row]]) -> None:
    from frictionless import Package  # imported here: loading it takes a moment

    from yusuan.core.resource_format import csv_text, frictionless_field

    fields = field_dictionary()
    specs = [s for s in resource_specs() if s["name"] in resources]
    with tempfile.TemporaryDirectory(prefix="yusuan-validate-") as folder:
        descriptors = []
        for spec in specs:
            names = spec["fields"]
            path = Path(folder) / f"{spec['name']}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(names)
                for row in resources[spec["name"]]:
                    writer.writerow([csv_text(row.get(n), fields[n]) for n in names])
            schema: dict[str, Any] = {"fields": [frictionless_field(n) for n in names], "missingValues": [""], "primaryKey": spec["primary_key"]}
            if spec.get("foreign_keys"):
                schema["foreignKeys"] = [
                    {"fields": fk["fields"], "reference": {"resource": fk["resource"], "fields": fk["reference"]}} for fk in spec["foreign_keys"]
                ]
            descriptors.append({"name": spec["name"], "path": path.name, "format": "csv", "encoding": "utf-8", "schema": schema})
        try:
            report = Package.from_descriptor({"resources": descriptors}, basepath=folder).validate()
        except Exception as exc:  # noqa: BLE001 - any failure of the validator is reported, not raised
            run.not_run("frictionless", f"Frictionless could not validate the resources: {exc}")
            return
    errors: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for task in report.tasks:
        for error in task.errors:
            errors[(error.type, task.name or "", getattr(error, "field_name", "") or "")].append(error)
        for error in getattr(task, "warnings", []) or []:
            errors[("warning", task.name or "", "")].append(error)
    for error in report.errors:
        errors[(error.type, "", "")].append(error)
    run.count_checked("frictionless", len(specs))
    for (kind, resource, field_name), found in errors.items():
        first = found[0]
        row_number = getattr(first, "row_number", None)
        where = f"{resource} row {row_number}" if row_number else resource
        run.add(
            "frictionless_" + kind.replace("-", "_"), "failed", None,
            f"{len(found)} × {kind} in {resource or 'the package'}{f'.{field_name}' if field_name else ''}: {first.note or first.message}",
            actual=str(getattr(first, "cell", "") or ""), field=f"{resource}.{field_name}" if field_name else resource, count=len(found),
        ).update(row=where)
