"""The XLSX/XLS, DOCX and HTML readers: the same publication in every format gives the same
amounts, and each reader's own rules (merged cells, number formats, encodings, bad files).

The fixtures in tests/fixtures/formats/ are built from the Fujian text export by
tests/fixtures/build_formats.py (see docs/formats.md).
"""

from __future__ import annotations

import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.checks.evaluation import extracted_keys, golden_keys, score
from yusuan.core.errors import ExtractionError
from yusuan.core.hashing import sha256_of
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Grid,
    SourceDocument,
    SourceFile,
    TextLine,
)
from yusuan.extract import READERS, file_to_blocks
from yusuan.extract.html import decode_html
from yusuan.extract.xlsx import format_number
from yusuan.package.process import process_document

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
DOC = "fj-quanzhou-12345-2026-dwys"
GOLDEN = ROOT / "tests" / "golden" / DOC / "amounts.csv"
FIXTURES = [f"{DOC}.xlsx", f"{DOC}.xls", f"{DOC}.docx", f"{DOC}.html", f"{DOC}.gb18030.html"]
L, U = COVERED_LEFT, COVERED_ABOVE


def source(path: Path) -> SourceFile:
    return SourceFile(path, "full", sha256_of(path))


def document(path: Path) -> SourceDocument:
    return SourceDocument(DOC, "泉州市12345政务服务便民热线中心", "福建省泉州市", 2026, "单位预算", (source(path),))


_RESULTS: dict[str, object] = {}


def result(name: str):
    if name not in _RESULTS:
        _RESULTS[name] = process_document(document(FORMATS / name))
    return _RESULTS[name]


def blocks(path: Path) -> list:
    return file_to_blocks(source(path)).blocks


def grids(path: Path) -> list[Grid]:
    return [b for b in blocks(path) if isinstance(b, Grid)]


def lines(path: Path) -> list[str]:
    return [b.text for b in blocks(path) if isinstance(b, TextLine)]


# ---------------------------------------------------------------- the publication in every format


@pytest.mark.parametrize("name", FIXTURES)
def test_every_printed_amount_is_extracted_exactly(name):
    outcome_of = result(name)
    golden = golden_keys(GOLDEN)
    tables = {key[0] for key in golden} | {t["table_id"] for t in outcome_of.resources["source_tables"]}
    outcome = score(golden, extracted_keys(outcome_of.resources["amounts"], tables))
    assert outcome.expected == 203
    assert outcome.missing == [], f"{len(outcome.missing)} amounts not extracted"
    assert outcome.unexpected == [], f"{len(outcome.unexpected)} amounts extracted that the document does not print"
    assert outcome.recall == outcome.precision == 1.0


@pytest.mark.parametrize("name", FIXTURES)
def test_the_ten_tables_are_found_with_their_unit(name):
    tables = result(name).resources["source_tables"]
    assert len(tables) == 10
    assert {t["unit_printed"] for t in tables} == {"万元"}
    assert not any(t["table_id"].startswith("unidentified") for t in tables)


PROVENANCE = ("file", "sha256", "page", "line")


def _content(rows: list[dict]) -> list[tuple]:
    return [tuple(sorted((k, str(v)) for k, v in row.items() if not any(p in k for p in PROVENANCE))) for row in rows]


@pytest.mark.parametrize("name", [f"{DOC}.docx", f"{DOC}.html", f"{DOC}.gb18030.html"])
@pytest.mark.parametrize("resource", ["narrative_sections", "glossary", "narrative_figures", "units"])
def test_the_narrative_reads_as_in_the_text_export(name, resource, processed):
    expected = processed[DOC].resources[resource]
    assert expected
    assert _content(result(name).resources[resource]) == _content(expected)


@pytest.mark.parametrize("name", [f"{DOC}.xlsx", f"{DOC}.docx", f"{DOC}.html"])
def test_performance_targets_read_as_in_the_text_export(name, processed):
    for resource in ("performance_targets", "performance_indicators"):
        assert _content(result(name).resources[resource]) == _content(processed[DOC].resources[resource])


