"""The result stage's shortcuts of stop 33 (issue 14) give the answers of the code before
them: the code before each change is kept here (or still in the library) as the oracle and
run on real fixture publications and on edge cases.

* a row's code fields and COFOG division set in one pass, found once per distinct set of
  its code fields (``research_fields.add_code_fields_and_cofog``; the oracle is
  ``add_code_fields`` then ``add_cofog``, both still in the library);
* a stream's rows kept with it in ``add_hierarchy``, its line fields read inline;
* the amount rows of a printed row's columns copied from the fields they share
  (``normalize._row`` with its ``bases`` memo; the oracle is the literal of stop 32);
* the allowance of table cells of one unit remembered (``engine._table_allowance``), a
  row described without a generator (``engine.describe``);
* a cell's measure asked of the registry once per table in ``check_row_totals``;
* a figure displayed in a term's unit and places remembered (``engine._display``), -0 apart.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from tests.unit.fixture_publications import fixture_document
from yusuan.checks import cross_table, engine, narrative_rules, table_rules
from yusuan.checks.engine import ZERO, CheckRun, Term, allowance
from yusuan.checks.run import run_checks
from yusuan.core.cofog import add_cofog
from yusuan.core.editions import CODE_FIELDS, add_code_fields, concordance
from yusuan.core.numbers import UNIT_MULTIPLIERS
from yusuan.core.schemas import load_registry
from yusuan.core.vocabulary import word
from yusuan.interpret import normalize
from yusuan.interpret.hierarchy import _stream_answer, add_hierarchy, line_fields, stream_key
from yusuan.interpret.research_fields import CODE_KEY_FIELDS, add_code_fields_and_cofog
from yusuan.package.process import process_document

PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # narrative figures named by code and by 类/款/项
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]
REGISTRY = load_registry()
ADDED = ("code_edition", "current_code", "code_changed", "cofog_division")
HIERARCHY = ("parent_row_number", "is_leaf")


@pytest.fixture(scope="module")
def results() -> list[Any]:
    return [process_document(fixture_document(folder)) for folder in PUBLICATIONS]


def _without(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in fields} for row in rows]


def _items(rows: list[dict]) -> list[list[tuple[str, Any]]]:
    return [list(row.items()) for row in rows]


# -- code fields and COFOG in one pass ----------------------------------------------------------
def _code_fields_alike(rows: list[dict], fiscal_year: int | None) -> None:
    got, want = _without(rows, ADDED), _without(rows, ADDED)
    add_code_fields_and_cofog(got, fiscal_year)
    add_code_fields(want, fiscal_year)
    add_cofog(want)
    assert _items(got) == _items(want)


def test_code_fields_and_cofog_of_the_fixture_publications_as_before(results):
    for result in results:
        amounts = result.resources["amounts"]
        assert sum(bool(r["cofog_division"]) for r in amounts) > 20
        assert sum(bool(r["code_edition"]) for r in amounts) > 50
        for year in (result.document.fiscal_year, None, 2017, 2030):
            _code_fields_alike(amounts, year)
        # the rows as they are in the result (the fields already set, their places kept)
        got, want = [dict(r) for r in amounts], [dict(r) for r in amounts]
        add_code_fields_and_cofog(got, result.document.fiscal_year)
        add_code_fields(want, result.document.fiscal_year)
        add_cofog(want)
        assert _items(got) == _items(want)


def test_code_fields_and_cofog_of_random_rows_as_before():
    rng = random.Random(330_000_000)
    moved = [code for (classification, _, code), row in concordance().items() if classification == "function" and row["current_code"] != code]
    changed = [code for (_, _, code), row in concordance().items() if row["code_changed"]]
    codes = ["", None, "201", "20101", "2010101", "2080505", "301", "30101", "30311", "501", "50101", "999", "21", *moved[:20], *changed[:20]]
    rows = []
    for _ in range(4000):
        row: dict[str, Any] = {"row_number": rng.randint(1, 9)}
        for field in rng.sample(CODE_KEY_FIELDS, k=rng.randint(0, len(CODE_KEY_FIELDS))):  # fields missing too
            row[field] = rng.choice(codes)
        if rng.random() < 0.5 and row.get("subject_code"):  # the subject code in a code field
            row[rng.choice(list(CODE_FIELDS.values()))] = row["subject_code"]
        if rng.random() < 0.1:
            row["current_code"] = "stale"  # a field already set is set again in its place
        rows.append(row)
    for year in (None, 2015, 2017, 2018, 2019, 2024, 2030):
        _code_fields_alike(rows, year)
    got = _without(rows, ADDED)
    add_code_fields_and_cofog(got, 2017)
    assert any(r["cofog_division"] for r in got) and any(r["code_changed"] for r in got)  # the random rows reach both rules


def test_code_fields_and_cofog_pass_fails_when_the_cofog_rule_differs(monkeypatch):
    """The comparison can fail: a COFOG division taken from the printed code where the
    code moved differs from the oracle on a moved code."""
    from yusuan.interpret import research_fields

    moved = next(code for (classification, _, code), row in concordance().items() if classification == "function" and row["current_code"] != code and row["current_code"])
    row = {"subject_code": moved, "function_code": moved, "economic_code": None, "government_economic_code": None}
    got, want = [dict(row)], [dict(row)]
    add_code_fields_and_cofog(got, 2015)
    add_code_fields(want, 2015)
    add_cofog(want)
    assert got == want
    monkeypatch.setattr(research_fields, "primary_division", lambda code: "xx")
    broken = [dict(row)]
    add_code_fields_and_cofog(broken, 2015)
    assert broken != want


# -- a stream's rows kept with it --------------------------------------------------------------
def _add_hierarchy_stop32(amounts: list[dict]) -> None:
    """add_hierarchy at stop 32: the keys listed, the streams' answers looked up per row."""
    keys = []
    streams: dict = defaultdict(dict)
    for row in amounts:
        key = stream_key(row)
        keys.append(key)
        stream = streams[key]
        number = row["row_number"]
        if number not in stream:
            stream[number] = line_fields(row)
    answers: dict = {}
    by_stream = {key: _stream_answer(tuple(fields.values()), answers) for key, fields in streams.items()}
    for key, row in zip(keys, amounts, strict=True):
        parents, leaves = by_stream[key]
        row["parent_row_number"] = parents.get(row["row_number"])
        row["is_leaf"] = row["row_number"] in leaves


