"""The one unit row of a table with a total, with nothing printed under it, is the total's one
part: an item and a leaf, not a subtotal of rows it has none of (yusuan/interpret/budget_units.py
``mark_budget_units``; stop 40).

长沙's 三公 table (tests/fixtures/corpus-wide-pages/cs-zhijiao-2026-bmys-p12-p15-p16-p17-p20.pdf
page 5, read from the page image at scale 2): 部门名称 | 小计 | 公务接待费 | …, then 合计 0.50 0.50 and
长沙市教育局 0.50 0.50, nothing below but the note. The row 长沙市教育局 was a subtotal and no leaf,
so the table had no leaf at all. The same holds for the 收入总表 of one unit (福州, 泉州, 苏州, 无锡,
珠海 工务中心, 广州 信访局: 合计 | the unit's row). Several unit rows with nothing under them are
left as they were where the names do not say whether the first is the department's whole or its own
part (珠海 商务局 then 珠海市贸易服务中心 …); where the department is named again (无锡:
无锡市发展和改革委员会 then its （本级）), the first is the whole (test_units_listed_under_department.py).
"""

from __future__ import annotations

from pathlib import Path

from yusuan.interpret.budget_units import mark_budget_units

FIXTURE = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "cs-zhijiao-2026-bmys-p12-p15-p16-p17-p20.pdf"


def _rows(*roles: str) -> list[dict]:
    return [{"row_number": n, "column_number": 2, "row_role": role} for n, role in enumerate(roles, start=1)]


def test_the_sole_unit_row_under_the_total_keeps_its_role():
    rows = _rows("total", "item")
    mark_budget_units(rows, {2: "长沙市教育局"}, {"长沙职业教育基地综合协调办公室"})
    assert [(r["row_role"], r["budget_unit"]) for r in rows] == [("total", ""), ("item", "长沙市教育局")]


def test_a_unit_row_with_rows_under_it_or_beside_other_units_is_still_a_subtotal():
    rows = _rows("total", "item", "item")  # 合计 | 本级 | its code
    mark_budget_units(rows, {2: "某局（本级）"}, {"某局"})
    assert [r["row_role"] for r in rows] == ["total", "subtotal", "item"]
    rows = _rows("total", "item", "item")  # 合计 | unit | unit
    mark_budget_units(rows, {2: "某局", 3: "某中心"}, {"某局"})
    assert [r["row_role"] for r in rows] == ["total", "subtotal", "subtotal"]
    rows = _rows("item", "item")  # no total: the department's row is the total, as before
    mark_budget_units(rows, {1: "某局"}, {"某局"})
    assert [r["row_role"] for r in rows] == ["total", "item"]


def test_the_changsha_three_public_unit_row_is_a_leaf():
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document

    document = next(d for d in read_manifest(FIXTURE.parent / "manifest.csv") if d.document_id == FIXTURE.stem)
    rows = [a for a in process_document(document).resources["amounts"] if a["table_id"] == "three_public_expenses" and not a["is_blank"]]
    assert sorted((a["item_name_printed"], a["measure"], str(a["amount"]), a["row_role"], a["is_leaf"]) for a in rows) == [
        ("合计", "official_reception", "0.50", "total", False),
        ("合计", "three_public_total", "0.50", "total", False),
        ("长沙市教育局", "official_reception", "0.50", "item", True),
        ("长沙市教育局", "three_public_total", "0.50", "item", True),
    ]
