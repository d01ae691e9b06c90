"""plumber_equivalents gives pdfplumber's answers exactly, on real pages and on the odd cases.

Every function is compared with the pdfplumber function it replaces (the pinned version) on
every page of real corpus excerpts, read by both PDF readers: the same objects (the same
dicts, by identity where pdfplumber returns the page's own objects), in the same order,
with equal values and equal reprs (so 3.0 and 3 cannot pass for each other)."""

from __future__ import annotations

import random
from operator import itemgetter

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber import utils
from pdfplumber.container import Container
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.table import edges_to_intersections as plumbers_edges_to_intersections

from yusuan.extract import pdf as layout
from yusuan.extract import plumber_equivalents as fast


def _same(ours: object, theirs: object) -> None:
    assert ours == theirs
    assert repr(ours) == repr(theirs)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


def test_within_bbox(pages: list) -> None:
    for page in pages:
        for objects in page.objects.values():
            _same(fast.within_bbox(objects, page.bbox), utils.within_bbox(objects, page.bbox))
        inner = (page.bbox[0] + 100, page.bbox[1] + 100, page.bbox[2] - 100, page.bbox[3] - 100)  # objects cut by the box
        for objects in page.objects.values():
            _same(fast.within_bbox(objects, inner), utils.within_bbox(objects, inner))
        visible = layout.visible_part(page)
        assert visible.bbox == page.within_bbox(page.bbox).bbox
        for kind, objects in page.within_bbox(page.bbox).objects.items():
            assert [id(o) for o in visible.objects[kind]] == [id(o) for o in objects]


def test_unique_chars(pages: list) -> None:
    for page in pages:
        chars = page.chars
        doubled = [c for char in chars[:400] for c in (char, dict(char), {**char, "x0": char["x0"] + 0.5, "doctop": char["doctop"] + 0.5})]
        for sample in (chars, doubled, chars[:300] + chars[:50]):  # the last: objects listed twice
            assert [id(c) for c in layout.unique_chars(sample)] == [id(c) for c in utils.dedupe_chars(sample)]


def test_text_lines_and_text(pages: list) -> None:
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        _same(fast.extract_text_lines(deduped.chars), deduped.extract_text_lines(return_chars=True))
        _same(fast.extract_text(deduped.chars), utils.extract_text(deduped.chars))


def test_cell_texts(pages: list) -> None:
    cells = 0
    for page in pages:
        deduped = layout.dedupe_chars(layout.visible_part(page))
        for table in deduped.find_tables():
            for row_fast, row_plumber in zip(layout.extract_table(table), table.extract(), strict=True):
                _same(row_fast, row_plumber)
            for cell in table.cells:
                inside = [c for c in deduped.chars if cell[0] <= (c["x0"] + c["x1"]) / 2 < cell[2] and cell[1] <= (c["top"] + c["bottom"]) / 2 < cell[3]]
                _same(fast.extract_text(inside), utils.extract_text(inside))
                cells += 1
    assert cells or all(not page.rects and not page.lines for page in pages)


def test_clusters_and_crossings(pages: list) -> None:
    for page in pages:
        for key in ("top", "x0", "doctop", "x1"):
            for tolerance in (0, 1, 3):
                _same(fast.cluster_objects(page.chars, itemgetter(key), tolerance), utils.cluster_objects(page.chars, itemgetter(key), tolerance))
        finder = TableFinder.__new__(TableFinder)
        finder.page, finder.settings = page, TableSettings.resolve(None)
        edges = finder.get_edges()
        ours = fast.table_edges(page)
        _same([tuple(e[k] for k in fast.EDGE_KEYS) for e in ours], [tuple(e[k] for k in fast.EDGE_KEYS) for e in edges])
        for deduped in (layout.dedupe_chars(layout.visible_part(page)),):  # the page find_tables is given
            finder.page = deduped
            _same([tuple(e[k] for k in fast.EDGE_KEYS) for e in fast.table_edges(deduped)], [tuple(e[k] for k in fast.EDGE_KEYS) for e in finder.get_edges()])
        for tolerance in (1, 3):
            _same(fast.edges_to_intersections(edges, tolerance, tolerance), plumbers_edges_to_intersections(edges, tolerance, tolerance))


def test_table_edges_settings_are_pdfplumbers_defaults() -> None:
    settings = TableSettings.resolve(None)
    assert (settings.vertical_strategy, settings.horizontal_strategy) == ("lines", "lines")
    assert settings.snap_x_tolerance == settings.snap_y_tolerance == 3
    assert settings.join_x_tolerance == settings.join_y_tolerance == 3
    assert (settings.edge_min_length, settings.edge_min_length_prefilter) == (3, 1)


def _char(text: str, x0: float, top: float, *, upright: bool = True, size: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * 0.6, "top": top, "bottom": top + size, "doctop": top, "upright": upright, "size": size, "fontname": "F"}


