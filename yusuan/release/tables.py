"""The tables of the release and their Arrow schemas, all from ``schemas/``.

Every package resource with a ``document_id`` becomes a per-publication table (Parquet parts
partitioned by fiscal year); a resource without one is a code list, of which the release keeps
one copy. The release adds its own tables (headline figures, data dictionary) from
``schemas/release.yaml``. Field types come from the field dictionary, so money is
``decimal128`` in Parquet and ``DECIMAL`` in DuckDB, never a binary float.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa

from yusuan.core.errors import SchemaError
from yusuan.core.schemas import field_dictionary, release_schema, resource_specs
from yusuan.package.writer import arrow_type

YEAR = "fiscal_year"
DICTIONARY_TABLES = ("dictionary_tables", "dictionary_fields", "dictionary_values")


@dataclass(frozen=True)
class ReleaseTable:
    """One table of the release.

    ``kind`` is ``publication`` (rows per publication, Parquet parts by fiscal year),
    ``codelist`` (one copy for all publications) or ``dictionary`` (generated from schemas/).
    """

    name: str
    kind: str
    fields: tuple[str, ...]
    spec: dict[str, Any]

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns in DuckDB: per-publication tables always carry the fiscal year."""
        if self.kind != "publication" or YEAR in self.fields:
            return self.fields
        return (self.fields[0], YEAR, *self.fields[1:])

    @property
    def part_columns(self) -> tuple[str, ...]:
        """Columns of a Parquet part: the fiscal year is the partition folder, not a column,
        so that pandas and pyarrow read the partitioned folder without a type clash."""
        return tuple(c for c in self.columns if c != YEAR) if self.kind == "publication" else self.columns

    def arrow_schema(self, columns: tuple[str, ...] | None = None) -> pa.Schema:
        fields = all_fields()
        return pa.schema([pa.field(n, arrow_type(fields[n])) for n in (columns or self.columns)])


@cache
def all_fields() -> dict[str, dict[str, Any]]:
    """fields.yaml and the release's own fields; a release field may not redefine a package field."""
    package_fields = field_dictionary()
    extra = release_schema()["fields"]
    clash = sorted(set(extra) & set(package_fields))
    if clash:
        raise SchemaError(f"release.yaml redefines fields of fields.yaml: {clash}")
    return {**package_fields, **extra}


@cache
def release_tables() -> tuple[ReleaseTable, ...]:
    tables = []
    for spec in resource_specs():
        kind = "publication" if "document_id" in spec["fields"] else "codelist"
        tables.append(ReleaseTable(spec["name"], kind, tuple(spec["fields"]), spec))
    fields = all_fields()
    for spec in release_schema()["tables"]:
        missing = [f for f in spec["fields"] if f not in fields]
        if missing:
            raise SchemaError(f"release.yaml: table {spec['name']} uses undefined fields {missing}")
        kind = "dictionary" if spec["name"] in DICTIONARY_TABLES else "publication"
        tables.append(ReleaseTable(spec["name"], kind, tuple(spec["fields"]), spec))
    return tuple(tables)


def table_named(name: str) -> ReleaseTable:
    return next(t for t in release_tables() if t.name == name)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly the columns of ``schema``: a column a package lacks (written by an
    older yusuan) is null, a column the release does not know is left out, and a type that
    differs is cast (an exact decimal cast; a lossy one is an error, never a rounding)."""
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table[field.name]
            columns.append(column if column.type == field.type else column.cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)
