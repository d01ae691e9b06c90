"""The row dimensions of an amount: its label and its classification codes.

A table prints a row's subject in one of several ways, all of them read here:

* a code column and a name column (科目编码 | 科目名称), the code whole (2010301) or split
  into 类 | 款 | 项 columns, where 款 and 项 are printed on their own rows under their class
  (201 / 40 / 01: the 款 row "40" under class 201 is 20140);
* code and name in one cell (2010301-行政运行, 50101-工资奖金津补贴);
* two or three classifications side by side (支出功能分类科目 | 政府支出经济分类科目 |
  部门支出经济分类科目): each keeps its own code (function_code, economic_code,
  government_economic_code) and the table's own classification gives the row's subject.

Which classification a column holds comes from its header words, or else from the first
digit of the codes printed in it (schemas/columns.yaml `classifications`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from yusuan.core.numbers import clean_cell
from yusuan.core.schemas import Registry, normalize_label
from yusuan.layout.cells import CODE, printed_texts

# a code and its name in one cell: 2010301-行政运行, 2010301 行政运行, [201]一般公共服务支出 (广州)
CODE_NAME = re.compile(r"^[\[【]?(?P<code>\d{3,9})[\]】]?\s*[-－—–_:：．.、\s]?\s*(?P<name>[^\d\s.,%．\]】][^\n]*)$")


@dataclass
class Column:
    index: int
    role: str  # code | label | fallback_label | attribute | amount | ignore
    path: list[str]
    measure: str = ""
    side: str = ""
    group: str = ""
    code_part: int = 0
    classification: str = ""  # of a code or label column: function | economic | government_economic | revenue
    code_names: bool = False  # a label column whose cells print code and name together
    unit_column: bool = False  # a label column naming the budget unit of the row (预算单位)
    period: str = "current"  # current | previous | later | change: the year the column is about
    unmapped_why: str = ""  # why an amount column is 'unmapped' when its header alone is known

    @property
    def header(self) -> str:
        return " / ".join(self.path)


@dataclass
class RowDimensions:
    label_column: int | None
    label: str
    code: str = ""
    classification: str = ""
    codes: dict[str, str] = field(default_factory=dict)  # classification -> code printed in the row
    names: dict[str, str] = field(default_factory=dict)  # classification -> name printed with it


def split_code_name(text: str) -> tuple[str, str]:
    """"2010301-行政运行" -> ("2010301", "行政运行"); ("", text) when the cell is no such pair."""
    match = CODE_NAME.match(text.strip())
    return (match.group("code"), match.group("name").strip()) if match else ("", text)


def code_classification(code: str, registry: Registry) -> str:
    """The classification a code's first digit and length belong to ('' if none)."""
    for name, spec in registry.classifications.items():
        if code[:1] in spec["first_digits"] and len(code) in spec["lengths"]:
            return name
    return ""


def classify_dimension_columns(columns: list[Column], body: list[list[str | None]], registry: Registry, default: str) -> None:
    """Set ``classification`` of every code and label column, and ``code_names`` of label
    columns whose cells are mostly code-name pairs."""
    for column in columns:
        if column.role not in ("code", "label", "fallback_label"):
            continue
        j = column.index - 1
        cells = [clean_cell(text) for text in printed_texts(row[j] for row in body if j < len(row))]
        if column.role != "code" and cells:
            pairs = [split_code_name(c)[0] for c in cells]
            column.code_names = sum(bool(p) for p in pairs) * 2 >= len(cells) and any(pairs)
        column.classification = _by_header(column, registry) or _by_codes(column, cells, registry)
    # 款 and 项 columns belong to the 类 column before them (two systems side by side each
    # print 类 | 款: 301 | 01 | 基本工资 | 501 | 01 | 工资奖金津补贴)
    group = ""
    for column in columns:
        if column.code_part == 1:
            group = column.classification
        elif column.code_part > 1 and group:
            column.classification = group
        elif not column.code_part:
            group = ""
    # a name column takes the classification of the code column right before it
    for before, column in zip(columns, columns[1:], strict=False):
        if column.role == "label" and not column.classification and before.role == "code" and before.classification:
            column.classification = before.classification
    for column in columns:
        if column.role in ("code", "label", "fallback_label") and not column.classification:
            column.classification = default


