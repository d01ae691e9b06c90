"""Families of layouts and wordings read by general rules (stop 35), from tiny tables and
sentences as printed.

- 湖州 breaks a 项's figure down by project after 主要用于 (…12600.00万元，主要用于A4500.00万元、B2000.00万元).
- 湖州 states revenue and expenditure, one balanced figure, each against last year's outturn
  (比上年执行数): the two changes differ and both are right.
- 烟台 prints its procurement table by function: 2120106 工程建设管理 is no 工程 (works) row.
- 西安 names a figure's own class code in brackets (机关工资福利支出（501）2079.07万元).
- 西安 lists the funds of its performance targets: 一般公共预算…、政府性基金…，其他资金… (其他资金: every
  revenue that is not an appropriation).
- 西安 prints the top header row (收 入 | 支 出) again at the top of each page of its 收支总表.
"""

from __future__ import annotations

from tests.unit.fixture_checks import found
from yusuan.checks.run import run_checks
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Grid,
    Origin,
    RawTable,
    SourceDocument,
    TextLine,
)
from yusuan.core.schemas import load_registry
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.interpret.research_fields import add_row_fields
from yusuan.layout.continuation import append_continuation
from yusuan.layout.tables import read_tables

DOC = SourceDocument("doc", "issuer", "region", 2026, "部门预算", ())


