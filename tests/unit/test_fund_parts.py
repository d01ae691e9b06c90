"""A balance carried over split by fund (stop 39): 上年结转结余 / 一般公共预算 is prior_year_balance of
the general public budget, not the year's appropriation.

Typed from 杭州市公安局 2026 表2 收入预算总表 p.21 (tests/golden/hz-gongan-2026-bmys-p21-p22): the
department row prints 上年结转结余 小计 4,023.45 and 一般公共预算 4,023.45 under it.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.fund_parts import add_fund_part_measures, group_measure
from yusuan.interpret.publication_rows import tables_to_rows

HEADER = [
    ["单位名称", "总计", "本年收入", "", "上年结转结余", ""],
    ["", "", "小计", "一般公共预算", "小计", "一般公共预算"],
]
BODY = [["杭州市公安局", "370,219.25", "366,195.80", "366,195.79", "4,023.45", "4,023.45"]]


def _rows() -> list[dict]:
    origin = Origin("t.pdf", "0" * 64, 21, 1)
    table = RawTable("revenue_summary", "收入预算总表", "", "万元", "", HEADER, BODY, [origin], [], origin, 1)
    by_table, _findings = tables_to_rows([table], SourceDocument("doc", "issuer", "region", 2026, "部门预算", ()), load_registry())
    rows = by_table[1]
    add_fund_part_measures(rows, load_registry())
    return rows


def test_a_fund_under_the_balance_carried_over_is_that_balance_of_the_fund() -> None:
    got = {r["column_header"]: (r["measure"], r["fund_scope"], r["amount"]) for r in _rows()}
    assert got["上年结转结余 / 一般公共预算"] == ("prior_year_balance", "general_public_budget", Decimal("4023.45"))


def test_a_fund_under_the_year_s_revenue_stays_the_appropriation() -> None:
    got = {r["column_header"]: r["measure"] for r in _rows()}
    assert got["本年收入 / 一般公共预算"] == "gpb_appropriation"
    assert got["上年结转结余 / 小计"] == "prior_year_balance"


def test_group_measure_is_the_nearest_part_above_the_leaf_that_names_one() -> None:
    registry = load_registry()
    assert group_measure("上年结转结余 / 一般公共预算", registry) == "prior_year_balance"
    assert group_measure("一般公共预算", registry) is None
