"""units_sum_to_total: in a table that lists a department's budget units, the total (合计) or
the department's row equals the sum of the units' own rows, column by column and period by
period — in each layout family, and not at all where the table's rows are not unit totals.

Tables are text exports (TAB between cells) read through the whole pipeline."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_layout_rules import process_text

CHECK = "units_sum_to_total"


def results(result, status=None):
    return [
        (c["row"], c["field"], c["expected"], c["actual"])
        for c in result.resources["checks"]
        if c["check_id"] == CHECK and (status is None or c["status"] == status)
    ]


THREE_PUBLIC = """
表7
2026年市级部门一般公共预算“三公”经费预算表
部门名称：杭州市某局 单位：万元
单位名称\t“三公”经费合计\t公务用车购置费\t公务用车运行维护费\t公务接待费
合计\t40.00\t10.00\t{operation}\t10.00
杭州市某局\t25.00\t6.00\t12.00\t7.00
杭州市某局交通支队\t15.00\t4.00\t8.00\t3.00
"""


def test_total_then_units_that_add_up(tmp_path: Path) -> None:
    """杭州 三公 (合计, then 杭州市公安局 and each unit, no department row): 合计 = Σ every unit."""
    result = process_text(tmp_path, THREE_PUBLIC.format(operation="20.00"), issuer="杭州市某局")
    assert results(result, "failed") == []
    assert ("合计", "公务用车运行维护费", "20.00", "20.00") in results(result, "passed")
    assert len(results(result, "passed")) == 4  # one comparison per amount column


def test_total_then_units_that_do_not_add_up(tmp_path: Path) -> None:
    """杭州 公安局 p.29: 合计 公务用车运行维护费 2,987.20, the units' rows 2,843.20 (144.00 short)."""
    result = process_text(tmp_path, THREE_PUBLIC.format(operation="21.44"), issuer="杭州市某局")
    assert results(result, "failed") == [("合计", "公务用车运行维护费", "20.00", "21.44")]


REVENUE_SUMMARY = """
表2
2026年市级部门收入预算总表
部门名称：杭州市某局 单位：万元
单位名称\t总计\t一般公共预算\t其他收入
合计\t100.00\t90.00\t10.00
杭州市某局\t100.00\t90.00\t10.00
杭州市某局\t60.00\t{own}\t5.00
杭州市某局交通支队\t30.00\t27.00\t3.00
杭州市某考试中心\t10.00\t8.00\t2.00
"""


def test_total_then_department_row_then_units(tmp_path: Path) -> None:
    """杭州 收入总表: 合计, the department's row (杭州市公安局), then its units, the first its 本级
    printed with the department's name again: 合计 = department row = Σ the units."""
    result = process_text(tmp_path, REVENUE_SUMMARY.format(own="55.00"), issuer="杭州市某局")
    assert results(result, "failed") == []
    passed = results(result, "passed")
    assert ("合计", "一般公共预算", "90.00", "90.00") in passed  # 合计 = the department's row
    assert ("杭州市某局", "一般公共预算", "90.00", "90.00") in passed  # the department's row = Σ its 3 units
    assert len(passed) == 6


def test_a_department_row_its_units_fall_short_of(tmp_path: Path) -> None:
    """杭州 公安局 p.21: the department's 一般公共预算 366,195.79, its units' rows 1,471.66 less;
    合计 still equals the department's row, and the department's row is not read as a unit."""
    result = process_text(tmp_path, REVENUE_SUMMARY.format(own="53.50"), issuer="杭州市某局")
    assert results(result, "failed") == [("杭州市某局", "一般公共预算", "88.50", "90.00")]


UNIT_COLUMN = """
表3
支出总表
部门名称：深圳市某局 单位：万元
预算单位\t科目编码\t科目名称\t支出总计\t基本支出\t项目支出
深圳市某局\t\t\t30.00\t20.00\t10.00
深圳市某局（本级）\t\t\t{own}\t8.00\t10.00
\t201\t一般公共服务支出\t18.00\t8.00\t10.00
深圳市某监测站\t\t\t12.00\t12.00\t0.00
\t201\t一般公共服务支出\t12.00\t12.00\t0.00
"""


def test_a_unit_column_with_codes_under_each_unit(tmp_path: Path) -> None:
    """深圳 支出总表: the department's row (the table's total), then （本级） and each unit with its
    codes: the department's row = Σ the units' rows, not their codes."""
    result = process_text(tmp_path, UNIT_COLUMN.format(own="18.00"), issuer="深圳市某局")
    assert results(result, "failed") == []
    assert ("深圳市某局", "支出总计", "30.00", "30.00") in results(result, "passed")
    assert len(results(result, "passed")) == 3


