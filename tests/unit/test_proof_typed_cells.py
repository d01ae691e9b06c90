"""The proof's typed key columns made from the cells a file was written from
(``schema_proof._Table.typed`` on ``table_of_cells``) are the columns typed from the texts
read back from the file (``read_table``, the oracle): each distinct cell is read by the
field's own Frictionless cell reader through its text, and a column whose every distinct cell
is its own value (the same class, equal) is taken as it is. On the real packages of the
samples (every key field of every resource) and on made columns where a cell is *not* its
value (``""``, a text in an integer field, ``1`` beside ``"1"``); the primary-key verdicts
agree with Frictionless' own."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema
from frictionless.fields import IntegerField, StringField

import yusuan.checks.schema_proof as schema_proof
from yusuan.checks.schema_validation import _schema
from yusuan.core.resource_format import csv_file_bytes
from yusuan.core.schemas import resource_specs
from yusuan.package.staged_validation import stage_csv

INTEGER = IntegerField(name="n").create_cell_reader()
STRING = StringField(name="s").create_cell_reader()


def tables(
    header: list[str], cells: list[list[Any]], folder: Path, readers: dict[str, Any]
) -> tuple[Any, Any]:
    """The table of the cells written and the table read from the file, both with ``readers``."""
    data = csv_file_bytes(header, cells)
    path = folder / "t.csv"
    path.write_bytes(data)
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), header, cells)
    memory = schema_proof.table_of_cells(written, header, set(header))
    disk = schema_proof.read_table(path, header, set(header))
    for table in (memory, disk):
        table.readers = readers
    return memory, disk


def same_values(a: list[Any], b: list[Any]) -> bool:
    """Equal lists of values of the same classes, position by position."""
    return len(a) == len(b) and all(
        x.__class__ is y.__class__ and x == y for x, y in zip(a, b, strict=True)
    )


COLUMNS = [
    ("integer cells", [1, 2, 30, -4, 10**17], INTEGER, True),
    ("integer cells and empty ones", [1, None, 3, None], INTEGER, True),
    ("texts of an integer field", ["1", "02", "3"], INTEGER, False),
    ("an int beside its text", [1, "1", 2], INTEGER, False),
    ("texts of a string field", ["a", "中文", " b", "a"], STRING, True),
    ("an empty text", ["a", "", "b"], STRING, False),
    ("None in a string field", ["a", None, "b"], STRING, True),
    ("ints in a string field", ["a", 1, "1"], STRING, False),
    ("nothing", [], INTEGER, True),
]


@pytest.mark.parametrize(
    ("label", "column", "reader", "as_is"), COLUMNS, ids=[c[0] for c in COLUMNS]
)
def test_typed_cells_are_the_files_typed_texts(tmp_path, label, column, reader, as_is):
    other = ["x"] * len(column)  # a second column: a table of one column is left to the writer
    memory, disk = tables(["k", "o"], [column, other], tmp_path, {"k": reader, "o": STRING})
    typed = memory.typed("k")
    assert same_values(typed, disk.typed("k")), label
    assert same_values(typed, [reader(schema_proof._cell_text(cell))[0] for cell in column]), label
    assert (typed is memory.kept["k"]) == as_is, (
        label
    )  # taken as it is only where every cell is its value
    assert memory.key_set(["k", "o"]) == disk.key_set(["k", "o"])


def test_an_int_and_its_text_are_one_key(tmp_path):
    """Cells ``1`` and ``"1"`` differ, their typed values do not: a duplicate primary key, as
    Frictionless says of the file."""
    memory, disk = tables(
        ["k", "o"], [[1, "1", 2], ["x", "x", "x"]], tmp_path, {"k": INTEGER, "o": STRING}
    )
    keys = type("Keys", (), {"primary_key": ["k"], "fields": []})()
    assert not schema_proof._primary_key(keys, memory) and not schema_proof._primary_key(keys, disk)
    schema = Schema.from_descriptor(
        {
            "fields": [{"name": "k", "type": "integer"}, {"name": "o", "type": "string"}],
            "primaryKey": ["k"],
        }
    )
    assert (
        not Resource(
            path="t.csv", basepath=str(tmp_path), format="csv", encoding="utf-8", schema=schema
        )
        .validate()
        .valid
    )


def test_a_duplicate_written_key_is_not_proved(tmp_path):
    memory, _disk = tables(
        ["k", "o"], [[1, 2, 2], ["x", "y", "z"]], tmp_path, {"k": INTEGER, "o": STRING}
    )
    keys = type("Keys", (), {"primary_key": ["k"], "fields": []})()
    assert memory.typed("k") is memory.kept["k"]
    assert not schema_proof._primary_key(keys, memory)
    keys.primary_key = ["k", "o"]
    assert schema_proof._primary_key(keys, memory)


def test_the_real_packages_key_columns_typed_from_cells_as_from_files(processed, tmp_path):
    """Every kept (key) column of every resource of the samples: the typed values from the
    written cells are the typed values of the file's texts, and so are the key sets."""
    as_is = 0
    for document_id in processed.sample_ids:
        folder = tmp_path / document_id
        folder.mkdir()
        written: dict[str, Any] = {}
        for spec in resource_specs():
            stage_csv(processed[document_id], spec, folder, written)
        prover = schema_proof.Prover(folder, [s["name"] for s in resource_specs()], _schema)
        for spec in resource_specs():
            name = spec["name"]
            schema = _schema(name)
            names = [f.name for f in schema.fields]
            kept = prover._key_fields(name)
            readers = {
                f.name: rule.reader
                for f, rule in zip(
                    schema.fields, schema_proof.field_rules(name, schema), strict=True
                )
            }
            memory = schema_proof.table_of_cells(written[name], names, kept)
            disk = schema_proof.read_table(folder / f"{name}.csv", names, kept)
            memory.readers = disk.readers = readers
            for field in sorted(kept):
                assert same_values(memory.typed(field), disk.typed(field)), (
                    document_id,
                    name,
                    field,
                )
                as_is += memory.typed(field) is memory.kept[field]
            if schema.primary_key:
                assert memory.key_set(schema.primary_key) == disk.key_set(schema.primary_key), (
                    document_id,
                    name,
                )
            for fk in schema.foreign_keys:
                assert memory.key_set(fk["fields"]) == disk.key_set(fk["fields"]), (
                    document_id,
                    name,
                    fk["fields"],
                )
    assert as_is  # the columns taken as they are were reached
