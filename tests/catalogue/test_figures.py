"""The numbers behind the charts (figures.py) and their SVG (svg.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from variants import FJ

from yusuan.catalogue.figures import (
    Chart,
    PackageData,
    economic_chart,
    function_chart,
    package_charts,
    three_public_chart,
)
from yusuan.catalogue.index import load_package
from yusuan.catalogue.svg import bar_chart, share, wan

SVG = "{http://www.w3.org/2000/svg}"


def cell(row: int, col: int, measure: str, yuan: str | None, *, table: str = "three_public_expenses",
         label: str = "", role: str = "item", code: str = "", level: str = "", klass: str = "") -> dict[str, str]:
    return {
        "table_sequence": "9", "table_id": table, "row_number": str(row), "column_number": str(col),
        "item_name": label, "item_name_printed": label, "row_role": role, "is_of_which": "false",
        "subject_code": code, "subject_level": level, "class_code": klass, "column_group": "",
        "measure": measure, "phase": "budget", "amount_yuan": yuan or "", "is_blank": "true" if yuan is None else "false",
    }


def data(amounts: list[dict[str, str]]) -> PackageData:
    return PackageData(amounts=amounts, tables=[], functions={}, economics={}, phase="budget")


def bars(chart: Chart) -> dict[str, Decimal | None]:
    return {b.key: b.yuan for b in chart.bars}


# --- money format -------------------------------------------------------------------------------


def test_wan_formats_yuan_as_wan_yuan_rounded_half_up():
    assert wan(Decimal("11820400.00")) == "1,182.04"
    assert wan(Decimal("50")) == "0.01"  # 0.005 万元 rounds up
    assert wan(Decimal("49.99")) == "0.00"
    assert wan(Decimal("-123456")) == "-12.35"
    assert wan(None) == ""
    assert share(Decimal(1), Decimal(3)) == "33.3%"
    assert share(Decimal(1), Decimal(0)) == "" and share(None, Decimal(3)) == ""


# --- layouts, on crafted cells ------------------------------------------------------------------


def test_three_public_as_columns_blank_is_not_zero():
    chart = three_public_chart(data([
        cell(1, 1, "three_public_total", "9500.00", role="total"),
        cell(1, 2, "outbound_travel", None, role="total"),
        cell(1, 3, "official_reception", "9500.00", role="total"),
        cell(1, 7, "operating_expenses", "2294300.00", role="total"),
    ]))
    assert bars(chart) == {"outbound_travel": None, "official_reception": Decimal("9500.00"), "official_vehicles": None}
    assert chart.total_yuan == Decimal("9500.00") and chart.drawable


def test_three_public_items_split_by_fund_in_rows_of_years():
    """深圳 表9: rows 2025年 | 2026年 | 增减变化金额, each item over 一般公共预算 | 政府性基金预算 |
    国有资本经营预算 (sz-xinfang p.31: 2026年 总计 5.58, 公务接待费 2.98, 公务用车 2.60 万元, funds 0.00)."""
    def year(row, period, values):
        cells = []
        for col, (measure, fund, yuan) in enumerate(values, start=3):
            c = cell(row, col, measure, yuan)
            c.update(period=period, fund_scope=fund)
            cells.append(c)
        return cells
    def funds(measure, gpb, other="0.00"):
        return [(measure, "general_public_budget", gpb), (measure, "government_fund", other), (measure, "state_capital", other)]
    chart = three_public_chart(data([
        *year(1, "previous", [*funds("three_public_total", "55800.00"), *funds("official_reception", "29800.00")]),
        *year(2, "current", [*funds("three_public_total", "55800.00", "100.00"), *funds("official_reception", "29800.00"), *funds("official_vehicles", "26000.00")]),
        *year(3, "change", [*funds("three_public_total", "0.00"), *funds("official_reception", "0.00")]),
    ]))
    assert chart.total_yuan == Decimal("56000.00")  # 2026年, the three funds' sum
    assert bars(chart)["official_reception"] == Decimal("29800.00")
    assert bars(chart)["official_vehicles"] == Decimal("26000.00")


def test_three_public_as_rows_read_by_label():
    chart = three_public_chart(data([
        cell(1, 2, "total", "10000.00", role="total", label="合计"),
        cell(2, 2, "total", "0.00", label="因公出国(境)费用"),
        cell(3, 2, "total", "10000.00", label="公务接待费"),
        cell(4, 2, "total", "0.00", label="公务用车购置及运行费"),
        cell(5, 2, "total", "0.00", label="公务用车购置费"),
        cell(6, 2, "total", None, label="公务用车运行费"),
    ]))
    assert bars(chart) == {
        "outbound_travel": Decimal("0.00"), "official_reception": Decimal("10000.00"),
        "official_vehicles": Decimal("0.00"), "vehicle_purchase": Decimal("0.00"),
    }
    assert [b.indent for b in chart.bars] == [0, 0, 0, 1]
    assert chart.total_yuan == Decimal("10000.00")


def test_class_amount_is_class_row_else_sum_of_sections_else_items():
    t = "gpb_expenditure_by_function"
    chart = function_chart(data([
        cell(1, 3, "total", "600.00", table=t, role="total", label="合计"),
        cell(2, 3, "total", "100.00", table=t, code="201", level="class", klass="201"),
        cell(3, 3, "total", "100.00", table=t, code="20101", level="section", klass="201"),
        cell(4, 3, "total", "70.00", table=t, code="2080501", level="item", klass="208"),
        cell(5, 3, "total", "30.00", table=t, code="2080502", level="item", klass="208"),
        cell(6, 3, "total", "400.00", table=t, code="22102", level="section", klass="221"),
        cell(7, 3, "total", "250.00", table=t, code="2210201", level="item", klass="221"),
        cell(8, 3, "total", None, table=t, code="210", level="class", klass="210"),
        cell(2, 4, "basic_expenditure", "60.00", table=t, code="201", level="class", klass="201"),
    ]))
    assert bars(chart) == {"201": Decimal("100.00"), "208": Decimal("100.00"), "221": Decimal("400.00")}
    assert chart.total_yuan == Decimal("600.00")


def test_side_by_side_blocks_are_both_read():
    t = "gpb_basic_expenditure_by_economic_class"
    chart = economic_chart(data([
        cell(1, 3, "total", "953600.00", table=t, code="301", level="class", klass="301"),
        cell(1, 6, "total", "102300.00", table=t, code="302", level="class", klass="302"),
        cell(2, 3, "total", "141200.00", table=t, code="30101", level="section", klass="301"),
    ]))
    assert bars(chart) == {"301": Decimal("953600.00"), "302": Decimal("102300.00")}


def test_blank_template_says_so():
    t = "gpb_expenditure_by_function"
    chart = function_chart(data([cell(1, 3, "total", None, table=t, code="201", level="class", klass="201")]))
    assert not chart.drawable and "空白" in chart.empty_zh and "blank" in chart.empty_en
    assert not function_chart(data([])).drawable


# --- real packages ------------------------------------------------------------------------------


def test_fujian_charts_add_up_to_the_printed_totals(package_output: Path):
    package = load_package(package_output / FJ)
    function, economic, split, three = package_charts(package)
    for chart in (function, economic, split):
        assert chart.drawable
        assert sum(b.yuan for b in chart.bars if b.yuan is not None) == chart.total_yuan, chart.id
    assert function.source_zh == "一般公共预算支出表（功能分类）"
    assert all(b.key.isdigit() and len(b.key) == 3 and b.label_en for b in function.bars)
    assert economic.source_zh == "一般公共预算支出经济分类表"
    assert {"basic_expenditure", "project_expenditure"} <= set(bars(split))
    top = [b.yuan for b in three.bars if not b.indent and b.yuan is not None]
    assert three.total_yuan is not None and sum(top) == three.total_yuan


def test_charts_of_other_layouts(package_output: Path):
    renda = package_charts(load_package(package_output / "js-renda-2018-bmys"))[3]
    top = [b.yuan for b in renda.bars if not b.indent]
    assert None not in top and sum(top) == renda.total_yuan  # 三公 printed as columns
    template = package_output / "sh-putuo-template-2024-bmjs"
    if not template.exists():
        pytest.skip("the blank template is blocked by the current parser")
    assert not any(c.drawable for c in package_charts(load_package(template)))


# --- SVG ----------------------------------------------------------------------------------------


def test_svg_is_well_formed_with_unit_and_a_bar_per_amount(package_output: Path):
    for chart in package_charts(load_package(package_output / FJ)):
        root = ET.fromstring(bar_chart(chart))
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        rects = root.iter(f"{SVG}rect")
        assert len(list(rects)) == sum(b.yuan is not None for b in chart.bars)
        text = "".join(root.itertext())
        assert "单位：万元" in text and "10,000 yuan" in text
        for b in chart.bars:
            if b.yuan is not None:
                assert wan(b.yuan) in text


def test_svg_marks_blank_and_escapes_labels():
    chart = three_public_chart(data([
        cell(1, 1, "three_public_total", "9500.00", role="total"),
        cell(1, 3, "official_reception", "9500.00", role="total"),
    ]))
    chart.bars[1] = chart.bars[1].__class__("x", "<b>&", "a<b", Decimal("9500.00"))
    svg = bar_chart(chart)
    root = ET.fromstring(svg)
    assert "空白" in "".join(root.itertext())
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
