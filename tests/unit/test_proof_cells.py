"""The proof's table of a staged file made from the cells it was written from
(``schema_proof.table_of_cells``) is the table read from the file (``schema_proof.read_table``,
the oracle): on the real packages of the samples, and on adversarial cells (quotes, commas,
line feeds, carriage returns, leading spaces, empty strings, characters outside the BMP,
Unicode line separators, ints and None, blank rows, one-column tables, over-long cells,
cells that make the sniffer pick another dialect). Where the cells cannot stand for the file
(``_Unread``), the file is read; a file changed after staging is read from the file."""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path
from typing import Any

import pytest

import yusuan.checks.schema_proof as schema_proof
import yusuan.checks.schema_validation as schema_validation
from yusuan.checks.schema_validation import _schema, validate_staged
from yusuan.core.resource_format import csv_file_bytes
from yusuan.core.schemas import resource_specs
from yusuan.package.staged_validation import stage_csv

NAMES = [s["name"] for s in resource_specs()]
UNREAD = "unread"
ODD = ['say "hi"', "a,b", "two\nlines", "\nleading feed", " leading space", "  ", "", "😀 non-BMP 𠀀", "\u2028 sep", "\x85 nel\x0b\x0c", '"', '""', ",", "'quoted'", "x;y|z\tw", "中文"]


def from_file(path: Path, names: list[str], kept: set[str]) -> Any:
    """read_table's table, None where the proof's reading of the file fails (as Prover._table does)."""
    try:
        return schema_proof.read_table(path, names, kept)
    except Exception:  # noqa: BLE001 - the proof's doubt, a bad byte, the csv module's error
        return None


def from_cells(data: bytes, header: list[str], cells: list[list[Any]], names: list[str], kept: set[str]) -> Any:
    written = schema_proof.written_cells(data, hashlib.sha256(data).hexdigest(), header, cells)
    try:
        return schema_proof.table_of_cells(written, names, kept)
    except schema_proof._Unread:
        return UNREAD


