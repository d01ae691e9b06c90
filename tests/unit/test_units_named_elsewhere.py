"""A project table that prints no code shows where a budget unit starts only by the unit's name
(广州 卫健委 项目支出表: 合计 | 广州市卫生健康委员会 | its projects … | 广州市胸科医院 | its projects …;
深圳 生态环境局: 深圳市生态环境局（本级） | … | 深圳市环境科学研究院 | …). A row of it labelled with the
name of a unit that the same publication lists in another table (its 收入总表 by unit) is that
unit's row (``budget_units.units_named_elsewhere``, read again by
``publication_rows.tables_to_rows``): its projects are its own, not the first unit's, and the
units add up to the table's total (``units_sum_to_total``).

Tables are text exports (TAB between cells) read through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_layout_rules import process_text

REVENUE_SUMMARY = """
表2
2026年市级部门收入预算总表
部门名称：广州市某委员会 单位：万元
单位名称\t总计\t一般公共预算\t其他收入
合计\t100.00\t90.00\t10.00
广州市某委员会\t40.00\t35.00\t5.00
广州市某医院\t50.00\t45.00\t5.00
广州市某中心\t10.00\t10.00\t0.00
"""

PROJECTS = """
表10
2026年市级部门项目支出预算表
部门名称：广州市某委员会 单位：万元
项目名称\t总计\t一般公共预算
合计\t{total}\t{total}
广州市某委员会\t20.00\t20.00
机构运行辅助经费\t15.00\t15.00
保健经费\t5.00\t5.00
广州市某医院\t30.00\t30.00
医疗高地建设专项补助经费\t30.00\t30.00
广州市某中心\t6.00\t6.00
健康教育宣传经费\t6.00\t6.00
"""


def _project_rows(result) -> dict[str, dict]:
    rows = [a for a in result.resources["amounts"] if a["table_id"] == "project_expenditure_summary" and a["column_header"] == "总计"]
    return {a["item_name_printed"]: a for a in rows}


def test_units_listed_in_the_revenue_table_are_unit_rows_of_the_project_table(tmp_path: Path) -> None:
    result = process_text(tmp_path, REVENUE_SUMMARY + PROJECTS.format(total="56.00"), issuer="广州市某委员会")
    rows = _project_rows(result)
    by_number = {a["row_number"]: a for a in rows.values()}
    shown = {name: (a["budget_unit"], a["row_role"], a["is_leaf"], by_number[a["parent_row_number"]]["item_name_printed"] if a["parent_row_number"] else None) for name, a in rows.items()}
    assert shown == {
        "合计": ("", "total", False, None),
        "广州市某委员会": ("广州市某委员会", "subtotal", False, "合计"),
        "机构运行辅助经费": ("广州市某委员会", "item", True, "广州市某委员会"),
        "保健经费": ("广州市某委员会", "item", True, "广州市某委员会"),
        "广州市某医院": ("广州市某医院", "subtotal", False, "合计"),
        "医疗高地建设专项补助经费": ("广州市某医院", "item", True, "广州市某医院"),
        "广州市某中心": ("广州市某中心", "subtotal", False, "合计"),
        "健康教育宣传经费": ("广州市某中心", "item", True, "广州市某中心"),
    }


def test_the_units_of_the_project_table_add_up_to_its_total(tmp_path: Path) -> None:
    checks = lambda result: [  # noqa: E731
        (c["status"], c["expected"], c["actual"]) for c in result.resources["checks"]
        if c["check_id"] == "units_sum_to_total" and c["table_id"] == "project_expenditure_summary"
    ]
    assert checks(process_text(tmp_path, REVENUE_SUMMARY + PROJECTS.format(total="56.00"), issuer="广州市某委员会")) == [("passed", "56.00", "56.00")] * 2
    assert ("failed", "56.00", "57.00") in checks(process_text(tmp_path, REVENUE_SUMMARY + PROJECTS.format(total="57.00"), issuer="广州市某委员会"))


def test_a_name_no_other_table_lists_stays_a_project(tmp_path: Path) -> None:
    """Without the revenue table, the project table alone does not say that 广州市某医院 is a unit:
    its rows stay items of the first unit, as before."""
    rows = _project_rows(process_text(tmp_path, PROJECTS.format(total="56.00"), issuer="广州市某委员会"))
    assert {rows[name]["budget_unit"] for name in ("广州市某医院", "医疗高地建设专项补助经费", "健康教育宣传经费")} == {"广州市某委员会"}
    assert rows["广州市某医院"]["row_role"] == "item"
