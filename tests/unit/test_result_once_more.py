"""The result stage's answers found once (issue 14, stop 27) are those found every time, as
before: the code before each change is kept here as the oracle and run on the amounts of
real fixture publications and on edge cases.

* a stream's parents and leaves, found once per distinct stream (``add_hierarchy``);
* a column's cells read only when its header does not name its role (``classify_columns``);
* an amount row's column fields and code classes found once per table (``_row``);
* the codes a row prints, their names read for a code's first row only (``check_codes``);
* the rounding allowance without a defaultdict (``allowance``);
* the tables' printed values collected on the first question (``PrintedValues``).
"""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from tests.unit.test_result_memos import (
    _allowance_afresh as _allowance_before,  # the formula before stop 26
)
from yusuan.checks import code_rules, engine
from yusuan.checks.engine import Term, allowance
from yusuan.checks.narrative_rules import PrintedValues
from yusuan.checks.select import Tables
from yusuan.core.hashing import sha256_of
from yusuan.core.model import Origin, RawTable, SourceDocument, SourceFile
from yusuan.core.numbers import clean_cell, looks_like_amount
from yusuan.core.schemas import load_registry, normalize_label
from yusuan.core.vocabulary import pattern, word
from yusuan.interpret import hierarchy, normalize
from yusuan.interpret.dimensions import Column, code_classification
from yusuan.interpret.hierarchy import (
    FUND_PART,
    FUND_WHOLE,
    NO_FUND,
    Line,
    add_hierarchy,
    leaf_rows,
    parent_rows,
    stream_key,
)
from yusuan.layout.cells import CODE
from yusuan.package.process import process_document

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
# 类 | 款 | 项 columns with several amount columns to a row (上海普陀, a budget and a final
# account); one amount to a label block, 收入 and 支出 sides beside each other (江苏)
PUBLICATIONS = [
    "12_sh-putuo-wanli-2024-bmys",
    "17_sh-putuo-shegongbu-2024-bmjs",
    "02_js-renda-2018-bmys",
]


def _document(folder: str) -> SourceDocument:
    source = json.loads((CORPUS / folder / "source.json").read_text(encoding="utf-8"))
    [path] = (CORPUS / folder).glob("*.pdf")
    return SourceDocument(
        folder,
        source["issuer"],
        source["region"],
        source["year"],
        source["doc_type"],
        (SourceFile(path, "full", sha256_of(path)),),
    )


@pytest.fixture(scope="module")
def amounts_by_folder() -> dict[str, list[dict]]:
    return {
        folder: process_document(_document(folder)).resources["amounts"] for folder in PUBLICATIONS
    }


# -- add_hierarchy ---------------------------------------------------------------------------
def _hierarchy_before(amounts: list[dict]) -> None:
    """add_hierarchy before stop 27: every stream's lines walked."""
    streams: dict[tuple, dict[int, Line]] = defaultdict(dict)
    for row in amounts:
        streams[stream_key(row)].setdefault(row["row_number"], _line_before(row))
    parents = {key: parent_rows(list(lines.values())) for key, lines in streams.items()}
    leaves = {key: leaf_rows(list(lines.values()), parents[key]) for key, lines in streams.items()}
    for row in amounts:
        key = stream_key(row)
        row["parent_row_number"] = parents[key].get(row["row_number"])
        row["is_leaf"] = row["row_number"] in leaves[key]


def _line_before(row: dict) -> Line:
    code = row.get("subject_code") or "" if row.get("subject_level") else ""
    attributes = tuple(
        pair.split(": ", 1)[0]
        for pair in (row.get("row_attributes") or "").split("; ")
        if ": " in pair
    )
    return Line(
        row["row_number"],
        row["row_role"],
        row.get("item_level") or 0,
        bool(row.get("is_of_which")),
        code,
        attributes,
        _fund_before(row.get("item_name") or ""),
    )


def _fund_before(name: str) -> int:
    """The fund role of a row's name (stop 39), from the vocabulary's two patterns."""
    if pattern("fund_part_row").fullmatch(name):
        return FUND_PART
    return FUND_WHOLE if pattern("fund_whole_row").fullmatch(name) else NO_FUND


