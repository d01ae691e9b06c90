"""A number field's Parquet column cast from its values' texts (``decimal_array``) is the
column pyarrow converts from the values one by one (``arrow_values``), and the same Parquet
file; whatever the cast cannot make so is left to that conversion (None)."""

from __future__ import annotations

import random
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core.resource_columns import arrow_values, resource_columns
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import arrow_array, arrow_type, decimal_array

TYPES = [pa.decimal128(28, 6), pa.decimal128(28, 2), pa.decimal128(28, 0)]

EDGES = [
    Decimal("0"),
    Decimal("-0"),
    Decimal("-0.000000"),
    Decimal("1.50"),
    Decimal("-0.000001"),
    Decimal("0.0000001"),  # a digit beyond scale 6: refused by both
    Decimal("1.1234560"),
    Decimal("1E+3"),
    Decimal("1E-2"),
    Decimal("12345678901234567890.12"),
    Decimal("9" * 22 + ".999999"),
    Decimal("9" * 23),  # too many digits for precision 28 at scale 6
    Decimal("9" * 29),
    Decimal("NaN"),
    Decimal("-Infinity"),
    Decimal("sNaN"),
    0,
    -7,
    10**21,
    10**30,
    None,
]


def converted(values: list, arrow: pa.DataType) -> pa.Array | Exception:
    """The column as pyarrow converts the values one by one, or the error it raises."""
    try:
        return pa.array(arrow_values(values, "number"), arrow)
    except Exception as error:  # noqa: BLE001 (any refusal: the cast must refuse it too)
        return error


def assert_same_column(values: list, arrow: pa.DataType) -> None:
    cast, expected = decimal_array(values, arrow), converted(values, arrow)
    if isinstance(expected, Exception):
        assert cast is None, (values, expected)
    elif cast is not None:
        assert cast.type == arrow and cast.equals(expected), values


@pytest.mark.parametrize("arrow", TYPES, ids=str)
@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_each_edge_value_alone_and_among_others(value, arrow):
    assert_same_column([value], arrow)
    assert_same_column([Decimal("1.25"), None, value, 3], arrow)


@pytest.mark.parametrize("arrow", TYPES, ids=str)
def test_random_decimals_of_every_exponent(arrow):
    rng = random.Random(14)
    for _ in range(300):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 30)))
        value = Decimal(f"{rng.choice('-+')}{digits}E{rng.randint(-12, 8)}")
        assert_same_column([value], arrow)
        assert_same_column(
            [value.quantize(Decimal(1).scaleb(-arrow.scale))] if abs(value) < 10**18 else [value],
            arrow,
        )


def test_the_cast_is_used_for_decimals_ints_and_missing():
    values = [Decimal("1.5"), None, 2, Decimal("-0.25")]
    cast = decimal_array(values, TYPES[0])
    assert cast is not None and cast.to_pylist() == [
        Decimal("1.5"),
        None,
        Decimal(2),
        Decimal("-0.25"),
    ]
    assert decimal_array([], TYPES[0]).equals(pa.array([], TYPES[0]))


@pytest.mark.parametrize("other", ["", "1.5", " 1", "1_0", True, 2.5, Decimal], ids=repr)
def test_another_class_is_left_to_the_conversion(other):
    values = [Decimal("1"), other if other is not Decimal else type("D", (Decimal,), {})("2")]
    assert decimal_array(values, TYPES[0]) is None
    # arrow_array then hands the values over as before (or raises as before)
    try:
        expected = arrow_values(values, "number")
    except ArithmeticError:
        with pytest.raises(ArithmeticError):
            arrow_array(values, "number", TYPES[0])
    else:
        assert arrow_array(values, "number", TYPES[0]) == expected


def test_a_refused_text_is_left_to_the_conversion():
    assert decimal_array([Decimal("NaN")], TYPES[0]) is None
    assert decimal_array([Decimal("0.0000001")], TYPES[0]) is None
    assert arrow_array([Decimal("0.0000001")], "number", TYPES[0]) == [Decimal("0.0000001")]


def test_other_fields_are_the_values_as_before():
    assert arrow_array([1, None, ""], "integer", pa.int64()) == [1, None, None]
    assert arrow_array(["a", ""], "string", pa.string()) == ["a", ""]


def parquet_bytes(arrays: list, schema: pa.Schema) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


@pytest.mark.parametrize(
    "spec",
    [
        s
        for s in resource_specs()
        if any(field_dictionary()[n]["type"] == "number" for n in s["fields"])
    ],
    ids=lambda s: s["name"],
)
def test_real_resources_give_the_same_parquet_bytes(processed, spec):
    fields, names = field_dictionary(), spec["fields"]
    schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in names])
    cast_columns = 0
    for result in [*processed.samples(), processed["fj-quanzhou-12345-2026-dwys"]]:
        columns = resource_columns(result.resources[spec["name"]], names)
        kinds = [fields[n]["type"] for n in names]
        before = [arrow_values(v, k) for v, k in zip(columns.values, kinds, strict=True)]
        after = [
            arrow_array(v, k, f.type) for v, k, f in zip(columns.values, kinds, schema, strict=True)
        ]
        cast_columns += sum(isinstance(a, pa.Array) for a in after)
        assert parquet_bytes(after, schema) == parquet_bytes(before, schema), result.document_id
    assert cast_columns > 0
