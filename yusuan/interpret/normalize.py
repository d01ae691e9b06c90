"""RawTable -> tidy amount rows: one row per amount cell, with its row and column dimensions.

Column roles and meanings come from the header vocabulary in schemas/columns.yaml; the row
label and code for an amount are found by looking left from its column, so one routine reads
single tables, two-sided (收入 | 支出) tables and tables with several column groups.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT, Finding, RawTable, SourceDocument
from yusuan.core.numbers import (
    CELL_MEMO,
    UNIT_MULTIPLIERS,
    clean_cell,
    looks_like_amount,
    parse_amount,
    to_yuan,
)
from yusuan.core.schemas import Registry, TableSpec, fund_names, normalize_label
from yusuan.core.vocabulary import pattern, word, words
from yusuan.interpret.budget_units import (
    mark_budget_units,
    names_a_period,
    organisation_key,
    units_named_elsewhere,
    units_named_over_codes,
)
from yusuan.interpret.code_inference import NameCodes, PrintedCodes
from yusuan.interpret.dimensions import (
    CodeParts,
    Column,
    RowDimensions,
    classify_dimension_columns,
    code_classification,
    row_dimensions,
)
from yusuan.layout.cells import CODE, text_of

ENUMERATORS: list[tuple[re.Pattern[str], int]] = [
    (pattern("enumerator_level_1"), 1),
    (pattern("enumerator_level_2"), 2),
    (re.compile(r"^\d+[.、](?!\d)"), 3),
    (re.compile(r"^[(]\d+[)][、.]?"), 4),
]
# the phase a column's header names (schemas/vocabulary.yaml): 决算数 and 执行数 are outturn;
# 年初预算数 and 全年预算数 are two budgets of one measure, told apart (fields.yaml phase)
ACTUAL_PHASE = pattern("actual_phase")
INITIAL_BUDGET_PHASE = pattern("initial_budget_phase")
ADJUSTED_BUDGET_PHASE = pattern("adjusted_budget_phase")
YEAR_ALONE = pattern("year_alone")
CODE_LEVELS = {3: "class", 5: "section", 7: "item"}
CODE_FIELDS = {"function": "function_code", "economic": "economic_code", "government_economic": "government_economic_code"}


def header_paths(header: list[list[str | None]], width: int) -> list[list[str]]:
    """For each column, the header cells above it from top to its lowest (leaf) header.

    PDF grids mark a cell covered by a merged neighbour: from the left (it takes that
    cell's text: a group header spanning columns) or from above (skipped). Without marks
    (text exports), an empty cell under a filled one is a vertical merge and an empty cell
    with nothing above is covered from the left.
    """
    grid = [r + [None] * (width - len(r)) for r in header]
    paths = []
    for j in range(width):
        filled = [r for r in range(len(grid)) if text_of(grid[r][j])]
        leaf = filled[-1] if filled else -1
        path: list[str] = []
        for r in range(leaf + 1):
            cell = grid[r][j]
            if cell == COVERED_ABOVE:
                continue
            if not text_of(cell):
                if cell != COVERED_LEFT and any(text_of(grid[k][j]) for k in range(r)):
                    continue
                cell = next((text_of(grid[r][k]) for k in range(j - 1, -1, -1) if text_of(grid[r][k])), None)
            if cell and normalize_label(cell) not in {normalize_label(p) for p in path}:
                path.append(cell)
        paths.append([p.replace("\n", "") for p in path])
    return paths


def without_spilled_fragments(paths: list[list[str]], registry: Registry) -> list[list[str]]:
    """Drop from a column's header path a piece of another column's header: a wrapped header
    cell drawn over sub-rows spills its first line over its neighbour (江苏: 采购组织形 above 总计,
    the cell being 采购组织形式; 国（境） of 因公出国（境）费 above the 公务用车 小计)."""
    wholes = {normalize_label(h) for path in paths for h in path}
    cleaned = []
    for path in paths:
        own = [normalize_label(h) for h in path]
        keep = [
            h for h, n in zip(path, own, strict=True)
            if registry.is_known_header(h) or not any(n != w and n in w and w not in own for w in wholes)
        ]
        cleaned.append(keep if keep else path)
    return cleaned


def join_fragments(path: list[str], registry: Registry) -> list[str]:
    """Join header pieces that a cell wrapped over grid rows (因公出国 / （境）费, 公务用车 /
    运行维护 / 费): neighbours are one header when together they are a known header and
    the first of them is not. A cell printing only a year (2021年 over 合计 | 会议费 | …, 西安's
    三公 table) is a header of its own, the period of the cells below: the vocabulary knows
    it by none of its words (a leading year is noise to it), so it would join the one below."""
    joined: list[str] = []
    i = 0
    while i < len(path):
        for n in (3, 2):
            if i + n <= len(path) and not _whole_header(path[i], registry) and registry.is_known_header("".join(path[i : i + n])):
                joined.append("".join(path[i : i + n]))
                i += n
                break
        else:
            joined.append(path[i])
            i += 1
    return joined


def _whole_header(piece: str, registry: Registry) -> bool:
    """A header cell that is no fragment of a wrapped one: known, or a year alone."""
    return registry.is_known_header(piece) or YEAR_ALONE.fullmatch(normalize_label(piece)) is not None


def classify_columns(table: RawTable, registry: Registry, fiscal_year: int | None = None) -> list[Column]:
    width = table.width
    columns = []
    text_named_by_cells: set[int] = set()  # text columns their header does not name
    paths = [join_fragments(p, registry) for p in header_paths(table.header, width)]
    for j, path in enumerate(without_spilled_fragments(paths, registry)):
        norm = [normalize_label(p) for p in path if normalize_label(p) not in registry.grouping_words]
        leaf = norm[-1] if norm else ""
        column = Column(index=j + 1, role="", path=path)
        if leaf and any(p.fullmatch(leaf) for p in registry.ignore_headers):
            column.role = "ignore"
        elif leaf and any(p.fullmatch(leaf) for p in registry.code_headers):
            column.role = "code"
            column.code_part = registry.code_part_headers.get(leaf, 0)
        elif leaf and any(p.fullmatch(leaf) for p in registry.attribute_headers):
            column.role = "attribute"
        elif leaf and any(p.fullmatch(leaf) for p in registry.fallback_label_headers):
            column.role = "fallback_label"
        elif leaf and any(p.fullmatch(leaf) for p in registry.label_headers):
            column.role = "label"
        elif leaf and registry.measure(leaf):
            column.role = "amount"
        else:
            column.role = _role_of_cells(_column_cells(table, j), leaf)
            if column.role == "label" and leaf:
                text_named_by_cells.add(j)
        if column.role == "amount":
            column.measure = _measure(norm, registry)
            column.period = next((p for p in (registry.period(h, fiscal_year) for h in path) if p), "current")
        if column.role == "label" and leaf and any(p.fullmatch(leaf) for p in registry.unit_headers):
            column.unit_column = True
        for part in norm[:-1] if column.role == "amount" else norm:
            column.side = column.side or next((s for s, words in registry.sides.items() if part in words), "")
            column.group = column.group or next((g for g, words in registry.column_groups.items() if part in words), "")
        columns.append(column)
    _halves_named_by_their_fund(columns, registry)
    _one_side_is_no_side(columns, registry)
    _changes_of_the_one_measure(columns, registry)
    _text_beside_a_named_label(columns, text_named_by_cells)
    _budgets_not_told_apart(columns)
    return columns


def _halves_named_by_their_fund(columns: list[Column], registry: Registry) -> None:
    """The halves of a two-sided table headed by words that also name its fund (财政拨款收入 |
    财政拨款支出, 上海's 财政拨款收支总表) are its sides, and a total under such a half is the row's
    total (预算数 under 财政拨款收入), not the fund's measure. Only where the table prints both: over
    a one-sided table the word is a group (财政拨款收入 / 小计 of a 收入总表 is the appropriations'
    subtotal) or restates the table's scope."""
    halves = {side: {normalize_label(w) for w in words(f"{side}_half_words")} for side in ("revenue", "expenditure")}
    named = {column.index: _half_of(column, halves) for column in columns}
    if set(named.values()) - {""} != set(halves):
        return
    for column in columns:
        side = named[column.index]
        if not side or column.side:
            continue
        column.side = side
        if column.role == "amount":
            norm = [normalize_label(p) for p in column.path]
            column.measure = _measure([p for p in norm if p not in registry.grouping_words and p not in halves[side]], registry)


def _half_of(column: Column, halves: dict[str, set[str]]) -> str:
    """The half a column's header cells above its leaf name ('' if none); a label column's own
    header counts too, as in the sides of classify_columns."""
    parts = [normalize_label(p) for p in (column.path[:-1] if column.role == "amount" else column.path)]
    return next((side for side, names in halves.items() if any(p in names for p in parts)), "")


def _text_beside_a_named_label(columns: list[Column], named_by_cells: set[int]) -> None:
    """A text column whose header the vocabulary does not know (地区, 实施单位), right of a
    column its header names as the label (项目名称) in the same block of label columns,
    qualifies the row: an attribute, kept in ``row_attributes``. As a label it would take the
    row's name from the named column, the rightmost text of the block being the label. Left
    of the named label such a column stays a label: levels run from left to right (重庆's
    项目编号 A/B/C and 合计, 江苏's 采购品目 大类 beside 品目)."""
    named_label_seen = False
    for column in columns:
        if column.role == "amount":
            named_label_seen = False
        elif column.index - 1 in named_by_cells:
            if named_label_seen:
                column.role = "attribute"
        elif column.role == "label" and not column.unit_column:
            named_label_seen = True


def _one_side_is_no_side(columns: list[Column], registry: Registry) -> None:
    """A side word over some columns of a table whose header names no other side (本年收入 over
    小计 | 一般公共预算 | … between 总计 and 上年结转结余 in a 收入总表; 资金来源 over the funds of a
    政府采购 table) heads a group of a one-sided table, not a half of a two-sided one: no column
    gets a side (fields.yaml: side only in two-sided tables). Such a group that names a measure
    (本年收入) gives it to its generic total (小计) when a column headed by a total word alone
    (总计, 合计) stands beside the group: that 小计 is a part of the row's 总计, not the row's
    total."""
    if len({c.side for c in columns if c.side}) != 1:
        return
    for column in columns:
        column.side = ""
    for column in columns:
        if column.role != "amount" or column.measure != "total":
            continue
        group = next((p for p in reversed(column.path[:-1]) if registry.is_side_or_group(p) and _names_a_measure(p, registry)), None)
        if group is None:
            continue
        if any(c.role == "amount" and c.measure == "total" and c.period == column.period and len(c.path) == 1 for c in columns):
            column.measure = registry.measure(group).id  # type: ignore[union-attr]


def _names_a_measure(header: str, registry: Registry) -> bool:
    named = registry.measure(header)
    return named is not None and named.id != "total"


def _changes_of_the_one_measure(columns: list[Column], registry: Registry) -> None:
    """A column headed by a change word alone (增减额 beside 上年预算数 | 本年预算数) is the change
    of the measure its years' columns share; with years' columns of several measures, or of
    none, it stays 'unmapped'."""
    changes = [c for c in columns if c.role == "amount" and c.measure == "unmapped" and c.period == "change" and _only_period_words(c.path, registry)]
    if not changes:
        return
    measures = {c.measure for c in columns if c.role == "amount" and c.period != "change"}
    if len(measures) == 1 and "unmapped" not in measures:
        for column in changes:
            column.measure = next(iter(measures))


def _budgets_not_told_apart(columns: list[Column]) -> None:
    """Two budget columns of one measure beside its 决算 column whose headers do not say which
    is the 年初预算数 and which the 全年预算数 (both plain 预算数): neither is guessed, both stay
    'unmapped' with the reason in their finding."""
    keys: dict[tuple[str, str, str, str], list[Column]] = {}
    actual: set[tuple[str, str, str, str]] = set()
    for column in columns:
        if column.role != "amount" or column.measure == "unmapped":
            continue
        key = (column.measure, column.side, column.group, column.period)
        phase = _phase_of("".join(column.path), "")
        if phase == "actual":
            actual.add(key)
        elif phase == "budget" and word("budget_phase_word") in _without_fund_names(normalize_label("".join(column.path))):
            keys.setdefault(key, []).append(column)
    for key, budgets in keys.items():
        if len(budgets) > 1 and key in actual:
            for column in budgets:
                column.measure = "unmapped"
                column.unmapped_why = "is one of two budget columns of one measure beside its outturn column, and the headers do not say which is the initial and which the full-year budget"


def _only_period_words(path: list[str], registry: Registry) -> bool:
    parts = [text for text in map(normalize_label, path) if text and text not in registry.grouping_words]
    return bool(parts) and all(registry.period(p, None) for p in parts)


def _column_cells(table: RawTable, j: int) -> list[str]:
    """The cleaned non-empty cells of column ``j`` of the table's body: read only for a
    column its header does not name (issue 14: most columns are named by their header)."""
    return [clean_cell(row[j]) for row in table.body if j < len(row) and row[j]]


def _role_of_cells(body: list[str], leaf: str) -> str:
    """The role of a column its header does not name, from its cells: amounts, mostly
    codes, other text; an empty column is an amount column when it has a header."""
    if body and all(looks_like_amount(c) for c in body):
        return "amount"
    if body and sum(bool(CODE.match(c)) for c in body) > len(body) / 2:
        return "code"
    if body:
        return "label"
    return "amount" if leaf else "ignore"


def _measure(path: list[str], registry: Registry) -> str:
    """The leaf's measure; a generic total (小计) under a named group takes the group's, and
    under a group the vocabulary does not know it is 'unmapped', never the table's total."""
    leaf = registry.measure(path[-1]) if path else registry.measure(word("total_word"))
    if leaf is None:
        return "unmapped"
    if leaf.id == "total":
        for parent in reversed(path[:-1]):
            if registry.is_side_or_group(parent) or registry.period(parent, None):
                continue
            named = registry.measure(parent)
            if named is not None and named.id != "total":
                return named.id
            if named is None and not (registry.is_side_or_group(parent) or registry.is_scope(parent) or registry.is_known_header(parent)):
                return "unmapped"
    return leaf.id


def split_label(label: str, registry: Registry) -> tuple[str, int, bool]:
    """(label without enumerator and 其中, enumerator level, starts with 其中)."""
    text = normalize_label(label)
    of_which = False
    for prefix in registry.of_which_prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            text, of_which = text[len(prefix):].lstrip(":："), True
            break
    for enumerator, level in ENUMERATORS:
        match = enumerator.match(text)
        if match:
            return text[match.end():], level, of_which
    return text, 0, of_which


def raw_table_to_rows(
    table: RawTable, spec: TableSpec | None, document: SourceDocument, registry: Registry, printed_codes: PrintedCodes | None = None,
    known_units: frozenset[str] = frozenset(),
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The amount rows of a table and the findings made reading it; ``printed_codes``: the
    codes the publication prints with their names, for names the code list lacks
    (code_inference.py); ``known_units``: the budget units the publication lists in its other
    tables (budget_units.units_named_elsewhere)."""
    columns = classify_columns(table, registry, document.fiscal_year)
    findings: list[Finding] = []
    unit = table.unit_text
    classification = spec.classification if spec else "none"
    classify_dimension_columns(columns, table.body, registry, classification)
    parts = CodeParts()
    # a table that prints its classification by name only: codes inferred from the names
    names_only = classification != "none" and not any(c.role == "code" or c.code_names for c in columns)
    namers: dict[int, NameCodes] = {}
    inferred: dict[tuple[int, int], str] = {}
    rows: list[dict[str, Any]] = []
    if any(c.measure == "unmapped" for c in columns):
        for c in columns:
            if c.measure == "unmapped":
                why = c.unmapped_why or "is not in schemas/columns.yaml"
                findings.append(Finding("column_identified", "warning", f"column header {c.header!r} {why}; kept with measure 'unmapped'", table.table_id, table.origin.page, table.origin.file, field=c.header, table_sequence=table.sequence))
    of_which_level: dict[int, int] = {}
    unit_rows: dict[int, str] = {}
    organisations = {table.compiled_by, document.issuer}
    unit_columns = UnitColumns.of(columns, organisations)
    above: list[str | None] = [None] * len(columns)
    label_keys = {c.index - 1: _label_key(columns, c.index - 1) for c in columns if c.role == "amount"}
    column_fields = {c.index: _column_fields(c, spec, document) for c in columns if c.role == "amount"}
    code_classes: dict[str, str] = {}
    amount_columns = [c for c in columns if c.role == "amount"]
    attribute_columns = _attribute_columns(columns)
    row_periods: dict[str, str] = {}  # label -> the period it names ('' for most)
    period_rows: set[int] = set()  # the rows whose label names a period
    for number, (raw_cells, origin) in enumerate(zip(table.body, table.body_origins, strict=True), start=1):
        cells = resolve_covered(raw_cells + [""] * (len(columns) - len(raw_cells)), above, columns)
        above = cells
        if not any(cells):
            continue
        printed_cells = [c or "" for c in cells]
        named_unit = _unit_named(printed_cells, unit_columns, registry)
        if named_unit:
            unit_rows[number] = named_unit
        attributes = "; ".join([f"{header}: {printed_cells[j]}" for header, j in attribute_columns if printed_cells[j]])
        labels: dict[tuple[int, str], tuple[int | None, str]] = {}
        dimensions: dict[tuple[int | None, Any], tuple[RowDimensions, tuple[str, int, bool]]] = {}
        bases: dict[RowBaseKey, dict[str, Any]] = {}  # the row's amount rows' fields before their column's (_row)
        for column in amount_columns:
            if cells[column.index - 1] is None:
                continue  # covered by a merged cell: its value is printed in the merged neighbour
            printed = printed_cells[column.index - 1]
            dims, (name, level, of_which) = _dimensions_of(cells, columns, column.index - 1, label_keys, labels, dimensions, classification, parts, registry)
            label_col, label, code = dims.label_column, dims.label, dims.code
            if not printed and not label and not code:
                continue
            source = "printed" if code else ""
            if names_only and not code and label_col is not None and name and not of_which and column.side != "revenue" and registry.row_role(name) == "item":
                key = (number, label_col)
                if key not in inferred:
                    own = columns[label_col].classification
                    inferred[key] = namers.setdefault(label_col, NameCodes(own, document.fiscal_year, printed_codes)).infer(name) if own in CODE_FIELDS else ""
                code, source = inferred[key], ("inferred_from_name" if inferred[key] else "")
            if label_col is not None:
                if of_which:
                    of_which_level[label_col] = level
                elif level and of_which_level.get(label_col) == level:
                    of_which = True
                elif level and level < of_which_level.get(label_col, 99) or not level:
                    of_which_level.pop(label_col, None)
            amount, amount_yuan, is_blank = _amount(printed, unit, table, column, origin, findings)
            own = columns[label_col].classification if source == "inferred_from_name" and label_col is not None else dims.classification
            row = _row(document, table, number, column, label, name, level, of_which, code, own or classification, registry, column_fields[column.index], code_classes, bases)
            if row["period"] == "current" and name:
                if name not in row_periods:
                    row_periods[name] = period_of_row(name, registry, document.fiscal_year)
                row["period"] = row_periods[name] or row["period"]
                if row_periods[name]:
                    period_rows.add(number)
            if dims.codes:  # the codes of other classifications printed in the row
                _add_other_codes(row, dims.codes, registry, code_classes)
            row["_code_names"] = dims.names
            row["subject_code_source"] = source if row["subject_code"] else ""
            # the printed cell and where it is printed, set one by one (a keyword update
            # builds a dict of them first; issue 14), in the row's order of fields
            row["row_attributes"] = attributes
            row["value_printed"] = printed
            row["unit_printed"] = unit
            row["unit"] = unit if unit in UNIT_MULTIPLIERS else ""
            row["amount"] = amount
            row["amount_yuan"] = amount_yuan
            row["is_blank"] = is_blank
            row["quality_flag"] = ""
            row["file_name"] = origin.file
            row["sha256"] = origin.sha256
            row["page"] = origin.page
            row["line"] = origin.line
            rows.append(row)
    _unlabelled_rows(rows)
    unit_rows.update(units_named_over_codes(rows, unit_rows))
    unit_rows.update(units_named_elsewhere(rows, unit_rows, known_units))
    mark_budget_units(rows, unit_rows, organisations, frozenset(period_rows))
    return rows, findings


def period_of_row(name: str, registry: Registry, fiscal_year: int | None) -> str:
    """The period a row's label names when the label is only a year or a period word: a table
    whose years are rows (深圳 三公: 2025 年 | 2026 年 | 增减变化金额 under headers naming no year).
    A label that only starts with a year (2025年结转) is an item of the year the table is about."""
    if names_a_period(name, registry):
        return registry.period(normalize_label(name), fiscal_year)
    return ""


def _attribute_columns(columns: list[Column]) -> list[tuple[str, int]]:
    """(header, index) of the columns whose printed cells are a row's attributes
    (``row_attributes``), in order; found once per table, not for every row (issue 14)."""
    return [(c.header, c.index - 1) for c in columns if c.role in ("attribute", "fallback_label")]


def _add_other_codes(row: dict[str, Any], codes: dict[str, str], registry: Registry, code_classes: dict[str, str]) -> None:
    """A code field the row's own code leaves empty takes the code of that classification
    printed in the row (``RowDimensions.codes``), when the code is of that classification."""
    for own, field_name in CODE_FIELDS.items():
        other = codes.get(own, "")
        if not row[field_name] and other and _code_class(other, registry, code_classes) == own:
            row[field_name] = other


def _unlabelled_rows(rows: list[dict[str, Any]]) -> None:
    """A row with neither label nor code is the table's total when it opens or closes the
    table (the one row of a 三公 table, a 合计 printed in a merged cell); between other
    rows it is an item with a blank label (西安 prints 0.00 against empty lines)."""
    numbers = [r["row_number"] for r in rows]
    ends = {min(numbers), max(numbers)} if numbers else set()
    for row in rows:
        if row["row_role"] == "unlabelled":
            row["row_role"] = "total" if row["row_number"] in ends else "item"


class UnitColumns(NamedTuple):
    """What :func:`_unit_named` reads of a table besides a row's cells, found once per table
    (issue 14: it was found again for every row): the indexes of its code, unit and label
    columns, and the ``organisation_key`` of each name the document gives its issuer."""

    codes: list[int]
    units: list[int]
    labels: list[int]
    keys: set[str]

    @classmethod
    def of(cls, columns: list[Column], organisations: set[str]) -> UnitColumns:
        return cls(
            [c.index - 1 for c in columns if c.role == "code"],
            [c.index - 1 for c in columns if c.unit_column],
            [c.index - 1 for c in columns if c.role == "label"],
            {organisation_key(o) for o in organisations if o},
        )


def _unit_named(cells: list[str], where: UnitColumns, registry: Registry) -> str:
    """The budget unit a row names: printed in a unit column on a row without a code, or as
    the label of a row without a code that is the department's own name (a total row such
    as 合计 names no unit)."""
    if any(CODE.match(clean_cell(cells[j])) for j in where.codes):
        return ""
    for j in where.units:
        text = cells[j].strip()
        if text:
            return text if registry.row_role(split_label(text, registry)[0]) == "item" else ""
    labels = [cells[j] for j in where.labels if cells[j].strip()]
    return labels[0].strip() if len(labels) == 1 and organisation_key(labels[0]) in where.keys else ""


def resolve_covered(cells: list[str | None], above: list[str | None], columns: list[Column]) -> list[str | None]:
    """A label or code cell covered from above (a name spanning rows) reads as the cell above;
    every other covered cell is None (its value is printed in the covering cell). A row
    with no covered cell, most rows, is a copy of ``cells`` (issue 14: the two markers are
    looked for in C, not compared cell by cell in Python)."""
    if COVERED_ABOVE not in cells and COVERED_LEFT not in cells:
        return list(cells)
    resolved: list[str | None] = []
    for j, cell in enumerate(cells):
        if cell == COVERED_ABOVE and columns[j].role in ("label", "code", "fallback_label"):
            resolved.append(above[j])
        else:
            resolved.append(None if cell in (COVERED_ABOVE, COVERED_LEFT) else cell)
    _label_merged_from_an_attribute(cells, resolved, columns)
    return resolved


def _label_merged_from_an_attribute(cells: list[str | None], resolved: list[str | None], columns: list[Column]) -> None:
    """A cell that starts in an attribute column and is merged rightwards over the row's label
    column prints the row's label, not an attribute (西安's 2025–2026 三公 table prints 合计 in
    one cell across 单位编码 | 单位名称): its text reads in the label column it covers and the
    attribute column reads empty. Without this the row had no label (its 合计 published as
    ``单位编码: 合计``). A code column merged over its label (功能科目编码 | 功能科目名称) is left
    alone: ``_label_for`` already reads a code column's text that is no code as the label."""
    for j, cell in enumerate(cells):
        if cell != COVERED_LEFT or columns[j].role != "label":
            continue
        k = j - 1
        while k >= 0 and cells[k] == COVERED_LEFT:
            k -= 1
        if k >= 0 and columns[k].role == "attribute" and resolved[k]:
            resolved[j], resolved[k] = resolved[k], None


def _label_key(columns: list[Column], j: int) -> tuple[int, str]:
    """What the label of the amount in column ``j`` depends on besides the row's cells: the
    first column left of its block of amount columns, and its side (``_label_for`` walks
    left past the amount columns)."""
    k = j - 1
    while k >= 0 and columns[k].role == "amount":
        k -= 1
    return k, columns[j].side


def _dimensions_of(
    cells: list[str | None], columns: list[Column], j: int, label_keys: dict[int, tuple[int, str]],
    labels: dict[tuple[int, str], tuple[int | None, str]],
    dimensions: dict[tuple[int | None, Any], tuple[RowDimensions, tuple[str, int, bool]]],
    classification: str, parts: CodeParts, registry: Registry,
) -> tuple[RowDimensions, tuple[str, int, bool]]:
    """The label, codes and split label of the amount in column ``j`` of one row, found once
    per row for the amount columns that share them (issue 14): ``labels`` and ``dimensions``
    are the row's memos. Amount columns of one block and side have one label; a label found
    in a label column has one set of dimensions whichever amount column asks (the columns
    read run from the label's block of label columns to the next amount column), one found
    nowhere is read from the column left of the amount. ``CodeParts.code`` gives the same
    code for the same printed parts again, so asking it once per row is the same."""
    key = label_keys[j]
    if key not in labels:
        labels[key] = _label_for(cells, columns, j, registry)
    label_col, label = labels[key]
    where = (label_col, label) if label_col is not None else (None, j)
    if where not in dimensions:
        dims = row_dimensions(cells, columns, j, label_col, label, classification, parts, registry)
        dimensions[where] = dims, split_label(dims.label, registry)
    return dimensions[where]


def _label_for(cells: list[str | None], columns: list[Column], j: int, registry: Registry) -> tuple[int | None, str]:
    """The label of an amount: the rightmost text in the block of label columns to its left.

    Amount columns between are passed over (小计 | 基本支出 | 项目支出 share one label). A block
    whose cells are all covered by a merged neighbour (None) is passed too. A block printed
    empty means the row has no label of its own here, unless a total label (当年支出小计)
    further left on the same side spans the groups.
    """
    side = columns[j].side
    k = j - 1
    own_block = True
    while k >= 0:
        while k >= 0 and columns[k].role == "amount":
            k -= 1
        block, fallback = [], []
        while k >= 0 and columns[k].role != "amount":
            if columns[k].role in ("label", "code"):
                block.append(k)
            elif columns[k].role == "fallback_label":
                fallback.append(k)
            k -= 1
        if not any(cells[index] for index in block):
            block += fallback
        for index in block:
            text = cells[index]
            if text and not (columns[index].role == "code" and CODE.match(clean_cell(text))):
                if own_block or registry.row_role(split_label(text, registry)[0]) != "item":
                    return index, text
                return None, ""
        if any(cells[index] is not None for index in block):
            if not side or (k >= 0 and columns[k].side != side):
                return None, ""
            own_block = False
    return None, ""


def _amount(printed: str, unit: str, table: RawTable, column: Column, origin: Any, findings: list[Finding]) -> tuple[Decimal | None, Decimal | None, bool]:
    """The amount of a printed cell, in yuan too when ``unit`` is a money unit, and whether
    the cell is blank; a cell that is not a number is an error finding (and no amount)."""
    try:
        amount, amount_yuan = _printed_amount(printed, unit)
    except ValueError:
        findings.append(Finding("amount_cells_numeric", "error", f"cell {printed!r} in amount column {column.header!r} is not a number", table.table_id, origin.page, origin.file, actual=printed, field=column.header, table_sequence=table.sequence))
        return None, None, False
    return amount, amount_yuan, amount is None


@lru_cache(maxsize=CELL_MEMO)
def _printed_amount(printed: str, unit: str) -> tuple[Decimal | None, Decimal | None]:
    """``parse_amount`` of a printed cell and its ``to_yuan`` in ``unit`` (None when blank
    or when the unit is not a money unit), remembered by the printed text: a document prints
    most of its figures several times (totals in several tables, zeros, blanks), about six
    cells in seven are a text met before (issue 14). A text that is not a number raises
    ``ValueError`` every time (an exception is not remembered). Keyed by the printed text
    and unit, which alone decide both (equal Decimals may be written with other digits)."""
    amount = parse_amount(printed)
    return amount, to_yuan(amount, unit) if amount is not None and unit in UNIT_MULTIPLIERS else None


RowBaseKey = tuple[str, str, int, bool, str, str]


def _row(
    document: SourceDocument, table: RawTable, number: int, column: Column, label: str, name: str, level: int, of_which: bool, code: str,
    classification: str, registry: Registry, column_fields: dict[str, Any], code_classes: dict[str, str],
    bases: dict[RowBaseKey, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An amount row's dimensions; ``column_fields`` are its column's (:func:`_column_fields`,
    found once per table) and ``code_classes`` remembers each code's classification for
    the table (issue 14: both were found again for every amount cell).

    ``bases``, one printed row's memo: the amount columns of a printed row that read the same
    label, code and classification share every field but their column's, so those fields
    are made once and copied for each (a copy keeps the fields' order; ``column_number`` is
    set in its place; issue 14)."""
    key = (label, name, level, of_which, code, classification)
    base = bases.get(key) if bases is not None else None
    if base is None:
        base = _row_base(document, table, number, label, name, level, of_which, code, classification, registry, code_classes)
        if bases is not None:
            bases[key] = base
    row = base.copy()
    row["column_number"] = column.index
    row.update(column_fields)
    return row


def _row_base(
    document: SourceDocument, table: RawTable, number: int, label: str, name: str, level: int, of_which: bool, code: str,
    classification: str, registry: Registry, code_classes: dict[str, str],
) -> dict[str, Any]:
    """The fields of an amount row that its printed row, label and code decide, in the row's
    order of fields (``column_number`` a place held for its column's number)."""
    typed = bool(code) and _code_class(code, registry, code_classes) == classification
    subject_level = CODE_LEVELS.get(len(code), "") if typed else ""
    return {
        "document_id": document.document_id,
        "table_sequence": table.sequence,
        "row_number": number,
        "column_number": None,
        "table_id": table.table_id,
        "item_name_printed": label,
        "item_name": name,
        "row_role": registry.row_role(name) if name else ("unlabelled" if not code else "item"),
        "item_level": level,
        "is_of_which": of_which,
        "classification": classification,
        "subject_code": code,
        "subject_level": subject_level,
        "class_code": code[:3] if subject_level else "",
        "section_code": code[:5] if subject_level in ("section", "item") else "",
        "item_code": code if subject_level == "item" else "",
        "function_code": code if classification == "function" and subject_level else None,
        "economic_code": code if classification == "economic" and subject_level else None,
        "government_economic_code": code if classification == "government_economic" and subject_level else None,
    }


def _column_fields(column: Column, spec: TableSpec | None, document: SourceDocument) -> dict[str, Any]:
    """The fields of an amount row that its column (and table) alone decide, in the row's
    order of fields: side, group, measure, period, header, fund scope and phase."""
    return {
        "side": column.side,
        "column_group": column.group,
        "measure": column.measure,
        "period": column.period,
        "column_header": column.header,
        "fund_scope": spec.fund_scope if spec else "none",
        "phase": _phase(column, document),
    }


def _code_class(code: str, registry: Registry, code_classes: dict[str, str]) -> str:
    """``code_classification`` of a code, remembered in ``code_classes``."""
    found = code_classes.get(code)
    if found is None:
        found = code_classes[code] = code_classification(code, registry)
    return found


def _phase(column: Column, document: SourceDocument) -> str:
    """actual when the header says 决算 (or 执行数); initial_budget when it says 年初预算,
    adjusted_budget when it says 全年预算 or 调整预算; budget when it says 预算 otherwise, other
    than in a fund's name (一般公共预算财政拨款 in a 决算 is an actual); else the document's
    phase."""
    return _phase_of("".join(column.path), document.kind)


@lru_cache(maxsize=CELL_MEMO)
def _phase_of(header: str, kind: str) -> str:
    """_phase of a column's joined header path and the document's kind, remembered: it is
    asked for every amount cell and depends on these two texts alone (issue 14)."""
    text = _without_fund_names(normalize_label(header))
    if ACTUAL_PHASE.search(text):
        return "actual"
    if INITIAL_BUDGET_PHASE.search(text):
        return "initial_budget"
    if ADJUSTED_BUDGET_PHASE.search(text):
        return "adjusted_budget"
    if word("budget_phase_word") in text:
        return "budget"
    return "actual" if word("actual_kind") in kind else "budget"


def _without_fund_names(text: str) -> str:
    """The header without the names of funds (一般公共预算 …), whose 预算 names no phase."""
    for name in fund_names():
        text = text.replace(name, "")
    return text