def _hierarchy_fields(amounts: list[dict]) -> list[tuple]:
    return [
        (
            r["table_sequence"],
            r["row_number"],
            r["column_number"],
            r["parent_row_number"],
            r["is_leaf"],
        )
        for r in amounts
    ]


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_hierarchy_once_per_stream_is_that_of_every_stream(folder, amounts_by_folder, monkeypatch):
    amounts = [
        dict(r, parent_row_number="unset", is_leaf="unset") for r in amounts_by_folder[folder]
    ]
    before = copy.deepcopy(amounts)
    walked: list[int] = []
    monkeypatch.setattr(
        hierarchy, "parent_rows", lambda lines, _walk=parent_rows: walked.append(1) or _walk(lines)
    )
    add_hierarchy(amounts)
    _hierarchy_before(before)
    assert _hierarchy_fields(amounts) == _hierarchy_fields(before)
    streams = {stream_key(r) for r in amounts}
    assert 0 < len(walked) <= len(streams)


def test_a_line_of_a_row_is_the_same_from_its_fields(amounts_by_folder):
    for amounts in amounts_by_folder.values():
        for row in amounts:
            assert Line.of(row) == _line_before(row)


def _row(
    number: int,
    column: int,
    role: str = "item",
    level: int = 0,
    code: str = "",
    attributes: str = "",
    of_which: bool = False,
) -> dict:
    return {
        "table_sequence": 1,
        "side": "",
        "column_group": "",
        "column_number": column,
        "row_number": number,
        "row_role": role,
        "item_level": level,
        "is_of_which": of_which,
        "subject_code": code,
        "subject_level": "class" if code else "",
        "row_attributes": attributes,
    }


def test_streams_differing_in_one_line_each_get_their_own_answer():
    # columns 2 and 3 read the same lines; column 4 reads row 3 as a 其中 row, column 5 as a
    # row under a heading (its attribute), column 6 misses row 2
    shapes = {
        2: [
            ("total", 0, False, ""),
            ("item", 1, False, ""),
            ("item", 2, False, ""),
            ("item", 2, False, ""),
        ],
        3: [
            ("total", 0, False, ""),
            ("item", 1, False, ""),
            ("item", 2, False, ""),
            ("item", 2, False, ""),
        ],
        4: [
            ("total", 0, False, ""),
            ("item", 1, False, ""),
            ("item", 0, True, ""),
            ("item", 2, False, ""),
        ],
        5: [
            ("total", 0, False, ""),
            ("item", 0, False, "经济科目: 办公费"),
            ("item", 0, False, "采购方式: 集中"),
            ("item", 2, False, ""),
        ],
        6: [("total", 0, False, ""), None, ("item", 2, False, ""), ("item", 2, False, "")],
    }
    amounts = [
        _row(number, column, role, level, attributes=attributes, of_which=of_which)
        for column, lines in shapes.items()
        for number, line in enumerate(lines, start=1)
        if line is not None
        for role, level, of_which, attributes in [line]
    ]
    before = copy.deepcopy(amounts)
    add_hierarchy(amounts)
    _hierarchy_before(before)
    assert _hierarchy_fields(amounts) == _hierarchy_fields(before)


def test_a_row_number_printed_twice_in_a_stream_keeps_its_first_line():
    amounts = [
        _row(1, 2, "total"),
        _row(2, 2, "item", 1),
        _row(2, 2, "subtotal"),
        _row(3, 2, "item", 2),
    ]
    before = copy.deepcopy(amounts)
    add_hierarchy(amounts)
    _hierarchy_before(before)
    assert _hierarchy_fields(amounts) == _hierarchy_fields(before)


