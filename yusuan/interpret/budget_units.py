"""Rows that name a budget unit in a table: the department's total row labelled with its
name, and, in a department's table that lists several units, each unit's subtotal row
with the rows printed under it.

深圳 prints a 预算单位 column: "深圳市生态环境局" (the department), "深圳市生态环境局（本级）",
its codes, "深圳市环境科学研究院", its codes … The same codes come again under every unit,
so every row records the unit it belongs to (``budget_unit``) and the hierarchy checks add
codes up within one unit. A table without such a column may still open with a row named
after the department (深圳 基本支出总表: 深圳市审计局 | 9,206.23): that row is the table's total.

A table without a unit column may also list the other units by their names alone, each over
its codes again (深圳 生态环境局 基本支出总表: 深圳市生态环境局 | （本级） | 工资福利支出 … | 深圳市环境
科学研究院 | 工资福利支出 …; 广州 卫健委 基本支出总表: 合计 | 广州市卫生健康委员会（本级） | 301 … |
广州市胸科医院 | 301 …): :func:`units_named_over_codes`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter
from typing import Any

from yusuan.core.numbers import CELL_MEMO
from yusuan.core.schemas import YEAR_IN_HEADER, Registry, normalize_label
from yusuan.core.vocabulary import pattern

Row = dict[str, Any]
SCOPE_SUFFIX = pattern("unit_scope_suffix")
ORGANISATION = pattern("organisation_name")
PRINTED_ORDER = itemgetter("row_number", "column_number")  # a sort key: the rows as printed, top to bottom, left to right


@lru_cache(maxsize=CELL_MEMO)
def organisation_key(name: str) -> str:
    """A unit's name compared without spaces, quotes and a （本级）/（汇总） suffix (remembered: the
    same names are compared on every row of a table)."""
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
    listed = has_total and lists_units_under_department(rows, unit_rows, numbers)
    for row in sorted(rows, key=PRINTED_ORDER):
        number = row["row_number"]
        below = bisect_right(numbers, number)  # the unit rows printed at or above this row
        current = numbers[below - 1] if below else None
        row["budget_unit"] = unit_rows[current] if current is not None else ""
        if number in unit_rows and number not in period_rows:
            if not has_total and number == first and (department_first or len(numbers) == 1):
                row["row_role"] = "total"
            elif listed and number != first:
                row["row_role"] = "item"  # a unit listed under the department's row: its part
            elif not sole_part:
                row["row_role"] = "subtotal"


def lists_units_under_department(rows: list[Row], unit_rows: dict[int, str], numbers: list[int]) -> bool:
    """The table lists its units under the department's row, each with nothing under it: the
    first unit row is named again by the next (the department, then its own part: 西安 收入总表
    西安市民政局 | 西安市民政局 | 西安市救助管理站 …; 无锡 无锡市信访局 | 无锡市信访局（本级） | …) and
    no row below the first unit row is other than a unit row. The first is the department's
    whole and the others its parts. Where the first unit is not named again (珠海 商务局 |
    珠海市贸易服务中心 …), whether it is the department's whole or its own part the names do
    not say, and every unit row stays a subtotal."""
    if len(numbers) < 2 or organisation_key(unit_rows[numbers[0]]) != organisation_key(unit_rows[numbers[1]]):
        return False
    labels = {r["row_number"]: r.get("item_name") or "" for r in rows}
    if any(organisation_key(labels.get(n, "")) != organisation_key(unit_rows[n]) for n in numbers[:2]):
        return False  # rows labelled otherwise under a unit column (杭州 项目支出表: a project per row)
    return all(r["row_number"] in unit_rows for r in rows if r["row_number"] > numbers[0])


def units_named_elsewhere(rows: list[Row], unit_rows: dict[int, str], known: frozenset[str]) -> dict[int, str]:
    """The rows, below a table's first unit row, whose label without a code is the name of a
    budget unit the same publication lists in another table (``known``: their
    :func:`organisation_key`; :func:`publication_units`). A project table prints no code to
    show where a unit starts (广州 卫健委 项目支出表: 合计 | 广州市卫生健康委员会 | its projects … |
    广州市胸科医院 | its projects …; 深圳 生态环境局: 深圳市生态环境局（本级） | … | 深圳市环境科学研究院
    | …), but its 收入总表 lists the same units by name."""
    if not unit_rows or not known:
        return {}
    first = min(unit_rows)
    found: dict[int, str] = {}
    for row in rows:
        number = row["row_number"]
        if number <= first or number in unit_rows or number in found or row["subject_code"] or row["is_of_which"]:
            continue
        name = (row["item_name_printed"] or "").strip()
        if name and organisation_key(name) in known:
            found[number] = name
    return found


def publication_units(tables: Iterable[list[Row]]) -> frozenset[str]:
    """The budget units (:func:`organisation_key`) of the tables of a publication that list two
    or more of them, each on a row labelled with its name (a 收入总表 by unit)."""
    units: set[str] = set()
    for rows in tables:
        pairs = {(r.get("budget_unit"), r.get("item_name_printed")) for r in rows}  # a few distinct ones per table
        named = {organisation_key(unit) for unit, name in pairs if unit and name and organisation_key(name) == organisation_key(unit)}
        if len(named) >= 2:
            units |= named
    return frozenset(units)


def may_gain_units(rows: list[Row], known: frozenset[str]) -> bool:
    """Whether a table that lists a unit has a row without a code labelled with the name of
    another of the publication's units (``known``), read so far as an item of the unit above."""
    pairs = {(r.get("budget_unit"), r.get("item_name_printed")) for r in rows if not r["subject_code"]}
    return any(unit and name and organisation_key(name) in known and organisation_key(unit) != organisation_key(name) for unit, name in pairs)


def units_named_over_codes(rows: list[Row], unit_rows: dict[int, str]) -> dict[int, str]:
    """The rows, below a table's first unit row, that name another budget unit by their label
    alone: a row without a code whose label is the name of an organisation (``patterns.
    organisation_name``: 局, 中心, 医院, 办公室 … last) where the codes start again, the next
    coded row below it being of the table's top level (工资福利支出 301 after 30302 退休费), or
    no coded row following (a unit with no amount under it, printed last). A row between a
    parent code and its sub-codes is not one, whatever its name: the codes go on under it.

    ``unit_rows``: the unit rows found by :func:`_unit_named` (the department's own name, a
    unit column); nothing is added to a table without one or without codes."""
    if not unit_rows:
        return {}
    first = min(unit_rows)
    labels: dict[int, Row] = {}
    for row in rows:
        labels.setdefault(row["row_number"], row)
    numbers = sorted(n for n in labels if n > first)
    coded = [n for n in numbers if labels[n]["subject_code"]]
    if not coded:
        return {}
    top = min(len(labels[n]["subject_code"]) for n in coded)
    found: dict[int, str] = {}
    for n in numbers:
        row = labels[n]
        if n in unit_rows or row["row_role"] != "item" or row["subject_code"] or row["is_of_which"]:
            continue
        name = (row["item_name_printed"] or "").strip()
        if not name or not ORGANISATION.match(normalize_label(name)):
            continue
        below = bisect_right(coded, n)
        if below == len(coded) or len(labels[coded[below]]["subject_code"]) == top:
            found[n] = name
    return found
