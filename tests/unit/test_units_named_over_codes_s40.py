"""Budget units printed by their names alone over their codes, in a table without a unit column
(yusuan/interpret/budget_units.py ``units_named_over_codes``; stop 40).

广州市卫生健康委员会 2026 部门预算, 表11 部门预算基本支出预算表 (p.26, read from the page image):
合计 | 广州市卫生健康委员会（本级） 10,345.32 | 工资福利支出 7,324.88 | 商品和服务支出 1,113.53 |
对个人和家庭的补助 1,906.91 | 广州市胸科医院 36,967.40 | 工资福利支出 30,220.95 …, the units flush
left and their economic classes indented. 深圳市生态环境局 2026, 表4 基本支出总表 (p.124 ff.):
深圳市生态环境局 51,374.73 | 深圳市生态环境局（本级） 8,357.40 | 工资福利支出 … | 深圳市饮用水源保护
管理办公室 1,679.99 | 工资福利支出 1,323.72 …. Only the department's own name was a unit row, so
the later units were items of the first, their codes counted again under it.
"""

from __future__ import annotations

from tests.unit.test_layout_rules import cells, failed, process_text
from yusuan.interpret.budget_units import units_named_over_codes

GUANGZHOU = """
表11
部门预算基本支出预算表
单位名称：广州市卫生健康委员会 单位：万元
支出项目类别（资金使用单位）\t总计
合计\t47312.72
广州市卫生健康委员会（本级）\t10345.32
301\t工资福利支出\t7324.88
302\t商品和服务支出\t1113.53
303\t对个人和家庭的补助\t1906.91
广州市胸科医院\t36967.40
301\t工资福利支出\t30220.95
302\t商品和服务支出\t1471.74
303\t对个人和家庭的补助\t5274.72
"""


def test_a_later_unit_named_over_its_codes_is_a_unit_row(tmp_path):
    result = process_text(tmp_path, GUANGZHOU.replace("支出项目类别（资金使用单位）\t", "科目编码\t支出项目类别（资金使用单位）\t").replace("\n合计", "\n\t合计").replace("\n广州", "\n\t广州"), issuer="广州市卫生健康委员会")
    got = cells(result, "item_name", "subject_code", "row_role", "budget_unit")
    assert got == [
        ("合计", "", "total", ""),
        ("广州市卫生健康委员会(本级)", "", "subtotal", "广州市卫生健康委员会（本级）"),
        ("工资福利支出", "301", "item", "广州市卫生健康委员会（本级）"),
        ("商品和服务支出", "302", "item", "广州市卫生健康委员会（本级）"),
        ("对个人和家庭的补助", "303", "item", "广州市卫生健康委员会（本级）"),
        ("广州市胸科医院", "", "subtotal", "广州市胸科医院"),
        ("工资福利支出", "301", "item", "广州市胸科医院"),
        ("商品和服务支出", "302", "item", "广州市胸科医院"),
        ("对个人和家庭的补助", "303", "item", "广州市胸科医院"),
    ]
    # each unit's row is compared with its codes, the total with all: 36,967.40 printed against
    # 30,220.95 + 1,471.74 + 5,274.72 = 36,967.41 is the rounding of the printed amounts (info)
    hierarchy = [c for c in result.resources["checks"] if c["check_id"] == "total_equals_top_level_rows"]
    assert [(c["status"], c["severity"]) for c in hierarchy] == [("passed", "warning"), ("failed", "info")]
    assert "广州市胸科医院" in hierarchy[1]["message"] and "合计" in hierarchy[1]["message"]


def test_names_alone_get_their_codes_under_each_unit(tmp_path):
    """深圳 prints the economic classes by name only: the codes are inferred, start again under
    each unit, and the unit printed with nothing under it before the next is a unit too."""
    result = process_text(tmp_path, """
表4
基本支出总表
部门名称：深圳市生态环境局 单位：万元
支出项目类别\t总计
深圳市生态环境局\t1680.99
深圳市生态环境局（本级）\t1.00
资本性支出\t1.00
办公设备购置\t1.00
一带一路环境技术交流与转移中心（深圳）\t0.00
深圳市饮用水源保护管理办公室\t1679.99
工资福利支出\t1679.99
基本工资\t1679.99
""", issuer="深圳市生态环境局")
    assert cells(result, "item_name", "subject_code", "row_role", "budget_unit") == [
        ("深圳市生态环境局", "", "total", "深圳市生态环境局"),
        ("深圳市生态环境局(本级)", "", "subtotal", "深圳市生态环境局（本级）"),
        ("资本性支出", "310", "item", "深圳市生态环境局（本级）"),
        ("办公设备购置", "31002", "item", "深圳市生态环境局（本级）"),
        ("一带一路环境技术交流与转移中心(深圳)", "", "subtotal", "一带一路环境技术交流与转移中心（深圳）"),
        ("深圳市饮用水源保护管理办公室", "", "subtotal", "深圳市饮用水源保护管理办公室"),
        ("工资福利支出", "301", "item", "深圳市饮用水源保护管理办公室"),
        ("基本工资", "30101", "item", "深圳市饮用水源保护管理办公室"),
    ]
    assert not failed(result, "total_equals_top_level_rows")


def _row(number: int, name: str, code: str = "", role: str = "item") -> dict:
    return {"row_number": number, "column_number": 2, "item_name_printed": name, "subject_code": code, "row_role": role, "is_of_which": False}


def test_only_where_the_codes_start_again():
    """A named row between a parent code and its sub-codes is no unit (the codes go on under
    it), nor a row whose label names no organisation, nor anything in a table without a first
    unit row or without codes."""
    rows = [_row(1, "合计", role="total"), _row(2, "某局（本级）"), _row(3, "工资福利支出", "301"), _row(4, "某市人民医院"),
            _row(5, "基本工资", "30101"), _row(6, "其他"), _row(7, "工资福利支出", "301"), _row(8, "某市信息中心"), _row(9, "工资福利支出", "301")]
    assert units_named_over_codes(rows, {2: "某局（本级）"}) == {8: "某市信息中心"}
    assert units_named_over_codes(rows, {}) == {}
    uncoded = [dict(r, subject_code="") for r in rows]
    assert units_named_over_codes(uncoded, {2: "某局（本级）"}) == {}


def test_a_units_rows_are_parts_of_its_row_not_of_the_next_units(tmp_path):
    """The hierarchy (yusuan/interpret/hierarchy.py): a unit's codes are parts of the unit's
    row printed above them, not of the next unit's row printed below them (a subtotal closes
    the rows above it only within its own unit); the unit rows are parts of the total."""
    result = process_text(tmp_path, GUANGZHOU.replace("支出项目类别（资金使用单位）\t", "科目编码\t支出项目类别（资金使用单位）\t").replace("\n合计", "\n\t合计").replace("\n广州", "\n\t广州"), issuer="广州市卫生健康委员会")
    assert cells(result, "row_number", "parent_row_number", "is_leaf") == [
        (1, None, False), (2, 1, False), (3, 2, True), (4, 2, True), (5, 2, True), (6, 1, False), (7, 6, True), (8, 6, True), (9, 6, True),
    ]
