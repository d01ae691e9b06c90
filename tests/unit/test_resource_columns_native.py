"""The columns taken by the C extension (yusuan/core/_resource_columns.c) are the columns the
Python code takes (``_column``, the oracle): the same objects, in the same order; whatever the
C loop does not take (rows or names of other kinds) is left to Python."""

from __future__ import annotations

import gc
import os
import sys
from collections import OrderedDict, defaultdict
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from yusuan.core import resource_columns as rc
from yusuan.core.resource_rows import SharedRow, shared_rows
from yusuan.core.schemas import resource_specs

needs_extension = pytest.mark.skipif(
    rc._native is None,
    reason="the C extension was not built (no compiler at install); test_extension_built_where_required guards CI",
)


def oracle(rows: list[Any], names: list[str]) -> list[list[Any]]:
    return [rc._column(rows, name) for name in names]


def same_objects(found: list[list[Any]], expected: list[list[Any]]) -> None:
    assert len(found) == len(expected)
    for a, b in zip(found, expected, strict=True):
        assert type(a) is list and len(a) == len(b)
        assert all(x is y for x, y in zip(a, b, strict=True))


def test_extension_built_where_required():
    if os.environ.get("YUSUAN_REQUIRE_NATIVE") == "1":
        assert rc._native is not None, f"the C extension was not built: {rc.IMPORT_ERROR}"
        assert rc.native_enabled() == (os.environ.get("YUSUAN_NATIVE", "1") != "0")


@needs_extension
def test_every_resource_of_the_samples(processed):
    for result in processed.samples():
        for spec in resource_specs():
            rows = result.resources[spec["name"]]
            names = list(spec["fields"])
            found = rc._native.columns(rows, names)
            if type(rows) is not list:  # shared rows: a list subclass, left to Python
                assert found is None
                continue
            same_objects(found, oracle(rows, names))


class StrKey(str):
    pass


class Weird:
    """A key equal to a name, whose comparison could run any Python code."""

    def __hash__(self) -> int:
        return hash("code")

    def __eq__(self, other: object) -> bool:
        return other == "code"


ROWS: dict[str, list[Any]] = {
    "no rows": [],
    "missing keys": [{"code": "1"}, {}, {"name": "x", "code": None}],
    "extra keys": [{"code": "1", "_working": [1], "name": "a"}, {"code": "2", "other": 3}],
    "values of every kind": [
        {"code": v, "name": Decimal("1.10")}
        for v in ("", "0", 0, True, 1.5, None, b"x", (1,), "中文")
    ],
    "dict subclasses": [
        SharedRow({"code": "1"}),
        OrderedDict(code="2"),
        defaultdict(lambda: "made", code="3"),
        defaultdict(lambda: "made"),
    ],
    "many rows": [{"code": str(i), "name": i, "level": None} for i in range(5000)],
}


@needs_extension
@pytest.mark.parametrize("case", ROWS, ids=list(ROWS))
def test_the_same_objects_as_python(case):
    rows = ROWS[case]
    for names in (["code", "name", "level"], ["name"], [], ["code", "code"]):
        same_objects(rc._native.columns(rows, names), oracle(rows, names))


@needs_extension
def test_a_missing_key_of_a_defaultdict_is_none_as_dict_get_gives():
    rows = [defaultdict(lambda: "made")]
    assert rc._native.columns(rows, ["code"]) == [[None]] == oracle(rows, ["code"])
    assert "code" not in rows[0]


LEFT_TO_PYTHON: dict[str, tuple[Any, Any]] = {
    "rows a tuple": (({"code": "1"},), ["code"]),
    "shared rows (a list subclass)": (shared_rows([{"code": "1"}]), ["code"]),
    "names a tuple": ([{"code": "1"}], ("code",)),
    "a row not a dict": ([{"code": "1"}, MappingProxyType({"code": "2"})], ["code"]),
    "a name a str subclass": ([{"code": "1"}], [StrKey("code")]),
    "a name not a str": ([{1: "1"}], [1]),
    "a key not a str": ([{"code": "1"}, {1: "x", "code": "2"}], ["code"]),
    "a key a str subclass": ([{StrKey("code"): "1"}], ["code"]),
    "a key that compares in Python": ([{Weird(): "1"}], ["code"]),
    # each row's keys are checked just before its fields are looked up: rows read before it
    "a key not a str after many rows": ([*({"code": str(i)} for i in range(50)), {2: "x"}, {"code": "y"}], ["code", "other"]),
    "a key that compares in Python after many rows": ([*({"code": str(i)} for i in range(50)), {Weird(): "1", "code": "z"}], ["code"]),
}


