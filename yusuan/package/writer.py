"""Resource rows -> a Frictionless data package on disk: CSV (the csv module) and Parquet (pyarrow)
for every resource, and a bilingual datapackage.json.

The package is written to a temporary folder beside its target and moved into place only
when complete, so a failing run never leaves a half-written or half-replaced package.
Output is byte-for-byte reproducible: no timestamps, fixed row and field order.

Each resource's CSV is written once, into that staging folder, and Frictionless validates
those files (yusuan/package/staged_validation.py): what is validated is what is published.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from yusuan import __version__
from yusuan.checks.quality import REPORT_FILE, quality_report_markdown
from yusuan.core.atomic import staged_folder
from yusuan.core.collector import heap_frozen
from yusuan.core.errors import YusuanError
from yusuan.core.ids import document_id_problem
from yusuan.core.names import issuer_english, region_english, region_lead
from yusuan.core.resource_columns import (
    ResourceColumns,
    arrow_values,
    classes_of,
    int64_buffers,
    native_enabled,
    resource_columns,
    utf8_buffers,
)
from yusuan.core.resource_format import table_schema, write_csv
from yusuan.core.schemas import field_dictionary, package_metadata, resource_specs
from yusuan.package.parquet_memo import MEMO as PARQUET_MEMO
from yusuan.package.parquet_memo import SharedRowsMemo
from yusuan.package.process import DocumentResult
from yusuan.package.staged_validation import StagedCsv, stage_and_validate, write_new_file

__all__ = ["PublishBlockedError", "arrow_type", "package_descriptor", "publish_package", "write_csv", "write_package", "write_resource"]

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_()}
DEFAULT_SCALE = 6
# the Parquet bytes of rows shared by every package (SharedRows), by their identity
SHARED_PARQUET = SharedRowsMemo()


class PublishBlockedError(YusuanError):
    """A document with a structural error is not written; ``result`` has all its checks."""

    def __init__(self, message: str, result: DocumentResult | None = None):
        super().__init__(message)
        self.result = result


def arrow_type(field: dict[str, Any]) -> pa.DataType:
    if field["type"] == "number":
        return pa.decimal128(28, field.get("scale", DEFAULT_SCALE))
    return ARROW_TYPES[field["type"]]


def write_resource(rows: list[dict[str, Any]], spec: dict[str, Any], folder: Path, staged: StagedCsv) -> dict[str, Any]:
    """The resource's Parquet file beside its staged (and validated) CSV; its descriptor.

    The Parquet columns are made from the values the CSV was staged from (``staged.columns``,
    when taken from these very rows), and the file is hashed as it is written. Its bytes are
    those written before in the process of the same shared rows (:data:`SHARED_PARQUET`: the
    very object, which no one can change) or of a table with the same values
    (yusuan/package/parquet_memo.py)."""
    names = spec["fields"]
    made = resource_schemas(spec)
    schema, schema_text = made.arrow, made.arrow_text

    def write() -> pa.Buffer:
        columns = staged.columns if staged.columns is not None and staged.columns.of(rows, names) else resource_columns(rows, names)
        return PARQUET_MEMO.made((spec["name"], schema_text, staged.sha256), columns.values, lambda: parquet_bytes(columns, schema))

    parquet = SHARED_PARQUET.made((spec["name"], schema_text), rows, write)
    parquet_path = folder / f"{spec['name']}.parquet"
    write_new_file(parquet_path, parquet)
    return {
        "name": spec["name"],
        "type": "table",
        "path": staged.path.name,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": spec["title"],
        "title_zh": spec["title_zh"],
        "description": spec["description"],
        "description_zh": spec["description_zh"],
        "hash": "sha256:" + staged.sha256,
        "bytes": staged.bytes,
        "schema": made.table,
        "parquet": {"path": parquet_path.name, "mediatype": "application/vnd.apache.parquet", "hash": "sha256:" + hashlib.sha256(parquet).hexdigest(), "bytes": parquet.size},
    }


@dataclass(frozen=True)
class ResourceSchemas:
    """What a resource's files are written in, made of its spec and the field dictionary: its
    Arrow schema and that schema's text (the Parquet memos' key), and its Table Schema (the
    descriptor's ``schema``) with that schema's indented JSON by depth (:func:`schema_json`)."""

    spec: dict[str, Any]
    fields: dict[str, Any]
    arrow: pa.Schema
    arrow_text: str
    table: dict[str, Any]
    texts: dict[int, str] = dataclasses.field(default_factory=dict)


RESOURCE_SCHEMAS: dict[int, ResourceSchemas] = {}  # by the spec's id (the spec kept in it)
TABLE_SCHEMAS: dict[int, ResourceSchemas] = {}  # by the Table Schema's id (kept in it)
RESOURCE_SCHEMAS_KEPT = 64
_schemas_lock = threading.Lock()  # packages are written from several threads (flows/ingest.py)


def resource_schemas(spec: dict[str, Any]) -> ResourceSchemas:
    """A resource's schemas, made once per process and spec (issue 14: they are the same in
    every package; about 0.1–0.2 s a pass made 1,440 times), as the validation's Frictionless
    schemas are (``schema_validation._schema``): ``schemas/`` are read once per process
    (:func:`~yusuan.core.schemas.resource_specs`, :func:`~yusuan.core.schemas.field_dictionary`
    are cached) and not changed. They are looked up by the very spec and field dictionary
    objects (kept, so their ids are not reused); another spec object, or another field
    dictionary, makes them anew. What is made is shared by every package: it must not be
    changed."""
    fields = field_dictionary()
    made = RESOURCE_SCHEMAS.get(id(spec))
    if made is not None and made.spec is spec and made.fields is fields:
        return made
    arrow = pa.schema([pa.field(n, arrow_type(fields[n])) for n in spec["fields"]])
    made = ResourceSchemas(spec, fields, arrow, arrow.to_string(), table_schema(spec))
    with _schemas_lock:
        if len(RESOURCE_SCHEMAS) >= RESOURCE_SCHEMAS_KEPT:
            RESOURCE_SCHEMAS.clear()
            TABLE_SCHEMAS.clear()
        RESOURCE_SCHEMAS[id(spec)] = made
        TABLE_SCHEMAS[id(made.table)] = made
    return made


def parquet_bytes(columns: ResourceColumns, schema: pa.Schema) -> pa.Buffer:
    """The Parquet file (zstd) of a resource's columns in ``schema``'s Arrow types."""
    fields = field_dictionary()
    native = native_enabled()  # read once per table, not per string column (it reads the environment)
    arrays = [
        arrow_array(values, fields[name]["type"], field.type, native, classes)
        for name, values, field, classes in zip(columns.names, columns.values, schema, classes_of(columns), strict=True)
    ]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), sink, compression="zstd")
    return sink.getvalue()


def arrow_array(values: list[Any], field_type: str, data_type: pa.DataType, native: bool | None = None, classes: set[type] | None = None) -> pa.Array:
    """A field's Parquet column: ``pa.array`` of its :func:`arrow_values` (what
    ``Table.from_arrays`` makes of the list), a string column's built from buffers made in C
    where it can be (:func:`string_array`; ``native``: whether the extension is on, as the
    caller read it; ``classes``: the values' classes where known)."""
    if field_type == "string" and data_type == pa.string():
        return string_array(values, native)
    if field_type == "integer" and classes is not None and classes <= INTEGER_CELLS and data_type == pa.int64():
        return integer_array(values, native)
    return pa.array(arrow_values(values, field_type, classes), type=data_type)


INTEGER_CELLS = frozenset({int, type(None)})  # the classes an integer field's column takes as they are


def integer_array(values: list[Any], native: bool | None = None) -> pa.Array:
    """``pa.array(values, type=pa.int64())`` of a list of exact ``int`` and None, the same
    array, made from the buffers :func:`~yusuan.core.resource_columns.int64_buffers` builds in
    C (issue 14: pyarrow's conversion takes each value through its Python-object loop); left to
    ``pa.array`` where the C loop leaves it (an int beyond 64 bits: pyarrow raises)."""
    buffers = int64_buffers(values, native)
    if buffers is None:
        return pa.array(values, type=pa.int64())
    data, validity, nulls = buffers
    return pa.Array.from_buffers(pa.int64(), len(values), [None if validity is None else pa.py_buffer(validity), pa.py_buffer(data)], nulls)


def string_array(values: list[Any], native: bool | None = None) -> pa.Array:
    """``pa.array(values, type=pa.string())``, the same array, made from the buffers
    :func:`~yusuan.core.resource_columns.utf8_buffers` builds in C: pyarrow keeps a UTF-8 copy
    on every non-ASCII string it converts, which was most of the Parquet conversion's CPU
    (issue 14); the C loop writes each value's UTF-8 straight into one buffer. ``native``:
    whether the extension is on (read here when not given)."""
    buffers = utf8_buffers(values, native)
    if buffers is None:
        return pa.array(values, type=pa.string())
    offsets, data, validity, nulls = buffers
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data), None if validity is None else pa.py_buffer(validity), nulls)