def _hierarchy_alike(rows: list[dict]) -> None:
    got, want = _without(rows, HIERARCHY), _without(rows, HIERARCHY)
    add_hierarchy(got)
    _add_hierarchy_stop32(want)
    assert _items(got) == _items(want)


def test_hierarchy_of_the_fixture_publications_as_before(results):
    rng = random.Random(330_000_001)
    for result in results:
        amounts = result.resources["amounts"]
        assert any(r["parent_row_number"] is not None for r in amounts)
        _hierarchy_alike(amounts)
        _hierarchy_alike(rng.sample(amounts, k=len(amounts)))
        _hierarchy_alike([r for r in amounts if r["row_number"] % 3])


def test_hierarchy_of_random_streams_as_before():
    rng = random.Random(330_000_002)
    roles = ["item", "item", "item", "subtotal", "total"]
    codes = ["", "", "201", "20101", "2010101", "2010102", "20102", "205", "20501"]
    for _ in range(300):
        rows = []
        for _ in range(rng.randint(1, 40)):
            code = rng.choice(codes)
            row = {
                "table_sequence": rng.randint(1, 2), "row_number": rng.randint(1, 12), "column_number": rng.randint(1, 3),
                "side": rng.choice(["", None, "revenue"]), "column_group": rng.choice(["", None]),
                "row_role": rng.choice(roles), "item_level": rng.choice([0, 0, 1, 2, None]), "is_of_which": rng.random() < 0.15,
                "subject_code": code, "subject_level": {3: "class", 5: "section", 7: "item"}.get(len(code), ""),
            }
            if rng.random() < 0.2:
                row["row_attributes"] = rng.choice(["经济科目: 办公费", "采购组织形式: 集中采购; 经济科目: 办公费", ""])
            rows.append(row)
        _hierarchy_alike(rows)


