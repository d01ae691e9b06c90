"""The narrative of the Fujian sample: figures, performance targets, glossary (typed goldens)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.schemas import normalize_label

DOC = "fj-quanzhou-12345-2026-dwys"
GOLDEN = Path(__file__).parent / DOC

# golden topic -> (topic, figure kind, words the subject or sentence must contain)
FIGURES = {
    "revenue_total": ("revenue_total", "amount", ""),
    "revenue_change": ("revenue_total", "change_amount", ""),
    "revenue_gpb_appropriation": ("", "amount", "一般公共预算拨款收入"),
    "expenditure_total": ("expenditure_total", "amount", ""),
    "expenditure_change": ("expenditure_total", "change_amount", ""),
    "expenditure_basic": ("", "amount", "基本支出"),
    "expenditure_project": ("", "amount", "项目支出"),
    "gpb_expenditure": ("gpb_expenditure", "amount", ""),
    "gpb_expenditure_change": ("gpb_expenditure", "change_amount", ""),
    "gpb_expenditure_change_percent": ("gpb_expenditure", "change_percent", ""),
    "gpb_basic_expenditure": ("gpb_basic_expenditure", "amount", ""),
    "gpb_basic_personnel": ("personnel_expenses", "amount", ""),
    "gpb_basic_public": ("public_expenses", "amount", ""),
    "three_public_overseas_travel": ("outbound_travel", "amount", ""),
    "three_public_overseas_travel_change": ("outbound_travel", "change_amount", ""),
    "three_public_overseas_travel_change_percent": ("outbound_travel", "change_percent", ""),
    "three_public_reception": ("official_reception", "amount", ""),
    "three_public_reception_change": ("official_reception", "change_amount", ""),
    "three_public_reception_change_percent": ("official_reception", "change_percent", ""),
    "three_public_vehicles": ("official_vehicles", "amount", ""),
    "three_public_vehicle_operation": ("vehicle_operation", "amount", ""),
    "three_public_vehicle_operation_change": ("vehicle_operation", "change_amount", ""),
    "three_public_vehicle_operation_change_percent": ("vehicle_operation", "change_percent", ""),
    "three_public_vehicle_purchase": ("vehicle_purchase", "amount", ""),
    "three_public_vehicle_purchase_change": ("vehicle_purchase", "change_amount", ""),
    "three_public_vehicle_purchase_change_percent": ("vehicle_purchase", "change_percent", ""),
    "operating_expenses": ("operating_expenses", "amount", ""),
    "procurement_total": ("procurement_total", "amount", ""),
    "procurement_goods": ("procurement_goods", "amount", ""),
    "procurement_works": ("procurement_works", "amount", ""),
    "procurement_services": ("procurement_services", "amount", ""),
    "vehicles_count": ("vehicles_held", "count", "共有车辆"),
    "equipment_over_1m_count": ("equipment_over_1m", "count", ""),
    "vehicles_planned_purchase": ("vehicles_to_buy", "count", "购置车辆"),
    "equipment_over_1m_planned_purchase": ("equipment_over_1m", "count", "安排购置"),
    "entrusted_business_fee": ("entrusted_services", "amount", ""),
}


def _golden(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _golden("narrative.csv"), ids=lambda r: r["topic"])
def test_every_narrative_figure_is_extracted(row, processed):
    topic, kind, words = FIGURES[row["topic"]]
    figures = processed[DOC].resources["narrative_figures"]
    unit = normalize_label(row["unit"])
    candidates = [
        f for f in figures
        if f["figure_kind"] == kind and (not topic or f["topic"] == topic)
        and normalize_label(f["unit_printed"] or f["count_unit"]) == unit
    ]
    found = [f for f in candidates if words in f["subject"]] or [f for f in candidates if words in f["sentence"].replace(" ", "")]
    assert found, f"no {kind} figure for {row['topic']}"
    assert abs(found[0]["value"]) == Decimal(row["value"])


def test_money_figures_are_exact_yuan(processed):
    figures = processed[DOC].resources["narrative_figures"]
    procurement = next(f for f in figures if f["topic"] == "procurement_total")
    assert procurement["amount_yuan"] == Decimal("7704600.00")


def test_performance_targets_and_indicators(processed):
    resources = processed[DOC].resources
    projects = resources["performance_targets"]
    assert [normalize_label(p["project_name"]) for p in projects] == ["96196电梯应急处置服务平台项目", "话务场地租赁费用项目"]
    assert [p["funds_total_yuan"] for p in projects] == [Decimal("570000.00"), Decimal("1750900.00")]
    assert [p["funds_fiscal_yuan"] for p in projects] == [Decimal("570000.00"), Decimal("1750900.00")]
    assert [p["funds_other_yuan"] for p in projects] == [Decimal("0.00"), Decimal("0.00")]
    assert projects[1]["goal"].startswith("保障泉州市12345政务服务便民热线中心话务场地使用费")
    names = {i: normalize_label(p["project_name"]) for i, p in enumerate(projects, start=1)}
    extracted = [
        (names[i["project_number"]], i["level1"], i["level2"], i["level3"], i["target_printed"])
        for i in resources["performance_indicators"]
    ]
    expected = [(r["project"], r["level1"], r["level2"], r["level3"], r["target"]) for r in _golden("performance.csv")]
    assert extracted == expected
    first = resources["performance_indicators"][0]
    assert (first["comparator"], first["target_value"], first["target_unit"]) == ("≥", Decimal("90"), "%")


def test_glossary_terms(processed):
    terms = [g["term"] for g in processed[DOC].resources["glossary"]]
    expected = (GOLDEN / "glossary_terms.txt").read_text(encoding="utf-8").split()
    assert terms == expected
    assert all(g["definition"] for g in processed[DOC].resources["glossary"])


def test_unit_profile_sections(processed):
    sections = {s["heading"]: s["text"] for s in processed[DOC].resources["narrative_sections"]}
    assert sections["一、单位主要职责"].startswith("泉州市 12345 政务服务便民热线中心的主要职责是")
    assert "（四）健全队伍建设长效机制" in sections["三、单位主要工作任务"]
    units = processed[DOC].resources["units"]
    assert [u["unit_name"] for u in units] == ["泉州市 12345 政务服务便民热线中心"]
