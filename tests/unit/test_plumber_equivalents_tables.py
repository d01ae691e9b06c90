"""The table finder's steps after the rulings give pdfplumber's answers exactly.

``smallest_cells`` (yusuan/extract/html_positioned.py) and ``cells_to_tables``
(plumber_equivalents) are compared with pdfplumber's ``intersections_to_cells`` and
``cells_to_tables`` (the pinned version) on every page of the real corpus excerpts in
``tests/fixtures``, read by both PDF readers, and on grids whose cells come in any order (so
pdfplumber's sweeps take several rounds); the page functions of yusuan/extract/pdf.py that
were made faster (the lines outside the tables, the cell texts with the page's character
centres shared) are compared with the plain versions they replace."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber.table import TableFinder, TableSettings, intersections_to_cells
from pdfplumber.table import cells_to_tables as plumbers_cells_to_tables

from yusuan.core.errors import ExtractionError
from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.html_positioned import smallest_cells


def _pages(path: Path) -> list:
    """The pages as the readers give them to the layout functions (visible, de-duplicated)."""
    return [layout.dedupe_chars(layout.visible_part(page)) for page in sample_pages(path)]


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return _pages(request.param)


def _intersections(page: object) -> dict:
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = page, TableSettings.resolve(None)
    return fast.edges_to_intersections(finder.get_edges(), 3, 3)


def test_cells_and_tables(pages: list) -> None:
    tables = 0
    for page in pages:
        intersections = _intersections(page)
        cells = intersections_to_cells(intersections)
        assert smallest_cells(intersections, "", None) == cells
        assert repr(smallest_cells(intersections, "", None)) == repr(cells)
        for order in (cells, cells[::-1], random.Random(len(cells)).sample(cells, len(cells))):
            ours = fast.cells_to_tables(order)
            assert ours == plumbers_cells_to_tables(order)
            assert repr(ours) == repr(plumbers_cells_to_tables(order))
        tables += len(fast.cells_to_tables(cells))
    assert tables or all(not page.rects and not page.lines for page in pages)


def test_page_functions_as_before(pages: list) -> None:
    """The cell texts with the centres shared by a page's tables, and the lines outside the
    tables, as the plain versions give them."""
    for page in pages:
        tables = [t for t in page.find_tables() if t is not None]
        centres = layout.CharCentres(page.chars)
        for table in tables:
            assert layout.extract_table(table, None, centres) == table.extract()
        lines = fast.extract_text_lines(page.chars)
        boxes = [cell for t in tables for cell in t.cells]
        plain = [
            line for line in lines
            if not any(x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= (line["top"] + line["bottom"]) / 2 <= bottom for x0, top, x1, bottom in boxes)
        ]
        assert [id(line) for line in layout._outside(lines, tables)] == [id(line) for line in plain]


def _grid(rng: random.Random) -> list[tuple[float, float, float, float]]:
    """Up to four ruled grids with cells missing (merged), some touching at a corner."""
    cells = []
    for _grid_number in range(rng.randint(1, 4)):
        ox, oy = rng.choice([0, 100, 200, 300]), rng.choice([0, 100, 200, 300])
        xs = sorted(rng.sample(range(0, 100, 10), rng.randint(2, 6)))
        ys = sorted(rng.sample(range(0, 100, 10), rng.randint(2, 6)))
        for a, b in zip(xs, xs[1:], strict=False):
            for c, d in zip(ys, ys[1:], strict=False):
                if rng.random() < 0.8:
                    cells.append((float(ox + a), float(oy + c), float(ox + b), float(oy + d)))
    return list(dict.fromkeys(cells))


def test_cells_to_tables_in_any_order() -> None:
    rng = random.Random(14)
    for _trial in range(500):
        cells = _grid(rng)
        rng.shuffle(cells)  # pdfplumber's sweeps then add the cells of a table over several rounds
        assert fast.cells_to_tables(cells) == plumbers_cells_to_tables(cells)


def test_cells_to_tables_odd_lists() -> None:
    """A cell listed twice, a NaN corner, no cells, one cell: pdfplumber's answers."""
    grid = [(0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0), (0.0, 10.0, 10.0, 20.0)]
    for cells in (grid + grid[:1], [*grid, (math.nan, 0.0, 5.0, 5.0)], [], grid[:1]):
        assert fast.cells_to_tables(cells) == plumbers_cells_to_tables(cells)


def test_smallest_cells_bounded() -> None:
    """The search still stops at ``max_steps``, counting as before."""
    intersections = _intersections(_pages(SAMPLES[0])[0])
    if not intersections:
        pytest.skip("no ruling on the sample page")
    with pytest.raises(ExtractionError, match="too tangled"):
        smallest_cells(intersections, "x.pdf", 1, max_steps=1)


class _Cells:
    """What ``_outside`` reads of a table: its cells."""

    def __init__(self, cells: list[tuple[float, float, float, float]]) -> None:
        self.cells = cells


def test_lines_outside_on_band_borders() -> None:
    """Cells spanning several 16 pt bands, above the page (negative tops), a line whose
    centre lies exactly on a cell's border or a band's border, a line at infinity: the lines
    kept are those the plain test of every cell keeps."""
    cells = [(10.0, 0.0, 100.0, 32.0), (100.0, 32.0, 200.0, 96.0), (10.0, -20.0, 50.0, -4.0), (300.0, 15.999, 310.0, 16.0)]
    lines = []
    for x in (5.0, 10.0, 55.0, 100.0, 150.0, 200.0, 305.0, 400.0, math.inf, math.nan):
        for y in (-30.0, -20.0, -4.0, 0.0, 16.0, 15.9995, 31.0, 32.0, 64.0, 96.0, 96.5, math.inf, math.nan):
            lines.append({"x0": x - 1.0, "x1": x + 1.0, "top": y - 0.5, "bottom": y + 0.5})
    tables = [_Cells(cells[:2]), _Cells(cells[2:])]
    plain = [
        line for line in lines
        if not any(x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= (line["top"] + line["bottom"]) / 2 <= bottom for x0, top, x1, bottom in cells)
    ]
    kept = layout._outside(lines, tables)  # type: ignore[arg-type]
    assert [id(line) for line in kept] == [id(line) for line in plain]
    assert len(plain) < len(lines)  # some lines were inside cells
    nan_cells = [_Cells([(0.0, math.nan, 10.0, 20.0)])]
    assert [id(line) for line in layout._outside(lines, nan_cells)] == [id(line) for line in lines]  # type: ignore[arg-type]
