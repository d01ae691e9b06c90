"""Project performance target tables (绩效目标表) -> a project row and its indicator rows.

The template prints: a funds block (资金总额 / 财政拨款 / 其他资金), a goal row
(项目实施期目标 or 年度目标) and indicator rows (一级指标 | 二级指标 | 三级指标 | 指标值),
where a level-1 or level-2 cell spans the rows below it (printed once).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from yusuan.core.model import RawTable
from yusuan.core.numbers import (
    CELL_MEMO,
    UNIT_MULTIPLIERS,
    find_unit,
    looks_like_amount,
    parse_amount,
    to_yuan,
)
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import mapping, pattern, word, words
from yusuan.layout.cells import texts_of

FUNDS = mapping("performance_funds")  # 资金总额 -> funds_total_yuan …
FUNDS_LABELS = tuple(FUNDS)
GOAL = pattern("performance_goal")
LEVEL_HEADER = pattern("performance_level_header")
TARGET = re.compile(r"^(?P<cmp>[≥≤><=＝]+)?\s*(?P<num>[-+]?\d+(\.\d+)?)\s*(?P<unit>.*)$")
PROJECT_TITLE = pattern("performance_title")
GOAL_LABEL_LENGTH = 12  # the longest goal label printed: 部门整体支出年度绩效目标 (长沙); a goal in words is longer
LEVELS_TOGETHER = pattern("performance_levels_together")
VALUE_UNIT = pattern("performance_value_unit")  # what may follow a target's number: a unit, not a sentence
INDICATOR_FIELDS = ("level1", "level2", "level3", "target", "comparator", "unit")


def performance_table_to_rows(table: RawTable, project_number: int, document_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows = [texts_of(r) for r in table.header + table.body]
    origins = [table.origin] * len(table.header) + table.body_origins
    unit = next(filter(None, map(_cell_unit, (c for r in rows for c in r))), "") or _unit_in_cells(rows)
    name = _project_name_cell(rows) or pattern("leading_year").sub("", PROJECT_TITLE.sub("", table.title.strip())).strip()
    project: dict[str, Any] = {
        "document_id": document_id,
        "project_number": project_number,
        "project_name": name or table.title,
        "funds_total_yuan": None,
        "funds_fiscal_yuan": None,
        "funds_other_yuan": None,
        "unit_printed": unit,
        "goal": "",
        "file_name": table.origin.file,
        "sha256": table.origin.sha256,
        "page": table.origin.page,
        "line": table.origin.line,
    }
    indicators: list[dict[str, Any]] = []
    in_indicators = False
    columns: dict[str, int] = {}
    level1 = level2 = ""
    goal_below = False
    for cells, origin in zip(rows, origins, strict=True):
        norm = [normalize_label(c) for c in cells]
        _read_funds(norm, unit, project)
        if is_indicator_header(norm):
            in_indicators = True
            columns = indicator_columns(norm)
            continue
        texts = [c for c in cells if c.strip()]
        if not in_indicators and texts and all(map(_is_goal_label, texts)):
            goal_below = True  # the label row only (年度总体目标 | 年度目标, 当年整体绩效目标): the goal is the next row
            continue
        if not in_indicators and goal_below and texts:
            project["goal"] = texts[-1].strip()
            goal_below = False
            continue
        if not in_indicators and len(texts) >= 2 and GOAL.search(normalize_label(texts[0])):
            project["goal"] = texts[-1].strip()
            continue
        if not in_indicators or len(texts) < 2:
            continue
        read = _cells_by_header(cells, columns) if _names_indicator(columns) else _cells_by_position(cells)
        if read is None:
            continue  # no indicator name and no target: a sub-header (财政资金 | 其他资金) or a project's total row
        read = _levels_apart(read)
        level1 = read["level1"] or level1
        level2 = read["level2"] or level2
        if read["level1"]:
            level2 = read["level2"]
        indicators.append(indicator_row(document_id, project_number, len(indicators) + 1, level1, level2, read, origin))
    return project, indicators


def _is_goal_label(cell: str) -> bool:
    """A cell that names the goal (年度目标, 项目实施期目标, 当年整体绩效目标), not a goal's own words
    that happen to end in 目标 (泉州 …党和人民满意的工作目标): short."""
    label = normalize_label(cell)
    return len(label) <= GOAL_LABEL_LENGTH and GOAL.search(label) is not None


def indicator_columns(header: list[str]) -> dict[str, int]:
    """Field -> column of the indicator header row, chosen by the header's words
    (`vocabulary.yaml performance_columns`): where two columns name one field, the word listed
    first wins. A column the vocabulary does not know, or marks `ignore` (分值 / 权重, 评(扣)分标准,
    备注), holds no field."""
    vocabulary = mapping("performance_columns")
    rank = {word: index for index, word in enumerate(vocabulary)}
    chosen: dict[str, tuple[int, int]] = {}
    for column, cell in enumerate(header):
        word_ = pattern("performance_header_suffix").sub("", cell)
        field = vocabulary.get(word_)
        if field in INDICATOR_FIELDS and (field not in chosen or rank[word_] < chosen[field][0]):
            chosen[field] = (rank[word_], column)
    return {field: column for field, (_rank, column) in chosen.items()}


def is_indicator_header(norm: list[str]) -> bool:
    """The row that heads the indicator columns: 一级指标, or, in templates without levels
    (重庆 绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位, 北京's department table 活动 | 绩效指标 |
    指标性质 | 指标值 | 度量单位), a header naming both the indicator and its target."""
    if any(map(LEVEL_HEADER.match, norm)):
        return True
    columns = indicator_columns(norm)
    return "level3" in columns and "target" in columns


def _names_indicator(columns: dict[str, int]) -> bool:
    """The header names the indicator's own columns (its name or its target), so they are read
    by it; a header that names neither leaves the position rule (the last four columns)."""
    return "level3" in columns or "target" in columns


def _cells_by_header(cells: list[str], columns: dict[str, int]) -> dict[str, str] | None:
    """The row's cell of each field: the first non-empty cell from the header's column up to
    the next headed column (a header cell spans the empty header cells to its right, and the
    merged body cell under it is read into any of them). None when the row has neither an
    indicator name nor a target."""
    starts = sorted(columns.values())
    read = {}
    for field in INDICATOR_FIELDS:
        column = columns.get(field)
        if column is None:
            read[field] = ""
            continue
        end = next((s for s in starts if s > column), len(cells))
        cell = next((c.strip() for c in cells[column:end] if c.strip()), "")
        read[field] = normalize_label(cell) if field.startswith("level") else cell
    if not read["level3"] and not read["target"]:
        return None
    return read


def _levels_apart(read: dict[str, str]) -> dict[str, str]:
    """The levels of an indicator printed run together in its one cell, where no level has a
    column of its own (北京 部门整体: 产出指标数量指标出具数据分析报告 -> 产出指标 | 数量指标 | 出具数据分析报告)."""
    match = LEVELS_TOGETHER.match(read["level3"]) if not read["level1"] and not read["level2"] else None
    return {**read, **match.groupdict()} if match else read


def _cells_by_position(cells: list[str]) -> dict[str, str]:
    """The template's last four columns: 一级指标 | 二级指标 | 三级指标 | 指标值."""
    values = cells[-4:] if len(cells) >= 5 else cells[-(min(4, len(cells))):]
    cols = ["", "", "", ""][: 4 - len(values)] + [normalize_label(v) for v in values]
    return {"level1": cols[0], "level2": cols[1], "level3": cols[2], "target": values[-1].strip(), "comparator": "", "unit": ""}


