"""The layout rules of "read any province's publication", one small inline table per rule.

Tables are written as the text exports are (table cells separated by TAB; a line without TAB
is running text) and read through the whole pipeline, or, where pages and column positions
matter (tables continued over pages), built as the PDF reader's grids and text lines. The
golden counterparts on real pages are in tests/golden/test_layout_pages.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import (
    COVERED_LEFT,
    ExtractedDocument,
    Grid,
    Origin,
    SourceDocument,
    SourceFile,
    TextLine,
    Word,
)
from yusuan.core.schemas import load_registry
from yusuan.layout.cells import PAGE_NUMBER, is_column_number_row
from yusuan.layout.columns import column_map
from yusuan.layout.tables import blocks_to_raw_tables, read_tables, text_grids_to_lines
from yusuan.package.process import DocumentResult, extracted_to_result, process_document

REGISTRY = load_registry()


def process_text(tmp_path: Path, text: str, issuer: str = "某局") -> DocumentResult:
    """A text export (TAB between cells) through the whole pipeline."""
    path = tmp_path / "publication.txt"
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    document = SourceDocument("doc", issuer, "region", 2026, "部门预算", (SourceFile(path, "full", sha256_of(path)),))
    return process_document(document)


def cells(result: DocumentResult, *fields: str, table_id: str | None = None, blank: bool = False) -> list[tuple]:
    """The chosen fields of every amount (printed ones only unless ``blank``), in row and column order."""
    rows = sorted(result.resources["amounts"], key=lambda a: (a["table_sequence"], a["row_number"], a["column_number"]))
    return [tuple(a[f] for f in fields) for a in rows if (blank or not a["is_blank"]) and (table_id is None or a["table_id"] == table_id)]


def origin(page: int | None, line: int) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def failed(result: DocumentResult, check_id: str) -> list[dict]:
    return [c for c in result.resources["checks"] if c["check_id"] == check_id and c["status"] == "failed"]


# ---------------------------------------------------------------------------------------------
# 1. column-number rows are header furniture


@pytest.mark.parametrize(
    "row",
    [
        ["栏次", "", "1", "2", "3"],
        ["栏次", COVERED_LEFT, "1", "2", "3"],
        ["**", "**", "1", "2", "3"],
        ["**", "**", "**", "**", "1", "2", "3"],
        ["甲", "乙", "1", "2"],
        ["行次", "1", "2", "3", "4", "5", "6", "7"],
        ["", "", "1", "2", "3"],
    ],
)
def test_rows_that_number_the_columns(row):
    assert is_column_number_row(row, REGISTRY)


@pytest.mark.parametrize(
    "row",
    [
        ["合计", "", "1", "2", "3"],  # a total of 1, 2 and 3 is a row of amounts
        ["201", "一般公共服务支出", "1", "2", "3"],
        ["栏次", "", "1", "2", "4"],  # not 1, 2, 3 …
        ["栏次", "", "2", "3"],  # numbering starts at 0 or 1
        ["", "", "1", "", ""],  # one number alone
        ["**", "**", "1.00", "2.00"],
    ],
)
def test_rows_that_do_not_number_the_columns(row):
    assert not is_column_number_row(row, REGISTRY)


def test_lanci_and_star_rows_are_dropped_and_never_amounts(tmp_path):
    result = process_text(tmp_path, """
公开05表
财政拨款支出表（功能科目）
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
栏次\t\t1\t2\t3
合计\t\t10.00\t6.00\t4.00
201\t一般公共服务支出\t10.00\t6.00\t4.00
表3：2026年市级部门支出预算总表
单位：万元
科目编码\t\t\t科目名称\t总计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
**\t**\t**\t**\t1\t2\t3
\t\t\t合计\t7.00\t5.00\t2.00
205\t\t\t教育支出\t7.00\t5.00\t2.00
""")
    assert [t["table_id"] for t in result.resources["source_tables"]] == ["fiscal_appropriation_expenditure_by_function", "expenditure_summary"]
    assert cells(result, "table_sequence", "row_number", "subject_code", "item_name", "measure", "value_printed") == [
        (1, 1, "", "合计", "total", "10.00"), (1, 1, "", "合计", "basic_expenditure", "6.00"), (1, 1, "", "合计", "project_expenditure", "4.00"),
        (1, 2, "201", "一般公共服务支出", "total", "10.00"), (1, 2, "201", "一般公共服务支出", "basic_expenditure", "6.00"), (1, 2, "201", "一般公共服务支出", "project_expenditure", "4.00"),
        (2, 1, "", "合计", "total", "7.00"), (2, 1, "", "合计", "basic_expenditure", "5.00"), (2, 1, "", "合计", "project_expenditure", "2.00"),
        (2, 2, "205", "教育支出", "total", "7.00"), (2, 2, "205", "教育支出", "basic_expenditure", "5.00"), (2, 2, "205", "教育支出", "project_expenditure", "2.00"),
    ]
    assert [a["column_header"] for a in result.resources["amounts"][:3]] == ["合计", "基本支出", "项目支出"]


# ---------------------------------------------------------------------------------------------
# 2. titles and unit lines inside the frame; the label grammar


def test_title_and_unit_printed_inside_the_frame(tmp_path):
    """北京: the title cell spans the table, 金额单位：万元 sits in the last column of the next row."""
    result = process_text(tmp_path, """
