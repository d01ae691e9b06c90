"""A page's tables read in one C step (``pdf.page_grids``, ``loops.page_grids`` in
_layout_table_text.c) give the grids ``table_to_grid`` gives table by table.

``page_grids`` computes the page's character centres once in C arrays instead of
``CharCentres``' Python lists. The oracle is ``table_to_grid`` with ``CharCentres`` and
every C step off (the Python loops); the C step's own answer is also compared with
``loops.table_grid`` fed ``CharCentres``' lists, table by table. Compared on every table of the
fixture pages (several tables on a page, frames dropped), on random pages of several random
tables, and on what the C step leaves to Python: characters it does not read (a position not
a float, NaN, a middle that overflows; then None for the page), cells it does not read (None
for that table alone), no tables.
"""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber.table import Table
from test_layout_table_text_native import _characters, _shuffled_grid

from yusuan.core.limits import current
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None or not hasattr(loops, "page_grids"),
    reason="the C extension was not built (no compiler at install)",
)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


def _in_c(tables: list[Table], chars: list) -> list | None:
    assert loops is not None
    return loops.page_grids(  # type: ignore[no-any-return]
        [t.cells for t in tables],
        chars,
        fast.LIGATURES,
        fast.LIGATURE_LETTERS,
        layout.COVERED_ABOVE,
        layout.COVERED_LEFT,
    )


def _table_by_table(tables: list[Table], chars: list) -> list | None:
    """loops.table_grid of each table with CharCentres' lists (None: the page not read)."""
    centres = layout.CharCentres(chars)
    if not (centres.ordered and centres.across):
        return None
    assert loops is not None
    return [
        loops.table_grid(
            t.cells,
            chars,
            centres.middles,
            centres.centres,
            centres.order,
            fast.LIGATURES,
            fast.LIGATURE_LETTERS,
            layout.COVERED_ABOVE,
            layout.COVERED_LEFT,
        )
        for t in tables
    ]


def _in_python(page: object, tables: list[Table], monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        for name in ("page_grids_in_c", "table_grid_in_c", "table_text_in_c"):
            patched.setattr(layout, name, None)
        return layout.page_grids(page, tables)  # type: ignore[arg-type]


def _same(page: object, tables: list[Table], monkeypatch: pytest.MonkeyPatch) -> bool:
    """page_grids as shipped, the Python loops' grids and the C steps table by table agree
    (by repr: floats at full precision); whether the page step answered."""
    chars = page.chars  # type: ignore[attr-defined]
    ours = layout.page_grids(page, tables)  # type: ignore[arg-type]
    assert repr(ours) == repr(_in_python(page, tables, monkeypatch))
    found = _in_c(tables, chars)
    assert repr(found) == repr(_table_by_table(tables, chars))
    return found is not None


@needs_extension
def test_grids_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    answered = 0
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        found = layout.find_tables(deduped, current())
        kept = [t for t in (layout._without_frames(deduped, t) for t in found) if t is not None]
        for tables in (found, kept):
            if tables:
                answered += _same(deduped, tables, monkeypatch)
    assert answered or not pages


@needs_extension
def test_grids_of_random_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3001)
    answered = 0
    for trial in range(300):
        page = SimpleNamespace(chars=_characters(rng, rng.randint(0, 150), turned=trial % 7 == 0))
        tables = [Table(page, _shuffled_grid(rng)) for _ in range(rng.randint(1, 3))]
        answered += _same(page, tables, monkeypatch)
    assert answered > 250


@needs_extension
def test_characters_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """A character the C step does not read: None for the whole page, and the grids as the
    Python code gives them."""
    rng = random.Random(17)
    base = _characters(rng, 60)
    for key, odd in (("top", 3), ("x1", math.nan), ("bottom", math.inf), ("x0", None)):
        chars = [*base[:30], {**base[30], key: odd}, *base[31:]]
        if odd is None:
            del chars[30][key]
        page = SimpleNamespace(chars=chars)
        tables = [Table(page, _shuffled_grid(rng))]
        assert _in_c(tables, chars) is None
        if odd is not None:
            assert repr(layout.page_grids(page, tables)) == repr(
                _in_python(page, tables, monkeypatch)
            )  # type: ignore[arg-type]
    huge = [*base, {**base[0], "top": 1.7e308, "bottom": 1.7e308}]  # a middle that overflows
    assert _in_c([Table(SimpleNamespace(chars=huge), _shuffled_grid(rng))], huge) is None
    assert loops is not None
    assert (
        loops.page_grids([], tuple(base), fast.LIGATURES, fast.LIGATURE_LETTERS, "U", "L") is None
    )


@needs_extension
def test_cells_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells the C step does not read (at 0.0, ints, NaN, none): None for that table alone,
    the page's other tables read in C; page_grids gives the Python grid for it."""
    rng = random.Random(5)
    page = SimpleNamespace(chars=_characters(rng, 80))
    good = Table(page, _shuffled_grid(rng))
    for cells in (
        [(0.0, 30.0, 60.0, 48.0), (60.0, 30.0, 100.0, 48.0)],
        [(20, 30, 60, 48), (60, 30, 100, 48)],
        [(20.0, 30.0, 60.0, 48.0), (60.0, math.nan, 100.0, 48.0)],
        [],
    ):
        tables = [good, Table(page, cells), good]
        found = _in_c(tables, page.chars)
        assert (
            found is not None and found[1] is None and found[0] is not None and found[2] is not None
        )
        if cells:
            _same(page, tables, monkeypatch)
    assert layout.page_grids(page, []) == []  # type: ignore[arg-type]
    assert _in_c([], page.chars) == []
