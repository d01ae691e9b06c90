"""Each amount row's budget_unit is the unit named on the nearest unit row at or above it
(found by bisection among the unit rows), whatever order the rows come in."""

from __future__ import annotations

import random

from yusuan.interpret.budget_units import mark_budget_units


def test_the_nearest_unit_row_at_or_above():
    rng = random.Random(5)
    rows = [{"row_number": n, "column_number": c, "row_role": "item"} for n in range(1, 13) for c in (3, 2)]
    rng.shuffle(rows)
    unit_rows = {4: "单位甲", 7: "单位乙", 8: "单位丙"}
    mark_budget_units(rows, unit_rows, {"某部门"})
    expected = {n: "" if n < 4 else "单位甲" if n < 7 else "单位乙" if n == 7 else "单位丙" for n in range(1, 13)}
    assert {r["row_number"]: r["budget_unit"] for r in rows} == expected
    assert all(r["budget_unit"] == expected[r["row_number"]] for r in rows)
    assert {r["row_number"] for r in rows if r["row_role"] == "subtotal"} == {4, 7, 8}


def test_a_department_row_first_without_a_total_is_the_total():
    rows = [{"row_number": n, "column_number": 2, "row_role": "item"} for n in (1, 2, 3)]
    mark_budget_units(rows, {1: "某部门", 3: "单位甲"}, {"某部门"})
    assert [(r["budget_unit"], r["row_role"]) for r in rows] == [("某部门", "total"), ("某部门", "item"), ("单位甲", "subtotal")]
