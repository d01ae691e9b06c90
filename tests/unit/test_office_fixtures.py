"""The Fujian publication as LibreOffice wrote it: Calc XLSX and XLS, Writer DOCX.

The fixtures of tests/fixtures/formats/ are written by the project's own builder from its text
reader's output, so a reader bug and a fixture bug could agree. The files of
tests/fixtures/office/ were written by LibreOffice 7.4 (Calc and Writer, through UNO) from the
original text export by tests/fixtures/office/build_office.py, which never imports yusuan; how
and with which sha256 is in tests/fixtures/SOURCES.csv. Every printed amount is checked
against the golden typed from the document (tests/golden/<doc>/amounts.csv), and every row
the library publishes from them is checked against what it publishes from the text export.
"""

from __future__ import annotations

import csv
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.checks.evaluation import extracted_keys, golden_keys, score
from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile, TextLine
from yusuan.extract import file_to_blocks
from yusuan.extract.docx import format_counter, label_gap
from yusuan.package.process import process_document

ROOT = Path(__file__).resolve().parents[2]
OFFICE = ROOT / "tests" / "fixtures" / "office"
SOURCES = ROOT / "tests" / "fixtures" / "SOURCES.csv"
DOC = "fj-quanzhou-12345-2026-dwys"
GOLDEN = ROOT / "tests" / "golden" / DOC / "amounts.csv"
XLSX, XLS, DOCX = f"{DOC}.calc.xlsx", f"{DOC}.calc.xls", f"{DOC}.writer.docx"
FILES = [XLSX, XLS, DOCX]
PROVENANCE = ("file_name", "sha256", "page", "line")

_RESULTS: dict[str, object] = {}


def result(name: str):
    """The library's outcome for one office file, processed once per session."""
    if name not in _RESULTS:
        path = OFFICE / name
        source = SourceFile(path, "full", sha256_of(path))
        _RESULTS[name] = process_document(SourceDocument(DOC, "泉州市12345政务服务便民热线中心", "福建省泉州市", 2026, "单位预算", (source,)))
    return _RESULTS[name]


def text_lines(name: str) -> list[str]:
    path = OFFICE / name
    return [b.text for b in file_to_blocks(SourceFile(path, "full", sha256_of(path))).blocks if isinstance(b, TextLine)]


def content(row: dict, ignore: tuple[str, ...] = ()) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.items() if k not in PROVENANCE and k not in ignore))


# ---------------------------------------------------------------- the files are what LibreOffice wrote