def test_origins_name_the_file_and_sheet_or_line():
    amounts = result(f"{DOC}.xlsx").resources["amounts"]
    first = next(a for a in amounts if a["table_id"] == "revenue_summary")
    assert first["file_name"] == f"{DOC}.xlsx" and first["page"] == 2 and first["line"] == 4
    html_amount = result(f"{DOC}.html").resources["amounts"][0]
    assert html_amount["page"] is None and html_amount["line"] > 1
    docx_amount = result(f"{DOC}.docx").resources["amounts"][0]
    assert docx_amount["page"] is None and docx_amount["file_name"] == f"{DOC}.docx"


def test_the_fixtures_are_what_the_builder_makes(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    try:
        import build_formats
    finally:
        sys.path.pop(0)
    items = build_formats.read_publication()
    build_formats.build_xlsx(items, tmp_path / "x.xlsx")
    build_formats.build_docx(items, tmp_path / "x.docx")
    assert (tmp_path / "x.xlsx").read_bytes() == (FORMATS / f"{DOC}.xlsx").read_bytes()
    assert (tmp_path / "x.docx").read_bytes() == (FORMATS / f"{DOC}.docx").read_bytes()
    assert build_formats.html_page(items, '<meta charset="utf-8">').encode() == (FORMATS / f"{DOC}.html").read_bytes()


# ---------------------------------------------------------------- spreadsheets


def _workbook(tmp_path: Path, build, name: str = "t.xlsx") -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    build(book)
    path = tmp_path / name
    book.save(path)
    return path


def _bordered(ws, cells: str) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    for row in ws[cells]:
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def test_merged_cells_become_markers(tmp_path):
    def build(book):
        ws = book.active
        ws["A1"] = "2026年度一般公共预算拨款支出预算表"
        ws.merge_cells("A1:E1")
        ws["E2"] = "单位：万元"
        for col, text in zip("ABCD", ["科目编码", "科目名称", "小计", "其中："], strict=True):
            ws[f"{col}3"] = text
        ws["D4"], ws["E4"] = "基本支出", "项目支出"
        for col in "ABC":
            ws.merge_cells(f"{col}3:{col}4")
        ws.merge_cells("D3:E3")
        ws.append(["", "合计", 1182.04, 170.09, 1011.95])
        _bordered(ws, "A3:E5")

    path = _workbook(tmp_path, build)
    found = blocks(path)
    assert [b.text for b in found if isinstance(b, TextLine)] == ["2026年度一般公共预算拨款支出预算表", "单位：万元"]
    (grid,) = [b for b in found if isinstance(b, Grid)]
    assert grid.rows == [
        ["科目编码", "科目名称", "小计", "其中：", L],
        [U, U, U, "基本支出", "项目支出"],
        ["", "合计", "1182.04", "170.09", "1011.95"],
    ]
    assert [o.line for o in grid.row_origins] == [3, 4, 5]
    assert {(o.file, o.page) for o in grid.row_origins} == {("t.xlsx", 1)}


def test_a_block_merged_over_rows_and_columns(tmp_path):
    def build(book):
        ws = book.active
        ws.append(["收入", None, "支出", None])
        ws.append(["项目", "预算数", "项目", "预算数"])
        ws.append(["一、一般公共预算拨款收入", 5, "一、一般公共服务支出", 5])
        ws.merge_cells("A1:B1")
        ws.merge_cells("C1:D1")
        ws["A4"] = "合计"
        ws.merge_cells("A4:A5")
        ws["B4"] = 5
        ws["B5"] = 6
        ws["C4"] = "注"
        ws.merge_cells("C4:D5")

    (grid,) = grids(_workbook(tmp_path, build))
    assert grid.rows[0] == ["收入", L, "支出", L]
    assert grid.rows[3] == ["合计", "5", "注", L]
    assert grid.rows[4] == [U, "6", U, U]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1182.04, "0.00", "1182.04"),
        (1182.04, "#,##0.00", "1,182.04"),
        (1182.0400000000002, "0.00", "1182.04"),
        (1182.0400000000002, "General", "1182.04"),
        (4.8500000000000005, "0.00", "4.85"),
        (0.1 + 0.2, "General", "0.3"),
        (2.675, "0.00", "2.68"),  # half away from zero on the stored decimal, as Excel shows it
        (0.5, "0", "1"),
        (2010350, "General", "2010350"),
        (2010350.0, "0", "2010350"),
        (1182.04, "0.0000", "1182.0400"),
        (1182, "#,##0.00_ ", "1,182.00"),
        (-5, "#,##0.00;(#,##0.00)", "(5.00)"),
        (-5, "0.00;[Red]-0.00", "-5.00"),
        (-5, "0.00", "-5.00"),
        (-0.001, "0.00", "0.00"),
        (0, '0.00;-0.00;"-"', "-"),
        (0, "0.00;-0.00;", ""),
        (1182.04, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "1,182.04"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (0.0458, "0.00%", "4.58%"),
        (1234567, "#,##0,", "1,235"),
        (1182.04, "[$¥-804]#,##0.00", "¥1,182.04"),
        (1182.04, '0.00"万元"', "1182.04万元"),
        (5.5, "#,##0.0#", "5.5"),
        (12, "000", "012"),
        (1182.04, "@", "1182.04"),
        (Decimal("1182.04"), "0.00", "1182.04"),
    ],
)
def test_numbers_are_shown_as_their_format_shows_them(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_stored_numbers_come_back_as_printed(tmp_path):
    def build(book):
        ws = book.active
        ws.append(["科目编码", "科目名称", "预算数", "比_x000D_\n重"])
        ws.append([2010350, "事业运行", 1182.0400000000002, 0.0458])
        ws.append(["301", "工资福利支出", 1182.04, 1])
        ws["C2"].number_format = "0.00"
        ws["C3"].number_format = "#,##0.00"
        ws["D2"].number_format = "0.00%"
        ws.append(["", "合计", True, "=C2+C3"])  # a formula without a cached value shows nothing here

    (grid,) = grids(_workbook(tmp_path, build))
    assert grid.rows[0] == ["科目编码", "科目名称", "预算数", "比\n重"]  # an OOXML-escaped line break
    assert grid.rows[1] == ["2010350", "事业运行", "1182.04", "4.58%"]
    assert grid.rows[2] == ["301", "工资福利支出", "1,182.04", "1"]
    assert grid.rows[3] == ["", "合计", "TRUE", ""]


def test_the_xlsx_fixture_stores_numbers_with_formats():
    import openpyxl
    book = openpyxl.load_workbook(FORMATS / f"{DOC}.xlsx")
    summary, function = book.worksheets[0], book.worksheets[4]
    assert summary["B5"].value == 1182.04 and summary["B5"].number_format == "#,##0.00"
    stored = [c.value for row in function.iter_rows() for c in row if isinstance(c.value, float)]
    assert any(Decimal(repr(v)) != Decimal(repr(v)).quantize(Decimal("0.01")) for v in stored)  # binary artefacts
    assert function.merged_cells.ranges
    first = grids(FORMATS / f"{DOC}.xlsx")[0]
    assert first.rows[0] == ["收入", L, "支出", L]
    assert first.rows[2][1] == "1,182.04"


def test_lone_cells_are_text_outside_tables_and_cells_inside(tmp_path):
    def build(book):
        ws = book.active
        ws["A1"] = "2026年度一般公共预算“三公”经费支出预算表"
        ws["A2"] = "编制单位：某单位"
        ws["C2"] = "单位：万元"
        ws.append(["项目", "预算数", ""])
        ws.append(["合计", 1, ""])
        ws.append(["其中：", None, ""])  # a lone label inside the table's borders
        ws.append(["1、因公出国（境）费用", 0, ""])
        ws["A8"] = "注：本表为空表。"
        _bordered(ws, "A3:B6")

    found = blocks(_workbook(tmp_path, build))
    assert isinstance(found[0], TextLine) and found[0].text.startswith("2026年度")
    # the compiler / unit row right above the header is the grid's first row (tables.py takes
    # such rows as the table's context, as it does for PDF grids)
    assert isinstance(found[1], Grid) and [r[0] for r in found[1].rows] == ["编制单位：某单位", "项目", "合计", "其中：", "1、因公出国（境）费用"]
    assert isinstance(found[2], TextLine) and found[2].text == "注：本表为空表。"


def test_an_empty_row_with_borders_does_not_cut_the_table(tmp_path):
    def build(book):
        ws = book.active
        ws.append(["项目", "预算数"])
        ws.append(["合计", 1])
        ws.append([])
        ws.append(["1、公务接待费", 1])
        _bordered(ws, "A1:B4")
        ws.append([])
        ws.append(["项目", "预算数"])
        ws.append(["合计", 2])

    first, second = grids(_workbook(tmp_path, build))
    assert first.rows == [["项目", "预算数"], ["合计", "1"], ["1、公务接待费", "1"]]
    assert [o.line for o in first.row_origins] == [1, 2, 4]
    assert second.rows == [["项目", "预算数"], ["合计", "2"]]


def test_a_row_of_a_few_cells_on_its_own_is_a_text_line(tmp_path):
    def build(book):
        ws = book.active
        ws["A1"] = "2026年度收入预算总表"
        ws["A2"] = "编制单位：某单位"
        ws["D2"] = "单位：万元"
        ws.append([])
        ws.append(["单位名称", "总计", "事业收入", "其他收入"])
        ws.append(["合计", 1, 0, 1])

    found = blocks(_workbook(tmp_path, build))
    assert [b.text for b in found if isinstance(b, TextLine)] == ["2026年度收入预算总表", "编制单位：某单位  单位：万元"]


def test_a_lone_cell_between_rows_of_a_sheet_without_borders_stays_in_the_table(tmp_path):
    def build(book):
        ws = book.active
        ws["A1"] = "2026年度收支预算总表"
        ws.append(["项目", "预算数"])
        ws.append(["一、基本支出", 1])
        ws.append(["其中："])
        ws.append(["人员经费", 1])
        ws.append([])
        ws.append(["说明：无"])

    found = blocks(_workbook(tmp_path, build))
    assert [type(b).__name__ for b in found] == ["TextLine", "Grid", "TextLine"]
    assert found[1].rows[2] == ["其中：", ""]


def test_hidden_rows_columns_and_sheets_are_not_read_and_reported(tmp_path):
    def build(book):
        ws = book.active
        ws.append(["项目", "预算数", "草稿"])
        ws.append(["合计", 1, "旧数"])
        ws.append(["隐藏行", 9, ""])
        ws.row_dimensions[3].hidden = True
        ws.column_dimensions["C"].hidden = True
        secret = book.create_sheet("底稿")
        secret["A1"] = "底稿数据"
        secret.sheet_state = "hidden"
        shown = book.create_sheet("表三")
        shown.append(["项目", "预算数"])
        shown.append(["合计", 2])

    found = file_to_blocks(source(_workbook(tmp_path, build)))
    first, third = [b for b in found.blocks if isinstance(b, Grid)]
    assert first.rows == [["项目", "预算数"], ["合计", "1"]]
    assert {o.page for o in third.row_origins} == {3}
    assert found.page_count == 3
    assert found.hidden_chars == {1: len("草稿旧数隐藏行9"), 2: len("底稿数据")}


def test_an_empty_workbook_is_a_clear_error(tmp_path):
    path = _workbook(tmp_path, lambda book: book.create_sheet("空表"), "empty.xlsx")
    with pytest.raises(ExtractionError, match=r"^empty\.xlsx: no cell with text in any visible sheet"):
        file_to_blocks(source(path))
    with pytest.raises(ExtractionError, match=r"^empty\.xlsx: no cell with text"):
        process_document(document(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.xlsx", None, r"^cut\.xlsx: not a readable XLSX workbook"),
        ("cut.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"^cut\.xls: not a readable XLS workbook"),
        ("text.xlsx", "预算表\t1182.04\n".encode(), r"^text\.xlsx: not a readable workbook"),
        ("zero.xlsx", b"", r"^zero\.xlsx: the file is empty"),
    ],
)
def test_a_corrupt_workbook_is_a_clear_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if content is not None else (FORMATS / f"{DOC}.xlsx").read_bytes()[:5000])
    with pytest.raises(ExtractionError, match=message):
        process_document(document(path))


def test_a_zip_that_is_no_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    with pytest.raises(ExtractionError, match=r"^other\.xlsx: not a readable XLSX workbook"):
        file_to_blocks(source(path))


def test_workbooks_are_told_apart_by_content_not_name(tmp_path):
    as_xls = tmp_path / "really-xlsx.xls"
    as_xls.write_bytes((FORMATS / f"{DOC}.xlsx").read_bytes())
    assert grids(as_xls)[0].rows[0] == ["收入", L, "支出", L]
    web = tmp_path / "export.xls"  # portals often serve an HTML table as .xls
    web.write_text("<html><body><table><tr><td>项目</td><td>预算数</td></tr><tr><td>合计</td><td>1.00</td></tr></table></body></html>", encoding="utf-8")
    assert grids(web)[0].rows == [["项目", "预算数"], ["合计", "1.00"]]


def test_the_xls_fixture_reads_like_the_xlsx():
    import xlrd  # noqa: F401  (a required dependency: fail, never skip)
    xls, xlsx = grids(FORMATS / f"{DOC}.xls"), grids(FORMATS / f"{DOC}.xlsx")
    assert [g.rows for g in xls] == [g.rows for g in xlsx]
    assert [[o.line for o in g.row_origins] for g in xls] == [[o.line for o in g.row_origins] for g in xlsx]


def test_registered_suffixes():
    assert {".xlsx", ".xls", ".xlsm", ".docx", ".doc", ".html", ".htm"} <= set(READERS)


# ---------------------------------------------------------------- DOCX


def _docx(tmp_path: Path, build, name: str = "t.docx") -> Path:
    import docx
    document_ = docx.Document()
    build(document_)
    path = tmp_path / name
    document_.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_order_with_merged_cells(tmp_path):
    def build(doc):
        doc.add_paragraph("2026年度一般公共预算拨款支出预算表")
        doc.add_paragraph("单位：万元")
        table = doc.add_table(rows=3, cols=5)
        for c, text in enumerate(["科目编码", "科目名称", "小计", "其中：", ""]):
            table.cell(0, c).text = text
        table.cell(1, 3).text, table.cell(1, 4).text = "基本支出", "项目支出"
        for c, text in enumerate(["", "合计", "1182.04", "170.09", "1011.95"]):
            table.cell(2, c).text = text
        table.cell(0, 3).merge(table.cell(0, 4))
        for c in range(3):
            table.cell(0, c).merge(table.cell(1, c))
        doc.add_paragraph("注：无。")

    found = blocks(_docx(tmp_path, build))
    assert [type(b).__name__ for b in found] == ["TextLine", "TextLine", "Grid", "TextLine"]
    assert found[2].rows == [
        ["科目编码", "科目名称", "小计", "其中：", L],
        [U, U, U, "基本支出", "项目支出"],
        ["", "合计", "1182.04", "170.09", "1011.95"],
    ]
    assert [o.line for o in found[2].row_origins] == [3, 4, 5]
    assert found[3].origin.line == 6 and found[3].origin.page is None


def test_docx_numbering_hidden_and_deleted_text(tmp_path):
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def build(doc):
        paragraph = doc.add_paragraph("公开的文字")
        paragraph.add_run("隐藏的文字").font.hidden = True
        paragraph._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>'))
        paragraph._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>插入的文字</w:t></w:r></w:ins>'))
        doc.add_paragraph("第一行").add_run().add_break()
        doc.paragraphs[-1].add_run("第二行")

    assert lines(_docx(tmp_path, build)) == ["公开的文字插入的文字", "第一行", "第二行"]


def test_docx_fixture_draws_automatic_numbering():
    found = lines(FORMATS / f"{DOC}.docx")
    assert "一、收支预算总表" in found and "十、一般公共预算“三公”经费支出预算表" in found
    assert "八、其他重要事项说明" in found  # a list restarting at 一 in the next part
    assert found.index("一、预算收支总体情况") > found.index("十、一般公共预算“三公”经费支出预算表")


def test_docx_bad_files_are_clear_errors(tmp_path):
    cut = tmp_path / "cut.docx"
    cut.write_bytes((FORMATS / f"{DOC}.docx").read_bytes()[:3000])
    with pytest.raises(ExtractionError, match=r"^cut\.docx: not a readable DOCX document"):
        process_document(document(cut))
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ExtractionError, match=r"^old\.doc: a Word 97-2003 \(\.doc\) file"):
        file_to_blocks(source(legacy))
    empty = _docx(tmp_path, lambda doc: None, "blank.docx")
    with pytest.raises(ExtractionError, match=r"^blank\.docx: no text in the document"):
        file_to_blocks(source(empty))
    xlsx = tmp_path / "wrong.docx"
    xlsx.write_bytes((FORMATS / f"{DOC}.xlsx").read_bytes())
    with pytest.raises(ExtractionError, match=r"^wrong\.docx: not a readable DOCX document"):
        file_to_blocks(source(xlsx))


