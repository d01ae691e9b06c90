"""Answers found once and reused (issue 14) are the answers found each time: the registry's
remembered is_known_header, the rows a narrative figure may name found once per document,
and the passed row of a rule that records only its failures."""

from __future__ import annotations

from decimal import Decimal

from yusuan.checks.engine import CheckRun
from yusuan.checks.narrative_rules import item_rows, nameable_rows
from yusuan.checks.select import Tables
from yusuan.core.schemas import load_registry

HEADERS = ["项目", "科目编码", "合计", "2024年预算数", "本年支出合计", "单位：万元", "随便写的一句话", "", "功能分类科目名称"]


def test_a_remembered_known_header_is_the_answer_found_afresh():
    registry = load_registry()
    fresh = [registry._is_known_header(h) for h in HEADERS]
    assert [registry.is_known_header(h) for h in HEADERS] == fresh
    assert [registry.is_known_header(h) for h in HEADERS] == fresh  # now from the memo
    assert True in fresh and False in fresh


def _row(sequence: int, number: int, code: str, *, measure: str = "total", of_which: bool = False, amount: str | None = "5.00") -> dict:
    return {
        "table_id": "gpb_expenditure_by_function", "table_sequence": sequence, "row_number": number, "column_number": 3,
        "subject_code": code, "subject_level": "section" if len(code) == 5 else "class", "item_name": "一般公共服务支出",
        "measure": measure, "is_of_which": of_which, "amount": None if amount is None else Decimal(amount), "side": "", "period": "current",
    }


def test_a_figure_names_the_printed_total_rows_of_its_code():
    rows = [
        _row(1, 1, "20101"),
        _row(1, 2, "20101", of_which=True),
        _row(1, 3, "20101", measure="basic_expenditure"),
        _row(1, 4, "20101", amount=None),
        _row(1, 5, "20102"),
        _row(2, 1, "20101"),  # a second table of the same id: only the first is read
    ]
    nameable = nameable_rows(Tables(rows, load_registry()))
    assert nameable["gpb_expenditure_by_function"] == [rows[0], rows[4]]
    assert item_rows({"subject": "20101-一般公共服务", "sentence": "20101-一般公共服务支出5.00元"}, nameable) == [rows[0]]
    assert item_rows({"subject": "增加", "sentence": "增加5.00元"}, nameable) is None


def test_a_rule_that_records_only_failures_has_one_passed_row_when_none_failed():
    run = CheckRun("doc")
    run.count_checked("total_not_below_largest_part", 3)
    run.count_checked("children_sum_to_parent", 2)
    run.add("children_sum_to_parent", "failed", None, "a failure")
    results = run.results
    assert [(r["check_id"], r["status"]) for r in results] == [("children_sum_to_parent", "failed"), ("total_not_below_largest_part", "passed")]
    assert results[1]["message"] == "3 comparisons, none failed"