# -- classify_columns ------------------------------------------------------------------------
def _classify_before(table: RawTable, registry, fiscal_year=None) -> list[Column]:
    """classify_columns before stop 27: every column's cells cleaned first."""
    columns = []
    paths = [
        normalize.join_fragments(p, registry)
        for p in normalize.header_paths(table.header, table.width)
    ]
    for j, path in enumerate(normalize.without_spilled_fragments(paths, registry)):
        norm = [
            normalize_label(p) for p in path if normalize_label(p) not in registry.grouping_words
        ]
        leaf = norm[-1] if norm else ""
        body = [clean_cell(row[j]) for row in table.body if j < len(row) and row[j]]
        column = Column(index=j + 1, role="", path=path)
        if leaf and any(p.fullmatch(leaf) for p in registry.ignore_headers):
            column.role = "ignore"
        elif leaf and any(p.fullmatch(leaf) for p in registry.code_headers):
            column.role = "code"
            column.code_part = registry.code_part_headers.get(leaf, 0)
        elif leaf and any(p.fullmatch(leaf) for p in registry.attribute_headers):
            column.role = "attribute"
        elif leaf and any(p.fullmatch(leaf) for p in registry.fallback_label_headers):
            column.role = "fallback_label"
        elif leaf and any(p.fullmatch(leaf) for p in registry.label_headers):
            column.role = "label"
        elif leaf and registry.measure(leaf):
            column.role = "amount"
        elif body and all(looks_like_amount(c) for c in body):
            column.role = "amount"
        elif body and sum(bool(CODE.match(c)) for c in body) > len(body) / 2:
            column.role = "code"
        elif body:
            column.role = "label"
        else:
            column.role = "amount" if leaf else "ignore"
        if column.role == "amount":
            column.measure = normalize._measure(norm, registry)
            column.period = next(
                (p for p in (registry.period(h, fiscal_year) for h in path) if p), "current"
            )
        if (
            column.role == "label"
            and leaf
            and any(p.fullmatch(leaf) for p in registry.unit_headers)
        ):
            column.unit_column = True
        for part in norm[:-1] if column.role == "amount" else norm:
            column.side = column.side or next(
                (s for s, words in registry.sides.items() if part in words), ""
            )
            column.group = column.group or next(
                (g for g, words in registry.column_groups.items() if part in words), ""
            )
        columns.append(column)
    normalize._halves_named_by_their_fund(columns, registry)  # stop 38: a rule over the whole header, not over cells
    # a pass over the classified columns added after stop 27 (stop 38), the same for both
    normalize._one_side_is_no_side(columns, registry)
    return columns


def _tables_read(monkeypatch, folder: str) -> list[RawTable]:
    """The amount tables raw_table_to_rows is given for a fixture publication."""
    tables: list[RawTable] = []

    def keeping(table, *args, _normalize=normalize.raw_table_to_rows):
        tables.append(table)
        return _normalize(table, *args)

    from yusuan.interpret import publication_rows

    monkeypatch.setattr(publication_rows, "raw_table_to_rows", keeping)
    process_document(_document(folder))
    return tables


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_columns_are_classified_as_with_every_cell_read(folder, monkeypatch):
    registry = load_registry()
    tables = _tables_read(monkeypatch, folder)
    assert tables
    for table in tables:
        assert normalize.classify_columns(table, registry, 2024) == _classify_before(
            table, registry, 2024
        )


@pytest.mark.parametrize(
    ("body", "header", "role"),
    [
        ([["1,234.50"], ["0"], [""]], "", "amount"),
        ([["201"], ["20101"], ["一般公共服务"]], "", "code"),
        ([["201"], ["一般公共服务"]], "", "label"),
        ([["一般公共服务"], ["12"]], "", "label"),
        ([[""], [None]], "未知的列", "amount"),
        ([[""], []], "", "ignore"),
        ([["12%"]], "", "label"),
    ],
)
def test_a_column_its_header_does_not_name_is_read_from_its_cells(body, header, role):
    registry = load_registry()
    origin = Origin("a.pdf", "0" * 64, 1, 1)
    table = RawTable(
        "t", "title", "", "万元", "", [[header]], body, [origin] * len(body), [], origin, 1
    )
    assert (
        [c.role for c in normalize.classify_columns(table, registry)]
        == [c.role for c in _classify_before(table, registry)]
        == [role]
    )


