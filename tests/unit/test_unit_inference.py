"""The money unit of a table that prints none is inferred from the document's evidence."""

from __future__ import annotations

from decimal import Decimal

from yusuan.core.model import Origin, RawTable
from yusuan.interpret.unit_inference import infer_unit
from yusuan.package.process import table_units

D = Decimal


def amount(value: str, unit: str = "", sequence: int = 1) -> dict:
    number = D(value)
    yuan = number * {"元": 1, "万元": 10000}[unit] if unit else None
    return {"table_sequence": sequence, "amount": number, "amount_yuan": yuan, "unit_printed": unit, "unit": unit, "quality_flag": ""}


def figure(yuan: str) -> dict:
    return {"amount_yuan": D(yuan)}


def raw(sequence: int, unit: str) -> RawTable:
    return RawTable(f"t{sequence}", "", "", unit, "", [], [], [], [], Origin("a.pdf", "0" * 64, sequence, 1), sequence)


def test_the_same_amounts_in_another_table_give_the_unit():
    rows = [amount("1182.04"), amount("170.09"), amount("0.35")]
    others = [amount("1182.04", "万元", 2), amount("170.09", "万元", 2)]
    inferred = infer_unit(rows, others, [])
    assert (inferred.unit, inferred.basis) == ("万元", "inferred_from_tables")
    assert "2 of its 3 amounts" in inferred.evidence


def test_a_table_in_yuan_is_read_in_yuan_when_its_amounts_are_printed_in_yuan_elsewhere():
    rows = [amount("11820400"), amount("1700900")]
    others = [amount("11820400", "元", 2), amount("1700900", "元", 2), amount("5", "元", 2)]
    assert infer_unit(rows, others, []).unit == "元"


def test_the_narrative_decides_when_no_table_shares_the_amounts():
    rows = [amount("750"), amount("646.54")]
    figures = [figure("7500000.00"), figure("6465400.00")]
    inferred = infer_unit(rows, [amount("1", "元", 2)], figures)
    assert (inferred.unit, inferred.basis) == ("万元", "inferred_from_narrative")


def test_the_unit_every_other_table_prints_is_the_last_evidence():
    rows = [amount("12.5"), amount("3")]
    inferred = infer_unit(rows, [amount("99", "万元", 2), amount("7", "万元", 3)], [])
    assert (inferred.unit, inferred.basis) == ("万元", "inferred_from_document")


def test_no_unit_when_the_evidence_does_not_decide():
    rows = [amount("12.5"), amount("3")]
    assert infer_unit(rows, [amount("99", "万元", 2), amount("7", "元", 3)], []) is None


def test_an_inferred_unit_converts_and_flags_the_rows_and_warns():
    tables = [raw(1, ""), raw(2, "万元"), raw(3, "")]
    by_table = {
        1: [amount("1182.04", sequence=1), amount("170.09", sequence=1)],
        2: [amount("1182.04", "万元", 2), amount("170.09", "万元", 2)],
        3: [amount("8.88", sequence=3)],
    }
    findings: list = []
    units = table_units(tables, by_table, [], findings)
    assert units == {1: ("万元", "inferred_from_tables"), 2: ("万元", "printed"), 3: ("万元", "inferred_from_document")}
    assert by_table[1][0]["amount_yuan"] == D("11820400.00") and by_table[1][0]["quality_flag"] == "unit_inferred"
    assert by_table[2][0]["quality_flag"] == ""
    assert [(f.check_id, f.severity, f.table_sequence) for f in findings] == [("unit_declared", "warning", 1), ("unit_declared", "warning", 3)]


def test_a_unit_that_cannot_be_inferred_leaves_the_table_in_doubt():
    tables = [raw(1, ""), raw(2, "万元"), raw(3, "元")]
    by_table = {1: [amount("12.5", sequence=1)], 2: [amount("1", "万元", 2)], 3: [amount("2", "元", 3)]}
    findings: list = []
    assert table_units(tables, by_table, [], findings)[1] == ("", "")
    assert by_table[1][0]["amount_yuan"] is None
    assert [(f.check_id, f.severity) for f in findings] == [("unit_declared", "error")]