预算01表 收支总表\t\t\t
\t\t\t金额单位：万元
收 入\t\t支 出\t
项 目\t预算数\t项 目\t预算数
一、一般公共预算拨款收入\t100.000000\t一、一般公共服务支出\t100.000000
收入总计\t100.000000\t支出总计\t100.000000
""")
    [table] = result.resources["source_tables"]
    assert (table["table_id"], table["title_printed"], table["table_label"], table["unit_printed"]) == ("revenue_expenditure_summary", "预算01表 收支总表", "预算01表", "万元")
    assert cells(result, "side", "item_name", "row_role", "column_header", "amount_yuan") == [
        ("revenue", "一般公共预算拨款收入", "item", "收 入 / 预算数", 1000000), ("expenditure", "一般公共服务支出", "item", "支 出 / 预算数", 1000000),
        ("revenue", "收入总计", "total", "收 入 / 预算数", 1000000), ("expenditure", "支出总计", "total", "支 出 / 预算数", 1000000),
    ]


@pytest.mark.parametrize(
    ("printed", "label", "table_id"),
    [
        ("预算01表 收支总表", "预算01表", "revenue_expenditure_summary"),
        ("预算 01表 收支总表", "预算01表", "revenue_expenditure_summary"),
        ("预算表12 项目支出绩效目标表", "预算表12", "performance_target"),
        ("预算12表 项目支出绩效目标表", "预算12表", "performance_target"),
        ("表1：2026年市级部门收支预算总表", "表1", "revenue_expenditure_summary"),
        ("表11.2026年市级部门项目支出绩效表", "表11", "performance_target"),
        ("公开表3", "公开表3", None),
        ("公开 01 表", "公开01表", None),
        ("表五", "表五", None),
        ("单位预算表10", "单位预算表10", None),
        ("表152021年部门综合预算政府性基金收支表", "表15", "government_fund_expenditure"),
        ("表6 部门综合预算一般公共预算支出明细表（按支出经济分类科目）", "表6", "gpb_expenditure_by_economic_class"),
        ("2021年部综合预算收入总表", "", "revenue_summary"),
        ("２０２１年部门综合预算一般公共预算支出明细表", "", "gpb_expenditure_by_function"),
    ],
)
def test_label_grammar(printed, label, table_id):
    spec = REGISTRY.identify_title(printed)
    assert (REGISTRY.label_of(printed), spec.id if spec else None) == (label, table_id)


def test_label_on_the_line_above_the_title(tmp_path):
    result = process_text(tmp_path, """
公开表6
一般公共预算基本支出情况表
部门（单位）：烟台市某局 单位：万元
科目编码\t科目名称\t合计
301\t工资福利支出\t5.00
""")
    [table] = result.resources["source_tables"]
    assert (table["table_id"], table["table_label"], table["title_printed"], table["compiled_by"], table["unit_printed"]) == (
        "gpb_basic_expenditure_by_economic_class", "公开表6", "一般公共预算基本支出情况表", "烟台市某局", "万元")


# ---------------------------------------------------------------------------------------------
# 3. 类 | 款 | 项 columns; classifications side by side


def test_class_section_item_columns_assemble_the_full_code(tmp_path):
    """烟台: 201 / 40 / 01 on rows of their own."""
    result = process_text(tmp_path, """
支出总体情况表
单位：万元
科目编码\t\t\t科目名称\t合计
类\t款\t项\t\t
\t\t\t合计\t12.00
201\t\t\t一般公共服务支出\t10.00
\t40\t\t信访事务\t10.00
\t\t01\t行政运行\t6.00
\t\t50\t事业运行\t4.00
208\t\t\t社会保障和就业支出\t2.00
\t05\t\t行政事业单位养老支出\t2.00
\t\t05\t机关事业单位基本养老保险缴费支出\t2.00
""")
    assert cells(result, "subject_code", "subject_level", "function_code", "section_code", "item_name", "value_printed") == [
        ("", "", None, "", "合计", "12.00"),
        ("201", "class", "201", "", "一般公共服务支出", "10.00"),
        ("20140", "section", "20140", "20140", "信访事务", "10.00"),
        ("2014001", "item", "2014001", "20140", "行政运行", "6.00"),
        ("2014050", "item", "2014050", "20140", "事业运行", "4.00"),
        ("208", "class", "208", "", "社会保障和就业支出", "2.00"),
        ("20805", "section", "20805", "20805", "行政事业单位养老支出", "2.00"),
        ("2080505", "item", "2080505", "20805", "机关事业单位基本养老保险缴费支出", "2.00"),
    ]
    assert failed(result, "children_sum_to_parent") == [] and failed(result, "total_equals_top_level_rows") == []


def test_department_and_government_economic_classes_side_by_side(tmp_path):
    """烟台 公开表6: 类 | 款 | 部门经济名称 | 类 | 款 | 政府经济名称 | amounts."""
    result = process_text(tmp_path, """
一般公共预算基本支出情况表
单位：万元
科目编码\t\t部门预算支出经济分类科目名称\t科目编码\t\t政府预算支出经济分类科目名称\t基本支出预算\t\t
类\t款\t\t类\t款\t\t小计\t人员支出\t日常公用支出
\t\t合计\t\t\t\t15.00\t12.00\t3.00
301\t\t工资福利支出\t501\t\t机关工资福利支出\t12.00\t12.00\t
301\t01\t基本工资\t501\t01\t工资奖金津补贴\t12.00\t12.00\t
302\t\t商品和服务支出\t502\t\t机关商品和服务支出\t3.00\t\t3.00
302\t01\t办公费\t502\t01\t办公经费\t3.00\t\t3.00
""")
    got = cells(result, "subject_code", "classification", "economic_code", "government_economic_code", "function_code", "item_name", "measure", "value_printed")
    assert [g for g in got if g[6] == "basic_expenditure"] == [
        ("", "economic", None, None, None, "合计", "basic_expenditure", "15.00"),
        ("301", "economic", "301", "501", None, "工资福利支出", "basic_expenditure", "12.00"),
        ("30101", "economic", "30101", "50101", None, "基本工资", "basic_expenditure", "12.00"),
        ("302", "economic", "302", "502", None, "商品和服务支出", "basic_expenditure", "3.00"),
        ("30201", "economic", "30201", "50201", None, "办公费", "basic_expenditure", "3.00"),
    ]
    assert ("30201", "economic", "30201", "50201", None, "办公费", "public_expenses", "3.00") in got


def test_code_and_name_in_one_cell_for_three_classifications(tmp_path):
    """北京 支出总表: 2010301-行政运行 | 50201-办公经费 | 3021101-差旅费."""
    result = process_text(tmp_path, """
