"""The numbers behind a dataset page's charts, read from a written package's CSVs.

Four charts, each from the first table of the package that has the data (the table used is
named on the chart):

* expenditure by function, 类 level: 一般公共预算支出表（功能分类）, else 财政拨款支出表（功能科目）,
  else 支出总表;
* expenditure by economic class, 类 level: 一般公共预算支出经济分类表, else the basic-expenditure
  tables by economic class;
* basic vs project expenditure (and the other expenditure types printed): the total row of
  支出总表, else of the function tables;
* the "three public expenses" (三公经费): 因公出国（境）费, 公务接待费, 公务用车购置及运行费 with its
  two parts, whether the table prints them as columns or as rows.

A class's amount is its 类 row when printed, otherwise the sum of its 款 rows, otherwise of its
项 rows. Blank cells are never read as zero: a 三公 item printed blank is shown as blank.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yusuan.catalogue.index import PackageInfo
from yusuan.core.schemas import load_registry

Row = dict[str, str]

FUNCTION_TABLES = (
    "gpb_expenditure_by_function",
    "fiscal_appropriation_expenditure_by_function",
    "expenditure_summary",
)
ECONOMIC_TABLES = (
    "gpb_expenditure_by_economic_class",
    "gpb_basic_expenditure_by_economic_class",
    "fiscal_appropriation_basic_expenditure_by_economic_class",
)
SPLIT_TABLES = (
    "expenditure_summary",
    "gpb_expenditure_by_function",
    "fiscal_appropriation_expenditure_by_function",
)
EXPENDITURE_TYPES = (
    "basic_expenditure",
    "project_expenditure",
    "reserve_fund",
    "business_operation_expenditure",
    "payment_to_higher_level",
    "subsidy_to_affiliated_units",
)
THREE_PUBLIC = (
    ("outbound_travel", 0),
    ("official_reception", 0),
    ("official_vehicles", 0),
    ("vehicle_purchase", 1),
    ("vehicle_operation", 1),
)
LEVELS = ("class", "section", "item")


@dataclass(frozen=True)
class Bar:
    key: str  # a classification code or a measure id
    label_zh: str
    label_en: str
    yuan: Decimal | None  # None: printed blank or not printed
    indent: int = 0


@dataclass
class Chart:
    id: str
    title_zh: str
    title_en: str
    bars: list[Bar] = field(default_factory=list)
    source_zh: str = ""  # the table the numbers come from
    source_en: str = ""
    total_yuan: Decimal | None = None  # the table's printed total, when there is one
    total_zh: str = "合计"
    total_en: str = "Total"
    empty_zh: str = "本数据包没有可用于此图的表格。"
    empty_en: str = "No table of this package has the data for this chart."

    @property
    def drawable(self) -> bool:
        return any(b.yuan is not None for b in self.bars)


def read_csv(path: Path | None) -> list[Row]:
    if path is None:
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _yuan(row: Row) -> Decimal:
    """amount_yuan of a cell already known to be non-blank (see _cells)."""
    value = _decimal(row.get("amount_yuan"))
    return Decimal(0) if value is None else value


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


@dataclass
class PackageData:
    """The CSVs the charts need, read once per package."""

    amounts: list[Row]
    tables: list[Row]
    functions: dict[str, Row]
    economics: dict[str, Row]
    phase: str

    @classmethod
    def load(cls, package: PackageInfo) -> PackageData:
        kind = str(package.get("kind"))
        return cls(
            amounts=read_csv(package.resource_path("amounts")),
            tables=read_csv(package.resource_path("source_tables")),
            functions={r["code"]: r for r in read_csv(package.resource_path("function_classification"))},
            economics={r["code"]: r for r in read_csv(package.resource_path("economic_classification"))},
            phase="actual" if "决算" in kind else "budget",
        )

    def table(self, table_id: str) -> tuple[Row | None, list[Row]]:
        """The first printed table with this id and its amount cells (non-blank and blank)."""
        sequences = sorted({_int(r["table_sequence"]) for r in self.amounts if r["table_id"] == table_id})
        if not sequences:  # printed without a single amount cell (an empty template): say so
            return next((t for t in self.tables if t.get("table_id") == table_id), None), []
        seq = str(sequences[0])
        rows = [r for r in self.amounts if r["table_id"] == table_id and r["table_sequence"] == seq]
        phases = {r.get("phase", "") for r in rows}
        if len(phases) > 1 and self.phase in phases:
            rows = [r for r in rows if r.get("phase", "") == self.phase]
        meta = next((t for t in self.tables if t.get("table_sequence") == seq), None)
        return meta, rows


def _cells(rows: list[Row], measure: str) -> list[Row]:
    """Non-blank cells of ``measure``. When a row prints the same measure twice for the same
    label (e.g. two 合计 columns), the leftmost column is kept; side-by-side blocks of one table
    (different labels on the same row) are all kept."""
    chosen: dict[tuple[str, ...], Row] = {}
    for r in rows:
        if r.get("measure") != measure or r.get("is_blank") == "true" or _decimal(r.get("amount_yuan")) is None:
            continue
        label = r.get("subject_code") or r.get("item_name", "")
        key = (r["row_number"], r.get("column_group", ""), label)
        if key not in chosen or _int(r["column_number"]) < _int(chosen[key]["column_number"]):
            chosen[key] = r
    return sorted(chosen.values(), key=lambda r: (_int(r["row_number"]), _int(r["column_number"])))


def _by_class(cells: list[Row]) -> dict[str, Decimal]:
    """Amount per 类 code: its 类 row, else the sum of its 款 rows, else of its 项 rows."""
    found: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in cells:
        code = r.get("class_code", "")
        level = r.get("subject_level", "")
        if r.get("row_role") != "item" or r.get("is_of_which") == "true" or not code or level not in LEVELS:
            continue
        found[code][level] += _yuan(r)
    return {code: next(levels[lv] for lv in LEVELS if lv in levels) for code, levels in sorted(found.items())}


def _total(cells: list[Row]) -> Decimal | None:
    row = next((r for r in cells if r.get("row_role") == "total"), None)
    return _decimal(row["amount_yuan"]) if row else None


BLANK_ZH = "表格已找到，但金额均为空白。"
BLANK_EN = "The table was found but its amounts are printed blank."


EMPTY_ZH = "表格已找到，但为空表（未印任何金额）。"
EMPTY_EN = "The table was found but it is an empty table (no amount printed)."


def _blank(chart: Chart, rows: list[Row], meta: Row | None = None) -> None:
    """Say so when a table exists but every amount is blank, or it prints no amount cell at
    all (an empty template): "empty table", never "no table"."""
    if rows and all(r.get("is_blank") == "true" for r in rows):
        chart.empty_zh, chart.empty_en = BLANK_ZH, BLANK_EN
        _source(chart, meta, "")
    elif not rows and meta is not None:
        chart.empty_zh, chart.empty_en = EMPTY_ZH, EMPTY_EN
        _source(chart, meta, "")


def _source(chart: Chart, meta: Row | None, phase: str) -> None:
    """The source table as the reader knows it. A final-accounts (决算) package names the
    table as printed (一般公共预算财政拨款支出决算表), not the budget table it is filed under."""
    if not meta:
        return
    canonical_zh = meta.get("table_title_zh", "") or meta.get("title_printed", "")
    printed = meta.get("title_printed", "")
    if "决算" in printed or phase == "actual":
        chart.source_zh = printed or canonical_zh
        chart.source_en = f"{meta.get('table_title_en', '')}, final accounts (actual outturn)".lstrip(", ")
    else:
        chart.source_zh = canonical_zh
        chart.source_en = meta.get("table_title_en", "")


def _class_chart(
    data: PackageData, chart: Chart, tables: tuple[str, ...], codes: dict[str, Row]
) -> Chart:
    for table_id in tables:
        meta, rows = data.table(table_id)
        cells = _cells(rows, "total")
        amounts = _by_class(cells)
        if not amounts:
            _blank(chart, rows, meta)
            continue
        _source(chart, meta, data.phase)
        printed = {r["class_code"]: r.get("item_name", "") for r in cells if r.get("subject_level") == "class"}
        for code, yuan in amounts.items():
            entry = codes.get(code, {})
            label_zh = entry.get("name_zh") or printed.get(code) or code
            chart.bars.append(Bar(code, f"{code} {label_zh}", entry.get("name_en", ""), yuan))
        chart.total_yuan = _total(cells)
        return chart
    return chart


def function_chart(data: PackageData) -> Chart:
    chart = Chart("function", "支出功能分类（类）", "Expenditure by function (class level)")
    return _class_chart(data, chart, FUNCTION_TABLES, data.functions)


def economic_chart(data: PackageData) -> Chart:
    chart = Chart("economic", "支出经济分类（类）", "Expenditure by economic class (class level)")
    return _class_chart(data, chart, ECONOMIC_TABLES, data.economics)


def _measure_label(measure_id: str) -> tuple[str, str]:
    m = load_registry().measure_by_id(measure_id)
    return (m.zh, m.en) if m else (measure_id, measure_id.replace("_", " "))


def split_chart(data: PackageData) -> Chart:
    chart = Chart("basic_project", "基本支出与项目支出", "Basic and project expenditure")
    for table_id in SPLIT_TABLES:
        meta, rows = data.table(table_id)
        parts: dict[str, Decimal] = {}
        for measure in EXPENDITURE_TYPES:
            cells = _cells(rows, measure)
            total = _total(cells)
            if total is None and cells:
                by_class = _by_class(cells)
                total = sum(by_class.values(), Decimal(0)) if by_class else None
            if total is not None:
                parts[measure] = total
        if "basic_expenditure" not in parts and "project_expenditure" not in parts:
            _blank(chart, rows, meta)
            continue
        _source(chart, meta, data.phase)
        for measure, yuan in parts.items():
            chart.bars.append(Bar(measure, *_measure_label(measure), yuan))
        chart.total_yuan = _total(_cells(rows, "total"))
        return chart
    return chart


def _column_value(rows: list[Row], measure: str) -> Decimal | None:
    """A 三公 table's amount of ``measure`` in the columns layout: the first row that prints it,
    of the year itself when rows are years (深圳: 2025年 | 2026年 | 增减变化金额); where that row
    splits the measure over funds (深圳: 公务接待费 / 一般公共预算 | 政府性基金预算 | 国有资本经营预算,
    one ``fund_scope`` each), their sum."""
    current = [r for r in rows if (r.get("period") or "current") == "current"]
    cells = _cells(current or rows, measure)
    if not cells:
        return None
    first_row = [r for r in (current or rows) if r["row_number"] == cells[0]["row_number"] and r.get("measure") == measure]
    by_fund = {r.get("fund_scope", ""): r for r in first_row if r.get("is_blank") != "true" and _decimal(r.get("amount_yuan")) is not None}
    if len(by_fund) > 1:
        return sum((_yuan(r) for r in by_fund.values()), Decimal(0))
    return _yuan(cells[0])


def three_public_chart(data: PackageData) -> Chart:
    chart = Chart("three_public", "“三公”经费", 'The "three public expenses"')
    chart.total_zh, chart.total_en = _measure_label("three_public_total")
    meta, rows = data.table("three_public_expenses")
    if not rows:
        _blank(chart, rows, meta)
        return chart
    values: dict[str, Decimal] = {}
    wanted = {m for m, _ in THREE_PUBLIC} | {"three_public_total"}
    # columns layout: one measure per column, read from the first row of the year that has it
    for measure in wanted:
        value = _column_value(rows, measure)
        if value is not None:
            values[measure] = value
    if not values:  # rows layout: the row labels name the items, amounts in the total column
        registry = load_registry()
        for r in _cells(rows, "total"):
            if r.get("row_role") == "total":
                values.setdefault("three_public_total", _yuan(r))
                continue
            m = registry.measure(r.get("item_name") or r.get("item_name_printed", ""))
            if m and m.id in wanted:
                values.setdefault(m.id, _yuan(r))
    if not values:
        _blank(chart, rows, meta)
        return chart
    _source(chart, meta, data.phase)
    chart.total_yuan = values.get("three_public_total")
    for measure, indent in THREE_PUBLIC:
        if measure in values or indent == 0:
            chart.bars.append(Bar(measure, *_measure_label(measure), values.get(measure), indent))
    return chart


ACTUAL_ZH = "（决算数）"
ACTUAL_EN = " — actual outturn"


def package_charts(package: PackageInfo) -> list[Chart]:
    """The four charts; a final-accounts (决算) package's titles say they show actual outturn
    (决算数), so that they do not read like a budget."""
    data = PackageData.load(package)
    charts = [function_chart(data), economic_chart(data), split_chart(data), three_public_chart(data)]
    if data.phase == "actual":
        for chart in charts:
            chart.title_zh += ACTUAL_ZH
            chart.title_en += ACTUAL_EN
    return charts


def headline_total(charts: list[Chart]) -> tuple[Decimal | None, str]:
    """Total expenditure for the index card and where it was read: the printed total row of
    the table behind the basic/project chart (支出总表 first), else of the function chart."""
    for chart in sorted(charts, key=lambda c: c.id != "basic_project"):
        if chart.id in ("basic_project", "function") and chart.total_yuan is not None:
            return chart.total_yuan, chart.source_zh
    return None, ""
