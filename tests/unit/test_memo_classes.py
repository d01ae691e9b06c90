"""same_classes (the memos' class comparison, in C where built) against the lists of classes it
replaces (the oracle), and the memo still refusing equal values of other classes."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from yusuan.core import resource_columns as rc
from yusuan.core.resource_columns import same_classes
from yusuan.package.parquet_memo import ValuesMemo

needs_extension = pytest.mark.skipif(
    rc._native is None or not rc.native_enabled(),
    reason="the C extension was not built (no compiler at install; test_extension_built_where_required guards CI) or is turned off",
)


class Text(str):
    """A str subclass: equal to its text, another class."""


def oracle(a, b) -> bool:
    return [list(map(type, c)) for c in a] == [list(map(type, c)) for c in b]


CASES = [
    ([], []),
    ([[]], [[]]),
    ([[1, None]], [[1, None]]),
    ([[1]], [[True]]),
    ([[1]], [[Decimal(1)]]),
    ([["a"]], [[Text("a")]]),
    ([[1.0]], [[1]]),
    ([[1], [2]], [[1]]),
    ([[1]], [[1], [2]]),
    ([[1, 2]], [[1]]),
    ([[None, "x"], [3]], [[None, "y"], [4]]),
    ([[None, "x"], [3]], [[None, "y"], [None]]),
]


@pytest.mark.parametrize(("a", "b"), CASES, ids=range(len(CASES)))
def test_made_tables(a, b):
    assert same_classes(a, b) == oracle(a, b)
    assert same_classes(b, a) == oracle(b, a)


@needs_extension
def test_the_extension_answers_for_lists_of_lists_and_leaves_the_rest():
    assert rc._native.same_classes([[1]], [[2]]) is True
    assert rc._native.same_classes([[1]], [[True]]) is False
    assert rc._native.same_classes([(1,)], [(1,)]) is None
    assert rc._native.same_classes(([1],), ([1],)) is None
    assert same_classes([(1,)], [(2,)]) is True and same_classes([(1,)], [(True,)]) is False


def test_random_tables():
    chance = random.Random(33)
    pool = [None, 0, 1, True, False, "a", "", Text("a"), Decimal("1"), 1.5]
    for _ in range(3_000):
        width = chance.randint(0, 4)
        a = [[chance.choice(pool) for _ in range(chance.randint(0, 5))] for _ in range(width)]
        b = [[chance.choice(pool) if chance.random() < 0.3 else type(v)(v) if type(v) in (int, str) else v for v in column] for column in a]
        if chance.random() < 0.1 and b:
            b[chance.randrange(len(b))].append(None)
        assert same_classes(a, b) == oracle(a, b)


def test_turned_off_it_is_the_lists_of_classes(monkeypatch):
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert same_classes([[1]], [[2]]) and not same_classes([[1]], [[True]])


def test_the_memo_refuses_equal_values_of_other_classes():
    memo = ValuesMemo()
    made = []

    def make():
        made.append(1)
        return len(made)

    assert memo.made(("k",), [[1, None], ["a"]], make) == 1
    assert memo.made(("k",), [[1, None], ["a"]], make) == 1  # equal values, same classes: found
    assert memo.made(("k",), [[True, None], ["a"]], make) == 2  # True == 1: made again
    assert memo.made(("k",), [[True, None], [Text("a")]], make) == 3  # a str subclass: made again
    assert memo.made(("k",), [[True, None], [Text("a")]], make) == 3