def same_table(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return (a.distinct, texts_of(a), a.rows) == (b.distinct, texts_of(b), b.rows)


def texts_of(table: Any) -> dict[str, list[str]]:
    """The kept columns' texts: read from the file, or the texts the written cells read back as."""
    return {name: table.texts(name) for name in table.kept}


def compare(tmp_path: Path, header: list[str], cells: list[list[Any]], *, names: list[str] | None = None, kept: set[str] | None = None) -> Any:
    """Both readings of the file written of ``header`` and ``cells``; the cells' must be the
    file's wherever they are not ``_Unread``. Returns the cells' reading."""
    names = header if names is None else names
    kept = set(header[:1]) if kept is None else kept
    data = csv_file_bytes(header, cells)
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    memory = from_cells(data, header, cells, names, kept)
    if memory is not UNREAD:
        assert same_table(memory, from_file(path, names, kept)), (header, cells)
    return memory


def random_cells(seed: int, width: int, rows: int) -> list[list[Any]]:
    rng = random.Random(seed)
    pool: list[Any] = [*ODD, None, 0, 7, -12, 10**20, "plain", "1.50"]
    return [[rng.choice(pool) for _ in range(rows)] for _ in range(width)]


@pytest.mark.parametrize("seed", range(40))
def test_adversarial_cells_read_back_as_the_file(tmp_path, seed):
    width = 1 + seed % 4
    header = [f"f{i}" for i in range(width)]
    cells = random_cells(seed, width, 1 + seed * 3)
    memory = compare(tmp_path, header, cells, kept=set(header[seed % width :]))
    if seed < 10:  # a column of plain texts first: the sniffer finds the comma (the cells are read from memory)
        cells = [["a"] * len(cells[0]), *cells]
        memory = compare(tmp_path, ["key", *header], cells, kept={"key", header[-1]})
        assert memory is not UNREAD


@pytest.mark.parametrize("odd", ODD)
def test_each_odd_cell_in_a_plain_table(tmp_path, odd):
    cells = [["1", "2", "3"], ["x", odd, "y"], [odd, "", odd]]
    memory = compare(tmp_path, ["a", "b", "c"], cells, kept={"b", "c"})
    assert memory is not UNREAD and memory is not None or odd == ""
    assert memory.distinct["b"] == {"x", odd, "y"}


def test_ints_and_none_are_the_writers_texts(tmp_path):
    memory = compare(tmp_path, ["a", "b"], [[1, None, -3, 10**30], ["x", "y", None, "0"]], kept={"a"})
    assert memory.texts("a") == ["1", "", "-3", str(10**30)] and memory.distinct["b"] == {"x", "y", "", "0"}


@pytest.mark.parametrize(
    "cells",
    [
        [["", ""], ["", "x"]],  # a blank row first
        [["x", ""], ["y", ""]],  # a blank row last
        [[None, "a"], [None, None]],  # None is blank too
        [[""]],  # one column, one empty cell (written '""')
        [["", "a", ""]],
    ],
)
def test_blank_rows_are_seen(tmp_path, cells):
    assert compare(tmp_path, [f"f{i}" for i in range(len(cells))], cells) is None


def test_a_header_other_than_the_schemas_is_not_proved(tmp_path):
    assert compare(tmp_path, ["a", "b"], [["1"], ["2"]], names=["a", "c"]) is None
    assert compare(tmp_path, ["a", "b"], [["1"], ["2"]], names=["a"]) is None
    assert compare(tmp_path, ["a", "b"], [[], []]).rows == 0


@pytest.mark.parametrize("odd", ["a\rb", "a\r\nb", "nul\x00", "\r"])
def test_carriage_returns_and_nuls_send_the_proof_to_the_file(tmp_path, odd):
    assert compare(tmp_path, ["a", "b"], [["1", "2"], ["x", odd]]) is UNREAD


def test_a_byte_order_mark_sends_the_proof_to_the_file(tmp_path):
    assert compare(tmp_path, ["\ufeffa", "b"], [["1"], ["2"]], names=["\ufeffa", "b"]) is UNREAD


def test_another_sniffed_dialect_sends_the_proof_to_the_file(tmp_path):
    cells = [["a;b;c", "d;e;f", "g;h;i"]]  # one column the sniffer takes for three, split at ';'
    assert compare(tmp_path, ["x;y;z"], cells, names=["x;y;z"]) is UNREAD
    assert from_file(tmp_path / "t.csv", ["x;y;z"], set()) is None


def test_a_cell_over_the_field_limit_sends_the_proof_to_the_file(tmp_path):
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(20)
        for size in (19, 20, 21):
            memory = compare(tmp_path, ["a", "b"], [["1", "2"], ["x", "y" * size]])
            assert (memory is UNREAD) == (size >= 20)
            if size > 20:
                assert from_file(tmp_path / "t.csv", ["a", "b"], {"a"}) is None
    finally:
        csv.field_size_limit(limit)


def test_cells_of_another_class_send_the_proof_to_the_file(tmp_path):
    assert compare(tmp_path, ["a", "b"], [["1", "2"], [True, 1.5]]) is UNREAD
    assert compare(tmp_path, ["a", "b"], [["1", "2"], [1, True]], kept=set()) is UNREAD  # 1 == True: not one distinct text


def written_of(processed, document_id: str, folder: Path) -> dict[str, Any]:
    written: dict[str, Any] = {}
    for spec in resource_specs():
        stage_csv(processed[document_id], spec, folder, written)
    return written


def test_the_real_packages_read_from_their_cells_as_from_their_files(processed, tmp_path):
    for document_id in processed.sample_ids:
        folder = tmp_path / document_id
        folder.mkdir()
        written = written_of(processed, document_id, folder)
        for spec in resource_specs():
            name = spec["name"]
            names = list(spec["fields"])
            kept = set(names)  # every column's texts compared
            memory = schema_proof.table_of_cells(written[name], names, kept)
            assert memory is not None and same_table(memory, from_file(folder / f"{name}.csv", names, kept)), (document_id, name)


def test_the_prover_takes_the_cells_only_for_the_bytes_written(processed, tmp_path, monkeypatch):
    document_id = processed.sample_ids[0]
    written = written_of(processed, document_id, tmp_path)
    digests = {name: w.sha256 for name, w in written.items()}
    read: list[str] = []
    real = schema_proof.read_table

    def reading(path: Path, *args: Any, **kwargs: Any) -> Any:
        read.append(path.stem)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(schema_proof, "read_table", reading)
    prover = schema_proof.Prover(tmp_path, NAMES, _schema, digests=digests, written=written)
    assert all(prover.proves(name) for name in NAMES) and read == []
    changed = dict(digests, glossary="0" * 64)  # the file is not the one written: it is read
    prover = schema_proof.Prover(tmp_path, NAMES, _schema, digests=changed, written=written)
    assert all(prover.proves(name) for name in NAMES) and read == ["glossary"]


def test_a_file_changed_after_staging_is_judged_on_its_bytes(processed, tmp_path):
    document_id = processed.sample_ids[0]
    written = written_of(processed, document_id, tmp_path)
    amounts = tmp_path / "amounts.csv"
    lines = amounts.read_text(encoding="utf-8").splitlines(keepends=True)
    amounts.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # a row twice: its key twice
    schema_validation._memo.clear()
    schema_proof.forget()
    assert not validate_staged(tmp_path, NAMES, written).valid
    assert not validate_staged(tmp_path, NAMES).valid


# -- keys tested as sets against the all-empty key ------------------------------------------------

KEY_COLUMNS = [
    ([1, 2, 3], ["a", "b", "c"]),
    ([1, None, 3], ["a", None, "c"]),  # an all-empty key
    ([1, None, None], ["a", "b", None]),  # empty cells, no all-empty key
    ([1, 1, 2], ["a", "a", "b"]),  # a duplicate
    ([None, None], [None, None]),  # all-empty twice
    ([0, False, ""], ["", 0, None]),  # falsy values that are not empty
    ([], []),
]


class Keys:
    def __init__(self, columns: tuple[list[Any], ...], names: list[str]):
        self.primary_key = names
        self.fields = []
        self.table = schema_proof._Table({}, {}, len(columns[0]), typed_columns=dict(zip(names, columns, strict=True)))


@pytest.mark.parametrize("columns", KEY_COLUMNS)
def test_primary_keys_as_cell_by_cell(columns):
    keys = Keys(columns, ["a", "b"])
    rows = list(zip(*columns, strict=True))
    expected = len(set(rows)) == len(rows) and all(any(c is not None for c in k) for k in rows)
    assert schema_proof._primary_key(keys, keys.table) == expected


@pytest.mark.parametrize("columns", KEY_COLUMNS)
@pytest.mark.parametrize("wanted", [frozenset(), frozenset({(1, "a")}), frozenset({(1, "a"), (3, "c"), (2, "b")})])
def test_foreign_keys_as_cell_by_cell(columns, wanted, monkeypatch):
    keys = Keys(columns, ["a", "b"])
    prover = schema_proof.Prover(Path("."), ["t", "s"], _schema)
    monkeypatch.setattr(prover, "_reference_keys", lambda source, key: wanted)
    fk = {"fields": ["a", "b"], "reference": {"resource": "s", "fields": ["x", "y"]}}
    expected = all(k in wanted or not any(c is not None for c in k) for k in zip(*columns, strict=True))
    assert prover._foreign_key("t", fk, keys.table) == expected
