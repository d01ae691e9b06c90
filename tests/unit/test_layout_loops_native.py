"""The C loop of the word splitting (yusuan/extract/_layout_loops.c) cuts every line as the
Python loop (``plumber_equivalents._split_line``, the oracle) cuts it.

Compared on every line of the fixture pages (both readers, upright and turned facts, the
characters of each cell's line as the table stage hands them) and on constructed lines that
reach every branch: spaces of several kinds, empty characters, ligatures, gaps on both sides
of the tolerance, NaN and infinite positions, tops that fall within a word. Input the C loop
does not read (not a list, not dicts, positions that are not floats, a missing key, a text
that is not a str) must come back as None so the Python loop runs and raises as before.
The functions built on it (text lines, cell texts) are compared with the loop turned off.
"""

from __future__ import annotations

import collections
import decimal
import fractions
import math
import os
import random
from itertools import groupby

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber import utils
from pdfplumber.table import TableFinder, TableSettings, intersections_to_cells, merge_edges

from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.extract import html_positioned
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

split_line = fast.split_line_in_c
needs_extension = pytest.mark.skipif(split_line is None, reason="the C extension _layout_loops was not built (no compiler at install) or YUSUAN_NATIVE=0")

UPRIGHT = (fast._UPRIGHT_KEYS, fast._UPRIGHT_FACTS)
TURNED = (fast._TURNED_KEYS, fast._TURNED_FACTS)


def _python(ordered: list, facts: object) -> list:
    words: list = []
    fast._split_line(ordered, facts, words.append)  # type: ignore[arg-type]
    return words


def _same_words(ordered: list, kind: tuple = UPRIGHT) -> None:
    keys, facts = kind
    ours = split_line(ordered, keys)  # type: ignore[misc]
    theirs = _python(ordered, facts)
    assert ours is not None
    assert len(ours) == len(theirs)
    for (top, chars), (their_top, their_chars) in zip(ours, theirs, strict=True):
        assert top is their_top or (math.isnan(top) and math.isnan(their_top)) or repr(top) == repr(their_top)
        assert [id(c) for c in chars] == [id(c) for c in their_chars]


def _char(text: str, x0: float, top: float, width: float = 6.0, height: float = 10.0) -> dict:
    x0, top = float(x0), float(top)  # positions are floats, as both readers give them
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + height, "doctop": top, "upright": True}


def test_extension_built_where_required() -> None:
    if os.environ.get("YUSUAN_REQUIRE_NATIVE") == "1" and os.environ.get("YUSUAN_NATIVE", "1") != "0":
        assert loops is not None, "the C extension yusuan.extract._layout_loops was not built"
        assert split_line is not None


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


@needs_extension
def test_every_line_of_the_fixture_pages(pages: list) -> None:
    """Each line as ``_words`` cuts it (clustered, sorted), read along and across (a turned
    reading of upright characters is still a line the loop must cut the same way)."""
    for page in pages:
        chars = layout.dedupe_chars(layout.visible_part(page)).chars
        for upright, run in groupby(chars, fast._upright):
            run_chars = list(run)
            for line in fast.cluster_objects(run_chars, fast._top, fast.WORD_Y_TOLERANCE):
                _same_words(sorted(line, key=fast._x0), UPRIGHT)
                _same_words(line, UPRIGHT)  # page order: gaps backwards
            for line in fast.cluster_objects(run_chars, fast._x0, fast.WORD_X_TOLERANCE):
                _same_words(sorted(line, key=fast._top_bottom), TURNED)
            assert upright in (True, False, 0, 1)


@needs_extension
def test_lines_of_every_branch() -> None:
    spaces = [_char(t, 10 + 7 * i, 100) for i, t in enumerate("ab c\u3000d\xa0e\tf\u2003g  h")]
    empties = [_char("", 10, 100), _char("x", 12, 100), _char("", 18, 101), _char("", 19, 99), _char("y", 20, 100)]
    ligatures = [_char("ﬁ", 10, 100), _char("ne", 16, 100), _char(" \u3000", 22, 100), _char("ﬂ", 30, 100)]
    gaps = [_char("1", 10, 100), _char("2", 19, 100), _char("3", 28.000000000000004, 100), _char("4", 30, 100), _char("5", 29.5, 100)]
    across = [_char("a", 10, 100), _char("b", 16, 103), _char("c", 22, 106.00000000000001), _char("d", 28, 103.1), _char("e", 34, 99.5)]
    for line in (spaces, empties, ligatures, gaps, across, [], [_char("z", 1, 1)], [_char(" ", 1, 1)], [_char("", 1, 1)]):
        _same_words(line)
        _same_words(line[::-1])
        _same_words(line, TURNED)