# -- _row --------------------------------------------------------------------------------------
def _row_before(
    document,
    table,
    spec,
    number,
    column,
    label,
    name,
    level,
    of_which,
    code,
    classification,
    registry,
) -> dict:
    """_row before stop 27: the column's fields and the code's classification found per cell."""
    typed = bool(code) and code_classification(code, registry) == classification
    subject_level = normalize.CODE_LEVELS.get(len(code), "") if typed else ""
    return {
        "document_id": document.document_id,
        "table_sequence": table.sequence,
        "row_number": number,
        "column_number": column.index,
        "table_id": table.table_id,
        "item_name_printed": label,
        "item_name": name,
        "row_role": registry.row_role(name) if name else ("unlabelled" if not code else "item"),
        "item_level": level,
        "is_of_which": of_which,
        "classification": classification,
        "subject_code": code,
        "subject_level": subject_level,
        "class_code": code[:3] if subject_level else "",
        "section_code": code[:5] if subject_level in ("section", "item") else "",
        "item_code": code if subject_level == "item" else "",
        "function_code": code if classification == "function" and subject_level else None,
        "economic_code": code if classification == "economic" and subject_level else None,
        "government_economic_code": code
        if classification == "government_economic" and subject_level
        else None,
        "side": column.side,
        "column_group": column.group,
        "measure": column.measure,
        "period": column.period,
        "column_header": column.header,
        "fund_scope": spec.fund_scope if spec else "none",
        "phase": normalize._phase(column, document),
    }


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_an_amount_row_is_made_as_with_its_column_read_per_cell(folder, monkeypatch):
    registry = load_registry()
    document = _document(folder)
    made: list[tuple[dict, dict]] = []

    def comparing(*args, _made=normalize._row):
        # args: document, table, number, column, label, name, level, of_which, code,
        # classification, registry, then the column's fields and the classes memo
        row = _made(*args)
        document, table, *cell = args[:11]
        spec = cell[-1].by_id.get(table.table_id)
        made.append((dict(row), _row_before(document, table, spec, *cell)))
        return row

    monkeypatch.setattr(normalize, "_row", comparing)
    process_document(document, registry)
    assert made
    for row, before in made:
        assert list(row.items()) == list(before.items())  # the same fields in the same order


def test_a_code_class_is_remembered_per_table():
    registry = load_registry()
    classes: dict[str, str] = {}
    for code in [
        "201",
        "20101",
        "2010101",
        "501",
        "50101",
        "301",
        "30101",
        "1",
        "9999",
        "101",
        "2010101",
    ]:
        assert normalize._code_class(code, registry, classes) == code_classification(code, registry)
    assert classes["2010101"] == code_classification("2010101", registry)


# -- check_codes -------------------------------------------------------------------------------
def test_the_code_keys_of_a_row_are_those_of_its_printed_codes(amounts_by_folder):
    rows = [r for amounts in amounts_by_folder.values() for r in amounts]
    blank = {
        "subject_code": "",
        "item_name": "名称",
        "classification": "function",
        "function_code": None,
        "economic_code": None,
        "government_economic_code": None,
    }
    rows += [
        dict(blank),
        dict(
            blank,
            subject_code="2010101",
            function_code="2010101",
            economic_code="30101",
            _code_names={"economic": "基本工资"},
        ),
        dict(
            blank,
            subject_code="30101",
            classification="economic",
            function_code="2010101",
            economic_code="30102",
        ),
        dict(blank, subject_code="101", classification="revenue", function_code="2010101"),
        dict(
            blank,
            subject_code="50101",
            classification="government_economic",
            government_economic_code="50101",
            economic_code="30101",
        ),
    ]
    assert any(len(code_rules.printed_codes(r)) > 1 for r in rows)
    for row in rows:
        assert code_rules.printed_code_keys(row) == [
            (c, code) for c, (code, _name) in code_rules.printed_codes(row).items()
        ]