# ---------------------------------------------------------------- HTML


def _page(tmp_path: Path, body: str, name: str = "p.html", encoding: str = "utf-8", meta: str = '<meta charset="utf-8">') -> Path:
    path = tmp_path / name
    path.write_bytes(f"<!DOCTYPE html><html><head>{meta}<title>标题不读</title></head><body>{body}</body></html>".encode(encoding))
    return path


def test_html_colspan_rowspan_and_caption(tmp_path):
    body = """
    <h3>2026年度财政拨款收支预算总表</h3>
    <table border=1>
      <caption>单位：万元</caption>
      <thead><tr><th colspan="2">收入</th><th colspan=2>支出</th></tr>
      <tr><th>项目</th><th>预算数</th><th>项目</th><th>预算数</th></tr></thead>
      <tfoot><tr><td>收入合计</td><td>2.00</td><td>支出合计</td><td>2.00</td></tr></tfoot>
      <tbody><tr><td rowspan="2">一、一般公共预算拨款收入</td><td rowspan=2>2.00</td><td>一、一般公共服务支出</td><td>1.00</td></tr>
      <tr><td>二、外交支出</td><td>1.00</td></tr></tbody>
    </table>
    <p>注：无。</p>"""
    found = blocks(_page(tmp_path, body))
    assert [b.text for b in found if isinstance(b, TextLine)] == ["2026年度财政拨款收支预算总表", "单位：万元", "注：无。"]
    (grid,) = [b for b in found if isinstance(b, Grid)]
    assert grid.rows == [
        ["收入", L, "支出", L],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款收入", "2.00", "一、一般公共服务支出", "1.00"],
        [U, U, "二、外交支出", "1.00"],
        ["收入合计", "2.00", "支出合计", "2.00"],  # the footer group comes last
    ]
    assert grid.row_origins[0].page is None and grid.row_origins[0].line > 1