@needs_extension
def test_positions_that_are_not_numbers() -> None:
    for odd in (math.nan, math.inf, -math.inf):
        for key in ("x0", "x1", "top"):
            line = [_char("a", 10, 100), {**_char("b", 16, 100), key: odd}, _char("c", 22, 100), _char("d", 40, 100)]
            _same_words(line)
            _same_words(line, TURNED)
            _same_words(line[::-1])


@needs_extension
def test_random_lines() -> None:
    rng = random.Random(23)
    for _ in range(2000):
        line = [
            _char(rng.choice(("a", "b", " ", "", "\u3000", "ﬁ", "元")), rng.choice((0.0, 3.0, 5.5, 6.0, 9.0, 9.000000000000002, 15.0, 40.0)), rng.choice((97.0, 99.9, 100.0, 103.0, 104.5, math.nan)), width=rng.choice((0.0, 3.0, 6.0)))
            for _ in range(rng.randint(0, 12))
        ]
        _same_words(line)
        _same_words(sorted(line, key=fast._x0))
        _same_words(line, TURNED)


@needs_extension
def test_input_the_c_loop_leaves_to_python() -> None:
    """None, not an answer, for anything but a list of dicts of float positions and a str
    text: the Python loop then runs (and raises for a missing key, as before)."""
    good = [_char("a", 10.0, 100.0), _char("b", 16.0, 100.0)]
    assert split_line(good, fast._UPRIGHT_KEYS) is not None  # type: ignore[misc]
    odd_lines = [
        tuple(good),  # not a list
        [*good, {**_char("c", 22.0, 100.0), "x0": 22}],  # an int position (3 and 3.0 are not told apart here)
        [*good, {**_char("c", 22.0, 100.0), "text": None}],
        [*good, {k: v for k, v in _char("c", 22.0, 100.0).items() if k != "x1"}],
        [*good, ["not", "a", "dict"]],
        [*good, type("Char", (dict,), {})(_char("c", 22.0, 100.0))],  # a dict subclass may override lookups
    ]
    for line in odd_lines:
        assert split_line(line, fast._UPRIGHT_KEYS) is None  # type: ignore[misc]
    with pytest.raises(KeyError):
        fast._words(odd_lines[3])
    with pytest.raises(ValueError):
        split_line(good, ("x0", "x1"))  # type: ignore[misc]


