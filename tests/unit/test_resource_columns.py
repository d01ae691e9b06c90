"""The columns taken once from a resource's rows make the same CSV bytes as the rows' cells
(csv_rows through write_csv, themselves tested against pandas) and the same Parquet columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.core.resource_columns import CSV_AS_IS, arrow_values, csv_cells, resource_columns
from yusuan.core.resource_format import csv_rows, resource_csv_bytes, write_csv, write_resource_csv
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.writer import _arrow_value


class Label(str):
    """A str subclass: csv_text writes it through its own __str__, the csv writer would not."""

    def __str__(self) -> str:
        return "label"


class Count(int):
    """An int subclass with its own text."""

    def __str__(self) -> str:
        return "count"


VALUES = [None, "", "x", "a,b", 'q"uote', "line\nbreak", Label("y"), Count(3), 0, 7, -12, True, False, Decimal("1.50"), Decimal("-0.000001"), Decimal("1E+3"), 2.5]


def edge_rows(names: list[str]) -> list[dict]:
    """Rows with each kind of value a field of each type can hold, and keys left out."""
    return [{n: VALUES[(i + j) % len(VALUES)] for j, n in enumerate(names) if (i + j) % 5} for i in range(len(VALUES))]


def bytes_from_rows(rows: list[dict], names: list[str], tmp_path) -> bytes:
    path = tmp_path / "rows.csv"
    write_csv(path, names, csv_rows(rows, names))
    return path.read_bytes()


@pytest.mark.parametrize("spec", resource_specs(), ids=lambda s: s["name"])
def test_csv_of_columns_is_csv_of_rows(processed, tmp_path, spec):
    names = spec["fields"]
    rows = processed["fj-quanzhou-12345-2026-dwys"].resources[spec["name"]]
    for sample in (rows, edge_rows(names), rows + edge_rows(names), []):
        assert resource_csv_bytes(resource_columns(sample, names)) == bytes_from_rows(sample, names, tmp_path)
    assert write_resource_csv(rows, spec, tmp_path).read_bytes() == bytes_from_rows(rows, names, tmp_path)


def test_columns_of_uniform_classes_pass_through_and_others_are_converted():
    assert csv_cells(["a", None, 3], "string") == ["a", None, 3]  # the csv writer writes these as csv_text does
    assert csv_cells([Label("y"), "a"], "string") == ["label", "a"]
    assert csv_cells([Count(3)], "integer") == ["count"]
    assert csv_cells([True, 1], "integer") == ["True", "1"]
    assert csv_cells([True, False, None, 1, 0], "boolean") == ["true", "false", "", "true", "false"]
    assert csv_cells([Decimal("1E+3"), Decimal("0.10")], "number") == ["1000", "0.10"]
    assert bool not in CSV_AS_IS and float not in CSV_AS_IS


@pytest.mark.parametrize("kind", ["string", "integer", "number", "boolean"])
def test_arrow_values_are_the_values_from_pylist_took(kind):
    values = [None, "", "x", 0, 5, True, False, Decimal("1.50"), 2.5]
    if kind == "number":
        values = [None, "", 0, 5, Decimal("1.50"), 2.5, "3.25"]
    expected = [_arrow_value(v, {"type": kind}) for v in values]
    got = arrow_values(values, kind)
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.parametrize(
    ("kind", "values"),
    [("integer", [None, 0, 5]), ("integer", [True, 1]), ("integer", [1, ""]), ("number", [None, Decimal("1.50")]), ("number", [Decimal(1), 2]), ("boolean", [True, None]), ("boolean", [True, ""])],
)
def test_arrow_values_of_uniform_columns_are_the_values_from_pylist_took(kind, values):
    expected = [_arrow_value(v, {"type": kind}) for v in values]
    got = arrow_values(values, kind)
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]


def test_columns_know_the_rows_they_were_taken_from():
    rows = [{"a": 1, "b": "x"}, {"a": 2}]
    columns = resource_columns(rows, ["a", "b"])
    assert columns.values == [[1, 2], ["x", None]]
    assert columns.of(rows, ["a", "b"])
    assert not columns.of(list(rows), ["a", "b"])  # another list
    assert not columns.of(rows, ["b", "a"])
    rows.append({"a": 3})
    assert not columns.of(rows, ["a", "b"])  # grown since
    assert field_dictionary()  # the schemas load


def test_rows_that_are_mappings_but_not_dicts():
    from types import MappingProxyType

    rows = [MappingProxyType({"a": 1}), MappingProxyType({})]
    assert resource_columns(rows, ["a"]).values == [[1, None]]
