"""A number field's Parquet column cast from its CSV cells (yusuan/package/decimal_texts.py) is
the column ``arrow_values`` makes of the values, array and Parquet bytes; a cell that is not a
plain text (or not of a text class) leaves the column to ``arrow_values``; the real packages'
Parquet files are those of the Decimal route."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import yusuan.package.writer as writer
from yusuan.core.resource_columns import arrow_values, csv_cells
from yusuan.core.schemas import resource_specs
from yusuan.package.decimal_texts import decimal_array, plain_number
from yusuan.package.parquet_memo import ParquetMemo
from yusuan.package.writer import write_package

DOC = "fj-quanzhou-12345-2026-dwys"
TYPE = pa.decimal128(28, 6)


def parquet_bytes(array: Any) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays([array], schema=pa.schema([pa.field("x", TYPE)])), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def both(values: list[Any]) -> tuple[Any, Any]:
    """The cast of the values' CSV cells (None: not cast) and the Decimal route's array."""
    return decimal_array(csv_cells(values, "number"), TYPE), pa.array(arrow_values(values, "number"), type=TYPE)


PLAIN = [
    [Decimal("1.50"), Decimal("-0"), Decimal("0.000001"), Decimal("1E+3"), Decimal("-12.5"), None, Decimal("1234567890123456789012.123456")],
    ["1.5", "", None, "-7", "007", "0.000000"],  # str cells of a number field
    [1, -2, None, 10**21],  # ints
    [None, None],
    [Decimal("1.0"), Decimal("1.00"), Decimal("1")],  # equal values, different texts
    [1.5, 0.1, -2.0],  # floats: the csv cell is str(v), the Decimal route's Decimal(str(v))
]


@pytest.mark.parametrize("values", PLAIN)
def test_plain_cells_are_cast_to_the_same_column_and_bytes(values):
    cast, decimals = both(values)
    assert cast is not None and cast.equals(decimals)
    assert parquet_bytes(cast) == parquet_bytes(decimals)


NOT_PLAIN = [
    [Decimal("1.0000000")],  # more decimals than the scale, even if zeros
    [Decimal("1.0000001")],  # the Decimal route refuses it: the cast is not asked
    ["+1"], [" 1"], ["1."], ["1e3"], ["NaN"], ["１"],  # texts Arrow might read, or read otherwise
    [Decimal("12345678901234567890123.5")],  # more whole digits than precision - scale
    [True], [Decimal("NaN")],  # texts that are not numbers
    [],
]


@pytest.mark.parametrize("values", NOT_PLAIN)
def test_other_cells_are_left_to_the_decimal_route(values):
    assert decimal_array(csv_cells(values, "number"), TYPE) is None


def test_the_plain_rule():
    assert plain_number("-1234567890123456789012.123456", 28, 6)
    assert not plain_number("12345678901234567890123", 28, 6)
    assert not plain_number("1.1234567", 28, 6)
    assert plain_number("12", 2, 0) and not plain_number("1.0", 2, 0)


def test_the_real_packages_parquet_is_the_decimal_routes(processed, tmp_path, monkeypatch):
    document_id = DOC if DOC in processed.sample_ids else processed.sample_ids[0]
    monkeypatch.setattr(writer, "PARQUET_MEMO", ParquetMemo(max_entries=0))  # every file built, none reused
    cast = write_package(processed[document_id], tmp_path / "cast")
    calls: list[int] = []
    real = writer.decimal_array

    def counted(cells: list[Any], arrow_type: Any) -> Any:
        array = real(cells, arrow_type)
        calls.append(array is not None)
        return array

    monkeypatch.setattr(writer, "decimal_array", counted)
    write_package(processed[document_id], tmp_path / "counted")
    assert any(calls)  # the cast is taken on the real columns
    monkeypatch.setattr(writer, "decimal_array", lambda cells, arrow_type: None)
    decimals = write_package(processed[document_id], tmp_path / "decimals")
    names = [f"{s['name']}.parquet" for s in resource_specs()]
    assert [(cast / n).read_bytes() for n in names] == [(decimals / n).read_bytes() for n in names]
    assert (cast / "datapackage.json").read_bytes() == (decimals / "datapackage.json").read_bytes()
