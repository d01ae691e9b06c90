"""The hierarchy of a table's rows: each row's parent row and whether it is a leaf.

A researcher sums the leaves of a column to get its total, so every row must say what it is
a part of. The parent is read from the template structure, never from the amounts:

* a coded row's parent is the nearest row above whose code is its prefix (the 款 of a 项,
  the 类 of a 款), or the row just above when that row is printed again (无锡: a 款 with no
  项 printed again, one level deeper, as its own 项: 21999 其他支出 502 under 21999 其他支出
  502; :func:`repeats_row_above`); in a table listing budget units, that row must be of the
  row's own unit (a 款 printed under a unit without its 类 is a part of the unit's row, not of
  the 类 another unit printed above);
* an enumerated row's (一、 / （一） / 1.) parent is the nearest row above with a shallower
  enumerator;
* a 其中 row's parent is the nearest row above that is not itself a 其中 row;
* a row naming a fund without enumerator (一般公共预算 | 政府性基金预算 | 国有资本经营预算, printed
  indented under 一、财政拨款 or 上年结转结余 by 杭州, 湖州, 烟台) is a part of the row naming the
  appropriations or the carry-over right above it and its fund siblings (schemas/vocabulary.yaml
  ``fund_whole_row`` / ``fund_part_row``);
* any other row (a 类, an unenumerated item, a subtotal) is a part of the subtotal printed
  below it (本年收入合计 after the items it sums) or else of the table's total (合计 at the top
  or 总计 at the bottom); but an item of a budget unit (``budget_unit``) whose unit's row is
  printed above it, the nearest subtotal labelled with the unit's name (深圳 支出总表:
  深圳市生态环境局（本级） over 205 教育支出 …; 广州 基本支出预算表: 广州市胸科医院 over 301 …), is a
  part of that row, unless a subtotal of its own unit closes it below: the next unit's row is
  no sum of it; and a unit listed as an item under the department's row (西安, 无锡, 杭州
  收入总表: 合计 | the department | the department again, its own part | its units …) is a part of
  the nearest unit row above it, the department's; so is a unit's own row printed under the
  department's row, where the department is named first and then again as its own part (西安
  项目支出表: 西安市民政局 | 西安市民政局 over its projects | 西安市第一社会福利院 over its projects …).

A two-sided table (收入 | 支出) and a table with column groups hold several row streams
side by side (the same printed row carries a revenue label and an expenditure label); the
hierarchy is built per amount column, each reading its own labels. Whether the leaves really add up is not assumed: the checks
test it and the golden tests prove it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

from yusuan.core.numbers import CELL_MEMO
from yusuan.core.schemas import heading_attributes
from yusuan.core.vocabulary import pattern
from yusuan.interpret.budget_units import organisation_key

Row = dict[str, Any]
CODE_PARENTS = {7: (5, 3), 5: (3,)}
# besides code, name, attributes and amount, what a row printed again repeats (repeats_row_above)
PRINTED_AGAIN_FIELDS = ("function_code", "economic_code", "government_economic_code", "budget_unit")


LineFields = tuple[int, str, int, bool, str, str, int, str, bool, bool]
NO_FUND, FUND_WHOLE, FUND_PART = 0, 1, 2


@lru_cache(maxsize=CELL_MEMO)
def fund_role(item_name: str | None) -> int:
    """Whether a row's name (enumerator taken off) names the appropriations or the carry-over
    that funds are parts of (``FUND_WHOLE``), one of those funds (``FUND_PART``) or neither."""
    if not item_name:
        return NO_FUND
    if pattern("fund_part_row").fullmatch(item_name):
        return FUND_PART
    return FUND_WHOLE if pattern("fund_whole_row").fullmatch(item_name) else NO_FUND


def line_fields(row: Row) -> LineFields:
    """What a row's :class:`Line` is made of, as a hashable tuple: its number, role, level,
    whether it is a 其中 row, its typed code, its printed attributes (``row_attributes``),
    whether its name is a fund or the whole funds are parts of (:func:`fund_role`), its
    budget unit, whether it is that unit's row (:func:`names_its_unit`) and whether it is a unit
    listed as an item (:func:`lists_its_unit`)."""
    code = row.get("subject_code") or "" if row.get("subject_level") else ""
    unit = row.get("budget_unit") or ""
    role, name = row["row_role"], row.get("item_name")
    return (
        row["row_number"], role, row.get("item_level") or 0, bool(row.get("is_of_which")), code,
        row.get("row_attributes") or "", fund_role(name), unit, names_its_unit(role, name, unit), lists_its_unit(role, name, unit),
    )


@lru_cache(maxsize=CELL_MEMO)
def names_its_unit(role: str, item_name: str | None, unit: str) -> bool:
    """A subtotal labelled with the name of its budget unit: the unit's row (a subtotal of
    another name, 杭州 项目支出表's 执法办案 under the department, is not)."""
    return role == "subtotal" and _labelled_with(item_name, unit)


