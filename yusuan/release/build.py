"""Build ``<output>/release/`` from the packages of an output folder, incrementally and atomically.

The new release is written into a staging folder beside the old one and swapped in whole
(:func:`yusuan.core.atomic.staged_folder`), under the output folder's lock, so a reader sees either
the old release or the new one, never a mix, and a failed build leaves the old one untouched.

Incremental: ``state.json`` records each publication's package hash and Parquet parts. A
publication whose package hash is unchanged is not read: its parts are hard-linked from the
old release and its rows stay in the copied database. A new or changed package is read and
its parts written; a changed or removed one has its rows deleted first. A change of the
release's schema (fields, tables, headline rules, format version) rebuilds everything.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from yusuan import __version__
from yusuan.core.atomic import staged_folder
from yusuan.core.output_lock import output_lock
from yusuan.core.schemas import codelist_path, release_schema
from yusuan.release import database, descriptor, dictionary
from yusuan.release.headline import headline_rows
from yusuan.release.packages import (
    PackageRef,
    ReleaseInputError,
    find_packages,
    open_package,
    read_resource,
)
from yusuan.release.tables import (
    YEAR,
    ReleaseTable,
    all_fields,
    conform,
    release_tables,
    table_named,
)

RELEASE_DIR = "release"
STATE_FILE = "state.json"
PARQUET_DIR = "parquet"
# Bump when the way parts are derived changes without a schema change (forces a full build).
RELEASE_FORMAT = 1
HEADLINE_INPUT = ("table_sequence", "row_number", "column_number", "table_id", "row_role", "side", "measure", "period", "phase", "item_name", "amount_yuan", "is_blank", "file_name", "sha256", "page")


@dataclass
class ReleaseSummary:
    folder: Path
    publications: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    full_build: bool = False

    def line(self) -> str:
        how = "full build" if self.full_build else "incremental"
        return (
            f"release written to {self.folder} ({how}): {self.publications} publications, {len(self.added)} added, "
            f"{len(self.changed)} changed, {len(self.removed)} removed, {self.unchanged} unchanged; "
            f"database {self.folder / database.DATABASE_FILE}"
        )


def schema_fingerprint() -> str:
    """Changes whenever the release's tables, fields, rules, reference code lists or format change."""
    shape = [(t.name, t.kind, t.columns, [str(f.type) for f in t.arrow_schema()]) for t in release_tables()]
    lists = {t.name: hashlib.sha256(path.read_bytes()).hexdigest() for t in release_tables() if (path := _reference_file(t))}
    text = json.dumps([RELEASE_FORMAT, __version__, shape, lists, release_schema()], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_release(output_dir: Path, *, full: bool = False) -> ReleaseSummary:
    """Write ``<output_dir>/release/`` from every package of ``output_dir``."""
    output_dir = Path(output_dir)
    dictionary.check_labels()
    with output_lock(output_dir):
        target = output_dir / RELEASE_DIR
        previous = None if full else _read_state(target)
        summary = ReleaseSummary(target, full_build=previous is None)
        packages = find_packages(output_dir)
        if previous is not None and _unchanged(previous, packages):
            summary.publications = summary.unchanged = len(packages)
            return summary  # nothing to do: the release on disk is this one
        with staged_folder(target) as staging:
            _build(staging, target, packages, previous, summary)
    return summary


def _unchanged(previous: dict[str, Any], packages: list[PackageRef]) -> bool:
    known = previous.get("publications", {})
    return len(known) == len(packages) and all(known.get(p.document_id, {}).get("hash") == p.content_hash for p in packages)


def _read_state(target: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((target / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("schema") != schema_fingerprint() or not (target / database.DATABASE_FILE).is_file():
        return None
    return state


def _build(staging: Path, target: Path, packages: list[PackageRef], previous: dict[str, Any] | None, summary: ReleaseSummary) -> None:
    known = (previous or {}).get("publications", {})
    current = {p.document_id for p in packages}
    publications: dict[str, Any] = {}
    to_read = []
    for package in packages:
        entry = known.get(package.document_id)
        if entry and entry["hash"] == package.content_hash:
            _link_parts(target, staging, entry["parts"].values())
            publications[package.document_id] = entry
            summary.unchanged += 1
        else:
            (summary.changed if entry else summary.added).append(package.document_id)
            to_read.append(package)
    summary.removed = sorted(set(known) - current)
    summary.publications = len(packages)
    if previous is not None:
        shutil.copyfile(target / database.DATABASE_FILE, staging / database.DATABASE_FILE)
    con = duckdb.connect(str(staging / database.DATABASE_FILE))
    try:
        database.create_tables(con)
        database.delete_publications(con, [*summary.changed, *summary.removed])
        new_parts: dict[str, list[Path]] = {}
        for package in to_read:
            publications[package.document_id] = _write_publication(con, package, staging, new_parts)
        for table in release_tables():
            if table.kind == "publication":
                database.insert_parts(con, table, new_parts.get(table.name, []))
        _write_shared_tables(con, staging)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    state = {"schema": schema_fingerprint(), "publications": dict(sorted(publications.items()))}
    (staging / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    descriptor.write_descriptor(staging, state["publications"])


def _link_parts(target: Path, staging: Path, parts: Any) -> None:
    """Unchanged parts move to the new release as hard links (a copy where links fail)."""
    for relative in parts:
        destination = staging / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(target / relative, destination)
        except OSError:
            shutil.copyfile(target / relative, destination)


def _write_publication(con: duckdb.DuckDBPyConnection, ref: PackageRef, staging: Path, new_parts: dict[str, list[Path]]) -> dict[str, Any]:
    """Read one package, write its parts, queue its code-list additions; returns its state entry."""
    package = open_package(ref)
    parts: dict[str, str] = {}
    tables: dict[str, pa.Table] = {}
    for table in release_tables():
        if table.kind == "dictionary" or table.name == "headline_figures":
            continue
        rows = read_resource(package, table.name)
        if rows is None:
            continue
        if "document_id" in rows.column_names and set(pc.unique(rows["document_id"]).to_pylist()) - {ref.document_id}:
            raise ReleaseInputError(f"{ref.folder}: rows of {table.name} belong to another document_id than the folder name {ref.document_id}")
        if table.kind == "codelist":
            if _reference_file(table):
                database.insert_added_codes(con, table, _added_codes(table, rows, ref.document_id))
            else:
                database.add_codelist_rows(con, table, conform(rows, table.arrow_schema()))
            continue
        tables[table.name] = conform(rows, table.arrow_schema(table.part_columns))
    tables["headline_figures"] = _headline(ref.document_id, package.fiscal_year, tables)
    for name, rows in tables.items():
        if rows.num_rows == 0:
            continue
        relative = Path(PARQUET_DIR) / name / f"{YEAR}={package.fiscal_year}" / f"{ref.document_id}.parquet"
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows, path, compression="zstd")
        parts[name] = relative.as_posix()
        new_parts.setdefault(name, []).append(path)
    return {"hash": ref.content_hash, "fiscal_year": package.fiscal_year, "parts": parts}


def _headline(document_id: str, fiscal_year: int, tables: dict[str, pa.Table]) -> pa.Table:
    amounts = tables.get("amounts")
    figures = tables.get("narrative_figures")
    amount_rows = amounts.select(list(HEADLINE_INPUT)).to_pylist() if amounts is not None else []
    figure_rows = figures.to_pylist() if figures is not None else []
    headline = table_named("headline_figures")
    rows = headline_rows(document_id, fiscal_year, amount_rows, figure_rows)
    return pa.Table.from_pylist(rows, schema=headline.arrow_schema()).select(list(headline.part_columns))


def _added_codes(table: ReleaseTable, rows: pa.Table, document_id: str) -> pa.Table:
    """The rows of a package's code list that the reference list lacks (name_source document)."""
    rows = conform(rows, table.arrow_schema())
    if "name_source" in rows.column_names:
        rows = rows.filter(pc.equal(rows["name_source"], "document"))
    ids = pa.array([document_id] * rows.num_rows, pa.string())
    return rows.add_column(0, "document_id", ids)


def _write_shared_tables(con: duckdb.DuckDBPyConnection, staging: Path) -> None:
    """Code lists (one copy) and the data dictionary, rebuilt on every build (small)."""
    generated = {"dictionary_tables": dictionary.table_rows, "dictionary_fields": dictionary.field_rows, "dictionary_values": dictionary.value_rows}
    for table in release_tables():
        if table.kind == "codelist" and _reference_file(table):
            rows = database.rebuild_codelist(con, table, _reference_rows(table))
        elif table.kind == "codelist":
            rows = con.sql(f"SELECT * FROM {database.quoted(table.name)} ORDER BY ALL").to_arrow_table()
        elif table.kind == "dictionary":
            rows = pa.Table.from_pylist(generated[table.name](), schema=table.arrow_schema())
            database.replace_rows(con, table, rows)
        else:
            continue
        path = staging / PARQUET_DIR / table.name / f"{table.name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(conform(rows, table.arrow_schema()), path, compression="zstd")


def _reference_file(table: ReleaseTable) -> Path | None:
    """The compiled list of schemas/codelists/ a code list starts from, if it has one."""
    name = table.spec.get("codelist")
    path = codelist_path(name) if name else None
    return path if path is not None and path.is_file() else None


def _reference_rows(table: ReleaseTable) -> pa.Table:
    """The compiled code list of schemas/codelists/ in the release's types."""
    schema = table.arrow_schema()
    fields = all_fields()
    with codelist_path(table.spec["codelist"]).open(encoding="utf-8", newline="") as handle:
        rows = [{n: _typed(row.get(n, ""), fields[n]) for n in table.columns} | ({"name_source": "reference"} if "name_source" in table.columns else {}) for row in csv.DictReader(handle)]
    return pa.Table.from_pylist(rows, schema=schema)


def _typed(text: str | None, spec: dict[str, Any]) -> Any:
    if spec["type"] == "string":
        return text or ""
    if not text:
        return None
    if spec["type"] == "integer":
        return int(text)
    if spec["type"] == "number":
        return Decimal(text)
    if spec["type"] == "boolean":
        return text.strip().lower() in ("true", "1", "yes")
    return text