预算03表 支出总表
金额单位：万元
支出功能分类科目\t政府支出经济分类科目\t部门支出经济分类科目\t合计\t基本支出\t项目支出
2010301-行政运行\t50201-办公经费\t3021101-差旅费\t44.080000\t44.080000\t
2014004-信访业务\t50205-委托业务费\t30227-委托业务费\t1,145.920570\t\t1,145.920570
合 计\t\t\t1,190.000570\t44.080000\t1,145.920570
""")
    assert cells(result, "subject_code", "classification", "function_code", "government_economic_code", "economic_code", "item_name", "item_name_printed", "measure", "value_printed") == [
        ("2010301", "function", "2010301", "50201", "3021101", "行政运行", "行政运行", "total", "44.080000"),
        ("2010301", "function", "2010301", "50201", "3021101", "行政运行", "行政运行", "basic_expenditure", "44.080000"),
        ("2014004", "function", "2014004", "50205", "30227", "信访业务", "信访业务", "total", "1,145.920570"),
        ("2014004", "function", "2014004", "50205", "30227", "信访业务", "信访业务", "project_expenditure", "1,145.920570"),
        ("", "function", None, None, None, "合计", "合 计", "total", "1,190.000570"),
        ("", "function", None, None, None, "合计", "合 计", "basic_expenditure", "44.080000"),
        ("", "function", None, None, None, "合计", "合 计", "project_expenditure", "1,145.920570"),
    ]


# ---------------------------------------------------------------------------------------------
# 4. side-by-side panels


def test_personnel_and_public_expense_panels(tmp_path):
    """The national template: 人员经费 and 公用经费 as two code | name | amount panels."""
    result = process_text(tmp_path, """
一般公共预算基本支出表
单位：万元
经济分类科目编码\t科目名称\t决算数\t经济分类科目编码\t科目名称\t决算数
301\t工资福利支出\t20.00\t302\t商品和服务支出\t5.00
30101\t基本工资\t20.00\t30201\t办公费\t3.00
\t\t\t30299\t其他商品和服务支出\t2.00
人员经费合计\t\t20.00\t公用经费合计\t\t5.00
""")
    assert cells(result, "row_number", "column_number", "subject_code", "economic_code", "item_name", "value_printed") == [
        (1, 3, "301", "301", "工资福利支出", "20.00"), (1, 6, "302", "302", "商品和服务支出", "5.00"),
        (2, 3, "30101", "30101", "基本工资", "20.00"), (2, 6, "30201", "30201", "办公费", "3.00"),
        (3, 6, "30299", "30299", "其他商品和服务支出", "2.00"),
        (4, 3, "", None, "人员经费合计", "20.00"), (4, 6, "", None, "公用经费合计", "5.00"),
    ]
    assert failed(result, "children_sum_to_parent") == []


def test_four_panel_summary(tmp_path):
    """西安 收支总表: 收入 | 功能 | 部门经济 | 政府经济, each a label | 预算数 pair."""
    result = process_text(tmp_path, """
部门综合预算收支总表
单位：元
收入\t\t支出\t\t\t\t\t
项目\t预算数\t支出功能分类科目（按大类）\t预算数\t部门预算支出经济分类科目（按大类）\t预算数\t政府预算支出经济分类科目（按大类）\t预算数
一、部门预算\t100.00\t一、部门预算\t100.00\t一、部门预算\t100.00\t一、部门预算\t100.00
1、财政拨款\t100.00\t1、一般公共服务支出\t100.00\t(1)工资福利支出\t100.00\t1、机关工资福利支出\t100.00
收入总计\t100.00\t支出总计\t100.00\t支出总计\t100.00\t支出总计\t100.00
""")
    assert cells(result, "row_number", "column_number", "side", "item_name", "subject_code", "function_code", "economic_code", "government_economic_code", "row_role") == [
        (1, 2, "revenue", "部门预算", "", None, None, None, "item"), (1, 4, "expenditure", "部门预算", "", None, None, None, "item"),
        (1, 6, "expenditure", "部门预算", "", None, None, None, "item"), (1, 8, "expenditure", "部门预算", "", None, None, None, "item"),
        (2, 2, "revenue", "财政拨款", "", None, None, None, "item"), (2, 4, "expenditure", "一般公共服务支出", "201", "201", None, None, "item"),
        (2, 6, "expenditure", "工资福利支出", "301", None, "301", None, "item"), (2, 8, "expenditure", "机关工资福利支出", "501", None, None, "501", "item"),
        (3, 2, "revenue", "收入总计", "", None, None, None, "total"), (3, 4, "expenditure", "支出总计", "", None, None, None, "total"),
        (3, 6, "expenditure", "支出总计", "", None, None, None, "total"), (3, 8, "expenditure", "支出总计", "", None, None, None, "total"),
    ]


# ---------------------------------------------------------------------------------------------
# 5. the total row labelled with the unit's name; several units


def test_unit_rows_of_a_department_table(tmp_path):
    """深圳 支出总表: the department's row is the total, each unit's row a subtotal, and every row
    carries the unit it is printed under."""
    result = process_text(tmp_path, """
