"""The result stage's shortcuts of stop 28 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture pages
and on edge cases.

* NFKC of a text with its common full-width punctuation replaced first (``nfkc``), and a
  cell's whitespace dropped by ``str.split`` instead of ``\\s+`` (``clean_cell``);
* a table's split rows: each grid row read once, two rows of amounts told apart before
  their labels are read (``join_split_rows``);
* a column-number row given up at its first cell that cannot be one (``is_column_number_row``);
* a run's check rows made once for its entries, copied for a fork (``CheckRun.results``);
* a one-line cell stripped without splitting it (``as_printed``), ``normalize_label`` its
  own memo, yuan rounded to a fen made once (``to_yuan``).
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from collections import defaultdict
from typing import Any

import pytest

from tests.unit.test_result_once_more import _document
from yusuan.checks import engine
from yusuan.checks.engine import CheckRun
from yusuan.core import numbers
from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT, Origin, RawTable
from yusuan.core.numbers import clean_cell, find_unit, nfkc
from yusuan.core.schemas import load_registry, normalize_label
from yusuan.layout import cells, continuation, rows, tables
from yusuan.layout.cells import CODE, is_fragment, is_value, text_of
from yusuan.package.process import process_document

REGISTRY = load_registry()
# 江苏 检察院 2018 and 高院 2018 print label rows above their amount rows (joined), 上海 does not
LAYOUT_PUBLICATIONS = [
    "09_js-jianchayuan-2018-bmys",
    "11_js-gaoyuan-2018-bmys",
    "12_sh-putuo-wanli-2024-bmys",
]

WHITESPACE = re.compile(r"\s+")


def _clean_before(text: str) -> str:
    """clean_cell before stop 28."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def _find_unit_before(text: str) -> str | None:
    match = numbers._UNIT.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return match.group(1) if match else None


def _every_character() -> list[str]:
    return [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]


def _combining_marks() -> list[str]:
    return [chr(cp) for cp in range(0x10000) if unicodedata.combining(chr(cp))]


def test_nfkc_of_every_character_alone():
    for ch in _every_character():
        assert nfkc(ch) == unicodedata.normalize("NFKC", ch), hex(ord(ch))


def test_nfkc_of_the_replaced_marks_beside_every_combining_mark():
    # a combining mark after a replaced mark: reordering and composition see the same NFKD
    marks = _combining_marks()
    assert len(marks) > 500
    for wide, _narrow in numbers._COMMON_WIDE:
        for mark in marks:
            for text in (
                wide + mark,
                mark + wide,
                "a" + wide + mark + "\u0301",
                "中" + mark + wide + mark,
            ):
                assert nfkc(text) == unicodedata.normalize("NFKC", text), (wide, hex(ord(mark)))