def _by_header(column: Column, registry: Registry) -> str:
    text = "".join(normalize_label(p) for p in column.path)
    for name, spec in registry.classifications.items():
        if any(p.search(text) for p in spec["header_words"]):
            return name
    return ""


def _by_codes(column: Column, cells: list[str], registry: Registry) -> str:
    codes = [c for c in cells if CODE.match(c)] if column.role == "code" else [split_code_name(c)[0] for c in cells]
    found = Counter(code_classification(c, registry) for c in codes if c)
    found.pop("", None)
    return found.most_common(1)[0][0] if found else ""


class CodeParts:
    """类 | 款 | 项 printed in columns of their own, 款 and 项 often on rows of their own
    under the class printed above: the full code of each row, per block of columns."""

    def __init__(self) -> None:
        self.state: dict[int, list[str]] = {}

    def code(self, block: int, parts: list[tuple[int, str]]) -> str:
        """parts: (level 1/2/3, digits printed) of one row, in column order."""
        if not parts:
            return ""
        first_level = parts[0][0]
        known = self.state.get(block, [])
        prefix = known[: first_level - 1] if len(known) >= first_level - 1 else None
        texts = [text if level == 1 else text.zfill(2) for level, text in parts]
        if prefix is None:  # a 款 with no class above it: printed as it is
            return "".join(texts)
        full = prefix + texts
        self.state[block] = full
        return "".join(full)


def row_dimensions(
    cells: list[str | None], columns: list[Column], amount_index: int, label_column: int | None, label: str,
    classification: str, parts: CodeParts, registry: Registry,
) -> RowDimensions:
    """The label and codes of the amount in column ``amount_index`` (0-based), given the label
    the label finder chose; ``classification`` is the table's own."""
    anchor = label_column if label_column is not None else amount_index - 1
    start = anchor
    while start - 1 >= 0 and columns[start - 1].role != "amount":
        start -= 1
    end = anchor
    while end + 1 < amount_index and columns[end + 1].role != "amount":
        end += 1
    codes: dict[str, str] = {}
    names: dict[str, tuple[int, str]] = {}
    part_groups: dict[int, list[tuple[int, str]]] = {}  # 类 column -> (level, digits) of the row
    group = -1
    for k in range(start, end + 1) if anchor >= 0 else ():
        column = columns[k]
        text = clean_cell(cells[k]) if cells[k] else ""
        if column.code_part == 1 or (column.code_part and group < 0):
            group = k
        if column.role == "code":
            if column.code_part and text.isdigit():
                part_groups.setdefault(group, []).append((column.code_part, text))
            elif CODE.match(text):
                codes[column.classification] = text
        elif column.role in ("label", "fallback_label") and cells[k] and not (column.unit_column and label_column not in (None, k)):
            # a unit column (预算单位) names the row's budget unit, not the row, when the label
            # finder chose another label of the row (深圳 三公: 深圳市某局 | 2025 年)
            code, name = split_code_name(cells[k]) if column.code_names else ("", cells[k])
            own = code_classification(code, registry) if code else ""
            if code and own:
                codes.setdefault(own, code)
                names.setdefault(own, (k, name))
            else:
                names.setdefault(column.classification, (k, cells[k]))
    for first, part_cells in part_groups.items():
        owner = columns[first].classification or classification
        codes.setdefault(owner, parts.code(first, part_cells))
    primary = classification if classification in codes or classification in names else ""
    if not primary and label_column is not None:
        primary = columns[label_column].classification
    if primary not in codes and primary not in names:
        primary = next(iter(codes), "") or next(iter(names), "")
    if primary in names and label_column is not None and columns[label_column].code_names or primary in names and len(names) > 1:
        label_column, label = names[primary]
    return RowDimensions(label_column, label, codes.get(primary, ""), primary, codes, {c: n for c, (_k, n) in names.items()})
