"""The result stage's shortcuts of stop 28 (issue 14) give the answers of the code before
them: the code before each change is kept here as the oracle and run on real fixture pages
and on edge cases.

* NFKC of a text with its common full-width punctuation replaced first (``nfkc``), and a
  cell's whitespace dropped by ``str.split`` instead of ``\\s+`` (``clean_cell``);
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from yusuan.core import numbers
from yusuan.core.numbers import clean_cell, find_unit, nfkc

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
        assert numbers._clean.__wrapped__(text) == _clean_before(text), repr(text)
        assert clean_cell(text) == _clean_before(text), repr(text)


def test_split_drops_what_the_whitespace_pattern_matches():
    # \s of a str pattern and str.split() both ask Py_UNICODE_ISSPACE
    for ch in _every_character():
        assert bool(WHITESPACE.fullmatch(ch)) == ch.isspace(), hex(ord(ch))
    separators = [
        ch for ch in _every_character() if ch.isspace() or unicodedata.category(ch)[0] in "ZC"
    ]
    for ch in separators[:5000]:
        assert numbers._clean.__wrapped__("a" + ch + "b") == _clean_before("a" + ch + "b"), hex(
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
