"""A page's cells grouped into tables in C give what the Python sweeps and pdfplumber give.

``_layout_tables.c`` (``loops.cells_to_tables``) replaces the sweeps of
``plumber_equivalents.cells_to_tables`` where the extension is built. The Python sweeps are
the oracle (``cells_to_tables_in_c`` set to None) and pdfplumber's ``cells_to_tables`` the
reference: the same tables, each holding the very cell tuples in the same order, on the
cells of the fixture pages (in their order and shuffled), random grids (-0.0 and 0.0 as one
corner, tables touching at a corner, ties of the tables' first cells), and the input the C
sweeps leave to Python.
"""

from __future__ import annotations

import math
import random

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber.table import cells_to_tables as plumbers_cells_to_tables

from yusuan.extract import html_positioned
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None or not hasattr(loops, "cells_to_tables"),
    reason="the C extension was not built (no compiler at install)",
)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


def _tables_in_python(cells: list, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(fast, "cells_to_tables_in_c", None)
        return fast.cells_to_tables(cells)


def _same_tables(cells: list, monkeypatch: pytest.MonkeyPatch) -> list:
    """The same tables from C, the Python sweeps and pdfplumber's: the same cell objects in
    the same order."""
    ours = loops.cells_to_tables(cells)  # type: ignore[union-attr]
    assert ours is not None
    ids = [list(map(id, table)) for table in ours]
    assert ids == [list(map(id, table)) for table in _tables_in_python(cells, monkeypatch)]
    assert ids == [list(map(id, table)) for table in plumbers_cells_to_tables(list(cells))]
    return ours  # type: ignore[no-any-return]


@needs_extension
def test_tables_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's cells (as find_tables makes them), in their order and shuffled (more
    sweeps: cells join the table only once a neighbour has)."""
    rng = random.Random(25)
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        intersections = fast.edges_to_intersections(fast.table_edges(deduped), 3, 3)
        cells = html_positioned.smallest_cells(intersections, "x.pdf", 1, tolerance=3)
        _same_tables(cells, monkeypatch)
        rng.shuffle(cells)
        _same_tables(cells, monkeypatch)


@needs_extension
def test_tables_of_random_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cells of a few grids on a few positions (tables that touch at a corner, cells apart,
    -0.0 and 0.0 as one corner, ties of the tables' first cells), in random order."""
    rng = random.Random(2025)
    positions = (-0.0, 0.0, 1.0, 2.5, 4.0, 4.000000000000001, 7.0, 9.5, 12.0)
    found = 0
    for _ in range(1500):
        cells = list(
            {
                (a, b, c, d)
                for a, b, c, d in (
                    sorted(rng.sample(positions, 2)) + sorted(rng.sample(positions, 2))
                    for _ in range(rng.randint(0, 16))
                )
            }
        )
        cells = [(x0, top, x1, bottom) for x0, x1, top, bottom in cells]
        if len(set(cells)) != len(cells):  # -0.0 and 0.0 made two equal tuples: not distinct
            continue
        rng.shuffle(cells)
        found += len(_same_tables(cells, monkeypatch))
    assert found > 1000


@needs_extension
def test_tables_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """None for what the C sweeps do not read; the Python then answers as before."""
    square = [(0.0, 0.0, 5.0, 5.0), (5.0, 0.0, 10.0, 5.0), (20.0, 20.0, 25.0, 25.0)]
    assert [len(table) for table in _same_tables(square, monkeypatch)] == [2]
    assert _same_tables([], monkeypatch) == []
    odd = [
        [*square, (0.0, 0.0, 5.0, 5.0)],  # listed twice
        [*square, (-0.0, 0.0, 5.0, 5.0)],  # equal to the first
        [*square, (0, 0.0, 5.0, 5.0)],
        [*square, (0.0, math.nan, 5.0, 5.0)],
        [*square, (0.0, 0.0, math.inf, 5.0)],
        [*square, [0.0, 0.0, 5.0, 5.0]],
        [*square, (0.0, 0.0, 5.0)],
    ]
    for cells in odd:
        assert loops.cells_to_tables(cells) is None  # type: ignore[union-attr]
    for cells in odd[:5]:
        assert fast.cells_to_tables(cells) == plumbers_cells_to_tables(list(cells))
    with pytest.raises(TypeError):
        loops.cells_to_tables(tuple(square))  # type: ignore[union-attr]
