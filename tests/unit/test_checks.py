"""Each rule fires where the numbers disagree and stays silent where they agree.

The corrupted documents are clean corpus documents with one figure changed in memory.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from yusuan.checks.engine import CheckRun, Term, allowance
from yusuan.checks.run import add_findings, rounding_tolerance, run_checks, validate_resources
from yusuan.core.model import Finding, Origin, RawTable
from yusuan.core.schemas import load_registry
from yusuan.package.process import quality_status, table_doubts

FUJIAN = "fj-quanzhou-12345-2026-dwys"
JIANGSU = "js-renda-2018-bmys"
SHANGHAI = "sh-putuo-zhengfuban-2025-bmys"
SHANGHAI_UNIT = "sh-putuo-zhengfuban-2025-dwys"
CLEAN = (FUJIAN, "js-renda-2019-bmys", SHANGHAI, SHANGHAI_UNIT, "sh-putuo-wanli-2025-bmys")


def results(result, *, rows=None, figures=None, tables=None):
    """The checks of a processed document, re-run on (possibly corrupted) copies of its rows."""
    document = result.resources["document"][0]
    run = run_checks(
        rows if rows is not None else result.resources["amounts"], load_registry(), document["document_id"],
        tables=tables, figures=figures if figures is not None else result.resources["narrative_figures"],
        fiscal_year=document["fiscal_year"],
    )
    return run.results


def failed(checks, severity=None):
    return [(c["check_id"], c["row"]) for c in checks if c["status"] == "failed" and (severity is None or c["severity"] == severity)]


def problems(checks):
    """Failures that lower the quality status (warnings and errors)."""
    return [(c["check_id"], c["row"], c["message"]) for c in checks if c["status"] == "failed" and c["severity"] != "info"]


def corrupt(rows, table_id, value, *, code=None, measure="total", name=None, role=None):
    rows = copy.deepcopy(rows)
    row = next(
        r for r in rows
        if r["table_id"] == table_id and r["measure"] == measure
        and (code is None or r["subject_code"] == code) and (name is None or r["item_name"] == name) and (role is None or r["row_role"] == role)
    )
    row["amount"] = Decimal(value)
    row["value_printed"] = value
    multiplier = {"元": 1, "万元": 10000}[row["unit_printed"]]
    row["amount_yuan"] = (Decimal(value) * multiplier).quantize(Decimal("0.01"))
    return rows


# -- tolerance -------------------------------------------------------------------------------
def cell(printed, unit="万元"):
    amount = Decimal(printed.replace(",", ""))
    multiplier = {"元": 1, "万元": 10000}[unit]
    return {"value_printed": printed, "amount": amount, "unit_printed": unit, "amount_yuan": amount * multiplier}


def test_rounding_allowance_follows_printed_places_and_units():
    # 万元 with two decimals: half of 0.01 万元 (50 元) per term
    assert rounding_tolerance([cell("1.00"), cell("2")]) == Decimal(100)
    # whole 元: half a yuan per term
    assert rounding_tolerance([cell("12", "元")] * 3) == Decimal("1.5")
    # 元 printed to the fen is exact
    assert rounding_tolerance([cell("12.00", "元"), cell("3.50", "元")]) == 0
    # a text figure may be off by a whole unit of its last place (it rounds or truncates)
    text = Term(Decimal("1307800"), "万元", 2, "text")
    assert allowance([text]) == Decimal(100)
    assert allowance([text], Decimal("0.5")) == Decimal(50)


def test_a_difference_within_rounding_is_a_clustered_note_not_a_warning():
    run = CheckRun("doc")
    total = {**cell("10.23"), "table_id": "t", "table_sequence": 1, "row_number": 1, "subject_code": "302", "item_name_printed": "商品和服务支出", "measure": "total"}
    for n in range(5):
        run.compare("children_sum_to_parent", {**total, "row_number": n}, [cell("5.11"), cell("5.11")], "302 = Σ")
    notes = [c for c in run.results if c["check_id"] == "children_sum_to_parent"]
    assert len(notes) == 1
    assert (notes[0]["status"], notes[0]["severity"], notes[0]["count"], notes[0]["difference"]) == ("failed", "info", 5, "0.01")
    assert quality_status(run.results) == "passed"


def test_a_difference_beyond_rounding_fails_and_exact_money_has_no_allowance():
    run = CheckRun("doc")
    total = {**cell("10.01", "元"), "table_id": "t", "table_sequence": 1, "row_number": 1, "subject_code": "", "item_name_printed": "合计", "measure": "total"}
    run.compare("row_total_equals_components", total, [cell("5.00", "元"), cell("5.00", "元")], "total = basic + project")
    assert [(c["status"], c["severity"], c["expected"], c["actual"], c["difference"]) for c in run.results if c["check_id"] == "row_total_equals_components"] == [("failed", "warning", "10.00", "10.01", "0.01")]
    assert quality_status(run.results) == "warnings"


def test_a_missing_summary_is_not_run_not_passed():
    checks = run_checks([], load_registry(), "doc").results
    statuses = {c["check_id"]: c["status"] for c in checks}
    assert statuses["revenue_equals_expenditure"] == "not_run"
    assert statuses["summary_vs_revenue_table"] == "not_run"
    assert "passed" not in {statuses[k] for k in ("revenue_equals_expenditure", "three_public_total_equals_items", "gpb_function_total_vs_summary")}


def test_policy_info_passes_warning_warns_table_error_flags_package_error_blocks():
    base = {"status": "failed", "check_id": "x"}
    assert quality_status([{**base, "severity": "info"}]) == "passed"
    assert quality_status([{**base, "severity": "warning"}]) == "warnings"
    # an error about one table puts that table in doubt; the publication is still published
    assert quality_status([{**base, "severity": "error", "table_sequence": 3}]) == "warnings"
    # an error about no table (an invalid package) blocks it
    assert quality_status([{**base, "severity": "error", "table_sequence": None}, {**base, "severity": "warning"}]) == "blocked"
    assert quality_status([{"status": "not_run", "severity": "info", "check_id": "x"}]) == "passed"


# -- clean documents ---------------------------------------------------------------------------
@pytest.mark.parametrize("document_id", CLEAN)
def test_clean_documents_raise_no_warning_and_no_error(document_id, processed):
    result = processed[document_id]
    assert problems(result.resources["checks"]) == []
    assert result.quality_status == "passed"


def test_every_check_row_has_the_published_fields(processed):
    from yusuan.core.schemas import resource_specs

    fields = next(s for s in resource_specs() if s["name"] == "checks")["fields"]
    for result in processed.samples():
        for row in result.resources["checks"]:
            assert list(row) == fields
        assert [c["check_number"] for c in result.resources["checks"]] == list(range(1, len(result.resources["checks"]) + 1))


# -- within a table ----------------------------------------------------------------------------
def test_a_wrong_item_breaks_its_row_total_and_its_parents(processed):
    result = processed[FUJIAN]
    rows = corrupt(result.resources["amounts"], "gpb_expenditure_by_function", "1011.90", code="2010399", measure="project_expenditure")
    assert ("row_total_equals_components", "2010399 其他政府办公厅（室）及相关机构事务支出") in failed(results(result, rows=rows), "warning")
    assert ("total_equals_top_level_rows", "合计") in failed(results(result, rows=rows), "warning")


def test_a_wrong_section_breaks_children_sum(processed):
    result = processed[JIANGSU]
    rows = corrupt(result.resources["amounts"], "gpb_expenditure_by_function", "12706.38", code="20101")
    found = failed(results(result, rows=rows), "warning")
    assert ("children_sum_to_parent", "20101 人大事务") in found
    assert ("children_sum_to_parent", "201 一般公共服务支出") in found


def test_revenue_must_equal_expenditure(processed):
    result = processed[FUJIAN]
    rows = corrupt(result.resources["amounts"], "revenue_expenditure_summary", "1182.05", name="支出合计")
    assert ("revenue_equals_expenditure", "收入合计") in failed(results(result, rows=rows), "warning")


def test_three_public_items_printed_as_rows(processed):
    result = processed[FUJIAN]
    assert failed(results(result)) == []
    rows = corrupt(result.resources["amounts"], "three_public_expenses", "2.00", name="公务接待费", measure="official_reception")  # the published measure of the row
    assert ("three_public_total_equals_items", "合计") in failed(results(result, rows=rows), "warning")


def test_three_public_items_printed_as_columns(processed):
    result = processed[SHANGHAI]
    rows = corrupt(result.resources["amounts"], "three_public_expenses", "840.00", measure="outbound_travel")
    found = [c for c in results(result, rows=rows) if c["check_id"] == "three_public_total_equals_items" and c["status"] == "failed"]
    assert [(c["expected"], c["actual"]) for c in found] == [("868.50", "867.50")]


def test_a_total_below_its_largest_part_puts_its_table_in_doubt(processed):
    result = processed[SHANGHAI]
    rows = corrupt(result.resources["amounts"], "gpb_expenditure_by_function", "1000.00", code="201")
    checks = results(result, rows=rows)
    assert ("total_not_below_largest_part", "201 一般公共服务支出") in failed(checks, "error")
    sequence = next(r["table_sequence"] for r in rows if r["table_id"] == "gpb_expenditure_by_function")
    assert table_doubts(checks).keys() == {sequence}
    assert quality_status(checks) == "warnings"


# -- across tables -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("document_id", "table_id", "value", "where", "rule"),
    [
        (FUJIAN, "revenue_summary", "1182.40", {"role": "total"}, "summary_vs_revenue_table"),
        (JIANGSU, "expenditure_summary", "15907.44", {"role": "total"}, "summary_vs_expenditure_table"),
        (SHANGHAI, "fiscal_appropriation_summary", "91016775.36", {"name": "收入总计", "measure": "total"}, "summary_vs_fiscal_appropriation_table"),
        (FUJIAN, "gpb_expenditure_by_function", "1182.14", {"role": "total"}, "gpb_function_total_vs_summary"),
        (SHANGHAI, "gpb_basic_expenditure_by_economic_class", "24606775.25", {"role": "total"}, "function_basic_vs_economic_total"),
        (JIANGSU, "fiscal_appropriation_basic_expenditure_by_economic_class", "7877.86", {"role": "total"}, "function_basic_vs_economic_total"),
        (FUJIAN, "gpb_basic_expenditure_by_economic_class", "1.50", {"code": "30217"}, "reception_fee_vs_three_public"),
        (FUJIAN, "gpb_expenditure_by_economic_class", "18.00", {"code": "302"}, "economic_table_vs_basic_and_project"),
    ],
)
def test_a_total_changed_in_one_table_breaks_its_match_in_another(processed, document_id, table_id, value, where, rule):
    result = processed[document_id]
    assert [c for c in failed(results(result)) if c[0] == rule] == []
    rows = corrupt(result.resources["amounts"], table_id, value, code=where.get("code"), name=where.get("name"), role=where.get("role"), measure=where.get("measure", "total"))
    assert rule in {c[0] for c in failed(results(result, rows=rows), "warning")}


def test_cross_table_rules_compare_in_yuan_across_units(processed):
    """30217 is printed in 元, the “三公” table in 万元."""
    result = processed[SHANGHAI]
    found = [c for c in results(result) if c["check_id"] == "reception_fee_vs_three_public"]
    assert [c["status"] for c in found] == ["passed"]


# -- the narrative -----------------------------------------------------------------------------
def corrupt_figure(figures, number, value):
    figures = copy.deepcopy(figures)
    figure = next(f for f in figures if f["figure_number"] == number)
    figure["value"] = Decimal(value)
    figure["value_printed"] = f"{value}{figure['unit_printed'] or '%'}"
    if figure["amount_yuan"] is not None:
        figure["amount_yuan"] = (Decimal(value) * 10000).quantize(Decimal("0.01"))
    return figures


def figure_number(result, subject_start, kind="amount"):
    return next(f["figure_number"] for f in result.resources["narrative_figures"] if f["subject"].startswith(subject_start) and f["figure_kind"] == kind)


def test_text_amounts_match_their_tables(processed):
    result = processed[FUJIAN]
    passed = [c for c in results(result) if c["check_id"] == "narrative_amount_vs_table" and c["status"] == "passed"]
    assert {"2026年度一般公共预算拨款支出", "(一)2010350-事业运行", "(一)人员经费"} <= {c["row"] for c in passed}


def test_a_wrong_text_total_fires(processed):
    result = processed[FUJIAN]
    figures = corrupt_figure(result.resources["narrative_figures"], figure_number(result, "2026年度一般公共预算拨款支出"), "1182.40")
    found = [c for c in results(result, figures=figures) if c["check_id"] == "narrative_amount_vs_table" and c["status"] == "failed"]
    assert [(c["row"], c["expected"], c["actual"]) for c in found] == [("2026年度一般公共预算拨款支出", "1182.04", "1182.40")]


def test_a_text_amount_for_a_function_code_is_compared_with_its_row(processed):
    result = processed[FUJIAN]
    rows = copy.deepcopy(result.resources["amounts"])
    for row in rows:
        if row["subject_code"] == "2010350" and row["value_printed"] == "130.78":
            row.update(amount=Decimal("130.87"), value_printed="130.87", amount_yuan=Decimal("1308700.00"))
    found = [c for c in results(result, rows=rows) if c["check_id"] == "narrative_amount_vs_table" and c["status"] == "failed"]
    assert [(c["row"], c["severity"]) for c in found] == [("(一)2010350-事业运行", "warning")]


def test_a_text_change_must_agree_with_itself(processed):
    result = processed[FUJIAN]
    # 比上年增加51.77万元，增长4.58%: 51.77 / (1182.04 − 51.77) = 4.58%
    percent = next(f for f in result.resources["narrative_figures"] if f["figure_kind"] == "change_percent" and f["value"] == Decimal("4.58"))
    assert [c["status"] for c in results(result) if c["check_id"] == "narrative_change_consistent" and c["field"] == "change_percent" and c["row"].startswith("2026年度")] == ["passed"]
    figures = corrupt_figure(result.resources["narrative_figures"], percent["figure_number"], "4.85")
    found = [c for c in results(result, figures=figures) if c["check_id"] == "narrative_change_consistent" and c["status"] == "failed"]
    assert [(c["expected"], c["actual"], c["severity"]) for c in found] == [("4.5803", "4.85", "warning")]


# -- codes ------------------------------------------------------------------------------------
def test_codes_against_the_code_lists(processed):
    result = processed[SHANGHAI]
    rows = copy.deepcopy(result.resources["amounts"])
    for row in rows:
        if row["subject_code"] == "2010350":
            row["subject_code"] = "2010398"  # class and section known: the list may be stale
        if row["subject_code"] == "2080505":
            row["item_name"] = "养老保险缴费"
    checks = results(result, rows=rows)
    assert ("code_in_codelist", "info") in {(c["check_id"], c["severity"]) for c in checks if c["status"] == "failed"}
    assert [c["expected"] for c in checks if c["check_id"] == "code_name_matches_codelist" and c["status"] == "failed"] == ["机关事业单位基本养老保险缴费支出"]
    rows = copy.deepcopy(result.resources["amounts"])
    for row in rows:
        if row["subject_code"] == "2010350":
            row["subject_code"] = "9990350"
    assert ("code_in_codelist", "warning") in {(c["check_id"], c["severity"]) for c in results(result, rows=rows) if c["status"] == "failed"}


def test_a_code_whose_level_does_not_fit_its_place(processed):
    result = processed[SHANGHAI]
    section = "20103"
    rows = [r for r in result.resources["amounts"] if not (r["table_id"] == "gpb_expenditure_by_function" and r["subject_code"] == section)]
    found = [c for c in results(result, rows=rows) if c["check_id"] == "code_level_position" and c["status"] == "failed"]
    items = sorted({r["subject_code"] for r in rows if r["table_id"] == "gpb_expenditure_by_function" and r["subject_code"].startswith(section)})
    assert [(c["actual"], c["expected"]) for c in found] == [(code, section) for code in items]
    assert "printed under 201" in found[0]["message"]
    rows = copy.deepcopy(result.resources["amounts"])
    for row in rows:
        if row["subject_code"] == "201" and row["table_id"] == "gpb_expenditure_by_function":
            row["subject_code"] = "7"
    assert "7" in [c["actual"] for c in results(result, rows=rows) if c["check_id"] == "code_level_position" and c["status"] == "failed"]


# -- tables against their notes ---------------------------------------------------------------
def raw_table(table_id, notes, body=(), sequence=1):
    origin = Origin("doc.pdf", "0" * 64, 3, 1)
    return RawTable(table_id, "title", "", "元", "", [["合计"]], [list(r) for r in body], [origin] * len(body), list(notes), origin, sequence)


def amount_row(table_id, value, sequence=1):
    return {**cell(value, "元"), "table_id": table_id, "table_sequence": sequence, "row_number": 1, "column_number": 1, "subject_code": "", "item_name": "合计",
            "item_name_printed": "合计", "row_role": "total", "measure": "total", "side": "", "column_group": "", "is_of_which": False, "item_level": 0,
            "subject_level": "", "classification": "none", "file_name": "doc.pdf", "page": 3}


def test_notes_that_contradict_their_table():
    registry = load_registry()
    empty_note = "注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    tables = [raw_table("government_fund_expenditure", [empty_note]), raw_table("state_capital_expenditure", [empty_note], sequence=2)]
    rows = [amount_row("government_fund_expenditure", "12.00")]
    checks = run_checks(rows, registry, "doc", tables=tables).results
    assert ("empty_table_note_matches_table", "warning") in {(c["check_id"], c["severity"]) for c in checks if c["status"] == "failed"}
    assert [(c["table_id"], c["actual"]) for c in checks if c["check_id"] == "note_names_own_fund" and c["status"] == "failed"] == [("state_capital_expenditure", "政府性基金")]
    right = [raw_table("state_capital_expenditure", ["注:本部门2024年无国有资本经营预算财政拨款安排的预算，故本表为空表。"])]
    assert [c for c in run_checks([], registry, "doc", tables=right).results if c["status"] == "failed"] == []


def test_a_table_whose_numbers_could_not_be_read_is_in_doubt():
    table = raw_table("gpb_expenditure_by_function", [], body=[["201", "一般公共服务支出", "1,234.56"]])
    checks = run_checks([], load_registry(), "doc", tables=[table]).results
    assert [(c["check_id"], c["severity"], c["table_sequence"]) for c in checks if c["status"] == "failed"] == [("table_parsed", "error", table.sequence)]
    assert quality_status(checks) == "warnings"


def test_parser_findings_become_check_rows():
    run = CheckRun("doc")
    add_findings(run, [Finding("unit_declared", "error", "no money unit", "revenue_summary", 4, "doc.pdf")])
    assert [(c["check_id"], c["severity"], c["table_id"], c["page"]) for c in run.results] == [("unit_declared", "error", "revenue_summary", 4)]


# -- Frictionless ------------------------------------------------------------------------------
def test_frictionless_errors_become_findings(processed):
    result = processed[FUJIAN]
    resources = copy.deepcopy(result.resources)
    resources["amounts"].append(dict(resources["amounts"][0]))  # a duplicate primary key
    resources["amounts"][1]["phase"] = "forecast"  # not in the enum
    run = CheckRun(FUJIAN)
    validate_resources(run, resources)
    found = {(c["check_id"], c["severity"], c["field"]) for c in run.results if c["status"] == "failed"}
    assert ("frictionless_primary_key", "error", "amounts") in found
    assert ("frictionless_constraint_error", "error", "amounts.phase") in found
    clean = CheckRun(FUJIAN)
    validate_resources(clean, result.resources)
    assert [(c["check_id"], c["status"], c["count"]) for c in clean.results] == [("frictionless", "passed", 17)]
