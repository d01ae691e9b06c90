"""Codes of a names-only table taken from the codes the same publication prints with the names.

深圳 2026 (信访局): the summary tables print 信访事务 / 行政运行 / 信访业务 by name; 表7 prints
2014004 信访业务, a 项 the compiled code list lacks. Names the list holds keep the list's code."""

from __future__ import annotations

from yusuan.core.model import Origin, RawTable, SourceDocument
from yusuan.core.schemas import load_registry
from yusuan.interpret.code_inference import NameCodes, PrintedCodes
from yusuan.interpret.publication_rows import printed_codes, tables_to_rows

ORIGIN = Origin("t.pdf", "0" * 64, None, 1)
DOC = SourceDocument("doc", "issuer", "region", 2026, "部门预算", ())


def _table(sequence: int, table_id: str, header: list[list[str]], body: list[list[str]]) -> RawTable:
    return RawTable(table_id, "t", "", "万元", "", header, body, [ORIGIN] * len(body), [], ORIGIN, sequence)


NAMES_ONLY = _table(1, "gpb_expenditure_by_function", [["项目", "合计"]], [
    ["一般公共服务支出", "30.00"], ["信访事务", "30.00"], ["行政运行", "10.00"], ["信访业务", "20.00"], ["合计", "30.00"],
])
CODED = _table(2, "gpb_expenditure_by_function", [["科目编码", "科目名称", "合计"]], [
    ["201", "一般公共服务支出", "30.00"], ["20140", "信访事务", "30.00"], ["2014001", "行政运行", "10.00"], ["2014004", "信访业务", "20.00"],
])


def _codes(rows: list[dict]) -> dict[str, tuple[str, str]]:
    return {r["item_name"]: (r["subject_code"], r["subject_code_source"]) for r in rows if r["table_sequence"] == 1}


def test_the_code_list_alone_leaves_the_new_item_without_a_code() -> None:
    registry = load_registry()
    by_table, _ = tables_to_rows([NAMES_ONLY], DOC, registry)
    codes = _codes(by_table[1])
    assert codes["信访事务"] == ("20140", "inferred_from_name")
    assert codes["行政运行"] == ("2014001", "inferred_from_name")
    assert codes["信访业务"] == ("", "")


def test_a_code_printed_elsewhere_in_the_publication_fills_the_gap() -> None:
    registry = load_registry()
    by_table, findings = tables_to_rows([NAMES_ONLY, CODED], DOC, registry)
    codes = _codes(by_table[1])
    assert codes["信访业务"] == ("2014004", "inferred_from_name")
    assert codes["行政运行"] == ("2014001", "inferred_from_name")  # the list's code, as before
    assert sorted(by_table) == [1, 2]
    printed = [r for r in by_table[2] if r["item_name"] == "信访业务"]
    assert printed and all(r["subject_code_source"] == "printed" for r in printed)


def test_the_table_order_does_not_matter() -> None:
    registry = load_registry()
    before, _ = tables_to_rows([NAMES_ONLY, CODED], DOC, registry)
    after, _ = tables_to_rows([CODED, NAMES_ONLY], DOC, registry)
    assert _codes(before[1]) == _codes(after[1])


def test_printed_codes_are_kept_by_classification_and_parent() -> None:
    printed = PrintedCodes()
    printed.add("function", "2014004", "信访业务")
    printed.add("function", "201", "一般公共服务支出")  # a class has no parent: not kept
    assert printed.child("function", "20140", "信访业务") == "2014004"
    assert printed.child("function", "20103", "信访业务") == ""
    assert printed.child("economic", "20140", "信访业务") == ""
    assert printed.names == {("function", "信访业务")}


def test_a_name_printed_with_two_codes_under_one_parent_is_not_used() -> None:
    printed = PrintedCodes()
    printed.add("function", "2014004", "信访业务")
    printed.add("function", "2014005", "信访业务")
    printed.add("function", "2014004", "信访业务")  # a third sighting does not bring it back
    assert printed.child("function", "20140", "信访业务") == ""


def test_names_are_compared_as_the_code_list_compares_them() -> None:
    printed = PrintedCodes()
    printed.add("function", "2013804", "经营主体管理")
    namer = NameCodes("function", 2026, printed)
    assert [namer.infer(n) for n in ("一般公共服务支出", "市场监督管理事务", "经营 主体管理")] == ["201", "20138", "2013804"]


def test_only_printed_typed_codes_are_collected() -> None:
    registry = load_registry()
    by_table, _ = tables_to_rows([CODED], DOC, registry)
    printed = printed_codes([by_table[2]])
    assert printed.child("function", "20140", "信访业务") == "2014004"
    assert printed.child("function", "201", "信访事务") == "20140"
    by_names, _ = tables_to_rows([NAMES_ONLY], DOC, registry)
    assert not printed_codes([by_names[1]])  # inferred codes are not the publication's print