def _check_codes_before(run, amounts) -> None:
    """check_codes before stop 27: every row's codes and names read."""
    first: dict = {}
    counts: dict = defaultdict(int)
    for row in amounts:
        for classification, (code, name) in code_rules.printed_codes(row).items():
            key = (classification, code)
            first.setdefault(key, (row, name))
            counts[key] += 1
    for (classification, code), (row, printed) in first.items():
        names = code_rules.reference(classification)
        if len(code) not in code_rules.expected_lengths(classification):
            continue
        run.count_checked("code_in_codelist")
        if code not in names:
            known_class = code[:3] in names
            run.add(
                "code_in_codelist",
                "failed",
                row,
                f"{classification} code {code} ({printed}) is not in the compiled code list"
                + (
                    "; its 类 is, so the list may be stale"
                    if known_class
                    else "; neither is its 类 " + code[:3]
                ),
                expected="a code of the list",
                actual=code,
                severity="info" if known_class else "warning",
                count=counts[(classification, code)],
                field="subject_code",
            )
            continue
        run.count_checked("code_name_matches_codelist")
        if printed and code_rules.comparable_name(printed) != code_rules.comparable_name(
            names[code]
        ):
            run.add(
                "code_name_matches_codelist",
                "failed",
                row,
                f"{code} is printed as {printed!r}; the compiled list names it {names[code]!r} (the printed name is kept)",
                expected=names[code],
                actual=printed,
                count=counts[(classification, code)],
                field="item_name",
            )
    code_rules.check_code_levels(run, amounts)


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_the_code_checks_are_those_with_every_name_read(folder, amounts_by_folder):
    amounts = amounts_by_folder[folder]
    odd = dict(
        amounts[0],
        subject_code="2019999",
        classification="function",
        function_code="2019999",
        economic_code="30199",
        _code_names={"economic": "其他工资"},
    )
    renamed = dict(
        amounts[0],
        subject_code="2010101",
        classification="function",
        item_name="另一个名字",
        function_code="2010101",
    )
    for rows in (amounts, [*amounts, odd, renamed, odd]):
        now, before = engine.CheckRun(folder), engine.CheckRun(folder)
        code_rules.check_codes(now, rows)
        _check_codes_before(before, rows)
        assert now.results == before.results
        assert now.touched_rows == before.touched_rows


# -- allowance ---------------------------------------------------------------------------------
def test_the_allowance_is_that_of_the_formula_on_mixed_terms():
    generator = random.Random(27)
    units = [word("yuan"), "万元", "亿元", ""]
    for _ in range(2000):
        terms = [
            Term(
                Decimal(generator.randint(-(10**6), 10**6)) / 100,
                generator.choice(units),
                generator.randint(0, 4),
                generator.choice(["table", "table", "text"]),
            )
            for _ in range(generator.randint(0, 6))
        ]
        for text_units in (Decimal(1), Decimal("0.5")):
            now, before = allowance(terms, text_units), _allowance_before(terms, text_units)
            assert now == before and str(now) == str(before)
    assert str(allowance([])) == str(_allowance_before([])) == "0"
    assert allowance(iter([Term(Decimal(1), "万元", 2)])) == _allowance_before(
        [Term(Decimal(1), "万元", 2)]
    )


# -- PrintedValues ---------------------------------------------------------------------------
def test_printed_values_are_collected_on_the_first_question(amounts_by_folder):
    registry = load_registry()
    amounts = amounts_by_folder[PUBLICATIONS[0]]
    tables = Tables(amounts, registry)
    values = PrintedValues(tables)
    assert values._values is None
    eager = {
        r["amount_yuan"]
        for rows in tables.by_sequence.values()
        for r in rows
        if r.get("amount_yuan") is not None
    }
    printed = next(iter(eager))
    assert printed in values
    assert values._values == eager
    assert Decimal("-0.017") not in values
    assert (Decimal("-0.017") in eager) is False


# -- the comparisons' cells, tolerances and largest parts ---------------------------------------
def test_a_cell_term_is_remembered_for_the_run_and_is_that_of_the_cell(amounts_by_folder):
    run = engine.CheckRun("d")
    rows = amounts_by_folder[PUBLICATIONS[0]]
    for row in rows:
        assert run.term_of(row) == Term.of(row)
        assert run.term_of(row) is run.term_of(row) or Term.of(row) is None
    other = dict(
        rows[0], amount=Decimal("123.45"), amount_yuan=Decimal("1234500.00"), value_printed="123.45"
    )
    run._terms[id(other)] = (rows[0], run.term_of(rows[0]))  # another cell under the same id
    assert run.term_of(other) == Term.of(other) != Term.of(rows[0])


