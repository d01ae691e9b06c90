"""A resource's values taken out of its rows once, column by column, for both of its files.

The package writer writes every resource twice, as CSV (the csv module) and as Parquet
(pyarrow); both need each field's value of each row, and taking them out of the row dicts
one cell at a time was most of the writing's CPU (issue 14: 650,000 cells in the largest
package's amounts alone). :func:`resource_columns` takes each field's values out of the rows
in one C-level pass per field; the CSV cells and the Parquet arrays are made from those lists.

The columns are taken by the C extension ``yusuan.core._resource_columns`` when it was built
(setup.py; one pass over the rows, every field of a row looked up while the row is in the
cache), else in Python (``YUSUAN_NATIVE=0`` selects Python; ``YUSUAN_REQUIRE_NATIVE=1`` makes a
missing extension an error): the same objects, the Python code the oracle
(``tests/unit/test_resource_columns_native.py``).

What is written does not change: the CSV cells are :func:`yusuan.core.resource_format.csv_text`
of each value and the Parquet columns the lists ``Table.from_pylist`` built from one dict per
row (tested against both, ``tests/unit/test_resource_columns.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from typing import Any

from yusuan.core import native

NATIVE_NAME = "yusuan.core._resource_columns"
_native: Any
_native, IMPORT_ERROR = native.load(NATIVE_NAME)  # None where the install had no compiler: the columns are taken in Python

# classes of value the csv writer writes as csv_text writes them, in a field that is not
# boolean: a str as it is, None as an empty cell, an int through str() (not a str subclass,
# which csv_text writes through its own __str__, nor a bool, which is an int)
CSV_AS_IS = frozenset({str, type(None), int})


@dataclass(frozen=True)
class ResourceColumns:
    """Each field's values of ``rows``, in ``names`` order; ``rows`` is kept to tell whether
    they are still the rows a writer is handed (the same list, the same length)."""

    rows: list[dict[str, Any]]
    names: list[str]
    values: list[list[Any]]
    # each column's classes (:func:`column_classes`) as taken with it (None: not taken, see
    # :func:`classes_of`); the CSV cells and the Parquet values both decide by them
    classes: list[set[type]] | None = field(default=None, compare=False, repr=False)

    def of(self, rows: list[dict[str, Any]], names: list[str]) -> bool:
        """Were these columns taken from ``rows``, for ``names``? (The same list object, not
        replaced since; rows changed in place after the columns were taken are not seen:
        the writer takes and writes them in one call, ``publish_package``.)"""
        return rows is self.rows and names == self.names and all(len(values) == len(rows) for values in self.values)


def resource_columns(rows: list[dict[str, Any]], names: list[str]) -> ResourceColumns:
    """The values of every field of ``names`` (None where a row has no such key)."""
    names = list(names)
    values = _native.columns(rows, names) if native_enabled() else None
    if values is None:  # not built, turned off, or rows the C loop leaves to Python
        values = [_column(rows, name) for name in names]
    return ResourceColumns(rows, names, values, columns_classes(values))


def classes_of(columns: ResourceColumns) -> list[set[type]]:
    """Each column's classes: those taken with the columns, else found now. The lists of
    ``values`` are the writer's own, made by :func:`resource_columns` and changed by no one,
    so the classes taken then are their classes now."""
    return columns.classes if columns.classes is not None else columns_classes(columns.values)


# os.environ's own table of the encoded variables on POSIX (bytes names and values, kept in
# step by os.environ's setters and monkeypatch's), None elsewhere (Windows keys it by upper-case str)
_ENVIRONMENT: dict[bytes, bytes] | None = getattr(os.environ, "_data", None) if os.name == "posix" else None


def native_enabled() -> bool:
    """The columns are taken in C: the extension built, not turned off (``YUSUAN_NATIVE=0``).
    With ``YUSUAN_REQUIRE_NATIVE=1`` a missing extension raises instead of falling back.

    Where the extension is built, the switch is read from os.environ's table of encoded
    variables (about 40 ns, ``os.environ.get`` about 2 µs with its encoding and decoding;
    7,000 calls a pass, issue 14): ``os.environ["YUSUAN_NATIVE"]`` is ``"0"`` exactly when its
    encoded value is ``b"0"``."""
    if _native is not None and type(_ENVIRONMENT) is dict:
        return _ENVIRONMENT.get(b"YUSUAN_NATIVE", b"1") != b"0"
    return native.enabled(_native, NATIVE_NAME, IMPORT_ERROR)


def column_classes(values: list[Any]) -> set[type]:
    """``set(map(type, values))``: the classes of a column's values (in C when built; the CSV
    cells, the CSV text and the schema proof each ask it of every column, ~5 million cells on
    the corpora)."""
    if native_enabled():
        found = _native.classes(values)
        if found is not None:
            return found  # type: ignore[no-any-return]
    return set(map(type, values))


def columns_classes(columns: list[list[Any]]) -> list[set[type]]:
    """:func:`column_classes` of each column, the extension's switch read once for them all:
    it reads the environment (``os.environ``, 1.5–4.6 µs a call), and a package asks the
    classes of some 360 columns (issue 14)."""
    if native_enabled():
        classes = _native.classes
        return [set(map(type, values)) if (found := classes(values)) is None else found for values in columns]
    return [set(map(type, values)) for values in columns]


def utf8_buffers(values: list[Any], enabled: bool | None = None) -> tuple[bytes, bytes, bytes | None, int] | None:
    """The buffers of the Arrow ``string`` array of a column of ``str`` and None, made in C
    (the extension built and on): its int32 offsets, its values' UTF-8 one after another, its
    validity bitmap (None when no value is None) and its number of None. None where the
    column is left to pyarrow (another class of value, a surrogate, the extension off).
    ``enabled``: :func:`native_enabled` as the caller read it for a whole table (read here
    when not given)."""
    if not (native_enabled() if enabled is None else enabled):
        return None
    return _native.utf8_buffers(values)  # type: ignore[no-any-return]


def int64_buffers(values: list[Any], enabled: bool | None = None) -> tuple[bytes, bytes | None, int] | None:
    """The buffers of the Arrow ``int64`` array of a column of exact ``int`` and None, made in
    C (the extension built and on): its values as 64-bit integers (0 where None), its validity
    bitmap (None when no value is None) and its number of None. None where the column is left
    to pyarrow (another class of value, an int beyond 64 bits, the extension off).
    ``enabled``: :func:`native_enabled` as the caller read it for a whole table."""
    if not (native_enabled() if enabled is None else enabled):
        return None
    return _native.int64_buffers(values)  # type: ignore[no-any-return]


def same_classes(a: list[list[Any]], b: list[list[Any]]) -> bool:
    """Whether two tables (lists of columns) hold values of the same classes place by place:
    ``[list(map(type, c)) for c in a] == [list(map(type, c)) for c in b]``, in C where the
    extension is on and both are lists of lists (no list of classes made per column)."""
    if native_enabled():
        found = _native.same_classes(a, b)
        if found is not None:
            return found  # type: ignore[no-any-return]
    return _class_lists(a) == _class_lists(b)


def _class_lists(values: list[list[Any]]) -> list[list[type]]:
    return [list(map(type, column)) for column in values]


def delimited_quotes(data: str) -> list[tuple[str, str, str]] | None:
    """The groups of ``csv.Sniffer``'s first quote pattern found in ``data`` where
    :func:`yusuan.checks.schema_proof.delimited_quotes` looks for them (the staged CSVs' dialect
    sniff), made in C (the extension built and on); None where left to Python (the extension
    off, ``data`` not an exact ``str``)."""
    if not native_enabled():
        return None
    return _native.delimited_quotes(data)  # type: ignore[no-any-return]


def csv_bytes(header: list[Any], cells: list[list[Any]]) -> bytes | None:
    """The UTF-8 bytes ``csv.writer`` writes of ``header`` and the rows of ``cells``, made in C
    (the extension built and on) where the cells are of the classes whose text is known
    (``str``, None, ``int``); None where they are left to Python
    (:func:`yusuan.core.resource_format.csv_file_bytes`)."""
    if not native_enabled():
        return None
    return _native.csv_bytes(header, cells)  # type: ignore[no-any-return]


def _column(rows: list[dict[str, Any]], name: str) -> list[Any]:
    try:
        return list(map(dict.get, rows, repeat(name)))  # one C call per row, no bytecode
    except TypeError:  # a row that is a mapping but not a dict
        return [row.get(name) for row in rows]


def csv_cells(values: list[Any], field_type: str, classes: set[type] | None = None) -> list[Any]:
    """The column's cells for the csv writer: the text :func:`csv_text` gives each value, or
    the values themselves where the writer makes that very text of them (:data:`CSV_AS_IS`),
    which is most columns (one set of the values' classes, built in C, decides; ``classes``:
    that set as the caller found it, :func:`column_classes` of ``values``). A column of
    Decimal, None and str has its texts made in C where the extension is on (the same texts:
    ``_resource_columns.c``'s ``decimal_texts``)."""
    if field_type == "boolean":
        return [boolean_cell_text(v) for v in values]
    kinds = column_classes(values) if classes is None else classes
    if kinds <= CSV_AS_IS:
        return values
    if kinds <= DECIMAL_CELLS and native_enabled():
        texts = _native.decimal_texts(values, Decimal)
        if texts is not None:
            return texts  # type: ignore[no-any-return]
    return [v if v.__class__ is str else cell_text(v) for v in values]


# the classes of a column whose cells are made in C (a number field's: Decimal and None; the
# formatting of a Decimal through its spec parser was most of the staged CSV's Python time)
DECIMAL_CELLS = frozenset({Decimal, type(None), str})


# the classes of values a field's Parquet column takes as they are (arrow_values): None, and
# an int or bool (never equal to ""), or a Decimal of a number field
ARROW_AS_IS = frozenset({type(None), int, bool})
ARROW_NUMBER_AS_IS = frozenset({type(None), Decimal})


def arrow_values(values: list[Any], field_type: str, classes: set[type] | None = None) -> list[Any]:
    """A field's values as its Parquet column takes them: a string field's as they are; an
    empty text of another field is missing; a number that is not a Decimal becomes one
    (through its text, so a float is not read with its binary noise).

    ``classes``: :func:`column_classes` of ``values`` where the caller knows it. A column of
    None and exact ``int``/``bool`` (of a number field: None and exact ``Decimal``) is taken
    as it is: every value would be mapped to itself (no such value equals ``""``, and a
    Decimal stays as it is), so the list of the same objects is the same column (issue 14:
    one Python step per cell of every column that is not text)."""
    if field_type == "string":
        return values
    if classes is not None and classes <= (ARROW_NUMBER_AS_IS if field_type == "number" else ARROW_AS_IS):
        return values
    if field_type == "number":
        return [None if v is None or v == "" else v if isinstance(v, Decimal) else Decimal(str(v)) for v in values]
    return [None if v is None or v == "" else v for v in values]


def cell_text(value: Any) -> str:
    """``csv_text`` of a value of a field that is not boolean."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def boolean_cell_text(value: Any) -> str:
    """``csv_text`` of a value of a boolean field."""
    if value is None:
        return ""
    return "true" if value else "false"