@needs_extension
@pytest.mark.parametrize("case", LEFT_TO_PYTHON, ids=list(LEFT_TO_PYTHON))
def test_left_to_python(case):
    rows, names = LEFT_TO_PYTHON[case]
    assert rc._native.columns(rows, names) is None


@pytest.mark.parametrize("case", LEFT_TO_PYTHON, ids=list(LEFT_TO_PYTHON))
def test_resource_columns_takes_what_c_leaves(case, monkeypatch):
    rows, names = LEFT_TO_PYTHON[case]
    found = rc.resource_columns(rows, names)
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    expected = rc.resource_columns(rows, names)
    same_objects(found.values, expected.values)
    assert found.names == expected.names == list(names)


def test_resource_columns_with_and_without_the_extension(processed, monkeypatch):
    result = processed["fj-quanzhou-12345-2026-dwys"]
    for spec in resource_specs():
        rows = result.resources[spec["name"]]
        monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
        found = rc.resource_columns(rows, spec["fields"])
        monkeypatch.setenv("YUSUAN_NATIVE", "0")
        expected = rc.resource_columns(rows, spec["fields"])
        same_objects(found.values, expected.values)
        assert found.rows is rows and found.names == expected.names == list(spec["fields"])


@needs_extension
def test_no_reference_is_lost_or_leaked():
    value, name = object(), "code"
    rows = [{name: value} for _ in range(100)] + [{} for _ in range(10)]
    gc.collect()
    before = (sys.getrefcount(value), sys.getrefcount(None), sys.getrefcount(name))
    for _ in range(50):
        columns = rc._native.columns(rows, [name, "other"])
        assert columns[0][:100] == [value] * 100
        del columns
        assert (
            rc._native.columns([*rows, {1: 2}], [name]) is None
        )  # left to Python after the lists were made
    gc.collect()
    after = (sys.getrefcount(value), sys.getrefcount(None), sys.getrefcount(name))
    assert after[0] == before[0] and after[2] == before[2]
    assert abs(after[1] - before[1]) < 50  # None is shared by the whole interpreter


@needs_extension
def test_wrong_arguments():
    with pytest.raises(TypeError):
        rc._native.columns([])
    with pytest.raises(TypeError):
        rc._native.columns([], [], [])


# --- the classes of a column -------------------------------------------------------------


class Text(str):
    pass


COLUMNS: dict[str, list[Any]] = {
    "empty": [],
    "texts": ["a", "", "中文"],
    "texts and None": ["a", None, "b", None],
    "many classes": [
        "a",
        1,
        None,
        True,
        1.5,
        Decimal("1"),
        b"x",
        Text("t"),
        (1,),
        [2],
        {3: 4},
        "b",
        2,
    ],
    "a str subclass": [Text("a"), "a"],
    "ints and bools": [1, True, 0, False],
    "long": ["x", None, 1] * 5000,
}


@needs_extension
@pytest.mark.parametrize("case", COLUMNS, ids=list(COLUMNS))
def test_the_classes_of_a_column(case):
    column = COLUMNS[case]
    found = rc._native.classes(column)
    assert type(found) is set and found == set(map(type, column))
    assert rc.column_classes(column) == set(map(type, column))


@needs_extension
def test_the_classes_of_every_column_of_the_samples(processed):
    for result in processed.samples():
        for spec in resource_specs():
            for values in rc.resource_columns(
                result.resources[spec["name"]], spec["fields"]
            ).values:
                assert rc._native.classes(values) == set(map(type, values))


@needs_extension
def test_classes_of_what_is_not_a_list_are_pythons():
    for column in (("a", 1), iter(["a"]), shared_rows([{"a": 1}])):
        assert rc._native.classes(column) is None
    assert rc.column_classes(("a", 1)) == {str, int}