def test_the_tolerance_displays_as_the_total_term_displays_it():
    generator = random.Random(7)
    units = [word("yuan"), "万元", "亿元", ""]
    for _ in range(1000):
        terms = [
            Term(Decimal(1), generator.choice(units), generator.randint(0, 4))
            for _ in range(generator.randint(1, 5))
        ]
        tolerance = allowance(terms)
        for unit, places in (
            (terms[0].unit, terms[0].places),
            (generator.choice(units), generator.randint(0, 4)),
        ):
            for value in (
                tolerance,
                tolerance.quantize(Decimal("0.0000001")),
                tolerance.normalize(),
            ):
                assert engine._tolerance_display(value, unit, places) == Term(
                    Decimal(7), unit, places
                ).display(value, extra_places=2)


def _largest_part_before(self, total, actual, parts, message) -> None:
    """CheckRun._largest_part before stop 27: the allowance asked of every total."""
    self._checked["total_not_below_largest_part"] += 1
    if not parts or any(p.value < 0 for p in parts):
        return
    largest = max(parts, key=lambda p: p.value)
    if actual.value < largest.value - allowance([actual, largest]):
        self._entries.append(
            self._entry(
                "total_not_below_largest_part",
                "failed",
                total,
                f"{engine.describe(total)} ({actual.display()}) is smaller than its part {engine.describe(largest.row)} ({largest.display(largest.value)}); {message}",
                expected=f">= {actual.display(largest.value)}",
                actual=actual.display(),
                difference=actual.display(actual.value - largest.value),
            )
        )
        self._entries[-1]["_touches"] = engine._touches([(total, "total"), (largest.row, "part")])


def _cell(row_number: int, printed: str, unit: str = "万元") -> dict:
    amount = Decimal(printed)
    return {
        "table_sequence": 1,
        "table_id": "t",
        "row_number": row_number,
        "amount": amount,
        "amount_yuan": amount * 10000 if unit == "万元" else amount,
        "unit_printed": unit,
        "value_printed": printed,
        "subject_code": "",
        "item_name_printed": f"r{row_number}",
        "measure": "total",
    }


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        ("10", ["6", "4"]),
        ("5.99", ["6.00", "0"]),
        ("5.9", ["6.00", "0"]),
        ("6", ["6", "-1"]),
        ("3", ["6", "4"]),
        ("6.00", ["6.004"]),
        ("7", []),
    ],
)
def test_a_total_below_its_largest_part_is_found_as_before(total, parts, monkeypatch):
    now = engine.CheckRun("d")
    now.compare(
        "row_total_equals_components",
        _cell(1, total),
        [_cell(k, p) for k, p in enumerate(parts, start=2)],
        "m",
    )
    monkeypatch.setattr(engine.CheckRun, "_largest_part", _largest_part_before)
    before = engine.CheckRun("d")
    before.compare(
        "row_total_equals_components",
        _cell(1, total),
        [_cell(k, p) for k, p in enumerate(parts, start=2)],
        "m",
    )
    assert now.results == before.results


def test_a_header_under_of_which_is_remembered_as_read():
    from yusuan.checks import table_rules

    for header in [
        "其中 / 事业单位经营支出",
        "其中： / 事业单位经营支出",
        "合计",
        "支出 / 基本支出",
        "其中",
        "",
        "一般 / 其中 / 上缴",
    ]:
        expected = any(
            normalize_label(p).rstrip(":：") == word("of_which") for p in header.split(" / ")[:-1]
        )
        assert table_rules._under_of_which({"column_header": header}) is expected