# -- an amount row copied from its printed row's fields ----------------------------------------
def _row_stop32(document, table, number, column, label, name, level, of_which, code, classification, registry, column_fields, code_classes, bases=None):
    """normalize._row at stop 32: every amount cell's row made as one literal."""
    typed = bool(code) and normalize._code_class(code, registry, code_classes) == classification
    subject_level = normalize.CODE_LEVELS.get(len(code), "") if typed else ""
    row = {
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
        "government_economic_code": code if classification == "government_economic" and subject_level else None,
    }
    row.update(column_fields)
    return row


@pytest.mark.parametrize("folder", PUBLICATIONS)
def test_amount_rows_as_made_field_by_field_before(folder, monkeypatch):
    document = fixture_document(folder)
    got = process_document(document).resources["amounts"]
    monkeypatch.setattr(normalize, "_row", _row_stop32)
    want = process_document(document).resources["amounts"]
    assert len(got) > 100
    assert _items(got) == _items(want)
    assert [sys.getsizeof(r) for r in got] == [sys.getsizeof(r) for r in want]  # the same dict sizes (peak memory)
    # the printed rows whose amount columns share their fields: the copies are the rows' own
    shared = defaultdict(list)
    for row in got:
        shared[(row["table_sequence"], row["row_number"], row["item_name"], row["subject_code"])].append(row)
    assert any(len(rows) > 1 for rows in shared.values())
    for rows in shared.values():
        assert len({id(r) for r in rows}) == len(rows)


def test_a_row_made_without_a_memo_as_before():
    registry = load_registry()
    document = fixture_document(PUBLICATIONS[0])

    class Table:
        sequence, table_id = 3, "gpb_function"

    class Column:
        index = 4

    fields = {"side": "expenditure", "column_group": "", "measure": "total", "period": "current", "column_header": "合计", "fund_scope": "gpb", "phase": "budget"}
    bases: dict = {}
    cases = [
        ("2010101", "行政运行", "function"), ("2010201", "行政运行", "function"), ("2010201", "行政运行", "economic"),  # one name, other codes
        ("", "合计", "function"), ("", "", "none"), ("301", "工资福利支出", "economic"), ("20101", "", "function"),
    ]
    for code, name, classification in cases:
        args = (document, Table, 7, Column, name, name, 0, False, code, classification, registry, fields)
        want = _row_stop32(*args, {})
        for got in (normalize._row(*args, {}), normalize._row(*args, {}, None), normalize._row(*args, {}, bases), normalize._row(*args, {}, bases)):
            assert list(got.items()) == list(want.items())


# -- a comparison's allowance and a row's description ------------------------------------------
def _allowance_stop32(terms, text_units=Decimal(1)):
    """engine.allowance at stop 32: every term summed in two loops."""
    terms = list(terms)
    places: dict[str, int] = {}
    for term in terms:
        if term.source == "table" and term.places > places.get(term.unit, 0):
            places[term.unit] = term.places
    yuan = word("yuan")
    total = ZERO
    for term in terms:
        if term.source == "text":
            total += engine._text_rounding(text_units, term.places, term.unit)
            continue
        digits = places.get(term.unit, 0)
        if digits >= 2 and term.unit == yuan:
            continue
        total += engine._half_unit(digits, term.unit)
    return total


def _describe_stop32(row):
    if not row:
        return ""
    if "figure_number" in row:
        return row.get("subject") or row.get("heading") or f"figure {row['figure_number']}"
    return " ".join(p for p in (row.get("subject_code"), row.get("item_name_printed")) if p) or f"row {row.get('row_number')}"