def test_odd_characters_as_pdfplumber_reads_them() -> None:
    """Empty characters (a word of their own), ligatures, spaces, turned characters mixed
    with upright ones, lines 3 pt apart (one line) and 3.2 or 3.5 pt apart (two), columns of
    turned text, a character that steps back (a new word)."""
    chars = [
        _char("A", 10, 100), _char("", 16, 100), _char("B", 22, 100), _char("ﬁ", 28, 100), _char(" ", 34, 100),
        _char("C", 40, 103), _char("D", 46, 106.5), _char("E", 30, 106.5),
        _char("竖", 200, 50, upright=False), _char("排", 200, 60, upright=False), _char("字", 204, 75, upright=False),
        _char("I", 10, 200), _char("J", 40, 203.2), _char("K", 80, 206.2),
        _char("F", 10, 300, size=12.0), _char("G", 21, 300, size=12.0), _char(" ", 27, 300), _char(" ", 30, 300), _char("H", 40, 300.2),
    ]
    for sample in (chars, chars[::-1], chars[8:] + chars[:8]):
        _same(fast.extract_text_lines(sample), utils.chars_to_textmap(sample, layout_bbox=(0, 0, 600, 800)).extract_text_lines(strip=True, return_chars=True))
        _same(fast.extract_text(sample), utils.extract_text(sample))
    _same(fast.extract_text([]), utils.extract_text([]))
    _same(fast.extract_text_lines([_char(" ", 1, 1)]), utils.chars_to_textmap([_char(" ", 1, 1)], layout_bbox=(0, 0, 9, 9)).extract_text_lines())


def test_within_bbox_edges() -> None:
    """Objects on the box's border, a point, a zero-width rule, an object with a negative
    side (not within anything), one just outside."""
    box = (0.0, 0.0, 100.0, 100.0)
    objects = [
        {"x0": 0.0, "top": 0.0, "x1": 100.0, "bottom": 100.0},
        {"x0": 5.0, "top": 5.0, "x1": 5.0, "bottom": 5.0},
        {"x0": 5.0, "top": 5.0, "x1": 5.0, "bottom": 50.0},
        {"x0": 50.0, "top": 5.0, "x1": 40.0, "bottom": 50.0},
        {"x0": -0.0001, "top": 5.0, "x1": 40.0, "bottom": 50.0},
        {"x0": 1, "top": 2, "x1": 100, "bottom": 100.00001},
    ]
    _same(fast.within_bbox(objects, box), utils.within_bbox(objects, box))


class _Drawing(Container):
    """A page's drawing alone: what TableFinder.get_edges reads (lines, rects, curves)."""

    def __init__(self, objects: dict) -> None:
        self._objects = objects

    @property
    def objects(self) -> dict:
        return self._objects


def _rect(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "y0": 800 - bottom, "y1": 800 - top, "width": x1 - x0, "height": bottom - top}


def test_table_edges_with_rulings_a_hair_apart() -> None:
    """Rulings drawn at positions that are not short decimals, up to 3 pt apart (snapped to
    their mean: pdfplumber's x0 + (mean - x0) is not always the mean), overlapping and
    touching segments (joined), a diagonal line and a curve (not rulings)."""
    rng = random.Random(14)
    rects = []
    for row in range(12):
        for column in range(6):
            x, y = 50 + 80 * column + rng.uniform(-1.4, 1.4), 100 + 20 * row + rng.uniform(-1.4, 1.4)
            rects.append(_rect(x, y, x + 80 + rng.uniform(-2, 2), y + 20 + rng.uniform(-2, 2)))
    for x in (0.7978725579347312, 1.487412836619708, 0.9392740734089784, 3.539365577333748, 0.8036895044883283):
        rects.append(_rect(x, 600.0, x + 10, 610.0))  # 3.539... + (mean - 3.539...) != mean
    lines = [
        {"object_type": "line", "x0": 40.1, "x1": 560.3, "top": 99.7, "bottom": 99.7, "doctop": 99.7, "width": 520.2, "height": 0},
        {"object_type": "line", "x0": 40.1, "x1": 80.9, "top": 50.0, "bottom": 90.0, "doctop": 50.0, "width": 40.8, "height": 40.0},
        {"object_type": "line", "x0": 560.3, "x1": 560.3, "top": 99.7, "bottom": 101.2, "doctop": 99.7, "width": 0, "height": 1.5},
    ]
    curves = [{"object_type": "curve", "x0": 10, "x1": 30, "top": 10, "bottom": 30, "doctop": 10, "pts": [(10, 10), (10, 30), (30, 30), (20, 10)]}]
    drawing = _Drawing({"rect": rects, "line": lines, "curve": curves})
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = drawing, TableSettings.resolve(None)
    expected = finder.get_edges()
    assert len(expected) > 20
    _same([tuple(e[k] for k in fast.EDGE_KEYS) for e in fast.table_edges(drawing)], [tuple(e[k] for k in fast.EDGE_KEYS) for e in expected])
