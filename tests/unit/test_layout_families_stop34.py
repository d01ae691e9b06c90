"""Families of layouts read by general rules (stop 34), from tiny blocks and tables as printed.

- 西安's contents page says which tables are left empty (报表 | 报表名称 | 是否空表 | 公开空表理由);
  the empty table itself prints its header and no note.
- 上海 prints an empty table as a blank form: one row, every cell empty.
- 无锡 lists budget units under 部门代码 | 部门名称 (302001 …): unit codes, not subject codes.
- 无锡 prints a 款 without 项 twice, the second time one level deeper as its own 项.
- 西安 / 福州 print titleless lists of units (序号 | 单 位; 单位名称 | 经费性质 | 在职人数).
- 长沙 justifies a prose line so widely that it is read as a grid, its year in a cell.
"""

from __future__ import annotations

from tests.unit.fixture_checks import checks_of, found
from yusuan.core.model import Grid, Origin, RawTable, SourceDocument, TextLine
from yusuan.core.schemas import load_registry
from yusuan.interpret.hierarchy import add_hierarchy
from yusuan.interpret.publication_rows import tables_to_rows
from yusuan.layout.contents_declarations import empty_declarations, mark_declared_empty
from yusuan.layout.tables import read_tables, text_grids_to_lines
from yusuan.package.process import _unit_rows

DOC = SourceDocument("doc", "issuer", "region", 2026, "部门预算", ())


