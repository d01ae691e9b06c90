"""Checks on layouts of whole families, built from tiny tables as printed (stop 33).

- 杭州's 财政拨款收支总表 prints 一、本年支出合计 first, then the classes, 款 and 项 by name, then
  二、年终结转结余: the subtotal's parts are the classes below it, not its sibling 二、.
- 杭州's 财政拨款收支总表 prints no 本年收入合计: its revenue of the year is its own 一、财政拨款
  line, not 收入总计 (which holds the balance carried over).
- 深圳's 财政拨款收支总表 names the general-budget balance 一般公共预算拨款结余、结转: the
  function table, which spends it too, adds up to that line plus this year's.
"""

from __future__ import annotations

from tests.unit.fixture_checks import checks_of, found
from yusuan.core.model import Origin, RawTable, SourceDocument

ORIGIN = Origin("t.pdf", "0" * 64, None, 1)
DOC = SourceDocument("doc", "issuer", "region", 2026, "部门预算", ())
TWO_SIDED = [["收 入", "", "支 出", ""], ["项 目", "预算数", "项 目", "预算数"]]


def _table(sequence: int, table_id: str, header: list[list[str]], body: list[list[str]]) -> RawTable:
    return RawTable(table_id, "t", "", "万元", "", header, body, [ORIGIN] * len(body), [], ORIGIN, sequence)


def _checks(*tables: RawTable) -> list[dict]:
    return checks_of(DOC, *tables)


def _hangzhou_fiscal_summary(science: str = "28.00", revenue_of_year: str = "100.00") -> RawTable:
    return _table(4, "fiscal_appropriation_summary", TWO_SIDED, [
        ["一、财政拨款", revenue_of_year, "一、本年支出合计", "105.00"],
        ["一般公共预算", revenue_of_year, "科学技术支出", science],
        ["政府性基金预算", "", "技术研究与开发", science],
        ["国有资本经营预算", "", "科技成果转化与扩散", science],
        ["二、上年结转结余", "5.00", "社会保障和就业支出", "77.00"],
        ["", "", "行政事业单位养老支出", "77.00"],
        ["", "", "行政单位离退休", "77.00"],
        ["", "", "二、年终结转结余", ""],
        ["收 入 总 计", "105.00", "支 出 总 计", "105.00"],
    ])


_found = found


def test_an_enumerated_subtotal_printed_above_its_classes_is_their_sum() -> None:
    checks = _checks(_hangzhou_fiscal_summary())
    assert _found(checks, "total_equals_top_level_rows", "本年支出合计") == [("passed", "warning")]


def test_a_class_misread_under_it_breaks_that_sum() -> None:
    checks = _checks(_hangzhou_fiscal_summary(science="38.00"))
    assert ("failed", "warning") in _found(checks, "total_equals_top_level_rows", "本年支出合计")


def _summary(fiscal: str) -> RawTable:
    return _table(1, "revenue_expenditure_summary", TWO_SIDED, [
        ["一、财政拨款", fiscal, "一、一般公共服务支出", fiscal],
        ["二、上年结转结余", "5.00", "", ""],
        ["收 入 总 计", f"{float(fiscal) + 5:.2f}", "支 出 总 计", f"{float(fiscal) + 5:.2f}"],
    ])


def test_without_a_subtotal_the_fiscal_table_is_compared_by_its_own_fiscal_line() -> None:
    checks = _checks(_summary("100.00"), _hangzhou_fiscal_summary())
    assert _found(checks, "summary_vs_fiscal_appropriation_table") == [("passed", "warning")]


def test_and_that_line_must_agree_with_the_summary() -> None:
    checks = _checks(_summary("100.00"), _hangzhou_fiscal_summary(revenue_of_year="90.00"))
    assert _found(checks, "summary_vs_fiscal_appropriation_table") == [("failed", "warning")]


def _shenzhen_fiscal_summary() -> RawTable:
    return _table(7, "fiscal_appropriation_summary", TWO_SIDED, [
        ["财政拨款", "4,676.96", "一般公共服务支出", "4,684.30"],
        ["1.一般公共预算拨款", "4,676.96", "", ""],
        ["2.政府性基金预算拨款", "0.00", "", ""],
        ["本年收入合计", "4,676.96", "本年支出合计", "4,684.30"],
        ["上年结余、结转", "7.34", "", ""],
        ["1.一般公共预算拨款结余、结转", "7.34", "", ""],
        ["2.政府性基金预算拨款结余、结转", "0.00", "", ""],
        ["收入总计", "4,684.30", "支出总计", "4,684.30"],
    ])


def _function_table(total: str) -> RawTable:
    return _table(8, "gpb_expenditure_by_function", [["科目编码", "科目名称", "合计"]], [
        ["201", "一般公共服务支出", total], ["20140", "信访事务", total], ["2014001", "行政运行", total], ["", "支出总计", total],
    ])


def test_the_function_table_may_spend_the_balance_named_after_its_fund() -> None:
    checks = _checks(_shenzhen_fiscal_summary(), _function_table("4,684.30"))
    assert _found(checks, "gpb_function_total_vs_summary") == [("passed", "warning")]


def test_a_function_table_matching_neither_figure_fails() -> None:
    checks = _checks(_shenzhen_fiscal_summary(), _function_table("4,700.00"))
    assert _found(checks, "gpb_function_total_vs_summary") == [("failed", "warning")]


def _revenue_table(gpb: str, fund: str) -> RawTable:
    return _table(2, "revenue_summary", [["项目", "合计", "财政拨款收入", ""], ["", "", "一般公共预算", "政府性基金预算"]], [
        ["合计", f"{float(gpb) + float(fund):.2f}", gpb, fund],
    ])


def _fiscal_summary(total: str) -> RawTable:
    return _table(4, "fiscal_appropriation_summary", TWO_SIDED, [
        ["一、一般公共预算", "736.81", "一、一般公共服务支出", total],
        ["二、政府性基金预算", "6,816.00", "", ""],
        ["本年收入合计", total, "本年支出合计", total],
        ["收入总计", total, "支出总计", total],
    ])


def test_a_revenue_table_printing_its_funds_as_columns_is_summed_over_them() -> None:
    """珠海: 表2's 财政拨款收入 is printed as 一般公共预算 736.81 | 政府性基金预算 6,816.00."""
    checks = _checks(_revenue_table("736.81", "6816.00"), _fiscal_summary("7,552.81"))
    assert _found(checks, "summary_vs_fiscal_appropriation_table") == [("passed", "warning")]
    checks = _checks(_revenue_table("736.81", "6000.00"), _fiscal_summary("7,552.81"))
    assert _found(checks, "summary_vs_fiscal_appropriation_table") == [("failed", "warning")]
