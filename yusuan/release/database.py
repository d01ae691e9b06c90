"""The release's DuckDB database: the same tables as the Parquet parts, stored in the file.

Tables are created from the release's Arrow schemas, so money columns are ``DECIMAL``. Rows of
a publication are inserted from its Parquet parts (``fiscal_year`` comes from the partition
folder) and deleted by ``document_id`` when the publication changes or goes, which is what
makes adding one publication cheap. Code lists are kept once: the reference list plus the
codes documents print that it lacks (first document by id wins), rebuilt from a per-document
side table ``_added_<code list>`` on every build. A code list without a reference file (built
by the pipeline, identical in every package) keeps the union of the packages' rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from yusuan.release.tables import ReleaseTable, release_tables

DATABASE_FILE = "yusuan.duckdb"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def added_table(table: ReleaseTable) -> str:
    """Side table of the codes documents add to a code list (with their document_id)."""
    return f"_added_{table.name}"


def added_schema(table: ReleaseTable) -> pa.Schema:
    return pa.schema([pa.field("document_id", pa.string()), *table.arrow_schema()])


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of the release, empty, unless it exists already."""
    for table in release_tables():
        _create(con, table.name, table.arrow_schema())
        if table.kind == "codelist":
            _create(con, added_table(table), added_schema(table))


def _create(con: duckdb.DuckDBPyConnection, name: str, schema: pa.Schema) -> None:
    empty = schema.empty_table()  # noqa: F841 - read by DuckDB by its name
    con.execute(f"CREATE TABLE IF NOT EXISTS {quoted(name)} AS SELECT * FROM empty")


def delete_publications(con: duckdb.DuckDBPyConnection, document_ids: Iterable[str]) -> None:
    ids = sorted(set(document_ids))
    if not ids:
        return
    for table in release_tables():
        name = added_table(table) if table.kind == "codelist" else table.name
        if table.kind != "dictionary":
            con.execute(f"DELETE FROM {quoted(name)} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])


def insert_parts(con: duckdb.DuckDBPyConnection, table: ReleaseTable, files: list[Path]) -> None:
    """Rows of the given Parquet parts; fiscal_year is read from the partition folder."""
    if files:
        con.execute(
            f"INSERT INTO {quoted(table.name)} BY NAME SELECT * FROM read_parquet(?::VARCHAR[], hive_partitioning = true)",
            [[str(f) for f in files]],
        )


def insert_added_codes(con: duckdb.DuckDBPyConnection, table: ReleaseTable, rows: pa.Table) -> None:
    if rows.num_rows:
        con.execute(f"INSERT INTO {quoted(added_table(table))} BY NAME SELECT * FROM rows")


def rebuild_codelist(con: duckdb.DuckDBPyConnection, table: ReleaseTable, reference: pa.Table) -> pa.Table:
    """One copy of a code list: the reference rows, then each key documents add (once, the
    first document by id wins)."""
    name, added = quoted(table.name), quoted(added_table(table))
    columns = ", ".join(quoted(c) for c in table.columns)
    key = ", ".join(quoted(c) for c in table.spec["primary_key"])
    con.execute(f"DELETE FROM {name}")
    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM reference")
    con.execute(
        f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {added} WHERE ({key}) NOT IN (SELECT ({key}) FROM {name}) "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY document_id) = 1"
    )
    return con.sql(f"SELECT * FROM {name} ORDER BY {key}").to_arrow_table()


def add_codelist_rows(con: duckdb.DuckDBPyConnection, table: ReleaseTable, rows: pa.Table) -> None:
    """For a code list without a reference file: the package's rows whose key is not there yet
    (every package carries the same list; keeping one copy costs one small insert)."""
    if not rows.num_rows:
        return
    name = quoted(table.name)
    key = ", ".join(quoted(c) for c in table.spec["primary_key"])
    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM rows WHERE ({key}) NOT IN (SELECT ({key}) FROM {name})")


def replace_rows(con: duckdb.DuckDBPyConnection, table: ReleaseTable, rows: pa.Table) -> None:
    """All rows of a table generated on each build (the data dictionary)."""
    con.execute(f"DELETE FROM {quoted(table.name)}")
    con.execute(f"INSERT INTO {quoted(table.name)} BY NAME SELECT * FROM rows")
