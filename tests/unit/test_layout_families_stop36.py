"""Families of layouts read by general rules (stop 36), from tiny grids as printed."""

from __future__ import annotations

from yusuan.core.model import COVERED_LEFT, Grid, Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry, normalize_label
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.layout.tables import read_tables


def _grid(rows: list[list[str | None]], page: int = 10) -> Grid:
    return Grid(rows, [Origin("t.pdf", "0" * 64, page, i + 1) for i in range(len(rows))])


# -- one frame holding two tables, the second's label printed under the first's body -------------

def test_a_label_under_one_tables_body_above_the_next_title_is_the_next_tables() -> None:
    grid = _grid([
        ["公开02表", COVERED_LEFT, COVERED_LEFT],
        ["收入总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "一般公共预算"],
        ["合计", "4,651.67", "4,651.67"],
        ["公开03表", COVERED_LEFT, COVERED_LEFT],
        [None, None, None],
        ["支出总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "基本支出"],
        ["合计", "4,651.67", "4,312.17"],
    ])
    tables, _findings, _claims = read_tables([grid], load_registry())
    assert [(t.table_id, t.label) for t in tables] == [("revenue_summary", "公开02表"), ("expenditure_summary", "公开03表")]
    assert tables[0].body == [["合计", "4,651.67", "4,651.67"]]  # the label is no row of the first table


def test_a_body_row_above_a_title_stays_with_its_table() -> None:
    grid = _grid([
        ["收入总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "一般公共预算"],
        ["合计", "4,651.67", "4,651.67"],
        ["支出总表", COVERED_LEFT, COVERED_LEFT],
        ["项目", "合计", "基本支出"],
        ["合计", "4,651.67", "4,312.17"],
    ])
    tables, _findings, _claims = read_tables([grid], load_registry())
    assert [(t.table_id, t.label) for t in tables] == [("revenue_summary", ""), ("expenditure_summary", "")]
    assert tables[0].body == [["合计", "4,651.67", "4,651.67"]]


# -- the qualifiers of a title in another order (决算明细表 beside 明细决算表) ---------------------

def test_detail_printed_after_final_accounts_names_the_same_table() -> None:
    registry = load_registry()
    for title, table_id in [
        ("一般公共预算财政拨款基本支出决算明细表", "gpb_basic_expenditure_by_economic_class"),
        ("2024年度一般公共预算财政拨款支出决算明细表", "gpb_expenditure_by_function"),
        ("公开06表 一般公共预算财政拨款项目支出决算明细表", "gpb_project_expenditure_by_economic_class"),
        ("收入支出决算表", "revenue_expenditure_summary"),
        ("财政拨款收入支出决算表", "fiscal_appropriation_summary"),
    ]:
        spec = registry.identify_title(title)
        assert spec is not None and spec.id == table_id, title


def test_detail_in_a_label_or_sentence_is_no_title() -> None:
    registry = load_registry()
    assert registry.identify_title("预算明细") is None
    assert registry.identify_title("详见决算明细表。") is None


# -- years named by words in a one-row header (上年预算数 | 本年预算数 | 增减额 | 增减率（%）) ---------

def _rows(table_id: str, header: list[str], body: list[list[str]]) -> list[dict]:
    origin = Origin("t.pdf", "0" * 64, 3, 1)
    table = RawTable(table_id, "t", "", "万元", "", [header], body, [origin] * len(body), [], origin, 1)
    by_table, _findings = tables_to_rows([table], SourceDocument("doc", "issuer", "region", 2026, "部门预算", ()), load_registry())
    return by_table[1]


def test_last_and_this_years_budget_and_their_change_are_the_rows_total() -> None:
    rows = _rows("three_public_expenses", ["项目", "上年预算数", "本年预算数", "增减额", "增减率（%）"], [
        ["合计", "30.00", "27.00", "-3.00", "-10.00"],
        ["公务接待费", "5.00", "5.00", "0.00", "0.00"],
    ])
    assert [(r["item_name"], r["measure"], r["period"], r["value_printed"]) for r in rows] == [
        ("合计", "total", "previous", "30.00"),
        ("合计", "total", "current", "27.00"),
        ("合计", "total", "change", "-3.00"),
        ("公务接待费", "total", "previous", "5.00"),
        ("公务接待费", "total", "current", "5.00"),
        ("公务接待费", "total", "change", "0.00"),
    ]
    # the percentage is no money: kept beside the row, never an amount in 万元
    assert rows[0]["row_attributes"] == "增减率（%）: -10.00"


def test_a_change_beside_columns_of_several_measures_stays_unmapped() -> None:
    rows = _rows("expenditure_summary", ["项目", "基本支出", "项目支出", "增减额"], [["合计", "20.00", "7.00", "-3.00"]])
    assert [(r["measure"], r["period"]) for r in rows] == [("basic_expenditure", "current"), ("project_expenditure", "current"), ("unmapped", "change")]


def test_a_measure_named_with_its_year_word_keeps_its_own_measure() -> None:
    registry = load_registry()
    assert registry.measure("上年预算数").id == "total"
    assert registry.measure("本年决算数").id == "total"
    assert registry.measure("上年结转").id != "total"  # a measure of its own, as printed
    assert registry.measure("本年收入").id != "total"
    assert not registry.is_known_header("≥90%")  # a target value, never a percentage header
    assert registry.is_known_header("增减(%)") and registry.is_known_header("增长率")


# -- a unit line written another way (单位（万元）, 单位：人民币元, （单位：万元）, 单位/万元) ----------

def test_a_unit_line_written_another_way_declares_its_unit() -> None:
    from yusuan.core.numbers import find_unit
    from yusuan.layout.tables import UNIT_STATEMENT

    for line, unit in [("单位（万元）", "万元"), ("单位：人民币元", "元"), ("金额单位：人民币万元", "万元"), ("（单位：万元）", "万元"), ("单位/万元", "万元")]:
        assert find_unit(line) == unit, line
        assert UNIT_STATEMENT.match(line.replace("（", "(").replace("）", ")").replace("：", ":")), line
    assert find_unit("编制单位：某某局") is None
    assert find_unit("单位名称（人民币结算账户）") is None


# -- table labels of 决算 and of 公开 after the phase (部门决算公开表1, 预算公开表1, 公开01-1表) -------

def test_labels_of_final_accounts_and_part_numbers_are_labels() -> None:
    registry = load_registry()
    for label in ["决算公开01表", "部门决算01表", "预算公开表1", "部门公开表01", "单位预算公开表3", "公开01-1表"]:
        assert registry.label_of(label + "收入支出决算总表") == label, label
    for text in ["部门01表", "附件1", "决算表"]:
        assert registry.label_of(text) == "", text
    assert registry.identify_title("部门决算公开表1 收入支出决算总表").id == "revenue_expenditure_summary"


# -- headers of the templates' other wordings -----------------------------------------------------

def test_other_wordings_of_code_label_and_attribute_headers() -> None:
    rows = _rows("government_procurement", ["项目（科目）", "资金来源", "采购数量", "合计"], [["办公设备购置", "一般公共预算", "20", "12.00"]])
    assert [(r["item_name"], r["measure"], r["value_printed"], r["subject_code"]) for r in rows] == [("办公设备购置", "total", "12.00", "")]
    assert rows[0]["row_attributes"] == "资金来源: 一般公共预算; 采购数量: 20"
    rows = _rows("gpb_basic_expenditure_by_economic_class", ["经济分类科目编码", "政府采购品目", "合计"], [["30201", "办公费", "3.00"]])
    assert [(r["item_name"], r["subject_code"], r["value_printed"]) for r in rows] == [("办公费", "30201", "3.00")]


def test_a_total_row_with_a_colon_or_an_aside_is_the_total() -> None:
    registry = load_registry()
    for label in ["合计：", "合计（万元）", "收入总计（本年收入合计+上年结转）", "部门合计", "单位合计"]:
        assert registry.row_role(normalize_label(label)) == "total", label
    assert registry.row_role(normalize_label("本年收入合计（不含上年结转）")) == "subtotal"
    assert registry.row_role(normalize_label("合计拨款")) == "item"


# -- the narrative of a 决算 and the template's 收入总计 / 支出总计 -------------------------------------

def _topics(*lines: str) -> list[tuple[str, str, str]]:
    from yusuan.core.model import TextLine
    from yusuan.interpret.narrative import figure_rows, lines_to_sections

    registry = load_registry()
    text = [TextLine(line, Origin("t.pdf", "0" * 64, 5, i + 1)) for i, line in enumerate(lines)]
    return [(f["figure_kind"], f["topic"], f["value_printed"]) for f in figure_rows(lines_to_sections(text, registry), "doc", registry)]


def test_totals_and_three_public_expenses_of_final_accounts_have_their_topics() -> None:
    assert _topics(
        "一、收入支出决算总体情况说明",
        "2023年度收入总计1,234.56万元，支出总计1,234.56万元。",
        "七、财政拨款“三公”经费支出决算情况说明",
        "2023年度“三公”经费支出决算为10.00万元，完成预算的80.0%。",
    ) == [
        ("amount", "revenue_total", "1,234.56万元"),
        ("amount", "expenditure_total", "1,234.56万元"),
        ("amount", "three_public_total", "10.00万元"),
        ("percent", "", "80.0%"),
    ]


def test_a_revenue_line_is_no_revenue_total() -> None:
    assert [t[1] for t in _topics("二、收入预算情况说明", "2024年事业收入100.00万元，其他收入5.00万元。")] == ["", ""]


def test_the_appropriations_totals_are_not_the_departments() -> None:
    assert [t[1] for t in _topics("四、财政拨款收入支出决算总体情况说明", "2023年度财政拨款收入总计500.00万元，支出总计500.00万元。")] == ["", ""]
