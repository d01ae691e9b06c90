"""The proof's key sets where all but one key column hold one typed value (``_Table.key_set``,
``_Table.one_value``) and its primary key without those columns (``_primary_key``): the same
sets and verdicts as one tuple per row, on made and random tables typed by readers."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import yusuan.checks.schema_proof as schema_proof
from yusuan.checks.schema_validation import _schema


def read_int(text: str) -> tuple[Any, None]:
    return (int(text) if text else None), None


def read_text(text: str) -> tuple[Any, None]:
    return (text or None), None


def read_bool(text: str) -> tuple[Any, None]:
    return {"": None, "1": True, "0": False, "true": True}.get(text, text), None


READERS = {"int": read_int, "text": read_text, "bool": read_bool}


def table(columns: dict[str, list[Any]], kinds: dict[str, str]) -> schema_proof._Table:
    rows = len(next(iter(columns.values()))) if columns else 0
    return schema_proof._Table(
        {}, dict(columns), rows, readers={name: READERS[kinds[name]] for name in columns}, kept_distinct={name: set(cells) for name, cells in columns.items()}
    )


def one_tuple_per_row(t: schema_proof._Table, names: list[str]) -> set[tuple[Any, ...]]:
    """The oracle: every row's typed tuple (the cells typed one by one)."""
    typed = [[t.readers[n](schema_proof._cell_text(cell))[0] for cell in t.kept[n]] for n in names]
    return set(zip(*typed, strict=True))


class Schema:
    def __init__(self, names: list[str]):
        self.primary_key = names
        self.fields: list[Any] = []


def primary_key_oracle(t: schema_proof._Table, names: list[str]) -> bool:
    typed = [[t.readers[n](schema_proof._cell_text(cell))[0] for cell in t.kept[n]] for n in names]
    rows = list(zip(*typed, strict=True))
    return len(set(rows)) == len(rows) and all(any(v is not None for v in row) for row in rows)


MADE = [
    ({"d": ["x", "x", "x"], "n": [1, 2, 3]}, True),  # one value and a distinct column
    ({"d": ["x", "x", "x"], "n": [1, 2, 2]}, False),  # a duplicate in the rest
    ({"d": [None, None, None], "n": [1, 2, 3]}, True),  # the one value is empty: the full test
    ({"d": [None, None], "n": [1, None]}, False),  # ... and a key all empty
    ({"d": ["x"], "n": [None]}, True),  # one row: its key is not all empty
    ({"d": ["x", "x"], "n": [5, 5]}, False),  # every column one value, two rows
    ({"d": ["x"], "n": [5]}, True),  # every column one value, one row
    ({"d": ["", "", ""], "n": [1, 2, 3]}, True),  # "" reads as empty
    ({"d": ["x", "x"], "n": ["1", 1]}, False),  # two cells of one typed value
    ({"d": [], "n": []}, True),
]


@pytest.mark.parametrize(("columns", "valid"), MADE)
def test_made_primary_keys(columns: dict[str, list[Any]], valid: bool) -> None:
    kinds = {"d": "text", "n": "int"}
    t = table(columns, kinds)
    assert primary_key_oracle(t, ["d", "n"]) == valid
    assert schema_proof._primary_key(Schema(["d", "n"]), t) == valid
    assert table(columns, kinds).key_set(["d", "n"]) == one_tuple_per_row(t, ["d", "n"])


def test_one_value_from_the_distinct_cells() -> None:
    t = table({"a": ["1", 1, "1"], "b": ["x", "y", "x"], "c": [None, "", None]}, {"a": "int", "b": "text", "c": "text"})
    assert t.one_value("a") is None and t.one_value("b") is None and t.one_value("c") is None  # several cells: varying
    t = table({"a": [1, 1], "c": [None, None]}, {"a": "int", "c": "text"})
    assert t.one_value("a") == (1,) and t.one_value("c") == (None,)
    assert table({"a": []}, {"a": "int"}).one_value("a") is None


def random_table(seed: int) -> tuple[schema_proof._Table, list[str]]:
    rng = random.Random(seed)
    rows = rng.choice([0, 1, 2, 3, 7, 40])
    width = rng.randint(1, 4)
    names = [f"k{i}" for i in range(width)]
    kinds = {name: rng.choice(list(READERS)) for name in names}
    pools: dict[str, list[Any]] = {"int": [1, 2, 3, "1", "01", None, ""], "text": ["a", "b", "", None], "bool": ["1", "0", "true", None, 1, 0]}
    columns = {}
    for name in names:
        pool = pools[kinds[name]]
        if rng.random() < 0.5:  # one cell in every row
            cell = rng.choice(pool)
            columns[name] = [cell] * rows
        else:
            columns[name] = [rng.choice(pool) for _ in range(rows)]
    return table(columns, kinds), names


@pytest.mark.parametrize("seed", range(300))
def test_random_key_sets_and_primary_keys(seed: int) -> None:
    t, names = random_table(seed)
    expected = one_tuple_per_row(t, names)
    assert t.key_set(names) == expected
    assert schema_proof._primary_key(Schema(names), t) == primary_key_oracle(t, names)


@pytest.mark.parametrize("seed", range(100))
def test_random_foreign_keys(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    t, names = random_table(seed)
    rng = random.Random(seed)
    rows = sorted(one_tuple_per_row(t, names), key=repr)
    wanted = frozenset(rng.sample(rows, rng.randint(0, len(rows))))
    prover = schema_proof.Prover(Path("."), ["t", "s"], _schema)
    monkeypatch.setattr(prover, "_reference_keys", lambda source, key: wanted)
    fk = {"fields": names, "reference": {"resource": "s", "fields": names}}
    expected = all(row in wanted or all(v is None for v in row) for row in rows)
    assert prover._foreign_key("t", fk, t) == expected