def test_html_strips_scripts_styles_hidden_and_reads_layout_tables(tmp_path):
    body = """
    <script>var t = "2026年度收支预算总表";</script><style>p { color: red }</style>
    <div style="display:none">隐藏的表 9999.99</div><p hidden>也隐藏</p>
    <!-- 注释 -->
    <table class="layout"><tr><td>
      <p>第一段<br>第二段 &nbsp; 有<b>粗体</b>字</p>
      <table><tr><td>项目</td><td>预算数</td></tr><tr><td>合计</td><td>1.00</td></tr></table>
    </td><td><div>右栏</div></td></tr></table>
    <table><tr><td>单位：万元</td></tr></table>
    <table><tr><td>只有</td></tr><tr><td>一列</td></tr></table>"""
    found = blocks(_page(tmp_path, body))
    assert [b.text if isinstance(b, TextLine) else b.rows for b in found] == [
        "第一段", "第二段 有粗体字", [["项目", "预算数"], ["合计", "1.00"]], "右栏", "单位：万元", "只有", "一列",
    ]


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="utf-8">', "utf-8"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ('<meta charset="GBK">', "gb18030"),
        ("", "gb18030"),  # nothing declared
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "utf-8"),  # declared wrongly
        ('<meta charset="iso-8859-1">', "gb18030"),
        ('<meta charset="utf-8">', "utf-8-sig"),
    ],
)
def test_html_encodings(tmp_path, meta, encoding):
    path = _page(tmp_path, "<p>2026年度一般公共预算“三公”经费支出预算表（㐀）</p>", encoding=encoding, meta=meta)
    assert lines(path) == ["2026年度一般公共预算“三公”经费支出预算表（㐀）"]


