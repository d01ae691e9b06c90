"""joined_csv_text against csv.writer (writer_csv_text), the oracle: the same text of every
resource of real packages and of cells made to reach each rule, or None (left to the writer)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from yusuan.core.resource_columns import resource_columns
from yusuan.core.resource_format import (
    csv_file_bytes,
    joined_csv_text,
    resource_csv_cells,
    writer_csv_text,
)
from yusuan.core.schemas import resource_specs

DOCS = ["fj-quanzhou-12345-2026-dwys", "js-renda-2019-bmys"]


@pytest.mark.parametrize("doc", DOCS)
def test_every_resource_of_a_real_package_is_joined_as_written(processed, doc):
    result = processed[doc]
    joined = 0
    for spec in resource_specs():
        columns = resource_columns(result.resources[spec["name"]], spec["fields"])
        cells = resource_csv_cells(columns)
        text = joined_csv_text(columns.names, cells)
        assert text is None or text == writer_csv_text(columns.names, cells), spec["name"]
        assert csv_file_bytes(columns.names, cells) == writer_csv_text(columns.names, cells).encode(
            "utf-8"
        )
        joined += text is not None
    assert joined == len(resource_specs())  # no resource of these packages needs the writer


class Text(str):
    def __str__(self) -> str:
        return "other"


CELLS = [
    ["plain", "中文", ""],
    ["a,b", 'say "hi"', "two\nlines"],
    ['"', '""', ","],
    [" lead", "trail ", "  "],
    [None, None, None],
    [None, "", "x"],
    [1, -2, 10**30],
    [1, None, "1"],
    ["\u2028", "\x85", "\x0b\x0c"],  # line breaks of str.splitlines, not of the writer
    ["\t", ";", "|"],
    ["a\rb", "x", "y"],  # left to the writer
    ["a\0b", "x", "y"],  # left to the writer
    [True, False, None],  # bool: left to the writer
    [1.5, 2.0, -0.0],  # float: left to the writer
    [Decimal("1.10"), Decimal("2"), None],  # Decimal: left to the writer
    [Text("x"), "y", "z"],  # a str subclass: left to the writer
]


@pytest.mark.parametrize("column", CELLS)
def test_made_cells_are_joined_as_written(column: list[Any]):
    header = ["first", "second"]
    cells = [column, ["k"] * len(column)]
    text = joined_csv_text(header, cells)
    if text is not None:
        assert text == writer_csv_text(header, cells)
    assert csv_file_bytes(header, cells) == writer_csv_text(header, cells).encode("utf-8")
    cells = [["k"] * len(column), column]  # the last column too
    text = joined_csv_text(header, cells)
    assert text is None or text == writer_csv_text(header, cells)


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        (["only"], [["", "a", ""]]),  # one column: a row of one empty cell is written ""
        (["a", "b"], [[], []]),  # no rows
        (["a,b", 'c"d'], [["1"], ["2"]]),  # a header that needs quoting
        (["a", "b"], [["", ""], ["", ""]]),  # rows of empty cells
    ],
)
def test_edges_are_joined_as_written_or_left_to_the_writer(header, cells):
    text = joined_csv_text(header, cells)
    assert text is None or text == writer_csv_text(header, cells)
    assert csv_file_bytes(header, cells) == writer_csv_text(header, cells).encode("utf-8")


def test_what_the_writer_would_refuse_is_left_to_it():
    assert joined_csv_text(["a"], [["", ""]]) is None  # one column
    assert joined_csv_text(["a", "b"], [["1"], ["1", "2"]]) is None  # columns of other lengths
    with pytest.raises(ValueError):
        csv_file_bytes(["a", "b"], [["1"], ["1", "2"]])
