"""The proof's key sets (``schema_proof._Table.key_set``, built once per table and fields and
shared by the primary key, the foreign keys and the references to the table) give the verdicts
of the row-by-row key lists they replaced (``_Table.keys`` turned into a set by each check,
kept here as the oracle): on adversarial key columns (empty cells, all-empty keys, duplicates,
falsy values that are not empty, no rows, one column) and on the real packages of the samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import yusuan.checks.schema_proof as schema_proof
from yusuan.checks.schema_validation import _schema
from yusuan.core.schemas import resource_specs
from yusuan.package.staged_validation import stage_csv

NAMES = [s["name"] for s in resource_specs()]
KEY_COLUMNS: list[tuple[list[Any], ...]] = [
    ([1, 2, 3], ["a", "b", "c"]),
    ([1, None, 3], ["a", None, "c"]),
    ([1, None, None], ["a", "b", None]),
    ([1, 1, 2], ["a", "a", "b"]),
    ([None, None], [None, None]),
    ([0, False, ""], ["", 0, None]),
    (
        [1, 1.0, True],
        ["x", "x", "x"],
    ),  # equal values of three classes: one key, as a set of the list has it
    ([], []),
]
WANTED = [frozenset(), frozenset({(1, "a")}), frozenset({(1, "a"), (3, "c"), (2, "b")})]


def table_of(columns: tuple[list[Any], ...]) -> Any:
    names = [f"c{i}" for i in range(len(columns))]
    return schema_proof._Table(
        {}, {}, len(columns[0]), typed_columns=dict(zip(names, columns, strict=True))
    ), names


def primary_key_before(table: Any, names: list[str]) -> bool:
    """The primary-key check as it was: a list of every row's key, then its set."""
    keys = table.keys(names)
    distinct = set(keys)
    return len(distinct) == len(keys) and schema_proof._empty_key(len(names)) not in distinct


def foreign_key_before(table: Any, names: list[str], wanted: frozenset[tuple[Any, ...]]) -> bool:
    missing = set(table.keys(names)).difference(wanted)
    missing.discard(schema_proof._empty_key(len(names)))
    return not missing


@pytest.mark.parametrize("columns", KEY_COLUMNS)
def test_key_set_is_the_set_of_the_row_keys(columns):
    for width in (1, 2):
        table, names = table_of(columns[:width])
        assert table.key_set(names) == frozenset(table.keys(names))
        assert table.key_count(names) == len(table.keys(names))


def test_key_set_is_made_once_per_fields():
    table, names = table_of(([1, 2], ["a", "b"]))
    assert table.key_set(names) is table.key_set(tuple(names))
    assert table.key_set(names[:1]) == frozenset({(1,), (2,)})


def test_key_columns_of_different_lengths_are_refused():
    table = schema_proof._Table({}, {}, 2, typed_columns={"a": [1, 2], "b": ["x"]})
    with pytest.raises(ValueError):
        table.key_set(["a", "b"])


class Schema:
    def __init__(self, names: list[str]):
        self.primary_key = names
        self.fields: list[Any] = []


@pytest.mark.parametrize("columns", KEY_COLUMNS)
def test_primary_key_as_before(columns):
    table, names = table_of(columns)
    assert schema_proof._primary_key(Schema(names), table) == primary_key_before(table, names)


@pytest.mark.parametrize("columns", KEY_COLUMNS)
@pytest.mark.parametrize("wanted", WANTED)
def test_foreign_key_as_before(columns, wanted, monkeypatch):
    table, names = table_of(columns)
    prover = schema_proof.Prover(Path("."), ["t", "s"], _schema)
    monkeypatch.setattr(prover, "_reference_keys", lambda source, key: wanted)
    fk = {"fields": names, "reference": {"resource": "s", "fields": ["x", "y"]}}
    assert prover._foreign_key("t", fk, table) == foreign_key_before(table, names, wanted)


def test_the_real_packages_key_sets_as_their_row_keys(processed, tmp_path):
    for document_id in processed.sample_ids:
        folder = tmp_path / document_id
        folder.mkdir()
        written: dict[str, Any] = {}
        for spec in resource_specs():
            stage_csv(processed[document_id], spec, folder, written)
        schema_proof.forget()
        prover = schema_proof.Prover(
            folder,
            NAMES,
            _schema,
            digests={n: w.sha256 for n, w in written.items()},
            written=written,
        )
        assert all(prover.proves(name) for name in NAMES), document_id
        for name in NAMES:
            schema = _schema(name)
            table = prover._tables[name]
            keys = [list(schema.primary_key)] if schema.primary_key else []
            keys += [fk["fields"] for fk in schema.foreign_keys]
            keys += [
                fk["reference"]["fields"]
                for other in NAMES
                for fk in _schema(other).foreign_keys
                if fk["reference"]["resource"] == name
            ]
            for fields in keys:
                assert table.key_set(fields) == frozenset(table.keys(fields)), (
                    document_id,
                    name,
                    fields,
                )
            if schema.primary_key:
                assert schema_proof._primary_key(schema, table) == primary_key_before(
                    table, list(schema.primary_key)
                )
