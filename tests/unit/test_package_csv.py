"""The package's CSV is byte for byte what pandas' to_csv wrote before (pandas is the reference here);
the cells of a row are csv_text's, and the Parquet tables built by column are those built by row."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core.resource_format import csv_rows, csv_text
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import _arrow_value, arrow_column, arrow_type, write_csv

TRICKY = [
    ["a", "", "1,234.50", 'he said "yes"'],
    ["", "", "", ""],
    ["line\nbreak", "carriage\rreturn", " spaced ", "中文，标点"],
    ["-0.000001", "true", "#", "'quote'"],
]


@pytest.mark.parametrize("rows", [TRICKY, [], [["x", "y", "z", "w"]]], ids=["tricky", "no-rows", "one-row"])
def test_csv_bytes_are_pandas_bytes(tmp_path, rows):
    names = ["c1", "c2", "c3", "c4"]
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(ours, names, iter(rows))
    pd.DataFrame(rows, columns=names, dtype=object).to_csv(theirs, index=False, lineterminator="\n", encoding="utf-8")
    assert ours.read_bytes() == theirs.read_bytes()


def test_single_column_with_empty_values(tmp_path):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    rows = [[""], ["a"], [""]]
    write_csv(ours, ["only"], iter(rows))
    pd.DataFrame(rows, columns=["only"], dtype=object).to_csv(theirs, index=False, lineterminator="\n", encoding="utf-8")
    assert ours.read_bytes() == theirs.read_bytes()


class Label(str):
    """A str subclass: written through str(), as csv_text writes it."""

    def __str__(self) -> str:
        return "label"


def edge_rows(names: list[str]) -> list[dict]:
    """Rows with each kind of value a field of each type can hold, and keys left out."""
    values = [None, "", "x", Label("y"), 0, 7, True, False, Decimal("1.50"), Decimal("-0.000001"), Decimal("1E+3"), 2.5]
    return [{n: values[(i + j) % len(values)] for j, n in enumerate(names) if (i + j) % 5} for i in range(len(values))]


@pytest.mark.parametrize("spec", resource_specs(), ids=lambda s: s["name"])
def test_cells_are_csv_text_of_each_value(processed, spec):
    fields, names = field_dictionary(), spec["fields"]
    rows = processed["fj-quanzhou-12345-2026-dwys"].resources[spec["name"]] + edge_rows(names)
    assert list(csv_rows(rows, names)) == [[csv_text(row.get(n), fields[n]) for n in names] for row in rows]


@pytest.mark.parametrize("spec", [s for s in resource_specs() if s["name"] in ("amounts", "document", "checks", "cofog_weights")], ids=lambda s: s["name"])
def test_parquet_from_columns_is_parquet_from_rows(processed, tmp_path, spec):
    fields, names = field_dictionary(), spec["fields"]
    rows = processed["fj-quanzhou-12345-2026-dwys"].resources[spec["name"]]
    schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in names])
    from_rows = pa.Table.from_pylist([{n: _arrow_value(row.get(n), fields[n]) for n in names} for row in rows], schema=schema)
    from_columns = pa.Table.from_arrays([arrow_column(rows, n, fields[n]) for n in names], schema=schema)
    assert from_columns.equals(from_rows) and len(from_rows) == len(rows) > 0
    pq.write_table(from_rows, tmp_path / "rows.parquet", compression="zstd")
    pq.write_table(from_columns, tmp_path / "columns.parquet", compression="zstd")
    assert (tmp_path / "rows.parquet").read_bytes() == (tmp_path / "columns.parquet").read_bytes()