def arrow_column(rows: list[dict[str, Any]], name: str, field: dict[str, Any]) -> list[Any]:
    """A field's values for its Parquet column, as ``Table.from_pylist`` would take them from
    one dict per row (it builds these very lists: the same table, the same bytes), without
    building a dict per row (issue 14). A string field's values are taken as they are."""
    return arrow_values([row.get(name) for row in rows], field["type"])


def _arrow_value(value: Any, field: dict[str, Any]) -> Any:
    if value is None or value == "" and field["type"] != "string":
        return None
    if field["type"] == "number" and not isinstance(value, Decimal):
        return Decimal(str(value))
    return value


def package_descriptor(result: DocumentResult, resources: list[dict[str, Any]]) -> dict[str, Any]:
    meta = package_metadata()
    doc = result.document
    values = {
        "document_id": doc.document_id, "issuer": doc.issuer, "fiscal_year": doc.fiscal_year,
        "kind": doc.kind, "kind_en": meta["kind_en"][doc.kind], "region": doc.region,
        "issuer_en": issuer_english(doc.issuer).en, "region_en": region_english(doc.region).en,
        "region_lead": region_lead(doc.region, doc.issuer),
    }
    return {
        "$schema": "https://datapackage.org/profiles/1.0/datapackage.json",
        "name": meta["name"].format(**values),
        "title": meta["title"].format(**values),
        "title_zh": meta["title_zh"].format(**values),
        "description": meta["description"].format(**values),
        "description_zh": meta["description_zh"].format(**values),
        "version": __version__,
        "languages": meta["languages"],
        "country": meta["country"],
        "country_name": meta["country_name"],
        "region": doc.region,
        "issuer": doc.issuer,
        "fiscal_year": doc.fiscal_year,
        "fiscalPeriod": {"start": f"{doc.fiscal_year}-01-01", "end": f"{doc.fiscal_year}-12-31"},
        "kind": doc.kind,
        "kind_id": meta["kind_id"][doc.kind],
        "quality_status": result.quality_status,
        "check_summary": result.summary(),
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "sources": [
            {"title": f.name, "path": f.url or doc.source or f.name, "role": f.role, "sha256": f.sha256} for f in doc.files
        ],
        "contributors": [{"title": "yusuan", "role": "wrangler"}],
        "resources": resources,
    }


