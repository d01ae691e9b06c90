"""The 三公 table of the 广东 (广州 / 珠海) template (stop 38): 财政拨款安排的行政经费及“三公”经费预算表,
items as rows, funds as columns (合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算).

Typed from corpus-wide 20_gz-xinfang-2026-bmys p.15 (tests/golden/gz-xinfang-2026-bmys-p5-p6-p9-p10-p11-p15):
the items are printed with 支出 after them (（三）公务接待费支出), and the first row is 行政经费, which
the template's own glossary defines as 行政经费（机关运行经费）: a row the 三公 total must not take.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.interpret.three_public import add_three_public_measures

HEADER = ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
GUANGZHOU = [
    ["行政经费", "444.39", "444.39", "0.00", "0.00"],
    ["“三公”经费", "4.80", "4.80", "0.00", "0.00"],
    ["其中：（一）因公出国（境）支出", "0.00", "0.00", "0.00", "0.00"],
    ["（二）公务用车购置及运行维护支出", "2.50", "2.50", "0.00", "0.00"],
    ["1.公务用车购置费", "0.00", "0.00", "0.00", "0.00"],
    ["2.公务用车运行维护费", "2.50", "2.50", "0.00", "0.00"],
    ["（三）公务接待费支出", "2.30", "2.30", "0.00", "0.00"],
]


def _printed_rows(header: list[str], body: list[list[str]]) -> list[dict]:
    """The table's rows as the checks read them: before the 三公 measures are given."""
    origin = Origin("t.pdf", "0" * 64, 15, 1)
    table = RawTable("three_public_expenses", "财政拨款安排的行政经费及“三公”经费预算表", "", "万元", "", [header], body, [origin] * len(body), [], origin, 1)
    by_table, _findings = tables_to_rows([table], SourceDocument("doc", "issuer", "region", 2026, "部门预算", ()), load_registry())
    return by_table[1]


def _rows(header: list[str], body: list[list[str]]) -> list[dict]:
    """The table's rows as published."""
    rows = _printed_rows(header, body)
    add_three_public_measures(rows, load_registry())
    return rows


def test_each_row_of_the_total_column_takes_the_item_its_label_names() -> None:
    rows = [r for r in _rows(HEADER, GUANGZHOU) if r["column_header"] == "合计"]
    assert [(r["measure"], r["amount"]) for r in rows] == [
        ("operating_expenses", Decimal("444.39")),
        ("three_public_total", Decimal("4.80")),
        ("outbound_travel", Decimal("0.00")),
        ("official_vehicles", Decimal("2.50")),
        ("vehicle_purchase", Decimal("0.00")),
        ("vehicle_operation", Decimal("2.50")),
        ("official_reception", Decimal("2.30")),
    ]


def test_the_fund_columns_take_the_rows_item_and_their_fund() -> None:
    """Stop 41: an amount of a fund column is the row's item over the column's fund (the
    representation of 深圳's 三公 table, items over funds in the header); the 合计 column adds the
    three funds: the fiscal appropriations. Before, the fund columns' measure was the fund
    (gpb_appropriation …) and every column's fund_scope the table's (general_public_budget)."""
    rows = _rows(HEADER, GUANGZHOU)
    items = ["operating_expenses", "three_public_total", "outbound_travel", "official_vehicles", "vehicle_purchase", "vehicle_operation", "official_reception"]
    for header, scope in [("合计", "fiscal_appropriation"), ("一般公共预算", "general_public_budget"), ("政府性基金预算", "government_fund"), ("国有资本经营预算", "state_capital")]:
        column = [r for r in rows if r["column_header"] == header]
        assert [r["measure"] for r in column] == items
        assert {r["fund_scope"] for r in column} == {scope}


def test_the_three_public_total_is_no_longer_the_sum_of_the_operating_expenses() -> None:
    # before: 行政经费 444.39 was published as a second three_public_total beside the real 4.80
    totals = {r["fund_scope"]: r["amount"] for r in _rows(HEADER, GUANGZHOU) if r["measure"] == "three_public_total"}
    assert totals == {"fiscal_appropriation": Decimal("4.80"), "general_public_budget": Decimal("4.80"), "government_fund": Decimal("0.00"), "state_capital": Decimal("0.00")}


