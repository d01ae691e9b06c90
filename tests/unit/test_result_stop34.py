"""The result stage's shortcuts of stop 34 (issue 14) give the answers of the code before
them: the code before each change is kept here (or in test_result_stop33.py) as the oracle
and run on real fixture publications and on edge cases.

* the codes a publication prints added once per (classification, code, name)
  (``publication_rows.printed_codes``);
* a check row made as one literal (``engine._public``);
* a figure's clause found from the sentence's breaks, found once per sentence, and the lead
  name read only of a sentence without a figure (``narrative.figure_rows``);
* a line's contents-entry pattern searched only when its last character may end an entry,
  a heading's endings asked in one ``endswith`` (``narrative.lines_to_sections``);
* a row's stream and line fields read in one call (``hierarchy.add_hierarchy``);
* a row total's reading chosen without comparing the totals when every usable reading takes
  the cells of the first (``table_rules._best_reading``);
* a column's parents, sub-codes and top-level codes found once per (row number, code)
  sequence of a table (``table_rules._code_structure``).
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from decimal import Decimal
from operator import itemgetter
from typing import Any

import pytest

from tests.unit.fixture_publications import fixture_document
from tests.unit.test_result_stop33 import _add_hierarchy_stop32
from yusuan.checks import engine, table_rules
from yusuan.checks.engine import CHECK_FIELDS
from yusuan.checks.run import run_checks
from yusuan.core.model import Origin, TextLine
from yusuan.core.numbers import UNIT_MULTIPLIERS, nfkc, to_yuan
from yusuan.core.schemas import load_registry, normalize_label
from yusuan.core.vocabulary import pattern, word
from yusuan.interpret import narrative, publication_rows
from yusuan.interpret.code_inference import PrintedCodes
from yusuan.interpret.hierarchy import add_hierarchy
from yusuan.interpret.narrative import Section
from yusuan.interpret.normalize import CODE_FIELDS
from yusuan.package import process
from yusuan.package.process import process_document

PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # narrative figures named by code and by 类/款/项
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]
REGISTRY = load_registry()


LINES: list[list[TextLine]] = []  # the running text of each fixture publication, as runs read it


@pytest.fixture(scope="module")
def runs() -> list[tuple[Any, list[tuple[list[Section], str]]]]:
    """Each fixture publication's result and the sections its figures were read from (its
    running text's lines are kept in ``LINES``)."""
    out = []
    LINES.clear()
    for folder in PUBLICATIONS:
        seen: list[tuple[list[Section], str]] = []
        real, real_sections = process.figure_rows, process.lines_to_sections

        def spy(sections, document_id, registry, seen=seen, real=real):
            seen.append((sections, document_id))
            return real(sections, document_id, registry)

        def spy_lines(lines, registry, real_sections=real_sections):
            LINES.append(list(lines))
            return real_sections(lines, registry)

        process.figure_rows, process.lines_to_sections = spy, spy_lines
        try:
            result = process_document(fixture_document(folder))
        finally:
            process.figure_rows, process.lines_to_sections = real, real_sections
        out.append((result, seen))
    return out


def _items(rows: list[dict]) -> list[list[tuple[str, Any]]]:
    return [list(row.items()) for row in rows]


# -- the printed codes added once ---------------------------------------------------------------
def _printed_codes_stop33(tables) -> PrintedCodes:
    """publication_rows.printed_codes at stop 33: every amount row added."""
    printed = PrintedCodes()
    for rows in tables:
        for row in rows:
            if row["subject_code_source"] == "printed" and row["subject_level"] and row["classification"] in CODE_FIELDS:
                printed.add(row["classification"], row["subject_code"], row["item_name"])
    return printed


def _state(printed: PrintedCodes) -> tuple:
    children = {c: {p: dict(names) for p, names in parents.items()} for c, parents in printed._children.items()}
    return children, set(printed._ambiguous), set(printed.names), bool(printed)


def _codes_alike(tables: list[list[dict]]) -> None:
    assert _state(publication_rows.printed_codes(tables)) == _state(_printed_codes_stop33(tables))