@lru_cache(maxsize=CELL_MEMO)
def lists_its_unit(role: str, item_name: str | None, unit: str) -> bool:
    """An item labelled with the name of its budget unit: a unit listed as a part of the
    department's row above it, with nothing printed under it (西安 收入总表: 西安市民政局 | 西安市民政局
    | 西安市救助管理站 …; ``budget_units.mark_budget_units``)."""
    return role == "item" and _labelled_with(item_name, unit)


def _labelled_with(item_name: str | None, unit: str) -> bool:
    """The row's label names its budget unit."""
    return bool(unit) and bool(item_name) and organisation_key(item_name) == organisation_key(unit)


@lru_cache(maxsize=CELL_MEMO)
def _attribute_headers(attributes: str) -> tuple[str, ...]:
    """The headers of a row's printed attributes ("采购组织形式: 集中采购; 经济科目: 办公费" ->
    the two headers), remembered: the amount cells of a printed row share them."""
    return tuple(pair.split(": ", 1)[0] for pair in attributes.split("; ") if ": " in pair)


@dataclass
class Line:
    """One printed row of one stream of a table."""

    number: int
    role: str
    level: int
    of_which: bool
    code: str
    attributes: tuple[str, ...] = ()  # headers of the attribute cells the row fills
    fund: int = NO_FUND  # fund_role of the row's name
    unit: str = ""  # the row's budget_unit
    unit_row: bool = False  # the row is its unit's row (names_its_unit)
    unit_part: bool = False  # the row is a unit listed as an item (lists_its_unit)

    @classmethod
    def of(cls, row: Row) -> Line:
        return cls.from_fields(line_fields(row))

    @classmethod
    def from_fields(cls, fields: LineFields) -> Line:
        """The line of :func:`line_fields`' answer for a row."""
        number, role, level, of_which, code, attributes, fund, unit, unit_row, unit_part = fields
        return cls(number, role, level, of_which, code, _attribute_headers(attributes), fund, unit, unit_row, unit_part)

    @cached_property
    def heads(self) -> bool:
        """The row fills a heading attribute (schemas/columns.yaml heading_attributes) and
        no other: a purchase row under a merged heading cell repeats the heading's 经济科目
        beside its own 采购组织形式. Computed once per line: the rows below ask it of every
        line above them (issue 14: 1.2 million questions for 73,000 lines)."""
        heading = [any(p.fullmatch(a) for p in heading_attributes()) for a in self.attributes]
        return bool(heading) and all(heading)


def stream_key(row: Row) -> tuple[Any, ...]:
    """One amount column of a table: its cells read their labels from one label column, so
    they share one hierarchy. Two columns of one side may read different label columns
    (西安's 收支总表 prints the function classes and the economic classes side by side
    under one 支出 heading), so the hierarchy is never shared across columns."""
    return (row["table_sequence"], row.get("side") or "", row.get("column_group") or "", row["column_number"])


# what stream_key and line_fields read of a row (an amount row has them all)
_HIERARCHY_FIELDS = itemgetter(
    "table_sequence", "side", "column_group", "column_number", "row_number", "row_role",
    "item_level", "is_of_which", "subject_code", "subject_level", "row_attributes", "item_name", "budget_unit",
)
Streams = dict[tuple[Any, ...], tuple[dict[int, LineFields], list[Row]]]


def _add_to_stream(row: Row, streams: Streams) -> None:
    """A row without some of the fields :func:`add_hierarchy` reads added to its stream, as
    :func:`stream_key` and :func:`line_fields` read it (a missing optional field as None)."""
    key = (row["table_sequence"], row.get("side") or "", row.get("column_group") or "", row["column_number"])
    stream = streams.get(key)
    if stream is None:
        stream = streams[key] = ({}, [])
    lines, rows = stream
    rows.append(row)
    number = row["row_number"]
    if number not in lines:
        lines[number] = line_fields(row)


