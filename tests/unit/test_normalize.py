"""Header paths, column roles and row labels on tiny inline tables."""

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.normalize import (
    classify_columns,
    header_paths,
    raw_table_to_rows,
    split_label,
)

ORIGIN = Origin("t.txt", "0" * 64, None, 1)
DOC = SourceDocument("doc", "issuer", "region", 2026, "单位预算", ())


def table(header, body, unit="万元", table_id="gpb_expenditure_by_function"):
    return RawTable(table_id, "t", "", unit, "", header, body, [ORIGIN] * len(body), [], ORIGIN, 1)


def test_header_paths_follow_merged_cells():
    header = [
        ["合计", "“三公”经费", None, None, None, None, None, "会议费"],
        [None, "小计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费", None],
        [None, None, None, "小计", "公务用车购置费", "公务用车运行维护费", None, None],
    ]
    paths = header_paths(header, 8)
    assert paths[0] == ["合计"]
    assert paths[1] == ["“三公”经费", "小计"]
    assert paths[3] == ["“三公”经费", "公务用车购置及运行维护费", "小计"]
    assert paths[4] == ["“三公”经费", "公务用车购置及运行维护费", "公务用车购置费"]
    assert paths[6] == ["“三公”经费", "公务接待费"]


def test_measures_of_a_multi_level_header():
    header = [["合计", "“三公”经费", None, None, None, None, None, "会议费"],
              [None, "小计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费", None],
              [None, None, None, "小计", "公务用车购置费", "公务用车运行维护费", None, None]]
    columns = classify_columns(table(header, [["10", "6", "1", "3", "1", "2", "2", "4"]]), load_registry())
    assert [c.measure for c in columns] == ["total", "three_public_total", "outbound_travel", "official_vehicles", "vehicle_purchase", "vehicle_operation", "official_reception", "meetings"]


def test_two_sided_table_gives_each_amount_its_own_label_and_side():
    header = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
    body = [["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "90.00"],
            ["", "", "二、外交支出", ""],
            ["收入合计", "100.00", "支出合计", "90.00"]]
    rows, findings = raw_table_to_rows(table(header, body, table_id="revenue_expenditure_summary"), None, DOC, load_registry())
    assert findings == []
    got = [(r["side"], r["item_name"], r["value_printed"], r["row_role"]) for r in rows]
    assert got == [
        ("revenue", "一般公共预算拨款收入", "100.00", "item"), ("expenditure", "一般公共服务支出", "90.00", "item"),
        ("expenditure", "外交支出", "", "item"),
        ("revenue", "收入合计", "100.00", "total"), ("expenditure", "支出合计", "90.00", "total"),
    ]
    blank = rows[2]
    assert blank["is_blank"] is True and blank["amount"] is None and blank["amount_yuan"] is None


def test_a_side_word_over_part_of_a_one_sided_table_is_a_group_not_a_side():
    """杭州 表2 / 北京 预算02表 收入总表: 合计 = 本年收入 小计 + 上年结转结余 小计, so the 小计 under 本年收入
    is the revenue of the year beside the row's total, and no column is on a side."""
    header = [["单位名称", "合计", "本年收入", None, None, "上年结转结余", None],
              [None, None, "小计", "一般公共预算", "其他收入", "小计", "一般公共预算"]]
    body = [["合计", "9626.78", "9616.34", "9616.34", "", "10.44", "10.44"]]
    columns = classify_columns(table(header, body, table_id="revenue_summary"), load_registry())
    amounts = [c for c in columns if c.role == "amount"]
    assert [c.measure for c in amounts] == ["total", "current_year_revenue", "gpb_appropriation", "other_revenue", "prior_year_balance", "gpb_appropriation"]
    assert [c.side for c in columns] == [""] * 7


def test_a_total_under_a_side_word_is_the_total_when_the_table_prints_no_other():
    header = [["项目", "本年收入", None, None], [None, "合计", "一般公共预算", "其他收入"]]
    columns = classify_columns(table(header, [["合计", "10", "6", "4"]], table_id="revenue_summary"), load_registry())
    assert [(c.measure, c.side) for c in columns[1:]] == [("total", ""), ("gpb_appropriation", ""), ("other_revenue", "")]


def test_a_total_under_a_side_word_stays_the_total_beside_no_column_headed_by_a_total_alone():
    """上海 决算 政府性基金预算财政拨款收入支出决算表: 年初结转和结余 | 本年收入 | 本年支出 (合计 | 基本支出 |
    项目支出) | 年末结转和结余, with the total row's 合计 read into the header over the label column."""
    header = [["项目", "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
              ["合计", None, None, "合计", "基本支出", "项目支出", None]]
    columns = classify_columns(table(header, [["", "", "", "", "", "", ""]], table_id="government_fund_expenditure"), load_registry())
    assert [(c.measure, c.side) for c in columns if "本年支出" in c.path] == [("total", ""), ("basic_expenditure", ""), ("project_expenditure", "")]


def test_the_sides_of_a_two_sided_table_stay():
    header = [["本年收入", None, "本年支出", None], ["项目", "金额", "项目", "金额"]]
    columns = classify_columns(table(header, [["一、财政拨款", "10", "一般公共服务支出", "10"]], table_id="revenue_expenditure_summary"), load_registry())
    assert [(c.measure, c.side) for c in columns] == [("", "revenue"), ("total", "revenue"), ("", "expenditure"), ("total", "expenditure")]


def test_codes_are_split_into_levels_and_amounts_converted():
    header = [["科目编码", "科目名称", "小计", "基本支出", "项目支出"]]
    body = [["2010399", "其他政府办公厅（室）及相关机构事务支出", "1011.95", "0.00", "1011.95"]]
    registry = load_registry()
    rows, _ = raw_table_to_rows(table(header, body), registry.by_id["gpb_expenditure_by_function"], DOC, registry)
    project = next(r for r in rows if r["measure"] == "project_expenditure")
    assert (project["class_code"], project["section_code"], project["item_code"], project["subject_level"]) == ("201", "20103", "2010399", "item")
    assert project["function_code"] == "2010399" and project["economic_code"] is None
    assert str(project["amount_yuan"]) == "10119500.00"


def test_a_table_without_unit_is_not_converted_by_the_table_reader():
    """The unit of such a table is inferred (or found missing) from the whole document:
    tests/unit/test_unit_inference.py."""
    rows, findings = raw_table_to_rows(table([["项目", "金额"]], [["合计", "5.00"]], unit=""), None, DOC, load_registry())
    assert rows[0]["amount_yuan"] is None and rows[0]["unit"] == ""
    assert findings == []


def test_a_non_number_in_an_amount_column_is_an_error_finding():
    _, findings = raw_table_to_rows(table([["项目", "金额"]], [["合计", "5.00"], ["其他", "见附表"]]), None, DOC, load_registry())
    assert [f.check_id for f in findings] == ["amount_cells_numeric"]


def test_split_label():
    registry = load_registry()
    assert split_label("一、一般公共预算拨款收入", registry) == ("一般公共预算拨款收入", 1, False)
    assert split_label("其中：（1）公务用车购置费", registry) == ("公务用车购置费", 4, True)
    assert split_label("1. 一般公共预算", registry) == ("一般公共预算", 3, False)
    assert split_label("合计", registry) == ("合计", 0, False)