class Meddling(type):
    """A class whose hash changes the column being read."""

    column: list[Any] = []

    def __hash__(cls) -> int:
        if Meddling.column:
            Meddling.column.pop()
        return id(cls) >> 4


class Meddler(metaclass=Meddling):
    pass


@needs_extension
def test_a_column_changed_while_its_classes_are_read_is_read_as_python_reads_it():
    def column() -> list[Any]:
        return [Meddler(), "a", 1, None, 2.0, b"x", Meddler()]

    Meddling.column = python = column()
    expected = set(map(type, python))
    Meddling.column = native = column()
    assert rc._native.classes(native) == expected
    assert len(native) == len(python)  # the same cells popped


# Stop 35: a row's cells are filled by one walk over its entries, each key's cached hash
# probing a small table of the names (matched by text, not by object); repeated names are
# looked up one by one. These rows reach every branch of that walk.
def _fresh(text: str) -> str:
    """The same text as another str object (not the interned constant)."""
    return "".join(list(text))


def _colliding_names(count: int) -> list[str]:
    """Names whose hashes fall in the same slots of a small table (the low bits equal)."""
    found: list[str] = []
    i = 0
    while len(found) < count:
        name = f"f{i}"
        if hash(name) & 63 == 5:
            found.append(name)
        i += 1
    return found


def _same_slot_ucs2(name: str) -> str:
    """A UCS-2 str of ``name``'s length (two ASCII letters) whose first two bytes are ``name``'s
    (little-endian), and whose hash takes the name's slot in a table of one name (8 slots)."""
    first = chr(ord(name[0]) | ord(name[1]) << 8)
    return next(key for c in map(chr, range(0x4E00, 0x9FFF)) if hash(key := first + c) & 7 == hash(name) & 7)


ENTRY_WALK_ROWS: dict[str, tuple[list[Any], list[str]]] = {
    "keys equal to the names, other objects": ([{_fresh("code"): 1, _fresh("name"): 2}, {"code": 3}], ["code", "name"]),
    "names of other kinds of str (UCS-1, UCS-2, UCS-4)": (
        [{"é": 1, "金额": 2, "\U0001f600": 3, "e": 4}, {_fresh("金额"): 5}, {"金": 6, "额": 7}],
        ["金额", "é", "\U0001f600", "e", "额"],
    ),
    "a key a prefix or an extension of a name": ([{"cod": 1, "codes": 2, "code\x00": 3}], ["code"]),
    # "\u6261" is the bytes of "ab" in UCS-2 (little-endian): a kind is compared before the bytes
    "a key of another kind whose bytes begin as a name's": ([{_same_slot_ucs2("ab"): 1, "\U00006261": 2}, {"ab": 3}], ["ab"]),
    "names whose hashes collide": (
        [{n: i for i, n in enumerate(_colliding_names(12))}, {n: -i for i, n in enumerate(_colliding_names(12)[::2])}],
        _colliding_names(12)[::-1],
    ),
    "many names, rows with a few of them": (
        [{f"k{i}": i for i in range(0, 200, 1 + r % 7)} for r in range(30)],
        [f"k{i}" for i in range(150)] + ["absent"],
    ),
    "a name repeated, with others": ([{"code": 1, "name": 2}, {"name": 3}], ["code", "name", "code"]),
    "every row without any name": ([{"x": 1}, {}], ["code", "name"]),
}


@needs_extension
@pytest.mark.parametrize("case", ENTRY_WALK_ROWS, ids=list(ENTRY_WALK_ROWS))
def test_the_entry_walk_gives_the_objects_of_dict_get(case):
    rows, names = ENTRY_WALK_ROWS[case]
    same_objects(rc._native.columns(rows, names), oracle(rows, names))


@needs_extension
def test_random_rows_against_dict_get():
    import random

    generator = random.Random(35)
    pool = ["a", "b", "code", "金额", "é", "\U0001f600", *(f"n{i}" for i in range(40))]
    for _ in range(300):
        names = generator.sample(pool, generator.randint(0, 20))
        if generator.random() < 0.2 and names:
            names.append(generator.choice(names))  # a repeated name
        rows = [
            {(_fresh(k) if generator.random() < 0.3 else k): object() for k in generator.sample(pool, generator.randint(0, len(pool)))}
            for _ in range(generator.randint(0, 12))
        ]
        same_objects(rc._native.columns(rows, names), oracle(rows, names))


