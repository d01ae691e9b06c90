"""The proof's distinct texts of a column made from its distinct cells without a Python call
per cell (``schema_proof.distinct_texts``) are the texts of each cell
(``set(map(_cell_text, cells))``, the oracle), and a file shorter than the csv module's field
limit is not searched for a cell that reaches it (no text of it can)."""

from __future__ import annotations

import csv
import hashlib
import random
from typing import Any

import pytest

import yusuan.checks.schema_proof as schema_proof
from yusuan.core.resource_format import csv_file_bytes

CELLS: list[list[Any]] = [
    [],
    [None],
    [""],
    ["", None],
    ["1", 1, None],
    [1, 2, -3, 10**30],
    ["a", "b", "中文", "😀"],
    [0, "0", "", None, "x"],
    [7, None],
]


def oracle(cells: set[Any]) -> set[str]:
    return set(map(schema_proof._cell_text, cells))


@pytest.mark.parametrize("column", CELLS)
def test_distinct_texts_are_each_cells_text(column):
    cells = set(column)
    found = schema_proof.distinct_texts(cells, set(map(type, column)))
    assert found == oracle(cells)
    assert found is not cells
    assert cells == set(column)  # the cells' set is left as it was


def test_distinct_texts_of_random_columns():
    draw = random.Random(32)
    pool: list[Any] = [None, "", "1", 1, -1, "-1", "a", "a,b", 'q"', 2**63, str(2**63), "\n", 0, "0"]
    for _ in range(2000):
        column = [draw.choice(pool) for _ in range(draw.randint(0, 12))]
        cells = set(column)
        assert schema_proof.distinct_texts(cells, set(map(type, column))) == oracle(cells)


def table(header: list[str], cells: list[list[Any]], size: bool) -> Any:
    data = csv_file_bytes(header, cells)
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), header, cells)
    if not size:
        written = schema_proof.WrittenCells(written.sha256, written.header, written.cells, written.sample)
    return schema_proof.table_of_cells(written, header, set(header))


@pytest.mark.parametrize("size", [True, False])
def test_a_cell_at_the_field_limit_is_found_with_the_files_size_known_or_not(size):
    schema_proof.frictionless_dialect(["a,b\n"])  # Frictionless' CSV parser sets the limit when first imported
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(16)
        with pytest.raises(schema_proof._Unread):  # the file reader refuses such a cell: the file is read
            table(["a", "b"], [["x" * 16, "y"], [1, 2]], size)
        found = table(["a", "b"], [["x" * 15, "y"], [1, 2]], size)  # one character shorter: read from the cells
        assert found.distinct == {"a": {"x" * 15, "y"}, "b": {"1", "2"}}
    finally:
        csv.field_size_limit(limit)


def test_the_size_is_the_files():
    data = csv_file_bytes(["a", "b"], [["中文", None], [1, 2]])
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), ["a", "b"], [["中文", None], [1, 2]])
    assert written.size == len(data)
    with_cr = schema_proof.written_cells(b"a,b\r\n", "x", ["a", "b"], [[], []])
    assert with_cr.sample is None and with_cr.size == 5
