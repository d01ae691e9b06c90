"""The hierarchy rules on small layouts: codes, enumerators, 其中 rows, subtotals, totals."""

from __future__ import annotations

from yusuan.core.vocabulary import pattern
from yusuan.interpret.hierarchy import add_hierarchy

ROW_ENUMERATOR = pattern("row_enumerator")


def rows(*specs, side=""):
    """(label, role, enumerator level, of_which, code) -> one amount row per printed row."""
    out = []
    for number, (label, role, level, of_which, code) in enumerate(specs, start=1):
        out.append({
            "table_sequence": 1, "row_number": number, "column_number": 1, "side": side, "column_group": "", "item_name_printed": label,
            "item_name": ROW_ENUMERATOR.sub("", label),
            "row_role": role, "item_level": level, "is_of_which": of_which, "subject_code": code,
            "subject_level": {3: "class", 5: "section", 7: "item"}.get(len(code), ""),
        })
    add_hierarchy(out)
    return {r["item_name_printed"]: (r["parent_row_number"], r["is_leaf"]) for r in out}


def test_codes_nest_by_prefix_under_a_total_printed_first():
    tree = rows(
        ("合计", "total", 0, False, ""),
        ("一般公共服务支出", "item", 0, False, "201"),
        ("财政事务", "item", 0, False, "20106"),
        ("行政运行", "item", 0, False, "2010601"),
        ("其他财政事务支出", "item", 0, False, "2010699"),
        ("住房保障支出", "item", 0, False, "221"),
        ("住房公积金", "item", 0, False, "2210201"),  # a 项 printed without its 款
    )
    assert tree["合计"] == (None, False)
    assert tree["一般公共服务支出"] == (1, False)
    assert tree["财政事务"] == (2, False)
    assert tree["行政运行"] == (3, True) and tree["其他财政事务支出"] == (3, True)
    assert tree["住房公积金"] == (6, True)


def test_of_which_rows_are_parts_never_leaves():
    tree = rows(
        ("合计", "total", 0, False, ""),
        ("1、因公出国（境）费用", "item", 3, False, ""),
        ("2、公务用车购置及运行费", "item", 3, False, ""),
        ("其中：（1）公务用车购置费", "item", 4, True, ""),
        ("（2）公务用车运行费", "item", 4, True, ""),
    )
    assert tree["2、公务用车购置及运行费"] == (1, True)  # its only parts are 其中 rows
    assert tree["其中：（1）公务用车购置费"] == (3, False)
    assert tree["（2）公务用车运行费"] == (3, False)


def test_items_belong_to_the_subtotal_below_them_and_it_to_the_total():
    tree = rows(
        ("一、财政拨款", "item", 1, False, ""),
        ("1.一般公共预算", "item", 3, False, ""),
        ("2.政府性基金预算", "item", 3, False, ""),
        ("二、其他资金", "item", 1, False, ""),
        ("当年收入小计", "subtotal", 0, False, ""),
        ("上年结转资金", "item", 0, False, ""),
        ("收入合计", "total", 0, False, ""),
        side="revenue",
    )
    assert tree["1.一般公共预算"] == (1, True)
    assert tree["一、财政拨款"] == (5, False)
    assert tree["二、其他资金"] == (5, True)
    assert tree["当年收入小计"] == (7, False)
    assert tree["上年结转资金"] == (7, True)
    assert tree["收入合计"] == (None, False)


def test_funds_printed_without_enumerator_are_parts_of_the_appropriations_above():
    """杭州 / 湖州 / 烟台 收支总表: 一、财政拨款收入 with its funds indented below it, unenumerated;
    湖州 also 上年结转结余 with its funds. The funds are its parts, the 二、 after them is not."""
    tree = rows(
        ("一、财政拨款收入", "item", 1, False, ""),
        ("一般公共预算收入", "item", 0, False, ""),
        ("政府性基金预算收入", "item", 0, False, ""),
        ("国有资本经营预算收入", "item", 0, False, ""),
        ("二、事业收入", "item", 1, False, ""),
        ("本年收入合计", "subtotal", 0, False, ""),
        ("上年结转结余", "item", 0, False, ""),
        ("一般公共预算", "item", 0, False, ""),
        ("政府性基金预算", "item", 0, False, ""),
        ("收入总计", "total", 0, False, ""),
        side="revenue",
    )
    assert tree["一、财政拨款收入"] == (6, False)
    assert tree["一般公共预算收入"] == (1, True) and tree["国有资本经营预算收入"] == (1, True)
    assert tree["二、事业收入"] == (6, True)
    assert tree["上年结转结余"] == (10, False)
    assert tree["一般公共预算"] == (7, True) and tree["政府性基金预算"] == (7, True)


def test_funds_heading_their_own_block_are_not_parts_of_what_is_above():
    """The same fund words as siblings (an 事业收入 above, a subtotal between): no whole above."""
    tree = rows(
        ("事业收入", "item", 0, False, ""),
        ("一般公共预算拨款收入", "item", 0, False, ""),
        ("政府性基金预算拨款收入", "item", 0, False, ""),
        ("本年收入合计", "subtotal", 0, False, ""),
        ("财政拨款收入", "item", 0, False, ""),
        ("本年收入小计", "subtotal", 0, False, ""),
        ("一般公共预算", "item", 0, False, ""),
        ("收入总计", "total", 0, False, ""),
        side="revenue",
    )
    assert tree["一般公共预算拨款收入"] == (4, True)
    assert tree["政府性基金预算拨款收入"] == (4, True)
    assert tree["一般公共预算"] == (8, True)  # the subtotal closes the appropriations' block