# Stop 35: a number column's CSV texts made in C (decimal_texts) are csv_cells' Python texts.
def python_cells(values: list[Any]) -> list[Any]:
    return [v if v.__class__ is str else rc.cell_text(v) for v in values]


class DecimalSubclass(Decimal):
    def __format__(self, spec: str) -> str:
        return "made by the subclass"


def random_decimals(seed: int, count: int) -> list[Any]:
    import random

    generator = random.Random(seed)
    values: list[Any] = []
    for _ in range(count):
        digits = "".join(generator.choice("0123456789") for _ in range(generator.randint(1, 30)))
        sign = generator.choice(["", "-"])
        values.append(Decimal(f"{sign}{digits}E{generator.randint(-40, 40)}"))
        if generator.random() < 0.1:
            values.append(None)
        if generator.random() < 0.1:
            values.append(values[generator.randrange(len(values))])  # an object met before
    return values


DECIMAL_COLUMNS: dict[str, list[Any]] = {
    "empty": [],
    "plain amounts": [Decimal("1.50"), Decimal("-0.00"), Decimal("0"), Decimal("123456789012.345678")],
    "exponents, which str writes in scientific notation": [Decimal("1E+2"), Decimal("1E-7"), Decimal("-0E-7"), Decimal("0E+3"), Decimal("12.5E+3")],
    "not numbers": [Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")],
    "None and str among them": [None, Decimal("2.0"), "text", "", None, "中文"],
    "one object repeated, then another": [Decimal("1E+1")] * 3 + [Decimal("1.0")] * 3 + [None] * 2 + [Decimal("1E+1")],
    "random": random_decimals(35, 3000),
}


@needs_extension
@pytest.mark.parametrize("case", DECIMAL_COLUMNS, ids=list(DECIMAL_COLUMNS))
def test_decimal_texts_are_the_python_texts(case):
    values = DECIMAL_COLUMNS[case]
    found = rc._native.decimal_texts(values, Decimal)
    assert found == python_cells(values)
    assert all(type(text) is str for text in found)


@needs_extension
@pytest.mark.parametrize("values", [[Decimal(1), 1], [True], [DecimalSubclass("1E+2")], [1.5], [b"x"]], ids=["int", "bool", "Decimal subclass", "float", "bytes"])
def test_decimal_texts_leave_other_classes_to_python(values):
    assert rc._native.decimal_texts(values, Decimal) is None
    assert rc._native.decimal_texts(tuple(values), Decimal) is None


def test_csv_cells_of_a_number_column_with_and_without_the_extension(monkeypatch):
    values = random_decimals(7, 500) + ["x", ""]
    monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
    found = rc.csv_cells(values, "number")
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert found == rc.csv_cells(values, "number") == python_cells(values)
    assert rc.csv_cells([DecimalSubclass("1")], "number") == ["made by the subclass"]


@needs_extension
def test_decimal_texts_lose_and_leak_no_reference():
    value = Decimal("1E+5")
    values = [value, value, None, Decimal("2.5"), value]
    gc.collect()
    before = sys.getrefcount(value)
    for _ in range(100):
        texts = rc._native.decimal_texts(values, Decimal)
        assert texts == ["100000", "100000", "", "2.5", "100000"]
        del texts
        assert rc._native.decimal_texts([*values, 1], Decimal) is None
    gc.collect()
    assert sys.getrefcount(value) == before


@pytest.mark.parametrize("value", [None, "0", "1", "00", "", " 0", "0 ", "off", "é"])
def test_the_switch_read_from_the_encoded_environment_is_the_switch(value, monkeypatch):
    """Stop 35: native_enabled reads os.environ's encoded table where the extension is built;
    the answer is core.native.enabled's, for every value of YUSUAN_NATIVE set or removed."""
    if value is None:
        monkeypatch.delenv("YUSUAN_NATIVE", raising=False)
    else:
        monkeypatch.setenv("YUSUAN_NATIVE", value)
    expected = rc.native.enabled(rc._native, rc.NATIVE_NAME, rc.IMPORT_ERROR)
    assert rc.native_enabled() is expected
    assert expected is (rc._native is not None and value != "0")