# -- a figure's topic --------------------------------------------------------------------------
def _topic_before(row: dict, registry) -> str:
    """narrative._topic before stop 27: every rule normalises the figure's texts again."""
    import re

    from yusuan.interpret.narrative import ENUMERATOR_PREFIX

    unit = row["count_unit"] or row["unit_printed"]
    subject = ENUMERATOR_PREFIX.sub("", row["subject"])
    for rule in registry.topics:
        if "unit" in rule and normalize_label(rule["unit"]) != normalize_label(unit):
            continue
        if "unit" not in rule and row["figure_kind"] == "count":
            continue
        if "sentence" in rule and not re.search(
            rule["sentence"], normalize_label(row.get("sentence") or "")
        ):
            continue
        if "subject" in rule and re.search(rule["subject"], subject):
            return rule["topic"]
        if "heading" in rule and re.search(rule["heading"], normalize_label(row["heading"])):
            return rule["topic"]
    return ""


def test_the_topics_of_the_figures_are_those_of_every_rule_read_afresh():
    from yusuan.interpret.narrative import _topic

    registry = load_registry()
    figures = [
        f
        for folder in PUBLICATIONS
        for f in process_document(_document(folder)).resources["narrative_figures"]
    ]
    assert sum(bool(f["topic"]) for f in figures) > 10
    kinds = {
        "amount": ("万元", ""),
        "percent": ("", ""),
        "count": ("", "个"),
        "change_amount": ("元", ""),
    }
    variants = [
        dict(
            f,
            subject=subject,
            figure_kind=kind,
            unit_printed=unit,
            count_unit=count,
            heading=heading,
        )
        for f in figures[:40]
        for subject in (
            f["subject"],
            "一般公共预算拨款基本支出",
            "（一）人员经费",
            "政府采购货物",
            "",
        )
        for kind, (unit, count) in kinds.items()
        for heading in (f["heading"], "三公经费", "")
    ]
    for figure in figures + variants:
        assert _topic(figure, registry) == _topic_before(figure, registry)


# -- a table's printed amounts, a table's parse ----------------------------------------------------
def test_the_printed_amounts_of_each_table_are_those_counted_per_table(amounts_by_folder):
    from yusuan.package.process import printed_counts

    for amounts in amounts_by_folder.values():
        counts = printed_counts(amounts)
        for sequence in {a["table_sequence"] for a in amounts} | {-1}:
            assert counts[sequence] == sum(
                a["amount"] is not None for a in amounts if a["table_sequence"] == sequence
            )


def _check_parsed_before(run, table, rows) -> None:
    from yusuan.checks.structure import _where

    numbers = sum(
        1
        for cells in table.body
        for c in cells
        if c and looks_like_amount(c) and any(ch in clean_cell(c) for ch in ".,")
    )
    run.count_checked("table_parsed")
    if numbers and not rows:
        run.add(
            "table_parsed",
            "failed",
            None,
            f"the table prints {numbers} amounts but none could be read (no amount column identified)",
            actual=str(numbers),
            **_where(table),
        )
    elif not table.body and not table.notes:
        run.add(
            "table_parsed",
            "failed",
            None,
            "the table has a header but no rows and no note saying it is empty",
            severity="warning",
            **_where(table),
        )


@pytest.mark.parametrize(
    ("body", "notes", "read"),
    [
        ([["1,234.50", "12"], ["x", "0.5"]], [], False),
        ([["1,234.50", "12"], ["x", "0.5"]], [], True),
        ([["12", "3"]], [], False),
        ([], [], False),
        ([], [], True),
        ([], ["本表无数据"], False),
    ],
)
def test_a_table_is_found_parsed_or_not_as_before(body, notes, read):
    from yusuan.checks.structure import check_parsed

    origin = Origin("a.pdf", "0" * 64, 1, 1)
    table = RawTable(
        "t", "title", "", "万元", "", [["合计"]], body, [origin] * len(body), notes, origin, 3
    )
    rows = [{"table_sequence": 3}] if read else []
    now, before = engine.CheckRun("d"), engine.CheckRun("d")
    check_parsed(now, table, rows)
    _check_parsed_before(before, table, rows)
    assert now.results == before.results


