"""A column's total is the sum of its top-level codes also where the column prints items
without a code that hold nothing beside the codes (yusuan/checks/table_rules.py
``_uncoded_parts``; stop 40).

Before, any printed item without a code switched ``total_equals_top_level_rows`` off for its
column, as it may be a part of the total beside the codes (广东's 二十四、对附属单位补助支出). Two
kinds cannot be: a whole of coded rows (重庆, 苏州, 无锡, 长沙 财政拨款收支总表: 一、本年支出 over
（一）社会保障和就业支出 …: corpus-wide 15 cq-qixiang p.11 表四, read from the page image, prints 一、本年支出
13,252.62 = 82.51 + 31.68 + 579.89 + 12,418.84 + 39.70 + 100.00, its six classes), whose amount the
coded rows below it hold, and an item printed 0.00 (结转下年 0.00 after the
function classes of 福州's and 深圳's 收支总表), which adds nothing.
"""

from __future__ import annotations

from tests.unit.test_layout_rules import process_text


def _code_totals(result):
    return [(c["status"], c["expected"], c["actual"]) for c in result.resources["checks"] if c["check_id"] == "total_equals_top_level_rows" and c["message"].endswith("total = Σ top-level codes")]


TABLE = """
表3：2026年市级部门支出预算总表
单位：万元
功能分类科目名称\t总计
一、本年支出\t{whole}
（一）一般公共服务支出\t60.00
（二）教育支出\t40.00
二、结转下年\t{balance}
合计\t{total}
"""


def test_a_whole_of_coded_rows_and_a_zero_item_leave_the_check_on(tmp_path):
    result = process_text(tmp_path, TABLE.format(whole="100.00", balance="0.00", total="100.00"))
    assert [s for s, _e, _a in _code_totals(result)] == ["passed"]


def test_the_codes_not_adding_up_to_the_total_are_reported(tmp_path):
    # the same layout with a total the classes do not make: now found by the codes too
    result = process_text(tmp_path, TABLE.format(whole="110.00", balance="0.00", total="110.00"))
    assert [(s, str(e), str(a)) for s, e, a in _code_totals(result)] == [("failed", "100.00", "110.00")]  # expected: Σ codes, actual: the total printed


def test_an_uncoded_item_holding_an_amount_still_switches_it_off(tmp_path):
    # 结转下年 5.00 is a part of the total beside the codes: the codes alone do not make it
    result = process_text(tmp_path, TABLE.format(whole="100.00", balance="5.00", total="105.00"))
    assert _code_totals(result) == []
