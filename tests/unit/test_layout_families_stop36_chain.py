"""A table continued over a page that prints only the right part of its rows (stop 36).

北京 文旅局 2026 prints 预算表12 项目支出绩效目标表 on pp.35–170 in the same eleven columns. A
project's cells (项目名称, 项目总额, 财政资金, 其他资金, 绩效目标) span all its indicator rows; when
they run over a page break they have no top rule on the new page, so only the indicator cells to
their right close into a grid. p.143 prints just that: the end of the 绩效目标 text of project
…20381 北京画院画库运维及藏品维护 (begun on p.142) beside one indicator row in the last six columns.
That one-row grid, with no amount, was read as text, which broke the chain: p.144 started a
titleless table and pp.144–170 were published as ``unidentified_1`` with no row. 西安 审计局 2026
p.40 prints the same (the last indicator of the project 审计培训 begun on p.39, right of its
年度绩效指标 cell) and the row was lost.

The pages are copied in ``tests/fixtures/continued/`` (tests/fixtures/SOURCES.csv); every value
below was read from the pages rendered with pypdfium2, not from the program.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from yusuan.core.model import (
    ExtractedDocument,
    Grid,
    Origin,
    RawTable,
    SourceDocument,
    SourceFile,
    TextLine,
)
from yusuan.core.schemas import load_registry
from yusuan.extract.pdfium import pdf_to_blocks
from yusuan.layout.cells import text_of
from yusuan.layout.tables import is_right_part, read_tables, text_grids_to_lines
from yusuan.package.process import extracted_to_result

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "continued"
WENLV = FIXTURES / "bj-wenlv-2026-bmys-p35-p142-p144.pdf"  # tables.pdf pp.35, 142, 143, 144 -> pages 1–4
SHENJI = FIXTURES / "xa-shenji-2026-bmys-p39-p41.pdf"  # publication.pdf pp.39, 40, 41 -> pages 1, 2, 3
REGISTRY = load_registry()
WENLV_TITLE = "预算表12 项目支出绩效目标表"  # as printed on p.35 (pp.36–141 are left out of the fixture)


def _blocks(path: Path) -> list[Grid | TextLine]:
    return pdf_to_blocks(SourceFile(path, "tables", "0" * 64)).blocks


def _tables(blocks: list[Grid | TextLine]) -> list[RawTable]:
    return read_tables(text_grids_to_lines(blocks, REGISTRY), REGISTRY)[0]


def _printed(row: list[str | None]) -> list[str]:
    """A row's cells as printed, wrapped lines joined."""
    return [text_of(c).replace("\n", "") for c in row]


def _rows_on(table: RawTable, page: int) -> list[list[str]]:
    return [_printed(r) for r, o in zip(table.body, table.body_origins, strict=True) if o.page == page]


# -- 北京 文旅局 pp.35, 142–144 ---------------------------------------------------------------

def test_the_page_of_one_indicator_row_continues_the_table() -> None:
    """预算表12 (title and header on p.35) goes on over pp.142–144: p.143's row and p.144's
    rows follow p.142's, none is read as text and none starts a table of its own."""
    [table] = _tables(_blocks(WENLV))
    assert (table.table_id, table.title) == ("performance_target", WENLV_TITLE)
    assert sorted({o.page for o in table.body_origins}) == [1, 2, 3, 4]
    # p.143: 效益指标 | 社会效益指标 | 使作品得到更好的保护 | 定性 | 优 | (no unit), in the last six columns
    assert _rows_on(table, 3) == [["", "", "", "", "", "效益指标", "社会效益指标", "使作品得到更好的保护", "定性", "优", ""]]
    # p.144 opens with the same project's last two indicators, then project …20570
    first = _rows_on(table, 4)
    assert first[0][5:] == ["效益指标", "社会效益指标", "保护作品数量", "≥", "46", "件"]
    assert first[1][5:] == ["满意度指标", "服务对象满意度指标", "使用人员满意度", "≥", "95", "%"]
    assert first[2][:3] == ["11000026T000003720570-北京画院消防灭火剂及钢瓶检测充装", "86.256040", "86.256040"]
    assert first[2][5:] == ["产出指标", "质量指标", "验收合格率", "＝", "100", "%"]


def test_the_text_at_the_top_of_the_fragment_page_ends_the_row_begun_above() -> None:
    """The 绩效目标 of project …20381 (55.939300) runs from p.142 to p.143, where it ends with
    优化工作环节，保证藏品安全。: that line joins the project's row, it is not a line of text."""
    blocks = _blocks(WENLV)
    [table] = _tables(blocks)
    [project] = [_printed(r) for r in table.body if "55.939300" in _printed(r)]
    assert project[0] == "11000026T000003720381-北京画院画库运维及藏品维护"
    assert project[1:3] == ["55.939300", "55.939300"]
    assert project[4].endswith("藏品安全管理能力和工作效率，优化工作环节，保证藏品安全。")
    _t, _f, claims = read_tables(text_grids_to_lines(blocks, REGISTRY), REGISTRY)
    [tail] = [b for b in blocks if isinstance(b, TextLine) and b.text == "优化工作环节，保证藏品安全。"]
    assert claims.role(tail) == "table_row"