def _origin(page: int = 1, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def _table(sequence: int, table_id: str, header: list[list[str]], body: list[list[str | None]], unit: str = "万元") -> RawTable:
    return RawTable(table_id, "t", "", unit, "", header, body, [_origin(3)] * len(body), [], _origin(3), sequence)


def _figures(*lines: str) -> list[dict]:
    from yusuan.interpret.narrative import figure_rows, lines_to_sections

    registry = load_registry()
    text = [TextLine("一、收支预算总体情况", _origin(5, 1))] + [TextLine(line, _origin(5, i + 2)) for i, line in enumerate(lines)]
    return [dict(f) for f in figure_rows(lines_to_sections(text, registry), "doc", registry)]


def _checks(tables: list[RawTable], *lines: str) -> list[dict]:
    """The check rows of these tables and sentences read as one publication's."""
    registry = load_registry()
    by_table, _ = tables_to_rows(tables, DOC, registry)
    amounts = [row for table in tables for row in by_table[table.sequence]]
    add_row_fields(amounts, DOC, registry)
    return run_checks(amounts, registry, "doc", tables=tables, figures=_figures(*lines), fiscal_year=2026).results


def _failed(checks: list[dict], check_id: str) -> list[str]:
    return [c["row"] for c in checks if c["check_id"] == check_id and c["status"] == "failed" and c["severity"] in ("warning", "error")]


# -- 主要用于: a breakdown by project (湖州) --------------------------------------------------

def test_the_projects_after_mainly_for_are_parts_of_the_figure_before() -> None:
    from yusuan.checks.narrative_rules import breakdown_figures, locate

    figures = _figures("其他国有土地使用权出让收入安排的支出（项）12600.00万元，主要用于浙北医学中心迁建4500.00万元、市公卫临床中心2000.00万元。")
    locate(figures)
    parts = {f["value_printed"] for f in figures if f["figure_number"] in breakdown_figures(figures)}
    assert parts == {"4500.00万元", "2000.00万元"}


# -- revenue and expenditure against last year's outturn (湖州) ------------------------------

FUNCTION_TOTAL = _table(1, "gpb_expenditure_by_function", [["科目编码", "科目名称", "合计"]], [["", "合计", "6256.31"], ["208", "社会保障和就业支出", "6256.31"]])


def test_revenue_and_expenditure_against_last_years_outturn_may_change_differently() -> None:
    checks = _checks([FUNCTION_TOTAL], "收入预算6256.31万元，比上年执行数减少336.67万元。", "支出预算6256.31万元，比上年执行数增加268.28万元。")
    assert found(checks, "narrative_same_amount_same_change") == [("passed", "warning")]


def test_revenue_and_expenditure_against_last_years_budget_must_change_alike() -> None:
    # 江苏 检察院 2018: 一般公共预算收入预算 21,940.96 万元 增加 3,959.28 万元, 支出 增加 3,958.98 万元
    checks = _checks([FUNCTION_TOTAL], "收入预算6256.31万元，比上年预算增加336.67万元。", "支出预算6256.31万元，比上年预算增加268.28万元。")
    assert _failed(checks, "narrative_same_amount_same_change")


def test_one_side_stated_twice_with_two_changes_is_still_a_finding() -> None:
    checks = _checks([FUNCTION_TOTAL], "支出预算6256.31万元，比上年执行数减少336.67万元。", "支出预算6256.31万元，比上年执行数增加268.28万元。")
    assert _failed(checks, "narrative_same_amount_same_change")


# -- procurement by function (烟台) -----------------------------------------------------------

PROCUREMENT_HEADER = [["科目编码", "科目名称", "合计"]]


def test_a_function_row_named_like_works_is_not_the_procurement_of_works() -> None:
    table = _table(1, "government_procurement", PROCUREMENT_HEADER, [["", "合计", "64.49"], ["2120106", "工程建设管理", "64.49"]])
    checks = _checks([table], "政府采购工程预算0万元。")
    assert not _failed(checks, "narrative_amount_vs_table")


def test_the_works_row_of_a_procurement_table_is_still_compared() -> None:
    table = _table(1, "government_procurement", [["采购品目", "合计"]], [["合计", "64.49"], ["货物", "14.49"], ["工程", "50.00"]])
    assert not _failed(_checks([table], "政府采购工程预算50.00万元。"), "narrative_amount_vs_table")
    assert _failed(_checks([table], "政府采购工程预算40.00万元。"), "narrative_amount_vs_table")


# -- a code in brackets after the name (西安) ---------------------------------------------------

ECONOMIC_HEADER = [["科目编码", "科目名称", "合计"]]


def _economic_tables() -> list[RawTable]:
    # in yuan, as 西安 prints them: the text's 万元 figures are not printed in the tables as such
    basic = _table(1, "gpb_basic_expenditure_by_economic_class", ECONOMIC_HEADER, [
        ["", "合计", "23174400.00"], ["301", "工资福利支出", "20790689.48"], ["302", "商品和服务支出", "2319000.00"], ["303", "对个人和家庭的补助", "64710.52"],
    ], unit="元")
    government = _table(2, "gpb_expenditure_by_economic_class", ECONOMIC_HEADER, [
        ["", "合计", "23174400.00"], ["501", "机关工资福利支出", "20790689.48"], ["502", "机关商品和服务支出", "2319000.00"], ["509", "对个人和家庭的补助", "64710.52"],
    ], unit="元")
    return [basic, government]


def test_a_figure_naming_its_own_code_is_compared_with_that_codes_row() -> None:
    # 人员经费 is 301 + 303 = 2085.54; the figure is 501's
    checks = _checks(_economic_tables(), "其中：①人员经费 机关工资福利支出（501）2079.07万元。")
    assert not _failed(checks, "narrative_amount_vs_table")


def test_a_figure_matching_neither_its_words_nor_its_code_is_a_finding() -> None:
    checks = _checks(_economic_tables(), "其中：①人员经费 机关工资福利支出（501）2000.00万元。")
    assert _failed(checks, "narrative_amount_vs_table")


# -- 其他资金 beside the appropriations (西安) ---------------------------------------------------

REVENUE = _table(1, "revenue_summary", [["项目", "合计", "一般公共预算", "政府性基金", "事业收入", "事业单位经营收入", "其他收入"]], [
    ["合计", "85206.37", "53598.71", "16778.16", "355.50", "14344.00", "130.00"],
])


def test_other_funds_beside_appropriations_are_every_revenue_but_them() -> None:
    checks = _checks([REVENUE], "绩效目标管理涉及一般公共预算53598.71万元、政府性基金16778.16万元，其他资金14829.50万元。")
    assert not _failed(checks, "narrative_amount_vs_table")


def test_other_funds_matching_no_reading_is_a_finding() -> None:
    checks = _checks([REVENUE], "绩效目标管理涉及一般公共预算53598.71万元、政府性基金16778.16万元，其他资金14000.00万元。")
    assert _failed(checks, "narrative_amount_vs_table") == ["其他资金"]


# -- the top header row printed again on the next page (西安 收支总表) -------------------------

def _summary_so_far() -> RawTable:
    header = [["序号", "收 入", COVERED_LEFT, "支 出", COVERED_LEFT], [COVERED_ABOVE, "项 目", "预算数", "支出功能分类科目", "预算数"]]
    body: list[list[str | None]] = [["33", "本年收入合计", "852063605.79", "本年支出合计", "872031967.20"]]
    return RawTable("revenue_expenditure_summary", "t", "表1", "元", "", header, body, [_origin(40)], [], _origin(39), 1)


def test_the_top_header_row_printed_again_is_not_the_end_of_a_wrapped_cell() -> None:
    table = _summary_so_far()
    # the page's grid, read as on the first page: 序号 spans both header rows
    rows = [["序号", "收 入", COVERED_LEFT, "支 出", COVERED_LEFT], [COVERED_ABOVE, "项 目", "预算数", "支出功能分类科目", "预算数"], ["35", "上年实户资金余额", "19968361.41", "未安排支出的实户资金", "0.00"]]
    append_continuation(table, rows, None, [_origin(41, i) for i in range(3)], [], load_registry())
    assert table.body[0][1] == "本年收入合计"
    assert table.body[0][3] == "本年支出合计"
    assert [r[1] for r in table.body] == ["本年收入合计", "上年实户资金余额"]


def test_the_end_of_a_wrapped_cell_on_the_next_page_is_still_joined() -> None:
    table = _summary_so_far()
    table.body[-1] = ["33", "本年收入合", "852063605.79", "本年支出合", "872031967.20"]
    append_continuation(table, [["", "计", "", "计", ""]], None, [_origin(41)], [], load_registry())
    assert table.body[-1][1] == "本年收入合计"


# -- circled numerals enumerate (西安 ①人员经费) -------------------------------------------------

def test_a_circled_numeral_is_no_count_and_joins_no_figure() -> None:
    figures = _figures("其中：①人员经费 机关工资福利支出（501）2079.07 万元，较上年增加 248.96 万元。", "②3人；⑵150万元。")
    assert [f["value_printed"] for f in figures] == ["2079.07 万元", "248.96 万元", "3人", "150万元"]
    assert figures[0]["subject"] == "1人员经费机关工资福利支出(501)"  # the subject reads as before


# -- the label on a row of its own inside the frame, above the title (苏州, 无锡) -----------------

def _grid(rows: list[list[str | None]], page: int = 10) -> Grid:
    return Grid(rows, [_origin(page, i + 1) for i in range(len(rows))])


def test_a_label_row_above_a_title_inside_the_frame_is_that_tables_label() -> None:
    grid = _grid([
        ["公开02表", COVERED_LEFT, COVERED_LEFT, COVERED_LEFT],
        ["收入总表", COVERED_LEFT, COVERED_LEFT, COVERED_LEFT],
        ["部门：苏州市审计局", COVERED_LEFT, "单位：万元", COVERED_LEFT],
        ["部门代码", "部门名称", "合计", "一般公共预算"],
        ["合计", COVERED_LEFT, "4,651.67", "4,651.67"],
        ["024", "苏州市审计局", "4,651.67", "4,651.67"],
    ])
    tables, _findings, _claims = read_tables([grid], load_registry())
    assert [(t.table_id, t.label) for t in tables] == [("revenue_summary", "公开02表")]


def test_two_titled_tables_in_one_frame_are_still_cut_apart() -> None:
    grid = _grid([
        ["公开02表", COVERED_LEFT, COVERED_LEFT],
        ["收入总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "一般公共预算"],
        ["合计", "4,651.67", "4,651.67"],
        ["支出总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "基本支出"],
        ["合计", "4,651.67", "4,312.17"],
    ])
    tables, _findings, _claims = read_tables([grid], load_registry())
    assert [t.table_id for t in tables] == ["revenue_summary", "expenditure_summary"]


# -- a performance table's indicators on the next page under its label again (西安 表15) ---------

def test_the_indicators_under_the_label_again_are_the_performance_tables() -> None:
    from yusuan.interpret.performance import performance_table_to_rows

    tasks = _grid([
        ["部门（单位）名称", COVERED_LEFT, "西安市民政局", COVERED_LEFT, COVERED_LEFT, COVERED_LEFT],
        ["年度主要任务", "任务名称", "主要内容", "预算金额（万元）", COVERED_LEFT, COVERED_LEFT],
        [COVERED_ABOVE, COVERED_ABOVE, COVERED_ABOVE, "总额", "财政拨款", "其他资金"],
        [COVERED_ABOVE, "抚恤", "其他抚恤支出", "170.00", "170.00", "0.00"],
    ], page=81)
    indicators = _grid([
        ["年度绩效指标", "一级指标", "二级指标", "指标内容", "指标值"],
        [COVERED_ABOVE, "产出指标", "数量指标", "保障民政系统开展民政业务", "13个行政事业单位"],
        [COVERED_ABOVE, COVERED_ABOVE, "时效指标", "双节困难群众慰问保障金发放", "春节前"],
    ], page=82)
    blocks = [TextLine("表15", _origin(81, 1)), TextLine("2021年部门整体支出绩效目标表", _origin(81, 2)), tasks, TextLine("表15", _origin(82, 1)), indicators]
    tables, _findings, _claims = read_tables(blocks, load_registry())
    assert [t.table_id for t in tables] == ["department_performance_target"]
    _project, rows = performance_table_to_rows(tables[0], 1, "doc")
    assert [(r["level1"], r["level2"], r["level3"], r["target_printed"]) for r in rows] == [
        ("产出指标", "数量指标", "保障民政系统开展民政业务", "13个行政事业单位"),
        ("产出指标", "时效指标", "双节困难群众慰问保障金发放", "春节前"),
    ]


def test_an_amount_table_with_other_columns_under_the_label_again_is_no_part_of_it() -> None:
    first = _grid([["项目", "合计", "一般公共预算"], ["合计", "10.00", "10.00"]], page=9)
    other = _grid([["科目编码", "科目名称", "合计", "基本支出"], ["201", "一般公共服务支出", "10.00", "10.00"]], page=10)
    blocks = [TextLine("公开02表", _origin(9, 1)), TextLine("收入总表", _origin(9, 2)), first, TextLine("公开02表", _origin(10, 1)), other]
    tables, _findings, _claims = read_tables(blocks, load_registry())
    assert len(tables) == 2


# -- a change whose clause names its subject (昆明) ---------------------------------------------

def test_a_change_that_names_its_subject_is_that_subjects_change() -> None:
    from tests.unit.test_layout_families_stop34 import _changes, _statements

    changes = _changes(_statements(
        "2026年单位财务总收入154,991,108.01元，其中：一般公共预算121,884,997.75元，其他收入33,106,110.26元。",
        "与上年对比单位财务总收入增加799,196.02元，增长0.52%。",
        "其中：一般公共预算较上年增加6,399,184.61元，增长5.54%；",
        "其他收入较上年减少5,599,988.59元，下降14.47%。",
    ))
    assert changes["154,991,108.01元"] == ("799,196.02元", "0.52%")
    assert changes["121,884,997.75元"] == ("6,399,184.61元", "5.54%")
    assert changes["33,106,110.26元"] == ("5,599,988.59元", "14.47%")


def test_a_change_that_names_nothing_stays_with_the_figure_before() -> None:
    from tests.unit.test_layout_families_stop34 import _changes, _statements

    changes = _changes(_statements("基本支出80万元，比上年增加8万元，增长11.11%。"))
    assert changes["80万元"] == ("8万元", "11.11%")
