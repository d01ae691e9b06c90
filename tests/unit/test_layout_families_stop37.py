"""Families of layouts read by general rules (stop 37), from the templates' own wordings.

The 云南 titles are the seventeen tables 昆明's 2026 publications list in their 编制说明
(corpus-wide 59, 60: the tables themselves are an attachment not in the corpus); the others
are wordings of the 四川 / 成都 and national 部门预算 templates.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.publication_rows import tables_to_rows


def _rows(table_id: str, header: list[str], body: list[list[str]]) -> list[dict]:
    origin = Origin("t.pdf", "0" * 64, 3, 1)
    table = RawTable(table_id, "t", "", "万元", "", [header], body, [origin] * len(body), [], origin, 1)
    by_table, _findings = tables_to_rows([table], SourceDocument("doc", "issuer", "region", 2026, "部门预算", ()), load_registry())
    return by_table[1]


# -- 云南's template: the tables a budget of its cities lists ---------------------------------------

@pytest.mark.parametrize(("title", "table_id"), [
    ("十三、省对下转移支付预算表", "transfers_to_lower_levels"),
    ("市对下转移支付预算表", "transfers_to_lower_levels"),
    ("十五、新增资产配置表", "new_asset_allocation"),
    ("中央转移支付补助项目支出预算表", "transfers_from_higher_levels_project_expenditure"),
    ("上级转移支付补助项目支出预算表", "transfers_from_higher_levels_project_expenditure"),
    ("十七、部门项目中期规划预算表", "project_medium_term_plan"),
    ("省对下转移支付绩效目标表", "performance_target"),  # a performance table stays one
    ("部门财务收支预算总表", "revenue_expenditure_summary"),
])
def test_the_tables_of_yunnans_template_are_known(title: str, table_id: str) -> None:
    spec = load_registry().identify_title(title)
    assert spec is not None and spec.id == table_id


def test_a_medium_term_plans_later_years_are_not_this_years_budget() -> None:
    rows = _rows("project_medium_term_plan", ["项目名称", "2026年预算数", "2027年预算数", "2028年预算数"], [
        ["信息化建设", "30.00", "27.00", "20.00"],
    ])
    assert [(r["measure"], r["period"], r["amount"]) for r in rows] == [
        ("total", "current", Decimal("30.00")), ("total", "later", Decimal("27.00")), ("total", "later", Decimal("20.00")),
    ]


def test_a_column_headed_by_a_year_alone_is_that_years_amount() -> None:
    rows = _rows("project_medium_term_plan", ["项目名称", "2026年", "2027年"], [["信息化建设", "30.00", "27.00"]])
    assert [(r["measure"], r["period"]) for r in rows] == [("total", "current"), ("total", "later")]


def test_new_assets_count_and_unit_price_qualify_the_row_only_the_amount_is_money() -> None:
    rows = _rows("new_asset_allocation", ["资产类别", "资产名称", "计量单位", "数量", "单价", "金额"], [
        ["通用设备", "台式计算机", "台", "10", "0.50", "5.00"],
    ])
    assert [(r["item_name"], r["measure"], r["amount"]) for r in rows] == [("台式计算机", "total", Decimal("5.00"))]
    assert rows[0]["row_attributes"] == "资产类别: 通用设备; 计量单位: 台; 数量: 10; 单价: 0.50"


# -- a text column the vocabulary does not know, right of the named label ----------------------------

def test_an_unknown_text_column_right_of_the_named_label_qualifies_the_row() -> None:
    rows = _rows("transfers_to_lower_levels", ["项目名称", "地区", "金额"], [
        ["合计", "", "100.00"],
        ["基层审计能力建设补助", "五华区", "100.00"],
    ])
    assert [(r["item_name"], r["row_attributes"]) for r in rows] == [("合计", ""), ("基层审计能力建设补助", "地区: 五华区")]


def test_an_unknown_text_column_left_of_the_named_label_stays_a_level_of_the_label() -> None:
    rows = _rows("government_procurement", ["项目编号", "项目名称", "金额"], [
        ["合计", "", "100.00"],
        ["A", "货物", "100.00"],
    ])
    assert [r["item_name"] for r in rows] == ["合计", "货物"]


# -- the government fund's own 三公 table (四川 / 成都) ------------------------------------------------

def test_the_government_funds_three_public_table_is_its_own_of_its_fund() -> None:
    spec = load_registry().identify_title("表4-1 政府性基金预算“三公”经费支出预算表")
    assert spec is not None and (spec.id, spec.fund_scope) == ("government_fund_three_public_expenses", "government_fund")
    general = load_registry().identify_title("表3-3 一般公共预算“三公”经费支出预算表")
    assert general is not None and general.id == "three_public_expenses"


def test_the_government_funds_three_public_rows_name_their_items() -> None:
    from yusuan.interpret.three_public import add_three_public_measures

    rows = _rows("government_fund_three_public_expenses", ["项目", "预算数"], [
        ["合计", "12.00"], ["因公出国（境）费", "2.00"], ["公务用车购置及运行费", "6.00"], ["公务接待费", "4.00"],
    ])
    add_three_public_measures(rows, load_registry())
    assert [r["measure"] for r in rows] == ["three_public_total", "outbound_travel", "official_vehicles", "official_reception"]
    assert load_registry().tables_read_as("three_public_expenses") == {"three_public_expenses", "government_fund_three_public_expenses"}


def test_a_department_or_units_overall_target_table_is_the_department_wide_one() -> None:
    spec = load_registry().identify_title("部门（单位）整体绩效目标表")
    assert spec is not None and spec.id == "department_performance_target"


# -- a title's scope and unit suffixes: （汇总）, （本级）, （含上年结转结余）, （单位：万元）, （按资金来源） ----

@pytest.mark.parametrize(("title", "table_id"), [
    ("部门收支总表（汇总）", "revenue_expenditure_summary"),
    ("表1：2026年部门收支总体情况表（汇总）", "revenue_expenditure_summary"),
    ("收支总表（部门汇总）", "revenue_expenditure_summary"),
    ("部门收支总表（本级）", "revenue_expenditure_summary"),
    ("部门收支总表（含上年结转结余）", "revenue_expenditure_summary"),
    ("部门收支总表（单位：万元）", "revenue_expenditure_summary"),
    ("收入预算表（按资金来源）", "revenue_summary"),
    ("支出预算表（按支出功能科目）", "expenditure_summary"),
    ("部门支出总表（按经济分类）", "expenditure_summary"),
])
def test_a_titles_scope_and_unit_suffixes_come_off(title: str, table_id: str) -> None:
    spec = load_registry().identify_title(title)
    assert spec is not None and spec.id == table_id


def test_a_parenthesis_that_names_the_table_still_tells_tables_apart() -> None:
    registry = load_registry()
    assert registry.identify_title("一般公共预算支出预算表（按经济科目）").id == "gpb_expenditure_by_economic_class"
    assert registry.identify_title("一般公共预算支出表（按功能分类科目）").id == "gpb_expenditure_by_function"


# -- the templates' other column wordings --------------------------------------------------------------

@pytest.mark.parametrize(("header", "measure"), [
    ("年度预算数", "total"),
    ("预算安排", "total"),
    ("上级补助", "subsidy_from_higher_level"),
    ("单位自筹", "unit_funds"),
    ("自有资金", "unit_funds"),
    ("财政拨款（补助）", "fiscal_appropriation"),
    ("纳入专户管理的非税收入", "fiscal_special_account_revenue"),
])
def test_the_templates_other_amount_headers_name_their_measure(header: str, measure: str) -> None:
    found = load_registry().measure(header)
    assert found is not None and found.id == measure


def test_a_purchased_services_row_is_named_by_its_service_and_qualified_by_its_provider() -> None:
    rows = _rows("government_purchased_services", ["购买服务项目", "承接主体", "指导性目录", "金额"], [
        ["审计业务外包服务", "会计师事务所", "审计服务", "50.00"],
    ])
    assert [(r["item_name"], r["row_attributes"], r["amount"]) for r in rows] == [
        ("审计业务外包服务", "承接主体: 会计师事务所; 指导性目录: 审计服务", Decimal("50.00")),
    ]


# -- the narrative: the whole budget's total, and each fund's expenditure ----------------------------

def _topics(lines: list[str]) -> list[tuple[str, str, str]]:
    from yusuan.core.model import TextLine
    from yusuan.interpret.narrative import figure_rows, lines_to_sections

    registry = load_registry()
    text = [TextLine(line, Origin("t.pdf", "0" * 64, 5, i + 1)) for i, line in enumerate(lines)]
    return [(f["figure_kind"], f.get("topic") or "", f["value_printed"]) for f in figure_rows(lines_to_sections(text, registry), "doc", registry)]


def test_the_budgets_revenue_and_expenditure_total_is_its_revenue_total() -> None:
    assert _topics(["二、收支预算总体情况", "2026年收支预算总额12,345.67万元，比上年增加100.00万元。"])[:2] == [
        ("amount", "revenue_total", "12,345.67万元"), ("change_amount", "revenue_total", "100.00万元"),
    ]
    # the appropriations' 收支预算总额 is not the department's
    assert _topics(["四、财政拨款收支", "2026年财政拨款收支预算总额10,000.00万元。"]) == [("amount", "", "10,000.00万元")]


def test_a_funds_expenditure_is_its_own_topic() -> None:
    assert _topics(["九、政府性基金预算", "2026年政府性基金预算拨款支出0万元，国有资本经营预算拨款支出0万元。"]) == [
        ("amount", "government_fund_expenditure", "0万元"), ("amount", "state_capital_expenditure", "0万元"),
    ]


# -- a title printed with its unit, compiler or label on its own line ------------------------------

@pytest.mark.parametrize(("title", "table_id"), [
    ("部门收支总表 单位：万元", "revenue_expenditure_summary"),
    ("表1 部门收支总表 金额单位：万元", "revenue_expenditure_summary"),
    ("一般公共预算支出表 部门：某局 单位：万元", "gpb_expenditure_by_function"),
    ("部门收支总表 公开01表", "revenue_expenditure_summary"),
    ("2026年部门收支总表（预算01表）", "revenue_expenditure_summary"),
])
def test_a_title_line_that_also_prints_the_unit_compiler_or_label_names_the_table(title: str, table_id: str) -> None:
    spec = load_registry().identify_title(title)
    assert spec is not None and spec.id == table_id


def test_a_compiler_and_unit_line_under_a_title_in_its_cell_is_no_part_of_the_title() -> None:
    from yusuan.core.model import COVERED_LEFT, Grid
    from yusuan.layout.tables import read_tables

    rows: list[list[str | None]] = [
        ["收支预算总表\n部门：中共江苏省委办公厅 单位：万元", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "一般公共预算"],
        ["合计", "4,651.67", "4,651.67"],
    ]
    grid = Grid(rows, [Origin("t.pdf", "0" * 64, 3, i + 1) for i in range(len(rows))])
    tables, _findings, _claims = read_tables([grid], load_registry())
    assert [(t.table_id, t.title, t.compiled_by, t.unit_text) for t in tables] == [
        ("revenue_expenditure_summary", "收支预算总表", "中共江苏省委办公厅", "万元"),
    ]


def test_a_unit_line_under_a_title_line_is_not_the_end_of_a_wrapped_title() -> None:
    from yusuan.core.model import TextLine
    from yusuan.layout.tables import _find_title

    lines = [TextLine(text, Origin("t.pdf", "0" * 64, 3, i + 1)) for i, text in enumerate(["表1：2026年市级部门收支预算总表", "部门名称：杭州市气象局 单位：万元"])]
    spec, title, index = _find_title(lines, load_registry())
    assert (spec.id if spec else None, title, index) == ("revenue_expenditure_summary", "表1：2026年市级部门收支预算总表", 0)


# -- a column-number row that prints how its columns add up (3=1+2) ---------------------------------

def test_a_column_number_row_with_sums_is_header_furniture() -> None:
    from yusuan.layout.cells import is_column_number_row

    registry = load_registry()
    assert is_column_number_row(["栏次", "1", "2", "3=1+2"], registry)
    assert is_column_number_row(["**", "1=2+3", "2", "3"], registry)
    assert not is_column_number_row(["栏次", "1", "2", "4=1+2"], registry)  # the numbers run on by one