@pytest.mark.parametrize("name", FILES)
def test_the_files_are_the_ones_recorded_in_sources(name):
    with SOURCES.open(encoding="utf-8", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    row = rows[f"office/{name}"]
    assert row["sha256"] == sha256_of(OFFICE / name)
    assert row["derived_from"].startswith("raw/fj-quanzhou-12345-2026-dwys/publication.txt")
    assert "LibreOffice 7.4" in row["how"]
    assert (OFFICE / name).stat().st_size < 200_000


@pytest.mark.parametrize("name", [XLSX, DOCX])
def test_the_ooxml_files_name_libreoffice_as_their_application(name):
    with zipfile.ZipFile(OFFICE / name) as package:
        app = package.read("docProps/app.xml").decode()
    assert re.search(r"<Application>LibreOffice/7\.4[^<]*</Application>", app)


def test_the_xls_is_biff8():
    import xlrd

    book = xlrd.open_workbook(OFFICE / XLS, on_demand=True)
    assert book.biff_version == 80 and book.nsheets == 12


# ---------------------------------------------------------------- every printed amount


@pytest.mark.parametrize("name", FILES)
def test_every_printed_amount_is_read_with_its_table_code_label_column_and_value(name):
    outcome_of = result(name)
    golden = golden_keys(GOLDEN)
    tables = {key[0] for key in golden} | {t["table_id"] for t in outcome_of.resources["source_tables"]}
    outcome = score(golden, extracted_keys(outcome_of.resources["amounts"], tables))
    assert outcome.expected == 203
    assert outcome.missing == [], f"{len(outcome.missing)} amounts not read, e.g. {outcome.missing[:3]}"
    assert outcome.unexpected == [], f"{len(outcome.unexpected)} amounts the document does not print, e.g. {outcome.unexpected[:3]}"


@pytest.mark.parametrize("name", FILES)
def test_the_ten_tables_are_found_with_their_unit(name):
    tables = result(name).resources["source_tables"]
    assert [t["table_id"] for t in tables] == [
        "revenue_expenditure_summary",
        "revenue_summary",
        "expenditure_summary",
        "fiscal_appropriation_summary",
        "gpb_expenditure_by_function",
        "government_fund_expenditure",
        "state_capital_expenditure",
        "gpb_expenditure_by_economic_class",
        "gpb_basic_expenditure_by_economic_class",
        "three_public_expenses",
    ]
    assert {t["unit_printed"] for t in tables} == {"万元"}


@pytest.mark.parametrize("name", FILES)
def test_the_office_files_and_the_text_export_give_the_same_amounts(name, processed):
    """Every field of every amount row (measure, side, unit, yuan, codes …), not only the golden key.

    Two differences are the files' own: the workbook holds the tables only (not the untitled
    list of units the text prints first), so table_sequence counts from 1 there; and Calc shows
    the first table with #,##0.00, so value_printed is 1,182.04 where the text prints 1182.04.
    """
    text = processed[DOC].resources["amounts"]
    office = result(name).resources["amounts"]
    assert len(office) == len(text) == 203
    ignore = ("table_sequence", "value_printed") if name != DOCX else ()
    assert sorted(content(a, ignore) for a in office) == sorted(content(a, ignore) for a in text)
    for office_row, text_row in zip(sorted(office, key=content), sorted(text, key=content), strict=True):
        assert office_row["value_printed"].replace(",", "") == text_row["value_printed"]
        assert Decimal(text_row["value_printed"]) == office_row["amount"]


@pytest.mark.parametrize("name", [XLSX, XLS])
def test_the_workbooks_show_what_calc_shows(name):
    amounts = result(name).resources["amounts"]
    summary = [a["value_printed"] for a in amounts if a["table_id"] == "revenue_expenditure_summary"]
    assert "1,182.04" in summary and "1,142.73" in summary and "0.00" in summary  # #,##0.00
    expenditure = [a["value_printed"] for a in amounts if a["table_id"] == "expenditure_summary"]
    assert "1182.04" in expenditure and "," not in "".join(expenditure)  # 0.00


@pytest.mark.parametrize("name", FILES)
def test_performance_targets_read_as_in_the_text_export(name, processed):
    for resource in ("performance_targets", "performance_indicators"):
        expected = processed[DOC].resources[resource]
        assert expected
        assert sorted(map(content, result(name).resources[resource])) == sorted(map(content, expected))


@pytest.mark.parametrize("resource", ["narrative_sections", "glossary", "narrative_figures", "units", "checks"])
def test_the_writer_document_reads_as_the_text_export(resource, processed):
    expected = processed[DOC].resources[resource]
    assert expected
    assert sorted(map(content, result(DOCX).resources[resource])) == sorted(map(content, expected))


# ---------------------------------------------------------------- what the office tools really wrote


def test_calc_wrote_shared_strings_merges_formats_and_formulas():
    """The XLSX holds what Calc writes (so the tests above exercise it): shared strings, merged
    cells, its own number formats (General stored as a custom format), =SUM formulas with cached values."""
    with zipfile.ZipFile(OFFICE / XLSX) as package:
        names = package.namelist()
        styles = package.read("xl/styles.xml").decode()
        sheets = [package.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet")]
    assert "xl/sharedStrings.xml" in names
    assert 'formatCode="0.00"' in styles and 'formatCode="#,##0.00"' in styles and 'formatCode="General"' in styles
    # a title per sheet (12), the headers (收支 2, 财政拨款 2, three 科目编码/其中： tables 4 each),
    # two 备注 notes, the two performance forms (7 each)
    assert sum(s.count("<mergeCell ") for s in sheets) == 12 + 2 + 2 + 3 * 4 + 2 + 2 * 7
    assert any("<f aca=\"false\">SUM(C5:C11)</f><v>1182.04</v>" in s for s in sheets)


@pytest.mark.parametrize("name", [XLSX, XLS])
def test_a_total_calc_computed_is_read_from_its_cached_value_with_its_place(name):
    """支出预算总表 合计/小计 is =SUM(C5:C11) in sheet 3, row 4; it shows 1182.04 as printed."""
    amounts = result(name).resources["amounts"]
    total = next(a for a in amounts if a["table_id"] == "expenditure_summary" and a["item_name_printed"] == "合计" and a["column_header"] == "小计")
    assert total["amount"] == Decimal("1182.04")
    assert (total["file_name"], total["page"], total["line"]) == (name, 3, 4)


def test_amounts_stored_as_text_read_like_numbers():
    """收入预算总表 (sheet 2) was typed into cells formatted as text: Calc stores shared strings (XLSX)
    and text cells (XLS); the amounts are read all the same, with the text as printed."""
    import xlrd

    with zipfile.ZipFile(OFFICE / XLSX) as package:
        sheet = package.read("xl/worksheets/sheet2.xml").decode()
    assert re.search(r'<c r="B4" s="\d+" t="s">', sheet)
    book = xlrd.open_workbook(OFFICE / XLS)
    assert book.sheet_by_index(1).cell(3, 1).ctype == xlrd.XL_CELL_TEXT
    for name in (XLSX, XLS):
        revenue = [a for a in result(name).resources["amounts"] if a["table_id"] == "revenue_summary"]
        assert len(revenue) == 22 and {a["value_printed"] for a in revenue} == {"1182.04", "0.00"}


def test_writer_wrote_merged_cells_and_chinese_list_numbering():
    with zipfile.ZipFile(OFFICE / DOCX) as package:
        document = package.read("word/document.xml").decode()
        numbering = package.read("word/numbering.xml").decode()
    assert "<w:gridSpan " in document and "<w:vMerge " in document
    heading = next(p for p in document.split("<w:p>") if "<w:t>收支预算总表</w:t>" in p)
    assert "<w:numPr>" in heading  # the label 一、 is drawn by the list, not stored in the text
    assert '<w:numFmt w:val="taiwaneseCountingThousand"/>' in numbering and '<w:lvlText w:val="%1、"/>' in numbering
    assert "<w:startOverride " in numbering  # each list of headings restarts at 一


def test_the_drawn_labels_read_as_printed():
    found = text_lines(DOCX)
    assert "一、收支预算总表" in found and "十、一般公共预算“三公”经费支出预算表" in found
    assert found.index("一、预算收支总体情况") > found.index("十、一般公共预算“三公”经费支出预算表")
    assert any(line.startswith("十二、机关运行经费：") for line in found)
    assert "一、单位主要职责..... 2" in found  # the table of contents keeps its typed label and its tab


@pytest.mark.parametrize(
    ("n", "fmt", "label"),
    [(1, "taiwaneseCountingThousand", "一"), (11, "taiwaneseCountingThousand", "十一"), (20, "chineseCounting", "二十"), (3, "decimal", "3")],
)
def test_counters_in_chinese_numerals(n, fmt, label):
    assert format_counter(n, fmt) == label


@pytest.mark.parametrize(
    ("label", "suffix", "gap"),
    [("一、", "tab", ""), ("（一）", "space", ""), ("1.", "tab", " "), ("(1)", "space", " "), ("1.", "nothing", "")],
)
def test_no_space_after_a_label_ending_in_ideographic_punctuation(label, suffix, gap):
    assert label_gap(label, suffix) == gap


# ---------------------------------------------------------------- the generator's reading of the text


def test_the_generator_draws_the_merges_the_template_prints():
    """build_office.py (run by hand, not in CI) derives merged header cells from the text alone."""
    sys.path.insert(0, str(OFFICE))
    try:
        import build_office
    finally:
        sys.path.remove(str(OFFICE))
    tables = [item for item in build_office.read_publication() if isinstance(item, build_office.Table)]
    assert len(tables) == 12
    assert tables[0].spans == {(0, 0): (1, 2), (0, 2): (1, 2)}  # 收入 over 项目, 预算数; 支出 likewise
    assert tables[4].spans == {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2)}  # 科目编码 down, 其中： across
    assert tables[5].notes == ["备注：本单位 2026 年没有使用政府性基金预算拨款安排的支出。"]
    assert set(build_office.total_formulas(tables[2]).values()) == {"SUM:2:8"}
    assert build_office.total_formulas(tables[8]) == {}  # 301 and 30101 are not one level: typed
    form = tables[10]  # 96196 电梯应急处置服务平台项目绩效目标表
    assert form.spans == {
        (0, 0): (3, 1),  # 专项资金情况 (万元) over 资金总额, 财政拨款, 其他资金
        (0, 2): (1, 3),  # 57.00 to the right edge
        (1, 2): (1, 3),
        (2, 2): (1, 3),
        (3, 1): (1, 4),  # the target text
        (4, 0): (7, 1),  # 绩效目标指标 down its indicators
        (6, 1): (3, 1),  # 产出指标 over 时效, 数量, 质量
    }
