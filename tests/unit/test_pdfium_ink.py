"""A character of a font not embedded whose substitute glyph's ink reaches past its advance
(yusuan/extract/pdfium_ink.py, issue 14).

PDFium's loose box of a character is its advance box united with its ink box. On the real
page below the digits are STSongStd-Light, not embedded (UniGB-UCS2-H): ``/W`` gives a digit
462/1000 em, the substitute draws it wider, and the loose box spans the ink. The page was
handed to pdfminer ("PDFium's advance ... is not its dictionary's"); it is now read by PDFium
and must give pdfplumber's characters one by one.

- yt-xinfang-2026-bmys-p4.pdf (烟台市信访局 p.4): narrative, `1. 烟台市信访局 2. 烟台市信访事务
  服务中心`, page number `—3—`.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from yusuan.extract import pdf
from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_fonts import DictFonts
from yusuan.extract.pdfium_ink import advance_within_ink

PAGE = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages" / "yt-xinfang-2026-bmys-p4.pdf"


def _chars(page) -> list[tuple]:
    return [(c["text"], c["fontname"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars]


def test_digits_whose_ink_reaches_past_the_advance_are_read_as_pdfminer_reads_them(monkeypatch):
    decided = []
    original = pdfium_reader.PdfiumPage._ink_reaches_past

    def spy(self, *args):
        result = original(self, *args)
        decided.append((args[1], result))
        return result

    monkeypatch.setattr(pdfium_reader.PdfiumPage, "_ink_reaches_past", spy)
    document = pdfium.PdfDocument(PAGE)
    fonts = DictFonts(PAGE)
    try:
        page = pdfium_reader.PdfiumPage(document, 1, 0.0, fonts)  # handed over before
        ours = _chars(page)
    finally:
        fonts.close()
        document.close()
    assert page._substituted
    assert ("3", True) in decided  # the page number's digit: its loose box spans the ink
    with pdfplumber.open(PAGE) as reference:
        expected = reference.pages[0]
        pdf.normalize_media_box(expected)
        theirs = _chars(expected)
    assert len(ours) == len(theirs)
    for mine, plumber in zip(ours, theirs, strict=True):
        assert mine[:2] == plumber[:2], (mine, plumber)
        assert all(abs(x - y) <= 1e-3 for x, y in zip(mine[2:], plumber[2:], strict=True)), (mine, plumber)
    three = [c for c in ours if c[0] == "3"]
    assert three and all(c[1] == "STSongStd-Light" for c in three)


# a glyph at x = 100, a = 1 (upright), advance 4.158 (0.462 em at 9 pt)
@pytest.mark.parametrize(
    ("loose", "ink", "expected"),
    [
        ((100.0, 104.266), (100.4, 104.266), True),  # the ink reaches past the advance: the loose box is the union
        ((100.0, 104.158), (100.4, 103.9), False),  # the ink inside: the loose box spans the advance (the plain check decides)
        ((100.0, 104.5), (100.4, 104.266), False),  # the loose box is not the union of the two
        ((99.5, 104.266), (100.4, 104.266), False),  # its left side is neither the origin nor the ink's
        ((99.8, 104.266), (99.8, 104.266), True),  # ink on both sides
    ],
)
def test_the_loose_box_is_the_advance_box_united_with_the_ink(loose, ink, expected):
    assert advance_within_ink(100.0, 1.0, 4.158, loose, ink) is expected


def test_a_glyph_drawn_right_to_left_is_measured_from_its_left_end():
    # a = -1: the advance box runs from 95.842 to 100; the ink reaches further left
    assert advance_within_ink(100.0, -1.0, 4.158, (95.7, 100.0), (95.7, 99.6)) is True
    assert advance_within_ink(100.0, -1.0, 4.158, (95.842, 100.0), (96.0, 99.6)) is False
