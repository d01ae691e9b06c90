"""A page's layout with work done once instead of per object, against the code it replaces.

``unique_chars`` tests whether an object is listed twice only among the duplicate suspects
(``close_chars.runs_with_close_chars``) when the tolerance is not negative; pdfplumber's
``dedupe_chars`` is the oracle, on pages that list objects twice in every way the suspects
could miss them (far apart, at the tolerance's border, with NaN, with other tolerances).
``table_to_grid`` finds the cells that may cover a row's empty slots once per row
(``_cells_across``); the scan of every cell per slot it replaced is the oracle, on the fixture
pages' tables and on random grids with merged cells."""

from __future__ import annotations

import math
import random

from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber import utils
from pdfplumber.table import Table

from yusuan.core.limits import current
from yusuan.extract import pdf as layout


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


def _covering_cell_by_scan(
    table: Table, box: tuple, row_box: tuple, column: int, lefts: list[float]
) -> tuple | None:
    """The cell covering a slot as table_to_grid found it before: every cell of the table
    scanned for each empty slot (the oracle)."""
    x0 = lefts[column] if column < len(lefts) else box[2]
    x1 = lefts[column + 1] if column + 1 < len(lefts) else box[2]
    cx, cy = (x0 + x1) / 2, (row_box[1] + row_box[3]) / 2
    return next((c for c in table.cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)


def _assert_same_covers(table: Table) -> int:
    """Every slot of every row: the first cell across the row's middle height spanning the
    column's middle is the scan's cell. Returns how many slots some cell covers."""
    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    box = table.bbox
    covered = 0
    for row in table.rows:
        top = row.bbox[1]
        bottom = next((t for t in tops if t > top + 2), box[3])
        across = layout._cells_across(table.cells, (top + bottom) / 2)
        for j in range(len(lefts)):
            found = layout._covering_cell(across, box, j, lefts)
            assert found is _covering_cell_by_scan(
                table, box, (row.bbox[0], top, row.bbox[2], bottom), j, lefts
            )
            covered += found is not None
    return covered


def _merged_grid(rng: random.Random, rows: int, columns: int) -> list[tuple]:
    """A ruled grid whose cells are merged at random across columns and rows (overlaps and
    shared borders included, as in drawn tables)."""
    xs = [50.0 + 40 * j + rng.choice((0, 0.5)) for j in range(columns + 1)]
    ys = [100.0 + 18 * i + rng.choice((0, 0.25)) for i in range(rows + 1)]
    cells = []
    for i in range(rows):
        j = 0
        while j < columns:
            wide = min(rng.choice((1, 1, 1, 2, 3)), columns - j)
            tall = min(rng.choice((1, 1, 1, 2)), rows - i)
            if rng.random() < 0.85:
                cells.append((xs[j], ys[i], xs[j + wide], ys[i + tall]))
            j += wide
    return cells


def test_covering_cells_of_random_merged_grids() -> None:
    rng = random.Random(14)
    covered = 0
    for _ in range(300):
        cells = _merged_grid(rng, rng.randint(1, 8), rng.randint(1, 7))
        if len(cells) > 1:
            covered += _assert_same_covers(Table(None, cells))
    assert covered > 1000


def test_covering_cells_of_nan_and_point_cells() -> None:
    """A cell with a NaN side (never across, never covering) and a cell of zero size."""
    cells = [
        (50.0, 100.0, 90.0, 118.0),
        (90.0, 100.0, 130.0, 136.0),
        (50.0, 118.0, 90.0, 136.0),
        (130.0, math.nan, 170.0, 136.0),
        (130.0, 118.0, 130.0, 118.0),
    ]
    _assert_same_covers(Table(None, cells))


def test_covering_cells_of_the_fixture_tables() -> None:
    """Every table of every sample page of the corpus excerpts (both readers), as
    page_to_blocks finds them."""
    tables = covered = 0
    for path in SAMPLES:
        for page in sample_pages(path):
            deduped = layout.dedupe_chars(layout.visible_part(page))
            for table in layout.find_tables(deduped, current()):
                covered += _assert_same_covers(table)
                tables += 1
    assert tables > 20
    assert covered > 100
