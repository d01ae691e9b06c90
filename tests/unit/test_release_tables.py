"""The release's tables and their schemas come from schemas/; packages of other versions conform."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from yusuan.release.headline import headline_rows
from yusuan.release.tables import conform, release_tables, table_named


def test_every_package_resource_is_a_release_table_and_money_is_decimal():
    from yusuan.core.schemas import resource_specs

    names = {t.name for t in release_tables()}
    assert {s["name"] for s in resource_specs()} <= names
    amounts = table_named("amounts")
    assert amounts.kind == "publication" and amounts.columns[:2] == ("document_id", "fiscal_year")
    assert "fiscal_year" not in amounts.part_columns  # the partition folder carries it
    assert amounts.arrow_schema().field("amount_yuan").type == pa.decimal128(28, 2)
    assert table_named("function_classification").kind == "codelist"
    assert table_named("headline_figures").kind == "publication"


def test_a_package_of_an_older_version_gets_nulls_for_the_fields_it_lacks():
    schema = pa.schema([pa.field("document_id", pa.string()), pa.field("is_leaf", pa.bool_()), pa.field("amount_yuan", pa.decimal128(28, 2))])
    old = pa.table({"document_id": ["a"], "amount_yuan": pa.array([Decimal("1.50")], pa.decimal128(28, 6)), "gone": [1]})
    table = conform(old, schema)
    assert table.schema == schema
    assert table.to_pylist() == [{"document_id": "a", "is_leaf": None, "amount_yuan": Decimal("1.50")}]


def test_an_amount_is_never_rounded_to_fit():
    schema = pa.schema([pa.field("amount_yuan", pa.decimal128(28, 2))])
    with pytest.raises(pa.ArrowInvalid):
        conform(pa.table({"amount_yuan": pa.array([Decimal("1.005")], pa.decimal128(28, 6))}), schema)


def cell(table_sequence, row_number, column_number, table_id, measure, amount, **extra):
    return {"table_sequence": table_sequence, "row_number": row_number, "column_number": column_number, "table_id": table_id, "measure": measure,
            "amount_yuan": Decimal(amount), "is_blank": False, "period": "current", "row_role": "total", "side": "", "item_name": "", **extra}


def test_headline_figures_take_the_first_source_that_prints_them_and_keep_its_key():
    amounts = [
        cell(3, 1, 1, "three_public_expenses", "total", "26007100.00"),  # 合计 with 会议费/培训费: not 三公
        cell(3, 1, 2, "three_public_expenses", "three_public_total", "7676000.00"),
        cell(3, 1, 8, "three_public_expenses", "meetings", "14697300.00"),
        cell(1, 24, 2, "revenue_expenditure_summary", "total", "183303700.00", side="revenue"),
        cell(1, 24, 6, "revenue_expenditure_summary", "total", "183303700.00", side="expenditure"),
        cell(1, 22, 2, "revenue_expenditure_summary", "total", "1.00", side="revenue", row_role="subtotal"),
    ]
    figures = [{"figure_number": 7, "topic": "vehicles_held", "figure_kind": "count", "value": Decimal("54"), "count_unit": "辆", "amount_yuan": None}]
    rows = {r["figure_id"]: r for r in headline_rows("doc", 2019, amounts, figures)}
    assert rows["three_public_total"]["figure_value"] == Decimal("7676000.00")
    assert (rows["three_public_total"]["table_sequence"], rows["three_public_total"]["row_number"], rows["three_public_total"]["column_number"]) == (3, 1, 2)
    assert rows["revenue_total"]["column_number"] == 2 and rows["expenditure_total"]["column_number"] == 6
    assert rows["vehicles_held"]["figure_value"] == 54 and rows["vehicles_held"]["figure_unit"] == "辆"
    assert rows["vehicles_held"]["figure_source"] == "narrative" and rows["vehicles_held"]["figure_number"] == 7
    assert "outbound_travel" not in rows  # not printed: no row, never a zero


def test_a_three_public_table_printed_in_rows_is_read_by_its_labels():
    amounts = [
        cell(11, 1, 2, "three_public_expenses", "total", "10000.00", item_name="合计"),
        cell(11, 2, 2, "three_public_expenses", "total", "0.00", item_name="因公出国（境）费用", row_role="item"),
        cell(11, 3, 2, "three_public_expenses", "total", "10000.00", item_name="公务接待费", row_role="item"),
    ]
    rows = {r["figure_id"]: r for r in headline_rows("fj", 2026, amounts, [])}
    assert rows["three_public_total"]["figure_value"] == Decimal("10000.00") and rows["three_public_total"]["row_number"] == 1
    assert rows["outbound_travel"]["row_number"] == 2 and rows["official_reception"]["row_number"] == 3
