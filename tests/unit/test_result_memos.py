"""The checks' remembered answers (issue 14, stop 26) are the answers found afresh: a
sentence's NFKC, a name without its 支出 word, the rounding allowance of a comparison, and
the rows a figure names by 类/款/项 now that a table's names by code are found only when a
row needs its parent's name. Each is compared with the code it replaced, kept here as the
oracle."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from decimal import Decimal

import pytest

from yusuan.checks.engine import Term, agrees, allowance, multiplier
from yusuan.checks.narrative_rules import (
    LEVEL_OF,
    NAMEABLE_TABLES,
    _normalized,
    _same_name,
    item_rows,
    named_items,
    printed_code,
)
from yusuan.checks.table_rules import _failures, _same_cells
from yusuan.core.numbers import UNIT_MULTIPLIERS
from yusuan.core.schemas import normalize_label
from yusuan.core.vocabulary import pattern, word

# -- the oracles: the code before stop 26 ----------------------------------------------------


def _same_name_afresh(table_name: str, text_name: str) -> bool:
    text_name = pattern("expenditure_suffix").sub("", text_name)
    table_name = pattern("expenditure_suffix").sub("", table_name)
    return table_name == text_name or (len(text_name) >= 4 and table_name.endswith(text_name))


def _item_rows_afresh(figure: dict, nameable: dict[str, list[dict]]) -> list[dict] | None:
    code = printed_code(figure)
    names = named_items(figure)
    if not code and not names:
        return None
    found: list[dict] = []
    for table_id in NAMEABLE_TABLES:
        rows = nameable[table_id]
        if code:
            found += [r for r in rows if r["subject_code"] == code]
            continue
        name, level = names[-1]
        by_code = {
            r["subject_code"]: normalize_label(r["item_name"]) for r in rows if r["subject_code"]
        }
        for row in rows:
            if not _same_name_afresh(normalize_label(row["item_name"]), name):
                continue
            if row["subject_level"] and row["subject_level"] != LEVEL_OF[level]:
                continue
            if not row["subject_code"] and LEVEL_OF.get(level) != "class":
                continue
            if len(names) > 1 and row["subject_code"]:
                parent_name, _ = names[-2]
                parent = by_code.get(row["subject_code"][: len(row["subject_code"]) - 2])
                if parent is not None and not _same_name_afresh(parent, parent_name):
                    continue
            found.append(row)
    return found


def _allowance_afresh(terms: list[Term], text_units: Decimal = Decimal(1)) -> Decimal:
    places: dict[str, int] = defaultdict(int)
    for term in terms:
        if term.source == "table":
            places[term.unit] = max(places[term.unit], term.places)
    total = Decimal(0)
    for term in terms:
        if term.source == "text":
            total += text_units * Decimal(1).scaleb(-term.places) * multiplier(term.unit)
            continue
        digits = places[term.unit]
        if term.unit == word("yuan") and digits >= 2:
            continue
        total += Decimal(5).scaleb(-(digits + 1)) * multiplier(term.unit)
    return total


# -- the rows a figure names ---------------------------------------------------------------


def _row(table_id: str, number: int, code: str, name: str) -> dict:
    level = {3: "class", 5: "section", 7: "item"}.get(len(code), "")
    return {
        "table_id": table_id,
        "row_number": number,
        "subject_code": code,
        "subject_level": level,
        "item_name": name,
    }


def _nameable() -> dict[str, list[dict]]:
    function = [
        _row("gpb_expenditure_by_function", 1, "221", "住房保障支出"),
        _row("gpb_expenditure_by_function", 2, "22102", "住房改革支出"),
        _row("gpb_expenditure_by_function", 3, "2210201", "住房公积金"),
        _row("gpb_expenditure_by_function", 4, "22103", "城乡社区住宅"),
        _row("gpb_expenditure_by_function", 5, "2210301", "住房公积金"),
        _row("gpb_expenditure_by_function", 6, "208", "社会保障和就业支出"),
        _row("gpb_expenditure_by_function", 7, "20805", "行政事业单位养老支出"),
        _row("gpb_expenditure_by_function", 8, "2080505", "机关事业单位基本养老保险缴费支出"),
        # a code printed twice: the last name wins
        _row("gpb_expenditure_by_function", 9, "22102", "ＨＯＵＳＩＮＧ改革支出"),
    ]
    summary = [
        _row("revenue_expenditure_summary", 1, "", "住房保障支出"),
        _row("revenue_expenditure_summary", 2, "", "社会保障和就业"),
    ]
    nameable = {table_id: [] for table_id in NAMEABLE_TABLES}
    nameable["gpb_expenditure_by_function"] = function
    nameable["fiscal_appropriation_expenditure_by_function"] = [
        dict(r, table_id="fiscal_appropriation_expenditure_by_function") for r in function[:5]
    ]
    nameable["revenue_expenditure_summary"] = summary
    return nameable


SENTENCES = [
    "住房改革支出（款）住房公积金（项）支出5.00万元",
    "城乡社区住宅（款）住房公积金（项）5.00万元",
    "住房保障支出（类）5.00万元",
    "社会保障和就业支出（类）5.00万元",
    "行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）5.00万元",
    "社会保障和就业支出（类）行政事业单位养老支出（款）5.00万元",
    "HOUSING改革支出（款）住房公积金（项）5.00万元",
    "住房公积金（项）5.00万元",
    "2210201-住房公积金5.00万元",
    "增加5.00万元",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_rows_a_figure_names_are_those_found_afresh(sentence):
    figure = {
        "subject": sentence[: sentence.index("5.00")],
        "sentence": sentence,
        "_at": sentence.index("5.00"),
    }
    nameable = _nameable()
    assert item_rows(figure, nameable) == _item_rows_afresh(figure, nameable)


def test_a_parent_named_otherwise_leaves_the_row_out():
    sentence = "城乡社区住宅（款）住房公积金（项）5.00万元"
    figure = {"subject": sentence[:-7], "sentence": sentence, "_at": sentence.index("5.00")}
    assert [r["subject_code"] for r in item_rows(figure, _nameable())] == ["2210301", "2210301"]


# -- names, sentences and allowances -------------------------------------------------------


@pytest.mark.parametrize(
    ("table_name", "text_name"),
    [
        ("住房改革支出", "住房改革"),
        ("一般公共服务支出", "一般公共服务支出"),
        ("其他住房改革支出", "住房改革支出"),
        ("教育", "育"),
        ("", ""),
        ("支出", ""),
    ],
)
def test_a_name_without_its_expenditure_word_is_the_one_found_afresh(table_name, text_name):
    for _ in range(2):  # the second time from the memo
        assert _same_name(table_name, text_name) == _same_name_afresh(table_name, text_name)
        assert _same_name(text_name, table_name) == _same_name_afresh(text_name, table_name)


@pytest.mark.parametrize(
    "text", ["２０２４年预算安排１，２３４．５６万元", "（一）ＡＢＣ　支出", "", "ﾃｽﾄ"]
)
def test_a_sentence_is_normalised_as_unicodedata_does(text):
    assert _normalized(text) == unicodedata.normalize("NFKC", text)
    assert _normalized(text) == unicodedata.normalize("NFKC", text)  # from the memo


def test_a_missing_sentence_is_empty():
    assert _normalized(None) == ""


def _terms() -> list[Term]:
    units = [*UNIT_MULTIPLIERS, "", "千元"]
    return [
        Term(Decimal(123), unit, places, source)
        for unit in units
        for places in (0, 1, 2, 4)
        for source in ("table", "text")
    ]


def test_the_remembered_allowance_is_the_one_found_afresh():
    terms = _terms()
    for size in (1, 2, 3):
        for start in range(0, len(terms) - size, 3):
            chosen = terms[start : start + size]
            for text_units in (Decimal(1), Decimal("0.5")):
                assert allowance(chosen, text_units) == _allowance_afresh(chosen, text_units)
                assert str(allowance(chosen, text_units)) == str(
                    _allowance_afresh(chosen, text_units)
                )
    assert allowance([]) == 0


# -- row totals' readings ------------------------------------------------------------------


def _cell(amount: str, places: str = ".00") -> dict:
    return {
        "amount": Decimal(amount),
        "amount_yuan": None,
        "unit_printed": "",
        "value_printed": amount + places,
    }


def _found() -> list[tuple[dict, list[list[dict]]]]:
    """Totals with three readings of their parts: the second takes the very cells of the
    first, the third only the first part. 10 = 6 + 4 and 7 = 3 + 4 agree, 6 = 6 + 4 does
    not; under the third reading only 6 = 6 agrees."""
    found = []
    for total, parts in (("10", ["6", "4"]), ("6", ["6", "4"]), ("7", ["3", "4"])):
        cells = [_cell(p) for p in parts]
        found.append((_cell(total), [cells, list(cells), cells[:1]]))
    return found


@pytest.mark.parametrize("usable", [[0, 1, 2], [1, 2], [2], [0, 2], []])
def test_the_failures_of_the_readings_are_those_counted_afresh(usable):
    found = _found()
    afresh = {k: sum(not agrees(total, readings[k]) for total, readings in found) for k in usable}
    assert _failures(found, usable) == afresh


def test_a_reading_of_equal_but_other_cells_is_counted_again():
    found = _found()
    total, readings = found[0]
    readings[1] = [dict(c) for c in readings[0]]  # equal, not the same cells
    assert not _same_cells(readings[0], readings[1])
    assert _same_cells(readings[0], list(readings[0]))
    assert _failures(found, [0, 1, 2]) == {0: 1, 1: 1, 2: 2}