def test_html_fixture_in_gb18030_reads_like_utf8():
    utf8, legacy = FORMATS / f"{DOC}.html", FORMATS / f"{DOC}.gb18030.html"
    assert b"charset=gb2312" in legacy.read_bytes()[:600]
    with pytest.raises(UnicodeDecodeError):
        legacy.read_bytes().decode("utf-8")
    assert [b.text if isinstance(b, TextLine) else b.rows for b in blocks(legacy)] == [
        b.text if isinstance(b, TextLine) else b.rows for b in blocks(utf8)
    ]


def test_html_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionError, match=r"^bad\.html: not a UTF-8 or GB18030 page"):
        decode_html(b"<p>\xff\xfe\xff\x80</p>" * 3, "bad.html")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>只有标题</title><script>var a = 1;</script></head><body> </body></html>", encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"^empty\.html: no text in the page"):
        process_document(document(empty))
    narrative = _page(tmp_path, "<p>本单位没有预算表。</p>", "narrative.html")
    with pytest.raises(ExtractionError, match=r"^narrative\.html: neither a budget table nor a budget narrative"):
        process_document(document(narrative))


def test_html_odd_spans_are_tolerated(tmp_path):
    body = '<table><tr><td colspan="x">甲</td><td rowspan="9">乙</td></tr><tr><td colspan="0">丙</td></tr></table>'
    (grid,) = grids(_page(tmp_path, body))
    assert grid.rows == [["甲", "乙"], ["丙", U]]


def test_the_publication_in_a_workbook_keeps_the_stored_decimals(tmp_path):
    """Amounts are exact decimals of the shown text, never the binary value."""
    amounts = result(f"{DOC}.xlsx").resources["amounts"]
    values = {a["value_printed"] for a in amounts}
    assert "4.85" in values and not any(len(v.split(".")[-1]) > 2 for v in values if "." in v)
    assert "1,182.04" in values  # the 收支预算总表 is formatted #,##0.00
    assert {a["amount"] for a in amounts if a["value_printed"] == "1,182.04"} == {Decimal("1182.04")}