def test_the_replaced_marks_are_what_nfkd_makes_of_them():
    for wide, narrow in numbers._COMMON_WIDE:
        assert narrow == unicodedata.normalize("NFKD", wide) != wide
        assert narrow.isascii()


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = (
        [w for w, _n in numbers._COMMON_WIDE]
        + list(
            "，。、（）；：“”！？《》【】％＋－．０１９ＡＺａｚ　"
        )  # full-width and CJK punctuation
        + list("一般公共预算支出万元其中合计")
        + list("0123456789.,-+%()abc ")
        + ["\n", "\t", "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "\u2028"]  # whitespace
        + [
            "\u0301",
            "\u0327",
            "\u3099",
            "\u309a",
            "\u1100",
            "\u1161",
            "\u11a8",
            "\uac00",
        ]  # marks, jamo
        + [
            "①",
            "Ⅻ",
            "㎡",
            "ﬁ",
            "²",
            "ｶ",
            "ﾞ",
            "…",
            "‥",
            "﹝",
            "ﬀ",
            "Å",
            "K",
        ]  # other compatibility forms
    )
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def test_nfkc_and_clean_cell_of_random_texts():
    for text in _random_texts(20_000, seed=28):
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
        assert numbers.clean_cell.__wrapped__(text) == _clean_before(text), repr(text)
        assert clean_cell(text) == _clean_before(text), repr(text)


def test_split_drops_what_the_whitespace_pattern_matches():
    # \s of a str pattern and str.split() both ask Py_UNICODE_ISSPACE
    for ch in _every_character():
        assert bool(WHITESPACE.fullmatch(ch)) == ch.isspace(), hex(ord(ch))
    separators = [
        ch for ch in _every_character() if ch.isspace() or unicodedata.category(ch)[0] in "ZC"
    ]
    for ch in separators[:5000]:
        assert numbers.clean_cell.__wrapped__("a" + ch + "b") == _clean_before("a" + ch + "b"), hex(
            ord(ch)
        )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1,234.56",
        "其中：一般公共预算拨款收入",
        "单位：万元",
        "单位 ： 万 元",
        "（一）因公出国（境）费用。2026 年预算数 14.85 万元，比上年减少 1.2 万元；",
        "ＡＢＣ１２３",
        "金额单位：元\n",
        "…",
        "２０２６年",
    ],
)
def test_nfkc_clean_cell_and_find_unit_of_printed_texts(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
    assert clean_cell(text) == _clean_before(text)
    assert find_unit(text) == _find_unit_before(text)
    assert clean_cell(None) == ""


# -- the layout of a table's rows -------------------------------------------------------------
def _join_split_rows_before(body: list[list], origins: list) -> tuple[list[list], list]:
    """join_split_rows before stop 28 (every pair read afresh, every label read)."""
    out, kept = [], []
    for row, origin in zip(body, origins, strict=True):
        if out and _completes_before(out[-1], row):
            out[-1] = [rows._join_cells(a, c) for a, c in zip(out[-1], row, strict=False)]
            continue
        out.append(list(row))
        kept.append(origin)
    return out, kept


def _completes_before(above: list, row: list) -> bool:
    above_texts = [text_of(a) for a in above]
    row_texts = [text_of(c) for c in row]
    above_amounts = any(is_value(t) for t in above_texts)
    row_amounts = any(is_value(t) for t in row_texts)
    above_labels = any(t and not is_value(t) for t in above_texts)
    row_labels = [t for t in row_texts if t and not is_value(t)]
    if above_labels and not above_amounts and row_amounts:
        if any(CODE.match(normalize_label(t)) for t in row_labels):
            return False
        for a, a_text, c_text in zip(above, above_texts, row_texts, strict=False):
            if a_text and c_text and not is_fragment(c_text, REGISTRY):
                return False
            if (
                c_text
                and not a_text
                and a not in (None, COVERED_ABOVE, COVERED_LEFT)
                and (row_labels or not is_value(c_text))
            ):
                return False
        return True
    if above_amounts and not above_labels and row_labels and not row_amounts:
        return all(
            not (a_text and c_text) for a_text, c_text in zip(above_texts, row_texts, strict=False)
        ) and all(
            c in (None, COVERED_ABOVE)
            for a_text, c in zip(above_texts, row, strict=False)
            if is_value(a_text)
        )
    return False


def _is_column_number_row_before(row: list) -> bool:
    found = [normalize_label(text_of(c)) for c in row if text_of(c).strip()]
    numbers = [int(c) for c in found if c.isdigit()]
    marks = [c for c in found if not c.isdigit()]
    enough = len(numbers) >= 2 or (numbers and marks)
    return (
        bool(enough)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        and numbers[0] in (0, 1)
        and all(any(p.fullmatch(m) for p in REGISTRY.column_number_marks) for m in marks)
    )


@pytest.fixture(scope="module")
def layout_calls() -> dict[str, list]:
    """Every table body join_split_rows was given and every row is_column_number_row was
    asked, reading the layout publications (the answers given beside them)."""
    calls: dict[str, list] = {"joins": [], "column_numbers": []}
    join, column_numbers = rows.join_split_rows, cells.is_column_number_row

    def recorded_join(table: RawTable, registry) -> None:
        before = ([list(r) for r in table.body], list(table.body_origins))
        join(table, registry)
        calls["joins"].append(
            (before, ([list(r) for r in table.body], list(table.body_origins)))
        )  # later steps join cells in place

    def recorded_column_numbers(row: list, registry) -> bool:
        answer = column_numbers(row, registry)
        calls["column_numbers"].append((list(row), answer))
        return answer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "join_split_rows", recorded_join)
        patch.setattr(cells, "is_column_number_row", recorded_column_numbers)
        patch.setattr(continuation, "is_column_number_row", recorded_column_numbers)
        for folder in LAYOUT_PUBLICATIONS:
            process_document(_document(folder))
    return calls