def _same_decimal(one: Decimal, other: Decimal) -> bool:
    return one == other and one.as_tuple() == other.as_tuple()  # the same value, digits and exponent


def test_allowance_as_summed_before():
    rng = random.Random(330_000_003)
    units = ["", word("yuan"), *UNIT_MULTIPLIERS, "个"]
    for _ in range(6000):
        terms = [
            Term(Decimal(rng.randint(-10**6, 10**6)).scaleb(-rng.randint(0, 4)), rng.choice(units), rng.randint(0, 4), rng.choice(["table", "table", "table", "text"]))
            for _ in range(rng.randint(0, 6))
        ]
        if rng.random() < 0.5 and terms:  # one unit, table cells only: the remembered path
            terms = [Term(t.value, terms[0].unit, t.places) for t in terms]
        for text_units in (Decimal(1), Decimal("0.5")):
            assert _same_decimal(allowance(terms, text_units), _allowance_stop32(terms, text_units)), terms
            assert _same_decimal(allowance(iter(terms), text_units), _allowance_stop32(terms, text_units))


def test_allowance_of_every_comparison_as_before(results, monkeypatch):
    seen: list = []
    real = engine.allowance

    def recording(terms, *args):
        terms = list(terms)
        seen.append((terms, args))
        return real(terms, *args)

    for module in (engine, cross_table, narrative_rules):  # the modules that call it by name
        monkeypatch.setattr(module, "allowance", recording)
    for result in results:
        run_checks(result.resources["amounts"], REGISTRY, result.document.document_id, figures=result.resources["narrative_figures"], fiscal_year=result.document.fiscal_year)
    assert len(seen) > 500
    for terms, args in seen:
        assert _same_decimal(real(terms, *args), _allowance_stop32(terms, *args))


def test_describe_as_before(results):
    rows: list = [None, {}, {"row_number": 3}, {"subject_code": "201"}, {"item_name_printed": "合计"}, {"subject_code": "", "item_name_printed": "", "row_number": 9},
                  {"subject_code": None, "item_name_printed": "行政运行"}, {"subject_code": "2010101", "item_name_printed": "行政运行"}, {"figure_number": 4}]
    for result in results:
        rows += result.resources["amounts"] + result.resources["narrative_figures"]
    for row in rows:
        assert engine.describe(row) == _describe_stop32(row)


# -- a cell's measure asked of the registry once per table --------------------------------------
def _check_row_totals_stop32(run, rows, registry):
    """table_rules.check_row_totals at stop 32: the registry asked for every cell's measure."""
    cells: dict = defaultdict(dict)
    for row in rows:
        cells[(row["row_number"], row["side"], row["column_group"], row.get("period", "current"))][row["measure"]] = row
    comparisons: dict = defaultdict(list)
    expansions: dict = {}
    for (_number, side, group, period), by_measure in cells.items():
        for measure_id, total in by_measure.items():
            if total["table_id"] == table_rules.THREE_PUBLIC_TABLE and measure_id in table_rules.THREE_PUBLIC_PARTS:
                continue
            measure = registry.measure_by_id(measure_id)
            if measure is None or not measure.components:
                continue
            if measure_id not in expansions:
                expansions[measure_id] = table_rules._expansion(measure.components, registry)
            parts = table_rules._expanded_parts(expansions[measure_id], by_measure)
            if len(parts) < 2:
                continue
            readings = [parts, [p for p in parts if not table_rules._under_of_which(p)], [p for p in parts if p["measure"] in registry.core_components]]
            comparisons[(side, group, period, measure_id)].append((total, readings))
    for (_side, _group, _period, measure_id), found in comparisons.items():
        usable = [k for k in range(3) if all(len(readings[k]) >= 2 for _t, readings in found)]
        if not usable:
            continue
        failures = table_rules._failures(found, usable, run.term_of)
        best = min(usable, key=lambda k: (failures[k], k))
        for total, readings in found:
            names = " + ".join(p["measure"] for p in readings[best])
            run.compare("row_total_equals_components", total, readings[best], f"{measure_id} = {names}")
        left_out = sorted({p["column_header"] for _t, readings in found for p in readings[0] if p not in readings[best]})
        if left_out:
            first = found[0][0]
            run.add(
                "row_total_equals_components", "failed", first,
                f"the table's rows add up without {', '.join(left_out)}: read as columns of which (其中), not parts of {measure_id}",
                severity="info", cluster=("of_which_columns", first["table_sequence"], measure_id),
            )


