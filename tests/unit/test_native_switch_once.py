"""The extension's switch (``YUSUAN_NATIVE``, read from the environment) is read once per
table, not once per column (issue 14: ``os.environ`` costs 1.5–4.6 µs a read, and a package
asked it about 500 times): the classes of a table's columns, its CSV cells and its Parquet
string columns are the same with the switch read once as with it read per column, on and
off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core import native
from yusuan.core import resource_columns as rc
from yusuan.core.resource_format import resource_csv_cells
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import arrow_array, arrow_type, parquet_bytes, string_array

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
    # the switch read through native.enabled, not from os.environ's own table (stop 35's
    # shortcut, which gives the same answer and is not counted)
    monkeypatch.setattr(rc, "_ENVIRONMENT", None)
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
    values: list[list[Any]] = [["x", None], ["é", "y"], [None, None]]
    columns = rc.ResourceColumns([{}] * 2, names, values, [set(map(type, v)) for v in values])  # as resource_columns takes them
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


ARROW_COLUMNS: list[list[Any]] = [
    *COLUMNS,
    [1, None, 2],
    [True, None, 0],
    [Decimal("1.50"), None, Decimal("-0")],
    [Decimal("2"), 3, None],
    ["", 1, None],
    [1.5, None],
    [],
    [None, None],
]


@pytest.mark.parametrize("kind", ["integer", "number", "boolean", "string"])
def test_the_arrow_values_with_their_classes_are_the_values_mapped(kind):
    for column in ARROW_COLUMNS:
        try:
            expected = rc.arrow_values(column, kind)
        except Exception as error:  # noqa: BLE001 - a number that has no Decimal: raises with the classes too
            with pytest.raises(type(error)):
                rc.arrow_values(column, kind, set(map(type, column)))
            continue
        found = rc.arrow_values(column, kind, set(map(type, column)))
        assert len(found) == len(expected)
        assert all(a is b or (a == b and type(a) is type(b)) for a, b in zip(found, expected, strict=True))
    assert rc.arrow_values([1, None], "integer", {int, type(None)}) == [1, None]
    # taken as it is only where every value maps to itself: an empty text, or an int of a number field, does not
    assert rc.arrow_values(["", 1], "integer", {str, int}) == [None, 1]
    assert rc.arrow_values([3, None], "number", {int, type(None)}) == [Decimal("3"), None]


def test_the_columns_carry_their_classes_and_the_files_are_the_same(processed):
    fields = field_dictionary()
    for result in processed.samples():
        for spec in resource_specs():
            columns = rc.resource_columns(result.resources[spec["name"]], spec["fields"])
            assert columns.classes == [set(map(type, values)) for values in columns.values]
            without = rc.ResourceColumns(columns.rows, columns.names, columns.values)
            assert rc.classes_of(without) == columns.classes
            assert resource_csv_cells(without) == resource_csv_cells(columns)
            schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in spec["fields"]])
            # the oracle: every value mapped by arrow_values (no classes), converted by pyarrow
            arrays = [pa.array(rc.arrow_values(v, fields[n]["type"]), type=f.type) for n, v, f in zip(columns.names, columns.values, schema, strict=True)]
            sink = pa.BufferOutputStream()
            pq.write_table(pa.Table.from_arrays(arrays, schema=schema), sink, compression="zstd")
            assert parquet_bytes(columns, schema) == sink.getvalue()