def test_the_items_printed_with_zhichu_are_known_as_headers_too() -> None:
    registry = load_registry()
    assert registry.measure("因公出国（境）支出").id == "outbound_travel"
    assert registry.measure("公务用车购置及运行维护支出").id == "official_vehicles"
    assert registry.measure("公务接待费支出").id == "official_reception"
    assert registry.measure("行政经费").id == "operating_expenses"


# -- the narrative's 三公 figures find the table's -------------------------------------------------
# 广州市信访局 p.21 states 因公出国（境）费 0万元, 公务用车购置及运行维护费 2.5万元, 公务接待费 2.3万元 and p.22
# 机关运行经费 444.39万元: they were not compared ("no table prints the table figure"), because the
# items are printed as 其中 rows (其中：（一）…, （二）…, （三）… are of-which rows of “三公”经费) and
# the operating expenses as a row, where the checks looked for a column.

def _target(measure: str) -> list[dict]:
    from yusuan.core.schemas import check_rules

    return check_rules()["narrative_amount_vs_table"]["targets"][measure]


def test_the_items_printed_as_of_which_rows_are_the_narratives_table_figures() -> None:
    from yusuan.checks.select import Tables

    tables = Tables(_printed_rows(HEADER, GUANGZHOU), load_registry())
    found = {m: tables.select(_target(m)) for m in ("outbound_travel", "official_vehicles", "official_reception", "operating_expenses")}
    assert {m: (f.rows[0]["item_name_printed"], f.rows[0]["column_header"], f.rows[0]["amount"]) for m, f in found.items() if f} == {
        "outbound_travel": ("其中：（一）因公出国（境）支出", "合计", Decimal("0.00")),
        "official_vehicles": ("（二）公务用车购置及运行维护支出", "合计", Decimal("2.50")),
        "official_reception": ("（三）公务接待费支出", "合计", Decimal("2.30")),
        "operating_expenses": ("行政经费", "合计", Decimal("444.39")),
    }


# -- 深圳's 三公 table (stop 39): items as column groups, each over the funds -----------------------
# sz-xinfang p.31 (表9 财政拨款“三公”经费支出表), typed in tests/golden/sz-xinfang-2026-bmys-p15-…-p31:
# rows 2025年 | 2026年 | 增减变化金额; the item is the header above the fund.
SHENZHEN_HEADER = [
    ["项目", "总计", "", "", "因公出国(境)费", "", "", "公务接待费", "", ""],
    ["", "一般公共预算", "政府性基金预算", "国有资本经营预算", "一般公共预算", "政府性基金预算", "国有资本经营预算", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
]
SHENZHEN = [["2026年", "5.58", "0.00", "0.00", "0.00", "0.00", "0.00", "2.98", "0.00", "0.00"]]


def _shenzhen_rows() -> list[dict]:
    origin = Origin("t.pdf", "0" * 64, 31, 1)
    table = RawTable("three_public_expenses", "财政拨款“三公”经费支出表", "", "万元", "", SHENZHEN_HEADER, SHENZHEN, [origin], [], origin, 1)
    by_table, _findings = tables_to_rows([table], SourceDocument("doc", "issuer", "region", 2026, "部门预算", ()), load_registry())
    rows = by_table[1]
    add_three_public_measures(rows, load_registry())
    return rows


def test_an_item_over_fund_columns_is_the_measure_and_the_fund_its_scope() -> None:
    got = {(r["column_header"], r["measure"], r["fund_scope"], r["amount"]) for r in _shenzhen_rows()}
    assert ("总计 / 一般公共预算", "three_public_total", "general_public_budget", Decimal("5.58")) in got
    assert ("因公出国(境)费 / 政府性基金预算", "outbound_travel", "government_fund", Decimal("0.00")) in got
    assert ("公务接待费 / 一般公共预算", "official_reception", "general_public_budget", Decimal("2.98")) in got
    assert ("公务接待费 / 国有资本经营预算", "official_reception", "state_capital", Decimal("0.00")) in got


def test_header_item_reads_the_deepest_part_above_the_leaf() -> None:
    from yusuan.interpret.three_public import header_item
    registry = load_registry()
    assert header_item("公务用车购置及运行维护费 / 小计 / 一般公共预算", registry) == "official_vehicles"
    assert header_item("公务用车购置及运行维护费 / 公务用车购置费 / 一般公共预算", registry) == "vehicle_purchase"
    assert header_item("总计 / 一般公共预算", registry) == "total"
    assert header_item("一般公共预算", registry) is None  # 广东: the item is the row