def test_row_totals_as_before(results):
    rng = random.Random(330_000_004)
    compared = 0
    for result in results:
        by_table = defaultdict(list)
        for row in result.resources["amounts"]:
            by_table[row["table_sequence"]].append(row)
        tables = list(by_table.values())
        measures = sorted({r["measure"] for r in result.resources["amounts"]})
        for rows in tables + [rng.sample(rows, k=len(rows)) for rows in tables]:
            # and the table's rows with other measures: components asked of measures met first here
            shuffled = [dict(r, measure=rng.choice(measures)) if rng.random() < 0.3 else r for r in rows]
            for table in (rows, shuffled):
                got, want = CheckRun("d"), CheckRun("d")
                table_rules.check_row_totals(got, table, REGISTRY)
                _check_row_totals_stop32(want, table, REGISTRY)
                assert got._entries == want._entries
                assert dict(got._checked) == dict(want._checked)
                compared += len(got._entries)
    assert compared > 200


# -- a displayed figure remembered ------------------------------------------------------------
def _display_stop32(term, value=None, extra_places=None):
    """Term.display at stop 32: every figure divided, rounded and formatted again."""
    number = (term.value if value is None else value) / engine.multiplier(term.unit)
    if extra_places is not None:
        return format(number.quantize(Decimal(1).scaleb(-(term.places + extra_places))).normalize(), "f")
    rounded = number.quantize(Decimal(1).scaleb(-term.places))
    return format(rounded if rounded == number else number.normalize(), "f")


def test_display_as_before_on_random_figures():
    rng = random.Random(330_000_005)
    units = ["", word("yuan"), *UNIT_MULTIPLIERS, "个"]
    values = [Decimal("-0"), Decimal("0"), Decimal("0.00"), Decimal("-0.000"), Decimal("0E+3"), Decimal("1E+2"), Decimal("100"), Decimal("100.000")]
    for _ in range(4000):
        digits = rng.randint(-10**7, 10**7)
        values.append(Decimal(digits).scaleb(-rng.randint(0, 5)))
        values.append(Decimal(digits) / 3)  # values that do not divide exactly
    for _ in range(2):  # the second time from the memo, equal values of other exponents among them
        for value in values:
            term = Term(value, rng.choice(units), rng.randint(0, 4))
            other = rng.choice(values)
            assert term.display() == _display_stop32(term), term
            assert term.display(other) == _display_stop32(term, other), (term, other)
            assert term.display(other, 2) == _display_stop32(term, other, 2)
    assert Term(Decimal("-0"), "", 2).display() == "-0.00" and Term(Decimal("0"), "", 2).display() == "0.00"


def test_display_of_every_comparison_as_before(results, monkeypatch):
    seen: list = []
    real = Term.display

    def recording(term, value=None, extra_places=None):
        seen.append((term, value, extra_places))
        return real(term, value, extra_places)

    monkeypatch.setattr(Term, "display", recording)
    for result in results:
        run_checks(result.resources["amounts"], REGISTRY, result.document.document_id, figures=result.resources["narrative_figures"], fiscal_year=result.document.fiscal_year)
    monkeypatch.undo()
    assert len(seen) > 500
    for term, value, extra_places in seen:
        assert term.display(value, extra_places) == _display_stop32(term, value, extra_places)