@lru_cache(maxsize=CELL_MEMO)
def _cell_unit(cell: str) -> str | None:
    """The money unit a cell of a performance table declares, its brackets read as 单位
    (金额(万元) -> 金额单位万元); remembered: a table without one asks it of every cell, and
    the template's cells repeat from table to table (issue 14)."""
    return find_unit(normalize_label(cell).replace("(", word("unit_label")).replace(")", ""))


def _project_name_cell(rows: list[list[str]]) -> str:
    """The name printed beside 项目名称 in a key-value block (烟台: 项目名称 | 城市更新城市体检);
    '' when the block has none (the title then names the project: 医保服务站工作经费项目绩效目标表)."""
    for cells in rows[:3]:
        texts = [c.strip() for c in cells if c.strip()]
        if len(texts) >= 2 and normalize_label(texts[0]).rstrip(":：") in words("project_name_labels"):
            value = texts[1].replace("\n", "")
            if not looks_like_amount(value) and normalize_label(value) not in words("project_total_words"):
                return value
    return ""


def _unit_in_cells(rows: list[list[str]]) -> str:
    for row in rows:
        for cell in row:
            match = pattern("bracketed_unit").search(cell)
            if match:
                return match.group(1)
    return ""


def _read_funds(norm: list[str], unit: str, project: dict[str, Any]) -> None:
    for index, cell in enumerate(norm):
        key = cell.rstrip(":：")
        if not key.endswith(FUNDS_LABELS):
            continue  # most cells end with no label: not asked of each label (issue 14)
        for label, field in FUNDS.items():
            if key.endswith(label) and index + 1 < len(norm) and looks_like_amount(norm[index + 1]):
                amount = parse_amount(norm[index + 1])
                if amount is not None and unit in UNIT_MULTIPLIERS:
                    project[field] = to_yuan(amount, unit)


def indicator_row(document_id: str, project_number: int, number: int, level1: str, level2: str, read: dict[str, str], origin: Any) -> dict[str, Any]:
    target = read["target"]
    match = TARGET.match(normalize_label(target))
    comparator, value, unit = "", None, ""
    if match and VALUE_UNIT.match(match.group("unit")):
        comparator = (match.group("cmp") or "").replace("＝", "=")
        value = Decimal(match.group("num"))
        unit = match.group("unit")
    sign = normalize_label(read["comparator"])
    if pattern("performance_comparator").match(sign):
        comparator = sign  # printed in a column of its own (指标性质): ＝ | 100 | %
    if read["unit"]:
        unit = normalize_label(read["unit"])  # printed in a column of its own (度量单位)
    return {
        "document_id": document_id,
        "project_number": project_number,
        "indicator_number": number,
        "level1": level1,
        "level2": level2,
        "level3": read["level3"],
        "target_printed": target,
        "comparator": comparator,
        "target_value": value,
        "target_unit": unit,
        "file_name": origin.file,
        "sha256": origin.sha256,
        "page": origin.page,
        "line": origin.line,
    }
