"""The layout's derived pages (``pdf.visible_part``, ``pdf.dedupe_chars``) made without
pdfplumber's constructors, and ``pdf.let_go`` without ``flush_cache``: the same pages.

``visible_part`` and ``dedupe_chars`` make pdfplumber's ``CroppedPage`` and ``FilteredPage``
(subclasses of them) with the attributes ``DerivedPage.__init__`` copies, but without its
``lru_cache`` of the text map (made on first use) and its flush of a cache a new object does
not have. The oracle is pdfplumber's own construction, on every fixture page of both readers:
the same attributes, the same objects of every kind (by identity), the same text map, the
same refusal of a page of no area; and no reference cycle left once ``let_go`` ran.
"""

from __future__ import annotations

import gc

import pytest
from layout_sample_pages import SAMPLES, sample_pages
from pdfplumber.container import Container
from pdfplumber.page import CroppedPage, FilteredPage

from yusuan.extract import pdf as layout
from yusuan.extract.plumber_equivalents import within_bbox

# set by pdfplumber's constructors (the closures and caches differ by nature)
_MADE_APART = {"get_textmap", "_crop_fn", "filter_fn", "_objects"}


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def pages(request: pytest.FixtureRequest) -> list:
    return sample_pages(request.param)


def _same_objects(ours: dict, theirs: dict) -> None:
    assert list(ours) == list(theirs)
    for kind in ours:
        assert [id(o) for o in ours[kind]] == [id(o) for o in theirs[kind]], kind


def _first(pages: list) -> object:
    if not pages:
        pytest.skip("no page of this sample is read")
    return pages[0]


def _attributes(page: object) -> dict:
    return {k: v for k, v in vars(page).items() if k not in _MADE_APART}


def test_the_visible_part_is_pdfplumbers_cropped_page(pages: list) -> None:
    for page in pages:
        ours = layout.visible_part(page)
        theirs = CroppedPage(page, page.bbox, crop_fn=within_bbox)
        assert isinstance(ours, CroppedPage)
        assert _attributes(ours) == _attributes(theirs)
        assert (
            ours.bbox == theirs.bbox and ours.width == theirs.width and ours.height == theirs.height
        )
        _same_objects(ours.objects, theirs.objects)
        assert ours.extract_text() == theirs.extract_text()  # the text map, cached on first use
        assert ours.get_textmap is ours.get_textmap  # the same cache from then on
        ours.close()  # pdfplumber's close: its objects flushed, the text map's cache cleared
        theirs.close()
        assert (
            ours.get_textmap.cache_info().currsize == theirs.get_textmap.cache_info().currsize == 0
        )


def test_the_deduped_page_is_pdfplumbers_filtered_page(pages: list) -> None:
    for page in pages:
        visible = layout.visible_part(page)
        ours = layout.dedupe_chars(visible)
        theirs = FilteredPage(visible, lambda _obj: True)
        theirs._objects = dict(visible.objects)
        theirs._objects["char"] = layout.unique_chars(visible.chars)
        assert isinstance(ours, FilteredPage)
        assert _attributes(ours) == _attributes(theirs)
        _same_objects(ours.objects, theirs.objects)
        assert ours.extract_text() == theirs.extract_text()


def test_a_page_without_chars_gets_an_empty_list_as_before(pages: list) -> None:
    page = _first(pages)
    visible = layout.visible_part(page)
    visible._objects = {"rect": list(visible.rects)}  # no "char" key at all
    assert layout.dedupe_chars(visible).objects["char"] == []


def test_a_page_of_no_area_is_refused_as_cropped_page_refuses_it(pages: list) -> None:
    page = _first(pages)
    saved = page.bbox
    x0, top, _x1, bottom = saved
    page.bbox = (x0, top, x0, bottom)
    try:
        with pytest.raises(ValueError) as theirs:
            CroppedPage(page, page.bbox, crop_fn=within_bbox)
        with pytest.raises(ValueError) as ours:
            layout.visible_part(page)
    finally:
        page.bbox = saved
    assert str(ours.value) == str(theirs.value)


def test_let_go_deletes_what_flush_cache_deletes(pages: list) -> None:
    page = _first(pages)
    for flush in ("ours", "theirs"):
        part = layout.visible_part(page)
        part.edges  # noqa: B018  (fills _rect_edges, _curve_edges, _edges and _objects)
        part.extract_text()
        if flush == "ours":
            layout.let_go(part)
        else:
            part.flush_cache()
            del part.__dict__["get_textmap"]
        assert not set(Container.cached_properties) & set(vars(part))
        assert "get_textmap" not in vars(part)


def test_pages_let_go_leave_no_cycle(pages: list) -> None:
    """Read as the reader reads (its text map used or not), then let go: nothing for the
    collector (pdfplumber's constructors made a cycle through the text map's cache)."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for page in pages[:3]:
            for use_the_text_map in (False, True):
                visible = layout.visible_part(page)
                deduped = layout.dedupe_chars(visible)
                if use_the_text_map:
                    visible.extract_text()
                    deduped.extract_text()
                layout.let_go(deduped, visible)
                del visible, deduped
        gc.collect()
        left = [
            type(o).__name__
            for o in gc.garbage
            if isinstance(o, (layout.VisiblePart, layout.DedupedPage))
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
