"""The halves of a 财政拨款收支总表 headed 财政拨款收入 | 财政拨款支出 (上海's template) are its sides, and
the 预算数 under 财政拨款收入 is the row's total; over a one-sided table the same words give no side and
keep their meaning (yusuan/interpret/normalize.py _halves_named_by_their_fund, schemas/vocabulary.yaml
revenue_half_words / expenditure_half_words).

The first table is 上海 福彩 2026 p.10 as printed (golden sh-fucai-2026-dwys-p7-p10-p11-p15), in 元.
"""

from __future__ import annotations

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.normalize import classify_columns, raw_table_to_rows

ORIGIN = Origin("t.pdf", "0" * 64, 1, 1)
DOC = SourceDocument("doc", "上海市福利彩票发行中心", "上海市", 2026, "单位预算", ())


def _table(table_id: str, header: list[list[str | None]], body: list[list[str]]) -> RawTable:
    return RawTable(table_id, "t", "", "元", "", header, body, [ORIGIN] * len(body), [], ORIGIN, 1)


FUCAI_HEADER = [
    ["财政拨款收入", None, "财政拨款支出", None, None, None, None],
    ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
]
FUCAI_BODY = [
    ["一、一般公共预算", "", "一、其他支出", "215,020,000", "", "215,020,000", ""],
    ["二、政府性基金预算", "215,020,000", "", "", "", "", ""],
    ["三、国有资本经营预算", "", "", "", "", "", ""],
    ["收入总计", "215,020,000", "支出总计", "215,020,000", "", "215,020,000", ""],
]


def test_the_halves_headed_fiscal_appropriation_revenue_and_expenditure_are_the_sides():
    rows, _ = raw_table_to_rows(_table("fiscal_appropriation_summary", FUCAI_HEADER, FUCAI_BODY), None, DOC, load_registry())
    got = [(r["item_name_printed"], r["column_header"].split(" / ")[-1], r["side"], r["measure"]) for r in rows if r["amount"] is not None]
    assert sorted(got) == sorted([
        ("一、其他支出", "合计", "expenditure", "total"),
        ("一、其他支出", "政府性基金预算", "expenditure", "government_fund_appropriation"),
        ("二、政府性基金预算", "预算数", "revenue", "total"),
        ("收入总计", "预算数", "revenue", "total"),
        ("支出总计", "合计", "expenditure", "total"),
        ("支出总计", "政府性基金预算", "expenditure", "government_fund_appropriation"),
    ])


def test_over_a_one_sided_table_the_words_give_no_side_and_keep_their_meaning():
    registry = load_registry()
    # a 收入总表's group (烟台): 财政拨款收入 / 小计 is the appropriations' subtotal, not the table's total
    revenue = classify_columns(_table("revenue_summary", [["科目名称", "合计", "财政拨款收入", None], [None, None, "小计", "一般公共预算"]], [["一般公共服务支出", "10", "8", "8"]]), registry)
    assert [(c.side, c.measure) for c in revenue if c.role == "amount"] == [("", "total"), ("", "fiscal_appropriation"), ("", "gpb_appropriation")]
    # a 财政拨款支出表 headed by its scope (上海 钻石: 财政拨款支出 over 合计 | 一般公共预算 …)
    expenditure = classify_columns(_table("fiscal_appropriation_expenditure_by_function", [["科目名称", "财政拨款支出", None], [None, "合计", "一般公共预算"]], [["一般公共服务支出", "10", "10"]]), registry)
    assert [(c.side, c.measure) for c in expenditure if c.role == "amount"] == [("", "total"), ("", "gpb_appropriation")]
