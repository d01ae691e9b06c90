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
    CSV_AS_IS,
    ResourceColumns,
    boolean_cell_text,
    cell_text,
    classes_of,
    column_classes,
    csv_bytes,
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
    classes = classes_of(columns)
    return [csv_cells(values, fields[name]["type"], kinds) for name, values, kinds in zip(columns.names, columns.values, classes, strict=True)]


def csv_file_bytes(header: list[str], cells: list[list[Any]]) -> bytes:
    """The CSV file of a header and its columns' cells (one list per column), UTF-8: what
    ``csv.writer`` (comma, ``"``, minimal quoting, ``"\n"``) writes of them, made in C
    (:func:`~yusuan.core.resource_columns.csv_bytes`, the bytes of :func:`joined_csv_text`
    written straight from the cells) or by :func:`joined_csv_text` where it can, else by the
    writer itself."""
    data = csv_bytes(header, cells)
    if data is not None:
        return data
    text = joined_csv_text(header, cells)
    if text is None:
        text = writer_csv_text(header, cells)
    return text.encode("utf-8")


def writer_csv_text(header: list[str], cells: list[list[Any]]) -> str:
    """``csv.writer``'s text of the header and the rows of ``cells`` (the oracle)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


def joined_csv_text(header: list[str], cells: list[list[Any]]) -> str | None:
    """:func:`writer_csv_text` made by joining each row's cell texts with commas and the rows
    with line feeds (issue 14: the writer's per-cell work, done a column at a time in C).

    What ``csv.writer`` does with this dialect, and why the join is the same text: each cell
    is written as ``str()`` of it (``None`` as ``""``), and quoted (in ``"``, its quotes
    doubled) exactly when it holds a comma, a ``"`` or a line feed (the dialect's delimiter,
    quote character and line terminator; no escape character), which :func:`_column_texts`
    does per column; cells are joined by the delimiter and rows ended by ``"\n"``. The one
    other rule, a row whose whole text is empty written as ``""``, can only apply to a row of
    one cell: a table of fewer than two columns is left to the writer. So are columns with a
    cell of another class than ``str``, ``int`` or ``None`` (``float``, ``bool``, subclasses:
    their text is theirs to give), a carriage return or a NUL (rules that changed between
    Python releases). None: left to the writer."""
    if len(header) < 2 or len(cells) != len(header):
        return None
    columns = [_column_texts(column) for column in (header, *cells)]
    if any(column is None for column in columns):
        return None
    head, *body = columns
    rows = len(body[0])
    if any(len(column) != rows for column in body):
        return None  # the writer's strict zip raises: left to it
    lines = [",".join(head), *map(",".join, zip(*body, strict=True)), ""]
    return "\n".join(lines)


QUOTED_BY_WRITER = (",", '"', "\n")  # a cell holding one of these is quoted (QUOTE_MINIMAL)
LEFT_TO_WRITER = ("\r", "\0")


def _column_texts(cells: list[Any]) -> list[str] | None:
    """The texts ``csv.writer`` writes of a column's cells, or None (left to the writer)."""
    kinds = column_classes(cells)
    if kinds <= {str}:
        texts = cells
    elif kinds <= CSV_AS_IS:
        texts = ["" if cell is None else cell if cell.__class__ is str else str(cell) for cell in cells]
    else:
        return None
    joined = "".join(texts)
    if any(mark in joined for mark in LEFT_TO_WRITER):
        return None
    if any(mark in joined for mark in QUOTED_BY_WRITER):
        return list(map(_writer_cell, texts))
    return texts


def _writer_cell(text: str) -> str:
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


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