def write_package(result: DocumentResult, output_dir: Path) -> Path:
    """Write the package to output_dir/<document_id>/ atomically; refuse blocked documents."""
    return publish_package(result, output_dir)[0]


def publish_package(result: DocumentResult, output_dir: Path) -> tuple[Path, DocumentResult]:
    """Write the package (see write_package); returns its folder and the result completed with
    the package's validation (Frictionless, on the staged CSVs), whose ``summary()`` is the
    published one. A package found invalid is blocked: PublishBlockedError, with that result.
    """
    doc_id = result.document.document_id
    problem = document_id_problem(doc_id)
    if problem:
        raise YusuanError(f"{doc_id!r}: not written: {problem}")
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / doc_id
    if target.resolve().parent != output_dir.resolve():  # a symbolic link planted in the output
        raise YusuanError(f"{target}: not written: it leads outside the output folder {output_dir}")
    with heap_frozen(), staged_folder(target) as staging:
        completed, staged = stage_and_validate(result, staging)
        if completed.is_blocked:
            raise blocked_error(completed)
        descriptors = [write_resource(completed.resources[spec["name"]], spec, staging, staged[spec["name"]]) for spec in resource_specs()]
        descriptor = package_descriptor(completed, descriptors)
        descriptor["quality_report"] = write_quality_report(completed, staging)
        write_new_file(staging / "datapackage.json", (descriptor_json(descriptor) + "\n").encode("utf-8"))
    return target, completed


def descriptor_json(descriptor: dict[str, Any]) -> str:
    """``json.dumps(descriptor, ensure_ascii=False, indent=2)``, the same text, with each
    resource's Table Schema (nine tenths of the text, the same in every package) indented once
    per process (:func:`schema_json`): with an indent, ``json`` encodes in Python, about 4 ms a
    package (issue 14).

    Why it is the same text: with ``indent=2`` the encoder writes a non-empty dict as ``{``,
    then each ``key: value`` on a line of its own, indented two spaces deeper than the dict and
    separated by ``,``, then ``}`` on a line at the dict's own depth (a list alike, with ``[]``
    and ``{}`` for empty ones); a value nested ``level`` deep is written as it is written alone,
    with ``level`` more indents after every line feed (a line feed inside a string is escaped,
    so every line feed of the text is the encoder's own). Dicts whose keys are not all ``str``
    (which the encoder converts) are encoded whole by ``json``."""
    return _dict_json(descriptor, 0, {"resources": _resources_json})


