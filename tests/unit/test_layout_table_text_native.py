"""The text of a table's cells in C gives what the Python loop and pdfplumber give.

``_layout_table_text.c`` (``loops.table_text``) replaces ``pdf.extract_table``'s loop over
rows and cells where the extension is built. The Python loop is the oracle
(``table_text_in_c`` set to None) and pdfplumber's ``Table.extract`` the reference: the same
texts on every table of the fixture pages, on random grids (merged cells over rows and
columns, characters on the cells' edges, equal centres, spaces, ligatures, turned
characters), and the input the C loop leaves to Python (coordinates that are not floats or
not finite, centres out of order, an order that is not a permutation).
"""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import pytest
from layout_sample_pages import SAMPLES, char, sample_pages
from pdfplumber.table import Table

from yusuan.core.limits import current
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None or not hasattr(loops, "table_text"),
    reason="the C extension was not built (no compiler at install)",
)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


def _texts_in_python(table: Table, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(layout, "table_text_in_c", None)
        return layout.extract_table(table)


def _answered_in_c(table: Table) -> bool:
    """Whether the C loop reads this table itself (not None)."""
    centres = layout.CharCentres(table.page.chars)
    if not (centres.ordered and centres.across):
        return False
    rows = [(row.bbox, row.cells) for row in table.rows]
    assert loops is not None
    found = loops.table_text(
        rows,
        table.page.chars,
        centres.middles,
        centres.centres,
        centres.order,
        fast.LIGATURES,
        fast.LIGATURE_LETTERS,
    )
    return found is not None


def _same_texts(table: Table, monkeypatch: pytest.MonkeyPatch) -> list:
    ours = layout.extract_table(table)
    assert ours == _texts_in_python(table, monkeypatch)
    return ours


@needs_extension
def test_tables_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table of every fixture page: the C texts are the Python loop's and pdfplumber's,
    and the C loop answers for the pages PDFium reads (floats, upright characters)."""
    answered = 0
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        for table in layout.find_tables(deduped, current()):
            texts = _same_texts(table, monkeypatch)
            assert texts == table.extract()
            answered += _answered_in_c(table)
    if any(
        layout.find_tables(layout.dedupe_chars(layout.visible_part(p)), current()) for p in pages
    ):
        assert answered


def _grid(rng: random.Random, columns: int, rows: int) -> list[tuple]:
    """A ruled grid's cells, some merged over two columns or two rows."""
    xs = [float(20 + 40 * i) for i in range(columns + 1)]
    ys = [float(30 + 18 * j) for j in range(rows + 1)]
    cells, taken = [], set()
    for j in range(rows):
        for i in range(columns):
            if (i, j) in taken:
                continue
            wide = 2 if i + 1 < columns and (i + 1, j) not in taken and rng.random() < 0.15 else 1
            high = 2 if j + 1 < rows and wide == 1 and rng.random() < 0.15 else 1
            taken.update((i + a, j + b) for a in range(wide) for b in range(high))
            cells.append((xs[i], ys[j], xs[i + wide], ys[j + high]))
    return cells


def _characters(rng: random.Random, count: int, turned: bool = False) -> list[dict]:
    """Characters scattered over the grid: on cell edges, with equal centres, spaces and
    ligatures among them, in no particular order."""
    texts = ["收", "支", "1", "2", ".", " ", "\u00a0", "ﬁ", "ﬂ", "", "a"]
    chars = []
    for _ in range(count):
        x0 = rng.choice(
            [float(rng.randint(14, 300)), rng.uniform(10, 300), 17.0, 57.0]
        )  # centre on an edge: 20.0, 60.0
        top = rng.choice(
            [float(rng.randint(20, 250)), rng.uniform(20, 250), 25.0, 43.0]
        )  # middle on an edge: 30.0, 48.0
        chars.append(char(rng.choice(texts), x0, top, upright=not (turned and rng.random() < 0.1)))
    return chars


@needs_extension
def test_tables_of_random_grids(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2712)
    answered = 0
    for trial in range(300):
        cells = _grid(rng, rng.randint(1, 6), rng.randint(1, 8))
        chars = _characters(rng, rng.randint(0, 200), turned=trial % 5 == 0)
        table = Table(SimpleNamespace(chars=chars), cells)
        assert _same_texts(table, monkeypatch) == table.extract()
        answered += _answered_in_c(table)
    assert answered > 200  # the turned pages go to Python (cell_text reads upright characters only)


@needs_extension
def test_tables_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells of ints or NaN, characters whose centres are not finite: the Python loop, the
    same texts; the C loop itself says None."""
    rng = random.Random(27)
    chars = _characters(rng, 120)
    ints = [(20, 30, 60, 48), (60, 30, 100, 48)]
    table = Table(SimpleNamespace(chars=chars), ints)
    assert not _answered_in_c(table)
    assert _same_texts(table, monkeypatch) == table.extract()
    nan = [(20.0, 30.0, 60.0, 48.0), (60.0, 30.0, math.nan, 48.0)]
    table = Table(SimpleNamespace(chars=chars), nan)
    assert not _answered_in_c(table)
    _same_texts(table, monkeypatch)
    odd = [*chars[:10], {**chars[10], "x1": math.inf}, *chars[11:]]
    table = Table(SimpleNamespace(chars=odd), _grid(rng, 3, 3))
    assert not _answered_in_c(table)
    _same_texts(table, monkeypatch)


@needs_extension
def test_centres_the_c_loop_does_not_trust() -> None:
    """An order that is not a permutation, or not by middle, lists of the wrong length or of
    ints, rows that are not (box, cells): None (the Python loop then runs)."""
    chars = [char("a", 20.0, 30.0), char("b", 40.0, 60.0)]
    centres = layout.CharCentres(chars)
    rows = [((20.0, 30.0, 60.0, 70.0), [(20.0, 30.0, 60.0, 70.0)])]
    args = (fast.LIGATURES, fast.LIGATURE_LETTERS)
    table_text = loops.table_text  # type: ignore[union-attr]
    assert table_text(rows, chars, centres.middles, centres.centres, centres.order, *args) == [
        ["a\nb"]
    ]
    assert table_text(rows, chars, centres.middles, centres.centres, [0, 0], *args) is None
    assert table_text(rows, chars, centres.middles, centres.centres, [1, 0], *args) is None
    assert table_text(rows, chars, centres.middles, centres.centres, [0, 2], *args) is None
    assert (
        table_text(rows, chars, centres.middles[:1], centres.centres, centres.order, *args) is None
    )
    assert table_text(rows, chars, [35, 65], centres.centres, centres.order, *args) is None
    assert (
        table_text(
            [[(20.0, 30.0, 60.0, 70.0), []]],
            chars,
            centres.middles,
            centres.centres,
            centres.order,
            *args,
        )
        is None
    )
    assert (
        table_text(
            [((20.0, 30.0, 60.0), [])],
            chars,
            centres.middles,
            centres.centres,
            centres.order,
            *args,
        )
        is None
    )
    assert (
        table_text(rows, tuple(chars), centres.middles, centres.centres, centres.order, *args)
        is None
    )
    assert table_text(
        [((20.0, 30.0, 60.0, 70.0), [None])],
        chars,
        centres.middles,
        centres.centres,
        centres.order,
        *args,
    ) == [[None]]
    assert table_text([], [], [], [], [], *args) == []


def _grid_in_python(table: Table, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patched:
        patched.setattr(layout, "table_grid_in_c", None)
        patched.setattr(layout, "table_text_in_c", None)
        return layout.table_to_grid(table, layout.CharCentres(table.page.chars))


def _grid_in_c(table: Table) -> object | None:
    """table_grid's own answer (None when it leaves the table to Python)."""
    centres = layout.CharCentres(table.page.chars)
    assert loops is not None
    return loops.table_grid(
        table.cells,
        table.page.chars,
        centres.middles,
        centres.centres,
        centres.order,
        fast.LIGATURES,
        fast.LIGATURE_LETTERS,
        layout.COVERED_ABOVE,
        layout.COVERED_LEFT,
    )


def _same_grid(table: Table, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The grid with the C step is the Python one (rows, marks, bounds, by repr: floats at
    full precision); whether the C step answered."""
    ours = layout.table_to_grid(table, layout.CharCentres(table.page.chars))
    assert repr(ours) == repr(_grid_in_python(table, monkeypatch))
    return _grid_in_c(table) is not None


@needs_extension
def test_grids_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = 0
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        for table in layout.find_tables(deduped, current()):
            kept = layout._without_frames(deduped, table)
            for one in (table, kept) if kept is not None else (table,):
                tables += 1
                _same_grid(one, monkeypatch)
    assert tables or not pages


def _shuffled_grid(rng: random.Random) -> list[tuple]:
    """A random grid's cells in random order, with copies (equal tops and lefts: the last of a
    left kept in a row), cells a hair apart, and a frame around them."""
    cells = _grid(rng, rng.randint(1, 7), rng.randint(1, 9))
    if rng.random() < 0.3:
        cells.append(rng.choice(cells)[:2] + (rng.choice(cells)[2] + 0.25, rng.choice(cells)[3]))
    if rng.random() < 0.3:
        x0, top, x1, bottom = rng.choice(cells)
        cells.append((x0 + 0.4, top + 0.3, x1, bottom))  # rules drawn a hair apart
    if rng.random() < 0.2:
        xs, ys = (
            [c[0] for c in cells] + [c[2] for c in cells],
            [c[1] for c in cells] + [c[3] for c in cells],
        )
        cells.append((min(xs) - 2.0, min(ys) - 2.0, max(xs) + 2.0, max(ys) + 2.0))
    rng.shuffle(cells)
    return cells


@needs_extension
def test_grids_of_random_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2701)
    answered = 0
    for trial in range(400):
        chars = _characters(rng, rng.randint(0, 150), turned=trial % 7 == 0)
        answered += _same_grid(
            Table(SimpleNamespace(chars=chars), _shuffled_grid(rng)), monkeypatch
        )
    assert answered > 300


@needs_extension
def test_grids_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell at 0.0 or -0.0, of ints, of NaN, no cells: the C step says None and the Python
    code gives the grid (or raises) as before."""
    rng = random.Random(9)
    chars = _characters(rng, 80)
    for cells in (
        [(0.0, 30.0, 60.0, 48.0), (60.0, 30.0, 100.0, 48.0)],
        [(-0.0, 30.0, 60.0, 48.0), (60.0, 30.0, 100.0, 48.0)],
        [(20, 30, 60, 48), (60, 30, 100, 48)],
        [(20.0, 30.0, 60.0, 48.0), (60.0, math.nan, 100.0, 48.0)],
    ):
        table = Table(SimpleNamespace(chars=chars), cells)
        assert _grid_in_c(table) is None
        _same_grid(table, monkeypatch)
    assert _grid_in_c(Table(SimpleNamespace(chars=chars), [])) is None
