"""A table that lists its units under the department's row, each with nothing under it, names
the department first and then again as its own part (杭州 收入总表: 合计 | 杭州市公安局 | 杭州市公安局
(indented) | 杭州市公安局交通管理支队 …; 西安: the same name twice; 无锡: the name, then the name
（本级）): the first unit row is the department's whole, a subtotal under 合计, and the units
below it are its parts, items and leaves (``budget_units.lists_units_under_department``,
``hierarchy.lists_its_unit``). Before, every unit row was a subtotal of 合计: no row of the table
was a leaf, and 合计's parts counted the department twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.unit.test_code_parents_by_unit import line
from yusuan.interpret.budget_units import mark_budget_units
from yusuan.interpret.hierarchy import add_hierarchy, parent_rows

FIXTURE = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "hz-gongan-2026-bmys-p21-p22.pdf"


def _rows(*names: str) -> list[dict]:
    rows = [{"row_number": 1, "column_number": 2, "row_role": "total", "item_name": "合计"}]
    rows += [{"row_number": n, "column_number": 2, "row_role": "item", "item_name": name} for n, name in enumerate(names, start=2)]
    return rows


def _roles(rows: list[dict]) -> list[str]:
    return [r["row_role"] for r in rows]


def test_the_department_named_again_heads_its_units():
    rows = _rows("某局", "某局", "某局交通支队", "某考试中心")
    mark_budget_units(rows, {2: "某局", 3: "某局", 4: "某局交通支队", 5: "某考试中心"}, {"某局"})
    assert _roles(rows) == ["total", "subtotal", "item", "item", "item"]
    rows = _rows("某局", "某局（本级）", "某中心")  # 无锡: the department, then its 本级
    mark_budget_units(rows, {2: "某局", 3: "某局（本级）", 4: "某中心"}, {"某局"})
    assert _roles(rows) == ["total", "subtotal", "item", "item"]


def test_units_without_the_department_named_twice_stay_subtotals():
    """珠海 商务局: 合计 | 珠海市商务局 | 珠海市贸易服务中心 …: the first may be the whole or its own
    part; the names do not say."""
    rows = _rows("某局", "某中心", "某所")
    mark_budget_units(rows, {2: "某局", 3: "某中心", 4: "某所"}, {"某局"})
    assert _roles(rows) == ["total", "subtotal", "subtotal", "subtotal"]


def test_rows_under_a_unit_or_labelled_otherwise_are_left_as_they_were():
    rows = _rows("某局", "某局", "工资福利支出")  # something under the units: not a list of units
    mark_budget_units(rows, {2: "某局", 3: "某局"}, {"某局"})
    assert _roles(rows)[:3] == ["total", "subtotal", "subtotal"]
    rows = _rows("日常保障运行", "综合交通规划", "行业管理")  # 杭州 项目支出表: a project per row, its unit in a column
    mark_budget_units(rows, {2: "某局", 3: "某局", 4: "某中心"}, {"某局"})
    assert _roles(rows) == ["total", "subtotal", "subtotal", "subtotal"]


def test_the_units_are_parts_and_leaves_of_the_department_row():
    rows = _rows("某局", "某局（本级）", "某中心")
    mark_budget_units(rows, {2: "某局", 3: "某局（本级）", 4: "某中心"}, {"某局"})
    for row in rows:
        row.update(table_sequence=1, subject_code="", subject_level=None, item_level=0, is_of_which=False, row_attributes="")
    add_hierarchy(rows)
    assert [(r["row_number"], r["parent_row_number"], r["is_leaf"]) for r in rows] == [(1, None, False), (2, 1, False), (3, 2, True), (4, 2, True)]


def test_hangzhou_public_security_revenue_table():
    """hz-gongan p.21 (read from the page image at scale 1.6): 合计 404,415.23; 杭州市公安局
    404,415.23; then, indented, 杭州市公安局 113,529.06, 杭州市公安局交通管理支队 168,527.35,
    杭州市公安局巡特警支队 26,263.80 … (总计 column)."""
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document

    document = next(d for d in read_manifest(FIXTURE.parent / "manifest.csv") if d.document_id == FIXTURE.stem)
    rows = [a for a in process_document(document).resources["amounts"] if a["table_id"] == "revenue_summary" and a["column_header"] == "总计"]
    by_number = {a["row_number"]: a for a in rows}
    shown = [(a["item_name_printed"][:12], a["amount"], a["row_role"], a["is_leaf"], by_number[a["parent_row_number"]]["amount"] if a["parent_row_number"] else None) for a in rows[:5]]
    assert shown == [
        ("合计", Decimal("404415.23"), "total", False, None),
        ("杭州市公安局", Decimal("404415.23"), "subtotal", False, Decimal("404415.23")),
        ("杭州市公安局", Decimal("113529.06"), "item", True, Decimal("404415.23")),
        ("杭州市公安局交通管理支队", Decimal("168527.35"), "item", True, Decimal("404415.23")),
        ("杭州市公安局巡特警支队", Decimal("26263.80"), "item", True, Decimal("404415.23")),
    ]
    department = rows[1]["row_number"]
    assert all(a["parent_row_number"] == department and a["is_leaf"] for a in rows[2:])
    assert len(rows) == 13


def test_units_with_projects_under_the_department_named_again():
    """西安 项目支出表: 合计 | 西安市民政局 (the department, = 合计) | 西安市民政局 (its own part) over its
    projects | 西安市第一社会福利院 over its projects: every unit's row is a part of the department's."""
    lines = [
        line(1, "total"),
        line(2, "subtotal", unit="某局", unit_row=True),
        line(3, "subtotal", unit="某局", unit_row=True),
        line(4, "item", unit="某局"),
        line(5, "subtotal", unit="某福利院", unit_row=True),
        line(6, "item", unit="某福利院"),
    ]
    assert parent_rows(lines) == {2: 1, 3: 2, 4: 3, 5: 2, 6: 5}


def test_a_unit_printed_again_under_another_heading_is_no_department():
    """苏州 政府采购表: 货物 | 苏州市审计局 over its purchases | 服务 | 苏州市审计局 again: the unit's two rows
    are not the department and its part (not printed one right under the other)."""
    lines = [line(1, "total"), line(2, "subtotal", unit="某局", unit_row=True), line(3, "item", unit="某局"), line(4, "subtotal", unit="某局", unit_row=True), line(5, "item", unit="某局")]
    assert parent_rows(lines)[4] == 1
