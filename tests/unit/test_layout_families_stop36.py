"""Families of layouts read by general rules (stop 36), from tiny grids as printed."""

from __future__ import annotations

from yusuan.core.model import COVERED_LEFT, Grid, Origin
from yusuan.core.schemas import load_registry
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