表3
支出总表
部门名称：深圳市某局 单位：万元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
深圳市某局\t\t\t30.00\t20.00\t10.00
深圳市某局（本级）\t\t\t18.00\t8.00\t10.00
\t201\t一般公共服务支出\t18.00\t8.00\t10.00
深圳市某监测站\t\t\t12.00\t12.00\t0.00
\t201\t一般公共服务支出\t12.00\t12.00\t0.00
""", issuer="深圳市某局")
    got = [(n, name, code, role, unit, value) for n, name, code, role, unit, m, value in cells(result, "row_number", "item_name", "subject_code", "row_role", "budget_unit", "measure", "value_printed") if m == "total"]
    assert got == [
        (1, "深圳市某局", "", "total", "深圳市某局", "30.00"),
        (2, "深圳市某局(本级)", "", "subtotal", "深圳市某局（本级）", "18.00"),  # item_name is NFKC; the unit as printed
        (3, "一般公共服务支出", "201", "item", "深圳市某局（本级）", "18.00"),
        (4, "深圳市某监测站", "", "subtotal", "深圳市某监测站", "12.00"),
        (5, "一般公共服务支出", "201", "item", "深圳市某监测站", "12.00"),
    ]
    # the codes add up within their unit, the units to the department
    assert failed(result, "children_sum_to_parent") == [] and failed(result, "total_equals_top_level_rows") == []


def test_department_name_as_the_first_row_of_a_table_without_unit_column(tmp_path):
    """深圳 基本支出总表: 深圳市某局 | 9.00, then the economic classes by name."""
    result = process_text(tmp_path, """
表4
基本支出总表
部门名称：深圳市某局 单位：万元
支出项目类别\t总计
深圳市某局\t9.00
工资福利支出\t7.00
基本工资\t7.00
商品和服务支出\t2.00
办公费\t2.00
""", issuer="深圳市某局")
    assert cells(result, "item_name", "row_role", "budget_unit", "subject_code", "subject_code_source", "value_printed") == [
        ("深圳市某局", "total", "深圳市某局", "", "", "9.00"),
        ("工资福利支出", "item", "深圳市某局", "301", "inferred_from_name", "7.00"),
        ("基本工资", "item", "深圳市某局", "30101", "inferred_from_name", "7.00"),
        ("商品和服务支出", "item", "深圳市某局", "302", "inferred_from_name", "2.00"),
        ("办公费", "item", "深圳市某局", "30201", "inferred_from_name", "2.00"),
    ]


def test_a_unit_row_is_no_total_when_the_table_prints_its_own(tmp_path):
    result = process_text(tmp_path, """
支出总表
单位：万元
单位名称\t科目名称\t合计
合计\t\t9.00
某局机关\t\t6.00
\t一般公共服务支出\t6.00
某中心\t\t3.00
\t一般公共服务支出\t3.00
""", issuer="某局")
    assert cells(result, "item_name", "row_role", "budget_unit") == [
        ("合计", "total", ""), ("某局机关", "subtotal", "某局机关"), ("一般公共服务支出", "item", "某局机关"),
        ("某中心", "subtotal", "某中心"), ("一般公共服务支出", "item", "某中心"),
    ]


def test_a_row_printing_its_unit_and_its_own_label_is_named_by_its_label(tmp_path):
    """深圳 表9 财政拨款“三公”经费支出表: 预算单位 | 年度 | amounts, the unit printed on the first
    year's row only. The row is named by its 年度 (2025年, 2026年, 增减变化金额), the unit is the
    row's budget unit; the unit's name took the first row's label when the year read as a
    code-name pair (2025 | 年)."""
    result = process_text(tmp_path, """
表9
财政拨款“三公”经费支出表
部门名称：深圳市某局 单位：万元
预算单位\t年度\t总计\t公务接待费
深圳市某局\t2025 年\t5.58\t2.98
\t2026 年\t5.60\t3.00
\t增减变化金额\t0.02\t0.02
""", issuer="深圳市某局")
    assert cells(result, "item_name_printed", "budget_unit", "value_printed") == [
        ("2025 年", "深圳市某局", "5.58"), ("2025 年", "深圳市某局", "2.98"),
        ("2026 年", "深圳市某局", "5.60"), ("2026 年", "深圳市某局", "3.00"),
        ("增减变化金额", "深圳市某局", "0.02"), ("增减变化金额", "深圳市某局", "0.02"),
    ]


def test_rows_named_by_a_year_are_amounts_of_that_year(tmp_path):
    """深圳 表9: the years are rows (2025 年 | 2026 年 | 增减变化金额) under headers that name no year:
    each row's amounts are of the period its label names, and only 2026's take part in the
    cross-table checks. A label that only starts with a year (2025年结转) names no period."""
    result = process_text(tmp_path, """
表9
财政拨款“三公”经费支出表
部门名称：深圳市某局 单位：万元
预算单位\t年度\t总计\t公务接待费
深圳市某局\t2025 年\t5.58\t2.98
\t2026 年\t5.60\t3.00
\t增减变化金额\t0.02\t0.02
表1
收支总表
单位：万元
项目\t2026年预算数
2025年结转\t1.00
""", issuer="深圳市某局")
    assert cells(result, "item_name_printed", "period") == [
        ("2025 年", "previous"), ("2025 年", "previous"), ("2026 年", "current"), ("2026 年", "current"),
        ("增减变化金额", "change"), ("增减变化金额", "change"), ("2025年结转", "current"),
    ]



def test_a_unit_row_named_by_a_year_is_one_of_its_years_not_its_total(tmp_path):
    """深圳 深汕监管局 表9: 深圳市某局 is printed on the 2025 年 row only; its rows are its years
    (2025 年 11.58 | 2026 年 47.56 | 增减变化金额 35.98), none the total of the others: the 2025
    row is an item and a leaf like the other two, and no row is its part. A department row
    named by its own label (深圳 基本支出总表) is still the table's total."""
    result = process_text(tmp_path, """
表9
财政拨款“三公”经费支出表
部门名称：深圳市某局 单位：万元
预算单位\t年度\t总计\t公务接待费
深圳市某局\t2025 年\t11.58\t0.18
\t2026 年\t47.56\t0.16
\t增减变化金额\t35.98\t-0.02
""", issuer="深圳市某局")
    assert set(cells(result, "item_name_printed", "row_role", "parent_row_number", "is_leaf", "budget_unit")) == {
        ("2025 年", "item", None, True, "深圳市某局"),
        ("2026 年", "item", None, True, "深圳市某局"),
        ("增减变化金额", "item", None, True, "深圳市某局"),
    }