@needs_extension
def test_text_lines_and_cell_texts_as_the_python_loop_gives_them(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's text lines and every table's cell texts, with the C loop and without it."""
    found = []
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        tables = layout.find_tables(deduped, layout.current())
        found.append((fast.extract_text_lines(deduped.chars), [layout.extract_table(t) for t in tables]))
    monkeypatch.setattr(fast, "split_line_in_c", None)
    for page, (lines, texts) in zip(pages, found, strict=True):
        deduped = layout.dedupe_chars(layout.visible_part(page))
        tables = layout.find_tables(deduped, layout.current())
        python_lines = fast.extract_text_lines(deduped.chars)
        assert repr(lines) == repr(python_lines)
        assert [[id(c) for c in line["chars"]] for line in lines] == [[id(c) for c in line["chars"]] for line in python_lines]
        assert texts == [layout.extract_table(t) for t in tables]


def _centres_in_python(chars: list, monkeypatch: pytest.MonkeyPatch) -> layout.CharCentres:
    with monkeypatch.context() as patched:
        patched.setattr(layout, "loops", None)
        return layout.CharCentres(chars)


def _same_centres(chars: list, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = layout.CharCentres(chars), _centres_in_python(chars, monkeypatch)
    for name in ("middles", "centres", "order", "keys", "ordered", "across"):
        assert repr(getattr(ours, name)) == repr(getattr(theirs, name)), name  # NaN: by repr (3 and 3.0 apart too)


@needs_extension
def test_centres_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        chars = layout.dedupe_chars(layout.visible_part(page)).chars
        assert loops.char_centres(chars) is not None  # type: ignore[union-attr]
        _same_centres(chars, monkeypatch)
        _same_centres(chars[::-1], monkeypatch)


@needs_extension
def test_centres_of_odd_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Equal middles (ties in page order, -0.0 and 0.0 among them), a sum that overflows, NaN
    and infinite positions (the Python code's NaN order), ints, missing keys, no characters."""
    rng = random.Random(230)
    ties = [_char("a", rng.choice((1.0, 2.0, 3.5)), rng.choice((-5.0, -0.0, 0.0, 5.0, 2.5))) for _ in range(300)]
    for char in ties[::7]:
        char.update(top=-char["bottom"])  # a middle of 0.0 or -0.0
    _same_centres(ties, monkeypatch)
    _same_centres([], monkeypatch)
    huge = [_char("a", 1.0, 1.0), {**_char("b", 1.0, 1.0), "top": 1.7e308, "bottom": 1.7e308}]
    assert loops.char_centres(huge) is None  # type: ignore[union-attr]
    _same_centres(huge, monkeypatch)
    for key in ("top", "bottom", "x0", "x1"):
        for odd in (math.nan, math.inf, 3):
            chars = [_char("a", 10.0, 100.0), {**_char("b", 16.0, 90.0), key: odd}, _char("c", 22.0, 95.0)]
            assert loops.char_centres(chars) is None  # type: ignore[union-attr]
            _same_centres(chars, monkeypatch)
    assert loops.char_centres([*ties[:3], {"top": 1.0}]) is None  # type: ignore[union-attr]
    assert loops.char_centres(tuple(ties)) is None  # type: ignore[union-attr]


def _words_in_python(chars: list, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(fast, "upright_words_in_c", None)
        patched.setattr(fast, "split_line_in_c", None)
        return fast._words(chars)


def _same_page_words(chars: list, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = fast._words(chars), _words_in_python(chars, monkeypatch)
    assert len(ours) == len(theirs)
    for (top, word), (their_top, their_word) in zip(ours, theirs, strict=True):
        assert top is their_top or repr(top) == repr(their_top)
        assert [id(c) for c in word] == [id(c) for c in their_word]


@needs_extension
def test_page_words_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        chars = layout.dedupe_chars(layout.visible_part(page)).chars
        if all(c["upright"] is True for c in chars):
            assert loops.upright_words(chars) is not None  # type: ignore[union-attr]
        _same_page_words(chars, monkeypatch)
        _same_page_words(chars[::-1], monkeypatch)


@needs_extension
def test_page_words_of_odd_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tops chaining at the tolerance's border (3 apart, and a hair more), equal x0s (page
    order), -0.0 and 0.0, spaces and empty characters, and the pages left to Python: a
    turned character, an uprightness of 1, NaN or infinite tops and x0s."""
    rng = random.Random(231)
    for _ in range(1500):
        chars = [
            _char(rng.choice(("a", "b", " ", "", "\u3000", "元")), rng.choice((-0.0, 0.0, 3.0, 6.0, 9.000000000000002, 15.0, 40.0)), rng.choice((-0.0, 0.0, 3.0, 6.0, 6.000000000000001, 9.1, 20.0)), width=rng.choice((0.0, 3.0, 6.0)))
            for _ in range(rng.randint(0, 25))
        ]
        _same_page_words(chars, monkeypatch)
    base = [_char("a", 10.0, 100.0), _char("b", 16.0, 103.0), _char("c", 22.0, 106.00000000000001)]
    _same_page_words(base, monkeypatch)
    for odd in ({"upright": False}, {"upright": 1}, {"top": math.nan}, {"x0": math.inf}, {"x0": 3}):
        chars = [*base, {**_char("d", 30.0, 100.0), **odd}]
        assert loops.upright_words(chars) is None  # type: ignore[union-attr]
        _same_page_words(chars, monkeypatch)


def _cells_in_python(intersections: dict, monkeypatch: pytest.MonkeyPatch, **options: object) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(html_positioned, "loops", None)
        return html_positioned.smallest_cells(intersections, "x.pdf", 1, **options)  # type: ignore[arg-type]


def _same_cells(intersections: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = loops.smallest_cells(intersections, 3.0, 10**9)  # type: ignore[union-attr]
    assert ours is not None
    theirs = _cells_in_python(intersections, monkeypatch)
    assert repr(ours) == repr(theirs)
    assert [tuple(map(id, cell)) for cell in ours] == [tuple(map(id, cell)) for cell in theirs]  # the points' own floats
    assert ours == intersections_to_cells(intersections)


@needs_extension
def test_cells_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        _same_cells(fast.edges_to_intersections(fast.table_edges(deduped), 3, 3), monkeypatch)
        finder = TableFinder.__new__(TableFinder)
        finder.page, finder.settings = deduped, TableSettings.resolve(None)
        _same_cells(fast.edges_to_intersections(finder.get_edges(), 3, 3), monkeypatch)  # pdfplumber's own edges


def _rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top, "orientation": "h" if top == bottom else "v", "object_type": "line"}


@needs_extension
def test_cells_of_random_lattices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken lattices (pieces of rules missing, merged cells), rules drawn twice (equal boxes,
    other objects), rules a hair apart, -0.0 and 0.0, several tables."""
    rng = random.Random(232)
    for _ in range(300):
        xs = sorted({rng.choice((-0.0, 0.0, 0.5, 1.0, 10.0, 20.0, 20.000000000000004, 33.3, 50.0, 71.0, 90.0)) for _ in range(rng.randint(2, 7))})
        ys = sorted({rng.choice((-0.0, 0.0, 2.5, 12.0, 24.0, 24.1, 40.0, 55.5, 80.0)) for _ in range(rng.randint(2, 7))})
        edges = []
        for y in ys:
            for a, b in zip(xs, xs[1:], strict=False):
                if rng.random() < 0.8:
                    edges += [_rule(a, y, b, y)] * rng.choice((1, 1, 2))
        for x in xs:
            for a, b in zip(ys, ys[1:], strict=False):
                if rng.random() < 0.8:
                    edges.append(_rule(x, a, x, b))
                    if rng.random() < 0.2:
                        edges.append(_rule(x, a, x, b))  # an equal box, another object
        for merged in (edges, merge_edges(edges, 3, 3, 3, 3)):
            _same_cells(fast.edges_to_intersections(merged, 1, 1), monkeypatch)
            _same_cells(fast.edges_to_intersections(merged, 3, 3), monkeypatch)


@needs_extension
def test_cells_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """None for crossings the C search does not read; the step bound still raises."""
    square = [_rule(0.0, 0.0, 10.0, 0.0), _rule(0.0, 10.0, 10.0, 10.0), _rule(0.0, 0.0, 0.0, 10.0), _rule(10.0, 0.0, 10.0, 10.0)]
    good = fast.edges_to_intersections(square, 3, 3)
    assert loops.smallest_cells(good, 3.0, 100) == [(0.0, 0.0, 10.0, 10.0)]  # type: ignore[union-attr]
    assert loops.smallest_cells({}, 3.0, 100) == []  # type: ignore[union-attr]
    odd = [
        {(0, 0.0): good[(0.0, 0.0)]},  # an int in a point
        {(math.nan, 0.0): good[(0.0, 0.0)]},
        {(0.0, 0.0): {"v": [], "h": good[(0.0, 0.0)]["h"]}},
        {(0.0, 0.0): {"v": good[(0.0, 0.0)]["v"]}},
        {(0.0, 0.0): {"v": [{**square[2], "bottom": math.inf}], "h": good[(0.0, 0.0)]["h"]}},
        {(0.0, 0.0): {"v": [{**square[2], "x0": 0}], "h": good[(0.0, 0.0)]["h"]}},
        {(0.0, 0.0, 1.0): good[(0.0, 0.0)]},
    ]
    for intersections in odd:
        assert loops.smallest_cells(intersections, 3.0, 100) is None  # type: ignore[union-attr]
    assert loops.smallest_cells(good, 3.0, 0) is None  # type: ignore[union-attr]
    with pytest.raises(ExtractionError, match="too tangled"):
        html_positioned.smallest_cells(good, "x.pdf", 1, max_steps=0)
    with pytest.raises(ValueError):  # an empty list of edges: Python's max() of nothing, as before
        html_positioned.smallest_cells(odd[2], "x.pdf", 1)


@needs_extension
def test_cells_at_the_reach_of_their_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule crossing the ends of two others exactly at the tolerance (3 pt below their ends,
    3 pt past a horizontal's end): still joined, as in Python."""
    rules = [_rule(0.0, 0.0, 0.0, 10.0), _rule(10.0, 0.0, 10.0, 10.0), _rule(0.0, 0.0, 10.0, 0.0), _rule(0.0, 13.0, 10.0, 13.0), _rule(13.0, 0.0, 13.0, 13.0)]
    intersections = fast.edges_to_intersections(rules, 3, 3)
    _same_cells(intersections, monkeypatch)
    assert (0.0, 0.0, 10.0, 13.0) in loops.smallest_cells(intersections, 3.0, 100)  # type: ignore[union-attr, operator]


def _steps_python_needs(cells: list) -> int:
    """The smallest step bound at which the Python search does not raise (by bisection)."""
    low, high = 0, 10**6
    while low < high:
        middle = (low + high) // 2
        try:
            layout._frames(cells, middle)
        except LimitExceededError:
            low = middle + 1
        else:
            high = middle
    return low


def _same_frames(cells: list, *, steps: bool = False) -> None:
    assert sorted(loops.frame_cells(cells, 10**9)) == sorted(layout._frames(cells, 10**9))  # type: ignore[union-attr]
    if steps:  # the same count of steps: the bound passes and fails where Python's does
        needed = _steps_python_needs(cells)
        assert loops.frame_cells(cells, needed) is not None  # type: ignore[union-attr]
        if needed:
            assert loops.frame_cells(cells, needed - 1) is None  # type: ignore[union-attr]


@needs_extension
def test_frames_of_the_fixture_pages(pages: list) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        for table in layout.find_tables(deduped, layout.current()):
            _same_frames(table.cells, steps=True)


@needs_extension
def test_frames_of_random_grids() -> None:
    """Grids inside border boxes, boxes within the 1 pt play or just outside it, thin cells,
    cells listed twice, nested frames, -0.0 and 0.0, one cell or none."""
    rng = random.Random(233)
    for _ in range(400):
        columns, rows = rng.randint(1, 4), rng.randint(1, 4)
        cells = [(float(x), float(y), float(x + 20), float(y + 10)) for x in range(0, 20 * columns, 20) for y in range(0, 10 * rows, 10) if rng.random() < 0.8]
        for _box in range(rng.randint(0, 3)):
            play = rng.choice((-0.0, -0.5, 0.5, 1.0, 1.0000000000000002, 1.5, -3.0))
            cells.append((play, play, 20 * columns - play, 10 * rows - play))
        cells += [(59.5, 0.0, 60.0, 10.0)] if rng.random() < 0.3 else []
        cells += cells[:2] if rng.random() < 0.2 else []
        rng.shuffle(cells)
        _same_frames(cells, steps=rng.random() < 0.2)
    _same_frames([])
    _same_frames([(0.0, 0.0, 1.0, 1.0)], steps=True)
    for odd in ([(0.0, 0.0, 1.0, 1.0), (0, 0.0, 1.0, 1.0)], [(math.nan, 0.0, 1.0, 1.0)], [(0.0, 0.0, 1.0)], [[0.0, 0.0, 1.0, 1.0]]):
        assert loops.frame_cells(odd, 100) is None  # type: ignore[union-attr]


def _line_words_in_python(chars: list, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as patched:
        patched.setattr(layout, "loops", None)
        return layout._words(chars)


def _same_line_words(chars: list, monkeypatch: pytest.MonkeyPatch) -> None:
    assert loops.line_words(chars) is not None  # type: ignore[union-attr]
    ours, theirs = layout._words(chars), _line_words_in_python(chars, monkeypatch)
    assert repr(ours) == repr(theirs)
    assert [(id(w.x0), id(w.x1)) for w in ours] == [(id(w.x0), id(w.x1)) for w in theirs]  # the characters' own floats


@needs_extension
def test_line_words_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        for line in fast.extract_text_lines(layout.dedupe_chars(layout.visible_part(page)).chars):
            _same_line_words(line["chars"], monkeypatch)


@needs_extension
def test_line_words_of_odd_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gaps at max(size * 0.6, 2) exactly and a hair past it (both sides of 2), spaces, empty
    texts, gaps backwards, NaN sizes and positions; ints and missing keys left to Python."""
    rng = random.Random(234)
    for _ in range(2000):
        chars = []
        x = 0.0
        for _char_number in range(rng.randint(0, 12)):
            size = rng.choice((2.0, 3.0, 10.0, 10.000000000000002, math.nan))
            x += rng.choice((0.0, 2.0, 6.0, 6.000000000000001, 1.2, -3.0, math.inf))
            chars.append({"text": rng.choice(("a", "元", " ", "", "\u3000", "12")), "x0": x, "x1": x + rng.choice((0.0, 5.0)), "size": size})
            x = chars[-1]["x1"]
        _same_line_words(chars, monkeypatch)
    for odd in ({"size": 10}, {"x0": 1}, {"text": None}):
        chars = [{"text": "a", "x0": 0.0, "x1": 5.0, "size": 10.0}, {"text": "b", "x0": 20.0, "x1": 25.0, "size": 10.0, **odd}]
        assert loops.line_words(chars) is None  # type: ignore[union-attr]
    assert loops.line_words([{"text": "a", "x0": 0.0, "x1": 5.0}]) is None  # type: ignore[union-attr]


class _Cells:
    """What ``_outside`` reads of a table: its cells."""

    def __init__(self, cells: list) -> None:
        self.cells = cells


def _same_outside(lines: list, tables: list, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = [cell for t in tables for cell in t.cells]
    if boxes:
        assert loops.outside(lines, boxes) is not None  # type: ignore[union-attr]
    ours = layout._outside(lines, tables)
    with monkeypatch.context() as patched:
        patched.setattr(layout, "loops", None)
        theirs = layout._outside(lines, tables)
    assert [id(line) for line in ours] == [id(line) for line in theirs]


@needs_extension
def test_lines_outside_on_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        lines = fast.extract_text_lines(deduped.chars)
        tables = layout.find_tables(deduped, layout.current())
        _same_outside(lines, tables, monkeypatch)
        for table in tables:
            _same_outside(lines, [table], monkeypatch)


@needs_extension
def test_lines_outside_odd_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Centres on a cell's border, in a gap between cells, cells above the page, NaN and
    infinite lines and cells, cells spanning several bands, -0.0; left to Python: ints."""
    rng = random.Random(235)
    values = (-0.0, 0.0, 5.0, 10.0, 15.999999999999998, 16.0, 32.0, -20.0, 47.5, math.nan, math.inf)
    for _ in range(1500):
        lines = [
            {"x0": rng.choice(values), "x1": rng.choice(values), "top": rng.choice(values), "bottom": rng.choice(values), "text": "x"}
            for _ in range(rng.randint(0, 8))
        ]
        cells = [tuple(sorted(rng.choice(values) for _ in range(2))) for _ in range(rng.randint(0, 8))]
        cells = [(a, c, b, d) for (a, b), (c, d) in zip(cells, cells[::-1], strict=True)]
        _same_outside(lines, [_Cells(cells)], monkeypatch)
    line = {"x0": 1.0, "x1": 3.0, "top": 1.0, "bottom": 3.0}
    assert loops.outside([line], [(0, 0.0, 5.0, 5.0)]) is None  # type: ignore[union-attr]
    assert loops.outside([{**line, "top": 1}], [(0.0, 0.0, 5.0, 5.0)]) is None  # type: ignore[union-attr]
    assert loops.outside([line], [(0.0, 0.0, 5.0, 5.0)]) == []  # type: ignore[union-attr]
    with monkeypatch.context() as patched:  # beyond the bound: the bands, the same lines
        patched.setattr(layout, "_PAIRS_IN_C", 0)
        assert layout._outside([line, {**line, "x0": 9.0, "x1": 11.0}], [_Cells([(0.0, 0.0, 5.0, 5.0)])]) == [{**line, "x0": 9.0, "x1": 11.0}]


def _same_cell_text(chars: list, monkeypatch: pytest.MonkeyPatch, *, in_c: bool = True) -> None:
    if in_c:
        assert loops.cell_text(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING) is not None  # type: ignore[union-attr]
    ours = fast.extract_text(chars)
    with monkeypatch.context() as patched:
        for name in ("cell_text_in_c", "upright_words_in_c", "split_line_in_c"):
            patched.setattr(fast, name, None)
        theirs = fast.extract_text(chars)
    assert ours == theirs == utils.extract_text(chars)


@needs_extension
def test_cell_texts_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell of every table, and every text line's characters as one cell."""
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        upright = all(c["upright"] is True for c in deduped.chars)
        for table in layout.find_tables(deduped, layout.current()):
            for cell in table.cells:
                x0, top, x1, bottom = cell
                chars = [c for c in deduped.chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]
                _same_cell_text(chars, monkeypatch, in_c=upright)
        for line in fast.extract_text_lines(deduped.chars)[:40]:
            _same_cell_text(line["chars"], monkeypatch, in_c=upright)


@needs_extension
def test_cell_texts_of_odd_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several lines (tops chaining at 3 pt, and a hair past), ligatures spelt out, spaces
    only, empty characters, equal x0s; left to Python: a turned character, NaN tops."""
    rng = random.Random(236)
    for _ in range(2000):
        chars = [
            _char(rng.choice(("a", "b", " ", "", "\u3000", "ﬁ", "ﬀ", "元", "12")), rng.choice((0.0, 3.0, 6.0, 9.000000000000002, 15.0, 40.0)), rng.choice((100.0, 103.0, 103.00000000000001, 106.5, 120.0)), width=rng.choice((0.0, 3.0, 6.0)))
            for _ in range(rng.randint(0, 14))
        ]
        _same_cell_text(chars, monkeypatch)
    base = [_char("a", 10.0, 100.0), _char("ﬁ", 16.0, 100.0)]
    for odd in ({"upright": False}, {"top": math.nan}, {"x1": 3}):
        chars = [*base, {**_char("d", 30.0, 100.0), **odd}]
        assert loops.cell_text(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING) is None  # type: ignore[union-attr]
        _same_cell_text(chars, monkeypatch, in_c=False)


def _same_text_lines(chars: list, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The lines with and without the C loops (the same dicts, the same characters by
    identity); whether the C loop answered."""
    answered = loops.text_lines(chars, fast.LIGATURES, fast._LIGATURE_LETTER_STRING) is not None  # type: ignore[union-attr]
    ours = fast.extract_text_lines(chars)
    with monkeypatch.context() as patched:
        for name in ("text_lines_in_c", "cell_text_in_c", "upright_words_in_c", "split_line_in_c"):
            patched.setattr(fast, name, None)
        theirs = fast.extract_text_lines(chars)
    assert repr(ours) == repr(theirs)
    assert [list(line) for line in ours] == [list(line) for line in theirs]  # the keys' order
    assert [[id(c) for c in line["chars"]] for line in ours] == [[id(c) for c in line["chars"]] for line in theirs]
    return answered


@needs_extension
def test_text_lines_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = 0
    for page in pages:
        chars = layout.dedupe_chars(layout.visible_part(page)).chars
        answered += _same_text_lines(chars, monkeypatch)
        _same_text_lines(chars[::-1], monkeypatch)
    assert answered or not pages


@needs_extension
def test_text_lines_of_odd_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines that are not plain (a space or an empty word first, all whitespace: the pattern
    in Python), ligatures, multi-letter characters, word tops chaining at 3 pt and a hair
    past, NaN x1 and bottom (the box's min and max as Python's), turned characters."""
    rng = random.Random(237)
    answered = 0
    for _ in range(2000):
        chars = [
            _char(rng.choice(("a", "b", " ", "", "\u3000", "ﬁ", "ﬀ", "元", "12", "x\ny")), rng.choice((0.0, 3.0, 6.0, 9.000000000000002, 15.0, 40.0)), rng.choice((100.0, 103.0, 103.00000000000001, 106.5, 120.0)), width=rng.choice((0.0, 3.0, 6.0, math.nan)))
            for _ in range(rng.randint(0, 14))
        ]
        if rng.random() < 0.1 and chars:
            chars[0]["bottom"] = math.nan
        if rng.random() < 0.05 and chars:
            chars[-1]["upright"] = False
        answered += _same_text_lines(chars, monkeypatch)
    assert 200 < answered < 2000
    assert loops.text_lines([{**_char("a", 1.0, 1.0), "x1": 2}], fast.LIGATURES, "") is None  # type: ignore[union-attr]


def _same_within(objects: list, bbox: tuple, monkeypatch: pytest.MonkeyPatch, *, in_c: bool = True) -> None:
    if in_c:
        assert loops.within_box(objects, bbox) is not None  # type: ignore[union-attr]
    else:
        assert loops.within_box(objects, bbox) is None  # type: ignore[union-attr]
    ours = fast.within_bbox(objects, bbox)
    with monkeypatch.context() as patched:
        patched.setattr(fast, "within_box_in_c", None)
        theirs = fast.within_bbox(objects, bbox)
    assert [id(o) for o in ours] == [id(o) for o in theirs]
    if not any(map(math.isnan, bbox)):  # a box with a NaN side: the Python code is the oracle (pdfplumber's min and max differ)
        assert [id(o) for o in ours] == [id(o) for o in utils.within_bbox(objects, bbox)]


@needs_extension
def test_objects_within_the_box_on_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        x0, top, x1, bottom = page.bbox
        for box in (page.bbox, (x0 + 100, top + 100, x1 - 100, bottom - 100)):  # the second cuts objects
            for objects in page.objects.values():
                _same_within(objects, box, monkeypatch, in_c=all(type(o[k]) is float for o in objects for k in ("x0", "top", "x1", "bottom")))


@needs_extension
def test_objects_within_odd_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Objects on the box's border, points, zero-width rules, negative sides, -0.0, NaN and
    infinite positions and sides, int sides; left to Python: int or missing positions, big
    ints and other numbers as sides, a dict subclass, a tuple of objects."""
    rng = random.Random(241)
    values = (-0.0, 0.0, 5.0, 10.0, 99.99999999999999, 100.0, 100.00000000000001, -3.5, math.nan, math.inf, -math.inf)
    sides = (0, 0.0, -0.0, 5, 100, 100.0, math.nan, math.inf)
    for _ in range(1500):
        objects = [dict(zip(("x0", "top", "x1", "bottom"), (rng.choice(values) for _ in range(4)), strict=True)) for _ in range(rng.randint(0, 8))]
        _same_within(objects, tuple(rng.choice(sides) for _ in range(4)), monkeypatch)
    thing = {"x0": 1.0, "top": 1.0, "x1": 3.0, "bottom": 3.0}
    _same_within([thing, {**thing, "x0": 1}], (0.0, 0.0, 5.0, 5.0), monkeypatch, in_c=False)
    without_bottom = [thing, {"x0": 1.0, "top": 1.0, "x1": 3.0}]
    assert loops.within_box(without_bottom, (0.0, 0.0, 5.0, 5.0)) is None  # type: ignore[union-attr]
    with pytest.raises(KeyError):  # as pdfplumber's
        fast.within_bbox(without_bottom, (0.0, 0.0, 5.0, 5.0))
    for side in (2**53 + 1, 5.0 + 0j, True, fractions.Fraction(1, 3), decimal.Decimal(5)):
        assert loops.within_box([thing], (0.0, 0.0, side, 5.0)) is None  # type: ignore[union-attr]
    assert fast.within_bbox([thing], (0.0, 0.0, 2**60, 5.0)) == [thing]
    assert loops.within_box([thing], (-(2**53), 0.0, 2**53, 5.0)) == [thing]  # type: ignore[union-attr]
    assert loops.within_box([collections.UserDict(thing)], (0.0, 0.0, 5.0, 5.0)) is None  # type: ignore[union-attr]
    assert loops.within_box((thing,), (0.0, 0.0, 5.0, 5.0)) is None  # type: ignore[union-attr]
    assert loops.within_box([thing], [0.0, 0.0, 5.0, 5.0]) is None  # type: ignore[union-attr]
    assert loops.within_box([], (0.0, 0.0, 5.0, 5.0)) == []  # type: ignore[union-attr]


class _Rulings:
    """What table_edges reads of a page: its lines, rectangles and curves."""

    def __init__(self, lines: list, rects: list, curves: list) -> None:
        self.lines, self.rects, self.curves = lines, rects, curves


def _typed(edges: list) -> list:
    return [[(key, type(value), repr(value)) for key, value in edge.items()] for edge in edges]


def _same_edges(page: object, monkeypatch: pytest.MonkeyPatch, *, in_c: bool = True) -> None:
    found = loops.table_edges(page.lines, page.rects, page.curves, 3, 3, 3, 1)  # type: ignore[union-attr, attr-defined]
    assert (found is not None) == in_c
    ours = fast.table_edges(page)
    with monkeypatch.context() as patched:
        patched.setattr(fast, "table_edges_in_c", None)
        theirs = fast.table_edges(page)
    assert _typed(ours) == _typed(theirs)  # the same values, ints (a rectangle's side's 0) and floats alike


@needs_extension
def test_table_edges_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        floats = all(type(o[k]) is float for o in deduped.lines + deduped.rects for k in ("x0", "top", "x1", "bottom", "width", "height"))
        points = all(type(point) is tuple and all(type(v) is float for v in point) for curve in deduped.curves for point in curve["pts"])
        _same_edges(deduped, monkeypatch, in_c=floats and points)


def _box(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


@needs_extension
def test_table_edges_of_random_rulings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Grids of rectangles a hair apart (snapped to means that sum() rounds), touching and
    overlapping segments (joined), lines across, along and slanted, short ones (dropped),
    -0.0, curves (slanted segments are no rulings)."""
    rng = random.Random(242)
    for _ in range(300):
        rects, lines, curves = [], [], []
        for _ in range(rng.randint(0, 30)):
            x, y = rng.choice((-0.0, 0.0, 10.0, 0.7978725579347312, 3.539365577333748)) + 40 * rng.randint(0, 5) + rng.uniform(-2, 2), 20 * rng.randint(0, 8) + rng.uniform(-2, 2)
            rects.append(_box(x, y, x + rng.choice((0.0, 0.5, 2.0, 40.0)) + rng.uniform(-1, 1), y + rng.choice((0.0, 0.5, 20.0)) + rng.uniform(-1, 1)))
        for _ in range(rng.randint(0, 8)):
            x0, top = rng.uniform(0, 200), rng.choice((-0.0, rng.uniform(0, 160)))
            x1, bottom = rng.choice((x0, x0 + rng.uniform(0, 80))), rng.choice((top, top + rng.uniform(0, 60)))
            lines.append(_box(x0, top, x1, bottom))
        for _ in range(rng.randint(0, 3)):
            x, y = rng.uniform(0, 200), rng.uniform(0, 160)
            curves.append({"pts": [(x, y), (x, y + rng.uniform(0, 40)), (x + rng.uniform(0, 40), y), (x + 5.0, y + 5.0)][: rng.randint(0, 4)]})
        _same_edges(_Rulings(lines, rects, curves), monkeypatch)
    _same_edges(_Rulings([], [], []), monkeypatch)


@needs_extension
def test_table_edges_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """ints, NaN, infinity, a sum that overflows, a missing key, points as lists: the Python
    code (with NaN, whose clusters depend on a set's order of NaN objects, not compared)."""
    rect = _box(10.0, 10.0, 50.0, 30.0)
    for key in ("x0", "top", "x1", "bottom", "width", "height"):
        for odd in (3, math.inf):
            _same_edges(_Rulings([], [rect, {**rect, key: odd}], []), monkeypatch, in_c=False)
            _same_edges(_Rulings([{**rect, key: odd}], [rect], []), monkeypatch, in_c=False)
        assert loops.table_edges([], [rect, {**rect, key: math.nan}], [], 3, 3, 3, 1) is None  # type: ignore[union-attr]
        assert loops.table_edges([{**rect, key: math.nan}], [rect], [], 3, 3, 3, 1) is None  # type: ignore[union-attr]
    _same_edges(_Rulings([], [{**rect, "top": 1.7e308, "height": 1.7e308}], []), monkeypatch, in_c=False)
    _same_edges(_Rulings([], [rect], [{"pts": [[10.0, 10.0], [10.0, 40.0]]}]), monkeypatch, in_c=False)
    _same_edges(_Rulings([], [rect], [{"pts": [(10.0, 10.0), (10, 40.0)]}]), monkeypatch, in_c=False)
    _same_edges(_Rulings([], [rect], [{"pts": ((10.0, 10.0), (10.0, 40.0))}]), monkeypatch, in_c=False)
    assert loops.table_edges([], [{k: v for k, v in rect.items() if k != "height"}], [], 3, 3, 3, 1) is None  # type: ignore[union-attr]
    assert loops.table_edges((), [rect], [], 3, 3, 3, 1) is None  # type: ignore[union-attr]
