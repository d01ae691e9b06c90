"""The result stage's shortcuts of stop 33 (issue 14) give the answers of the code before
them: the code before each change is kept here (or still in the library) as the oracle and
run on real fixture publications and on edge cases.

* a row's code fields and COFOG division set in one pass, found once per distinct set of
  its code fields (``research_fields.add_code_fields_and_cofog``; the oracle is
  ``add_code_fields`` then ``add_cofog``, both still in the library);
* a stream's rows kept with it in ``add_hierarchy``, its line fields read inline.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest

from tests.unit.fixture_publications import fixture_document
from yusuan.core.cofog import add_cofog
from yusuan.core.editions import CODE_FIELDS, add_code_fields, concordance
from yusuan.interpret.hierarchy import _stream_answer, add_hierarchy, line_fields, stream_key
from yusuan.interpret.research_fields import CODE_KEY_FIELDS, add_code_fields_and_cofog
from yusuan.package.process import process_document

PUBLICATIONS = [
    "00_fj-quanzhou-12345-2026-dwys",  # performance tables, budget units named in a column
    "12_sh-putuo-wanli-2024-bmys",  # narrative figures named by code and by 类/款/项
    "02_js-renda-2018-bmys",  # 收入 | 支出 sides beside each other
]
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
