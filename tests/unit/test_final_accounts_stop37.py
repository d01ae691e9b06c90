"""部门决算 / 单位决算 read as fully as budgets (stop 37), from the wordings of the national 决算
template (../shared/corpus/18_*) and tiny tables and sentences as 中共上海市普陀区委社会工作部's 2024
决算 (../shared/corpus/17_*) prints them.

- A 决算 prints the budget beside the outturn: 年初预算数 (the budget adopted at the start of the
  year) and 全年预算数 / 调整预算数 (the budget after the year's adjustments) are two budgets of one
  measure, told apart by their phase (initial_budget, adjusted_budget); two plain 预算数 of one
  measure beside its 决算数 are not guessed.
- 决算-only tables: 国有资产占有使用情况表 (counts are attributes, never money) and the two
  绩效自评表 (分值, 执行率, 得分 are attributes).
- The narrative: a wrapped prose line that ends in a number is no contents entry; 单价 100 万元
  （含）以上 is a threshold, not an amount; the budgets stated beside the outturn have topics.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.checks.run import run_checks
from yusuan.checks.select import Tables
from yusuan.core.model import COVERED_LEFT, Origin, RawTable, SourceDocument, TextLine
from yusuan.core.schemas import load_registry
from yusuan.interpret.narrative import figure_rows, lines_to_sections
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.interpret.research_fields import add_row_fields
from yusuan.release.headline import headline_rows

DOC = SourceDocument("doc", "issuer", "region", 2024, "部门决算", ())


def _origin(page: int = 1, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def _table(table_id: str, header: list[list[str | None]], body: list[list[str | None]], sequence: int = 1) -> RawTable:
    return RawTable(table_id, "t", "", "万元", "", header, body, [_origin(12)] * len(body), [], _origin(12), sequence)


def _rows(table: RawTable) -> tuple[list[dict], list[str]]:
    by_table, findings = tables_to_rows([table], DOC, load_registry())
    return by_table.get(table.sequence, []), [f.message for f in findings]


def _by_column(rows: list[dict]) -> list[tuple[str, str, str, str]]:
    """(column header, measure, phase, printed value) of the first body row, column by column."""
    first = min(r["row_number"] for r in rows)
    return [(r["column_header"], r["measure"], r["phase"], r["value_printed"]) for r in rows if r["row_number"] == first]


# -- the titles of the template and of the 决算-only tables -----------------------------------------

def test_the_template_titles_name_their_tables() -> None:
    registry = load_registry()
    for title, table_id in [  # the contents page of the template (18, p.2) and its tables
        ("收入支出决算总表", "revenue_expenditure_summary"),
        ("收入决算表", "revenue_summary"),
        ("支出决算表", "expenditure_summary"),
        ("财政拨款收入支出决算总表", "fiscal_appropriation_summary"),
        ("一般公共预算财政拨款支出决算表", "gpb_expenditure_by_function"),
        ("一般公共预算财政拨款基本支出决算表", "gpb_basic_expenditure_by_economic_class"),
        ("一般公共预算财政拨款基本支出决算明细表", "gpb_basic_expenditure_by_economic_class"),
        ("财政拨款“三公”经费支出决算表", "three_public_expenses"),
        ("一般公共预算财政拨款“三公”经费支出决算表", "three_public_expenses"),
        ("政府性基金预算财政拨款收入支出决算表", "government_fund_expenditure"),
        ("国有资本经营预算财政拨款支出决算表", "state_capital_expenditure"),
        ("国有资本经营预算财政拨款收入支出决算表", "state_capital_expenditure"),
        ("一般公共预算财政拨款机关运行经费支出决算表", "gpb_operating_expenses"),
        ("政府采购情况表", "government_procurement"),
    ]:
        spec = registry.identify_title(title)
        assert spec is not None and spec.id == table_id, title


def test_the_tables_of_a_final_account_only_have_ids_of_their_own() -> None:
    registry = load_registry()
    for title, table_id in [
        ("国有资产占有使用情况表", "state_assets"),
        ("部门决算公开表9 国有资产占有使用情况表", "state_assets"),
        ("部门整体支出绩效自评表", "department_performance_self_evaluation"),
        ("2024年度部门整体支出绩效自评表", "department_performance_self_evaluation"),
        ("项目支出绩效自评表", "project_performance_self_evaluation"),
        ("2024年度项目支出绩效自评表(XX项目)", "project_performance_self_evaluation"),
    ]:
        spec = registry.identify_title(title)
        assert spec is not None and spec.id == table_id, title
        assert spec.kind == "amounts"  # kept as amounts, not read as performance targets
    # the narrative's heading is no table title
    assert registry.identify_title("（三）国有资产占有使用情况说明") is None


# -- the headers of a 决算 ---------------------------------------------------------------------------

def test_the_budgets_beside_the_outturn_are_amounts_of_the_measure() -> None:
    registry = load_registry()
    for header in ["年初预算数", "全年预算数", "调整预算数", "调整后预算数", "全年执行数", "全年预算数(A)", "全年执行数(B)"]:
        measure = registry.measure(header)
        assert measure is not None and measure.id == "total", header
    assert registry.measure("年初财政拨款结转和结余").id == "prior_year_balance"
    assert registry.measure("年末财政拨款结转和结余").id == "carried_to_next_year"


def test_counts_scores_and_rates_are_known_and_never_money() -> None:
    registry = load_registry()
    for header in ["分值", "得分", "执行率", "执行率(B/A)", "年度指标值", "实际完成值", "偏差原因分析及改进措施",
                   "车辆（辆）", "单价100万元以上设备（台/套）", "房屋面积（平方米）", "车辆数", "建筑面积"]:
        assert registry.is_known_header(header), header
        assert registry.measure(header) is None, header


def test_the_money_of_the_assets_table_has_measures() -> None:
    registry = load_registry()
    for header, measure in [("资产总额", "total_assets"), ("流动资产", "current_assets"), ("固定资产", "fixed_assets"),
                            ("对外投资", "long_term_investment"), ("在建工程", "construction_in_progress"),
                            ("无形资产", "intangible_assets"), ("其他资产", "other_assets"), ("账面原值", "asset_original_value"),
                            ("账面净值", "asset_net_value")]:
        assert registry.measure(header).id == measure, header


# -- 年初预算数 | 全年预算数 | 决算数: one measure, three phases --------------------------------------

# 17, p.18-19: 一般公共预算财政拨款支出年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元;
# 行政运行（项）全年预算为 52.00 万元，支出决算为 51.32 万元
GPB_FINAL = [["合计", None, "0.00", "321.02", "307.82"], ["2013901", "行政运行", "", "52.00", "51.32"]]


def test_initial_and_full_year_budget_are_two_phases_beside_the_outturn() -> None:
    table = _table("gpb_expenditure_by_function", [["科目编码", "科目名称", "年初预算数", "全年预算数", "决算数"]], GPB_FINAL)
    rows, findings = _rows(table)
    assert _by_column(rows) == [
        ("年初预算数", "total", "initial_budget", "0.00"),
        ("全年预算数", "total", "adjusted_budget", "321.02"),
        ("决算数", "total", "actual", "307.82"),
    ]
    assert findings == []


def test_the_adjusted_budget_printed_as_调整预算数_under_a_group() -> None:
    header = [["科目编码", "科目名称", "调整预算数", COVERED_LEFT, "决算数", COVERED_LEFT],
              [None, None, "基本支出", "项目支出", "基本支出", "项目支出"]]
    rows, _ = _rows(_table("gpb_expenditure_by_function", header, [["2013901", "行政运行", "52.00", "", "51.32", ""]]))
    assert [(m, p) for _h, m, p, _v in _by_column(rows)] == [
        ("basic_expenditure", "adjusted_budget"), ("project_expenditure", "adjusted_budget"),
        ("basic_expenditure", "actual"), ("project_expenditure", "actual"),
    ]


def test_two_plain_budgets_beside_the_outturn_are_not_guessed() -> None:
    table = _table("gpb_expenditure_by_function", [["科目编码", "科目名称", "预算数", "预算数", "决算数"]], GPB_FINAL)
    rows, findings = _rows(table)
    assert [(m, p) for _h, m, p, _v in _by_column(rows)] == [("unmapped", "budget"), ("unmapped", "budget"), ("total", "actual")]
    assert len(findings) == 2 and all("initial and which the full-year budget" in f for f in findings)


def test_the_three_public_table_keeps_one_budget_beside_each_outturn() -> None:
    # 17, p.14 (the template's header): each item's 预算数 | 决算数, one budget each: not ambiguous
    header = [["合计", COVERED_LEFT, "因公出国（境）费", COVERED_LEFT, "公务接待费", COVERED_LEFT],
              ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数"]]
    rows, findings = _rows(_table("three_public_expenses", header, [["1.00", "0.90", "0.50", "0.40", "0.50", "0.50"]]))
    assert [(m, p) for _h, m, p, _v in _by_column(rows)] == [
        ("total", "budget"), ("total", "actual"), ("outbound_travel", "budget"), ("outbound_travel", "actual"),
        ("official_reception", "budget"), ("official_reception", "actual"),
    ]
    assert findings == []


def test_a_row_adds_up_in_each_phase() -> None:
    # 17: 20139 社会工作事务 决算 264.87 = 62.63 + 202.24 (p.12); 全年预算 of its 项 (p.19): 行政运行
    # 52.00 and 事业运行 17.68 (basic), 其他社会工作事务支出 202.24 (project): 271.92 = 69.68 + 202.24
    header = [["科目编码", "科目名称", "全年预算数", COVERED_LEFT, COVERED_LEFT, "决算数", COVERED_LEFT, COVERED_LEFT],
              [None, None, "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出"]]
    good = [["20139", "社会工作事务", "271.92", "69.68", "202.24", "264.87", "62.63", "202.24"]]
    checks = _checks(_table("gpb_expenditure_by_function", header, good))
    compared = [c for c in checks if c["check_id"] == "row_total_equals_components"]
    assert len(compared) == 2 and all(c["status"] == "passed" for c in compared)
    wrong = [["20139", "社会工作事务", "271.92", "69.00", "202.24", "264.87", "62.63", "202.24"]]
    failed = [c for c in _checks(_table("gpb_expenditure_by_function", header, wrong)) if c["check_id"] == "row_total_equals_components" and c["status"] == "failed"]
    assert [c["actual"] for c in failed] == ["271.92"]


def _checks(*tables: RawTable) -> list[dict]:
    registry = load_registry()
    by_table, _ = tables_to_rows(list(tables), DOC, registry)
    amounts = [row for table in tables for row in by_table[table.sequence]]
    add_row_fields(amounts, DOC, registry)
    return run_checks(amounts, registry, "doc", tables=list(tables), figures=[], fiscal_year=2024).results


def test_the_budgets_beside_the_outturn_are_not_compared_across_tables_nor_headlines() -> None:
    table = _table("gpb_expenditure_by_function", [["科目编码", "科目名称", "年初预算数", "全年预算数", "决算数"]], GPB_FINAL)
    rows, _ = _rows(table)
    selected = Tables(rows, load_registry()).select({"table": "gpb_expenditure_by_function", "row_role": ["total"], "measure": ["total"]})
    assert selected is not None and [r["value_printed"] for r in selected.rows] == ["307.82"]
    for row in rows:
        row["amount_yuan"] = row["amount"] * 10000 if row["amount"] is not None else None
    figures = {h["figure_id"]: h["figure_value"] for h in headline_rows("doc", 2024, rows, [])}
    assert figures["gpb_expenditure"] == Decimal("3078200.0000")


# -- 决算-only tables --------------------------------------------------------------------------------

def test_the_assets_table_keeps_counts_as_attributes() -> None:
    header = [["项目", "资产总额", "流动资产", "固定资产", "车辆（辆）", "单价100万元以上设备（台/套）"]]
    rows, findings = _rows(_table("state_assets", header, [["合计", "100.00", "40.00", "60.00", "3", "1"]]))
    assert [(m, v) for _h, m, _p, v in _by_column(rows)] == [("total_assets", "100.00"), ("current_assets", "40.00"), ("fixed_assets", "60.00")]
    assert rows[0]["row_attributes"] == "车辆（辆）: 3; 单价100万元以上设备（台/套）: 1"
    assert findings == []


def test_a_self_evaluation_keeps_its_money_and_its_scores_apart() -> None:
    # 17, p.21: 绩效自评的 2024 年度项目 1 个，涉及预算金额 175.52 万元 (the template's columns)
    header = [["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]]
    rows, findings = _rows(_table("project_performance_self_evaluation", header, [["年度资金总额", "175.52", "175.52", "170.00", "10", "96.85%", "9.69"]]))
    assert [(m, p) for _h, m, p, _v in _by_column(rows)] == [("total", "initial_budget"), ("total", "adjusted_budget"), ("total", "actual")]
    assert rows[0]["row_attributes"] == "分值: 10; 执行率: 96.85%; 得分: 9.69"
    assert findings == []


# -- the narrative of a 决算 -------------------------------------------------------------------------

def _figures(*lines: str) -> list[dict]:
    """The figures of a paragraph whose lines run to the margin, as the PDF reader marks them."""
    registry = load_registry()
    paragraph = [TextLine(line, _origin(22, i + 2), continues=i + 1 < len(lines)) for i, line in enumerate(lines)]
    text = [TextLine("（三）国有资产占有使用情况说明", _origin(22, 1)), *paragraph]
    return [dict(f) for f in figure_rows(lines_to_sections(text, registry), "doc", registry)]


def test_a_prose_line_wrapped_before_a_number_is_read() -> None:
    # 17, p.22, as the lines are printed
    figures = _figures(
        "截至 2024 年 12 月 31 日，中共上海市普陀区委社会工作部共有",
        "车辆 0 辆，其中：部级领导干部用车 0 辆、主要领导干部用车 0 辆、",
        "机要通信用车 0 辆、应急保障用车 0 辆、执法执勤用车 0 辆、特种",
        "专业技术用车 0 辆、离退休干部用车 0 辆、其他用车 0 辆。单价 100",
        "万元（含）以上设备（不含车辆）0 台（套）。",
    )
    subjects = [f["subject"] for f in figures]
    assert subjects[-4:] == ["特种专业技术用车", "离退休干部用车", "其他用车", "单价100万元(含)以上设备(不含车辆)"]
    assert [f["topic"] for f in figures[-4:]] == ["vehicles_held", "vehicles_held", "vehicles_held", "equipment_over_1m"]
    assert not any(f["figure_kind"] == "amount" for f in figures)  # 单价 100 万元（含）以上 is a threshold


def test_a_contents_entry_is_still_skipped() -> None:
    registry = load_registry()
    text = [TextLine("一、收入支出决算总表 5", _origin(2, 1)), TextLine("二、收入决算表 6", _origin(2, 2))]
    assert lines_to_sections(text, registry) == []


def test_the_budgets_a_final_account_states_beside_the_outturn_have_topics() -> None:
    # 17, p.18
    figures = _figures("一般公共预算财政拨款支出年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成年初预算的 95.89%。")
    assert [(f["topic"], f["value"]) for f in figures if f["figure_kind"] == "amount"] == [
        ("gpb_expenditure_initial_budget", Decimal("0")), ("gpb_expenditure_adjusted_budget", Decimal("321.02")), ("gpb_expenditure", Decimal("307.82")),
    ]
    # the template's 三公 sentence (18, p.17), with figures
    figures = _figures("“三公”经费财政拨款支出年初预算为 12.00 万元，支出决算为 10.50 万元，完成预算的 87.50%。")
    assert [f["topic"] for f in figures if f["figure_kind"] == "amount"] == ["three_public_total_initial_budget", "three_public_total"]
    # a single subject's sentence (…（项）。全年预算为…) is not the whole's
    figures = _figures("全年预算为 52.00 万元，支出决算为 51.32 万元，完成全年预算数的 98.69%。")
    assert [f["topic"] for f in figures] == ["", "", ""]


def test_a_unit_value_bound_is_no_amount_either() -> None:
    # 福州 民政局 (fz-minzheng-2026-dwys, p.53): 单位价值 100 万元（含）以上设备 0 台（套）
    figures = _figures("单位价值 100 万元（含）以上设备 0 台（套）。")
    assert [(f["figure_kind"], f["topic"]) for f in figures] == [("count", "equipment_over_1m")]
