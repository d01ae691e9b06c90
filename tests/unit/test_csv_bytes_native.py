"""The staged CSV bytes made in C (``csv_bytes`` of yusuan/core/_resource_columns.c) against
``csv.writer`` (``writer_csv_text``, the oracle) and the Python join (``joined_csv_text``): the
same bytes of every resource of real packages, of cells made to reach each rule and of random
cells; whatever the C loop does not take is left to Python."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from yusuan.core import resource_columns as rc
from yusuan.core.resource_columns import resource_columns
from yusuan.core.resource_format import (
    csv_file_bytes,
    joined_csv_text,
    resource_csv_cells,
    writer_csv_text,
)
from yusuan.core.schemas import resource_specs

needs_extension = pytest.mark.skipif(
    rc._native is None,
    reason="the C extension was not built (no compiler at install); test_extension_built_where_required guards CI",
)
DOCS = ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys"]


def written(header: list[Any], cells: list[list[Any]]) -> bytes:
    return writer_csv_text(header, cells).encode("utf-8")


@needs_extension
@pytest.mark.parametrize("doc", DOCS)
def test_every_resource_of_a_real_package_is_made_in_c_as_written(processed, doc):
    for spec in resource_specs():
        columns = resource_columns(processed[doc].resources[spec["name"]], spec["fields"])
        cells = resource_csv_cells(columns)
        made = rc._native.csv_bytes(columns.names, cells)
        assert made is not None and made == written(columns.names, cells), spec["name"]
        assert made == joined_csv_text(columns.names, cells).encode("utf-8")


class Text(str):
    """A str subclass: the writer writes its own str(), the C loop leaves it to Python."""

    def __str__(self) -> str:
        return "other"


MADE = [
    ["plain", "中文", ""],
    ["a,b", 'say "hi"', "two\nlines"],
    ['"', '""', ","],
    ['中"文', "é,\n", '\U0001f600"\U0001f600'],
    [" lead", "trail ", "  "],
    [None, None, None],
    [None, "", "x"],
    [1, -2, 0],
    [2**63 - 1, -(2**63), None],
    [1, None, "1"],
    ["\u2028", "\x85", "\x0b\x0c"],  # line breaks of str.splitlines, not of the writer
    ["\t", ";", "|"],
]
LEFT_TO_PYTHON = [
    ["a\rb", "x", "y"],
    ["a\0b", "x", "y"],
    [True, False, None],  # bool is an int subclass with its own text
    [1.5, 2.0, -0.0],
    [Decimal("1.10"), Decimal("2"), None],
    [Text("x"), "y", "z"],
    [2**63, 1, 2],  # beyond 64 bits
    ["a\udc80", "x", "y"],  # a surrogate: no UTF-8
]


@needs_extension
@pytest.mark.parametrize("column", MADE)
def test_made_cells_are_made_in_c_as_written(column: list[Any]):
    for cells in ([column, ["k"] * len(column)], [["k"] * len(column), column]):
        assert rc._native.csv_bytes(["first", "second"], cells) == written(
            ["first", "second"], cells
        )


@needs_extension
@pytest.mark.parametrize("column", LEFT_TO_PYTHON)
def test_other_cells_are_left_to_python(column: list[Any]):
    cells = [column, ["k"] * len(column)]
    assert rc._native.csv_bytes(["first", "second"], cells) is None
    if "a\udc80" not in column:
        assert csv_file_bytes(["first", "second"], cells) == written(["first", "second"], cells)


@needs_extension
@pytest.mark.parametrize(
    ("header", "cells", "made"),
    [
        (["a", "b"], [[], []], True),  # no rows
        (["a,b", 'c"d'], [["1"], ["2"]], True),  # a header that needs quoting
        (["a", "b"], [["", ""], ["", ""]], True),  # rows of empty cells
        (["a", "b", "c"], [["1"], ["2"], [3]], True),
        (["only"], [["", "a", ""]], False),  # one column: a row of one empty cell is written ""
        (["a", "b"], [["1"], ["1", "2"]], False),  # columns of other lengths
        (["a", "b"], [["1"]], False),  # fewer columns than labels
        (("a", "b"), [["1"], ["2"]], False),  # not lists
        (["a", "b"], (["1"], ["2"]), False),
        (["a", "b"], [("1",), ("2",)], False),
        ([None, 1], [["1"], ["2"]], True),  # labels of the classes cells may have
    ],
)
def test_edges(header, cells, made):
    found = rc._native.csv_bytes(header, cells)
    if made:
        assert found == written(header, cells)
    else:
        assert found is None


@needs_extension
def test_random_cells_are_made_as_written():
    chance = random.Random(29)
    alphabet = ["a", ",", '"', "\n", " ", "中", "é", "\U0001f600", "1", ";"]
    for _ in range(1500):
        width, rows = chance.randint(2, 4), chance.randint(0, 5)
        cells = [
            [
                chance.choice(
                    [
                        None,
                        chance.randint(-999, 999),
                        "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 6))),
                    ]
                )
                for _ in range(rows)
            ]
            for _ in range(width)
        ]
        header = [f"c{j}" for j in range(width)]
        assert rc._native.csv_bytes(header, cells) == written(header, cells), cells


def test_turned_off_the_bytes_are_pythons(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert rc.csv_bytes(["a", "b"], [["1"], ["2"]]) is None
    assert csv_file_bytes(["a", "b"], [["x,y"], [None]]) == written(["a", "b"], [["x,y"], [None]])


REPEATED = ["中,\"文\"", "plain", "é\nx", "\U0001f600", 12345678901, -7, None, "", "a" * 300]


@needs_extension
def test_the_very_object_of_the_cell_above_is_written_as_its_text():
    """A cell that is the very object of the cell above it is copied from the bytes written
    for that cell (issue 14): runs of one object, the header's object repeated in the first row,
    objects alternating (no run), a run broken and taken up again, each kind of cell."""
    for value in REPEATED:
        other = "other"
        for column in ([value] * 5, [value, other, value, value, other, other, value], [value], []):
            header = ["h", value if isinstance(value, str) else "v"]
            cells = [["k"] * len(column), column]
            assert rc._native.csv_bytes(header, cells) == written(header, cells), column
    header = ["a", "b"]  # the header's own objects in the first row
    cells = [[header[0], header[0]], [header[1], "x"]]
    assert rc._native.csv_bytes(header, cells) == written(header, cells)


@needs_extension
def test_random_tables_of_repeated_objects_are_made_as_written():
    chance = random.Random(31)
    for _ in range(1000):
        width, rows = chance.randint(2, 4), chance.randint(0, 8)
        pool = [chance.choice(REPEATED) for _ in range(3)]
        cells = [[chance.choice(pool) for _ in range(rows)] for _ in range(width)]
        header = [f"c{j}" for j in range(width)]
        assert rc._native.csv_bytes(header, cells) == written(header, cells), cells
    # a column that turns out to hold a cell left to Python after a run of one object
    assert rc._native.csv_bytes(["a", "b"], [["x"] * 3, ["y", "y", 1.5]]) is None
