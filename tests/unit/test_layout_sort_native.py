"""The layout loops' own sort (yusuan/extract/_layout_sort.h) and the words read once
(``upright_facts`` in _layout_loops.c) give what the Python code gives, on pages long enough
to need the sort's merges.

The fixture pages and the short random pages of test_layout_loops_native.py hold a few dozen
characters at most per call; the sort sorts runs of 16 by insertion and merges them, and skips
a merge whose two runs are already in order. Here: pages of hundreds to a few thousand
characters in page order, reversed, shuffled and nearly sorted, with many equal tops, x0s and
middles (ties kept in page order), compared with the Python code (the oracle) for the page's
words, its text lines, a cell's text, the characters' centres and a page's rulings.
"""

from __future__ import annotations

import random

import pytest
from layout_sample_pages import char

from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None,
    reason="the C extension _layout_loops was not built (no compiler at install) or YUSUAN_NATIVE=0",
)
C_NAMES = ("text_lines_in_c", "cell_text_in_c", "upright_words_in_c", "split_line_in_c")


def _page(rng: random.Random, count: int, order: str) -> list[dict]:
    """A page of count characters on lines 14 pt apart (tops varying by a few tenths within a
    line, sometimes equal), laid out left to right (some on the x0 of the one before), then
    put in the given order."""
    chars = []
    for i in range(count):
        line, column = divmod(i, 40)
        top = 50.0 + 14.0 * line + rng.choice((0.0, 0.0, 0.25, -0.25, 1.5))
        x0 = 30.0 + 6.0 * column + rng.choice((0.0, 0.0, 0.5, 4.0, -6.0))
        chars.append(
            char(
                rng.choice(("元", "1", "2", ".", " ", "a", "ﬁ", "")),
                x0,
                top,
                width=rng.choice((6.0, 6.0, 0.0)),
            )
        )
    if order == "reversed":
        chars.reverse()
    elif order == "shuffled":
        rng.shuffle(chars)
    elif order == "nearly":  # a few characters swapped with a neighbour
        for _ in range(count // 20):
            i = rng.randrange(count - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return chars


ORDERS = ("page", "reversed", "shuffled", "nearly")
SIZES = (17, 33, 250, 1337, 3000)


def _by_identity(words: object) -> list:
    """Words as (top, the ids of their characters)."""
    return [(top, [id(c) for c in word]) for top, word in words]  # type: ignore[attr-defined]


def _line_chars(lines: object) -> list:
    """The ids of each line's characters."""
    return [[id(c) for c in line["chars"]] for line in lines]  # type: ignore[attr-defined]


def _python(monkeypatch: pytest.MonkeyPatch, function: object, *args: object) -> object:
    with monkeypatch.context() as patched:
        for name in C_NAMES:
            patched.setattr(fast, name, None)
        return function(*args)  # type: ignore[operator]


@needs_extension
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("size", SIZES)
def test_words_and_lines_of_long_pages(
    order: str, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's words (tops and characters by identity) and its text lines (by repr, the
    characters by identity) as the Python code gives them; the C loops answer."""
    chars = _page(random.Random(size * 7 + len(order)), size, order)
    assert loops.upright_words(chars) is not None  # type: ignore[union-attr]
    ours, theirs = fast._words(chars), _python(monkeypatch, fast._words, chars)
    assert _by_identity(ours) == _by_identity(theirs)
    assert all(top is their_top for (top, _w), (their_top, _t) in zip(ours, theirs, strict=True))  # type: ignore[arg-type]
    lines = loops.text_lines(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING)  # type: ignore[union-attr]
    python_lines = _python(monkeypatch, fast.extract_text_lines, chars)
    if lines is not None:  # a line with a space at an end goes to the pattern in Python
        assert repr(lines) == repr(python_lines)
        assert _line_chars(lines) == _line_chars(python_lines)
    assert repr(fast.extract_text_lines(chars)) == repr(python_lines)


@needs_extension
@pytest.mark.parametrize("order", ORDERS)
def test_plain_long_lines(order: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages whose every line is plain (no spaces): the C loop answers them, with the boxes
    of lines whose characters share their tops and bottoms (the first extreme object kept)."""
    rng = random.Random(5)
    chars = [
        char(
            rng.choice(("元", "1", "ﬁ", "a")),
            30.0 + 6.0 * (i % 50),
            50.0 + 14.0 * (i // 50) + rng.choice((0.0, 0.5)),
        )
        for i in range(2000)
    ]
    if order == "reversed":
        chars.reverse()
    elif order == "shuffled":
        rng.shuffle(chars)
    lines = loops.text_lines(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING)  # type: ignore[union-attr]
    assert lines is not None
    python_lines = _python(monkeypatch, fast.extract_text_lines, chars)
    assert repr(lines) == repr(python_lines)
    for line, python_line in zip(lines, python_lines, strict=True):  # type: ignore[arg-type]
        assert all(line[key] is python_line[key] for key in ("x0", "top", "x1", "bottom"))
    assert _line_chars(lines) == _line_chars(python_lines)


@needs_extension
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("size", SIZES)
def test_cell_text_of_long_cells(order: str, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    chars = _page(random.Random(size + 3 * len(order)), size, order)
    assert loops.cell_text(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING) is not None  # type: ignore[union-attr]
    assert fast.extract_text(chars) == _python(monkeypatch, fast.extract_text, chars)


@needs_extension
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("size", SIZES)
def test_centres_of_long_pages(order: str, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Middles sorted with many ties (equal tops and heights): the indices in page order."""
    chars = _page(random.Random(size + 11 * len(order)), size, order)
    ours = layout.CharCentres(chars)
    with monkeypatch.context() as patched:
        patched.setattr(layout, "loops", None)
        theirs = layout.CharCentres(chars)
    for name in ("middles", "centres", "order", "keys"):
        assert repr(getattr(ours, name)) == repr(getattr(theirs, name)), name


def _rect(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "object_type": "rect",
    }


class _Rulings:
    """What table_edges reads of a page: its lines, rects and curves."""

    def __init__(self, rects: list[dict]) -> None:
        self.lines: list[dict] = []
        self.rects = rects
        self.curves: list[dict] = []


@needs_extension
@pytest.mark.parametrize("seed", range(6))
def test_rulings_of_large_grids(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A grid of a few hundred thin rectangles, shuffled, with equal positions (the sort of
    their x0s and tops has many ties): the same edges in the same order."""
    rng = random.Random(seed)
    rects = [
        _rect(x, y, x + rng.choice((40.0, 40.5)), y + 0.5)
        for x in (10.0, 50.0, 90.0)
        for y in (float(20 * k) for k in range(60))
    ]
    rects += [
        _rect(x, 0.0, x + 0.5, 1200.0 + rng.choice((0.0, 1.0)))
        for x in (10.0, 50.0, 90.0, 130.0)
        for _ in range(3)
    ]
    rng.shuffle(rects)
    page = _Rulings(rects)
    assert loops.table_edges(page.lines, page.rects, page.curves, 3, 3, 3, 1) is not None  # type: ignore[union-attr]
    ours = fast.table_edges(page)
    with monkeypatch.context() as patched:
        patched.setattr(fast, "table_edges_in_c", None)
        theirs = fast.table_edges(page)
    # the same values, ints (a rectangle's side's 0) and floats alike
    assert repr(ours) == repr(theirs)