def test_an_unenumerated_item_heads_the_enumerated_rows_under_it(tmp_path):
    """北京 预算04表: 上年结转结余 10.439275, then 一、一般公共预算拨款 10.439275 | 二、… | 三、…: the
    enumerated rows are its parts (it is no leaf, or the leaves count the carry-over twice); 深圳
    表6: 财政拨款 over 1.一般公共预算拨款. An unenumerated row after an enumerated one (信访事务
    under 一、一般公共服务支出; 一般公共服务支出 after 杭州's subtotal 一、本年支出合计) heads nothing:
    二、教育支出 and 二、年终结转结余 are not their parts."""
    result = process_text(tmp_path, """
财政拨款收支总表
单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算资金\t9.00\t一、一般公共服务支出\t7.00
\t\t信访事务\t7.00
\t\t二、教育支出\t3.00
本年收入合计\t9.00\t本年支出合计\t10.00
上年结转结余\t1.00\t\t
一、一般公共预算拨款\t1.00\t\t
收入总计\t10.00\t支出总计\t10.00
表6
财政拨款收支总表
单位：万元
项目\t预算数
财政拨款\t5.00
1.一般公共预算拨款\t5.00
收入总计\t5.00
表3
财政拨款收支总表
单位：万元
项目\t预算数
一、本年支出合计\t4.00
一般公共服务支出\t4.00
二、年终结转结余\t0.00
支出总计\t4.00
""")
    parents = {(a["table_sequence"], a["item_name_printed"]): (a["parent_row_number"], a["is_leaf"]) for a in result.resources["amounts"]}
    rows = {(a["table_sequence"], a["item_name_printed"]): a["row_number"] for a in result.resources["amounts"]}
    first, second, third = sorted({a["table_sequence"] for a in result.resources["amounts"]})
    assert parents[(first, "上年结转结余")] == (rows[(first, "收入总计")], False)
    assert parents[(first, "一、一般公共预算拨款")] == (rows[(first, "上年结转结余")], True)
    assert parents[(first, "二、教育支出")] == (rows[(first, "本年支出合计")], True)
    assert parents[(second, "1.一般公共预算拨款")] == (rows[(second, "财政拨款")], True)
    assert parents[(second, "财政拨款")][1] is False
    # 杭州: the classes after the enumerated subtotal 一、本年支出合计 head nothing
    assert parents[(third, "二、年终结转结余")] == (rows[(third, "支出总计")], True)


# ---------------------------------------------------------------------------------------------
# 6. extra column groups with measures of their own; columns of which


def test_procurement_columns_are_measures_of_their_own(tmp_path):
    result = process_text(tmp_path, """
支出总表
单位：万元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出\t事业单位经营支出\t2026年政府采购项目\t\t
\t\t\t\t\t\t\t小计\t其中：2026年政府采购项目中预留给中小企业的项目资金规模\t其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模
某局\t\t\t10.00\t6.00\t4.00\t0.00\t5.00\t3.00\t1.00
\t201\t一般公共服务支出\t10.00\t6.00\t4.00\t0.00\t5.00\t3.00\t1.00
""", issuer="某局")
    assert cells(result, "measure", "value_printed")[:7] == [
        ("total", "10.00"), ("basic_expenditure", "6.00"), ("project_expenditure", "4.00"), ("business_operation_expenditure", "0.00"),
        ("procurement", "5.00"), ("procurement_reserved_for_sme", "3.00"), ("procurement_reserved_for_small_and_micro_enterprises", "1.00"),
    ]
    assert not [c for c in result.resources["checks"] if c["check_id"] == "column_identified" and c["status"] == "failed"]
    assert not [c for c in failed(result, "row_total_equals_components") if c["severity"] != "info"]


@pytest.mark.parametrize(
    ("header", "measure"),
    [
        ("2026年政府采购项目 / 小计", "procurement"),
        ("其中：2026年政府采购项目中预留给中小企业的项目资金规模", "procurement_reserved_for_sme"),
        ("其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模", "procurement_reserved_for_small_and_micro_enterprises"),
    ],
)
def test_procurement_headers(header, measure):
    from yusuan.core.schemas import normalize_label
    from yusuan.interpret.normalize import _measure

    path = [normalize_label(p) for p in header.split(" / ") if normalize_label(p) not in REGISTRY.grouping_words]
    assert _measure(path, REGISTRY) == measure


