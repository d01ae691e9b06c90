"""Summing the leaf rows of a function or economic table gives its printed total.

Researchers sum `is_leaf` rows instead of every `item` row (which counts class, 款 and 项
together, two to three times the total). The expected structure is typed from the golden
files (tests/golden/*/amounts.csv, typed by reading the document pages).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.checks.run import rounding_tolerance
from yusuan.interpret.hierarchy import stream_key

GOLDEN = Path(__file__).parent
DOCUMENTS = sorted(p.name for p in GOLDEN.iterdir() if (p / "amounts.csv").is_file())
CODED = {"function", "economic", "government_economic"}
# pages copied out of a wide-corpus publication (a publication of their own): a copy of the
# 三公 page alone prints no function or economic table
with (GOLDEN.parent / "fixtures" / "corpus-wide-pages" / "manifest.csv").open(encoding="utf-8", newline="") as _handle:
    COPIED_PAGES = {row["document_id"] for row in csv.DictReader(_handle)}


def _columns(amounts):
    columns = defaultdict(list)
    for row in amounts:
        columns[stream_key(row)].append(row)
    return columns.values()


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_leaves_of_every_function_and_economic_table_sum_to_its_total(document_id, processed):
    result = processed[document_id]
    coded = {t["table_sequence"] for t in result.resources["source_tables"] if t["classification"] in CODED}
    failed_rows = {
        (link["table_sequence"], link["row_number"])
        for link in result.resources["check_rows"]
        for check in result.resources["checks"]
        if check["check_number"] == link["check_number"] and check["status"] == "failed" and check["severity"] in ("error", "warning")
    }
    compared = 0
    for rows in _columns([a for a in result.resources["amounts"] if a["table_sequence"] in coded]):
        totals = [r for r in rows if r["row_role"] == "total" and r["amount_yuan"] is not None]
        leaves = [r for r in rows if r["is_leaf"] and r["amount_yuan"] is not None]
        if not totals or not any(r["row_role"] == "item" for r in rows):
            continue  # a one-row table (the Jiangsu 支出总表) prints only its total
        total = totals[0]
        difference = total["amount_yuan"] - sum((r["amount_yuan"] for r in leaves), Decimal(0))
        if abs(difference) > rounding_tolerance([total, *leaves]):
            # the check names the total, or the row of the column whose printed parts do not add up
            # to it (烟台 信访局 公开表3: 20140 信访事务 1,378.84 over 项 of 854.84, its project 项 unprinted)
            named = {(r["table_sequence"], r["row_number"]) for r in [total, *rows]}
            assert named & failed_rows, (
                f"{total['table_id']} column {total['column_header']!r}: leaves differ from the total by {difference} and no check names it"
            )
        compared += 1
    if document_id not in COPIED_PAGES:
        assert compared >= 4, "every golden publication prints function and economic tables"


def test_leaves_of_a_function_table_are_its_items_typed_from_the_page(processed):
    """js-renda-2018 p11 (财政拨款支出预算表): 3 类, 3 款, 14 项; the 项 are the leaves."""
    typed = [r for r in csv.DictReader((GOLDEN / "js-renda-2018-bmys" / "amounts.csv").open(encoding="utf-8")) if r["table_id"] == "fiscal_appropriation_expenditure_by_function"]
    typed_items = {r["row_code"] for r in typed if len(r["row_code"]) == 7}
    assert len(typed_items) == 14
    rows = [a for a in processed["js-renda-2018-bmys"].resources["amounts"] if a["table_id"] == "fiscal_appropriation_expenditure_by_function"]
    assert {r["subject_code"] for r in rows if r["is_leaf"]} == typed_items
    by_code = {r["subject_code"]: r for r in rows}
    number = {r["subject_code"]: r["row_number"] for r in rows}
    total = next(r for r in rows if r["item_name_printed"] == "合计")
    assert total["parent_row_number"] is None and not total["is_leaf"]
    assert by_code["2010101"]["parent_row_number"] == number["20101"]  # 行政运行 in 人大事务
    assert by_code["20101"]["parent_row_number"] == number["201"]  # 人大事务 in 一般公共服务支出
    assert by_code["201"]["parent_row_number"] == total["row_number"]
    assert by_code["2210202"]["parent_row_number"] == number["22102"]  # 提租补贴 in 住房改革支出
    # summing the leaves gives the printed 合计 15,897.44 万元; summing every item row would not
    assert sum(r["amount"] for r in rows if r["is_leaf"]) == Decimal("15897.44")
    assert sum(r["amount"] for r in rows if r["row_role"] == "item") == Decimal("15897.44") * 3


def test_enumerated_revenue_rows_nest_under_their_heading(processed):
    """js-renda-2018 p8 (收支预算总表): 1.一般公共预算 is a part of 一、财政拨款, which is a
    part of 当年收入小计, which is a part of 收入合计."""
    rows = [a for a in processed["js-renda-2018-bmys"].resources["amounts"] if a["table_id"] == "revenue_expenditure_summary" and a["side"] == "revenue"]
    number = {r["item_name_printed"].replace(" ", ""): r["row_number"] for r in rows}
    parent = {r["item_name_printed"].replace(" ", ""): r["parent_row_number"] for r in rows}
    leaf = {r["item_name_printed"].replace(" ", ""): r["is_leaf"] for r in rows}
    assert parent["1.一般公共预算"] == number["一、财政拨款"]
    assert parent["一、财政拨款"] == number["当年收入小计"]
    assert parent["当年收入小计"] == number["收入合计"]
    assert leaf["1.一般公共预算"] and not leaf["一、财政拨款"] and not leaf["收入合计"]


def test_purchases_nest_under_their_project_in_the_procurement_table(processed):
    """js-renda-2018 p17 (政府采购预算表, 万元): 一、货物A 59.00 holds the project 办公设备购置费
    59.00 (经济科目 办公设备购置), which holds the purchases 台式计算机 8.00, 便携式计算机 8.00,
    其他办公设备 12.00, 图书和档案 6.00, 家具用具 25.00; the leaves sum to 合计 2,064.25."""
    rows = [a for a in processed["js-renda-2018-bmys"].resources["amounts"] if a["table_id"] == "government_procurement"]
    by_name = {}
    for row in rows:
        by_name.setdefault(row["item_name"], row)
    project = by_name["办公设备购置费"]
    assert project["parent_row_number"] == by_name["货物A"]["row_number"] and not project["is_leaf"]
    purchases = [r for r in rows if r["parent_row_number"] == project["row_number"]]
    assert [r["amount"] for r in purchases] == [Decimal(v) for v in ("8.00", "8.00", "12.00", "6.00", "25.00")]
    assert all(r["is_leaf"] for r in purchases)
    assert sum(r["amount"] for r in rows if r["is_leaf"]) == Decimal("2064.25")
