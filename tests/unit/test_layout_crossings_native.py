"""The crossings of a page's rulings and the tables of its cells in C give what the Python and pdfplumber give.

``_layout_crossings.c`` (``loops.edges_to_intersections``) replaces the search of
``plumber_equivalents.edges_to_intersections`` where the extension is built. The Python
search is the oracle (``edges_to_intersections_in_c`` set to None), and pdfplumber's own
``edges_to_intersections`` the reference: the same crossings in the same order, keyed by the
edges' own float objects, each listing the very edge dicts in the same order. The fixture
pages (both readers' pages, the page's rulings and pdfplumber's edges), random rulings with
ties, -0.0 and edges at the tolerances, and input the C search leaves to Python.
"""

from __future__ import annotations

import fractions
import math
import random
from typing import Any

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.table import cells_to_tables as plumbers_cells_to_tables
from pdfplumber.table import edges_to_intersections as plumbers_edges_to_intersections

from yusuan.extract import html_positioned
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None or not hasattr(loops, "edges_to_intersections"),
    reason="the C extension was not built (no compiler at install)",
)


def _shape(intersections: dict) -> list[tuple[Any, ...]]:
    """The crossings exactly: each key's floats (repr tells -0.0 from 0.0) and the objects
    themselves, the keys of each entry, and the ids of the edges listed, in order."""
    return [
        (
            repr(key),
            tuple(map(id, key)),
            list(entry),
            [id(edge) for edge in entry["v"]],
            [id(edge) for edge in entry["h"]],
        )
        for key, entry in intersections.items()
    ]


def _in_python(
    edges: list, x_tolerance: Any, y_tolerance: Any, monkeypatch: pytest.MonkeyPatch
) -> dict:
    with monkeypatch.context() as patched:
        patched.setattr(fast, "edges_to_intersections_in_c", None)
        return fast.edges_to_intersections(edges, x_tolerance, y_tolerance)


def _same(
    edges: list, monkeypatch: pytest.MonkeyPatch, x_tolerance: Any = 3, y_tolerance: Any = 3
) -> dict:
    ours = loops.edges_to_intersections(edges, x_tolerance, y_tolerance)  # type: ignore[union-attr]
    assert ours is not None
    assert _shape(ours) == _shape(_in_python(edges, x_tolerance, y_tolerance, monkeypatch))
    theirs = plumbers_edges_to_intersections(edges, x_tolerance, y_tolerance)
    assert [repr(key) for key in ours] == [repr(key) for key in theirs]
    assert [[list(map(id, entry[side])) for side in ("v", "h")] for entry in ours.values()] == [
        [list(map(id, entry[side])) for side in ("v", "h")] for entry in theirs.values()
    ]
    return ours


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


@needs_extension
def test_crossings_of_the_fixture_pages(pages: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        settings = TableSettings.resolve(None)
        _same(
            fast.table_edges(deduped),
            monkeypatch,
            settings.intersection_x_tolerance,
            settings.intersection_y_tolerance,
        )
        finder = TableFinder.__new__(TableFinder)
        finder.page, finder.settings = deduped, settings
        _same(finder.get_edges(), monkeypatch)  # pdfplumber's own edges: whole dicts of every key


def _rule(x0: float, top: float, x1: float, bottom: float, orientation: str | None = None) -> dict:
    return {
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation or ("h" if top == bottom else "v"),
    }


@needs_extension
def test_crossings_of_random_rulings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rulings on a few positions (so crossings repeat, edges tie in both sort keys, -0.0
    meets 0.0, ends lie exactly at the tolerance), edges listed twice, other orientations,
    tolerances of ints and floats."""
    rng = random.Random(25)
    positions = (-0.0, 0.0, 0.5, 1.0, 3.0, 4.0, 10.0, 13.0, 20.000000000000004, 20.0, 33.3, 50.0)
    found = 0
    for _ in range(600):
        edges: list[dict] = []
        for _edge in range(rng.randint(0, 14)):
            a, b = sorted(rng.sample(positions, 2))
            at = rng.choice(positions)
            edges.append(
                _rule(a, at, b, at, "h") if rng.random() < 0.5 else _rule(at, a, at, b, "v")
            )
            if rng.random() < 0.1:
                edges.append(edges[-1])  # the same dict twice
            if rng.random() < 0.05:
                edges.append(_rule(a, at, b, at, "x"))  # neither: left out by both
        rng.shuffle(edges)
        for tolerances in ((3, 3), (1, 1), (3.0, 0.5), (0, 0), (-1, 2)):
            found += len(_same(edges, monkeypatch, *tolerances))
    assert found > 1000


@needs_extension
def test_crossings_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """None for what the C search does not read; the Python search (or pdfplumber's, for NaN)
    then gives the answer, as before."""
    square = [
        _rule(0.0, 0.0, 10.0, 0.0),
        _rule(0.0, 10.0, 10.0, 10.0),
        _rule(0.0, 0.0, 0.0, 10.0),
        _rule(10.0, 0.0, 10.0, 10.0),
    ]
    assert len(_same(square, monkeypatch)) == 4
    assert _same([], monkeypatch) == {}

    class Edge(dict):  # type: ignore[type-arg]
        pass

    odd_edges = [
        [*square, {**square[0], "x0": 0}],  # an int position
        [*square, {**square[2], "bottom": math.nan}],
        [*square, {**square[2], "x1": math.inf}],
        [*square, {**square[0], "top": -math.inf}],
        [*square, {**square[0], "orientation": b"h"}],
        [*square, Edge(square[0])],
    ]
    for edges in odd_edges:
        assert loops.edges_to_intersections(edges, 3, 3) is None  # type: ignore[union-attr]
        assert _shape(fast.edges_to_intersections(edges, 3, 3)) == _shape(
            _in_python(edges, 3, 3, monkeypatch)
        )
    missing = [*square, {key: value for key, value in square[0].items() if key != "x1"}]
    assert loops.edges_to_intersections(missing, 3, 3) is None  # type: ignore[union-attr]
    with pytest.raises(KeyError):  # Python's KeyError, as pdfplumber's
        fast.edges_to_intersections(missing, 3, 3)
    for tolerance in (2**53 + 1, fractions.Fraction(1, 3), True):
        assert loops.edges_to_intersections(square, tolerance, 3) is None  # type: ignore[union-attr]
        assert loops.edges_to_intersections(square, 3, tolerance) is None  # type: ignore[union-attr]
    with pytest.raises(TypeError):
        loops.edges_to_intersections(tuple(square), 3, 3)  # type: ignore[union-attr]


@needs_extension
def test_a_crossing_at_the_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    """A vertical ending exactly 3 pt above a horizontal, one 3 pt past its end, and one a
    hair further: the first two cross it, the third does not, in C as in Python."""
    rules = [
        _rule(0.0, 13.0, 10.0, 13.0),
        _rule(5.0, 0.0, 5.0, 10.0),
        _rule(13.0, 13.0, 13.0, 20.0),
        _rule(math.nextafter(13.0, 14.0), 13.0, math.nextafter(13.0, 14.0), 20.0),
    ]
    assert list(_same(rules, monkeypatch)) == [(5.0, 13.0), (13.0, 13.0)]


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