def test_a_unit_row_that_is_not_the_sum_of_its_codes_leaves_the_department_short(tmp_path: Path) -> None:
    """The 本级's row prints 17.00 above its code 201 18.00: the department's 30.00 is not
    17.00 + 12.00 (the codes add up to the department's row, the units' rows do not)."""
    result = process_text(tmp_path, UNIT_COLUMN.format(own="17.00"), issuer="深圳市某局")
    assert results(result, "failed") == [("深圳市某局", "支出总计", "29.00", "30.00")]


PERIODS = """
表9
财政拨款“三公”经费支出表
部门名称：深圳市某局 单位：万元
预算单位\t年度\t总计\t公务接待费
深圳市某局\t2025 年\t9.00\t3.00
\t2026 年\t10.00\t4.00
\t增减变化金额\t1.00\t1.00
深圳市某局（本级）\t2025 年\t5.00\t2.00
\t2026 年\t6.00\t3.00
\t增减变化金额\t1.00\t1.00
深圳市某监测站\t2025 年\t4.00\t1.00
\t2026 年\t{current}\t1.00
\t增减变化金额\t0.00\t0.00
"""


def test_units_printed_with_a_row_per_year_add_up_year_by_year(tmp_path: Path) -> None:
    """深圳 三公: each unit prints 2025 年 | 2026 年 | 增减变化金额 (the unit's name on the first):
    the department's rows of a year = Σ the units' rows of that year, never of another."""
    result = process_text(tmp_path, PERIODS.format(current="4.00"), issuer="深圳市某局")
    assert results(result, "failed") == []
    passed = results(result, "passed")
    assert len(passed) == 6  # 3 periods x 2 columns
    assert ("2025 年", "总计", "9.00", "9.00") in passed and ("2026 年", "总计", "10.00", "10.00") in passed


def test_a_year_whose_units_do_not_add_up_fails_alone(tmp_path: Path) -> None:
    result = process_text(tmp_path, PERIODS.format(current="4.50"), issuer="深圳市某局")
    assert results(result, "failed") == [("2026 年", "总计", "10.50", "10.00")]


def test_projects_listed_by_unit_are_not_unit_totals(tmp_path: Path) -> None:
    """杭州 项目支出表: the unit printed beside each project. No row is a unit's own: the rule does
    not run (the projects are not the units' totals, and a unit has several)."""
    result = process_text(tmp_path, """
表10
2026年市级部门项目支出预算表
部门名称：杭州市某局 单位：万元
单位名称\t项目名称\t总计\t一般公共预算
合计\t\t31.00\t31.00
杭州市某局\t执法办案\t10.00\t10.00
杭州市某局\t日常保障运行\t5.00\t5.00
杭州市某局交通支队\t道路交通管理\t15.00\t15.00
""", issuer="杭州市某局")
    assert results(result) == []


def test_a_department_with_its_own_level_only_has_no_units_to_add(tmp_path: Path) -> None:
    """深圳 项目支出表: the department's row and its （本级） (the other units read as items): one
    unit besides the department, nothing to compare."""
    result = process_text(tmp_path, """
表3
支出总表
部门名称：深圳市某局 单位：万元
预算单位\t科目编码\t科目名称\t支出总计
深圳市某局\t\t\t30.00
深圳市某局（本级）\t\t\t18.00
\t201\t一般公共服务支出\t18.00
""", issuer="深圳市某局")
    assert results(result) == []


def test_a_department_row_under_a_short_name_that_prints_the_total(tmp_path: Path) -> None:
    """湖州 退役军人事务局 表02 p.19: 合计 6256.31, 退役军人事务局 6256.31 (the department, named
    without 湖州市), then 湖州市退役军人事务局 2604.42 and four units. The row printing the 合计's
    figures in every column is the department's, not a unit: the units are compared with it,
    not with twice the 合计."""
    result = process_text(tmp_path, """
表02
2026年市级部门收入预算总表
部门名称：湖州市某局 单位：万元
单位名称\t总计\t一般公共预算\t其他收入
合计\t100.00\t90.00\t10.00
某局\t100.00\t90.00\t10.00
湖州市某局\t60.00\t55.00\t5.00
湖州市某中心\t40.00\t35.00\t5.00
""", issuer="湖州市某局")
    assert results(result, "failed") == []
    assert ("某局", "总计", "100.00", "100.00") in results(result, "passed")


def test_a_unit_that_is_the_whole_table_is_no_department_row(tmp_path: Path) -> None:
    """The first unit prints the 合计's figures but every other unit prints nothing: it is a unit
    that makes up the table (合计 = Σ the units), not a department row the others fall short of."""
    result = process_text(tmp_path, """
表02
2026年市级部门收入预算总表
部门名称：湖州市某局 单位：万元
单位名称\t总计\t一般公共预算
合计\t100.00\t90.00
湖州市某局\t100.00\t90.00
湖州市某中心\t\t
""", issuer="湖州市某局")
    assert results(result, "failed") == []
    assert results(result, "passed") == [("合计", "总计", "100.00", "100.00"), ("合计", "一般公共预算", "90.00", "90.00")]
