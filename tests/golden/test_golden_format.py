"""The golden files load as typed (ids known, every amount with a unit and a measure), and the
comparison reports a wrong measure, side, unit or yuan. No parser run: fast."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yusuan.checks.evaluation import (
    GoldenError,
    Meaning,
    golden_amounts,
    read_known_misses,
    score_meaning,
)
from yusuan.core.vocabulary import money_units

GOLDEN = Path(__file__).parent
DOCUMENTS = sorted(p.name for p in GOLDEN.iterdir() if (p / "amounts.csv").is_file())
HEADER = "file,page,table_id,row_code,row_name,column,value,side\n"


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_every_golden_amount_has_a_unit_a_measure_and_yuan(document_id):
    amounts = golden_amounts(GOLDEN / document_id)
    assert amounts
    assert all(m.unit and m.measure and m.yuan is not None for _, m in amounts)


def test_the_golden_yuan_is_the_typed_value_times_the_printed_unit():
    assert money_units()["万元"] == Decimal(10000) and money_units()["元"] == Decimal(1)
    amounts = dict(golden_amounts(GOLDEN / "js-renda-2018-bmys"))
    key = ("revenue_expenditure_summary", "", "一、财政拨款", "金额", Decimal("15897.44"))
    assert amounts[key] == Meaning(measure="total", side="revenue", unit="万元", yuan=Decimal("158974400"))


def test_the_known_misses_name_a_golden_document_and_a_reason():
    misses = read_known_misses(GOLDEN / "known_misses.csv")
    assert {m.document_id for m in misses} <= set(DOCUMENTS)
    assert all(m.reason and m.count > 0 for m in misses)


def write_golden(tmp_path: Path, amounts: str, columns: str, tables: str = "file,table_id,page,unit\nt.pdf,three_public_expenses,3,万元\n") -> Path:
    (tmp_path / "amounts.csv").write_text(HEADER + amounts, encoding="utf-8")
    (tmp_path / "columns.csv").write_text("table_id,column,side,measure\n" + columns, encoding="utf-8")
    (tmp_path / "tables.csv").write_text(tables, encoding="utf-8")
    return tmp_path


def test_a_header_path_tells_two_subtotals_apart_but_matches_on_the_leaf(tmp_path):
    golden = golden_amounts(write_golden(
        tmp_path,
        "t.pdf,3,three_public_expenses,,,“三公”经费 / 小计,670.12,\nt.pdf,3,three_public_expenses,,,公务用车购置及运行维护费 / 小计,304.40,\n",
        "three_public_expenses,“三公”经费 / 小计,,three_public_total\nthree_public_expenses,公务用车购置及运行维护费 / 小计,,official_vehicles\n",
    ))
    assert [(k[3], m.measure) for k, m in golden] == [("小计", "three_public_total"), ("小计", "official_vehicles")]


@pytest.mark.parametrize(
    ("columns", "side", "message"),
    [
        ("three_public_expenses,合计,,three_public_sum\n", "", "not an id of schemas/columns.yaml"),
        ("three_public_expenses,合计,row,total\n", "", "type side revenue or expenditure"),
        ("three_public_expenses,合计,,total\n", "revenue", "column already says"),
        ("three_public_expenses,合计,left,total\n", "", "is not revenue, expenditure"),
        ("three_public_expenses,小计,,total\n", "", "columns.csv has no line"),
    ],
)
def test_a_mistyped_golden_is_refused_naming_file_and_line(tmp_path, columns, side, message):
    write_golden(tmp_path, f"t.pdf,3,three_public_expenses,,,合计,1.00,{side}\n", columns)
    with pytest.raises(GoldenError, match=message) as error:
        golden_amounts(tmp_path)
    assert str(tmp_path) in str(error.value)


def test_an_unknown_unit_is_refused(tmp_path):
    write_golden(tmp_path, "t.pdf,3,three_public_expenses,,,合计,1.00,\n", "three_public_expenses,合计,,total\n", "file,table_id,page,unit\nt.pdf,three_public_expenses,3,万\n")
    with pytest.raises(GoldenError, match="unit '万'"):
        golden_amounts(tmp_path)


KEY = ("revenue_expenditure_summary", "", "收入合计", "金额", Decimal("15897.44"))
RIGHT = Meaning(measure="total", side="revenue", unit="万元", yuan=Decimal("158974400"))


@pytest.mark.parametrize(
    ("field", "wrong", "expected", "got"),
    [
        ("measure", Meaning("fiscal_appropriation", "revenue", "万元", Decimal("158974400.00")), "total", "fiscal_appropriation"),
        ("side", Meaning("total", "", "万元", Decimal("158974400.00")), "revenue", ""),
        ("unit", Meaning("total", "revenue", "元", Decimal("158974400.00")), "万元", "元"),
        ("yuan", Meaning("total", "revenue", "万元", Decimal("15897.44")), "158974400", "15897.44"),
    ],
)
def test_each_wrong_meaning_field_is_reported_alone(field, wrong, expected, got):
    outcome = score_meaning([(KEY, RIGHT)], [(KEY, wrong)])
    assert outcome.matched == 1
    assert {f: outcome.agreeing[f] for f in ("measure", "side", "unit", "yuan")} == {f: int(f != field) for f in ("measure", "side", "unit", "yuan")}
    assert [(d.field, d.table_id, d.column, d.expected, d.got, d.count) for d in outcome.disagreements] == [(field, KEY[0], KEY[3], expected, got, 1)]


def test_yuan_agrees_by_value_not_by_printed_decimals():
    outcome = score_meaning([(KEY, RIGHT)], [(KEY, Meaning("total", "revenue", "万元", Decimal("158974400.00")))])
    assert outcome.disagreements == [] and outcome.agreeing["yuan"] == 1


def test_duplicate_keys_are_paired_without_guessing():
    """Two 总计 cells of one value, one per half: the sides agree whichever is read first."""
    key = ("revenue_expenditure_summary", "", "总计", "决算数", Decimal("307.82"))
    golden = [(key, Meaning("total", "revenue", "万元", Decimal("3078200"))), (key, Meaning("total", "expenditure", "万元", Decimal("3078200")))]
    outcome = score_meaning(golden, list(reversed(golden)))
    assert outcome.agreeing["side"] == 2 and outcome.disagreements == []
    swapped = score_meaning(golden, [(key, Meaning("total", "revenue", "万元", Decimal("3078200")))] * 2)
    assert swapped.agreeing["side"] == 1
    assert [(d.field, d.expected, d.got) for d in swapped.disagreements] == [("side", "expenditure", "revenue")]


def test_a_table_printing_no_unit_has_no_golden_yuan(tmp_path):
    write_golden(tmp_path, "t.pdf,3,three_public_expenses,,,合计,1.00,\n", "three_public_expenses,合计,,total\n", "file,table_id,page,unit\nt.pdf,three_public_expenses,3,\n")
    [(_key, meaning)] = golden_amounts(tmp_path)
    assert meaning.unit == "" and meaning.yuan is None
