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


def test_the_ultra_long_treasury_bond_sections_printed_in_2026_are_in_the_list(tmp_path):
    """重庆市水利局 2026 部门预算 (p.14, p.16) prints 20598 / 21398 超长期特别国债安排的支出 with
    2059803 职业教育 and 2139802 水利支出 under them; 重庆市商务委员会 (p.10) and 珠海市商务局 (p.10)
    print 21598 with 2159802 制造业, 珠海市政府投资交通市政项目工务中心 (p.7) 21298 with 2129801
    城乡社区公共设施 (stop 40): by name alone under their 类 the rows get these codes, and the codes are
    no longer reported as missing from the list."""
    result = process_text(tmp_path, """
表3：2026年部门支出总体情况表
单位：万元
功能分类科目名称\t总计
合计\t3161.59
教育支出\t182.00
超长期特别国债安排的支出\t182.00
职业教育\t182.00
农林水支出\t2979.59
超长期特别国债安排的支出\t2979.59
水利支出\t2979.59
""")
    assert cells(result, "item_name", "subject_code")[1:] == [
        ("教育支出", "205"), ("超长期特别国债安排的支出", "20598"), ("职业教育", "2059803"),
        ("农林水支出", "213"), ("超长期特别国债安排的支出", "21398"), ("水利支出", "2139802"),
    ]
    assert not [c for c in result.resources["checks"] if c["check_id"] == "code_in_codelist" and c["status"] == "failed"]


def test_the_ultra_long_treasury_bond_codes_printed_in_2026_are_known(tmp_path):
    """珠海市商务局 2026 (p.10) and 珠海市政府投资交通市政项目工务中心 2026 (p.7) print the codes: no
    code_in_codelist failure for 21598 / 2159802 or 21298 / 2129801."""
    result = process_text(tmp_path, """
表3：本年支出总体情况表
单位：万元
科目编码\t科目名称\t合计
\t合计\t6913.80
215\t资源勘探工业信息等支出\t97.80
21598\t超长期特别国债安排的支出\t97.80
2159802\t制造业\t97.80
212\t城乡社区支出\t6816.00
21298\t超长期特别国债安排的支出\t6816.00
2129801\t城乡社区公共设施\t6816.00
""")
    assert [c for c in cells(result, "subject_code")[1:]] == [
        ("215",), ("21598",), ("2159802",), ("212",), ("21298",), ("2129801",)]
    assert not [c for c in result.resources["checks"] if c["check_id"] == "code_in_codelist" and c["status"] == "failed"]
