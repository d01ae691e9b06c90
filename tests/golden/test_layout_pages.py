"""The layout rules of "read any province's publication", on real pages of the wide corpus.

Each fixture in tests/fixtures/corpus-wide-pages/ holds one to four pages copied out of a
corpus-wide publication (origin, what was done and sha256 in tests/fixtures/SOURCES.csv). The
expected values were typed by reading the rendered pages (pypdfium2, scale 2 to 4), not copied
from the program's output. Page numbers in the assertions are those of the fixture file; the
docstrings give the publication's own page numbers.

A fixture that copies pages which are not consecutive in the publication (北京 文旅 4, 11, 12;
深圳 生态环境 81, 89) makes them consecutive: the table is then read as one table continued over
those pages, which is what it is in the publication, with the pages between left out. Rows
whose meaning depends on a left-out page (the budget unit of rows printed before the first unit
row of a page) are not asserted.

An assertion that fails because the parser reads the page wrong is marked
``xfail(strict=True)`` with the discrepancy until the parser reads it right.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument, SourceFile
from yusuan.core.schemas import normalize_label
from yusuan.package.process import DocumentResult, process_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = FIXTURES / "corpus-wide-pages"

# fixture -> (issuer, region, fiscal year, kind), as the corpus-wide manifest gives them
DOCUMENTS = {
    "bj-xinfang-2026-bmys-p5-p6.pdf": ("北京市信访办公室", "北京市", 2026, "部门预算"),
    "bj-wenlv-2026-bmys-p4-p11-p12.pdf": ("北京市文化和旅游局", "北京市", 2026, "部门预算"),
    "sz-shenji-2026-bmys-p13-p21-p22-p24.pdf": ("深圳市审计局", "广东省深圳市", 2026, "部门预算"),
    "sz-sthj-2026-bmys-p81-p89.pdf": ("深圳市生态环境局", "广东省深圳市", 2026, "部门预算"),
    "cq-shangwu-2026-bmys-p16-p17.pdf": ("重庆市商务委员会", "重庆市", 2026, "部门预算"),
    "gz-weijian-2026-bmys-p116-p9-p10.pdf": ("广州市卫生健康委员会", "广东省广州市", 2026, "部门预算"),
    "suz-shenji-2026-bmys-p20.pdf": ("苏州市审计局", "江苏省苏州市", 2026, "部门预算"),
    "hz-qixiang-2026-bmys-p17.pdf": ("杭州市气象局", "浙江省杭州市", 2026, "部门预算"),
    "cs-xinfang-2026-bmys-p5-p6-p7.pdf": ("长沙市信访局", "湖南省长沙市", 2026, "部门预算"),
    "xa-shenji-2026-bmys-p22-p27-p28.pdf": ("西安市审计局（汇总）", "陕西省西安市", 2026, "部门预算"),
    "yt-xinfang-2026-bmys-p9-p10-p15.pdf": ("烟台市信访局", "山东省烟台市", 2026, "部门预算"),
    "yt-xinfang-2026-bmys-p12.pdf": ("烟台市信访局", "山东省烟台市", 2026, "部门预算"),  # runs of spaces PDFium leaves out (test_pdfium_spaces.py)
    "yt-xinfang-2026-bmys-p4.pdf": ("烟台市信访局", "山东省烟台市", 2026, "部门预算"),  # digits whose ink reaches past the advance (test_pdfium_ink.py)
    "xa-minzheng-2021-bmys-p56.pdf": ("西安市民政局", "陕西省西安市", 2021, "部门预算"),  # two SimSun dictionaries not embedded (test_pdfium_aligned.py)
    "cq-jingxin-2026-bmys-p28.pdf": ("重庆市经济和信息化委员会", "重庆市", 2026, "部门预算"),  # a space the text page leaves out (test_pdfium_aligned.py)
    "sh-shujuju-2026-dwys-p8-p9-p10.pdf": ("上海市数据局", "上海市", 2026, "单位预算"),  # a table wider than the page (test_layout_families_stop36_overflow.py)
    "xa-qixiang-2022-bmys-p30.pdf": ("西安市气象局", "陕西省西安市", 2022, "部门预算"),  # a header cut at its cell's rule (test_pdfium_clip.py)
    "gz-xinfang-2026-bmys-p5-p6-p9-p10-p11-p15.pdf": ("广州市信访局", "广东省广州市", 2026, "部门预算"),  # golden amounts (tests/golden/gz-xinfang-…)
    "zh-gongwu-2026-bmys-p4-p5-p8-p9-p10-p14.pdf": ("珠海市政府投资交通市政项目工务中心", "广东省珠海市", 2026, "部门预算"),  # golden amounts (tests/golden/zh-gongwu-…)
    "suz-shenji-2026-bmys-p9-p12-p13-p16-p18.pdf": ("苏州市审计局", "江苏省苏州市", 2026, "部门预算"),  # golden amounts (tests/golden/suz-shenji-…)
    "fz-cangshan-2026-dwys-p9-p10-p11-p12-p13-p16-p17-p18-p19-p20.pdf": ("福州市仓山生态环境局", "福建省福州市", 2026, "单位预算"),  # golden amounts (tests/golden/)
    "qz-zfb-2026-dwys-p12-p13-p14-p15-p16-p19-p20-p21.pdf": ("泉州市人民政府办公室（本级）", "福建省泉州市", 2026, "单位预算"),  # golden amounts (tests/golden/)
    "yt-xinfang-2026-bmys-p6-p7-p8-p9-p10-p11-p12-p13-p14-p18.pdf": ("烟台市信访局", "山东省烟台市", 2026, "部门预算"),  # golden amounts (tests/golden/)
    "xa-qixiang-2022-bmys-p18-p21-p22.pdf": ("西安市气象局", "陕西省西安市", 2022, "部门预算"),  # golden amounts (tests/golden/xa-qixiang-2022-bmys-p18-p21-p22)
    "sh-fucai-2026-dwys-p7-p10-p11-p15.pdf": ("上海市福利彩票发行中心", "上海市", 2026, "单位预算"),  # golden amounts
    "wx-yjzf-2026-dwys-p6-p9-p10-p13-p15.pdf": ("无锡市应急管理综合行政执法监督局", "江苏省无锡市", 2026, "单位预算"),  # golden amounts
    # pages typed as goldens of their own (tests/golden/<file name without .pdf>/)
    "hz-qixiang-2026-bmys-p15-p18-p19-p21.pdf": ("杭州市气象局", "浙江省杭州市", 2026, "部门预算"),
    "hz-qixiang-2026-bmys-p16-p20.pdf": ("杭州市气象局", "浙江省杭州市", 2026, "部门预算"),
    "huz-tuiyi-2026-bmys-p17-p18-p22-p23-p24-p25-p28.pdf": ("湖州市退役军人事务局", "浙江省湖州市", 2026, "部门预算"),
    "huz-tuiyi-2026-bmys-p19-p20-p21-p26-p27.pdf": ("湖州市退役军人事务局", "浙江省湖州市", 2026, "部门预算"),
    "cs-xinfang-2026-bmys-p12-p15-p16-p17-p20.pdf": ("长沙市信访局", "湖南省长沙市", 2026, "部门预算"),
    "cs-xinfang-2026-bmys-p13-p14-p18-p19.pdf": ("长沙市信访局", "湖南省长沙市", 2026, "部门预算"),
    "bj-xinfang-2026-bmys-p1-p5-p6-p10.pdf": ("北京市信访办公室", "北京市", 2026, "部门预算"),  # golden amounts (tests/golden/<name without .pdf>)
    "sz-xinfang-2026-bmys-p15-p16-p24-p25-p26-p27-p31.pdf": ("深圳市信访局", "广东省深圳市", 2026, "部门预算"),  # golden amounts
    "cq-qixiang-2026-bmys-p6-p11-p12-p13-p17.pdf": ("重庆市气象局", "重庆市", 2026, "部门预算"),  # golden amounts
    "fz-yibao-2026-bmys-p10-p11-p13-p14-p21.pdf": ("福州市医疗保障局", "福建省福州市", 2026, "部门预算"),  # golden amounts
    "hz-gongan-2026-bmys-p20-p25-p26-p29.pdf": ("杭州市公安局", "浙江省杭州市", 2026, "部门预算"),  # golden amounts
    "hz-gongan-2026-bmys-p21-p22.pdf": ("杭州市公安局", "浙江省杭州市", 2026, "部门预算"),  # golden amounts; a row printed over the page break
    "xa-shenji-2026-bmys-p22-p25-p26-p35.pdf": ("西安市审计局（汇总）", "陕西省西安市", 2026, "部门预算"),  # golden amounts
    "xa-xuanchuan-2021-bmys-p16-p17-p18-p41.pdf": ("中共西安市委宣传部", "陕西省西安市", 2021, "部门预算"),  # golden amounts
    "xa-xuanchuan-2021-bmys-p24-p25.pdf": ("中共西安市委宣传部", "陕西省西安市", 2021, "部门预算"),  # golden amounts
    "xa-xuanchuan-2021-bmys-p21-p22-p23.pdf": ("中共西安市委宣传部", "陕西省西安市", 2021, "部门预算"),  # golden amounts
    "sz-shenshan-2026-bmys-p24-p25-p26-p34-p35-p36-p37-p41.pdf": ("深圳市市场监督管理局深汕监管局", "广东省深圳市", 2026, "部门预算"),  # golden amounts
    "yt-zhujian-2026-bmys-p9-p16-p17-p23.pdf": ("烟台市住房和城乡建设局", "山东省烟台市", 2026, "部门预算"),  # golden amounts
    "cs-zhijiao-2026-bmys-p12-p15-p16-p17-p20.pdf": ("长沙职业教育基地综合协调办公室", "湖南省长沙市", 2026, "部门预算"),  # golden amounts
    "bj-lvhua-2026-bmys-p1-p4-p5-p9.pdf": ("首都绿化委员会办公室", "北京市", 2026, "部门预算"),  # golden amounts
    "cq-shuili-2026-bmys-p12-p21-p22-p23-p28.pdf": ("重庆市水利局", "重庆市", 2026, "部门预算"),  # golden amounts
    "sh-shujuju-2026-dwys-p7-p8-p9-p10-p11-p14-p15-p16-p21.pdf": ("上海市数据局", "上海市", 2026, "单位预算"),  # golden amounts
    "sh-jtzy-2026-dwys-p7-p8-p9-p12-p13-p14-p20.pdf": ("上海交通职业技术学院", "上海市", 2026, "单位预算"),  # golden amounts
    "zh-shangwu-2026-bmys-p6-p7-p11-p12-p13-p14-p18.pdf": ("珠海市商务局", "广东省珠海市", 2026, "部门预算"),  # golden amounts
    "wx-renshe-2026-bmys-p17-p22-p23-p28-p29-p31.pdf": ("无锡市人力资源和社会保障局", "江苏省无锡市", 2026, "部门预算"),  # golden amounts
    "huz-weijian-2026-bmys-p25-p26-p27-p33-p34-p35-p42-p43.pdf": ("湖州市卫生健康委员会", "浙江省湖州市", 2026, "部门预算"),  # golden amounts
}

@cache
def read(name: str) -> DocumentResult:
    path = PAGES / name
    issuer, region, year, kind = DOCUMENTS[name]
    document = SourceDocument(name.removesuffix(".pdf"), issuer, region, year, kind, (SourceFile(path, "full", sha256_of(path)),))
    return process_document(document)


def amounts(result: DocumentResult, table_id: str, page: int | None = None) -> list[dict]:
    return [a for a in result.resources["amounts"] if a["table_id"] == table_id and (page is None or a["page"] == page)]


def label(text: str) -> str:
    """A row label compared as the project compares labels: NFKC (（ is (), no spaces."""
    return normalize_label(text)


def printed(result: DocumentResult, table_id: str, page: int | None = None) -> Counter:
    """(subject code, row label as printed without spaces, measure, value as printed) of every
    printed amount of the table (blank cells left out; 0.00 is printed, so it is in)."""
    return Counter(
        (a["subject_code"], label(a["item_name_printed"]), a["measure"], a["value_printed"])
        for a in amounts(result, table_id, page)
        if not a["is_blank"]
    )


def assert_printed(result: DocumentResult, table_id: str, expected: list[tuple[str, str, str, str]], page: int | None = None) -> None:
    missing = Counter((code, label(name), measure, value) for code, name, measure, value in expected) - printed(result, table_id, page)
    assert not missing, f"typed from the page but not extracted: {sorted(missing.elements())}"


def one(result: DocumentResult, table_id: str, name: str, measure: str, **where) -> dict:
    """The one amount of the table with this printed row label and measure (and fields)."""
    found = [
        a for a in amounts(result, table_id)
        if label(a["item_name_printed"]) == label(name) and a["measure"] == measure and all(a[k] == v for k, v in where.items())
    ]
    assert len(found) == 1, f"{len(found)} amounts for {name!r} / {measure} / {where}"
    return found[0]


def tables(result: DocumentResult) -> list[tuple]:
    return [(t["table_id"], t["table_label"], t["unit_printed"], t["page"]) for t in result.resources["source_tables"]]


def checks(result: DocumentResult, check_id: str, table_id: str | None = None) -> list[dict]:
    return [c for c in result.resources["checks"] if c["check_id"] == check_id and (table_id is None or c["table_id"] == table_id)]


# ---------------------------------------------------------------------------------------------
# the fixtures are the recorded copies


def _recorded() -> list[tuple[str, str]]:
    with (FIXTURES / "SOURCES.csv").open(encoding="utf-8", newline="") as handle:
        return [(r["file"].split("/", 1)[1], r["sha256"]) for r in csv.DictReader(handle) if r["file"].startswith("corpus-wide-pages/")]


def test_every_fixture_page_file_is_recorded_once():
    assert sorted(name for name, _sha in _recorded()) == sorted(DOCUMENTS) == sorted(p.name for p in PAGES.glob("*.pdf"))


@pytest.mark.parametrize(("name", "sha256"), _recorded())
def test_the_fixture_is_the_recorded_copy(name, sha256):
    assert sha256_of(PAGES / name) == sha256


# ---------------------------------------------------------------------------------------------
# 1. column-number rows are header furniture


def test_jiangsu_lanci_row_of_an_empty_table_is_not_read_as_amounts():
    """苏州市审计局 p.20 (公开 11 表 国有资本经营预算支出预算表): header 项 目 / 功能分类科目编码 |
    科目名称 | 本年支出合计 | 基本支出 | 项目支出, then `栏次 | 1 | 2 | 3`, a 合计 row with empty cells and
    the note 注：本部门无国有资本经营预算支出，故本表无数据。"""
    result = read("suz-shenji-2026-bmys-p20.pdf")
    assert tables(result) == [("state_capital_expenditure", "公开11表", "万元", 1)]
    (table,) = result.resources["source_tables"]
    assert (table["title_printed"], table["table_status"]) == ("国有资本经营预算支出预算表", "empty")
    got = [(a["item_name"], a["measure"], a["is_blank"], a["row_role"]) for a in amounts(result, "state_capital_expenditure")]
    assert got == [("合计", "total", True, "total"), ("合计", "basic_expenditure", True, "total"), ("合计", "project_expenditure", True, "total")]


def test_hangzhou_star_row_numbers_the_columns_and_is_dropped():
    """杭州市气象局 p.17 (表3): `** | 1 | 2 | 3 | 4 | 5 | 6 | 7` under the header; the first body
    row is 合计 5,876.67 | 2,906.80 | 838.27 | 2,131.61."""
    result = read("hz-qixiang-2026-bmys-p17.pdf")
    rows = amounts(result, "expenditure_summary")
    assert not [a for a in rows if a["value_printed"] in {"1", "2", "3", "4", "5", "6", "7"} or a["item_name_printed"] == "**"]
    first = [(a["item_name"], a["measure"], a["value_printed"]) for a in rows if a["row_number"] == 1 and not a["is_blank"]]
    assert first == [("合计", "total", "5,876.67"), ("合计", "personnel_expenses", "2,906.80"), ("合计", "public_expenses", "838.27"), ("合计", "project_expenditure", "2,131.61")]
    assert {a["row_number"] for a in rows} == set(range(1, 19))  # 合计 and the 17 rows printed under it


# ---------------------------------------------------------------------------------------------
# 2. titles, labels and unit lines inside or above the frame


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bj-xinfang-2026-bmys-p5-p6.pdf", [("fiscal_appropriation_summary", "预算04表", "万元", 1), ("gpb_expenditure_by_function", "预算05表", "万元", 2)]),
        ("bj-wenlv-2026-bmys-p4-p11-p12.pdf", [("expenditure_summary", "预算03表", "万元", 1)]),
        ("hz-qixiang-2026-bmys-p17.pdf", [("expenditure_summary", "表3", "万元", 1)]),
        ("yt-xinfang-2026-bmys-p9-p10-p15.pdf", [("expenditure_summary", "公开表3", "万元", 1), ("gpb_basic_expenditure_by_economic_class", "公开表6", "万元", 3)]),
        ("cq-shangwu-2026-bmys-p16-p17.pdf", [("gpb_expenditure_by_function", "表五", "万元", 1)]),
        ("xa-shenji-2026-bmys-p22-p27-p28.pdf", [("revenue_expenditure_summary", "表1", "元", 1), ("gpb_expenditure_by_economic_class", "表6", "元", 2)]),
        ("sz-shenji-2026-bmys-p13-p21-p22-p24.pdf", [("key_project_targets", "", "万元", 1), ("expenditure_summary", "表3", "万元", 2), ("basic_expenditure_summary", "表4", "万元", 4)]),
        ("sz-sthj-2026-bmys-p81-p89.pdf", [("expenditure_summary", "表3", "万元", 1)]),
        ("gz-weijian-2026-bmys-p116-p9-p10.pdf", [("key_project_targets", "", "万元", 1), ("revenue_summary", "表2", "万元", 2)]),
    ],
)
def test_each_table_once_with_its_label_and_unit(name, expected):
    """The tables of each page file, typed from the pages: label as printed without spaces
    (`公开 11 表`, `预算03表`, `表3：`, `公开表6` right-aligned, `表五`, `表1` on its own line), the
    unit of the unit line (单位：万元, 金额单位：万元, 单位:万元, 单位：元) or of the header
    (预算数（万元）, 预算数（单位：万元）), and the page the table starts on."""
    result = read(name)
    assert [t for t in tables(result) if not t[0].startswith("unidentified")] == expected



def test_beijing_title_rows_inside_the_frame_make_no_table_of_their_own():
    result = read("bj-xinfang-2026-bmys-p5-p6.pdf")
    assert [t[0] for t in tables(result)] == ["fiscal_appropriation_summary", "gpb_expenditure_by_function"]


def test_beijing_title_and_unit_inside_the_frame_are_context_not_header():
    """北京市信访办公室 tables.pdf p.5: `预算04表 财政拨款收支总表` and `金额单位：万元` are
    rows of the ruled frame, above 收 入 | 支 出 over 项 目 | 预算数."""
    result = read("bj-xinfang-2026-bmys-p5-p6.pdf")
    by_id = {t["table_id"]: t for t in result.resources["source_tables"]}
    assert by_id["fiscal_appropriation_summary"]["title_printed"] == "预算04表 财政拨款收支总表"
    assert by_id["gpb_expenditure_by_function"]["title_printed"] == "预算05表 一般公共预算支出表"
    assert {a["column_header"] for a in amounts(result, "fiscal_appropriation_summary")} == {"收 入 / 预算数", "支 出 / 预算数"}
    assert not [a for a in result.resources["amounts"] if "金额单位" in a["item_name_printed"] or "预算04表" in a["item_name_printed"]]


# ---------------------------------------------------------------------------------------------
# 3. 类 | 款 | 项 columns; classifications side by side


def test_yantai_class_section_item_columns_make_the_full_code():
    """烟台市信访局 pp.9–10 (公开表3 支出总体情况表): 科目编码 split into 类 | 款 | 项, 款 and 项
    printed on rows of their own (201 / 40 / 01); p.10 starts with 项 99 under 款 11 of p.9."""
    result = read("yt-xinfang-2026-bmys-p9-p10-p15.pdf")
    assert_printed(result, "expenditure_summary", [
        ("", "合计", "total", "1,717.85"), ("", "合计", "basic_expenditure", "1,192.85"), ("", "合计", "project_expenditure", "525.00"),
        ("201", "一般公共服务支出", "total", "1,378.84"), ("201", "一般公共服务支出", "project_expenditure", "524.00"),
        ("20140", "信访事务", "total", "1,378.84"), ("20140", "信访事务", "basic_expenditure", "854.84"),
        ("2014001", "行政运行", "total", "507.97"), ("2014050", "事业运行", "basic_expenditure", "346.87"),
        ("205", "教育支出", "total", "1.00"), ("20508", "进修及培训", "project_expenditure", "1.00"), ("2050803", "培训支出", "total", "1.00"),
        ("208", "社会保障和就业支出", "total", "178.50"), ("20805", "行政事业单位养老支出", "total", "178.50"),
        ("2080501", "行政单位离退休", "total", "53.13"), ("2080502", "事业单位离退休", "total", "6.80"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "total", "101.46"), ("2080506", "机关事业单位职业年金缴费支出", "total", "16.00"),
        ("2080599", "其他行政事业单位养老支出", "total", "1.12"),
        ("210", "卫生健康支出", "total", "71.65"), ("21011", "行政事业单位医疗", "total", "71.65"),
        ("2101101", "行政单位医疗", "total", "26.59"), ("2101102", "事业单位医疗", "total", "19.70"), ("2101103", "公务员医疗补助", "total", "14.57"),
    ], page=1)
    assert_printed(result, "expenditure_summary", [
        ("2101199", "其他行政事业单位医疗支出", "total", "10.80"), ("2101199", "其他行政事业单位医疗支出", "basic_expenditure", "10.80"),
        ("221", "住房保障支出", "total", "87.86"), ("22102", "住房改革支出", "total", "87.86"), ("2210201", "住房公积金", "basic_expenditure", "87.86"),
    ], page=2)
    row = one(result, "expenditure_summary", "行政运行", "total")
    assert (row["function_code"], row["class_code"], row["section_code"], row["item_code"], row["subject_code_source"]) == ("2014001", "201", "20140", "2014001", "printed")


def test_yantai_20140_prints_no_item_for_its_project_expenditure():
    """A real gap of the publication (p.9): 款 40 信访事务 1,378.84 (基本 854.84, 项目 524.00) has only
    the 项 01 行政运行 507.97 and 50 事业运行 346.87 under it (= 854.84); no 项 carries the 524.00.
    The check reports it, the data are published as printed."""
    result = read("yt-xinfang-2026-bmys-p9-p10-p15.pdf")
    gaps = [c for c in checks(result, "children_sum_to_parent", "expenditure_summary") if c["status"] == "failed" and c["row"].startswith("20140")]
    # 合计 column: Σ 项 854.84 against 1,378.84; 项目支出 column: no 项 printed against 524.00
    assert sorted((c["expected"], c["actual"], c["difference"], c["severity"]) for c in gaps) == [
        ("0.00", "524.00", "524.00", "warning"), ("854.84", "1378.84", "524.00", "warning"),
    ]


def test_yantai_department_and_government_economic_classes_side_by_side():
    """烟台市信访局 p.15 (公开表6 一般公共预算基本支出情况表): 类 | 款 | 部门预算支出经济分类科目名称 |
    类 | 款 | 政府预算支出经济分类科目名称 | 小计 | 人员支出 | 日常公用支出; the class printed on
    every row (301 | 01 | 基本工资 | 501 | 01 | 工资奖金津补贴)."""
    result = read("yt-xinfang-2026-bmys-p9-p10-p15.pdf")
    table = "gpb_basic_expenditure_by_economic_class"
    got = [
        (a["economic_code"], a["government_economic_code"], a["item_name"], a["value_printed"])
        for a in amounts(result, table) if a["measure"] == "basic_expenditure" and not a["is_blank"]
    ]
    assert got == [
        (None, None, "合计", "1,192.85"),
        ("301", "501", "工资福利支出", "593.01"),
        ("30101", "50101", "基本工资", "145.81"), ("30102", "50101", "津贴补贴", "153.49"), ("30103", "50101", "奖金", "122.13"),
        ("30108", "50102", "机关事业单位基本养老保险缴费", "58.27"), ("30109", "50102", "职业年金缴费", "16.00"),
        ("30110", "50102", "职工基本医疗保险缴费", "26.59"), ("30111", "50102", "公务员医疗补助缴费", "14.57"),
        ("30112", "50102", "其他社会保障缴费", "5.60"), ("30113", "50103", "住房公积金", "50.57"),
        ("301", "505", "工资福利支出", "428.11"),
        ("30101", "50501", "基本工资", "105.33"), ("30102", "50501", "津贴补贴", "37.80"), ("30103", "50501", "奖金", "83.83"),
        ("30107", "50501", "绩效工资", "83.78"), ("30108", "50501", "机关事业单位基本养老保险缴费", "43.19"),
        ("30110", "50501", "职工基本医疗保险缴费", "19.70"), ("30111", "50501", "公务员医疗补助缴费", "10.80"),
        ("30112", "50501", "其他社会保障缴费", "6.40"), ("30113", "50501", "住房公积金", "37.29"),
        ("302", "502", "商品和服务支出", "73.80"),
    ]
    basic_wage = [a for a in amounts(result, table) if a["item_name"] == "基本工资" and a["measure"] == "personnel_expenses"]
    assert [(a["subject_code"], a["classification"], a["function_code"], a["value_printed"]) for a in basic_wage] == [("30101", "economic", None, "145.81"), ("30101", "economic", None, "105.33")]
    public = one(result, table, "商品和服务支出", "public_expenses")
    assert (public["subject_code"], public["government_economic_code"], public["value_printed"]) == ("302", "502", "73.80")


def test_xian_department_and_government_economic_codes_side_by_side():
    """西安市审计局（汇总） pp.27–28 (表6 部门综合预算一般公共预算支出明细表（按支出经济分类科目）):
    部门经济科目编码 | 部门经济科目名称 | 政府经济科目编码 | 政府经济科目名称 | 合计 | 人员经费支出 |
    公用经费支出 | 专项业务经费支出 | 备注; p.28 repeats the header (no title) and ends the table."""
    result = read("xa-shenji-2026-bmys-p22-p27-p28.pdf")
    table = "gpb_expenditure_by_economic_class"
    got = [
        (a["economic_code"], a["government_economic_code"], label(a["item_name"]), a["value_printed"])
        for a in amounts(result, table) if a["measure"] == "total" and not a["is_blank"]
    ]
    typed = [
        (None, None, "合计", "40,052,896.08"),
        ("301", None, "工资福利支出", "29,812,828.40"),
        ("30101", "50101", "基本工资", "7,059,565.80"), ("30102", "50101", "津贴补贴", "7,165,225.24"), ("30103", "50101", "奖金", "6,009,930.00"),
        ("30107", "50199", "绩效工资", "776,999.52"), ("30108", "50102", "机关事业单位基本养老保险缴费", "2,593,931.66"),
        ("30109", "50102", "职业年金缴费", "1,476,965.81"), ("30110", "50102", "职工基本医疗保险缴费", "871,008.87"),
        ("30111", "50102", "公务员医疗补助缴费", "991,200.29"), ("30112", "50102", "其他社会保障缴费", "34,216.39"),
        ("30113", "50103", "住房公积金", "2,353,396.82"), ("30199", "50199", "其他工资福利支出", "480,388.00"),
        ("302", None, "商品和服务支出", "9,564,063.68"),
        ("30201", "50201", "办公费", "500,300.00"), ("30202", "50201", "印刷费", "80,000.00"), ("30207", "50201", "邮电费", "30,000.00"),
        ("30211", "50201", "差旅费", "2,800,000.00"), ("30213", "50209", "维修（护）费", "30,000.00"), ("30215", "50202", "会议费", "20,000.00"),
        ("30216", "50203", "培训费", "210,000.00"), ("30217", "50206", "公务接待费", "20,000.00"), ("30226", "50205", "劳务费", "268,380.00"),
        ("30227", "50205", "委托业务费", "3,500,000.00"), ("30228", "50201", "工会经费", "235,339.68"), ("30231", "50208", "公务用车运行维护费", "82,000.00"),
        ("30239", "50201", "其他交通费用", "1,169,532.00"), ("30299", "50299", "其他商品和服务支出", "618,512.00"),
        ("303", None, "对个人和家庭的补助", "576,004.00"),
        ("30302", "50905", "退休费", "463,084.00"), ("30305", "50901", "生活补助", "4,200.00"), ("30309", "50901", "奖励金", "108,720.00"),
        ("310", None, "资本性支出", "100,000.00"), ("31002", "50306", "办公设备购置", "100,000.00"),
    ]
    assert got == [(e, g, label(name), value) for e, g, name, value in typed]
    travel = [(a["measure"], a["value_printed"]) for a in amounts(result, table) if a["item_name"] == "差旅费" and not a["is_blank"]]
    assert travel == [("total", "2,800,000.00"), ("public_expenses", "350,000.00"), ("project_expenditure", "2,450,000.00")]
    assert {a["subject_code"] == a["economic_code"] for a in amounts(result, table) if a["subject_code"]} == {True}
    assert {a["page"] for a in amounts(result, table) if a["item_name"] == "办公设备购置"} == {3}


def test_beijing_code_name_cells_of_three_classifications():
    """北京市文化和旅游局 tables.pdf p.4 (预算03表 支出总表): 支出功能分类科目 | 政府支出经济分类科目 |
    部门支出经济分类科目 cells print code and name together (2070101-行政运行 | 50201-办公经费 |
    3021101-差旅费 | 42.240000 | 42.240000)."""
    result = read("bj-wenlv-2026-bmys-p4-p11-p12.pdf")
    table = "expenditure_summary"
    got = [
        (a["function_code"], a["government_economic_code"], a["economic_code"], a["item_name"], a["value_printed"])
        for a in amounts(result, table, page=1) if a["measure"] == "total" and not a["is_blank"]
    ][:8]
    assert got == [
        ("2050803", "50203", "30216", "培训支出", "25.000000"),
        ("2050803", "50502", "30213", "培训支出", "4.000000"),
        ("2050803", "50502", "30216", "培训支出", "367.487699"),
        ("2070101", "50101", "30101", "行政运行", "1,248.079200"),
        ("2070101", "50101", "30102", "行政运行", "2,601.740400"),
        ("2070101", "50101", "30103", "行政运行", "1,464.347000"),
        ("2070101", "50102", "30108", "行政运行", "627.478620"),
        ("2070101", "50102", "30109", "行政运行", "313.739208"),
    ]
    travel = [a for a in amounts(result, table, page=1) if a["economic_code"] == "3021101" and not a["is_blank"]]
    assert [(a["subject_code"], a["classification"], a["government_economic_code"], a["measure"], a["value_printed"]) for a in travel] == [
        ("2070101", "function", "50201", "total", "42.240000"), ("2070101", "function", "50201", "basic_expenditure", "42.240000"),
    ]
    assert_printed(result, table, [
        ("2050803", "培训支出", "basic_expenditure", "100.065220"), ("2050803", "培训支出", "project_expenditure", "267.422479"),
    ])


# ---------------------------------------------------------------------------------------------
# 4. side-by-side panels


def test_personnel_and_public_expense_panels_side_by_side(processed):
    """普陀区委社会工作部 2024 决算 p.13 (一般公共预算财政拨款基本支出决算表, in tests/fixtures/corpus;
    corpus-wide prints this table in one panel only): 经济分类科目编码 | 科目名称 | 决算数 twice, the
    人员经费 panel left, the 公用经费 panel right, closed by 人员经费合计 95.36 | 公用经费合计 10.23."""
    result = processed["sh-putuo-shegongbu-2024-bmjs"]
    rows = [a for a in amounts(result, "gpb_basic_expenditure_by_economic_class") if a["page"] == 13]
    panel = {(a["row_number"], a["column_number"]): (a["subject_code"], a["item_name"], a["value_printed"]) for a in rows}
    left, right = sorted({c for _r, c in panel})  # the two 决算数 columns
    assert [panel[(n, left)] for n in (1, 2, 3, 6)] == [("301", "工资福利支出", "95.36"), ("30101", "基本工资", "14.12"), ("30102", "津贴补贴", "39.72"), ("30107", "绩效工资", "10.16")]
    assert [panel[(n, right)] for n in (1, 2, 11, 21, 22, 24, 26, 28)] == [
        ("302", "商品和服务支出", "10.23"), ("30201", "办公费", "3.78"), ("30211", "差旅费", "1.15"), ("30226", "劳务费", "0.68"),
        ("30227", "委托业务费", "0.48"), ("30229", "福利费", "1.48"), ("30239", "其他交通费用", "2.43"), ("30299", "其他商品和服务支出", "0.20"),
    ]
    assert panel[(29, right)] == ("310", "资本性支出", "0.00") and (29, left) not in panel  # the left panel has ended
    last = max(n for n, _c in panel)
    assert (panel[(last, left)], panel[(last, right)]) == (("", "人员经费合计", "95.36"), ("", "公用经费合计", "10.23"))
    assert all(a["economic_code"] == a["subject_code"] for a in rows if a["subject_code"])


def test_xian_four_panel_summary_gives_each_panel_its_own_rows():
    """西安市审计局（汇总） p.22 (表1 部门综合预算收支总表, 单位：元): 收入 项目 | 预算数, then 支出 in
    three panels 支出功能分类科目（按大类） | 预算数, 部门预算支出经济分类科目（按大类） | 预算数,
    政府预算支出经济分类科目（按大类） | 预算数."""
    result = read("xa-shenji-2026-bmys-p22-p27-p28.pdf")
    rows = amounts(result, "revenue_expenditure_summary")
    second = sorted((a["column_number"], a["side"], a["item_name_printed"], a["value_printed"]) for a in rows if a["row_number"] == 2)
    assert second == [
        (2, "revenue", "1、财政拨款", "40,052,896.08"),
        (4, "expenditure", "1、一般公共服务支出", "31,722,917.00"),
        (6, "expenditure", "1、人员经费和公用经费支出", "33,544,216.08"),
        (8, "expenditure", "1、机关工资福利支出", "29,812,828.40"),
    ]
    assert_printed(result, "revenue_expenditure_summary", [
        ("", "一、部门预算", "total", "41,052,896.08"),
        ("", "一、部门预算", "total", "42,034,723.58"), ("", "一、部门预算", "total", "42,034,723.58"), ("", "一、部门预算", "total", "42,034,723.58"),
        ("", "(1)一般公共预算拨款", "total", "40,052,896.08"), ("", "6、其他收入", "total", "1,000,000.00"),
        ("205", "5、教育支出", "total", "210,000.00"), ("208", "8、社会保障和就业支出", "total", "4,635,589.86"),
        ("210", "10、卫生健康支出", "total", "1,862,209.16"), ("221", "20、住房保障支出", "total", "3,604,007.56"),
        ("301", "(1)工资福利支出", "total", "29,812,828.40"), ("302", "(2)商品和服务支出", "total", "3,055,383.68"),
        ("303", "(3)对个人和家庭的补助", "total", "576,004.00"), ("310", "(4)资本性支出", "total", "100,000.00"),
        ("", "2、专项业务经费支出", "total", "8,490,507.50"), ("302", "(2)商品和服务支出", "total", "8,490,507.50"),
        ("502", "2、机关商品和服务支出", "total", "11,545,891.18"), ("509", "9、对个人和家庭的补助", "total", "576,004.00"),
        ("", "本年收入合计", "total", "41,052,896.08"), ("", "本年支出合计", "total", "42,034,723.58"),
        ("", "上年实户资金余额", "total", "981,827.50"),
        ("", "收入总计", "total", "42,034,723.58"), ("", "支出总计", "total", "42,034,723.58"),
    ])
    by_panel = {a["column_number"]: a for a in rows if a["row_number"] == 2}
    assert (by_panel[4]["function_code"], by_panel[8]["government_economic_code"]) == ("201", "501")
    assert {by_panel[c]["subject_code_source"] for c in (4, 8)} == {"inferred_from_name"}
    totals = sorted((a["column_number"], a["row_role"]) for a in rows if normalize_label(a["item_name_printed"]) in ("收入总计", "支出总计"))
    assert totals == [(2, "total"), (4, "total"), (6, "total"), (8, "total")]



def test_xian_department_budget_equals_its_enumerated_revenue_items():
    result = read("xa-shenji-2026-bmys-p22-p27-p28.pdf")
    found = [c for c in checks(result, "enumerated_children_sum_to_parent", "revenue_expenditure_summary") if c["status"] == "failed"]
    assert found == []


# ---------------------------------------------------------------------------------------------
# 5. the total row labelled with the unit's name; several units in one table


def test_shenzhen_audit_office_row_is_the_total_of_its_table():
    """深圳市审计局 p.21 (表3 支出总表): 预算单位 column, first row 深圳市审计局 10,737.69 | 9,206.23 |
    1,531.45 | 0.00 | 0.00 | 0.00 | 775.86 | 554.08 | 0.00, the codes below with an empty 预算单位 cell."""
    result = read("sz-shenji-2026-bmys-p13-p21-p22-p24.pdf")
    table = "expenditure_summary"
    head = [(a["measure"], a["value_printed"], a["row_role"], a["budget_unit"]) for a in amounts(result, table) if a["row_number"] == 1]
    assert head == [
        ("total", "10,737.69", "total", "深圳市审计局"), ("basic_expenditure", "9,206.23", "total", "深圳市审计局"),
        ("project_expenditure", "1,531.45", "total", "深圳市审计局"), ("business_operation_expenditure", "0.00", "total", "深圳市审计局"),
        ("subsidy_to_affiliated_units", "0.00", "total", "深圳市审计局"), ("payment_to_higher_level", "0.00", "total", "深圳市审计局"),
        ("procurement", "775.86", "total", "深圳市审计局"), ("procurement_reserved_for_sme", "554.08", "total", "深圳市审计局"),
        ("procurement_reserved_for_small_and_micro_enterprises", "0.00", "total", "深圳市审计局"),
    ]
    assert {a["budget_unit"] for a in amounts(result, table)} == {"深圳市审计局"}
    assert {a["row_role"] for a in amounts(result, table) if a["row_number"] > 1} == {"item"}
    assert_printed(result, table, [
        ("201", "一般公共服务支出", "total", "6,960.90"), ("201", "一般公共服务支出", "basic_expenditure", "5,466.52"),
        ("201", "一般公共服务支出", "project_expenditure", "1,494.38"), ("20108", "审计事务", "total", "6,960.90"),
        ("2010801", "行政运行", "total", "5,466.52"), ("2010801", "行政运行", "project_expenditure", "0.00"),
        ("2010802", "一般行政管理事务", "project_expenditure", "919.44"), ("2010804", "审计业务", "total", "490.15"),
        ("2010805", "审计管理", "total", "64.80"), ("2010806", "信息化建设", "total", "20.00"),
        ("205", "教育支出", "basic_expenditure", "8.98"), ("20508", "进修及培训", "project_expenditure", "37.07"),
    ])


def test_shenzhen_basic_expenditure_table_opens_with_the_department_total():
    """深圳市审计局 p.24 (表4 基本支出总表): 支出项目类别 | 总计 | 财政拨款 (小计 | 一般公共预算拨款 |
    政府性基金预算拨款 | 国有资本经营预算拨款) | 财政专户管理资金 | 单位资金 (…) | 上年结余、结转; first
    row 深圳市审计局 9,206.23, then 工资福利支出 / 基本工资 … by name and indentation only."""
    result = read("sz-shenji-2026-bmys-p13-p21-p22-p24.pdf")
    table = "basic_expenditure_summary"
    total = one(result, table, "深圳市审计局", "total")
    assert (total["row_number"], total["row_role"], total["value_printed"], total["budget_unit"], total["subject_code"]) == (1, "total", "9,206.23", "深圳市审计局", "")
    assert one(result, table, "深圳市审计局", "gpb_appropriation")["value_printed"] == "9,206.23"
    assert_printed(result, table, [
        ("301", "工资福利支出", "total", "7,168.15"), ("30101", "基本工资", "total", "1,403.12"), ("30102", "津贴补贴", "total", "3,488.98"),
        ("30103", "奖金", "total", "687.89"), ("30109", "职业年金缴费", "total", "245.21"), ("30110", "职工基本医疗保险缴费", "total", "198.42"),
        ("30112", "其他社会保障缴费", "total", "6.13"), ("30113", "住房公积金", "total", "532.58"), ("30199", "其他工资福利支出", "total", "115.41"),
        ("302", "商品和服务支出", "total", "1,055.83"), ("30201", "办公费", "total", "94.11"), ("30202", "印刷费", "total", "5.00"),
        ("30205", "水费", "total", "3.00"), ("30206", "电费", "total", "262.00"), ("30207", "邮电费", "gpb_appropriation", "27.52"),
    ])
    pension = [a for a in amounts(result, table) if a["measure"] == "total" and a["value_printed"] == "490.41"]
    assert [(a["subject_code"], a["subject_code_source"]) for a in pension] == [("30108", "inferred_from_name")]  # 机关事业单位基本养老保险缴 / 费, the name wrapped


def test_shenzhen_several_units_each_row_carries_its_unit():
    """深圳市生态环境局 p.81 (表3 支出总表): 深圳市生态环境局 190,281.97 (the department), 深圳市生态
    环境局（本级） 63,051.28 with its codes; p.89: … 深圳市生态环境监测站 14,765.81 with its codes."""
    result = read("sz-sthj-2026-bmys-p81-p89.pdf")
    table = "expenditure_summary"
    units = [
        (label(a["item_name_printed"]), a["row_role"], a["value_printed"])
        for a in amounts(result, table) if a["measure"] == "total" and not a["subject_code"]
    ]
    assert units == [("深圳市生态环境局", "total", "190,281.97"), (label("深圳市生态环境局（本级）"), "subtotal", "63,051.28"), ("深圳市生态环境监测站", "subtotal", "14,765.81")]
    own = [(a["subject_code"], a["value_printed"], a["budget_unit"]) for a in amounts(result, table, page=1) if a["measure"] == "total" and a["subject_code"]]
    assert own == [
        ("205", "132.06", "深圳市生态环境局（本级）"), ("20508", "132.06", "深圳市生态环境局（本级）"), ("2050803", "132.06", "深圳市生态环境局（本级）"),
        ("208", "1,041.93", "深圳市生态环境局（本级）"), ("20805", "1,041.93", "深圳市生态环境局（本级）"),
        ("2080501", "338.40", "深圳市生态环境局（本级）"), ("2080505", "475.38", "深圳市生态环境局（本级）"),
    ]
    station = [(a["subject_code"], a["item_name"], a["value_printed"], a["budget_unit"]) for a in amounts(result, table, page=2) if a["measure"] == "total" and a["row_number"] > one(result, table, "深圳市生态环境监测站", "total")["row_number"]]
    assert station == [
        ("208", "社会保障和就业支出", "1,089.98", "深圳市生态环境监测站"), ("20805", "行政事业单位养老支出", "1,089.98", "深圳市生态环境监测站"),
        ("2080502", "事业单位离退休", "133.22", "深圳市生态环境监测站"), ("2080505", "机关事业单位基本养老保险缴费支出", "646.74", "深圳市生态环境监测站"),
    ]
    assert one(result, table, "深圳市生态环境局", "total")["budget_unit"] == "深圳市生态环境局"


# ---------------------------------------------------------------------------------------------
# 6. column groups with measures of their own; columns of which


# the group header 2026年政府采购项目 spans its 小计 and both 其中 columns (pp.21, 81)
PROCUREMENT = {
    "2026年政府采购项目 / 小计": "procurement",
    "2026年政府采购项目 / 其中：2026年政府采购项目中预留给中小企业的项目资金规模": "procurement_reserved_for_sme",
    "2026年政府采购项目 / 其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模": "procurement_reserved_for_small_and_micro_enterprises",
}


@pytest.mark.parametrize("name", ["sz-shenji-2026-bmys-p13-p21-p22-p24.pdf", "sz-sthj-2026-bmys-p81-p89.pdf"])
def test_shenzhen_procurement_columns_have_their_own_measures(name):
    result = read(name)
    measures = {normalize_label(a["column_header"]): a["measure"] for a in amounts(result, "expenditure_summary")}
    assert {k: v for k, v in measures.items() if "政府采购" in k} == {normalize_label(k): v for k, v in PROCUREMENT.items()}
    assert [normalize_label(k) for k, v in measures.items() if v == "total"] == ["支出总计"]


def test_shenzhen_procurement_values():
    """深圳市生态环境局 p.81: 66,796.73 | 49,793.65 | 32,644.32 (department), 28,306.02 | 25,109.70 |
    17,258.35 （本级）; p.89 2111450 事业运行 272.78 | 2.60 | 0.00; 监测站 1,941.21 | 1,120.87 | 784.61."""
    result = read("sz-sthj-2026-bmys-p81-p89.pdf")
    assert_printed(result, "expenditure_summary", [
        ("", "深圳市生态环境局", "procurement", "66,796.73"), ("", "深圳市生态环境局", "procurement_reserved_for_sme", "49,793.65"),
        ("", "深圳市生态环境局", "procurement_reserved_for_small_and_micro_enterprises", "32,644.32"),
        ("", "深圳市生态环境局", "business_operation_expenditure", "11,575.59"),
        ("", "深圳市生态环境局（本级）", "procurement", "28,306.02"), ("", "深圳市生态环境局（本级）", "procurement_reserved_for_sme", "25,109.70"),
        ("", "深圳市生态环境局（本级）", "procurement_reserved_for_small_and_micro_enterprises", "17,258.35"),
        ("2111450", "事业运行", "total", "4,125.60"), ("2111450", "事业运行", "procurement", "272.78"), ("2111450", "事业运行", "procurement_reserved_for_sme", "2.60"),
        ("2210201", "住房公积金", "total", "401.68"), ("2210203", "购房补贴", "basic_expenditure", "939.02"),
        ("", "深圳市生态环境监测站", "procurement", "1,941.21"), ("", "深圳市生态环境监测站", "procurement_reserved_for_sme", "1,120.87"),
        ("", "深圳市生态环境监测站", "procurement_reserved_for_small_and_micro_enterprises", "784.61"),
    ])


def test_shenzhen_business_operation_column_is_not_part_of_the_total():
    """深圳市生态环境局 p.81: 190,281.97 = 51,374.73 + 138,907.24, with 事业单位经营支出 11,575.59 printed
    beside it: no row total check fails."""
    result = read("sz-sthj-2026-bmys-p81-p89.pdf")
    found = checks(result, "row_total_equals_components", "expenditure_summary")
    assert found and not [c for c in found if c["status"] == "failed" and c["severity"] in ("warning", "error")]


def test_beijing_columns_of_which_are_not_added_into_the_total():
    """北京市文化和旅游局 pp.11–12: 2070199 | 50502 | 30227-委托业务费 7,272.391630 = 377.970000 +
    6,894.421630, 事业单位经营支出 52.200000 beside; 30299 10,850.263852 = 406.158390 + 10,444.105462,
    319.980000 beside; 合计 210,357.138928 = 102,167.442645 + 108,189.696283, 372.180000 beside."""
    result = read("bj-wenlv-2026-bmys-p4-p11-p12.pdf")
    table = "expenditure_summary"
    business = [(a["economic_code"], a["value_printed"], a["column_header"]) for a in amounts(result, table) if a["measure"] == "business_operation_expenditure" and not a["is_blank"]]
    assert business == [("30227", "52.200000", "其中 / 事业单位经营支出"), ("30299", "319.980000", "其中 / 事业单位经营支出"), (None, "372.180000", "其中 / 事业单位经营支出")]
    assert_printed(result, table, [
        ("", "合计", "total", "210,357.138928"), ("", "合计", "basic_expenditure", "102,167.442645"), ("", "合计", "project_expenditure", "108,189.696283"),
        ("2070199", "其他文化和旅游支出", "total", "7,272.391630"), ("2070199", "其他文化和旅游支出", "project_expenditure", "6,894.421630"),
        ("2070199", "其他文化和旅游支出", "total", "10,850.263852"), ("2150299", "其他制造业支出", "project_expenditure", "23.646000"),
    ])
    found = checks(result, "row_total_equals_components", table)
    assert found and not [c for c in found if c["status"] == "failed" and c["severity"] in ("warning", "error")]
    info = [c for c in found if c["status"] == "failed" and c["severity"] == "info"]
    assert len(info) == 1 and "其中 / 事业单位经营支出" in info[0]["message"]


# ---------------------------------------------------------------------------------------------
# 7. tables without codes: codes inferred from the names


HANGZHOU_ROWS = [
    # (name as printed, code in the compiled function list, 总计 as printed)
    ("合计", "", "5,876.67"),
    ("科学技术支出", "206", "28.00"),
    ("技术研究与开发", "20604", "28.00"),
    ("科技成果转化与扩散", "2060404", "28.00"),
    ("社会保障和就业支出", "208", "396.67"),
    ("行政事业单位养老支出", "20805", "396.67"),
    ("行政单位离退休", "2080501", "193.24"),
    ("机关事业单位基本养老保险缴费支出", "2080505", "135.62"),
    ("机关事业单位职业年金缴费支出", "2080506", "67.81"),
    ("卫生健康支出", "210", "80.52"),
    ("行政事业单位医疗", "21011", "80.52"),
    ("行政单位医疗", "2101101", "61.17"),
    ("事业单位医疗", "2101102", "19.35"),
    ("自然资源海洋气象等支出", "220", "5,371.48"),
    ("气象事务", "22005", "5,371.48"),
    ("行政运行", "2200501", "2,617.19"),
    ("气象事业机构", "2200504", "650.68"),
    ("气象服务", "2200509", "2,103.61"),
]


def test_hangzhou_function_codes_inferred_from_names_and_indentation():
    """杭州市气象局 p.17 (表3：2026年市级部门支出预算总表): 功能分类科目名称 only, the hierarchy by
    indentation. The codes were looked up by hand in schemas/codelists/functional_classification.csv."""
    result = read("hz-qixiang-2026-bmys-p17.pdf")
    rows = [a for a in amounts(result, "expenditure_summary") if a["measure"] == "total"]
    assert [(a["item_name"], a["subject_code"], a["value_printed"]) for a in rows] == HANGZHOU_ROWS
    assert [a["subject_code_source"] for a in rows] == [""] + ["inferred_from_name"] * 17
    assert [a["function_code"] for a in rows][1:4] == ["206", "20604", "2060404"]
    assert [a["subject_level"] for a in rows][1:4] == ["class", "section", "item"]
    assert_printed(result, "expenditure_summary", [
        ("2060404", "科技成果转化与扩散", "project_expenditure", "28.00"), ("2080501", "行政单位离退休", "personnel_expenses", "192.34"),
        ("2080501", "行政单位离退休", "public_expenses", "0.90"), ("2200501", "行政运行", "personnel_expenses", "1,907.01"),
        ("2200501", "行政运行", "public_expenses", "710.18"), ("2200504", "气象事业机构", "personnel_expenses", "523.49"),
        ("2200504", "气象事业机构", "public_expenses", "127.19"), ("2200509", "气象服务", "project_expenditure", "2,103.61"),
        ("220", "自然资源海洋气象等支出", "project_expenditure", "2,103.61"),
    ])


def test_hangzhou_rounding_gaps_are_reported_as_rounding():
    """p.17 prints 合计 5,876.67 with 人员支出 2,906.80 + 日常公用支出 838.27 + 项目支出 2,131.61 =
    5,876.68, and 人员支出 2,906.80 over classes 395.77 + 80.52 + 2,430.50 = 2,906.79: within the
    rounding of 万元 figures, so info, not warning."""
    result = read("hz-qixiang-2026-bmys-p17.pdf")
    failed = [c for c in result.resources["checks"] if c["status"] == "failed" and c.get("table_id") == "expenditure_summary"]
    assert {(c["check_id"], c["severity"]) for c in failed} == {("row_total_equals_components", "info"), ("total_equals_top_level_rows", "info")}


# ---------------------------------------------------------------------------------------------
# 8. tables continued over pages


def test_shenzhen_title_printed_again_on_the_next_page():
    """深圳市审计局 pp.21–22: 表3 / 支出总表 / 部门名称 … 单位：万元 and the header again on p.22,
    which goes on with 2050803 培训支出 46.05 … 2101101 行政单位医疗 203.66."""
    result = read("sz-shenji-2026-bmys-p13-p21-p22-p24.pdf")
    assert [t["table_id"] for t in result.resources["source_tables"]].count("expenditure_summary") == 1
    page3 = [(a["subject_code"], a["item_name"], a["value_printed"]) for a in amounts(result, "expenditure_summary", page=3) if a["measure"] == "total"]
    assert page3 == [
        ("2050803", "培训支出", "46.05"), ("208", "社会保障和就业支出", "1,743.43"), ("20805", "行政事业单位养老支出", "1,743.43"),
        ("2080501", "行政单位离退休", "994.09"), ("2080505", "机关事业单位基本养老保险缴费支出", "504.13"),
        ("2080506", "机关事业单位职业年金缴费支出", "245.21"), ("210", "卫生健康支出", "203.66"),
        ("21011", "行政事业单位医疗", "203.66"), ("2101101", "行政单位医疗", "203.66"),
    ]


def test_yantai_title_printed_again_on_the_next_page():
    result = read("yt-xinfang-2026-bmys-p9-p10-p15.pdf")
    assert [t["table_id"] for t in result.resources["source_tables"]] == ["expenditure_summary", "gpb_basic_expenditure_by_economic_class"]
    assert {a["page"] for a in amounts(result, "expenditure_summary")} == {1, 2}


def test_guangzhou_columns_shifted_between_pages():
    """广州市卫生健康委员会 pp.9–10 (表2 收入总体情况表): p.10 repeats the header without the title,
    its columns a few points off p.9's. p.10: 广州医科大学附属第三医院 224,676.61 | 15,991.04 | 0.00
    … | 204,037.03 | 0.00 | 4,648.54 | 0.00 | 0.00 | 0.00."""
    result = read("gz-weijian-2026-bmys-p116-p9-p10.pdf")
    table = "revenue_summary"
    assert [t["table_id"] for t in result.resources["source_tables"]].count(table) == 1
    assert_printed(result, table, [
        ("", "合计", "total", "3,324,258.76"), ("", "合计", "gpb_appropriation", "324,314.91"),
        ("", "合计", "public_institution_revenue", "2,927,142.92"), ("", "合计", "other_revenue", "72,800.92"),
        ("", "广州市卫生健康委员会", "total", "21,657.71"), ("", "广州市胸科医院", "public_institution_revenue", "71,766.69"),
        ("", "广州血液中心", "other_revenue", "262.00"), ("", "广州市第一人民医院", "other_revenue", "3,088.22"),
    ], page=2)
    page3 = [(a["row_number"], a["measure"], a["value_printed"]) for a in sorted(amounts(result, table, page=3), key=lambda a: (a["row_number"], a["column_number"])) if a["value_printed"] != "0.00"]
    first = page3[0][0]
    assert page3 == [
        (first, "total", "224,676.61"), (first, "gpb_appropriation", "15,991.04"), (first, "public_institution_revenue", "204,037.03"), (first, "other_revenue", "4,648.54"),
        (first + 1, "total", "109,281.49"), (first + 1, "gpb_appropriation", "7,198.49"), (first + 1, "public_institution_revenue", "100,853.00"), (first + 1, "other_revenue", "1,230.00"),
        (first + 2, "total", "128,845.95"), (first + 2, "gpb_appropriation", "4,695.95"), (first + 2, "public_institution_revenue", "122,000.00"), (first + 2, "other_revenue", "2,150.00"),
        (first + 3, "total", "146,817.01"), (first + 3, "gpb_appropriation", "5,575.56"), (first + 3, "public_institution_revenue", "140,891.85"), (first + 3, "other_revenue", "349.60"),
        (first + 4, "total", "66,293.21"), (first + 4, "gpb_appropriation", "4,973.21"), (first + 4, "public_institution_revenue", "58,760.00"), (first + 4, "other_revenue", "2,560.00"),
    ]
    names = [label(a["item_name_printed"]) for a in amounts(result, table, page=3) if a["measure"] == "total"]
    assert names == [label(n) for n in ["广州医科大学附属第三医院", "广州医科大学附属第四医院（广州市增城区人民医院）", "广州医科大学附属第五医院", "广州医科大学附属肿瘤医院", "广州医科大学附属口腔医院(广州医科大学羊城医院)"]]
    assert len({a["row_number"] for a in amounts(result, table)}) == 25  # 合计 and 24 units


def test_chongqing_letter_spaced_page_numbers_stay_out_of_the_rows():
    """重庆市商务委员会 pp.16–17 (表五 2026年一般公共预算支出情况表): pages end with `— 1 6 —` and
    `— 1 7 —`; p.16's last row is 208 社会保障和就业支出 6,231.00 | 6,231.00 | 6,192.76 | 38.24, p.17's
    21606 涉外发展服务支出 22,139.93 | | | | 22,139.93. p.17 repeats the header, not the title."""
    result = read("cq-shangwu-2026-bmys-p16-p17.pdf")
    table = "gpb_expenditure_by_function"
    assert [t["table_id"] for t in result.resources["source_tables"]] == [table]
    codes = [(a["page"], a["subject_code"]) for a in amounts(result, table) if a["measure"] == "total"]
    assert codes == [(1, c) for c in ["", "201", "20113", "2011301", "2011302", "2011308", "2011350", "2011399", "205", "20503", "2050305", "20508", "2050803", "208"]] + [
        (2, c) for c in ["20805", "2080501", "2080502", "2080505", "2080506", "2080599", "210", "21011", "2101101", "2101102", "2101199", "215", "21505", "2150516", "216", "21602", "2160299", "21606"]
    ]
    last_of_page = {(a["subject_code"], a["measure"]): a["value_printed"] for a in amounts(result, table) if a["subject_code"] in ("208", "21606") and not a["is_blank"]}
    assert last_of_page == {
        ("208", "total"): "6,231.00", ("208", "basic_expenditure"): "6,231.00", ("208", "personnel_expenses"): "6,192.76", ("208", "public_expenses"): "38.24",
        ("21606", "total"): "22,139.93", ("21606", "project_expenditure"): "22,139.93",
    }
    assert one(result, table, "涉外发展服务支出", "total")["item_name_printed"] == "涉外发展服务支出"
    assert_printed(result, table, [
        ("", "合计", "total", "101,833.84"), ("", "合计", "basic_expenditure", "43,436.09"), ("", "合计", "personnel_expenses", "34,411.12"),
        ("", "合计", "public_expenses", "9,024.98"), ("", "合计", "project_expenditure", "58,397.75"),
        ("2011301", "行政运行", "personnel_expenses", "4,652.22"), ("2011350", "事业运行", "public_expenses", "346.26"),
        ("20503", "职业教育", "public_expenses", "7,044.52"), ("2080502", "事业单位离退休", "public_expenses", "16.77"),
        ("2080599", "其他行政事业单位养老支出", "personnel_expenses", "1,230.86"), ("2101102", "事业单位医疗", "total", "1,000.57"),
        ("2150516", "工程建设及运行维护", "project_expenditure", "238.00"), ("2160299", "其他商业流通事务支出", "total", "20,706.75"),
    ])


def test_beijing_table_continued_without_title_or_header():
    """北京市文化和旅游局 pp.4, 11, 12: pp.11–12 print the rows only, in the columns of p.4."""
    result = read("bj-wenlv-2026-bmys-p4-p11-p12.pdf")
    assert [t["table_id"] for t in result.resources["source_tables"] if not t["table_id"].startswith("unidentified")] == ["expenditure_summary"]
    assert {a["page"] for a in amounts(result, "expenditure_summary")} == {1, 2, 3}
    assert one(result, "expenditure_summary", "合计", "total")["page"] == 3


# ---------------------------------------------------------------------------------------------
# 9. narrative paragraphs and 绩效 tables are not money tables; key projects are


def test_changsha_boxed_words_in_the_narrative_are_no_table():
    """长沙市信访局 pp.5–7: running text whose ruled boxes around words (（五）检查指导各区、县（市 | ) |
    和市直各部门的信访工作 | 。, 局机关设办公室 | 、 | 机关党总支 | 、 …, 主要是 | 单位 | 为完成…) are
    grids to pdfplumber; 2026 年本单位收入预算 1935.36 万元 (p.5)."""
    result = read("cs-xinfang-2026-bmys-p5-p6-p7.pdf")
    assert result.resources["source_tables"] == [] and result.resources["amounts"] == []
    text = "".join(s["text"] for s in result.resources["narrative_sections"])
    assert "局机关设办公室" in text and "异地接访处" in text
    assert ("1935.36 万元", "revenue_total") in {(f["value_printed"], f["topic"]) for f in result.resources["narrative_figures"]}


def test_shenzhen_key_project_targets_of_the_narrative():
    """深圳市审计局 p.13 (第七部分 重点项目预算绩效情况说明): 二级预算单位名称 | 一级项目名称 | 预算数（万元） |
    绩效目标: 深圳市审计局 | 规划类经费 | 6.50; 审计管理业务 | 506.95; 信息化（财政审核） | 80.00."""
    result = read("sz-shenji-2026-bmys-p13-p21-p22-p24.pdf")
    got = [(label(a["item_name_printed"]), a["value_printed"], a["page"]) for a in amounts(result, "key_project_targets") if not a["is_blank"]]
    assert got == [("规划类经费", "6.50", 1), ("审计管理业务", "506.95", 1), (label("信息化（财政审核）"), "80.00", 1)]
    assert {a["measure"] for a in amounts(result, "key_project_targets")} == {"total"}
    first = amounts(result, "key_project_targets")[0]
    assert first["row_attributes"].startswith("绩效目标: 编制完成并印发《深圳市") and "审计事业发展规划" in first["row_attributes"]


def test_guangzhou_key_project_targets_of_the_narrative():
    """广州市卫生健康委员会 p.116: 项目 | 预算数（单位：万元） | 绩效目标, unit rows (广州市卫生健康委员会,
    广州市胸科医院, 广州血液中心) without amounts; 1,200 | 646.54 | 606.53 | 922 | 8,895.92 | 848 | 622."""
    result = read("gz-weijian-2026-bmys-p116-p9-p10.pdf")
    got = [(label(a["item_name_printed"]), a["value_printed"], a["page"]) for a in amounts(result, "key_project_targets") if not a["is_blank"]]
    assert got == [(label(name), value, 1) for name, value in [
        ("大型活动医疗保障医务人员、救护车补助经费", "1,200"), ("综合业务费", "646.54"),
        ("广州市卫生健康委员会2025-2026年信息化运维项目", "606.53"), ("传染病救治医院财政补助经费", "922"),
        ("专用卫生材料", "8,895.92"), ("物业管理费（广州血液中心）", "848"), ("综合业务费", "622"),
    ]]
    assert sum(a["amount"] for a in amounts(result, "key_project_targets") if a["amount"] is not None) == Decimal("13740.99")


# ---------------------------------------------------------------------------------------------
# 10. checks that allow the 上年结转 balance on one side


def test_beijing_gpb_table_total_includes_the_balance_carried_over():
    """北京市信访办公室 pp.5–6: 预算05表 一般公共预算支出表 合计 9,626.777589 = 预算04表 一、一般公共预算
    资金 9,616.338314 + 上年结转结余 一、一般公共预算拨款 10.439275."""
    result = read("bj-xinfang-2026-bmys-p5-p6.pdf")
    assert_printed(result, "fiscal_appropriation_summary", [
        ("", "一、一般公共预算资金", "total", "9,616.338314"), ("201", "一、一般公共服务支出", "total", "7,045.905745"),
        ("205", "五、教育支出", "total", "38.000000"), ("208", "八、社会保障和就业支出", "total", "962.588688"),
        ("210", "九、卫生健康支出", "total", "469.814256"), ("221", "十九、住房保障支出", "total", "1,110.468900"),
        ("", "本年收入合计", "total", "9,616.338314"), ("", "本年支出合计", "total", "9,626.777589"),
        ("", "上年结转结余", "total", "10.439275"), ("", "一、一般公共预算拨款", "total", "10.439275"),
        ("", "收入总计", "total", "9,626.777589"), ("", "支出总计", "total", "9,626.777589"),
    ])
    assert_printed(result, "gpb_expenditure_by_function", [
        ("", "合计", "total", "9,626.777589"), ("", "合计", "basic_expenditure", "7,485.224572"), ("", "合计", "personnel_expenses", "6,901.453085"),
        ("", "合计", "public_expenses", "583.771487"), ("", "合计", "project_expenditure", "2,141.553017"),
        ("", "合计", "project_expenditure_excluding_capital_construction", "2,141.553017"),
        ("2010301", "行政运行", "public_expenses", "44.080000"), ("2014001", "行政运行", "personnel_expenses", "3,454.781840"),
        ("2014001", "行政运行", "public_expenses", "501.691487"), ("2014004", "信访业务", "project_expenditure", "2,141.553017"),
        ("2014050", "事业运行", "total", "903.799401"), ("2050803", "培训支出", "public_expenses", "38.000000"),
        ("2080501", "行政单位离退休", "total", "154.475000"), ("2080505", "机关事业单位基本养老保险缴费支出", "total", "469.133952"),
        ("2080506", "机关事业单位职业年金缴费支出", "total", "234.709788"), ("2080801", "死亡抚恤", "total", "52.000000"),
        ("2089999", "其他社会保障和就业支出", "total", "52.269948"), ("2101101", "行政单位医疗", "total", "276.811212"),
        ("2101102", "事业单位医疗", "total", "74.565492"), ("2101103", "公务员医疗补助", "total", "118.437552"),
        ("2210201", "住房公积金", "total", "502.233096"), ("2210203", "购房补贴", "total", "608.235804"),
    ])
    [compared] = checks(result, "gpb_function_total_vs_summary")
    assert compared["status"] == "passed"
    balances = checks(result, "total_equals_subtotal_plus_balances", "fiscal_appropriation_summary")
    assert len(balances) == 2 and {c["status"] for c in balances} == {"passed"}
    assert {c["status"] for c in checks(result, "revenue_equals_expenditure", "fiscal_appropriation_summary")} == {"passed"}
