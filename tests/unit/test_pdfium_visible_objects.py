"""The crop of a PDFium page's objects made as the page is made (``PdfiumPage.visible_objects``)
and handed to ``pdf.visible_part``: the same objects of every kind, by identity and in order,
as ``within_bbox`` of the page's lists when the layout crops them, on every fixture page (and
a corpus file with text off a page), with the C loops and with the Python ones; only the
page's own lists taken; and the same blocks and hidden counts for whole files either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from layout_sample_pages import FIXTURES, SAMPLES, pdfium_pages

from yusuan.core.hashing import sha256_of
from yusuan.extract import pdf as layout
from yusuan.extract import pdfium
from yusuan.extract.plumber_equivalents import within_bbox

RECTS_OFF_THE_PAGE = FIXTURES / "corpus" / "01_js-renda-2017-bmys" / "bmys.pdf"  # its page 11: 26 rects off the page
OFF_THE_PAGE = FIXTURES / "corpus" / "15_sh-putuo-zhengfuban-2025-dwys" / "dwys.pdf"  # its page 4: 125 characters off the page


@pytest.fixture(autouse=True)
def clip_paths_left_to_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests compare the PDFium reader's characters with pdfminer's, which applies no
    clip path: the clip rule (pdfium_clip, the characters a clip path hides are dropped) is
    turned off, which leaves the reader as it was before it."""
    monkeypatch.setattr(pdfium, "exceeds_clip", lambda handle: None)


def _ids(objects: list) -> list[int]:
    return [id(obj) for obj in objects]


@pytest.mark.parametrize("native", ["1", "0"])
@pytest.mark.parametrize("path", [*SAMPLES, OFF_THE_PAGE, RECTS_OFF_THE_PAGE], ids=lambda p: p.stem)
def test_the_early_crop_is_the_layouts_crop(path: Path, native: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_NATIVE", native)
    for page in pdfium_pages(path):
        early = page.visible_objects
        assert early is not None and list(early) == list(page.objects)
        for kind, objects in page.objects.items():
            assert _ids(early[kind]) == _ids(within_bbox(objects, page.bbox)), kind
        visible = layout.visible_part(page, early)
        plain = layout.visible_part(page)
        assert list(visible.objects) == list(plain.objects)
        for kind in page.objects:
            assert visible.objects[kind] is early[kind]
            assert _ids(visible.objects[kind]) == _ids(plain.objects[kind]), kind


def test_a_page_with_text_off_it_hides_the_same_characters() -> None:
    pages = pdfium_pages(OFF_THE_PAGE, every=True)
    hidden = [len(page.chars) - len(page.visible_objects["char"]) for page in pages]
    assert any(hidden)  # the fixture the test needs: characters outside the page's box
    for page in pages:
        assert _ids(layout.visible_part(page, page.visible_objects).chars) == _ids(layout.visible_part(page).chars)


def test_a_page_with_rects_off_it_hides_the_same_rects() -> None:
    pages = pdfium_pages(RECTS_OFF_THE_PAGE, every=True)  # page 11 is not among the swept pages
    assert any(len(page.rects) > len(page.visible_objects["rect"]) for page in pages)  # the fixture the test needs
    for page in pages:
        visible, plain = layout.visible_part(page, page.visible_objects), layout.visible_part(page)
        assert _ids(visible.rects) == _ids(plain.rects) and _ids(visible.chars) == _ids(plain.chars)


def test_only_the_pages_own_lists_are_taken() -> None:
    page = pdfium_pages(OFF_THE_PAGE)[0]
    other = list(page.chars)  # equal, not the same list: cropped anew
    visible = layout.visible_part(page, {"char": []})
    assert visible._crop_fn(other) == within_bbox(other, page.bbox)
    assert visible.chars == []  # the page's own list: the reader's crop, whatever it holds
    assert visible.rects == within_bbox(page.rects, page.bbox)  # a kind not given: cropped


def test_none_where_a_later_pass_moves_the_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfium.PdfiumPage, "glyph_ascent", None)
    monkeypatch.setattr(pdfium.PdfiumPage, "glyph_boxes_fixed", False)
    pages = pdfium_pages(OFF_THE_PAGE)  # fix_glyph_boxes moved their boxes after the reader
    assert pages and all(page.visible_objects is None for page in pages)


def _blocks(path: Path) -> Any:
    from yusuan.core.model import SourceFile

    found = pdfium.pdf_to_blocks(SourceFile(path, "full", sha256_of(path)))
    return repr(found.blocks), dict(found.hidden_chars), list(found.blank_pages), list(found.pages_without_text)


@pytest.mark.parametrize("path", [OFF_THE_PAGE, RECTS_OFF_THE_PAGE, *SAMPLES[-2:]], ids=lambda p: p.stem)
def test_whole_files_read_the_same_without_the_early_crop(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    early = _blocks(path)
    crop = layout.visible_part
    monkeypatch.setattr(layout, "visible_part", lambda page, visible_objects=None: crop(page))  # the layout crops
    assert _blocks(path) == early