# -- the code hierarchy of a column --------------------------------------------------------------
def _code_hierarchy_before(run, rows) -> None:
    """check_code_hierarchy before stop 27: a column scanned again for each budget unit."""
    from yusuan.checks.table_rules import (
        _by_column,
        _children_in_print_order,
        _has_ancestor,
        _uncoded_parts,
    )

    for column in _by_column(rows).values():
        coded = [r for r in column if r["subject_level"] and not r["is_of_which"]]
        if not coded:
            continue
        by_unit: dict = defaultdict(list)
        for row in coded:
            by_unit[row.get("budget_unit", "")].append(row)
        top: list = []
        for unit, unit_coded in by_unit.items():
            codes = {r["subject_code"] for r in unit_coded}
            for parent, children in _children_in_print_order(unit_coded):
                run.compare(
                    "children_sum_to_parent",
                    parent,
                    children,
                    f"{parent['subject_code']} = Σ its sub-codes",
                )
            unit_top = [r for r in unit_coded if not _has_ancestor(r["subject_code"], codes)]
            top += unit_top
            # stop 40: which items without a code hold an amount beside the codes is one rule
            # (_uncoded_parts) in both; what is compared is the search per unit or in one pass
            uncoded_in_unit = [r for r in _uncoded_parts(column) if r.get("budget_unit") == unit]
            for subtotal in (
                r
                for r in column
                if not uncoded_in_unit
                and r["row_role"] == "subtotal"
                and not r["subject_code"]
                and unit
                and r.get("budget_unit") == unit
            ):
                run.compare(
                    "total_equals_top_level_rows",
                    subtotal,
                    unit_top,
                    f"{unit} = Σ its top-level codes",
                )
        uncoded = _uncoded_parts(column)
        if uncoded:
            continue
        for total in (r for r in column if r["row_role"] == "total" and not r["subject_code"]):
            run.compare("total_equals_top_level_rows", total, top, "total = Σ top-level codes")


def _unit_column(units: list[tuple[str | None, str, str, str]]) -> list[dict]:
    """One amount column of rows (budget unit, role, code, printed amount); None: no unit key."""
    rows = []
    for number, (unit, role, code, printed) in enumerate(units, start=1):
        row = dict(
            _cell(number, printed),
            column_number=2,
            row_role=role,
            subject_code=code,
            is_of_which=False,
        )
        row["subject_level"] = {3: "class", 5: "section", 7: "item"}.get(len(code), "")
        if unit is not None:
            row["budget_unit"] = unit
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    "units",
    [
        [
            ("", "total", "", "30"),
            ("甲", "subtotal", "", "10"),
            ("甲", "item", "201", "10"),
            ("乙", "subtotal", "", "20"),
            ("乙", "item", "201", "20"),
        ],
        [
            ("", "total", "", "30"),
            ("甲", "subtotal", "", "10"),
            ("甲", "item", "201", "10"),
            ("乙", "subtotal", "", "20"),
            ("乙", "item", "", "20"),
        ],
        [
            (None, "total", "", "5"),
            (None, "item", "201", "3"),
            (None, "item", "20101", "3"),
            ("甲", "subtotal", "", "9"),
            ("甲", "item", "202", "9"),
        ],
        [
            ("", "total", "", "7"),
            ("甲", "item", "201", "7"),
            ("甲", "subtotal", "", "7"),
            ("甲", "subtotal", "", "6"),
            ("乙", "item", "", "0"),
        ],
    ],
)
def test_the_code_hierarchy_of_budget_units_is_checked_as_before(units):
    from yusuan.checks.table_rules import check_code_hierarchy

    rows = _unit_column(units)
    now, before = engine.CheckRun("d"), engine.CheckRun("d")
    check_code_hierarchy(now, rows)
    _code_hierarchy_before(before, rows)
    assert now.results == before.results
    assert now.touched_rows == before.touched_rows


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_the_code_hierarchy_of_a_publication_is_checked_as_before(folder, amounts_by_folder):
    from yusuan.checks.table_rules import check_code_hierarchy

    by_table: dict = defaultdict(list)
    for row in amounts_by_folder[folder]:
        by_table[row["table_sequence"]].append(row)
    now, before = engine.CheckRun("d"), engine.CheckRun("d")
    for rows in by_table.values():
        check_code_hierarchy(now, rows)
        _code_hierarchy_before(before, rows)
    assert now.results == before.results
