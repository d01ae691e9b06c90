"""The result stage's shortcuts of stop 32 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture
publications and on edge cases.

* a comparison's entry made as one literal, its rule found once, its touched rows without
  a list of pairs (``CheckRun.compare_terms``, ``_comparison_entry``,
  ``_comparison_touches``);
* a term made by setting its fields directly (``engine._term``, used by ``Term.of`` and
  ``Term.text``);
* a nameable row's name compared as ``_same_name`` compares it, remembered per name
  (``narrative_rules.item_rows``, ``_bare_item_name``);
* the issuers' and regions' schema files read by libyaml's safe loader.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.fixture_publications import fixture_document
from yusuan.checks import engine, narrative_rules
from yusuan.checks.code_rules import CODE_COLUMNS, _first_rows_of_codes, printed_code_keys
from yusuan.checks.engine import (
    ZERO,
    CheckRun,
    Term,
    _same_figure,
    _tolerance_display,
    _touches,
    _zero_display,
    allowance,
    printed_places,
)
from yusuan.checks.narrative_rules import (
    LEVEL_OF,
    NAMEABLE_TABLES,
    _names_by_code,
    _same_name,
    item_rows,
    nameable_rows,
    named_items,
)
from yusuan.checks.run import run_checks
from yusuan.checks.select import Tables
from yusuan.core.numbers import UNIT_MULTIPLIERS
from yusuan.core.schemas import check_rules, load_registry, normalize_label, schemas_dir
from yusuan.interpret import issuers
from yusuan.interpret.hierarchy import (
    Line,
    add_hierarchy,
    leaf_rows,
    line_fields,
    parent_rows,
    stream_key,
)
from yusuan.package.process import process_document

REGISTRY = load_registry()
PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # narrative figures named by code and by 类/款/项
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]


@pytest.fixture(scope="module")
def results() -> list[Any]:
    return [process_document(fixture_document(folder)) for folder in PUBLICATIONS]


# -- the code before stop 32 -------------------------------------------------------------------
def _compare_terms_before(
    self: CheckRun,
    check_id: str,
    actual: Term,
    expected: list[Term],
    message: str,
    *,
    relation: str = "equal",
    cluster: Any = None,
    tolerance: Decimal | None = None,
    agreement: Decimal | None = None,
    field: str = "",
) -> dict:
    """compare_terms at the start of stop 32: the entry made by ``_entry`` from keywords."""
    expected_value = sum((t.value for t in expected), ZERO)
    difference = actual.value - expected_value
    exact = self.rule(check_id)["tolerance"] == "exact"
    if tolerance is None:
        tolerance = ZERO if exact else allowance([actual, *expected])
    if agreement is None:
        texts = [t for t in (actual, *expected) if t.source == "text"]
        agreement = ZERO if exact or not texts else allowance([actual, *expected], Decimal("0.5"))
    if relation == "at_most":
        off = max(difference, ZERO)
    elif relation == "at_least":
        off = max(-difference, ZERO)
    else:
        off = abs(difference)
    row = actual.row or {}
    shown = actual.display()
    entry = self._entry(
        check_id,
        "passed",
        row,
        message,
        _cluster=None,
        expected=shown if _same_figure(expected_value, actual.value) else actual.display(expected_value),
        actual=shown,
        difference=_zero_display(actual.unit, actual.places) if _same_figure(difference, ZERO) else actual.display(difference),
        tolerance=_tolerance_display(tolerance, actual.unit, actual.places) if tolerance else "0",
        field=field,
        _touches=_touches([(actual.row, "total")] + [(t.row, "part") for t in expected]),
    )
    if off <= agreement:
        pass
    elif off <= tolerance:
        entry.update(status="failed", severity="info", message=f"within rounding: {message}")
        entry["_cluster"] = (check_id, "rounding", cluster if cluster is not None else entry["table_id"])
    else:
        entry["status"] = "failed"
    self._entries.append(entry)
    return entry


def _term_of_before(row: dict) -> Term | None:
    if row.get("amount") is None:
        return None
    unit = row.get("unit_printed") or ""
    known = unit in UNIT_MULTIPLIERS and row.get("amount_yuan") is not None
    value = row["amount_yuan"] if known else row["amount"]
    return Term(value, unit if known else "", printed_places(row.get("value_printed")), "table", row)


def _term_text_before(figure: dict) -> Term | None:
    if figure.get("amount_yuan") is None:
        return None
    return Term(figure["amount_yuan"], figure.get("unit_printed") or "", printed_places(figure.get("value_printed")), "text", figure)


def _item_rows_before(figure: dict, nameable: dict[str, list[dict]]) -> list[dict] | None:
    """item_rows at the start of stop 32: every row's name normalised and compared by
    ``_same_name`` for every figure."""
    code = narrative_rules.printed_code(figure)
    names = narrative_rules.named_items(figure)
    if not code and not names:
        return None
    found: list[dict] = []
    for table_id in NAMEABLE_TABLES:
        rows = nameable[table_id]
        if code:
            found += [r for r in rows if r["subject_code"] == code]
            continue
        name, level = names[-1]
        by_code: dict[str, str] | None = None
        for row in rows:
            if not _same_name(normalize_label(row["item_name"]), name):
                continue
            if row["subject_level"] and row["subject_level"] != LEVEL_OF[level]:
                continue
            if not row["subject_code"] and LEVEL_OF.get(level) != "class":
                continue
            if len(names) > 1 and row["subject_code"]:
                parent_name, _ = names[-2]
                if by_code is None:
                    by_code = _names_by_code(rows)
                parent = by_code.get(row["subject_code"][: len(row["subject_code"]) - 2])
                if parent is not None and not _same_name(parent, parent_name):
                    continue
            found.append(row)
    return found


def _run(result: Any) -> tuple[list, list, list]:
    """Every entry (private fields too, in order), the check rows and the check_rows."""
    resources = result.resources
    run = run_checks(
        resources["amounts"],
        REGISTRY,
        result.document.document_id,
        figures=resources["narrative_figures"],
        fiscal_year=result.document.fiscal_year,
    )
    checks = run.results
    return (
        [list(e.items()) for e in run._entries],
        [list(r.items()) for r in checks],
        [list(r.items()) for r in run.touched_rows],
    )


# -- the check runs of the fixture publications ------------------------------------------------
def test_check_runs_of_the_fixture_publications_as_before(results, monkeypatch):
    for result in results:
        got = _run(result)
        with monkeypatch.context() as patched:
            patched.setattr(CheckRun, "compare_terms", _compare_terms_before)
            patched.setattr(Term, "of", staticmethod(_term_of_before))
            patched.setattr(Term, "text", staticmethod(_term_text_before))
            patched.setattr(narrative_rules, "item_rows", _item_rows_before)
            expected = _run(result)
        assert len(got[0]) > 50
        assert got == expected


# -- compare_terms on random comparisons -------------------------------------------------------
def _random_row(rng: random.Random) -> dict | None:
    kind = rng.choice(["none", "empty", "cell", "cell", "cell", "figure", "no_sequence", "no_number"])
    if kind == "none":
        return None
    if kind == "empty":
        return {}
    if kind == "figure":
        return {"figure_number": rng.randint(1, 9), "subject": rng.choice(["", "一般公共预算支出"]), "heading": "", "figure_kind": rng.choice(["", "amount"]), "unit_printed": rng.choice(["", "万元"]), "table_sequence": rng.choice([None, 3]), "row_number": 4}
    row = {
        "table_sequence": rng.randint(1, 5),
        "table_id": rng.choice(["", "function_expenditure", "three_public_expenses"]),
        "row_number": rng.randint(1, 40),
        "subject_code": rng.choice(["", None, "201", "20101", "2010101"]),
        "item_name_printed": rng.choice(["", None, "一般公共服务支出"]),
        "measure": rng.choice(["", None, "total", "basic"]),
        "column_header": rng.choice(["", None, "合计", "基本支出"]),
        "unit_printed": rng.choice(["", None, "元", "万元"]),
        "file_name": rng.choice(["", None, "a.pdf"]),
        "page": rng.choice([None, 3]),
    }
    if kind == "no_sequence":
        row["table_sequence"] = None
    if kind == "no_number":
        del row["row_number"]
    return row


def _random_term(rng: random.Random) -> Term:
    unit = rng.choice(["", *UNIT_MULTIPLIERS])
    places = rng.choice([0, 0, 1, 2, 4])
    value = Decimal(rng.choice([0, 0, rng.randint(-10**6, 10**9)])).scaleb(-rng.choice([0, 2]))
    if rng.random() < 0.05:
        value = Decimal("-0")
    return Term(value, unit, places, rng.choice(["table", "table", "text"]), _random_row(rng))


def test_random_comparisons_as_before():
    rng = random.Random(32)
    rules = check_rules()
    check_ids = sorted(rules)
    for _ in range(4000):
        check_id = rng.choice(check_ids)
        actual = _random_term(rng)
        expected = [_random_term(rng) for _ in range(rng.randint(0, 4))]
        if expected and rng.random() < 0.4:  # parts that add up, or nearly
            expected[0] = engine._term(actual.value - sum((t.value for t in expected[1:]), ZERO) + rng.choice([ZERO, Decimal("0.01"), Decimal(1), Decimal(5000)]), expected[0].unit, expected[0].places, expected[0].source, expected[0].row)
        options: dict[str, Any] = {}
        if rng.random() < 0.3:
            options["relation"] = rng.choice(["equal", "at_most", "at_least"])
        if rng.random() < 0.3:
            options["cluster"] = rng.choice([None, 0, "narrative", 7])
        if rng.random() < 0.2:
            options["tolerance"] = rng.choice([ZERO, Decimal("0.5"), Decimal(100)])
        if rng.random() < 0.2:
            options["agreement"] = rng.choice([ZERO, Decimal(1)])
        if rng.random() < 0.3:
            options["field"] = rng.choice(["", "amount", "share"])
        now, before = CheckRun("doc", rules), CheckRun("doc", rules)
        got = now.compare_terms(check_id, actual, expected, "a message", **options)
        want = _compare_terms_before(before, check_id, actual, expected, "a message", **options)
        assert list(got.items()) == list(want.items()), (check_id, actual, expected, options)
        assert now._entries == [got] and before._entries == [want]


def test_comparison_touches_as_before():
    rng = random.Random(320)
    for _ in range(3000):
        total = _random_row(rng)
        parts = [_random_term(rng) for _ in range(rng.randint(0, 5))]
        assert engine._comparison_touches(total, parts) == _touches([(total, "total")] + [(t.row, "part") for t in parts])


# -- terms -------------------------------------------------------------------------------------
def test_terms_made_directly_are_the_terms_of_the_constructor():
    rng = random.Random(3200)
    for _ in range(2000):
        term = _random_term(rng)
        fields = (term.value, term.unit, term.places, term.source, term.row)
        made = engine._term(*fields)
        built = Term(*fields)
        assert type(made) is Term
        assert made == built and repr(made) == repr(built)
        assert list(vars(made).items()) == list(vars(built).items())
        assert made.display() == built.display()
    with pytest.raises(AttributeError):  # still frozen
        engine._term(ZERO, "", 0, "table", None).value = Decimal(1)  # type: ignore[misc]


def test_terms_of_every_cell_and_figure_as_before(results):
    for result in results:
        for row in result.resources["amounts"]:
            got, want = Term.of(row), _term_of_before(row)
            assert (got is None and want is None) or (got == want and list(vars(got).items()) == list(vars(want).items()))
        for figure in result.resources["narrative_figures"]:
            got, want = Term.text(figure), _term_text_before(figure)
            assert (got is None and want is None) or (got == want and list(vars(got).items()) == list(vars(want).items()))
    for row in ({}, {"amount": None}, {"amount": Decimal(1)}, {"amount": Decimal(1), "unit_printed": "万元"}, {"amount": Decimal(1), "unit_printed": "万元", "amount_yuan": Decimal(10000), "value_printed": "1.00"}):
        assert Term.of(row) == _term_of_before(row)


# -- item_rows ----------------------------------------------------------------------------------
def _name_variants(name: str) -> list[str | None]:
    return [name, name + "支出", " " + name + " ", "其他" + name, name[:3], name[1:], name[:-1], "", None, "“" + name + "”"]


def test_rows_a_figure_names_as_before(results):
    rng = random.Random(32000)
    named = 0
    for result in results:
        resources = result.resources
        tables = Tables(resources["amounts"], REGISTRY)
        nameable = nameable_rows(tables)
        for figure in resources["narrative_figures"]:
            want = _item_rows_before(figure, nameable)
            assert item_rows(figure, nameable) == want
            named += bool(want)
            names = named_items(figure)
            if not names:
                continue
            # rows named like the figure's item, more or less: the name comparison decides
            variants = [dict(row, item_name=variant) for row in rng.sample([r for rows in nameable.values() for r in rows] or [{}], k=3) if row for n, _level in names for variant in _name_variants(n)]
            edited = {table_id: rng.sample(variants, k=min(len(variants), 12)) for table_id in NAMEABLE_TABLES}
            assert item_rows(figure, edited) == _item_rows_before(figure, edited)
    assert named > 0


SYNTHETIC_NAMES = ["教育", "农林水", "农林水支出", "城乡社区", "教育支出", "科学技术", "科学技术支出", "一般公共服务", "公共服务", "服务", "行政运行", "其他支出", "支出", "机关服务支出", "社会保障和就业"]
LEVELS = sorted(LEVEL_OF)


def test_rows_named_by_synthetic_names_as_before(monkeypatch):
    """Names of every length on both sides (the text's name matches the end of a table's
    name from four characters on), with and without the 支出 word, at every level, with a
    parent's name or without."""
    rng = random.Random(320000)
    named: dict[int, list[tuple[str, str]]] = {}
    monkeypatch.setattr(narrative_rules, "printed_code", lambda figure: "")
    monkeypatch.setattr(narrative_rules, "named_items", lambda figure: named[figure["figure_number"]])
    codes = ["", "", "201", "20101", "2010101", "205", "20502", "2050201"]
    for number in range(1500):
        names = [(rng.choice(SYNTHETIC_NAMES), rng.choice(LEVELS)) for _ in range(rng.choice([1, 1, 2]))]
        named[number] = names
        rows = []
        for _ in range(rng.randint(0, 12)):
            code = rng.choice(codes)
            base = rng.choice([names[-1][0], rng.choice(SYNTHETIC_NAMES)])
            rows.append({
                "item_name": rng.choice([base, base + "支出", "其他" + base, base[1:], base[:-1], " " + base, None]),
                "subject_code": code,
                "subject_level": rng.choice(["", LEVEL_OF[rng.choice(LEVELS)]]) if code else "",
            })
        nameable = {table_id: rng.sample(rows, k=len(rows)) for table_id in NAMEABLE_TABLES}
        figure = {"figure_number": number}
        assert item_rows(figure, nameable) == _item_rows_before(figure, nameable), (names, rows)


