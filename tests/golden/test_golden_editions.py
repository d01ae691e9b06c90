"""Codes across editions: the document's edition, today's code, COFOG; printed names win.

Expected values are typed from the pages (tests/golden/*/amounts.csv and the notes there).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from yusuan.cofog import cofog_weight_rows


def _row(result, table_id, code):
    return next(a for a in result.resources["amounts"] if a["table_id"] == table_id and a["subject_code"] == code)


def test_2017_economic_codes_keep_their_printed_names_and_map_to_today(processed):
    """js-gaoyuan-2017 p14 (财政拨款基本支出预算表) prints 30311 住房公积金 1,029.15 and 30104
    其他社会保障缴费 64.80 (万元): the 2017 edition; today they are 30113 and 30112."""
    result = processed["js-gaoyuan-2017-bmys"]
    table = "fiscal_appropriation_basic_expenditure_by_economic_class"
    fund = _row(result, table, "30311")
    assert (fund["item_name"], fund["amount"]) == ("住房公积金", Decimal("1029.15"))
    assert (fund["code_edition"], fund["current_code"], fund["code_changed"]) == ("2017", "30113", True)
    other = _row(result, table, "30104")
    assert (other["amount"], other["current_code"], other["code_changed"]) == (Decimal("64.80"), "30112", True)
    basic = _row(result, table, "30101")
    assert (basic["code_edition"], basic["current_code"], basic["code_changed"]) == ("2017", "30101", False)
    listed = {r["code"]: r for r in result.resources["economic_classification"]}
    assert listed["30311"]["name_zh"] == "住房公积金"  # not today's 代缴社会保险费
    assert listed["30311"]["name_source"] == "document" and listed["30311"]["name_en"] == ""
    assert listed["30101"]["name_source"] == "reference"


def test_2018_economic_codes_are_todays(processed):
    """js-renda-2018 p12 prints 30113 住房公积金 572.56 (万元): the 2018 reform's code."""
    fund = _row(processed["js-renda-2018-bmys"], "fiscal_appropriation_basic_expenditure_by_economic_class", "30113")
    assert (fund["amount"], fund["code_edition"], fund["current_code"], fund["code_changed"]) == (Decimal("572.56"), "2018+", "30113", False)


def test_classes_printed_by_name_get_the_code_of_their_edition(processed):
    """The 收支预算总表 prints its classes by name only: 2018 (js-renda-2018 p8) in the old
    names 九、医疗卫生与计划生育支出 and 十七、国土海洋气象等支出, 2019 (js-renda-2019) in
    the new 九、卫生健康支出 but still the old 十四、资源勘探信息等支出."""
    def classes(document_id):
        rows = processed[document_id].resources["amounts"]
        return {a["item_name"]: a for a in rows if a["table_id"] == "revenue_expenditure_summary" and a["subject_level"] == "class"}

    old = classes("js-renda-2018-bmys")
    assert old["医疗卫生与计划生育支出"]["subject_code"] == "210"
    assert old["国土海洋气象等支出"]["subject_code"] == "220"
    assert old["文化体育与传媒支出"]["code_changed"] is True  # 2019: tourism joined class 207
    assert old["医疗卫生与计划生育支出"]["subject_code_source"] == "inferred_from_name"
    new = classes("js-renda-2019-bmys")
    assert new["卫生健康支出"]["subject_code"] == "210"
    assert new["资源勘探信息等支出"]["subject_code"] == "215"
    assert new["卫生健康支出"]["code_edition"] == "2019+"


def test_every_function_item_has_a_cofog_division(processed):
    """All 项 of the golden function tables have a division (a 项 takes its 款's mapping):
    行政运行 of 人大事务 (2010101) is 01 general public services, 提租补贴 (2210202) 06 housing."""
    for document_id in ("js-renda-2018-bmys", "js-gaoyuan-2017-bmys", "sh-putuo-wanli-2024-bmys", "fj-quanzhou-12345-2026-dwys"):
        items = [a for a in processed[document_id].resources["amounts"] if a["function_code"] and a["subject_level"] == "item"]
        assert items and all(a["cofog_division"] for a in items), document_id
    rows = processed["js-renda-2018-bmys"].resources["amounts"]
    assert next(a for a in rows if a["subject_code"] == "2010101")["cofog_division"] == "01"
    assert next(a for a in rows if a["subject_code"] == "2210202")["cofog_division"] == "06"


def test_cofog_weights_of_each_code_sum_to_one():
    total = defaultdict(Decimal)
    for row in cofog_weight_rows():
        assert row["division"] in {f"{n:02d}" for n in range(1, 11)}
        total[row["code"]] += row["weight"]
    assert total and set(total.values()) == {Decimal(1)}
    assert total.keys() >= {"201", "2010101", "215"}
