"""A page's layout with work done once instead of twice, against the code it replaces.

``unique_chars`` tests whether an object is listed twice only among the duplicate suspects
(``close_chars.runs_with_close_chars``) when the tolerance is not negative; pdfplumber's
``dedupe_chars`` is the oracle, on pages that list objects twice in every way the suspects
could miss them (far apart, at the tolerance's border, with NaN, with other tolerances).
``find_tables`` reads a page's cells from its rulings in one C step (``ruling_cells``); the
two Python steps it replaces (``edges_to_intersections``, then ``smallest_cells`` with its C
loop off) are the oracle, on the rulings of the fixture pages (in order and shuffled), random
rulings, the input left to Python, and the search's step limit."""

from __future__ import annotations

import math
import random

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber import utils

from yusuan.core.errors import ExtractionError
from yusuan.extract import html_positioned
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast


def _char(text: str, x0: float, top: float, *, size: float = 10.0, font: str = "F") -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + size * 0.6,
        "top": top,
        "bottom": top + size,
        "doctop": top,
        "upright": True,
        "size": size,
        "fontname": font,
    }


def _same_chars(chars: list[dict], tolerance: float = 1) -> None:
    found = layout.unique_chars(chars, tolerance)
    assert [id(c) for c in found] == [id(c) for c in utils.dedupe_chars(chars, tolerance=tolerance)]


def test_an_object_listed_twice_far_from_the_others() -> None:
    """One character listed twice on a line of its own, at the page's end, on a page whose
    other characters have no close neighbour: the only suspects are its two listings."""
    plain = [
        _char(t, 50 + 11 * i, 100 + 20 * line)
        for line in range(4)
        for i, t in enumerate("一般公共预算")
    ]
    alone = _char("计", 400, 500)
    for chars in (
        plain + [alone, alone],
        [alone] + plain + [alone],
        [alone, *plain[:5], alone, *plain[5:]],
    ):
        assert len(layout.runs_with_close_chars(chars, 1)) == 2
        _same_chars(chars)
        assert sum(c is alone for c in layout.unique_chars(chars)) == 1


def test_objects_listed_twice_among_copies() -> None:
    """A copy drawn 0.3 pt away and the same object listed twice, in one line and apart."""
    line = [_char(t, 50 + 11 * i, 100) for i, t in enumerate("合计支出")]
    copy = {**line[1], "x0": line[1]["x0"] + 0.3, "doctop": 100.3}
    for chars in (
        line + [copy, line[2]],
        [line[2]] + line + [copy],
        line + [copy, copy],
        line + line,
    ):
        _same_chars(chars)


def test_other_tolerances() -> None:
    """Tolerance 0 (the two listings still chain, a difference of 0), a fraction, a negative
    one and NaN (every character tested for being listed twice, as before)."""
    line = [_char(t, 50 + 11 * i, 100) for i, t in enumerate("收入合计")]
    for tolerance in (0, 0.0, 0.5, 3, -1, -0.5, math.nan):
        for chars in (line, line + [line[0]], [line[3]] + line, line + [{**line[0], "x0": 50.2}]):
            _same_chars(chars, tolerance)


def test_listed_twice_with_positions_that_are_not_numbers() -> None:
    """A NaN doctop or an infinite x0 (no suspects: every character tested and grouped)."""
    for odd in ({"doctop": math.nan}, {"x0": math.inf}):
        strange = {**_char("5", 60.1, 100), **odd}
        for chars in (
            [_char("5", 60, 100), strange, strange],
            [strange, _char("6", 70, 100), strange],
        ):
            _same_chars(chars)


def test_listed_twice_on_random_pages() -> None:
    """Random pages on a coarse grid, with random characters listed again at random places."""
    rng = random.Random(26)
    for _ in range(400):
        chars = [
            _char(
                rng.choice("12"),
                rng.choice((10.0, 10.5, 11.0, 11.6, 30.0)),
                rng.choice((5.0, 5.4, 6.0, 6.9, 7.5, 20.0)),
                font=rng.choice("FG"),
            )
            for _ in range(rng.randint(1, 25))
        ]
        for _twice in range(rng.randint(0, 3)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(chars))
        _same_chars(chars, rng.choice((1, 0.5, 0)))


# ``ruling_cells``: the crossings and cells from the rulings in C against the two Python steps
needs_ruling_cells = pytest.mark.skipif(
    layout.ruling_cells_in_c is None,
    reason="the C extension was not built (no compiler at install)",
)


def _cells_in_python(edges: list[dict], max_steps: int = 4_000_000) -> list[tuple]:
    """The oracle: ``edges_to_intersections`` then ``smallest_cells`` in Python (C off)."""
    intersections = fast.edges_to_intersections(edges, 3, 3)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(html_positioned, "loops", None)
        return html_positioned.smallest_cells(
            intersections, "", None, tolerance=3, max_steps=max_steps
        )


