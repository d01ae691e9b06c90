"""A real converted page: two page divs of the 烟台市退役军人事务局 2026 部门预算 web page, copied
byte for byte into tests/fixtures/html-positioned/ (origin and checksums in
tests/fixtures/SOURCES.csv).

The expected cells were typed by reading the page text (the runs and their positions), not
copied from the reader's output. Page 7 of the publication is 公开表1 收支总体情况表; page 21 is
公开表8 政府性基金预算支出情况表 with 类 | 款 | 项 columns. In the fixture they are pages 1 and 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Grid,
    Origin,
    SourceDocument,
    SourceFile,
    TextLine,
)
from yusuan.extract import file_to_blocks
from yusuan.package.process import process_document

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "html-positioned" / "yt-tuiyi-2026-bmys-p7-p21.html"
L, U = COVERED_LEFT, COVERED_ABOVE
E = ""

REVENUE_EXPENDITURE = [
    ["收 入", L, "支 出", L],
    ["项目", "预算数", "项目", "预算数"],
    ["一、财政拨款收入", "28,685.65", "一、一般公共服务支出", E],
    ["一般公共预算收入", "28,467.65", "二、外交支出", E],
    ["政府性基金预算收入", "218.00", "三、公共安全支出", E],
    ["国有资本经营预算收入", E, "四、教育支出", "148.95"],
    ["二、财政专户管理资金收入", E, "五、科学技术支出", E],
    ["三、事业收入（不含教育收费）", "1,429.17", "六、文化旅游体育与传媒支出", E],
    ["四、事业单位经营收入", "1,202.53", "七、社会保障和就业支出", "27,416.60"],
    ["五、其他收入", "1,154.15", "八、卫生健康支出", "7,331.22"],
    [E, E, "九、节能环保支出", E],
    [E, E, "十、城乡社区支出", E],
    [E, E, "十一、农林水支出", E],
    [E, E, "十二、交通运输支出", E],
    [E, E, "十三、资源勘探工业信息等支出", E],
    [E, E, "十四、商业服务业等支出", E],
    [E, E, "十五、金融支出", E],
    [E, E, "十六、自然资源海洋气象等支出", E],
    [E, E, "十七、住房保障支出", "759.73"],
    [E, E, "十八、粮油物资储备支出", E],
    [E, E, "十九、国有资本经营预算支出", E],
    [E, E, "二十、灾害防治及应急管理支出", E],
    [E, E, "二十一、其他支出", "218.00"],
    # four ruled rows left empty (the rows are 18.38 pt apart: 二十一 at 494.1, 本年收入合计 at 585.7)
    [E, E, E, E],
    [E, E, E, E],
    [E, E, E, E],
    [E, E, E, E],
    ["本 年 收 入 合 计", "32,471.49", "本 年 支 出 合 计", "35,874.49"],  # printed letter-spaced
    [E, E, E, E],
    ["上级补助收入", "3,403.00", E, E],
    ["附属单位上缴收入", E, "对附属单位的补助支出", E],
    ["使用非财政拨款结余", E, "上缴上级支出", E],
    ["上年结转", E, "结转下年", E],
    ["收 入 总 计", "35,874.49", "支 出 总 计", "35,874.49"],
]

GOVERNMENT_FUND = [
    ["科目编码", L, L, "科目名称", "合 计", "基本支出", L, L, "项目支出"],
    ["类", "款", "项", U, U, "小 计", "人员支出", "日常公用支出", U],
    [E, E, E, "合 计", "218.00", E, E, E, "218.00"],
    ["229", E, E, "其他支出", "218.00", E, E, E, "218.00"],
    [E, "60", E, "彩票公益金安排的支出", "218.00", E, E, E, "218.00"],
    [E, E, "99", "用于其他社会公益事业的彩票公益金支出", "218.00", E, E, E, "218.00"],
]


@pytest.fixture(scope="module")
def found():
    return file_to_blocks(SourceFile(FIXTURE, "full", sha256_of(FIXTURE)))


def lines_of(found, page: int) -> list[str]:
    return [b.text for b in found.blocks if isinstance(b, TextLine) and b.origin.page == page]


def grid_of(found, page: int) -> Grid:
    grids = [b for b in found.blocks if isinstance(b, Grid) and b.origin.page == page]
    assert len(grids) == 1
    return grids[0]


def test_the_fixture_is_the_recorded_copy():
    assert sha256_of(FIXTURE) == "2198219152562cd232acffd0e05a3a4ee747ab44988f6da1dca3c773e9e2c2e5"


def test_two_page_divs_are_two_pages(found):
    assert found.page_count == 2
    assert found.blank_pages == [] and found.pages_without_text == [] and found.hidden_chars == {}


def test_revenue_expenditure_summary_page(found):
    assert lines_of(found, 1) == ["公开表1", "收支总体情况表", "部门（单位）：烟台市退役军人事务局 单位：万元", "—6—"]
    grid = grid_of(found, 1)
    assert grid.rows == REVENUE_EXPENDITURE
    # the four columns of the ruling (each cell is a box; adjacent borders are 0.05–0.1 pt apart)
    edges = [x for bound in grid.column_bounds or [] for x in bound]
    assert edges == pytest.approx([43.0, 184.37, 184.37, 297.5, 297.5, 438.91, 438.91, 552.0], abs=0.01)
    assert [b.origin.line for b in found.blocks if b.origin.page == 1] == [1, 2, 3, 4, 5]
    assert grid.row_origins == [Origin(FIXTURE.name, sha256_of(FIXTURE), 1, 4)] * len(REVENUE_EXPENDITURE)


def test_government_fund_page_with_class_section_item_columns(found):
    assert lines_of(found, 2) == ["公开表8", "政府性基金预算支出情况表", "部门（单位）：烟台市退役军人事务局 单位：万元", "—20—"]
    grid = grid_of(found, 2)
    assert grid.rows[: len(GOVERNMENT_FUND)] == GOVERNMENT_FUND
    assert all(cell == E for row in grid.rows[len(GOVERNMENT_FUND):] for cell in row)  # ruled rows left empty
    bounds = grid.column_bounds
    assert bounds is not None and len(bounds) == 9
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))  # left to right, touching


def test_the_pipeline_finds_both_tables_with_their_unit():
    document = SourceDocument("yt-tuiyi-2026-bmys-p7-p21", "烟台市退役军人事务局", "山东省烟台市", 2026, "部门预算", (SourceFile(FIXTURE, "full", sha256_of(FIXTURE)),))
    result = process_document(document)
    tables = {t["table_id"]: t for t in result.resources["source_tables"]}
    assert set(tables) == {"revenue_expenditure_summary", "government_fund_expenditure"}
    assert {t["unit_printed"] for t in tables.values()} == {"万元"}
    assert (tables["revenue_expenditure_summary"]["page"], tables["government_fund_expenditure"]["page"]) == (1, 2)
    fund = [a for a in result.resources["amounts"] if a["table_id"] == "government_fund_expenditure" and not a["is_blank"]]
    assert sorted((a["function_code"] or "", str(a["amount"])) for a in fund) == [(code, "218.00") for code in ("", "", "229", "229", "22960", "22960", "2296099", "2296099")]
