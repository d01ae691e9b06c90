"""The extension's switch (``YUSUAN_NATIVE``, read from the environment) is read once per
table, not once per column (issue 14: ``os.environ`` costs 1.5–4.6 µs a read, and a package
asked it about 500 times): the classes of a table's columns, its CSV cells and its Parquet
string columns are the same with the switch read once as with it read per column, on and
off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from yusuan.core import native
from yusuan.core import resource_columns as rc
from yusuan.core.resource_format import resource_csv_cells
from yusuan.core.schemas import resource_specs
from yusuan.package.writer import arrow_array, parquet_bytes, string_array

needs_extension = pytest.mark.skipif(rc._native is None, reason="the C extension was not built")


class Text(str):
    pass


COLUMNS: list[list[Any]] = [
    [],
    ["a", None, 3],
    ["a", "b", "b"],
    [Decimal("1.50"), None, ""],
    [True, False, None],
    [Text("x"), "x"],
    [1, 2, 3, True],
]


@pytest.mark.parametrize("switch", ["1", "0"])
def test_the_classes_of_columns_are_each_columns_classes(monkeypatch, switch):
    monkeypatch.setenv("YUSUAN_NATIVE", switch)
    assert rc.columns_classes(COLUMNS) == [set(map(type, column)) for column in COLUMNS]
    assert rc.columns_classes([("a", 1), ["a"]]) == [{str, int}, {str}]  # not a list: Python's
    assert rc.columns_classes([]) == []


def counting_switch(monkeypatch) -> list[int]:
    """Count the reads of the switch (``native.enabled``) from now on."""
    reads = [0]
    enabled = native.enabled

    def counted(*args: Any) -> bool:
        reads[0] += 1
        return enabled(*args)

    monkeypatch.setattr(native, "enabled", counted)
    return reads


@needs_extension
def test_the_switch_is_read_once_for_a_tables_classes_and_cells(monkeypatch):
    reads = counting_switch(monkeypatch)
    columns = rc.ResourceColumns([{}] * 3, ["a", "b", "c"], [["x", None, 1], ["y", "y", "y"], [None, None, 2]])
    rc.columns_classes(columns.values)
    assert reads[0] == 1
    reads[0] = 0
    spec = next(s for s in resource_specs() if s["name"] == "units")
    values = [["d"], [1], ["n"]] + [[None]] * (len(spec["fields"]) - 3)
    resource_csv_cells(rc.ResourceColumns([{}], spec["fields"], values))
    assert reads[0] == 1


@needs_extension
def test_a_parquet_file_reads_the_switch_once(monkeypatch):
    reads = counting_switch(monkeypatch)
    names = ["a", "b", "c"]
    schema = pa.schema([pa.field(n, pa.string()) for n in names])
    fields = {n: {"type": "string"} for n in names}
    monkeypatch.setattr("yusuan.package.writer.field_dictionary", lambda: fields)
    columns = rc.ResourceColumns([{}] * 2, names, [["x", None], ["é", "y"], [None, None]])
    with_switch_once = parquet_bytes(columns, schema)
    assert reads[0] == 1
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert parquet_bytes(columns, schema) == with_switch_once  # pyarrow's own conversion: the same bytes


@pytest.mark.parametrize("native_on", [True, False, None])
def test_a_string_array_is_pyarrows_whatever_the_switch_given(native_on):
    values = ["a", None, "中文", "a", "\U0001f600", ""]
    expected = pa.array(values, type=pa.string())
    assert string_array(values, native_on).equals(expected)
    assert arrow_array(values, "string", pa.string(), native_on).equals(expected)
    assert rc.utf8_buffers(values, False) is None  # the switch given off: left to pyarrow
    if native_on and rc._native is not None:
        assert rc.utf8_buffers(values, True) is not None


@pytest.mark.parametrize("switch", ["1", "0"])
def test_the_cells_with_the_classes_given_are_the_cells_found(monkeypatch, switch):
    monkeypatch.setenv("YUSUAN_NATIVE", switch)
    for kind in ("string", "integer", "number", "boolean"):
        for column in COLUMNS:
            if kind == "boolean" and any(v is not None and type(v) is not bool for v in column):
                continue
            assert rc.csv_cells(column, kind, set(map(type, column))) == rc.csv_cells(column, kind)
