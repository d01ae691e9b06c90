"""A cell merged from an attribute column over the label column prints the row's label
(yusuan/interpret/normalize.py ``_label_merged_from_an_attribute``).

西安's 2025–2026 三公 table (表13 of 西安市审计局（汇总）2026, corpus-wide 54 p.35, fixture
tests/fixtures/corpus-wide-pages/xa-shenji-2026-bmys-p22-p25-p26-p35.pdf page 4) prints its
first row's 合计 in one cell across 单位编码 | 单位名称 (no rule between them on that row; read
from the page image at scale 6). 单位编码 is an attribute column (a unit code, not a
classification code), so the row was published with no label and ``单位编码: 合计``; the golden
typed from the page (tests/golden/xa-shenji-2026-bmys-p22-p25-p26-p35) has 合计 as its label.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT
from yusuan.interpret.dimensions import Column
from yusuan.interpret.normalize import resolve_covered

FIXTURE = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "xa-shenji-2026-bmys-p22-p25-p26-p35.pdf"


def _columns(first_role: str) -> list[Column]:
    return [
        Column(1, first_role, ["单位编码"]),
        Column(2, "label", ["单位名称"], unit_column=True),
        Column(3, "amount", ["合计"], measure="total"),
    ]


def test_a_cell_merged_from_an_attribute_over_the_label_is_the_label():
    assert resolve_covered(["合计", COVERED_LEFT, "526,000.00"], [None] * 3, _columns("attribute")) == [None, "合计", "526,000.00"]


def test_rows_printing_both_cells_and_other_merges_are_read_as_before():
    columns = _columns("attribute")
    assert resolve_covered(["117", "西安市审计局", "1.00"], [None] * 3, columns) == ["117", "西安市审计局", "1.00"]
    # a code column merged over its label keeps its text where it is printed (_label_for reads it)
    assert resolve_covered(["合计", COVERED_LEFT, "1.00"], [None] * 3, _columns("code")) == ["合计", None, "1.00"]
    # a label covered from above reads the cell above, as before
    assert resolve_covered(["117", COVERED_ABOVE, "1.00"], [None, "西安市审计局", None], columns) == ["117", "西安市审计局", "1.00"]


def test_the_three_public_total_row_of_the_xian_2026_pages_is_labelled():
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document

    manifest = FIXTURE.parent / "manifest.csv"
    document = next(d for d in read_manifest(manifest) if d.document_id == FIXTURE.stem)
    rows = [a for a in process_document(document).resources["amounts"] if a["table_id"] == "three_public_expenses" and a["row_number"] == 1]
    assert rows and {(a["item_name_printed"], a["row_role"], a["row_attributes"]) for a in rows} == {("合计", "total", "")}
