"""The result stage's shortcuts of stop 29 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture
publications and on edge cases.

* a code's edition fields found once per classification and code (``add_code_fields``);
* a comparison's displays: the actual figure shown once when the expected sum equals it,
  a zero difference shown from a memo (``CheckRun.compare_terms``), its touched rows found
  once (``CheckRun._entry`` takes them).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from tests.unit.test_result_once_more import _document
from yusuan.checks import engine
from yusuan.checks.engine import ZERO, CheckRun, Term, allowance, describe
from yusuan.checks.run import run_checks
from yusuan.core import editions
from yusuan.core.editions import CODE_FIELDS, add_code_fields, edition_of, translate
from yusuan.core.numbers import UNIT_MULTIPLIERS
from yusuan.core.schemas import check_rules, load_registry
from yusuan.package.process import process_document

REGISTRY = load_registry()
# a department budget with function, economic and summary tables; a court's with a 三公
# table; a district unit's (上海) with narrative figures named by code and by 类/款/项
PUBLICATIONS = [
    "09_js-jianchayuan-2018-bmys",
    "11_js-gaoyuan-2018-bmys",
    "12_sh-putuo-wanli-2024-bmys",
]
CODE_FIELD_NAMES = ("code_edition", "current_code", "code_changed")


@pytest.fixture(scope="module")
def results() -> list[Any]:
    return [process_document(_document(folder)) for folder in PUBLICATIONS]


# -- add_code_fields -------------------------------------------------------------------------
def _code_fields_before(amounts: list[dict], fiscal_year: int | None) -> None:
    """add_code_fields before stop 29: the edition and the concordance asked for every row."""
    for row in amounts:
        code = row.get("subject_code") or ""
        classification = next(
            (c for c, f in CODE_FIELDS.items() if code and row.get(f) == code), ""
        )
        if not classification:
            row.update(code_edition="", current_code="", code_changed=None)
            continue
        edition = edition_of(classification, fiscal_year)
        current, changed = translate(classification, edition, code)
        row.update(code_edition=edition, current_code=current, code_changed=changed)


def _without_code_fields(amounts: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in CODE_FIELD_NAMES} for row in amounts]


def _code_fields_alike(amounts: list[dict], fiscal_year: int | None) -> None:
    got, expected = _without_code_fields(amounts), _without_code_fields(amounts)
    add_code_fields(got, fiscal_year)
    _code_fields_before(expected, fiscal_year)
    assert [list(r.items()) for r in got] == [list(r.items()) for r in expected]


def test_code_fields_of_the_fixture_publications_as_before(results):
    for result in results:
        amounts = result.resources["amounts"]
        assert sum(bool(r["code_edition"]) for r in amounts) > 50
        for year in (result.document.fiscal_year, None, 2017, 2030):
            _code_fields_alike(amounts, year)


def test_code_fields_of_changed_codes_and_edge_rows_as_before():
    changed = [key for key, row in editions.concordance().items() if row["code_changed"]][:40]
    assert changed, "the concordance lists codes whose meaning changed"
    rows: list[dict] = []
    for classification, _edition, code in changed:
        field = CODE_FIELDS[classification]
        rows.append({"subject_code": code, field: code})
        rows.append({"subject_code": code, field: code})  # the same code again: remembered
    rows += [
        {"subject_code": "", "function_code": None},  # no code
        {"subject_code": None},  # no code, no code fields
        {"subject_code": "201", "function_code": None, "economic_code": "201"},  # an economic 201
        {
            "subject_code": "201",
            "function_code": "201",
            "economic_code": "201",
        },  # the first field wins
        {"subject_code": "30101", "economic_code": "30102"},  # a field that is not the subject's
    ]
    for year in (2016, 2018, 2024, None):
        _code_fields_alike(rows, year)


# -- CheckRun.compare_terms ------------------------------------------------------------------
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
    """compare_terms before stop 29: every figure displayed, the touched rows replaced."""
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
    entry = self._entry(
        check_id,
        "passed",
        row,
        message,
        _cluster=None,
        expected=actual.display(expected_value),
        actual=actual.display(),
        difference=actual.display(difference),
        tolerance=engine._tolerance_display(tolerance, actual.unit, actual.places)
        if tolerance
        else "0",
        field=field,
    )
    entry["_touches"] = engine._touches(
        [(actual.row, "total")] + [(t.row, "part") for t in expected]
    )
    if off <= agreement:
        pass
    elif off <= tolerance:
        entry.update(status="failed", severity="info", message=f"within rounding: {message}")
        entry["_cluster"] = (
            check_id,
            "rounding",
            cluster if cluster is not None else entry["table_id"],
        )
    else:
        entry["status"] = "failed"
    self._entries.append(entry)
    return entry


def _largest_part_before(
    self: CheckRun, total: dict, actual: Term, parts: list[Term], message: str
) -> None:
    """_largest_part before stop 29: its touched rows replaced those of its subject."""
    self._checked["total_not_below_largest_part"] += 1
    if not parts or any(p.value < 0 for p in parts):
        return
    largest = max(parts, key=lambda p: p.value)
    if actual.value < largest.value and actual.value < largest.value - allowance([actual, largest]):
        self._entries.append(
            self._entry(
                "total_not_below_largest_part",
                "failed",
                total,
                f"{describe(total)} ({actual.display()}) is smaller than its part {describe(largest.row)} ({largest.display(largest.value)}); {message}",
                expected=f">= {actual.display(largest.value)}",
                actual=actual.display(),
                difference=actual.display(actual.value - largest.value),
            )
        )
        self._entries[-1]["_touches"] = engine._touches([(total, "total"), (largest.row, "part")])


def _entries_and_results(
    result: Any,
) -> tuple[list[list[tuple]], list[list[tuple]], list[list[tuple]]]:
    """Every entry (private fields too, in order), the check rows and the check_rows of a
    run of the publication's checks."""
    resources = result.resources
    amounts = resources["amounts"]
    run = run_checks(
        amounts,
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


def test_comparisons_of_the_fixture_publications_as_before(results, monkeypatch):
    for result in results:
        got = _entries_and_results(result)
        with monkeypatch.context() as patched:
            patched.setattr(CheckRun, "compare_terms", _compare_terms_before)
            patched.setattr(CheckRun, "_largest_part", _largest_part_before)
            expected = _entries_and_results(result)
        assert len(got[0]) > 100 and len(got[2]) > 100
        assert got == expected


def _display_pairs() -> list[tuple[Term, Decimal]]:
    """Terms and values to display: equal values of other exponents, signed zeros, values
    that do not divide exactly by the unit."""
    rng = random.Random(29)
    units = ["", *UNIT_MULTIPLIERS]
    pairs = []
    for _ in range(3000):
        unit = rng.choice(units)
        places = rng.choice([0, 1, 2, 3, 4])
        digits = rng.choice([0, 0, 1, 2, 5, 9])
        value = Decimal(rng.randint(-(10**9), 10**9)).scaleb(-digits)
        term = Term(value, unit, places)
        for other in (
            value,
            value + ZERO,
            value.quantize(Decimal(1).scaleb(-(digits + 2))),
            -value,
            value / 7,
        ):
            pairs.append((term, other))
    for zero in ("0", "-0", "0.00", "-0.000", "0E+3"):
        for unit in units:
            for places in (0, 2):
                pairs.append((Term(Decimal(zero), unit, places), Decimal("-0")))
                pairs.append((Term(Decimal(zero), unit, places), Decimal("0.0")))
    return pairs


def test_equal_figures_display_alike():
    for term, other in _display_pairs():
        if engine._same_figure(other, term.value):
            assert term.display(other) == term.display(), (term, other)
        if engine._same_figure(other, ZERO):
            assert engine._zero_display(term.unit, term.places) == term.display(other), (
                term,
                other,
            )


def test_signed_zero_is_not_the_same_figure():
    assert not engine._same_figure(Decimal("-0"), ZERO)
    assert not engine._same_figure(Decimal("-0.00"), Decimal("0.00"))
    assert engine._same_figure(Decimal("0.00"), ZERO)
    assert engine._same_figure(Decimal("1.50"), Decimal("1.5"))
    term = Term(Decimal("-0.00"), "", 2)
    assert term.display() != term.display(ZERO)  # why the sign is asked


def test_an_entry_without_its_touches_touches_its_subject():
    run = CheckRun("doc", check_rules())
    row = {"table_sequence": 3, "row_number": 7, "table_id": "t"}
    entry = run.add("code_in_codelist", "failed", row, "message")
    assert entry["_touches"] == [(3, 7, "subject")]
    assert list(entry)[-1] == "_touches"