def test_the_rows_after_the_fragment_page_are_the_titled_tables_indicators() -> None:
    """The pages after p.143 are 预算表12's: no titleless table is left (the ledger's
    unidentified_1), and their indicators are published with the table's."""
    document = SourceDocument("bj-wenlv-2026-bmys", "北京市文化和旅游局", "北京市", 2026, "部门预算", (SourceFile(WENLV, "tables", "0" * 64),))
    result = extracted_to_result(ExtractedDocument(document, _blocks(WENLV), page_count=4), REGISTRY)
    assert result.resources["source_tables"] == []  # a performance table only: no unidentified_1
    assert not [c for c in result.resources["checks"] if c["check_id"] == "table_identified" and c["status"] == "failed"]
    projects = result.resources["performance_targets"]
    assert projects[0]["page"] == 1
    assert (result.performance_tables, len(projects)) == (1, 6)  # one table of six projects (corpus.py counts the table)
    pages = [i["page"] for i in result.resources["performance_indicators"]]
    assert pages.count(3) == 1 and pages.count(4) == 15  # p.143's one row, p.144's fifteen
    # stop 37: one target row per project; p.143's row and p.144's first two are …20381's (p.142)
    [painting] = [p for p in projects if p["project_name"] == "11000026T000003720381-北京画院画库运维及藏品维护"]
    assert painting["page"] == 2 and painting["funds_total_yuan"] == Decimal("559393.00")
    its_pages = [i["page"] for i in result.resources["performance_indicators"] if i["project_number"] == painting["project_number"]]
    assert its_pages == [2, 3, 4, 4]


# -- 西安 审计局 pp.39–41 -------------------------------------------------------------------

def test_the_last_indicator_on_the_next_page_is_the_projects() -> None:
    """p.40 prints only 满意度指标 | 服务对象满意度指标 | 受训学员满意率 | ≥98% | 10, right of the
    年度绩效指标 cell of the project 审计培训 (p.39): the project's last row."""
    training, _audit = _tables(_blocks(SHENJI))
    assert training.header[0][3] == "审计培训"  # 项目名称 | 审计培训, read as the header
    assert _rows_on(training, 2) == [["", "满意度指标", "服务对象满意度指标", "受训学员满意率", "≥98%", "10"]]


def test_the_next_project_under_its_own_title_stays_a_table_of_its_own() -> None:
    """p.41 prints 表14 部门专项业务经费绩效目标表 again over the next project (审计专项补助经费,
    198.18): two tables, the second one from p.41 only."""
    training, audit = _tables(_blocks(SHENJI))
    assert training.table_id == audit.table_id == "performance_target"
    assert {o.page for o in training.body_origins} == {1, 2}
    assert {o.page for o in audit.body_origins} == {3}
    assert audit.header[0][3] == "审计专项补助经费"
    assert ["其他资金", "198.18"] in [[c for c in _printed(r) if c] for r in audit.body]


# -- the rule on columns alone ---------------------------------------------------------------

TABLE = [(94.6, 157.6), (157.6, 205.5), (205.5, 253.4), (253.4, 298.6), (298.6, 404.7), (404.7, 458.0), (458.0, 511.3), (511.3, 575.3), (575.3, 629.7), (629.7, 692.1), (692.1, 746.5)]


def test_a_right_part_is_on_the_tables_rules_out_to_its_right_edge_without_its_first_column() -> None:
    assert is_right_part(TABLE[5:], TABLE)  # 北京 p.143
    assert is_right_part([(x0 + 1.5, x1 - 1.0) for x0, x1 in TABLE[5:]], TABLE)  # rules drawn a little apart
    assert not is_right_part(TABLE[:6], TABLE)  # the left part: not out to the right edge
    assert not is_right_part(TABLE[-1:], TABLE)  # one column: a box beside the table
    assert not is_right_part([(x0 + 8, x1 + 8) for x0, x1 in TABLE[5:]], TABLE)  # rules of another table
    merged = [*TABLE[:5], (404.7, 575.3), *TABLE[8:]]  # the first column kept, columns merged
    assert not is_right_part(merged, TABLE)


def _grid(rows: list[list[str]], bounds: list[tuple[float, float]], page: int, line: int = 1) -> Grid:
    return Grid([list(r) for r in rows], [Origin("t.pdf", "0" * 64, page, line + i) for i in range(len(rows))], bounds)


TOP = ["11000026T000003720381-北京画院画库运维及藏品维护", "55.939300", "55.939300", "", "本项目旨在…", "产出指标", "时效指标", "项目完成时间", "≤", "12", "月"]
PIECE = ["效益指标", "社会效益指标", "使作品得到更好的保护", "定性", "优", ""]


def test_a_right_part_two_pages_on_is_text() -> None:
    blocks = [_grid([TOP], TABLE, 1), _grid([PIECE], TABLE[5:], 3)]
    assert isinstance(text_grids_to_lines(blocks, REGISTRY)[1], TextLine)


def test_a_right_part_under_a_title_is_a_table_of_its_own() -> None:
    """Two tables that must stay apart: a table titled on the next page, even in the right part
    of the columns of the table above, is not its continuation."""
    titled = [["项目名称", "项目总额", "财政资金", "其他资金", "绩效目标", "一级指标"], ["11000026T0000038", "12.500000", "12.500000", "", "目标", "产出指标"]]
    blocks = [TextLine(WENLV_TITLE, Origin("t.pdf", "0" * 64, 1, 0)), _grid([TOP], TABLE, 1), TextLine("预算13表 部门整体支出绩效目标表", Origin("t.pdf", "0" * 64, 2, 0)), _grid(titled, TABLE[5:], 2)]
    first, second = _tables(blocks)
    assert (first.table_id, second.table_id) == ("performance_target", "department_performance_target")
    assert [o.page for o in first.body_origins] == [1]
