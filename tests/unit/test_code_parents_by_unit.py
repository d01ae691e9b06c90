"""A coded row's parent is the nearest row above printing its parent code *of its own budget
unit*: in a table that lists several units, a 款 printed under unit B without its 类 belongs
to B's row, not to the 类 unit A printed above B's row."""

from __future__ import annotations

from yusuan.interpret.hierarchy import Line, parent_rows


def line(number: int, role: str, code: str = "", unit: str = "", unit_row: bool = False) -> Line:
    return Line(number, role, 0, False, code, (), 0, unit, unit_row)


def test_a_code_under_another_unit_is_not_the_parent():
    lines = [
        line(1, "total"),
        line(2, "subtotal", unit="单位甲", unit_row=True),
        line(3, "item", "201", "单位甲"),
        line(4, "item", "20101", "单位甲"),
        line(5, "subtotal", unit="单位乙", unit_row=True),
        line(6, "item", "20102", "单位乙"),  # its 类 201 printed only under 单位甲
        line(7, "item", "2010201", "单位乙"),
    ]
    parents = parent_rows(lines)
    assert parents[4] == 3  # within a unit: the code above
    assert parents[6] == 5  # not 3, unit 甲's 类: the row of its own unit
    assert parents[7] == 6
    assert parents[2] == parents[5] == 1


def test_rows_without_a_unit_keep_the_nearest_code():
    lines = [line(1, "total"), line(2, "item", "201"), line(3, "item", "20101"), line(4, "item", "20102")]
    assert parent_rows(lines) == {2: 1, 3: 2, 4: 2}
