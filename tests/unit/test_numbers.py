from decimal import Decimal

import pytest

from yusuan.core.numbers import find_unit, is_blank, parse_amount, to_yuan


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1182.04", Decimal("1182.04")),
        ("15,897.44", Decimal("15897.44")),
        ("１５，８９７.４４", Decimal("15897.44")),  # full-width digits and comma
        ("-3.50", Decimal("-3.50")),
        ("(3.50)", Decimal("-3.50")),
        ("0", Decimal("0")),
        ("0.00", Decimal("0.00")),
        (" 2 542.60 ", Decimal("2542.60")),  # a space inside a cell from wrapping
    ],
)
def test_parse_amount(printed, expected):
    assert parse_amount(printed) == expected


@pytest.mark.parametrize("printed", ["", "-", "—", "  ", None])
def test_blank_is_not_zero(printed):
    assert parse_amount(printed) is None
    assert is_blank(printed)


@pytest.mark.parametrize("printed", ["合计", "12%", "1.2.3", "abc"])
def test_non_numbers_are_rejected(printed):
    with pytest.raises(ValueError):
        parse_amount(printed)


def test_to_yuan_is_exact():
    assert to_yuan(Decimal("1011.95"), "万元") == Decimal("10119500.00")
    assert to_yuan(Decimal("1.2345"), "亿元") == Decimal("123450000.00")
    assert to_yuan(Decimal("12"), "元") == Decimal("12.00")


@pytest.mark.parametrize(
    ("line", "unit"),
    [("单位：万元", "万元"), ("部门名称：江苏省人大常委会办公厅 单位:万元", "万元"), ("金额单位：元", "元"), ("单位： 亿元", "亿元"), ("2026年度收支预算总表", None)],
)
def test_find_unit(line, unit):
    assert find_unit(line) == unit