def _origin(page: int = 1, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def _table(sequence: int, table_id: str, header: list[list[str]], body: list[list[str | None]], title: str = "t", label: str = "") -> RawTable:
    return RawTable(table_id, title, label, "万元", "", header, body, [_origin(3)] * len(body), [], _origin(3), sequence)


def _checks(*tables: RawTable) -> list[dict]:
    return checks_of(DOC, *tables)


_found = found


def _grid(rows: list[list[str | None]], page: int = 2) -> Grid:
    return Grid(rows, [_origin(page, i + 1) for i in range(len(rows))])


# -- contents page declarations (西安) -----------------------------------------------------

CONTENTS = _grid([
    ["报表", "报表名称", "是否空表", "公开空表理由"],
    ["表9", "2021年部门综合预算政府性基金收支表", "", ""],
    ["表 11", "2021年部门综合预算财政拨款上年结转资金支出表", "是", "不涉及"],
])
CARRYOVER_HEADER = [["预算单位代码", "预算单位名称", "预算项目名称", "金额", "功能分类科目代码", "功能分类科目名称"]]


def test_a_contents_row_saying_empty_is_read_with_its_reason_and_page() -> None:
    (declaration,) = empty_declarations([TextLine("目 录", _origin(2)), CONTENTS], load_registry())
    assert declaration.label == "表11"
    assert declaration.page == 2
    assert declaration.describe() == "declared empty on the contents page (p.2): 表 11 | 2021年部门综合预算财政拨款上年结转资金支出表 | 是否空表 是 | 公开空表理由 不涉及"


def test_a_table_the_contents_declare_empty_is_not_an_unparsed_table() -> None:
    registry = load_registry()
    table = _table(12, "fiscal_appropriation_carryover_expenditure", CARRYOVER_HEADER, [])
    fund = _table(10, "government_fund_expenditure", [["项目", "预算数"]], [])
    mark_declared_empty([fund, table], empty_declarations([CONTENTS], registry), registry)
    assert table.declared_empty.endswith("公开空表理由 不涉及")
    assert fund.declared_empty == ""  # 表9 is not declared empty: its empty table stays a warning
    checks = _checks(table, fund)
    parsed = {c["table_sequence"]: (c["status"], c["severity"]) for c in checks if c["check_id"] == "table_parsed" and c["status"] == "failed"}
    assert parsed == {10: ("failed", "warning")}


def test_a_table_the_contents_declare_empty_that_prints_amounts_is_a_finding() -> None:
    registry = load_registry()
    table = _table(12, "fiscal_appropriation_carryover_expenditure", CARRYOVER_HEADER, [["001", "某单位", "某项目", "12.00", "2010101", "行政运行"]])
    mark_declared_empty([table], empty_declarations([CONTENTS], registry), registry)
    assert _found(_checks(table), "empty_table_note_matches_table") == [("failed", "warning")]


def test_a_grid_without_the_contents_headers_declares_nothing() -> None:
    grid = _grid([["报表", "报表名称", "备注"], ["表11", "2021年部门综合预算财政拨款上年结转资金支出表", "是"]])
    assert empty_declarations([grid], load_registry()) == []


# -- a blank form (上海) -------------------------------------------------------------------

THREE_PUBLIC = [["“三公”经费预算数", "\x00L", "\x00L", "机关运行经费预算数"], ["合计", "因公出国(境)费", "公务接待费", "\x00U"]]


def test_a_table_printed_as_a_blank_form_is_a_note_not_a_warning() -> None:
    blank = _table(9, "three_public_expenses", [*THREE_PUBLIC, ["", "", "", ""]], [])
    assert _found(_checks(blank), "table_parsed") == [("failed", "info")]


def test_a_header_with_no_row_under_it_is_still_a_warning() -> None:
    bare = _table(9, "three_public_expenses", THREE_PUBLIC, [])
    assert _found(_checks(bare), "table_parsed") == [("failed", "warning")]


# -- budget-unit codes (无锡 部门代码) --------------------------------------------------------

UNITS_HEADER = [["部门代码", "部门名称", "合计", "一般公共预算"]]


def test_department_codes_name_budget_units_not_subjects() -> None:
    table = _table(3, "revenue_summary", UNITS_HEADER, [
        ["合计", "\x00L", "9,947.88", "9,947.88"],
        ["302", "无锡市发展和改革委员会", "9,947.88", "9,947.88"],
        ["302001", "无锡市发展和改革委员会（本级）", "7,526.46", "7,526.46"],
        ["302002", "无锡市发展改革研究中心", "2,421.42", "2,421.42"],
    ])
    by_table, _ = tables_to_rows([table], DOC, load_registry())
    rows = {r["row_number"]: r for r in by_table[3] if r["column_number"] == 3}
    assert rows[3]["subject_code"] == ""
    assert rows[3]["budget_unit"] == "无锡市发展和改革委员会（本级）"
    assert "302001" in rows[3]["row_attributes"]
    assert _found(_checks(table), "code_level_position") == []


def test_a_department_economic_code_column_is_still_a_code_column() -> None:
    table = _table(7, "gpb_expenditure_by_economic_class", [["部门经济科目编码", "部门经济科目名称", "合计"]], [
        ["301", "工资福利支出", "10.00"], ["30101", "基本工资", "10.00"],
    ])
    by_table, _ = tables_to_rows([table], DOC, load_registry())
    assert [r["subject_code"] for r in by_table[7]] == ["301", "30101"]


# -- a 款 without 项 printed again as its 项 (无锡) ------------------------------------------

def _function_table(item_amount: str) -> RawTable:
    return _table(6, "gpb_expenditure_by_function", [["科目编码", "科目名称", "合计"]], [
        ["", "合计", "602.00"],
        ["201", "一般公共服务支出", "100.00"],
        ["20101", "人大事务", "100.00"],
        ["2010101", "行政运行", "100.00"],
        ["219", "援助其他地区支出", "502.00"],
        ["21999", "其他支出", "502.00"],
        ["21999", "其他支出", item_amount],
    ])


def test_a_section_code_printed_again_on_the_next_line_is_its_only_item() -> None:
    checks = _checks(_function_table("502.00"))
    assert _found(checks, "children_sum_to_parent", "219 ") == [("passed", "warning")]
    assert _found(checks, "children_sum_to_parent", "21999 ") == [("passed", "warning")]
    by_table, _ = tables_to_rows([_function_table("502.00")], DOC, load_registry())
    rows = [r for r in by_table[6] if r["column_number"] == 3]
    add_hierarchy(rows)
    first, second = (r for r in rows if r["subject_code"] == "21999")
    assert second["parent_row_number"] == first["row_number"]
    assert (first["is_leaf"], second["is_leaf"]) == (False, True)


def test_a_top_level_code_printed_again_is_counted_once_in_the_total() -> None:
    table = _table(6, "gpb_expenditure_by_function", [["科目编码", "科目名称", "合计"]], [
        ["", "合计", "602.00"], ["21999", "其他支出", "502.00"], ["21999", "其他支出", "502.00"], ["20101", "人大事务", "100.00"],
    ])
    assert _found(_checks(table), "total_equals_top_level_rows") == [("passed", "warning")]


def test_the_same_code_with_another_amount_is_a_second_part_of_its_class() -> None:
    # rows printing one code with different amounts (北京: one row per project under 2010801)
    # are not a row printed again: both count under the class, and 219 ≠ 502 + 500 fails
    checks = _checks(_function_table("500.00"))
    assert _found(checks, "children_sum_to_parent", "219 ") == [("failed", "warning")]


def test_one_code_printed_beside_two_government_classes_is_two_parts() -> None:
    # 西安: 30201 办公费 printed twice, beside 50201 and 50502, with the same amount by chance
    table = _table(7, "gpb_expenditure_by_economic_class", [["部门经济科目编码", "部门经济科目名称", "政府经济科目编码", "政府经济科目名称", "合计"]], [
        ["302", "商品和服务支出", "", "", "40.00"],
        ["30201", "办公费", "50201", "办公经费", "20.00"],
        ["30201", "办公费", "50502", "商品和服务支出", "20.00"],
    ])
    assert _found(_checks(table), "children_sum_to_parent", "302 ") == [("passed", "warning")]
    by_table, _ = tables_to_rows([table], DOC, load_registry())
    add_hierarchy(by_table[7])
    assert [r["parent_row_number"] for r in by_table[7]] == [None, 1, 1]


# -- titleless lists of units (西安, 福州) -----------------------------------------------------

def _tables_of(*blocks: Grid | TextLine) -> list[RawTable]:
    registry = load_registry()
    tables, _, _ = read_tables(text_grids_to_lines(list(blocks), registry), registry)
    return tables


def test_titleless_lists_of_units_are_unit_lists() -> None:
    numbered = _grid([["序号", "单 位"], ["1", "西安市发展和改革委员会（本级）（行政）"], ["2", "西安市经济研究所（全额）"]])
    staffed = _grid([["单位名称", "经费性质", "在职人数"], ["福州市仓山生态环境局", "财政核拨", "5"], ["福州市仓山环境监测站", "财政核拨", "19"]])
    for grid, names in ((numbered, ["西安市发展和改革委员会（本级）（行政）", "西安市经济研究所（全额）"]), (staffed, ["福州市仓山生态环境局", "福州市仓山环境监测站"])):
        (table,) = _tables_of(grid)
        assert table.table_id == "unit_list"
        assert [u["unit_name"] for u in _unit_rows([table], "doc", load_registry())] == names


def test_a_titleless_table_with_an_amount_column_is_not_a_unit_list() -> None:
    (table,) = _tables_of(_grid([["序号", "单位名称", "金额"], ["1", "某单位", "1,234.56"]]))
    assert table.table_id == "unidentified_1"


# -- a prose line read as a grid (长沙) -----------------------------------------------------

def test_a_sentence_split_into_cells_with_its_year_is_text() -> None:
    lines = text_grids_to_lines([_grid([["单位，", "2026", "年预算无机关运行经费", "。"]])], load_registry())
    assert [type(b).__name__ for b in lines] == ["TextLine"]
    assert lines[0].text == "单位，2026年预算无机关运行经费。"


def test_a_one_row_grid_with_an_amount_stays_a_grid() -> None:
    lines = text_grids_to_lines([_grid([["合计", "2026", "万元，", "。"]])], load_registry())
    assert [type(b).__name__ for b in lines] == ["Grid"]


# -- a change after a list of parts or an aside (福州, 广州) ------------------------------------

def _statements(*lines: str) -> list:
    from yusuan.checks.narrative_rules import build_statements

    return build_statements(_figures(*lines), load_registry(), 2026)


def _changes(statements: list) -> dict[str, tuple[str | None, str | None]]:
    return {
        s.head["value_printed"]: (s.change["value_printed"] if s.change else None, s.percent["value_printed"] if s.percent else None)
        for s in statements if s.head is not None
    }


def test_a_change_after_a_list_of_parts_is_the_change_of_their_whole() -> None:
    changes = _changes(_statements("相应安排支出预算10344.71万元，其中：基本支出8974.01万元、项目支出1370.70万元。比上年减少32.61万元，下降0.31%。"))
    assert changes["10344.71万元"] == ("32.61万元", "0.31%")
    assert changes["1370.70万元"] == (None, None)


def test_a_change_after_an_aside_in_brackets_is_the_change_of_the_figure_before_it() -> None:
    changes = _changes(_statements("公务用车购置及运行维护费701.34万元（公务用车购置费331万元，比上年增加119.15万元；公务用车运行维护费370.34万元，比上年减少52.36万元。）比上年增加66.79万元，增长10.5%。"))
    assert changes["701.34万元"] == ("66.79万元", "10.5%")
    assert changes["331万元"] == ("119.15万元", None)
    assert changes["370.34万元"] == ("52.36万元", None)


def test_a_change_in_the_sentence_of_a_part_stays_with_that_part() -> None:
    changes = _changes(_statements("支出预算100万元，其中：基本支出80万元，比上年增加8万元，增长11.11%。"))
    assert changes["80万元"] == ("8万元", "11.11%")
    assert changes["100万元"] == (None, None)


def _figures(*lines: str) -> list[dict]:
    from yusuan.checks.narrative_rules import locate
    from yusuan.interpret.narrative import figure_rows, lines_to_sections

    registry = load_registry()
    text = [TextLine("一、收支预算总体情况", _origin(5, 1))] + [TextLine(line, _origin(5, i + 2)) for i, line in enumerate(lines)]
    figures = [dict(f) for f in figure_rows(lines_to_sections(text, registry), "doc", registry)]
    locate(figures)
    return figures


def test_the_parts_of_a_breakdown_are_known_as_parts() -> None:
    from yusuan.checks.narrative_rules import breakdown_figures

    figures = _figures("行政运行（项）支出28.32万元，具体为：人员经费0.00万元，较上年无变化；公用经费28.32万元，较上年增加28.32万元；专项业务经费0.00万元。人员经费13,758.03万元。")
    parts = {f["value_printed"] for f in figures if f["figure_number"] in breakdown_figures(figures)}
    assert {"0.00万元", "28.32万元"} <= parts
    assert "13,758.03万元" not in parts  # a new sentence after the full stop: the department's figure again


def test_the_funds_of_counted_projects_have_no_table_target() -> None:
    from yusuan.checks.narrative_rules import figure_measure

    registry = load_registry()
    targets = {"fiscal_appropriation": [], "revenue_total": []}
    counted, plain = _figures("绩效目标管理，涉及预算项目3个，预算资金235万元，其中财政拨款235万元。", "其中财政拨款1717.85万元。")[-2:]
    assert figure_measure(counted, registry, targets) == ""
    assert figure_measure(plain, registry, targets) != ""


def test_an_enumerated_item_after_of_which_names_the_figure_below_it() -> None:
    # 北京: 其中：（一）因公出国（境）费用。2026年预算数173.52万元 — the item, not the 三公 total again
    figures = _figures("2026年财政拨款“三公”经费预算244.85万元。", "其中：（一）因公出国（境）费用。2026年预算数173.52万元。")
    item = next(f for f in figures if f["value_printed"] == "173.52万元")
    assert item["subject"].startswith("因公出国")