def add_hierarchy(amounts: list[Row]) -> None:
    """Fill parent_row_number and is_leaf on every amount row.

    The parents and leaves of a stream depend on its lines alone, and the amount columns of
    a table mostly read the same labels: a stream whose lines are those of an earlier one
    takes that stream's answer instead of walking its lines again (issue 14). Each stream
    keeps its rows, so a row's stream key is made and hashed once, and the fields of its key
    and its line (:func:`line_fields`) are read in one call (``_HIERARCHY_FIELDS``)."""
    streams: Streams = {}
    for row in amounts:
        try:  # the fields of stream_key and line_fields in one call
            sequence, side, group, column, number, role, level, of_which, code, subject_level, attributes, name, unit = _HIERARCHY_FIELDS(row)
        except KeyError:
            _add_to_stream(row, streams)  # a row without some field
            continue
        key = (sequence, side or "", group or "", column)  # stream_key
        stream = streams.get(key)
        if stream is None:
            stream = streams[key] = ({}, [])
        lines, rows = stream
        rows.append(row)
        if number not in lines:  # line_fields
            lines[number] = number, role, level or 0, bool(of_which), code or "" if subject_level else "", attributes or "", fund_role(name), unit or "", names_its_unit(role, name, unit or ""), lists_its_unit(role, name, unit or "")
    answers: dict[tuple[LineFields, ...], tuple[dict[int, int], set[int]]] = {}
    for lines, rows in streams.values():
        parents, leaves = _stream_answer(tuple(lines.values()), answers)
        for row in rows:
            number = row["row_number"]
            row["parent_row_number"] = parents.get(number)
            row["is_leaf"] = number in leaves
        _under_rows_printed_again(rows)


def repeats_row_above(row: Row, above: Row) -> bool:
    """The row prints again the coded row just above it in its column: same code, name,
    attributes, amount (both printed), unit and codes of the other classifications (无锡 prints a 款 with no
    项 twice, the second time as its 项; 西安 prints 30201 办公费 twice, beside 50201 and 50502)."""
    return (
        row["row_number"] == above["row_number"] + 1
        and bool(row.get("subject_code"))
        and bool(row.get("item_name_printed"))
        and row.get("amount") is not None
        and row.get("subject_code") == above.get("subject_code")
        and row.get("item_name_printed") == above.get("item_name_printed")
        and row.get("amount") == above.get("amount")
        and row.get("row_attributes") == above.get("row_attributes")
        and all(row.get(field) == above.get(field) for field in PRINTED_AGAIN_FIELDS)
    )


def _under_rows_printed_again(rows: list[Row]) -> None:
    """A row printing the row above it again is that row's only part, not its sibling."""
    for above, row in zip(rows, rows[1:], strict=False):
        if row.get("subject_code") and row.get("subject_code") == above.get("subject_code") and repeats_row_above(row, above):
            row["parent_row_number"] = above["row_number"]
            above["is_leaf"] = False


def _stream_answer(
    shape: tuple[LineFields, ...], answers: dict[tuple[LineFields, ...], tuple[dict[int, int], set[int]]]
) -> tuple[dict[int, int], set[int]]:
    """The parents and leaves of a stream of these lines, found once per distinct stream
    (``answers`` keeps them for the document)."""
    found = answers.get(shape)  # the shape hashed once when known (a tuple's hash is not kept)
    if found is None:
        lines = [Line.from_fields(fields) for fields in shape]
        parents = parent_rows(lines)
        found = answers[shape] = parents, leaf_rows(lines, parents)
    return found


def parent_rows(lines: list[Line]) -> dict[int, int]:
    """row_number -> row_number of its parent, for the rows of one stream in printed order.

    The rows above a row are walked back by index, not copied (a stream of n rows made n
    copies of up to n rows), and the summing rows below and above are found in one pass
    each (:class:`_Stream`); the parents are the same (issue 14)."""
    parents: dict[int, int] = {}
    stream = _Stream(lines)
    department = stream.department_row()
    for i, line in enumerate(lines):
        if line.role == "total":
            continue
        if department is not None and line.unit_row and i > department and stream.total_above[i] == stream.total_above[department]:
            parents[line.number] = lines[department].number  # a unit's row under the department's
            continue
        parent = _structural_parent(line, stream, i) if line.role == "item" else None
        if parent is None:
            parent = stream.summing_row(line, i)
        if parent is not None:
            parents[line.number] = parent.number
    return parents