def test_split_rows_of_fixture_tables_are_joined_as_before(layout_calls):
    joined = 0
    for (body, origins), after in layout_calls["joins"]:
        assert after == _join_split_rows_before(body, origins)
        joined += len(body) - len(after[0])
    assert joined >= 12  # 11 in 检察院 2018, 1 in 高院 2018


def test_column_number_rows_of_fixture_tables_are_found_as_before(layout_calls):
    asked = layout_calls["column_numbers"]
    assert len(asked) > 500
    for row, answer in asked:
        assert answer == _is_column_number_row_before(row), row


# cells of every kind a table prints: labels, codes, amounts, blanks, markers, column numbers
CELLS = [
    None,
    "",
    " ",
    COVERED_ABOVE,
    COVERED_LEFT,
    "201",
    "20101",
    "2010101",
    "一般公共服务支出",
    "算",
    "出",
    "1.一般公共预",
    "九、医疗卫生与计划生育支",
    "其中：人大事务",
    "合计",
    "10.00",
    "6.00",
    "1,234.5",
    "0",
    "-",
    "１０．００",
    "栏次",
    "行次",
    "**",
    "甲",
    "乙",
    "A",
    "1",
    "2",
    "3",
    "4",
    "１",
    "２",
    "0 ",
    "\n2",
    "12",
    "%",
    "5%",
    "(3.00)",
]


def _random_rows(rng: random.Random, count: int, width: int) -> list[list]:
    return [[rng.choice(CELLS) for _ in range(width)] for _ in range(count)]


def test_split_rows_of_random_tables_are_joined_as_before():
    rng = random.Random(2812)
    joined = 0
    for _ in range(8000):
        width = rng.randint(1, 6)
        body = _random_rows(rng, rng.randint(0, 8), width)
        origins = [Origin("t.pdf", "0" * 64, 1, i) for i in range(len(body))]
        table = RawTable(
            "expenditure_summary",
            "支出总表",
            "",
            "万元",
            "",
            [],
            [list(r) for r in body],
            list(origins),
            [],
            origins[0] if origins else Origin("t.pdf", "0" * 64, 1, 1),
            sequence=1,
        )
        rows.join_split_rows(table, REGISTRY)
        assert (table.body, table.body_origins) == _join_split_rows_before(body, origins), body
        joined += len(body) - len(table.body)
    assert joined > 50


def test_column_number_rows_of_random_rows_are_found_as_before():
    rng = random.Random(2813)
    found = 0
    for width in range(1, 7):
        for row in _random_rows(rng, 4000, width):
            answer = cells.is_column_number_row(row, REGISTRY)
            assert answer == _is_column_number_row_before(row), row
            found += answer
    for row in (
        ["栏次", "1", "2", "3"],
        ["**", "**", "1", "2"],
        ["甲", "乙", "1", "2"],
        ["0", "1"],
        ["1", "2", "4"],
        ["2", "3"],
        ["栏次", "1"],
        ["1"],
        ["甲", "乙"],
        ["1", "2", "合计"],
    ):
        assert cells.is_column_number_row(row, REGISTRY) == _is_column_number_row_before(row), row
    assert found > 20


# -- a run's results ----------------------------------------------------------------------------
def _results_before(run: CheckRun) -> tuple[list[dict], list[dict]]:
    """CheckRun.results before stop 28 (every row made on every call): rows, check_rows."""
    groups: dict[Any, list[dict]] = defaultdict(list)
    for entry in run._entries:
        if entry.get("_cluster") is not None:
            groups[entry["_cluster"]].append(entry)
    out: list[dict] = []
    sources: list[list[dict]] = []
    seen: set[Any] = set()
    for entry in run._entries:
        key = entry.get("_cluster")
        if key is None:
            out.append(engine._public(entry))
            sources.append([entry])
        elif key not in seen:
            seen.add(key)
            out.append(engine._merge(groups[key]))
            sources.append(groups[key])
    recorded = {e["check_id"] for e in run._entries}
    for check_id, n in run._checked.items():
        if n and check_id not in recorded:
            out.append(
                engine._public(
                    run._entry(check_id, "passed", None, f"{n} comparisons, none failed", count=n)
                )
            )
            sources.append([])
    links: list[dict] = []
    for number, (row, entries) in enumerate(zip(out, sources, strict=True), start=1):
        row["check_number"] = number
        links += engine.touched_rows(run.document_id, number, entries)
    return out, links