def test_columns_of_which_are_not_added_into_the_total(tmp_path):
    """北京 支出总表: 其中 / 事业单位经营支出 | 上缴上级支出 beside 合计 = 基本支出 + 项目支出."""
    result = process_text(tmp_path, """
支出总表
金额单位：万元
支出功能分类科目\t合计\t基本支出\t项目支出\t其中\t
\t\t\t\t事业单位经营支出\t上缴上级支出
2070199-其他文化和旅游支出\t7,272.391630\t377.970000\t6,894.421630\t52.200000\t
2070101-行政运行\t105.000000\t45.000000\t60.000000\t\t
合 计\t7,377.391630\t422.970000\t6,954.421630\t52.200000\t
""")
    assert {a["measure"]: a["column_header"] for a in result.resources["amounts"]}["business_operation_expenditure"] == "其中 / 事业单位经营支出"
    checked = [c for c in result.resources["checks"] if c["check_id"] == "row_total_equals_components"]
    assert [c["status"] for c in checked if c["severity"] != "info"] == ["passed"] * 3
    [note] = [c for c in checked if c["severity"] == "info"]
    assert note["status"] == "failed" and "其中 / 事业单位经营支出" in note["message"]


def test_parts_that_do_add_up_are_parts(tmp_path):
    """The national template adds 事业单位经营支出 into 合计: then it is a part, no note."""
    result = process_text(tmp_path, """
支出总表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出\t事业单位经营支出
201\t一般公共服务支出\t12.00\t6.00\t4.00\t2.00
205\t教育支出\t3.00\t1.00\t1.00\t1.00
""")
    checked = [c for c in result.resources["checks"] if c["check_id"] == "row_total_equals_components"]
    assert [c["status"] for c in checked] == ["passed", "passed"]


# ---------------------------------------------------------------------------------------------
# 7. tables without codes: codes inferred from names


def test_function_codes_inferred_from_names(tmp_path):
    """杭州 表3: names and indentation only. 科学技术支出 206 / 技术研究与开发 20604 / 科技成果转化
    与扩散 2060404 (schemas/codelists/functional_classification.csv); a name the list lacks gets
    no code; the total and the revenue side are not looked up."""
    result = process_text(tmp_path, """
表3：2026年市级部门支出预算总表
单位：万元
功能分类科目名称\t总计
合计\t31.00
科学技术支出\t28.00
技术研究与开发\t28.00
科技成果转化与扩散\t28.00
自然资源海洋气象等支出\t3.00
气象事务\t3.00
行政运行\t2.00
某某自创项目\t1.00
""")
    assert cells(result, "item_name", "subject_code", "subject_code_source", "subject_level", "function_code") == [
        ("合计", "", "", "", None),
        ("科学技术支出", "206", "inferred_from_name", "class", "206"),
        ("技术研究与开发", "20604", "inferred_from_name", "section", "20604"),
        ("科技成果转化与扩散", "2060404", "inferred_from_name", "item", "2060404"),
        ("自然资源海洋气象等支出", "220", "inferred_from_name", "class", "220"),
        ("气象事务", "22005", "inferred_from_name", "section", "22005"),
        ("行政运行", "2200501", "inferred_from_name", "item", "2200501"),  # 行政运行 of the 款 above, not of 20101
        ("某某自创项目", "", "", "", None),
    ]


def test_revenue_names_are_not_inferred(tmp_path):
    result = process_text(tmp_path, """
收支预算总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、财政拨款\t5.00\t一、科学技术支出\t5.00
国有资本经营预算\t0.00\t二、国有资本经营预算支出\t0.00
""")
    assert cells(result, "side", "item_name", "subject_code", "subject_code_source") == [
        ("revenue", "财政拨款", "", ""), ("expenditure", "科学技术支出", "206", "inferred_from_name"),
        ("revenue", "国有资本经营预算", "", ""), ("expenditure", "国有资本经营预算支出", "223", "inferred_from_name"),
    ]


# ---------------------------------------------------------------------------------------------
# 8. tables continued over pages


HEADER = ["科目编码", "科目名称", "总计", "基本支出", "项目支出"]
BOUNDS = [(40.0, 120.0), (120.0, 300.0), (300.0, 380.0), (380.0, 460.0), (460.0, 540.0)]


def page_number(text: str, page: int, line: int) -> TextLine:
    """A page number in letter-spaced digits, centred on the page (inside the table's columns)."""
    pieces = text.split()
    words = tuple(Word(280.0 + 12 * k, 288.0 + 12 * k, piece) for k, piece in enumerate(pieces))
    return TextLine(text, origin(page, line), words=words)


def read_blocks(blocks: list) -> list:
    tables, _findings = blocks_to_raw_tables(text_grids_to_lines(blocks, REGISTRY), REGISTRY)
    return tables


@pytest.mark.parametrize("text", ["— 1 6 —", "- 16 -", "—16—", "16", "第 3 页", "第3页，共12页"])
def test_page_numbers(text):
    assert PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["2,131.61", "16.64 16.64", "表16"])
def test_not_page_numbers(text):
    assert not PAGE_NUMBER.match(text)


def test_continued_with_the_header_again_columns_shifted_and_a_spaced_page_number():
    """重庆 表五 over two pages (`— 1 6 —` under the first), 广州: the next page's columns a few
    points to the right."""
    shifted = [(x0 + 3.5, x1 + 3.5) for x0, x1 in BOUNDS]
    blocks = [
        TextLine("表五", origin(1, 1)),
        TextLine("2026年一般公共预算支出情况表", origin(1, 2)),
        TextLine("单位名称:重庆市某局 单位:万元", origin(1, 3)),
        Grid([HEADER, ["", "合 计", "30.00", "20.00", "10.00"], ["208", "社会保障和就业支出", "20.00", "20.00", ""]], [origin(1, 4)] * 3, BOUNDS),
        page_number("— 1 6 —", 1, 5),
        Grid([HEADER, ["20805", "行政事业单位养老支出", "20.00", "20.00", ""], ["216", "商业服务业等支出", "10.00", "", "10.00"]], [origin(2, 1)] * 3, shifted),
        page_number("— 1 7 —", 2, 2),
    ]
    [table] = read_blocks(blocks)
    assert (table.table_id, table.label, table.unit_text) == ("gpb_expenditure_by_function", "表五", "万元")
    assert table.body == [
        ["", "合 计", "30.00", "20.00", "10.00"],
        ["208", "社会保障和就业支出", "20.00", "20.00", ""],
        ["20805", "行政事业单位养老支出", "20.00", "20.00", ""],
        ["216", "商业服务业等支出", "10.00", "", "10.00"],
    ]
    assert [o.page for o in table.body_origins] == [1, 1, 2, 2]


