"""广东's 收支总体情况表 (广州 / 珠海) names its first revenue line 一、预算拨款: the fiscal
appropriations (stop 40).

Read from the page image of tests/fixtures/corpus-wide-pages/zh-shangwu-2026-bmys-p6-p7-p11-p12-p13-p14-p18.pdf
(publication pp. 6–7 表1 and p. 11 表4, scale 2): 表1 prints 一、预算拨款 46,402.33 above 二、财政专户拨款
0.00, with the note 注：财政拨款收支情况包括一般公共预算、政府性基金预算、国有资本经营预算拨款收支情况; 表4
财政拨款收支总体情况表 prints 本年收入合计 46,402.33. The line had no row measure, so the summary's
财政拨款 line could not be compared with 表4 through it (the check fell back on 表2's fund columns).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from yusuan.checks.select import Tables
from yusuan.core.schemas import load_registry

FIXTURE = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "zh-shangwu-2026-bmys-p6-p7-p11-p12-p13-p14-p18.pdf"


def test_the_wording_names_the_fiscal_appropriation_measure():
    registry = load_registry()
    assert registry.measure("预算拨款").id == "fiscal_appropriation"
    # the other lines of the family keep their measures
    assert registry.measure("财政专户拨款").id == "fiscal_special_account_revenue"
    assert registry.measure("一般公共预算拨款").id == "gpb_appropriation"
    assert registry.measure("政府性基金预算拨款").id == "government_fund_appropriation"
    assert registry.measure("财政拨款(补助)").id == "fiscal_appropriation"


def test_the_zhuhai_summary_line_is_compared_with_the_fiscal_appropriation_table():
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document

    document = next(d for d in read_manifest(FIXTURE.parent / "manifest.csv") if d.document_id == FIXTURE.stem)
    result = process_document(document)
    amounts = result.resources["amounts"]
    tables = Tables(amounts, load_registry())
    line = [a for a in amounts if a["table_id"] == "revenue_expenditure_summary" and a["item_name_printed"] == "一、预算拨款"]
    assert [(tables.row_measure(a), a["amount"]) for a in line] == [("fiscal_appropriation", Decimal("46402.33"))]
    checks = [c for c in result.resources["checks"] if c["check_id"] == "summary_vs_fiscal_appropriation_table"]
    assert [c["status"] for c in checks] == ["passed"]
    assert "一、预算拨款" in checks[0]["message"]