def _same_rows(got: list[dict], expected: list[dict]) -> None:
    assert [list(r.items()) for r in got] == [list(r.items()) for r in expected]


@pytest.fixture(scope="module")
def check_runs() -> list[CheckRun]:
    return [process_document(_document(folder)).check_run for folder in LAYOUT_PUBLICATIONS]


def test_results_are_made_as_before_and_again_for_a_fork(check_runs):
    for run in check_runs:
        expected, links = _results_before(run)
        assert len(expected) > 20 and len(links) > 100
        for _ in range(2):  # made, then from what was made
            _same_rows(run.results, expected)
            _same_rows(run.touched_rows, links)
        fork = run.fork()
        fork.count_checked("frictionless_valid", 17)  # what the package's validation adds
        fork.count_checked(
            "amount_cells_numeric"
        )  # one more comparison of a rule counted before or not
        expected_fork, links_fork = _results_before(fork)
        assert len(expected_fork) > len(expected)
        _same_rows(fork.results, expected_fork)
        _same_rows(fork.touched_rows, links_fork)
        _same_rows(run.results, expected)  # the run itself is as it was


def test_results_are_made_again_when_entries_are_added(check_runs):
    for run in check_runs:
        fork = run.fork()
        _same_rows(fork.results, _results_before(fork)[0])
        fork.add(
            "frictionless_valid",
            "failed",
            None,
            "a staged file is not valid",
            table_id="amounts",
            cluster="amounts",
        )
        fork.add(
            "frictionless_valid", "failed", None, "another", table_id="amounts", cluster="amounts"
        )
        expected, links = _results_before(fork)
        _same_rows(fork.results, expected)
        _same_rows(fork.touched_rows, links)
        assert [r["count"] for r in fork.results if r["check_id"] == "frictionless_valid"] == [2]


def test_results_are_new_rows_on_every_call(check_runs):
    run = check_runs[0]
    first, links = run.results, run.touched_rows
    first[0]["message"] = "changed by a caller"
    links[0]["check_role"] = "changed"
    again = run.results
    assert again[0]["message"] != "changed by a caller"
    assert run.touched_rows[0]["check_role"] != "changed"
    _same_rows(again, _results_before(run)[0])


def test_an_empty_run_has_only_its_counted_rules():
    run = CheckRun("doc")
    assert run.results == [] and run.touched_rows == []
    run.count_checked("amount_cells_numeric", 3)
    expected, links = _results_before(run)
    _same_rows(run.results, expected)
    assert expected[0]["count"] == 3 and links == []


# -- small ones ---------------------------------------------------------------------------------
def _as_printed_before(cell):
    if cell is None or cell in (COVERED_ABOVE, COVERED_LEFT):
        return cell
    return "".join(part.strip() for part in cell.split("\n")).strip()


def test_a_cell_as_printed_is_as_before():
    rng = random.Random(2814)
    pieces = ["", " ", "\n", "\u3000", "\t", "一般", "10.00", " 1,234 ", "\n\n", "\r", "\xa0"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(20_000)]
    for cell in [None, COVERED_ABOVE, COVERED_LEFT, *CELLS, *texts]:
        assert cells.as_printed(cell) == _as_printed_before(cell), repr(cell)


def test_normalize_label_is_as_before():
    quotes = str.maketrans("", "", "\"'“”‘’「」『』〝〞")
    for text in [*_random_texts(5_000, seed=2815), "“一般公共预算”", "「其中」：", " 合 计 "]:
        assert normalize_label(text) == _clean_before(text).translate(quotes), repr(text)
    assert normalize_label(None) == ""


def test_to_yuan_rounds_to_the_fen():
    from decimal import Decimal

    assert numbers.to_yuan(Decimal("1.23456"), "万元") == Decimal("12345.60")
    assert str(numbers.to_yuan(Decimal("0.005"), "元")) == "0.00"  # half to even, as before
    assert str(numbers.to_yuan(Decimal("7"), "元")) == "7.00"