def _same_cells(edges: list[dict]) -> list[tuple]:
    found = layout.ruling_cells_in_c(edges, 3, 3, 3, 4_000_000)
    assert found is not None
    expected = _cells_in_python(edges)
    assert found == expected
    assert [tuple(map(type, c)) for c in found] == [tuple(map(type, c)) for c in expected]
    assert layout.ruling_cells(edges, 3, 3, 3, 4_000_000) == expected
    return found


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str | None = "") -> dict:
    """A ruling as table_edges gives it; its orientation by its shape unless given."""
    kind = orientation if orientation != "" else ("v" if x0 == x1 else "h")
    return {
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": kind,
    }


@needs_ruling_cells
def test_ruling_cells_of_the_fixture_pages() -> None:
    """Every sample page of the corpus excerpts (both readers), its rulings as table_edges
    gives them, in their order and shuffled (the crossings' edge lists in another order)."""
    rng = random.Random(5)
    total = 0
    for path in SAMPLES:
        for page in sample_pages(path):
            edges = fast.table_edges(layout.dedupe_chars(layout.visible_part(page)))
            total += len(_same_cells(edges))
            shuffled = list(edges)
            rng.shuffle(shuffled)
            _same_cells(shuffled)
    assert total > 1000


def _random_rulings(rng: random.Random) -> list[dict]:
    """A grid with rulings cut short, drawn twice, a hair apart, merged across cells, slanted
    curves (neither orientation), and rulings ending within the tolerance of a crossing."""
    xs = sorted({rng.choice((0.0, 10.0, 10.5, 13.0, 40.0, 41.0, 80.0, 120.0)) for _ in range(5)})
    ys = sorted({rng.choice((0.0, 5.0, 7.0, 8.0, 30.0, 33.5, 60.0)) for _ in range(5)})
    edges = []
    for x in xs:
        top, bottom = rng.choice(ys), rng.choice(ys)
        edges.append(
            _edge(x, min(top, bottom) + rng.choice((0, 0, 2.5, -3.0)), x, max(top, bottom), "v")
        )
    for y in ys:
        x0, x1 = rng.choice(xs), rng.choice(xs)
        edges.append(_edge(min(x0, x1) - rng.choice((0, 0, 3.0, 3.5)), y, max(x0, x1), y, "h"))
    for _ in range(rng.randint(0, 3)):
        edges.append(dict(rng.choice(edges)))  # drawn twice: an equal box, another dict
    if rng.random() < 0.2:
        edges.append(_edge(5.0, 5.0, 50.0, 40.0, None))
    rng.shuffle(edges)
    return edges


@needs_ruling_cells
def test_ruling_cells_of_random_rulings() -> None:
    rng = random.Random(26)
    total = 0
    for _ in range(1500):
        total += len(_same_cells(_random_rulings(rng)))
    assert total > 1000


@needs_ruling_cells
def test_ruling_cells_left_to_python() -> None:
    """Input the C step cannot prove it reads the same: None, and the Python steps answer."""
    grid = [_edge(10.0, 10.0, 10.0, 50.0), _edge(60.0, 10.0, 60.0, 50.0)]
    grid += [_edge(10.0, 10.0, 60.0, 10.0), _edge(10.0, 50.0, 60.0, 50.0)]
    assert len(_same_cells(grid)) == 1
    odd = [
        {**grid[0], "x0": -0.0, "x1": -0.0},  # a vertical at -0.0 (a crossing there)
        {**grid[2], "top": -0.0, "bottom": -0.0, "x0": 100.0, "x1": 120.0},  # crossing nothing
        {**grid[2], "top": 10},  # an int
        {**grid[2], "x1": math.nan},  # NaN
        {**grid[0], "bottom": math.inf},
        {**grid[0], "orientation": 1},  # an orientation that is not a str
    ]
    for edge in odd:
        edges = [edge, *grid[1:]]
        assert layout.ruling_cells_in_c(edges, 3, 3, 3, 4_000_000) is None
        assert layout.ruling_cells(edges, 3, 3, 3, 4_000_000) == _cells_in_python(edges)
    assert layout.ruling_cells_in_c([], 3, 3, 3, 4_000_000) == []


@needs_ruling_cells
def test_ruling_cells_past_the_steps_raise_in_python() -> None:
    """Past max_steps the C step gives None and the Python step raises the limit."""
    xs = [10.0 + 10 * k for k in range(12)]
    edges = [_edge(x, 0.0, x, 200.0) for x in xs] + [_edge(0.0, y, 200.0, y) for y in xs]
    assert layout.ruling_cells_in_c(edges, 3, 3, 3, 3) is None
    with pytest.raises(ExtractionError):
        layout.ruling_cells(edges, 3, 3, 3, 3)
    assert len(_same_cells(edges)) == 121
