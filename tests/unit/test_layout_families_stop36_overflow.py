"""Families of layouts read by general rules (stop 36), from pages cut out of the wide corpus.

- 上海 数据局 2026 prints its 收入预算总表 wider than the page (corpus-wide 05 pp.8–10, fixture
  tests/fixtures/corpus-wide-pages/sh-shujuju-2026-dwys-p8-p9-p10.pdf): the top header row is
  项目 | 收入预算, the 收入预算 cell drawn without a right rule (its last column, 其他收入, and the
  unit line 单位：元 are printed on the overflow page, p.10). Read off the pages rendered at
  scale 2: p.8's last row is 2101101 行政单位医疗 913,138 | 913,138 with 事业收入 and 事业单位经营收入
  blank; p.9 ends with 合计 471,452,100 | 471,452,100; p.10 prints 单位：元 over the 其他收入
  column and nothing else.
- 西安 气象局 2022 p.30 表13 (fixture xa-qixiang-2022-bmys-p30.pdf) prints its narrow 序号 header
  cell as 序 with 号 cut off at the cell's rule; the column holds the row numbers 1–4.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.core.model import (
    COVERED_LEFT,
    Origin,
    RawTable,
    SourceDocument,
    SourceFile,
    TextLine,
    Word,
)
from yusuan.core.schemas import load_registry
from yusuan.extract.pdfium import pdf_to_blocks
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.layout.cells import text_of
from yusuan.layout.continuation import append_continuation
from yusuan.layout.tables import read_tables

PAGES = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages"
SHANGHAI = PAGES / "sh-shujuju-2026-dwys-p8-p9-p10.pdf"
XIAN = PAGES / "xa-qixiang-2022-bmys-p30.pdf"
ZHENGXIE = Path(__file__).parents[1] / "fixtures" / "corpus" / "06_js-zhengxie-2017-bmys" / "tables.pdf"
DOC = SourceDocument("doc", "issuer", "region", 2026, "部门预算", ())


def _tables(path: Path) -> list[RawTable]:
    found = pdf_to_blocks(SourceFile(path, "full", "0" * 64))
    tables, _findings, _claims = read_tables(found.blocks, load_registry())
    return tables


def _revenue_summary() -> RawTable:
    return next(t for t in _tables(SHANGHAI) if t.table_id == "revenue_summary")


# -- a top header cell left open on the right (上海 数据局 收入预算) ---------------------------------

def test_header_text_of_a_top_row_open_on_the_right_stays_in_the_header() -> None:
    table = _revenue_summary()
    assert "收入预算" in [text_of(c) for c in table.header[0]]
    assert not any("收入预算" in text_of(c) or "项目" in text_of(c) for row in table.body for c in row)


def test_the_last_row_before_the_page_break_is_read_as_printed() -> None:
    table = _revenue_summary()
    row = next(r for r, o in zip(table.body, table.body_origins, strict=True) if o.page == 1 and text_of(r[3]) == "行政单位医疗")
    assert [text_of(c) for c in row] == ["210", "11", "01", "行政单位医疗", "913,138", "913,138", "", ""]


def test_the_columns_under_the_open_cell_take_it_as_their_group() -> None:
    table = _revenue_summary()
    top = table.header[0]
    first = [text_of(c) for c in top].index("收入预算")
    assert top[:first] == ["项目", COVERED_LEFT, COVERED_LEFT, COVERED_LEFT]
    assert all(c is None for c in top[first + 1:])  # open: no cell, the group header from the left


# -- a unit line printed over a later part of the table (上海 数据局 p.10) ---------------------------

def test_the_unit_printed_on_the_overflow_page_is_the_tables_unit() -> None:
    table = _revenue_summary()
    assert table.unit_text == "元"
    total = next(r for r in table.body if text_of(r[0]) == "合计")
    assert [text_of(c) for c in total[4:6]] == ["471,452,100", "471,452,100"]


def _origin(page: int, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def test_a_unit_line_between_parts_is_no_piece_of_a_cell_and_the_first_unit_stays() -> None:
    registry = load_registry()
    bounds = [(0.0, 100.0), (100.0, 200.0)]
    table = RawTable("t", "t", "", "", "", [["项目", "合计"]], [["合计", "10"]], [_origin(1)], [], _origin(1), 1, column_bounds=list(bounds))
    unit = TextLine("单位：元", _origin(2), words=(Word(120.0, 160.0, "单位：元"),))
    taken = append_continuation(table, [["其他", "5"]], bounds, [_origin(2, 2)], [unit], registry)
    assert table.body == [["合计", "10"], ["其他", "5"]]
    assert table.unit_text == "元" and unit in taken
    printed = RawTable("t", "t", "", "万元", "", [["项目", "合计"]], [["合计", "10"]], [_origin(1)], [], _origin(1), 1, column_bounds=list(bounds))
    append_continuation(printed, [], bounds, [], [unit], registry)
    assert printed.unit_text == "万元"  # the unit printed first is kept


# -- what the rule leaves alone ---------------------------------------------------------------

def test_a_label_in_a_top_row_open_on_the_left_stays_a_line() -> None:
    # 江苏 政协 2017 tables p.3: 表三 printed over a frame whose top row starts with no cell
    found = pdf_to_blocks(SourceFile(ZHENGXIE, "full", "0" * 64))
    lines = [b.text for b in found.blocks if isinstance(b, TextLine) and b.origin.page == 3]
    assert "表三" in lines


# -- a header cut off at its cell's rule (西安 气象局 序号) ---------------------------------------

def test_a_clipped_row_number_header_is_no_column_of_amounts() -> None:
    registry = load_registry()
    tables = [t for t in _tables(XIAN) if t.table_id == "three_public_expenses"]
    assert len(tables) == 1
    assert text_of(tables[0].header[0][0]) == "序"
    rows, findings = tables_to_rows(tables, DOC, registry)
    headers = {row["column_header"] for row in rows[tables[0].sequence]}
    assert not any(h.startswith("序") for h in headers)
    assert not [f for f in findings if f.check_id == "column_identified"]
    # row 4 西安市人工影响天气服务保障中心 prints 2021 合计 12240
    assert any(row.get("value_printed") == "12240" for row in rows[tables[0].sequence])
