"""The Parquet integer columns built from the buffers made in C (``int64_buffers`` of
yusuan/core/_resource_columns.c, through ``integer_array``) are the arrays pyarrow makes of the
same lists (``pa.array(values, type=pa.int64())``, the oracle), and the Parquet files written
of them are the same bytes; whatever the C loop does not take is left to pyarrow."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core import resource_columns as rc
from yusuan.core.resource_columns import (
    ResourceColumns,
    arrow_values,
    columns_classes,
    resource_columns,
)
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import arrow_array, arrow_type, integer_array, parquet_bytes

needs_extension = pytest.mark.skipif(
    rc._native is None or not rc.native_enabled(),
    reason="the C extension was not built (no compiler at install; test_extension_built_where_required guards CI) or is turned off",
)

BIG = 2**63 - 1
EDGES = {
    "empty": [],
    "one None": [None],
    "all None": [None] * 19,
    "one": [7],
    "small": [0, 1, -1, 2, 17, -300],
    "extremes": [BIG, -BIG - 1, 0, BIG, -BIG - 1],
    "large": [2**31, -(2**31) - 1, 2**40 + 3, 10**18],
    "mixed with None": [1, None, 2, None, None, 3, None, 4, 5, None],
    "None at the ends": [None, 1, 2, 3, 4, 5, 6, 7, 8, None],
    "repeated": [2026] * 33,
}


def same_array(values):
    ours = integer_array(values)
    theirs = pa.array(values, type=pa.int64())
    ours.validate(full=True)
    assert ours.equals(theirs)
    assert ours.null_count == theirs.null_count
    assert ours.to_pylist() == values


@needs_extension
@pytest.mark.parametrize("values", EDGES.values(), ids=EDGES.keys())
def test_edge_columns_are_pyarrows_arrays(values):
    assert rc.int64_buffers(values) is not None
    same_array(values)


@needs_extension
@pytest.mark.parametrize("length", [1, 7, 8, 9, 15, 16, 17, 64, 65])
def test_the_validity_bits_of_every_position(length):
    for hole in range(length):
        values = [None if i == hole else i * 3 - 5 for i in range(length)]
        same_array(values)
        data, validity, nulls = rc.int64_buffers(values)
        assert nulls == 1 and validity is not None and len(data) == 8 * length


class Count(int):
    """An int subclass: pyarrow takes it, the C loop leaves it to pyarrow."""


@needs_extension
@pytest.mark.parametrize(
    "values",
    [[True, 1], [1, False], [Count(3)], [1, "2"], [1.0], [2**63], [-(2**63) - 1], [1, None, 2**64]],
    ids=["bool", "bool after int", "subclass", "str", "float", "2**63", "below int64", "2**64 after None"],
)
def test_values_left_to_pyarrow(values):
    assert rc.int64_buffers(values) is None


def test_beyond_64_bits_raises_as_pyarrow_raises():
    for values in ([2**63], [1, None, -(2**63) - 1]):
        with pytest.raises(OverflowError):
            pa.array(values, type=pa.int64())
        with pytest.raises(OverflowError):
            integer_array(values)


@needs_extension
def test_not_a_list_is_left_to_pyarrow():
    assert rc._native.int64_buffers((1, 2)) is None


def test_turned_off_it_is_pyarrows_own(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert rc.int64_buffers([1, None]) is None
    same_array([1, None, 3])


@needs_extension
def test_random_columns_are_pyarrows_arrays():
    chance = random.Random(33)
    pool = [None, 0, 1, -1, BIG, -BIG - 1, 2**32, 12345678901]
    for _ in range(1_000):
        values = [chance.choice(pool) if chance.random() < 0.5 else chance.randint(-(2**63), BIG) for _ in range(chance.randint(0, 40))]
        same_array(values)


def test_arrow_array_takes_the_c_path_only_for_a_column_of_ints_and_none(monkeypatch):
    calls = []
    real = rc.int64_buffers

    def counted(values, enabled=None):
        calls.append(values)
        return real(values, enabled)

    monkeypatch.setattr("yusuan.package.writer.int64_buffers", counted)
    fields = field_dictionary()
    integer = next(n for n in fields if fields[n]["type"] == "integer")
    ints, texts = [1, None, 3], [1, "", 3]
    for values in (ints, texts):
        (classes,) = columns_classes([values])
        got = arrow_array(values, fields[integer]["type"], pa.int64(), None, classes)
        assert got.equals(pa.array(arrow_values(values, "integer"), type=pa.int64()))
    assert calls == [ints]  # the column with "" is mapped by arrow_values and left to pyarrow
    assert arrow_array([True, None], "boolean", pa.bool_(), None, {bool, type(None)}).equals(pa.array([True, None]))


@pytest.mark.parametrize("spec", resource_specs(), ids=lambda s: s["name"])
def test_integer_columns_of_a_real_package_and_their_parquet_bytes(processed, spec):
    fields, names = field_dictionary(), spec["fields"]
    rows = processed["fj-quanzhou-12345-2026-dwys"].resources[spec["name"]]
    columns = resource_columns(rows, names)
    for name, values, classes in zip(names, columns.values, columns_classes(columns.values), strict=True):
        if fields[name]["type"] == "integer" and classes <= {int, type(None)}:
            same_array(values)
    schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in names])
    lists = [arrow_values(v, fields[n]["type"]) for n, v in zip(names, columns.values, strict=True)]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(lists, schema=schema), sink, compression="zstd")  # the lists, converted by pyarrow
    assert parquet_bytes(columns, schema) == sink.getvalue()


def test_parquet_bytes_of_edge_columns_are_those_of_the_lists():
    length = max(map(len, EDGES.values()))
    values = [(column * length)[:length] if column else [None] * length for column in EDGES.values()]
    schema = pa.schema([pa.field(f"c{i}", pa.int64()) for i in range(len(values))])
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(values, schema=schema), sink, compression="zstd")
    fields = field_dictionary()
    integer = next(n for n in fields if fields[n]["type"] == "integer")  # the field type parquet_bytes looks up
    assert parquet_bytes(ResourceColumns([], [integer] * len(values), values), schema) == sink.getvalue()
