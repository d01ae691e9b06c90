"""The classes of a staged CSV's columns, known when its cells are the rows' values, carried to
the proof (``WrittenCells.classes``, ``schema_proof.cells_classes``): the classes of the cells,
and the same table of cells with or without them."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import yusuan.checks.schema_proof as schema_proof
from yusuan.core.resource_columns import resource_columns
from yusuan.core.resource_format import resource_csv_cells
from yusuan.core.schemas import resource_specs
from yusuan.package.staged_validation import csv_file, known_classes, stage_csv


def written_of(processed: Any, document_id: str, folder: Path) -> dict[str, Any]:
    written: dict[str, Any] = {}
    for spec in resource_specs():
        stage_csv(processed[document_id], spec, folder, written)
    return written


def test_the_known_classes_are_the_cells_classes(processed: Any, tmp_path: Path) -> None:
    known = converted = 0
    for document_id in processed.sample_ids:
        folder = tmp_path / document_id
        folder.mkdir()
        for name, written in written_of(processed, document_id, folder).items():
            assert written.classes is not None and len(written.classes) == len(written.cells), name
            for column, kinds in zip(written.cells, written.classes, strict=True):
                if kinds is None:
                    converted += 1
                else:
                    known += 1
                    assert kinds == set(map(type, column)), name
            assert schema_proof.cells_classes(written) == [set(map(type, column)) for column in written.cells]
    assert known and converted  # both kinds of column are met


def test_a_column_made_of_its_values_is_not_known() -> None:
    rows = [{"amount": Decimal("1.50"), "document_id": "d", "is_blank": True}, {"amount": None, "document_id": "d", "is_blank": False}]
    columns = resource_columns(rows, ["document_id", "amount", "is_blank"])
    cells = resource_csv_cells(columns)
    kinds = known_classes(columns, cells)
    assert kinds[0] == {str} and kinds[1] is None and kinds[2] is None
    made = csv_file(columns.names, cells, kinds)
    assert schema_proof.cells_classes(made.written) == [{str}, {str}, {str}]


@pytest.mark.parametrize("classes", [None, [], [None, None], [{str}, None], [{str}, {int, type(None)}]])
def test_the_same_table_with_or_without_the_classes(classes: Any) -> None:
    header = ["a", "b"]
    cells: list[list[Any]] = [["x", "y", "x"], [1, None, 3]]
    data = b"a,b\nx,1\ny,\nx,3\n"
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), header, cells, classes)
    bare = dataclasses.replace(written, classes=None)
    assert schema_proof.cells_classes(written) == [{str}, {int, type(None)}]
    with_classes = schema_proof.table_of_cells(written, header, {"a"})
    without = schema_proof.table_of_cells(bare, header, {"a"})
    assert (with_classes.distinct, with_classes.kept, with_classes.rows) == (without.distinct, without.kept, without.rows)


def test_the_classes_given_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = schema_proof.columns_classes

    def counting(columns: list[list[Any]]) -> list[set[type]]:
        asked.append(len(columns))
        return real(columns)

    monkeypatch.setattr(schema_proof, "columns_classes", counting)
    data = b"a,b\nx,1\n"
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), ["a", "b"], [["x"], [1]], [{str}, None])
    schema_proof.table_of_cells(written, ["a", "b"], set())
    assert asked == [1]  # only the column not known
