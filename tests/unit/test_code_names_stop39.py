"""Code names as 2025–2026 publications print them (stop 39).

杭州 公安局 2026 表1/表4/表5 (tests/golden/hz-gongan-2026-bmys-p20-p25-p26-p29) print the function
classes by name only: 215 资源勘探工业信息等支出 / 工业和信息产业 / 其他工业和信息产业支出. 重庆 经信委 2026
(p.10) and 无锡 发改委 2025 (p.13) print the same names with 21505 and 2150599; the compiled list had
工业和信息产业监管 / 其他工业和信息产业监管支出, so the names got no code and all three rows were leaves.
The list now has the printed names; the former names stay readable (concordance.csv, renamed).
"""

from __future__ import annotations

from tests.unit.test_layout_rules import cells, process_text


def _codes(tmp_path, section: str, item: str):
    result = process_text(tmp_path, f"""
表3：2026年市级部门支出预算总表
单位：万元
功能分类科目名称\t总计
合计\t2448.58
资源勘探工业信息等支出\t2448.58
{section}\t2448.58
{item}\t2448.58
""")
    return cells(result, "item_name", "subject_code")[1:]


def test_the_names_printed_since_2025_get_their_codes(tmp_path):
    assert _codes(tmp_path, "工业和信息产业", "其他工业和信息产业支出") == [
        ("资源勘探工业信息等支出", "215"), ("工业和信息产业", "21505"), ("其他工业和信息产业支出", "2150599"),
    ]


def test_the_former_names_still_get_them(tmp_path):
    assert _codes(tmp_path, "工业和信息产业监管", "其他工业和信息产业监管支出") == [
        ("资源勘探工业信息等支出", "215"), ("工业和信息产业监管", "21505"), ("其他工业和信息产业监管支出", "2150599"),
    ]


def test_the_data_affairs_section_printed_in_2026_is_in_the_list(tmp_path):
    """上海市数据局 2026 单位预算 p.8 prints 20141 数据事务 / 2014101 行政运行 / 2014199 其他数据事务支出;
    by name alone under 201 they get those codes."""
    result = process_text(tmp_path, """
表3：2026年市级部门支出预算总表
单位：万元
功能分类科目名称\t总计
合计\t30.00
一般公共服务支出\t30.00
数据事务\t30.00
行政运行\t20.00
其他数据事务支出\t10.00
""")
    assert cells(result, "item_name", "subject_code")[1:] == [
        ("一般公共服务支出", "201"), ("数据事务", "20141"), ("行政运行", "2014101"), ("其他数据事务支出", "2014199"),
    ]


def test_the_local_pilot_bond_item_printed_in_2026_is_in_the_list(tmp_path):
    """湖州市卫生健康委员会 2026 部门预算 prints 2290402 其他地方自行试点项目收益专项债券收入安排的支出
    under 22904 (p.32 表03, p.43 表08; stop 40): by name alone under 229 it gets that code, and
    the code is no longer reported as missing from the list."""
    result = process_text(tmp_path, """
表3：2026年市级部门支出预算总表
单位：万元
功能分类科目名称\t总计
合计\t15000.00
其他支出\t15000.00
其他政府性基金及对应专项债务收入安排的支出\t15000.00
其他地方自行试点项目收益专项债券收入安排的支出\t15000.00
""")
    assert cells(result, "item_name", "subject_code")[1:] == [
        ("其他支出", "229"), ("其他政府性基金及对应专项债务收入安排的支出", "22904"), ("其他地方自行试点项目收益专项债券收入安排的支出", "2290402"),
    ]
    assert not [c for c in result.resources["checks"] if c["check_id"] == "code_in_codelist" and c["status"] == "failed"]