# -- the issuers' schema files ------------------------------------------------------------------
def test_issuer_schema_files_read_as_the_pure_python_loader_reads_them():
    def pure(name: str) -> Any:
        return yaml.safe_load(Path(schemas_dir(), name).read_text(encoding="utf-8"))

    assert issuers._schema() == pure("issuers.yaml")
    divisions = {k: str(v) for k, v in pure("regions.yaml")["region_codes"].items()}
    assert list(issuers._divisions().items()) == list(divisions.items())


# -- a check row from its entry -------------------------------------------------------------------
def _public_before(entry: dict) -> dict:
    return {k: entry[k] for k in engine.CHECK_FIELDS}


def test_check_rows_of_entries_as_before(results):
    rng = random.Random(3200000)
    entries = []
    for result in results[:2]:
        resources = result.resources
        run = run_checks(resources["amounts"], REGISTRY, result.document.document_id, figures=resources["narrative_figures"], fiscal_year=result.document.fiscal_year)
        entries += run._entries
    assert len(entries) > 50
    for entry in entries:
        assert list(engine._public(entry).items()) == list(_public_before(entry).items())
        # no bigger than the row made field by field: the rows are kept until the package is written
        assert sys.getsizeof(engine._public(entry)) == sys.getsizeof(_public_before(entry))
    # entries of other shapes: a public field moved, an unknown field, private fields missing
    for entry in rng.sample(entries, 40):
        moved = dict(entry)
        moved["status"] = moved.pop("status")
        unknown = dict(entry, extra=1)
        bare = {k: v for k, v in entry.items() if not k.startswith("_")}
        reordered = dict(reversed(list(entry.items())))
        for other in (moved, unknown, bare, reordered):
            got = engine._public(other)
            assert list(got.items()) == list(_public_before(other).items())
            assert got is not other


