"""The Parquet string columns built from the buffers made in C (``utf8_buffers`` of
yusuan/core/_resource_columns.c, through ``string_array``) are the arrays pyarrow makes of the
same lists (``pa.array(values, type=pa.string())``, the oracle), and the Parquet files written
of them are the same bytes; whatever the C loop does not take is left to pyarrow."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core import resource_columns as rc
from yusuan.core.resource_columns import ResourceColumns, arrow_values, resource_columns
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import arrow_type, parquet_bytes, string_array

needs_extension = pytest.mark.skipif(
    rc._native is None,
    reason="the C extension was not built (no compiler at install); test_extension_built_where_required guards CI",
)


class Label(str):
    """A str subclass: pyarrow takes it, the C loop leaves it to pyarrow."""


EDGES = {
    "empty": [],
    "one None": [None],
    "all None": [None] * 19,
    "ascii": ["a", "bc", "", "x,y", 'q"uote', "line\nbreak"],
    "latin-1": ["é", "naïve", "\xa0", "\x80\xff"],
    "CJK": ["中文", "一般公共预算支出", "（单位：万元）", "，"],
    "astral": ["\U0001f600", "a\U00010000b", "\U0010ffff"],
    "mixed with None": [
        "a",
        None,
        "中",
        None,
        None,
        "é",
        "\U0001f600",
        None,
        "",
        None,
        "x",
        "y",
        None,
        "z",
        "末",
        None,
        None,
    ],
    "NUL": ["a\0b", "\0"],
    "empty and None": ["", None, ""],
}


def oracle(values: list) -> pa.Array:
    return pa.array(values, type=pa.string())


def same_array(values: list) -> None:
    got, expected = string_array(values), oracle(values)
    assert got.type == pa.string() and got.equals(expected)
    assert got.null_count == expected.null_count and got.to_pylist() == values
    got.validate(full=True)


@needs_extension
@pytest.mark.parametrize("values", list(EDGES.values()), ids=list(EDGES))
def test_edge_columns_are_pyarrows_arrays(values):
    assert rc._native.utf8_buffers(values) is not None  # made in C, not left to pyarrow
    same_array(values)


@needs_extension
@pytest.mark.parametrize("length", [1, 7, 8, 9, 15, 16, 17, 64, 65])
def test_the_validity_bits_of_every_position(length):
    for step in (1, 2, 3, 7):
        values = [None if i % step == 0 else f"值{i}" for i in range(length)]
        same_array(values)


@needs_extension
def test_values_left_to_pyarrow():
    for values in (["a", Label("b")], ["a", b"b"], ["a", 1], ["a\udc80"], ("a", "b")):
        assert rc._native.utf8_buffers(values) is None
    assert string_array(["a", Label("b"), b"c"]).equals(oracle(["a", Label("b"), b"c"]))
    with pytest.raises(UnicodeEncodeError):  # a surrogate has no UTF-8: pyarrow's error, as before
        string_array(["ok", "a\udc80"])


def test_turned_off_it_is_pyarrows_own(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert rc.utf8_buffers(["a", None]) is None
    same_array(["a", None, "中"])


@needs_extension
@pytest.mark.parametrize("spec", resource_specs(), ids=lambda s: s["name"])
def test_string_columns_of_a_real_package_and_their_parquet_bytes(processed, spec):
    fields, names = field_dictionary(), spec["fields"]
    rows = processed["fj-quanzhou-12345-2026-dwys"].resources[spec["name"]]
    columns = resource_columns(rows, names)
    for name, values in zip(names, columns.values, strict=True):
        if fields[name]["type"] == "string":
            same_array(values)
    schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in names])
    lists = [arrow_values(v, fields[n]["type"]) for n, v in zip(names, columns.values, strict=True)]
    sink = pa.BufferOutputStream()
    pq.write_table(
        pa.Table.from_arrays(lists, schema=schema), sink, compression="zstd"
    )  # the lists, converted by pyarrow
    assert parquet_bytes(ResourceColumns(rows, names, columns.values), schema) == sink.getvalue()


def test_parquet_bytes_of_edge_columns_are_those_of_the_lists():
    schema = pa.schema([pa.field(f"c{i}", pa.string()) for i in range(len(EDGES))])
    length = max(map(len, EDGES.values()))
    values = [
        (column * length)[:length] if column else [None] * length for column in EDGES.values()
    ]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(values, schema=schema), sink, compression="zstd")
    fields = field_dictionary()
    text_field = next(
        n for n in fields if fields[n]["type"] == "string"
    )  # the field type parquet_bytes looks up
    ours = parquet_bytes(ResourceColumns([], [text_field] * len(values), values), schema)
    assert ours == sink.getvalue()


@needs_extension
def test_the_very_object_written_last_is_written_again():
    """A value that is the very object written last is copied from its bytes (issue 14):
    runs, runs broken by None and by other values, each kind of text."""
    for text in ["", "a", "中文", "é", "\U0001f600", "x" * 1000]:
        for values in ([text] * 4, [text, None, text, None, None, text], [text, "o", text, text, "o"], [None, text, text]):
            same_array(values)
    assert rc.utf8_buffers(["a", "a", "\ud800"]) is None  # a surrogate after a run: left to pyarrow
    assert rc.utf8_buffers(["a", "a", 1]) is None


@needs_extension
def test_random_columns_of_repeated_objects_are_pyarrows_arrays():
    import random

    chance = random.Random(32)
    pool = ["", "a", "中文,\"", "é\n", "\U0001f600", None]
    for _ in range(1000):
        choices = [chance.choice(pool) for _ in range(3)]
        same_array([chance.choice(choices) for _ in range(chance.randint(0, 20))])
