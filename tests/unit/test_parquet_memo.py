"""A Parquet file reused from the memo is the file pyarrow writes of the same table, and the
memo tells apart values that compare equal but are written differently."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yusuan.core.resource_columns import arrow_values, resource_columns
from yusuan.core.schemas import field_dictionary, resource_specs
from yusuan.package.parquet_memo import SharedRowsMemo, ValuesMemo
from yusuan.package.writer import arrow_type


def parquet_of(values: list[list], schema: pa.Schema, kinds: list[str]) -> pa.Buffer:
    table = pa.Table.from_arrays([arrow_values(v, k) for v, k in zip(values, kinds, strict=True)], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


@pytest.mark.parametrize("name", ["cofog_weights", "code_concordance", "function_classification", "performance_targets", "checks"])
def test_a_remembered_file_is_the_file_written_again(processed, name):
    spec = next(s for s in resource_specs() if s["name"] == name)
    fields, names = field_dictionary(), spec["fields"]
    schema = pa.schema([pa.field(n, arrow_type(fields[n])) for n in names])
    kinds = [fields[n]["type"] for n in names]
    memo, calls = ValuesMemo(), []

    def write(values):
        calls.append(1)
        return parquet_of(values, schema, kinds)

    first = processed["fj-quanzhou-12345-2026-dwys"]
    a = resource_columns(first.resources[name], names).values
    b = resource_columns([dict(r) for r in first.resources[name]], names).values  # equal values, other objects
    key = (name, schema.to_string(), "digest")
    assert memo.made(key, a, lambda: write(a)).equals(parquet_of(a, schema, kinds))
    assert memo.made(key, b, lambda: write(b)).to_pybytes() == parquet_of(b, schema, kinds).to_pybytes()
    assert len(calls) == 1  # the second came from the memo


def test_a_package_written_with_the_memo_is_the_package_written_without(processed, tmp_path, monkeypatch):
    import yusuan.package.writer as writer

    result = processed["fj-quanzhou-12345-2026-dwys"]
    packages = {}
    for label, memo in (("without", ValuesMemo(max_entries=0)), ("first", ValuesMemo()), ("remembered", None)):
        if memo is not None:
            monkeypatch.setattr(writer, "PARQUET_MEMO", memo)
            monkeypatch.setattr(writer, "SHARED_PARQUET", SharedRowsMemo(memo.max_entries))
        folder = writer.write_package(result, tmp_path / label)
        packages[label] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    assert writer.PARQUET_MEMO._entries  # the third package took its small tables from the memo
    assert packages["without"] == packages["first"] == packages["remembered"]
    assert sum(name.endswith(".parquet") for name in packages["without"]) == len(resource_specs())


def test_equal_values_of_other_classes_are_not_taken_from_the_memo():
    memo = ValuesMemo()
    key = ("r", "schema", "digest")
    assert memo.made(key, [[1, 0]], lambda: "ints") == "ints"
    assert memo.made(key, [[True, False]], lambda: "bools") == "bools"  # 1 == True, not the same value
    assert memo.made(key, [[Decimal(1), 0]], lambda: "decimals") == "decimals"
    assert memo.made(key, [[Decimal(1), 0]], lambda: "again") == "decimals"
    assert memo.made(key, [[Decimal(2), 0]], lambda: "other") == "other"
    assert memo.made(("r", "schema", "other digest"), [[Decimal(2), 0]], lambda: "new key") == "new key"


def test_the_memo_is_bounded():
    memo = ValuesMemo(max_entries=2, max_cells=3)
    memo.made(("a", "", ""), [[1, 2, 3, 4]], lambda: "big")
    assert memo.made(("a", "", ""), [[1, 2, 3, 4]], lambda: "big again") == "big again"  # too large to keep
    for name in ("b", "c", "d"):
        memo.made((name, "", ""), [[1]], lambda name=name: name)
    assert memo.made(("b", "", ""), [[1]], lambda: "b again") == "b again"  # forgotten: the oldest of three
    assert memo.made(("d", "", ""), [[1]], lambda: "d again") == "d"


def test_threads_writing_packages_share_the_memo_safely():
    from concurrent.futures import ThreadPoolExecutor

    memo = ValuesMemo(max_entries=3)

    def ask(worker: int) -> bool:
        return all(memo.made((str(i % 7), "", ""), [[i % 7]], lambda i=i: f"t{i % 7}") == f"t{i % 7}" for i in range(worker, worker + 3000))

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(ask, range(4)))
    assert len(memo._entries) <= 3