# -- a table's hierarchy -------------------------------------------------------------------------------
def _add_hierarchy_before(amounts: list[dict]) -> None:
    keys = [stream_key(row) for row in amounts]
    streams: dict = defaultdict(dict)
    for key, row in zip(keys, amounts, strict=True):
        stream = streams[key]
        if row["row_number"] not in stream:
            stream[row["row_number"]] = line_fields(row)
    answers: dict = {}
    by_stream = {key: _stream_answer_before(tuple(fields.values()), answers) for key, fields in streams.items()}
    for key, row in zip(keys, amounts, strict=True):
        parents, leaves = by_stream[key]
        row["parent_row_number"] = parents.get(row["row_number"])
        row["is_leaf"] = row["row_number"] in leaves


def _stream_answer_before(shape: tuple, answers: dict) -> tuple:
    if shape not in answers:
        lines = [Line.from_fields(fields) for fields in shape]
        parents = parent_rows(lines)
        answers[shape] = parents, leaf_rows(lines, parents)
    return answers[shape]


def test_hierarchy_as_before(results):
    rng = random.Random(320_000_000)
    for result in results:
        amounts = result.resources["amounts"]
        samples = [amounts, rng.sample(amounts, k=len(amounts)), [r for r in amounts if r["table_sequence"] % 2]]
        for rows in samples:
            got = [dict(r, parent_row_number="?", is_leaf="?") for r in rows]
            want = [dict(r, parent_row_number="?", is_leaf="?") for r in rows]
            add_hierarchy(got)
            _add_hierarchy_before(want)
            assert [list(r.items()) for r in got] == [list(r.items()) for r in want]
        assert any(r["parent_row_number"] is not None for r in amounts)


# -- the first row of each printed code ------------------------------------------------------------
def _first_rows_of_codes_before(amounts: list[dict]) -> tuple[dict, dict]:
    first: dict = {}
    counts: dict = defaultdict(int)
    for row in amounts:
        for key in printed_code_keys(row):
            if key not in first:
                first[key] = row
            counts[key] += 1
    return first, counts


def test_first_rows_of_codes_as_before(results):
    rng = random.Random(3_200_000_000)
    samples = [result.resources["amounts"] for result in results]
    classifications = ["function", "economic", "government_economic", "none", "other"]
    codes = ["", None, "201", "20101", "2010101", "301", "30101", "501"]
    samples.append([
        {
            "subject_code": rng.choice(codes),
            "classification": rng.choice(classifications),
            **{column: rng.choice(codes) for column in rng.sample(list(CODE_COLUMNS.values()), k=rng.randint(0, 3))},
        }
        for _ in range(3000)
    ])
    for amounts in samples:
        got, want = _first_rows_of_codes(amounts), _first_rows_of_codes_before(amounts)
        assert list(got[0].items()) == list(want[0].items())
        assert list(got[1].items()) == list(want[1].items())
    assert len(_first_rows_of_codes(samples[-1])[0]) > 10