INDENT = "  "


def _json(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(..., indent=2)`` writes it ``level`` deep in a document: a
    ``str``, an ``int``, a bool or None written here as the encoder writes them (its
    ``encode_basestring``, ``int.__repr__``), a dict by :func:`_dict_json`, the rest by ``json``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        return _dict_json(value, level, {})
    return _nested(json.dumps(value, ensure_ascii=False, indent=2), level)


def _dict_json(value: Any, level: int, nested: dict[str, Any]) -> str:
    """A dict ``level`` deep, the values of the keys of ``nested`` written by their function."""
    if type(value) is not dict or not value or not all(type(key) is str for key in value):
        return _nested(json.dumps(value, ensure_ascii=False, indent=2), level)
    inner = "\n" + INDENT * (level + 1)
    items = [f"{encode_basestring(key)}: {nested[key](item, level + 1) if key in nested else _json(item, level + 1)}" for key, item in value.items()]
    return "{" + inner + ("," + inner).join(items) + "\n" + INDENT * level + "}"


def _resources_json(value: Any, level: int) -> str:
    """The list of resource descriptors ``level`` deep, each one's schema by :func:`schema_json`."""
    if type(value) is not list or not value:
        return _json(value, level)
    inner = "\n" + INDENT * (level + 1)
    items = [_dict_json(item, level + 1, {"schema": schema_json}) for item in value]
    return "[" + inner + ("," + inner).join(items) + "\n" + INDENT * level + "]"


SCHEMA_TEXTS: dict[str, str] = {}  # a Table Schema's compact JSON -> its indented JSON
SCHEMA_TEXTS_KEPT = 64


def schema_json(schema: Any, level: int) -> str:
    """A Table Schema ``level`` deep (:func:`_json`), its indented text made once per process
    and kept under its compact JSON (written by ``json``'s C encoder, twenty times faster).
    The compact text names every value's text and the nesting, so two schemas of one compact
    text have one indented text (a ``True`` and a ``1``, equal as values, are not confused).

    The Table Schema of a :class:`ResourceSchemas` (the very object, which is not changed) has
    its text at each depth kept with it, and is not encoded again (issue 14)."""
    made = TABLE_SCHEMAS.get(id(schema))
    if made is not None and made.table is schema:
        text = made.texts.get(level)
        if text is None:
            text = made.texts[level] = _nested(json.dumps(schema, ensure_ascii=False, indent=2), level)
        return text
    compact = json.dumps(schema, ensure_ascii=False)
    text = SCHEMA_TEXTS.get(compact)
    if text is None:
        text = json.dumps(schema, ensure_ascii=False, indent=2)
        if len(SCHEMA_TEXTS) >= SCHEMA_TEXTS_KEPT:
            SCHEMA_TEXTS.clear()
        SCHEMA_TEXTS[compact] = text
    return _nested(text, level)


def _nested(text: str, level: int) -> str:
    """Indented JSON text as it stands ``level`` deep in a document: ``level`` indents more
    after every line feed (every line feed of such text is the encoder's own)."""
    return text.replace("\n", "\n" + INDENT * level) if level else text


def blocked_error(result: DocumentResult) -> PublishBlockedError:
    """Why a document is not published: its structural errors, the first named in full."""
    errors = [c for c in result.resources["checks"] if c["status"] == "failed" and c["severity"] == "error"]
    first = errors[0]
    where = ", ".join(
        str(x)
        for x in (first["file_name"], f"page {first['page']}" if first["page"] else "", f"table {first['table_id']}" if first["table_id"] else "", f"row {first['row']}" if first.get("row") else "")
        if x
    )
    return PublishBlockedError(f"{result.document.document_id}: not published, {len(errors)} structural error(s); first: [{first['check_id']}] {where}: {first['message']}", result)


def write_quality_report(result: DocumentResult, folder: Path) -> dict[str, Any]:
    """The readable quality report (quality_report.md) beside the resources; not a resource."""
    path = folder / REPORT_FILE
    data = quality_report_markdown(result).encode("utf-8")  # what write_text(encoding="utf-8") writes on POSIX
    write_new_file(path, data)
    return {
        "path": path.name, "mediatype": "text/markdown", "encoding": "utf-8",
        "title": package_metadata()["quality_report"]["title"], "title_zh": package_metadata()["quality_report"]["title_zh"],
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data),
    }


