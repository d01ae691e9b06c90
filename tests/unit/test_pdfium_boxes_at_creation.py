"""PDFium's characters come with their glyph boxes fixed as they are made, as ``pdf.fix_glyph_boxes`` fixed them after.

``pdf.fix_glyph_boxes`` rebuilds the box of a glyph whose font's descent puts it below its
baseline. For a ``PdfiumPage`` that is now done where each character is made
(``PdfiumPage._char`` and ``_pdfium_chars.c``'s ``placed_char``), and ``fix_glyph_boxes``
passes the page by (``glyph_boxes_fixed``): one pass over a page's characters, not two.

The oracle is the way before: the page read with ``glyph_ascent`` None (the characters as
PDFium's geometry gives them) and then fixed by ``pdf._fix_glyph_boxes``. Every page of every
fixture PDF, by the C loop and by the Python one, must give the same objects, every float the
same bits; the 重庆 pages (fonts whose descent is the whole size) must have boxes rebuilt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pdfium_fixture_pdfs import FIXTURES, PDFS, exact, read_pages

from yusuan.extract import pdf as layout
from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

REBUILT = FIXTURES / "corpus-wide-pages" / "cq-jingxin-2026-bmys-p28.pdf"


def _objects(
    path: Path, native: bool, at_creation: bool, monkeypatch: pytest.MonkeyPatch
) -> list[Any]:
    """Each page's objects, its characters' boxes fixed as they are made or (``at_creation``
    False) by pdf._fix_glyph_boxes after the page is read, as before."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")
    monkeypatch.setattr(reader.PdfiumPage, "glyph_ascent", layout.ASCENT if at_creation else None)

    def fixed(page: Any) -> Any:
        if not at_creation:
            layout._fix_glyph_boxes(page.chars, page.height, page.mediabox[1], page.initial_doctop)
        layout.fix_glyph_boxes(page)  # passes the page by: its boxes are fixed either way
        return exact(page.objects)

    return read_pages(path, 100.5, fixed)


# the C loop on every fixture PDF; the Python loop (the C one's oracle in
# test_pdfium_native.py) on the corpus pages, the 重庆 ones among them
CASES = [(path, True) for path in PDFS] + [
    (path, False) for path in PDFS if path.parent.name == "corpus-wide-pages"
]


@pytest.mark.parametrize(
    ("path", "native"),
    CASES,
    ids=lambda case: (
        str(case.relative_to(FIXTURES))
        if isinstance(case, Path)
        else ("c loop" if case else "python loop")
    ),
)
def test_boxes_fixed_as_made_are_those_fixed_after(
    path: Path, native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    assert _objects(path, native, True, monkeypatch) == _objects(path, native, False, monkeypatch)


@pytest.mark.parametrize("native", [False, True], ids=["python loop", "c loop"])
def test_the_fixtures_have_boxes_rebuilt(native: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above reaches the rebuilding: on a 重庆 page many characters' boxes
    differ from PDFium's geometry, and only their top, bottom, doctop, y0 and y1."""
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")
    fixed = read_pages(REBUILT, 100.5, lambda page: page.chars)
    monkeypatch.setattr(reader.PdfiumPage, "glyph_ascent", None)
    as_read = read_pages(REBUILT, 100.5, lambda page: page.chars)
    moved = 0
    for fixed_chars, read_chars in zip(fixed, as_read, strict=True):
        for after, before in zip(fixed_chars, read_chars, strict=True):
            changed = {key for key in after if after[key] != before[key]}
            assert changed in (set(), {"top", "bottom", "doctop", "y0", "y1"})
            moved += bool(changed)
    assert moved > 100


def test_fix_glyph_boxes_passes_only_a_page_fixed_as_made() -> None:
    """A page whose reader fixed its boxes is passed by; any other page (pdfplumber's, or
    one read with ``glyph_ascent`` None) is fixed as before."""

    class Chars:
        glyph_boxes_fixed = True
        mediabox = (0.0, 0.0, 100.0, 100.0)
        height = 100.0
        initial_doctop = 0.0
        chars = [
            {
                "matrix": (10.0, 0.0, 0.0, 10.0, 5.0, 50.0),
                "upright": True,
                "size": 10.0,
                "top": 60.0,
                "bottom": 70.0,
                "doctop": 60.0,
                "y0": 40.0,
                "y1": 30.0,
            }
        ]

    page = Chars()
    kept = dict(page.chars[0])
    layout.fix_glyph_boxes(page)  # type: ignore[arg-type]
    assert page.chars[0] == kept
    page.glyph_boxes_fixed = False
    layout.fix_glyph_boxes(page)  # type: ignore[arg-type]
    assert page.chars[0]["top"] == 50.0 - 0.8 * 10.0
    assert reader.PdfiumPage.glyph_boxes_fixed and reader.PdfiumPage.glyph_ascent == layout.ASCENT