def test_printed_codes_of_the_fixture_publications_as_before(runs):
    rng = random.Random(340_000_001)
    for result, _sections in runs:
        amounts = result.resources["amounts"]
        by_table: dict[int, list[dict]] = {}
        for row in amounts:
            by_table.setdefault(row["table_sequence"], []).append(row)
        _codes_alike(list(by_table.values()))
        _codes_alike([rng.sample(amounts, k=len(amounts))])
    assert sum(bool(_printed_codes_stop33([r.resources["amounts"]]).names) for r, _s in runs) >= 2


def test_printed_codes_of_random_rows_as_before():
    """Names repeated, printed with two codes under one parent, then again with the first."""
    rng = random.Random(340_000_002)
    codes = ["201", "20101", "2010101", "2010102", "2010150", "20102", "2010201", "30101", "3010101", "30102"]
    names = ["行政运行", "一般行政管理事务", "机关服务", "（其他）支出", "(其他)支出", "", " 行政运行 "]
    for _ in range(2000):
        rows = [
            {
                "subject_code_source": rng.choice(["printed", "printed", "inferred_from_name", ""]),
                "subject_level": rng.choice(["item", "section", "class", ""]),
                "classification": rng.choice(["function", "economic", "government_economic", "none"]),
                "subject_code": rng.choice(codes),
                "item_name": rng.choice(names),
            }
            for _ in range(rng.randint(0, 30))
        ]
        tables = [rows[: len(rows) // 2], rows[len(rows) // 2 :], rows[:3]]
        _codes_alike(tables)
        _codes_alike([rows + rows[::-1]])


def test_printed_codes_compared_tell_a_lost_conflict():
    """Were the rows added once per (classification, name), a name printed with two codes
    would not be found ambiguous: the comparison above tells it."""
    rows = [
        {"subject_code_source": "printed", "subject_level": "item", "classification": "function", "subject_code": c, "item_name": "行政运行"}
        for c in ("2010101", "2010101", "2010150")
    ]
    _codes_alike([rows])
    once_per_name = PrintedCodes()
    for row in {(r["classification"], r["item_name"]): r for r in reversed(rows)}.values():
        once_per_name.add(row["classification"], row["subject_code"], row["item_name"])
    assert _state(once_per_name) != _state(_printed_codes_stop33([rows]))
    assert _state(publication_rows.printed_codes([rows]))[1] == {("function", "20101", "行政运行")}


# -- a check row as one literal -----------------------------------------------------------------
_PUBLIC_VALUES = itemgetter(*CHECK_FIELDS)


def _public_stop33(entry: dict) -> dict:
    """engine._public at stop 33."""
    return dict(zip(CHECK_FIELDS, _PUBLIC_VALUES(entry), strict=True))


def test_check_rows_as_made_before(runs):
    count = 0
    for result, _sections in runs:
        for entry in result.check_run._entries:
            got, want = engine._public(entry), _public_stop33(entry)
            assert list(got.items()) == list(want.items())
            assert sys.getsizeof(got) == sys.getsizeof(want)  # the same table (peak memory)
            got["check_number"] = 7  # set later in place: the same size still
            want["check_number"] = 7
            assert sys.getsizeof(got) == sys.getsizeof(want)
            count += 1
    assert count > 100


def test_a_check_row_of_other_entries_as_before():
    entry = {name: f"v{k}" for k, name in enumerate(reversed(CHECK_FIELDS))}  # another order
    entry |= {"_cluster": ("a", "b", 1), "_touches": [(1, 2, "total")], "extra": None}
    assert list(engine._public(entry).items()) == list(_public_stop33(entry).items())
    assert tuple(engine._public(entry)) == CHECK_FIELDS
    for name in CHECK_FIELDS:
        short = {k: v for k, v in entry.items() if k != name}
        for make in (engine._public, _public_stop33):
            with pytest.raises(KeyError):
                make(short)


# -- figures: the clause before a figure, the lead name -----------------------------------------
def _figure_rows_stop33(sections, document_id, registry):
    """narrative.figure_rows at stop 33: the clause split off the sentence's text before each
    figure, the lead name matched on every sentence."""
    n = narrative
    figure_pattern = n._figure_pattern(registry)
    rows: list[dict[str, Any]] = []
    for section in sections:
        lead = ""
        for line_text, origin in n._sentences(section):
            text = n.letter_spacing_removed(nfkc(line_text))
            subject = ""
            scoped = False
            title = n.LEAD_CLAUSE.match(n.SPACES.sub("", text))
            for match in figure_pattern.finditer(text):
                before = n.CLAUSE_BREAK.split(text[: match.start()])[-1].strip()
                before = n.SPACES.sub("", before)
                if n._is_price_threshold(text, match, before):
                    continue  # stop 37: a unit-price bound (单价 100 万元（含）以上) is no figure, in both
                if lead and not subject and n.GENERIC_SUBJECT.match(before):
                    before = lead + before
                unit = match.group("unit")
                value = Decimal(match.group("num").replace(",", ""))
                change = n._change_sign(before, registry) if unit in UNIT_MULTIPLIERS or unit == "%" else 0
                if change:
                    kind = "change_percent" if unit == "%" else "change_amount"
                    value = value * change
                else:
                    kind = "percent" if unit == "%" else ("amount" if unit in UNIT_MULTIPLIERS else "count")
                    subject = pattern("stated_verb_suffix").sub("", before) or subject
                    if not rows or rows[-1]["sentence"] != line_text.strip():
                        scoped = bool(n.OF_WHICH_FUND.match(before))
                rows.append({
                    "document_id": document_id, "figure_number": len(rows) + 1,
                    "part": section.part, "heading": section.heading,
                    "subject": subject if change else (subject or before), "topic": "",
                    "figure_kind": kind, "value_printed": match.group(0), "value": value,
                    "unit_printed": unit if unit in UNIT_MULTIPLIERS else "",
                    "amount_yuan": to_yuan(value, unit) if unit in UNIT_MULTIPLIERS else None,
                    "count_unit": "" if unit in UNIT_MULTIPLIERS else unit,
                    "sentence": line_text.strip(), "file_name": origin.file, "sha256": origin.sha256,
                    "page": origin.page, "line": origin.line,
                })
                rows[-1]["topic"] = "" if scoped else n._topic(rows[-1], registry)
            lead = title.group("name") if title and not figure_pattern.search(text) else ""
    return rows


def _figures_alike(sections, document_id) -> list[dict]:
    got = narrative.figure_rows(sections, document_id, REGISTRY)
    want = _figure_rows_stop33(sections, document_id, REGISTRY)
    assert _items(got) == _items(want)
    return got


def test_figures_of_the_fixture_publications_as_before(runs):
    total = 0
    for _result, seen in runs:
        for sections, document_id in seen:
            total += len(_figures_alike(sections, document_id))
    assert total > 100


LEADS = ["（一）因公出国（境）费用。", "2.公务接待费。", "一、 机关运行经费", "(三)公务用车购置及运行费：", "三、其他", ""]
CLAUSES = [
    "2026年预算数14.85万元", "本年预算", "比上年增加3.2万元，增长5.1%", "其中：货物0万元、工程12万元；服务1,234.50万元",
    "主要用于会议费2 3 4 . 5 万 元", "共有车辆3辆", "较上年减少10%", "今年", "安排", "，", "；", "无数字的句子",
]


def test_figures_of_random_sentences_as_before():
    """Sentences with and without figures, lead clauses, clause breaks at every place."""
    rng = random.Random(340_000_003)
    for k in range(400):
        lines = []
        for number in range(rng.randint(1, 8)):
            text = rng.choice(LEADS) if rng.random() < 0.3 else "".join(
                rng.choice(CLAUSES) + rng.choice(["，", "。", "；", "、", ":", "", " "]) for _ in range(rng.randint(1, 5))
            )
            lines.append(TextLine(text, Origin("a.pdf", "0" * 64, 1, number + 1), continues=rng.random() < 0.3))
        sections = [Section(part="第二部分", heading=rng.choice(["一、收支预算", "（三）三公经费", ""]), lines=lines)]
        _figures_alike(sections, f"doc-{k}")


def test_clause_before_as_split():
    rng = random.Random(340_000_004)
    alphabet = "，,。；;：:、预算万元12 "
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        breaks = [m.start() for m in narrative.CLAUSE_BREAK.finditer(text)]
        for end in range(len(text) + 1):
            assert narrative._clause_before(text, end, breaks) == narrative.CLAUSE_BREAK.split(text[:end])[-1]


# -- a row's stream and line fields in one call -------------------------------------------------
def _hierarchy_alike(rows: list[dict]) -> None:
    fields = ("parent_row_number", "is_leaf")
    got = [{k: v for k, v in row.items() if k not in fields} for row in rows]
    want = [{k: v for k, v in row.items() if k not in fields} for row in rows]
    add_hierarchy(got)
    _add_hierarchy_stop32(want)
    assert _items(got) == _items(want)


def test_hierarchy_of_random_rows_with_every_field_as_before():
    """Every row has every field (the one-call path; stop 33's random rows mostly lack
    row_attributes), with None, 0 and "" where a field may be empty; some rows lack one."""
    rng = random.Random(340_000_005)
    codes = ["", "", "201", "20101", "2010101", "2010102", "20102", "205", "20501"]
    optional = ["side", "column_group", "item_level", "is_of_which", "subject_code", "subject_level", "row_attributes"]
    for _ in range(300):
        rows = []
        for _ in range(rng.randint(1, 40)):
            code = rng.choice(codes)
            row = {
                "table_sequence": rng.randint(1, 2), "row_number": rng.randint(1, 12), "column_number": rng.randint(1, 3),
                "side": rng.choice(["", None, "revenue"]), "column_group": rng.choice(["", None, "g"]),
                "row_role": rng.choice(["item", "item", "subtotal", "total"]), "item_level": rng.choice([0, 1, 2, None]),
                "is_of_which": rng.choice([True, False, None, 0]), "subject_code": rng.choice([code, None]),
                "subject_level": rng.choice([{3: "class", 5: "section", 7: "item"}.get(len(code), ""), None]),
                "row_attributes": rng.choice(["经济科目: 办公费", "采购组织形式: 集中采购; 经济科目: 办公费", "", None]),
            }
            if rng.random() < 0.1:
                del row[rng.choice(optional)]
            rows.append(row)
        _hierarchy_alike(rows)


def test_hierarchy_of_the_fixture_publications_as_before(runs):
    for result, _sections in runs:
        amounts = result.resources["amounts"]
        assert any(r["parent_row_number"] is not None for r in amounts)
        _hierarchy_alike(amounts)
        _hierarchy_alike(amounts[::-1])


def test_a_row_without_a_required_field_still_fails():
    row = {"table_sequence": 1, "row_number": 1, "column_number": 1}
    with pytest.raises(KeyError):
        add_hierarchy([dict(row)])  # no row_role: its line cannot be made
    with pytest.raises(KeyError):
        _add_hierarchy_stop32([dict(row)])


# -- sections: contents entries, heading endings ------------------------------------------------
def _is_heading_stop33(line, norm, registry) -> bool:
    if line.continues or len(norm) > 40:
        return False
    match = narrative.HEADING.match(norm)
    if match:
        return not re.search(r"[。，,；;、]|[:：].", norm[match.end():])
    return len(norm) <= 30 and any(norm.endswith(ending) for ending in registry.section_endings)


def _lines_to_sections_stop33(lines, registry) -> list[Section]:
    """narrative.lines_to_sections at stop 33."""
    n = narrative
    sections: list[Section] = []
    part = ""
    current = None
    for line in n.skip_contents(lines):
        text = line.text.strip()
        norm = normalize_label(text)
        if not norm or n.PAGE_NUMBER.match(text) or norm == word("contents_heading") or n.CONTENTS_ENTRY.search(text):
            continue
        if n.PART.match(norm):
            part = text
            current = Section(part=part, heading=text, origin=line.origin)
            sections.append(current)
            continue
        if current is not None and current.heading == part and not current.lines and len(norm) <= 20 and not n.HEADING.match(norm):
            part = f"{part} {text}"
            current.heading = current.part = part
            continue
        if _is_heading_stop33(line, norm, registry):
            current = Section(part=part, heading=text, origin=line.origin)
            sections.append(current)
            continue
        if current is None:
            current = Section(part="", heading="", origin=line.origin)
            sections.append(current)
        current.lines.append(line)
    return sections


def _sections_key(sections: list[Section]) -> list[tuple]:
    return [(s.part, s.heading, s.origin, [id(line) for line in s.lines]) for s in sections]


def _sections_alike(lines: list[TextLine]) -> None:
    got = narrative.lines_to_sections(lines, REGISTRY)
    assert _sections_key(got) == _sections_key(_lines_to_sections_stop33(lines, REGISTRY))


def test_sections_of_the_fixture_publications_as_before(runs):
    assert len(LINES) == len(PUBLICATIONS) and sum(map(len, LINES)) > 300
    for lines in LINES:
        _sections_alike(lines)
        for line in lines:
            text = line.text.strip()
            assert narrative._contents_entry(text) == bool(narrative.CONTENTS_ENTRY.search(text))


ENTRY_PIECES = ["第一部分", "一、", "部门职责", "……", "…", "...", "..", "·", "···", " ", "\u3000", "\t", "12", "3", "123",
                "٣", "３", "²", "。", "主要职能", "目录", "—", "页"]


def test_contents_entries_of_random_texts_as_searched():
    """Texts ending in leaders, digits of other scripts (Arabic-Indic, full-width,
    superscript), spaces of every kind, prose."""
    rng = random.Random(340_000_006)
    seen = set()
    for _ in range(20000):
        text = "".join(rng.choice(ENTRY_PIECES) for _ in range(rng.randint(0, 6)))
        for candidate in (text, text.strip()):
            found = bool(narrative.CONTENTS_ENTRY.search(candidate))
            assert narrative._contents_entry(candidate) == found
            seen.add(found)
    assert seen == {True, False}


def test_sections_of_random_lines_as_before():
    rng = random.Random(340_000_007)
    endings = list(REGISTRY.section_endings)
    pieces = ["第一部分", "第二部分 部门预算", "一、", "（二）", "部门职责", "主要职能", "目录", "……12", " 3", "5", "本部门", "。", "，说明"]
    pieces += endings[:5]
    for _ in range(300):
        lines = [
            TextLine("".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))), Origin("a.pdf", "0" * 64, 1 + n // 30, n), continues=rng.random() < 0.2)
            for n in range(rng.randint(0, 40))
        ]
        _sections_alike(lines)


def test_heading_endings_as_asked_one_by_one():
    rng = random.Random(340_000_008)
    endings = list(REGISTRY.section_endings)
    assert endings
    for _ in range(3000):
        norm = "".join(rng.choice(["职能", "机构", "概况", "说明", "的", "部门"] + endings) for _ in range(rng.randint(0, 4)))
        line = TextLine(norm, Origin("a.pdf", "0" * 64, 1, 1), continues=rng.random() < 0.1)
        assert narrative.is_heading(line, norm, REGISTRY) == _is_heading_stop33(line, norm, REGISTRY)


# -- a row total's reading chosen without comparing readings that are one ------------------------
def _best_reading_stop33(found, usable, term_of) -> int:
    """check_row_totals at stop 33: every usable reading's failures counted, then the least."""
    failures = table_rules._failures(found, usable, term_of)
    return min(usable, key=lambda k: (failures[k], k))


def _amount_row(value: str, measure: str) -> dict:
    return {"amount": Decimal(value), "amount_yuan": Decimal(value) * 10000, "unit_printed": "万元", "value_printed": value, "measure": measure}


def test_best_reading_as_counted_before(runs, monkeypatch):
    groups = []

    def spy(found, usable, term_of):
        groups.append((found, usable))
        return _best_reading_stop33(found, usable, term_of)

    monkeypatch.setattr(table_rules, "_best_reading", spy)
    for result, _sections in runs:
        run_checks(result.resources["amounts"], REGISTRY, "d")
    monkeypatch.undo()
    assert len(groups) > 5 and any(len(u) > 1 for _f, u in groups)
    for found, usable in groups:
        assert table_rules._best_reading(found, usable, engine.Term.of) == _best_reading_stop33(found, usable, engine.Term.of)
    # readings that are one in some rows only, and totals that agree with one reading or another
    rng = random.Random(340_000_009)
    for _ in range(3000):
        found = []
        for _row in range(rng.randint(1, 4)):
            parts = [_amount_row(rng.choice(["1", "2", "0.5", "3"]), m) for m in ("basic", "project", "business")]
            readings = [parts, parts[:2] if rng.random() < 0.5 else parts, list(parts[:2]) if rng.random() < 0.3 else parts]
            total = _amount_row(str(sum(Decimal(p["value_printed"]) for p in readings[rng.randint(0, 2)]) + rng.choice([0, 0, 1])), "total")
            found.append((total, readings))
        usable = sorted(rng.sample([0, 1, 2], k=rng.randint(1, 3)))
        assert table_rules._best_reading(found, usable, engine.Term.of) == _best_reading_stop33(found, usable, engine.Term.of)


# -- a table's code structure found once per (row number, code) sequence -------------------------
def _check_code_hierarchy_stop33(run, rows) -> None:
    """table_rules.check_code_hierarchy at stop 33: each column's children and top rows found again."""
    for column in table_rules._by_column(rows).values():
        coded = [r for r in column if r["subject_level"] and not r["is_of_which"]]
        if not coded:
            continue
        by_unit: dict = defaultdict(list)
        for row in coded:
            by_unit[row.get("budget_unit", "")].append(row)
        # stop 40: the items without a code that switch the total off are chosen by one rule
        # (table_rules._uncoded_parts) in both; what is compared here is the structure found once
        uncoded_units = {r.get("budget_unit") for r in table_rules._uncoded_parts(column)}
        subtotals: dict = defaultdict(list)
        for r in column:
            if r["row_role"] == "subtotal" and not r["subject_code"]:
                subtotals[r.get("budget_unit")].append(r)
        top: list = []
        for unit, unit_coded in by_unit.items():
            codes = {r["subject_code"] for r in unit_coded}
            for parent, children in table_rules._children_in_print_order(unit_coded):
                run.compare("children_sum_to_parent", parent, children, f"{parent['subject_code']} = Σ its sub-codes")
            unit_top = [r for r in unit_coded if not table_rules._has_ancestor(r["subject_code"], codes)]
            top += unit_top
            if unit and unit not in uncoded_units:
                for subtotal in subtotals.get(unit, []):
                    run.compare("total_equals_top_level_rows", subtotal, unit_top, f"{unit} = Σ its top-level codes")
        if uncoded_units:
            continue
        for total in (r for r in column if r["row_role"] == "total" and not r["subject_code"]):
            run.compare("total_equals_top_level_rows", total, top, "total = Σ top-level codes")


def _code_hierarchy_alike(rows: list[dict]) -> int:
    got, want = engine.CheckRun("d"), engine.CheckRun("d")
    table_rules.check_code_hierarchy(got, rows)
    _check_code_hierarchy_stop33(want, rows)
    assert _items(got._entries) == _items(want._entries)
    assert dict(got._checked) == dict(want._checked)
    return len(got._entries)


def test_code_hierarchy_of_the_fixture_publications_as_before(runs):
    rng = random.Random(340_000_010)
    compared = 0
    for result, _sections in runs:
        by_table: dict = defaultdict(list)
        for row in result.resources["amounts"]:
            by_table[row["table_sequence"]].append(row)
        for rows in by_table.values():
            compared += _code_hierarchy_alike(rows)
            compared += _code_hierarchy_alike(rng.sample(rows, k=len(rows)))
            # one column's codes changed: its structure is its own
            changed = [dict(r, subject_code=r["subject_code"][:-2]) if r["column_number"] % 2 and len(r["subject_code"]) > 3 and rng.random() < 0.3 else r for r in rows]
            compared += _code_hierarchy_alike(changed)
    assert compared > 200


def test_code_structure_of_random_rows_as_before():
    """Codes printed twice, out of order, without parents, under several units and columns."""
    rng = random.Random(340_000_011)
    codes = ["201", "20101", "2010101", "2010102", "20102", "2010201", "205", "20501", "2050101", "302", "30201"]
    for _ in range(1500):
        rows = []
        for _k in range(rng.randint(0, 25)):
            code = rng.choice(codes)
            rows.append({
                "table_sequence": 1, "row_number": rng.randint(1, 15), "column_number": rng.randint(1, 3),
                "subject_code": code, "subject_level": rng.choice(["item", "section", "class", ""]),
                "is_of_which": rng.random() < 0.1, "row_role": rng.choice(["item", "item", "subtotal", "total"]),
                "budget_unit": rng.choice(["", "", "本级", "下属"]), "amount": Decimal(rng.randint(0, 9)),
                "amount_yuan": None, "unit_printed": "", "value_printed": "1",
            })
        for row in rows:
            if row["row_role"] != "item" and rng.random() < 0.5:
                row["subject_code"] = ""
        _code_hierarchy_alike(rows)
        structure = table_rules._code_structure(rows, {})
        families = [(rows[p], [rows[k] for k in kids]) for p, kids in structure[0]]
        assert [(id(p), [id(k) for k in kids]) for p, kids in families] == [
            (id(p), [id(k) for k in kids]) for p, kids in table_rules._children_in_print_order(rows)
        ]
