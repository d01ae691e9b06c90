"""三公 by item: one query gives the same answer for every layout. Values typed from the
pages (js-renda-2018 p15; the Fujian text export's 三公 table)."""

from __future__ import annotations

from decimal import Decimal

ITEMS = ("outbound_travel", "official_vehicles", "official_reception")


def _by_measure(processed, document_id):
    rows = [a for a in processed[document_id].resources["amounts"] if a["table_id"] == "three_public_expenses" and a["period"] == "current"]
    return {a["measure"]: a["amount"] for a in rows if a["amount"] is not None}


def test_jiangsu_meetings_and_training_are_measured_apart(processed):
    """合计 2542.60 = “三公”经费 833.60 + 会议费 1305.25 + 培训费 403.75 (万元)."""
    measures = _by_measure(processed, "js-renda-2018-bmys")
    assert "total" not in measures
    assert measures["three_public_meetings_training_total"] == Decimal("2542.60")
    assert measures["three_public_total"] == Decimal("833.60")
    assert sum(measures[m] for m in ITEMS) == Decimal("833.60")  # 222.50 + 183.60 + 427.50
    assert (measures["meetings"], measures["training"]) == (Decimal("1305.25"), Decimal("403.75"))


def test_fujian_items_printed_as_rows_get_their_measures(processed):
    """合计 1.00; 因公出国（境）费用 0.00, 公务接待费 1.00, 公务用车购置及运行费 0.00 (其中
    购置费 0.00, 运行费 0.00), 万元."""
    measures = _by_measure(processed, "fj-quanzhou-12345-2026-dwys")
    assert "total" not in measures
    assert measures["three_public_total"] == Decimal("1.00")
    assert [measures[m] for m in ITEMS] == [Decimal("0.00"), Decimal("0.00"), Decimal("1.00")]
    assert (measures["vehicle_purchase"], measures["vehicle_operation"]) == (Decimal("0.00"), Decimal("0.00"))


def test_an_empty_three_public_table_is_not_a_missing_one(processed):
    """sh-putuo-shegongbu-2024 p14 prints 财政拨款“三公”经费支出决算表 with no amount
    (说明：…没有财政拨款“三公”经费支出，故本表无数据): the table is listed as empty and the
    check that needs its figures says so; a document without the table has no such row."""
    from yusuan.checks import run_checks
    from yusuan.schemas import load_registry

    resources = processed["sh-putuo-shegongbu-2024-bmjs"].resources
    table = next(t for t in resources["source_tables"] if t["table_id"] == "three_public_expenses")
    assert (table["table_status"], table["page"], table["amount_count"]) == ("empty", 14, 0)
    check = next(c for c in resources["checks"] if c["check_id"] == "three_public_total_equals_items")
    assert check["status"] == "not_run" and "printed empty" in check["message"]
    missing = next(c for c in run_checks([], load_registry(), "none", tables=[]).results if c["check_id"] == "three_public_total_equals_items")
    assert missing["status"] == "not_run" and "no three_public_expenses table" in missing["message"]
