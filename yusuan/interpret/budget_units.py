"""Rows that name a budget unit in a table: the department's total row labelled with its
name, and, in a department's table that lists several units, each unit's subtotal row
with the rows printed under it.

深圳 prints a 预算单位 column: "深圳市生态环境局" (the department), "深圳市生态环境局（本级）",
its codes, "深圳市环境科学研究院", its codes … The same codes come again under every unit,
so every row records the unit it belongs to (``budget_unit``) and the hierarchy checks add
codes up within one unit. A table without such a column may still open with a row named
after the department (深圳 基本支出总表: 深圳市审计局 | 9,206.23): that row is the table's total.
"""

from __future__ import annotations

from bisect import bisect_right
from operator import itemgetter
from typing import Any

from yusuan.core.schemas import YEAR_IN_HEADER, Registry, normalize_label
from yusuan.core.vocabulary import pattern

Row = dict[str, Any]
SCOPE_SUFFIX = pattern("unit_scope_suffix")
PRINTED_ORDER = itemgetter("row_number", "column_number")  # a sort key: the rows as printed, top to bottom, left to right


def organisation_key(name: str) -> str:
    """A unit's name compared without spaces, quotes and a （本级）/（汇总） suffix."""
    return SCOPE_SUFFIX.sub("", normalize_label(name))


def names_a_period(name: str, registry: Registry) -> bool:
    """The label is only a year or a period word (深圳 三公: 2025 年 | 2026 年 | 增减变化金额): a
    row of one period of the unit printed above it. A label that only starts with a year
    (2025年结转) is an item."""
    text = normalize_label(name)
    return bool(YEAR_IN_HEADER.fullmatch(text)) or registry.is_period_word(text)


def mark_budget_units(rows: list[Row], unit_rows: dict[int, str], organisations: set[str], period_rows: frozenset[int] = frozenset()) -> None:
    """Set ``budget_unit`` of every amount row of one table and the role of the unit rows.

    ``unit_rows``: row number -> the unit named on that row (in a unit column, or as the
    row's label when it is the name of the department). ``organisations``: the names the
    document gives its issuer (compared by ``organisation_key``). ``period_rows``: the rows
    whose own label is a year or a period word (深圳 三公: 2025 年 | 2026 年 | 增减变化金额): the
    unit is printed on its first year only, and that row is one of its years, not the total of
    the others, so it keeps its role.
    """
    if not unit_rows:
        for row in rows:
            row.setdefault("budget_unit", "")
        return
    has_total = any(r["row_role"] == "total" and r["row_number"] not in unit_rows for r in rows)
    numbers = sorted(unit_rows)
    # the one unit row of a table with a total, printed last (长沙 三公: 合计 | 长沙市教育局, nothing
    # under it): the total's one part, a leaf, not the subtotal of rows it has none of
    sole_part = has_total and len(numbers) == 1 and not any(r["row_number"] > numbers[0] for r in rows)
    keys = {organisation_key(o) for o in organisations if o}
    first = numbers[0]
    department_first = organisation_key(unit_rows[first]) in keys
    for row in sorted(rows, key=PRINTED_ORDER):
        number = row["row_number"]
        below = bisect_right(numbers, number)  # the unit rows printed at or above this row
        current = numbers[below - 1] if below else None
        row["budget_unit"] = unit_rows[current] if current is not None else ""
        if number in unit_rows and number not in period_rows:
            if not has_total and number == first and (department_first or len(numbers) == 1):
                row["row_role"] = "total"
            elif not sole_part:
                row["row_role"] = "subtotal"
