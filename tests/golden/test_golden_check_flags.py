"""Check results join to the amount rows they touch, and flag them.

sh-putuo-caizhengju-2025: the 2025年部门一般公共预算支出功能分类预算表 (p15, 元) prints
2080506 机关事业单位职业年金缴费支出 873,617.00, the narrative (p7) says 887.36万元: the
document disagrees with itself, and that row alone is flagged, not the whole document."""

from __future__ import annotations

from decimal import Decimal

DOC = "sh-putuo-caizhengju-2025-bmys"


def test_a_failed_check_flags_the_rows_it_touches(processed):
    resources = processed[DOC].resources
    amounts = resources["amounts"]
    row = next(a for a in amounts if a["table_id"] == "gpb_expenditure_by_function" and a["subject_code"] == "2080506" and a["measure"] == "total")
    assert row["amount"] == Decimal("873617.00")
    assert row["check_flag"] == "warning"
    checks = {c["check_number"]: c for c in resources["checks"]}
    touching = [
        checks[link["check_number"]] for link in resources["check_rows"]
        if (link["table_sequence"], link["row_number"]) == (row["table_sequence"], row["row_number"])
    ]
    failed = [c for c in touching if c["status"] == "failed" and c["severity"] == "warning"]
    assert {c["check_id"] for c in failed} == {"narrative_amount_vs_table"}
    assert all(c["actual"] == "887.36" for c in failed)
    # the rows nothing failed on stay clean: the other 项 of the same table
    sibling = next(a for a in amounts if a["table_sequence"] == row["table_sequence"] and a["subject_code"] == "2080505")
    assert sibling["amount"] == Decimal("1748327.00") and sibling["check_flag"] == ""
    assert sum(a["check_flag"] != "" for a in amounts) < len(amounts) / 20


def test_every_row_a_check_names_is_in_check_rows(processed):
    resources = processed[DOC].resources
    links = {(k["check_number"], k["table_sequence"], k["row_number"]) for k in resources["check_rows"]}
    named = [c for c in resources["checks"] if c["row_number"] is not None and c["count"] == 1]
    assert named
    assert all((c["check_number"], c["table_sequence"], c["row_number"]) in links for c in named)
    rows = {(a["table_sequence"], a["row_number"]) for a in resources["amounts"]}
    assert all((k["table_sequence"], k["row_number"]) in rows for k in resources["check_rows"])
