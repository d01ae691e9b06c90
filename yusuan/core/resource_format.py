"""How a resource's values are written: the CSV text of a value, the CSV file of a resource and
the Frictionless field descriptor of a field, all from schemas/fields.yaml.

Shared by the package writer and the schema validation check, which must agree byte for byte:
the writer stages each resource's CSV with :func:`write_resource_csv` and the validation reads
that very file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.core.resource_columns import (
    ResourceColumns,
    boolean_cell_text,
    cell_text,
    csv_cells,
    resource_columns,
)
from yusuan.core.schemas import field_dictionary


def csv_text(value: Any, field: dict[str, Any]) -> str:
    if value is None:
        return ""
    if field["type"] == "boolean":
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """UTF-8 CSV, "\n" line ends, fields quoted only where needed: the bytes pandas'
    ``to_csv(index=False, lineterminator="\n")`` wrote before (it uses the same writer),
    without building a DataFrame first."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_resource_csv(rows: list[dict[str, Any]], spec: dict[str, Any], folder: Path) -> Path:
    """``folder/<resource>.csv``: the resource's rows in its fields' order (schemas/resources.yaml)."""
    path = resource_csv_path(spec, folder)
    path.write_bytes(resource_csv_bytes(resource_columns(rows, spec["fields"])))
    return path


def resource_csv_path(spec: dict[str, Any], folder: Path) -> Path:
    return folder / f"{spec['name']}.csv"


def resource_csv_bytes(columns: ResourceColumns) -> bytes:
    """The CSV file of a resource's columns: the bytes :func:`write_csv` writes of its rows'
    :func:`csv_rows` (the same writer and dialect), made in memory so that the writer can
    hash them before they are written instead of reading the file back (issue 14)."""
    return csv_file_bytes(columns.names, resource_csv_cells(columns))


def resource_csv_cells(columns: ResourceColumns) -> list[list[Any]]:
    """Each column's cells as the csv writer is handed them (:func:`csv_cells`): the staging
    keeps them, so that the schema proof can read the cells without reading the file back."""
    fields = field_dictionary()
    return [csv_cells(values, fields[name]["type"]) for name, values in zip(columns.names, columns.values, strict=True)]


def csv_file_bytes(header: list[str], cells: list[list[Any]]) -> bytes:
    """The CSV file of a header and its columns' cells (one list per column), UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue().encode("utf-8")


def csv_rows(rows: Iterable[dict[str, Any]], names: list[str]) -> Iterator[list[str]]:
    """Each row's cells as :func:`csv_text` writes them, in ``names`` order.

    The same text as ``[csv_text(row.get(n), field) for n in names]`` with fewer calls (issue 14:
    5.8 million cells on the corpora): a ``str`` value of a field that is not boolean is its own
    text, so only the other values go through a function, chosen once per field.
    """
    fields = field_dictionary()
    texts = [boolean_cell_text if fields[n]["type"] == "boolean" else cell_text for n in names]
    for row in rows:
        yield [v if v.__class__ is str and text is cell_text else text(v) for v, text in zip(map(row.get, names), texts, strict=True)]


# keys of a field descriptor that document it and play no part in validating a value
DOCUMENTATION_KEYS = frozenset({"title", "title_zh", "description", "description_zh", "columnType"})


def frictionless_field(name: str) -> dict[str, Any]:
    spec = field_dictionary()[name]
    field: dict[str, Any] = {"name": name, "type": spec["type"]}
    for key in ("title", "title_zh", "description", "description_zh", "columnType", "constraints"):
        if key in spec:
            field[key] = spec[key]
    if spec.get("decimal"):
        field["decimal"] = True
    return field


def table_schema(spec: dict[str, Any], names_only: bool = False) -> dict[str, Any]:
    """The Table Schema of a resource: its fields, primary key and foreign keys.

    ``names_only`` leaves out what does not take part in validating the rows (titles,
    descriptions, columnType): the validation builds its Frictionless schema from this
    leaner descriptor, which Frictionless copies for every field each time it opens a file.
    """
    fields = [frictionless_field(n) for n in spec["fields"]]
    if names_only:
        fields = [{k: v for k, v in f.items() if k not in DOCUMENTATION_KEYS} for f in fields]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": spec["primary_key"]}
    if spec.get("foreign_keys"):
        schema["foreignKeys"] = [
            {"fields": fk["fields"], "reference": {"resource": fk["resource"], "fields": fk["reference"]}} for fk in spec["foreign_keys"]
        ]
    return schema
