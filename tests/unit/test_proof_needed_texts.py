"""The proof gathers the distinct texts of the columns it reads only (``table_of_cells``'s
``needed``): the table is the full table on those columns, and a blank row is still seen when
only the columns left out tell it."""

from __future__ import annotations

import csv
import hashlib
import random
from typing import Any

import pytest
from test_proof_cells import ODD, random_cells, written_of

import yusuan.checks.schema_proof as schema_proof
from yusuan.checks.schema_validation import _schema
from yusuan.core.resource_format import csv_file_bytes
from yusuan.core.schemas import resource_specs

UNREAD = "unread"


def table(header: list[str], cells: list[list[Any]], kept: set[str], needed: set[str] | None) -> Any:
    data = csv_file_bytes(header, cells)
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), header, cells)
    try:
        return schema_proof.table_of_cells(written, header, kept, needed)
    except schema_proof._Unread:
        return UNREAD


def agrees(full: Any, part: Any, needed: set[str]) -> bool:
    """The table of the needed columns is the full table on them (or both the same verdict)."""
    if not isinstance(full, schema_proof._Table) or not isinstance(part, schema_proof._Table):
        return full is part or full == part
    wanted = {name for name in full.distinct if name in needed or name in full.kept}
    return (
        part.distinct == {name: full.distinct[name] for name in wanted}
        and part.kept == full.kept
        and part.kept_distinct == full.kept_distinct
        and part.rows == full.rows
    )


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_agree_on_the_needed_columns(seed: int) -> None:
    rng = random.Random(seed)
    width = 2 + seed % 4
    header = [f"f{i}" for i in range(width)]
    cells = [["a"] * (1 + seed * 2), *random_cells(seed, width - 1, 1 + seed * 2)]
    kept = {header[0]} | set(rng.sample(header, rng.randint(0, width - 1)))
    needed = set(rng.sample(header, rng.randint(0, width)))
    assert agrees(table(header, cells, kept, None), table(header, cells, kept, needed), needed)


@pytest.mark.parametrize("empty", ["", None])
@pytest.mark.parametrize("needed", [set(), {"a"}, {"b"}, {"a", "b"}, {"c"}])
def test_a_blank_row_told_by_the_columns_left_out(empty: Any, needed: set[str]) -> None:
    header = ["a", "b", "c"]
    cells = [["x", empty, "z"], ["1", empty, "3"], [7, empty, 9]]
    assert table(header, cells, set(), needed) is None
    assert table(header, cells, set(), None) is None
    cells[2][1] = 0  # an int is never an empty text: no blank row
    assert isinstance(table(header, cells, set(), needed), schema_proof._Table)


@pytest.mark.parametrize("odd", ODD)
def test_odd_cells_in_columns_left_out(odd: str) -> None:
    header = ["key", "b", "c"]
    cells = [["1", "2", "3"], ["x", odd, "y"], [odd, "", odd]]
    for needed in (set(), {"b"}, {"c"}):
        assert agrees(table(header, cells, {"key"}, None), table(header, cells, {"key"}, needed), needed)


def test_over_the_field_limit_every_column_is_gathered() -> None:
    header = ["a", "b"]
    cells = [["1", "2"], ["x" * 50, "y"]]
    old = csv.field_size_limit()
    csv.field_size_limit(40)
    try:
        assert table(header, cells, {"a"}, {"a"}) == UNREAD  # the long text is still measured
    finally:
        csv.field_size_limit(old)


def test_the_prover_reads_only_fields_that_are_not_plain(processed: Any, tmp_path: Any) -> None:
    document_id = processed.sample_ids[0]
    written = written_of(processed, document_id, tmp_path)
    names = [s["name"] for s in resource_specs()]
    digests = {name: w.sha256 for name, w in written.items()}
    prover = schema_proof.Prover(tmp_path, names, _schema, digests=digests, written=written)
    assert all(prover.proves(name) for name in names)
    left_out = 0
    for name in names:  # each table as the full table on the columns the proof reads
        rules = schema_proof.field_rules(name, _schema(name))
        plain = {field.name for field, rule in zip(_schema(name).fields, rules, strict=True) if rule.plain}
        kept = prover._key_fields(name)
        full = schema_proof.table_of_cells(written[name], list(written[name].header), kept)
        proved = prover._tables[name]
        assert agrees(full, proved, set(full.distinct) - plain), name
        assert not set(proved.distinct) & (plain - kept), name
        left_out += len(plain - kept)
    assert left_out  # some columns were left out
