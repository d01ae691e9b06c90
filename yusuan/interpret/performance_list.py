"""Performance tables that list several projects one under another -> one target row per project.

北京 预算表12 (项目名称 | 项目总额 | 财政资金 | 其他资金 | 绩效目标 | 一级指标 …), 广州 (项目名称（资金使用单位） |
总计 | 财政拨款 | … | 绩效目标 | 绩效指标), 杭州 / 湖州 表11 (单位名称 | 项目名称 | 金额 | 绩效目标), 长沙
(单位（项目）名称 | 资金总额 | 绩效目标 | 一级指标 …) and 重庆's 一般性项目 table print a project's name, funds
and goal in the first cells of its rows and its indicators beside them, the project's cells merged down
over its indicator rows (and over page breaks). Each project becomes its own `performance_targets`
row with its own indicators, at the page and line where its rows begin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from yusuan.core.model import COVERED_ABOVE, Origin, RawTable
from yusuan.core.numbers import UNIT_MULTIPLIERS, looks_like_amount, parse_amount, to_yuan
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import mapping, pattern, words
from yusuan.interpret.performance import performance_table_to_rows
from yusuan.interpret.performance_items import listed_indicators
from yusuan.layout.cells import texts_of

Project = tuple[dict[str, Any], list[dict[str, Any]]]
# a name's lines that fell into rows of their own lie at most this many rows apart (北京 p.47: the
# name's first line, the amounts' line, the name's last line)
NAME_LINE_GAP = 2
INDICATOR_COLUMNS = mapping("performance_columns")


@dataclass(frozen=True)
class ProjectColumns:
    """Where a project-list table prints each project's name, goal and funds."""

    name: int
    goal: int
    funds: dict[int, str]  # column -> funds field (funds_total_yuan …)
    indicators: int | None = None  # the column that may list a project's indicators in one cell (广州 绩效指标)


def performance_table_to_projects(table: RawTable, first_number: int, document_id: str) -> list[Project]:
    """The target rows of one performance table with their indicators: one per project where
    the table lists projects under a project column, else the table's one target row."""
    columns = project_columns([texts_of(r) for r in table.header])
    if columns is None:
        return [performance_table_to_rows(table, first_number, document_id)]
    projects: list[Project] = []
    for rows, origins in project_runs(table, columns):
        part = replace(table, body=rows, body_origins=origins, origin=origins[0])
        project, indicators = performance_table_to_rows(part, first_number + len(projects), document_id)
        cells = [texts_of(r) for r in rows]
        goal = _joined(cells, columns.goal)
        if not goal and not indicators:
            continue  # a total or a unit's subtotal row (合计, 长沙市信访局 417.41): no project
        if not indicators and columns.indicators is not None:
            indicators = listed_indicators(_joined(cells, columns.indicators), document_id, project["project_number"], origins[0])
        project["project_name"] = _joined(cells, columns.name)
        project["goal"] = goal or project["goal"]
        _read_project_funds(cells, columns, table.unit_text, project)
        projects.append((project, indicators))
    return projects


def project_columns(header: list[list[str]]) -> ProjectColumns | None:
    """The project, goal and funds columns of a header that names a project column and a goal
    column in one row (北京 项目名称 … 绩效目标); None for a one-project table (its 项目名称 is a
    key beside its value, the goal a row of its own)."""
    names = set(words("project_list_name_headers"))
    goal_word = pattern("performance_list_goal")
    for cells in header:
        norm = [normalize_label(c) for c in cells]
        name = next((i for i, c in enumerate(norm) if c in names), None)
        goal = next((i for i, c in enumerate(norm) if goal_word.match(c)), None)
        if name is not None and goal is not None and name < goal:
            indicators = next((i for i, c in enumerate(norm) if i > goal and INDICATOR_COLUMNS.get(c) == "level3"), None)
            return ProjectColumns(name, goal, _funds_columns(header, name, goal), indicators)
    return None


def _funds_columns(header: list[list[str]], name: int, goal: int) -> dict[int, str]:
    """Funds field of each column between the project and its goal, by the lowest header cell
    that names one (北京 其中： over 财政资金)."""
    vocabulary = mapping("performance_list_funds")
    funds = {}
    for column in range(name + 1, goal):
        for cells in header:
            field = vocabulary.get(normalize_label(cells[column])) if column < len(cells) else None
            if field:
                funds[column] = field
    return funds


def project_runs(table: RawTable, columns: ProjectColumns) -> list[tuple[list[list[Any]], list[Origin]]]:
    """The body rows of each project. A row with a printed name begins a project where the
    project cell above it ended (the row before is covered by a merged cell: the grid found the
    ruled cell) or where its amounts fill a funds field the project already has (the next
    project's row). Otherwise the name is more of the project's own cell, whose lines fell into
    rows of their own where the grid found no ruling (北京 文旅局 p.49 11000022T0000004 | 46347-京剧院演出
    4,575.50 | 创排; p.47 …参加全国赛 | 50.043 | 事文化交流及展演活动). The project's own name and
    amounts printed again (长沙 repeats a project's cells at the top of each page it continues on) begins none. Rows
    before the first name belong to no project."""
    runs: list[tuple[list[list[Any]], list[Origin]]] = []
    filled: set[str] = set()
    covered_before = False
    since_named = 0
    first_printed: tuple[str, ...] = ()
    for row, origin in zip(table.body, table.body_origins, strict=True):
        cells = texts_of(row)
        amounts = {field for column, field in columns.funds.items() if looks_like_amount(_cell(cells, column))}
        name = _cell(cells, columns.name)
        printed = (name, *(_cell(cells, column) for column in columns.funds))
        if name and printed != first_printed and (not runs or covered_before or amounts & filled or since_named > NAME_LINE_GAP):
            runs.append(([], []))
            filled = set()
            first_printed = printed
        named = bool(name)
        since_named = 1 if named else since_named + 1
        if runs:
            runs[-1][0].append(row)
            runs[-1][1].append(origin)
        filled |= amounts
        covered_before = columns.name < len(row) and row[columns.name] == COVERED_ABOVE
    return runs


def _read_project_funds(cells: list[list[str]], columns: ProjectColumns, table_unit: str, project: dict[str, Any]) -> None:
    """Each funds field: the first amount in its column among the project's rows, in yuan by the
    table's unit (none where the unit is unknown: an amount is never guessed)."""
    unit = project["unit_printed"] or table_unit
    if unit not in UNIT_MULTIPLIERS:
        return
    project["unit_printed"] = unit
    for column, field in columns.funds.items():
        printed = next((_cell(r, column) for r in cells if looks_like_amount(_cell(r, column))), "")
        amount = parse_amount(printed) if printed else None
        if amount is not None:
            project[field] = to_yuan(amount, unit)


def _joined(cells: list[list[str]], column: int) -> str:
    """A merged cell's text whose lines fell into several rows, put together again; a cell
    printed again on a later page (长沙) is taken once."""
    return "".join(dict.fromkeys(_cell(r, column).replace("\n", "") for r in cells))


def _cell(cells: list[str], column: int) -> str:
    return cells[column].strip() if column < len(cells) else ""
