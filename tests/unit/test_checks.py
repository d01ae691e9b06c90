"""Each core check fires where the numbers disagree and stays silent where they agree."""

import copy
from decimal import Decimal

from yusuan.checks import rounding_tolerance, run_checks
from yusuan.schemas import load_registry


def failed(rows):
    return [(c["check_id"], c["row"]) for c in run_checks(rows, load_registry(), "doc").results if c["status"] == "failed"]


def corrupt(rows, table_id, code, measure, value):
    rows = copy.deepcopy(rows)
    row = next(r for r in rows if r["table_id"] == table_id and r["subject_code"] == code and r["measure"] == measure)
    row["amount"] = Decimal(value)
    row["value_printed"] = value
    return rows


def test_clean_documents_pass_every_check(processed):
    for result in processed.samples():
        assert failed(result.resources["amounts"]) == []


def test_a_wrong_item_breaks_its_row_total_and_its_parents(processed):
    amounts = processed["fj-quanzhou-12345-2026-dwys"].resources["amounts"]
    rows = corrupt(amounts, "gpb_expenditure_by_function", "2010399", "project_expenditure", "1011.90")
    assert failed(rows) == [
        ("row_total_equals_components", "2010399 其他政府办公厅（室）及相关机构事务支出"),
        ("total_equals_top_level_rows", "合计"),
    ]


def test_a_wrong_section_breaks_children_sum(processed):
    amounts = processed["js-renda-2018-bmys"].resources["amounts"]
    rows = corrupt(amounts, "gpb_expenditure_by_function", "20101", "total", "12706.38")
    assert ("children_sum_to_parent", "20101 人大事务") in failed(rows)
    assert ("children_sum_to_parent", "201 一般公共服务支出") in failed(rows)


def test_revenue_must_equal_expenditure(processed):
    amounts = copy.deepcopy(processed["fj-quanzhou-12345-2026-dwys"].resources["amounts"])
    total = next(r for r in amounts if r["table_id"] == "revenue_expenditure_summary" and r["item_name"] == "支出合计")
    total["amount"] = Decimal("1182.05")
    assert ("revenue_equals_expenditure", "收入合计") in failed(amounts)


def test_rounding_tolerance_follows_printed_decimals():
    rows = [{"value_printed": "1.00", "amount": Decimal(1)}, {"value_printed": "2", "amount": Decimal(2)}]
    assert rounding_tolerance(rows) == Decimal("0.010")
    assert rounding_tolerance([{"value_printed": "12", "amount": Decimal(12)}] * 3) == Decimal("1.5")


def test_a_missing_summary_is_not_run_not_passed():
    results = run_checks([], load_registry(), "doc").results
    assert [(r["check_id"], r["status"]) for r in results] == [("revenue_equals_expenditure", "not_run")]
