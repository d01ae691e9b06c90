"""Families of layouts read by general rules (stop 38), from the templates' own wordings.

四川's 部门预算 template prints 表2-1 财政拨款支出预算表（部门经济分类科目） beside 表3 一般公共预算支出预算表;
a 决算's titles carry 部门决算 / 单位决算 where a budget's carry 部门预算.
"""

from __future__ import annotations

import pytest

from yusuan.core.schemas import load_registry


@pytest.mark.parametrize(("title", "table_id"), [
    ("表2-1 财政拨款支出预算表（部门经济分类科目）", "fiscal_appropriation_expenditure_by_economic_class"),
    ("财政拨款支出预算表（政府经济分类科目）", "fiscal_appropriation_expenditure_by_economic_class"),
    ("财政拨款支出明细表（按经济科目）", "fiscal_appropriation_expenditure_by_economic_class"),
    # without a parenthesis naming 经济 the appropriations' expenditure table is by function
    ("财政拨款支出明细表（按功能科目）", "fiscal_appropriation_expenditure_by_function"),
    ("财政拨款支出预算表", "fiscal_appropriation_expenditure_by_function"),
    ("财政拨款基本支出预算表（部门经济分类科目）", "fiscal_appropriation_basic_expenditure_by_economic_class"),
    ("上年结转财政拨款支出表", "fiscal_appropriation_carryover_expenditure"),
])
def test_the_appropriations_expenditure_tables_are_told_apart_by_their_classification(title: str, table_id: str) -> None:
    spec = load_registry().identify_title(title)
    assert spec is not None and spec.id == table_id


@pytest.mark.parametrize(("title", "table_id"), [
    ("2025年度部门决算收支总表", "revenue_expenditure_summary"),
    ("单位决算收入总表", "revenue_summary"),
    ("部门综合决算支出总表", "expenditure_summary"),
])
def test_a_final_accounts_scope_words_come_off_its_titles(title: str, table_id: str) -> None:
    spec = load_registry().identify_title(title)
    assert spec is not None and spec.id == table_id


def test_a_scope_word_alone_is_no_table() -> None:
    registry = load_registry()
    assert registry.identify_title("部门决算表") is None
    assert registry.identify_title("部门预算表") is None