def test_continued_under_the_title_printed_again():
    """深圳, 烟台, 湖州: title, label and unit line on every page, then the header."""
    def head(page: int) -> list:
        return [TextLine("表3", origin(page, 1)), TextLine("支出总表", origin(page, 2)), TextLine("部门名称：深圳市某局 单位：万元", origin(page, 3))]

    blocks = [
        *head(1),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(1, 4)] * 2, BOUNDS),
        TextLine("- 18 -", origin(1, 5)),
        *head(2),
        Grid([HEADER, ["205", "教育支出", "5.00", "5.00", ""]], [origin(2, 4)] * 2, BOUNDS),
    ]
    lines = text_grids_to_lines(blocks, REGISTRY)
    [table], _findings, claims = read_tables(lines, REGISTRY)
    assert table.table_id == "expenditure_summary"
    assert [r[0] for r in table.body] == ["201", "205"]
    assert all(claims.role(line) == "table_context" for line in blocks[5:8])
    assert claims.unclaimed(lines) == [blocks[4]]  # the page number stays with the text


def test_a_new_title_on_the_next_page_is_a_new_table():
    blocks = [
        TextLine("表3", origin(1, 1)), TextLine("支出总表", origin(1, 2)), TextLine("单位：万元", origin(1, 3)),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(1, 4)] * 2, BOUNDS),
        TextLine("表5", origin(2, 1)), TextLine("一般公共预算支出表", origin(2, 2)), TextLine("单位：万元", origin(2, 3)),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(2, 4)] * 2, BOUNDS),
    ]
    assert [t.table_id for t in read_blocks(blocks)] == ["expenditure_summary", "gpb_expenditure_by_function"]


def test_columns_a_few_points_off_map_to_the_nearest_rule():
    assert column_map([(x0 + 4, x1 + 4) for x0, x1 in BOUNDS], BOUNDS) == [0, 1, 2, 3, 4]
    assert column_map([(x0 - 2.5, x1 - 2.5) for x0, x1 in BOUNDS], BOUNDS) == [0, 1, 2, 3, 4]
    assert column_map([(40.0, 300.0), (300.0, 540.0)], BOUNDS) is not None  # fewer columns: the ones they fall in
    assert column_map([(600.0, 700.0), (700.0, 800.0), (800.0, 900.0), (900.0, 950.0), (950.0, 990.0)], BOUNDS) is None


# ---------------------------------------------------------------------------------------------
# 9. narrative paragraphs and performance tables are not money tables


def narrative(*grids: Grid) -> DocumentResult:
    blocks = [
        TextLine("三、部门收支总体情况", origin(1, 1)),
        TextLine("（一）收入预算：包括一般公共预算、政府性基金等财政拨款收入，以及经营收入、事业收入等单", origin(1, 2), continues=True),
        *grids,
        TextLine("共预算拨款 1935.36 万元，财政专户管理事业收入 0.00 万元。", origin(1, 9)),
    ]
    document = SourceDocument("doc", "长沙市某局", "region", 2026, "部门预算", ())
    return extracted_to_result(ExtractedDocument(document, blocks, page_count=1), REGISTRY)


BOXED_WORDS = Grid([["局机关设办公室", "、", "机关党总支", "、", "综合调研处", "、"]], [origin(1, 3)], [(80, 200), (200, 210), (210, 300), (300, 310), (310, 400), (400, 410)])
BOXED_NUMBER = Grid([["位资金。2026 年本单位收入预算", "1935.", "36", "万元，其中，一般公"]], [origin(1, 4)], [(80, 300), (300, 330), (330, 345), (345, 520)])
BOXED_CLAUSE = Grid([["主要是", "单位", "为完成特定行政工作任务或事业发展目标而发生的"]], [origin(1, 5)], [(80, 130), (130, 160), (160, 520)])


def test_words_boxed_in_running_text_are_text():
    result = narrative(BOXED_WORDS, BOXED_NUMBER, BOXED_CLAUSE)
    assert result.resources["source_tables"] == [] and result.resources["amounts"] == []
    text = "".join(s["text"] for s in result.resources["narrative_sections"])
    assert "局机关设办公室" in text and "为完成特定行政工作任务" in text



def test_a_number_boxed_in_two_cells_is_read_whole():
    """The boxes split 1935.36 after its point; the figure is read whole (the space the
    boxes may hide before 万元 is not known, so the value is compared, not the spacing)."""
    result = narrative(BOXED_NUMBER)
    figures = [(f["value"], f["unit_printed"]) for f in result.resources["narrative_figures"] if f["figure_kind"] == "amount"]
    assert (Decimal("36"), "万元") not in figures and figures.count((Decimal("1935.36"), "万元")) == 2



def test_a_sentence_opening_the_next_page_is_not_a_row_of_the_table_above():
    blocks = [
        TextLine("表3", origin(1, 1)), TextLine("支出总表", origin(1, 2)), TextLine("单位：万元", origin(1, 3)),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(1, 4)] * 2, BOUNDS),
        TextLine("注：根据各单位实际预算编制情况编列。", origin(1, 5)),
        TextLine("- 8 -", origin(1, 6)),
        TextLine("2026年，本部门重点项目绩效目标情况如下：", origin(2, 1), words=(Word(80.0, 110.0, "2026"), Word(110.0, 400.0, "年，本部门重点项目绩效目标情况如下："))),
    ]
    [table] = read_blocks(blocks)
    assert table.body == [["201", "一般公共服务支出", "10.00", "6.00", "4.00"]]