class _Stream:
    """The lines of one stream, with what the parents' rules ask of the lines above and below
    a line found once for all of them."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        n = len(lines)
        # the first total (or, for an item, subtotal or total) below each line; the last total above it
        self.total_below: list[int | None] = [None] * n
        self.closing_below: list[int | None] = [None] * n
        below_total = below_closing = None
        for k in range(n - 1, -1, -1):
            self.total_below[k], self.closing_below[k] = below_total, below_closing
            if lines[k].role == "total":
                below_total = below_closing = k
            elif lines[k].role == "subtotal":
                below_closing = k
        self.total_above: list[int | None] = [None] * n
        above_total = None
        # the nearest row of the line's budget unit above it, printed over the unit's rows
        # (mark_budget_units gives a row the unit of the nearest unit row at or above it)
        # (a unit listed as an item, the nearest row of any unit above it: the department's)
        self.unit_row_above: list[int | None] = [None] * n
        unit_rows: dict[str, int] = {}
        last_unit_row = None
        for k, line in enumerate(lines):
            self.total_above[k] = above_total
            if line.unit:
                self.unit_row_above[k] = unit_rows.get(line.unit, last_unit_row if line.unit_part else None)
            if line.role == "total":
                above_total = k
            elif line.unit_row:
                unit_rows[line.unit] = last_unit_row = k
        self._first_head: int | None = None
        self._stops: tuple[list[int | None], list[int | None]] | None = None  # stop_above's, found on first use
        # the indexes of the lines printing each code, in order (a code's parent is looked up
        # here, not by walking back over every line above: a stream of codes without parents
        # walked it all for each line)
        self.code_indexes: dict[str, list[int]] = defaultdict(list)
        for k, line in enumerate(lines):
            if line.code:
                self.code_indexes[line.code].append(k)

    def department_row(self) -> int | None:
        """The index of the department's row over its units' rows: the first unit row, where
        the row right under it is a unit row naming the same organisation again (its own part: 西安 项目支出表
        西安市民政局 578,716,321.41 = 合计, then 西安市民政局 511,225,330.52 over its projects, then
        西安市第一社会福利院 …; 无锡: the name, then the name （本级）); None otherwise."""
        first = next((k for k, line in enumerate(self.lines) if line.unit_row), None)
        if first is None:
            return None
        second = first + 1  # printed right under it: the same unit printed again further down is
        # that unit under another heading (苏州 政府采购表: 苏州市审计局 under 货物, again under 服务)
        if second == len(self.lines) or not self.lines[second].unit_row or organisation_key(self.lines[first].unit) != organisation_key(self.lines[second].unit):
            return None
        return first

    def above(self, index: int) -> Iterator[Line]:
        """The lines above ``lines[index]``, nearest first."""
        return map(self.lines.__getitem__, range(index - 1, -1, -1))

    def nearest_code_above(self, code: str, index: int) -> Line | None:
        """The nearest line above ``lines[index]`` that prints ``code``."""
        indexes = self.code_indexes.get(code, [])
        k = bisect_left(indexes, index)
        return self.lines[indexes[k - 1]] if k else None

    def heads_above(self, index: int) -> bool:
        """Does a line above ``lines[index]`` fill a heading attribute only?"""
        if self._first_head is None:
            self._first_head = next((k for k, line in enumerate(self.lines) if line.heads), len(self.lines))
        return self._first_head < index

    def stop_above(self, index: int, *, past_heads: bool) -> int | None:
        """The index of the nearest line above ``lines[index]`` that ends the walk of
        :func:`_heading_above`: one that is not an item, prints a code or a level, or
        (unless ``past_heads``) fills a heading attribute only; None when none does."""
        if self._stops is None:
            self._stops = (self._nearest_above(_ends_heading_walk), self._nearest_above(lambda a: _ends_heading_walk(a) or a.heads))
        return self._stops[0 if past_heads else 1][index]

    def _nearest_above(self, stops: Callable[[Line], bool]) -> list[int | None]:
        """For each index, the index of the nearest line above it for which ``stops`` holds."""
        nearest: list[int | None] = []
        last = None
        for k, line in enumerate(self.lines):
            nearest.append(last)
            if stops(line):
                last = k
        return nearest

    def summing_row(self, line: Line, index: int) -> Line | None:
        """The subtotal printed below an item before the next total, else the table's total
        (the first total below the row, or the last above it); for an item, the row of its
        budget unit printed above it, where no subtotal of the same unit closes it below."""
        below = self.closing_below[index] if line.role == "item" else self.total_below[index]
        if line.role == "item" and line.unit:
            head = self.unit_row_above[index]
            if head is not None and (below is None or self.lines[below].unit != line.unit):
                return self.lines[head]
        if below is None:
            below = self.total_above[index]
        return None if below is None else self.lines[below]


def _structural_parent(line: Line, stream: _Stream, index: int) -> Line | None:
    if line.of_which:
        return next((a for a in stream.above(index) if not a.of_which and a.role != "total"), None)
    if line.code:
        for length in CODE_PARENTS.get(len(line.code), ()):
            parent = stream.nearest_code_above(line.code[:length], index)
            if parent is not None and (not line.unit or parent.unit == line.unit):
                return parent  # a code printed under another budget unit is that unit's, not this row's parent
    if line.level:
        # a coded class enumerated under a heading (一、本年支出 / (一)社会保障和就业支出)
        siblings_only = True  # the rows passed so far are the row's enumerated siblings
        for k in range(index - 1, -1, -1):
            a = stream.lines[k]
            if a.role != "item":
                break  # a subtotal or a total closes the enumerated block
            if a.level and a.level < line.level and not a.of_which:
                return a
            if siblings_only and _heads_an_enumeration(stream, k):
                return a  # the row right above the block heads it
            siblings_only = siblings_only and a.level == line.level and not a.of_which
        return None
    if line.fund == FUND_PART and not line.attributes:
        return _fund_whole_above(stream, index)
    if line.attributes:
        return _heading_above(line, stream, index)
    return None


def _fund_whole_above(stream: _Stream, index: int) -> Line | None:
    """The row naming the appropriations or the carry-over (一、财政拨款, 上年结转结余) right above
    an unenumerated fund row and its unenumerated fund siblings, else None."""
    for a in stream.above(index):
        if a.role != "item" or a.of_which or a.code:
            return None
        if a.fund == FUND_WHOLE:
            return a
        if a.fund != FUND_PART or a.level or a.attributes:
            return None
    return None


def _heads_an_enumeration(stream: _Stream, index: int) -> bool:
    """An item printed without enumerator, code or attribute, with no enumerated row above it
    in its block (the walk up reaches a subtotal, a total or the top first), heads the
    enumerated rows below it: 上年结转结余 over 一、一般公共预算拨款 | 二、政府性基金预算拨款 after
    本年收入合计 (北京), 财政拨款 over 1.一般公共预算拨款 (深圳). An unenumerated row after an
    enumerated one (信访事务 under 一、一般公共服务支出, or the classes after the subtotal
    一、本年支出合计 of 杭州) heads nothing: the enumeration goes on. Only the row right above the
    block is asked (its rows up to it are siblings: 广州's 1.公务用车购置费 under （二）… is no part
    of the “三公”经费 above the 其中 rows)."""
    line = stream.lines[index]
    if line.level or line.code or line.of_which or line.attributes:
        return False
    for a in stream.above(index):
        if a.role != "item":
            return not a.level  # an enumerated subtotal (一、本年支出合计) runs its enumeration on
        if a.level:
            return False
    return True


def _heading_above(line: Line, stream: _Stream, index: int) -> Line | None:
    """A row under a heading row (its attribute says so): the heading; a heading row: the
    enumerated row above it (一、货物A).

    The walk up stops at the first line that is not a plain item (a subtotal, a total, a
    coded or an enumerated row) or, for a row that is not itself a heading row, at the
    first heading row: that line is found by index (:meth:`_Stream.stop_above`), not by
    walking back over every attribute row above each of them (issue 14)."""
    k = stream.stop_above(index, past_heads=line.heads)
    if k is None:
        return None
    a = stream.lines[k]
    if a.role != "item" or a.code:
        return None
    if a.level:
        return a if line.heads or not stream.heads_above(index) else None
    return a  # a heading row above a row that is not one


def _ends_heading_walk(line: Line) -> bool:
    """A line the walk up of :func:`_heading_above` stops at, whatever the row below it."""
    return line.role != "item" or bool(line.code) or bool(line.level)


def leaf_rows(lines: list[Line], parents: dict[int, int]) -> set[int]:
    """Items with no part below them other than 其中 rows, and not 其中 rows themselves."""
    by_number = {line.number: line for line in lines}
    with_parts = {parent for child, parent in parents.items() if not by_number[child].of_which}
    return {line.number for line in lines if line.role == "item" and not line.of_which and line.number not in with_parts}
