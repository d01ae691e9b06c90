"""A number field's Parquet column made from its CSV texts by one Arrow cast, not from Python
``Decimal`` objects (issue 14: ``Table.from_arrays`` converts each Decimal in Python's own
code; Arrow's string-to-decimal cast parses the texts in C++, about four times faster).

The column is the one :func:`yusuan.core.resource_columns.arrow_values` gives, so the
Parquet bytes do not change: a text is taken only if it is plain — ``-?digits`` with at most
``precision - scale`` of them, then optionally ``.`` and at most ``scale`` digits — and such a
text has one value, which both routes store exactly (the cast and the Decimal conversion of
the same number to the same ``decimal128(precision, scale)``: the unscaled integer value ×
10^scale). The texts are the cells the CSV was written from (``csv_cells``: ``format(v, "f")``
of a Decimal, exact; a ``str`` as it is; ``str()`` of an int), and ``arrow_values`` takes
each cell's value from the same number (``Decimal(str(v))`` or the Decimal itself); an empty
cell (``None`` or ``""``) is null on both routes. A column with any other text or cell class
is left to ``arrow_values`` (None here), so whatever the cast would read differently, or
refuse, is never cast. ``tests/unit/test_decimal_texts.py`` compares both routes' arrays and
Parquet bytes.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

TEXT_CELLS = frozenset({str, type(None), int})  # cells whose text is the csv writer's and str()'s


def decimal_array(cells: list[Any], arrow_type: pa.Decimal128Type) -> pa.Array | None:
    """The column of ``arrow_type`` the cells' texts make, or None where a cell is not plain."""
    kinds = set(map(type, cells))
    if not cells or not kinds <= TEXT_CELLS:
        return None
    texts = cells if kinds <= {str} else ["" if c is None else str(c) for c in cells]
    array = pa.array(texts, pa.string())
    empty = pc.equal(array, "")
    plain = pc.match_substring_regex(array, plain_pattern(arrow_type.precision, arrow_type.scale))
    if not pc.all(pc.or_(empty, plain)).as_py():
        return None
    return pc.if_else(empty, pa.scalar(None, pa.string()), array).cast(arrow_type)


def plain_pattern(precision: int, scale: int) -> str:
    """The texts whose number fits ``decimal128(precision, scale)`` without rounding."""
    whole = f"-?[0-9]{{1,{precision - scale}}}"
    return f"^{whole}$" if scale == 0 else f"^{whole}(\\.[0-9]{{1,{scale}}})?$"


def plain_number(text: str, precision: int, scale: int) -> bool:
    """Whether :func:`decimal_array` casts ``text`` (for tests and the docstring's rule)."""
    return re.fullmatch(plain_pattern(precision, scale)[1:-1], text) is not None