def test_performance_tables_are_not_money_tables(tmp_path):
    result = process_text(tmp_path, """
某信息化运维项目绩效目标表
单位：万元
项目名称\t某信息化运维项目
年度目标\t保障系统正常运行
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t运维系统数量\t≥ 18 台/套
成本指标\t经济成本指标\t运维成本\t≤ 6.8595 万元
""")
    assert result.resources["source_tables"] == [] and result.resources["amounts"] == []
    assert [p["project_name"] for p in result.resources["performance_targets"]] == ["某信息化运维项目"]


def test_key_project_targets_of_the_narrative(tmp_path):
    """深圳 第七部分, 广州: 项目 | 预算数（单位：万元） | 绩效目标, read as key_project_targets."""
    result = process_text(tmp_path, """
2026年，本部门重点项目绩效目标情况如下：
项目\t预算数（单位：万元）\t绩效目标
某局\t\t
综合业务费\t646.54\t通过开展此项目，提升工作水平。
信息化运维项目\t1,200\t降低平均故障时间。
""")
    [table] = result.resources["source_tables"]
    assert (table["table_id"], table["unit_printed"]) == ("key_project_targets", "万元")
    assert cells(result, "item_name", "measure", "value_printed", "row_attributes") == [
        ("综合业务费", "total", "646.54", "绩效目标: 通过开展此项目，提升工作水平。"),
        ("信息化运维项目", "total", "1,200", "绩效目标: 降低平均故障时间。"),
    ]


# ---------------------------------------------------------------------------------------------
# 10. checks that allow the 上年结转 balance on one side


SUMMARY_WITH_BALANCE = """
预算04表 财政拨款收支总表
金额单位：万元
收 入\t\t支 出\t
项 目\t预算数\t项 目\t预算数
一、一般公共预算资金\t9,616.338314\t一、一般公共服务支出\t9,626.777589
本年收入合计\t9,616.338314\t本年支出合计\t9,626.777589
上年结转结余\t10.439275\t年终结转结余\t
一、一般公共预算拨款\t10.439275\t\t
收入总计\t9,626.777589\t支出总计\t9,626.777589
预算05表 一般公共预算支出表
金额单位：万元
科目编码\t科目名称\t合计
2014001\t行政运行\t9,626.777589
\t合 计\t9,626.777589
"""


def test_gpb_table_may_spend_the_balance_carried_over(tmp_path):
    result = process_text(tmp_path, SUMMARY_WITH_BALANCE)
    [compared] = [c for c in result.resources["checks"] if c["check_id"] == "gpb_function_total_vs_summary"]
    assert compared["status"] == "passed"
    balances = [c for c in result.resources["checks"] if c["check_id"] == "total_equals_subtotal_plus_balances"]
    assert [c["status"] for c in balances] == ["passed", "passed"]  # 收入总计 = 本年收入合计 + 上年结转结余; 支出总计 = 本年支出合计
    assert [c["status"] for c in result.resources["checks"] if c["check_id"] == "revenue_equals_expenditure"] == ["passed"]


def test_a_gpb_total_matching_neither_reading_fails(tmp_path):
    result = process_text(tmp_path, SUMMARY_WITH_BALANCE.replace("2014001\t行政运行\t9,626.777589\n\t合 计\t9,626.777589", "2014001\t行政运行\t9,700.000000\n\t合 计\t9,700.000000"))
    [compared] = [c for c in result.resources["checks"] if c["check_id"] == "gpb_function_total_vs_summary"]
    assert (compared["status"], compared["severity"]) == ("failed", "warning")


def test_continued_under_the_title_printed_again_without_its_label():
    """西安 自然资源 2022 表2: the label (表2) over the first page only; p.43 prints the title, the
    unit line and the header again, then 序号 16–18: the same table, not a second 收入总表 (the
    units of p.43 were missing from the first, and a 收入总表 of three units without a total was
    published beside it)."""
    def head(page: int, label: bool) -> list:
        return [*([TextLine("表3", origin(page, 1))] if label else []), TextLine("支出总表", origin(page, 2)), TextLine("部门名称：西安市某局 单位：万元", origin(page, 3))]

    blocks = [
        *head(1, True),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(1, 4)] * 2, BOUNDS),
        *head(2, False),
        Grid([HEADER, ["205", "教育支出", "5.00", "5.00", ""]], [origin(2, 4)] * 2, BOUNDS),
    ]
    [table] = read_blocks(blocks)
    assert (table.table_id, table.label) == ("expenditure_summary", "表3")
    assert [r[0] for r in table.body] == ["201", "205"]


def test_a_page_without_the_label_under_another_header_is_a_table_of_its_own():
    """Without the label printed again, only a header printed again cell for cell says the table
    goes on."""
    other = ["科目编码", "科目名称", "合计", "人员经费", "公用经费"]
    blocks = [
        TextLine("表3", origin(1, 1)), TextLine("支出总表", origin(1, 2)), TextLine("单位：万元", origin(1, 3)),
        Grid([HEADER, ["201", "一般公共服务支出", "10.00", "6.00", "4.00"]], [origin(1, 4)] * 2, BOUNDS),
        TextLine("支出总表", origin(2, 2)), TextLine("单位：万元", origin(2, 3)),
        Grid([other, ["205", "教育支出", "5.00", "5.00", ""]], [origin(2, 4)] * 2, BOUNDS),
    ]
    assert len(read_blocks(blocks)) == 2
