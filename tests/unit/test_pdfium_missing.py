"""Text objects of a font not embedded that PDFium's text page leaves out, read from the
page's content (yusuan/extract/pdfium_missing.py, issue 14).

Real pages of the test corpus (江苏省委办公厅 2018, narrative.pdf): TimesNewRomanPSMT is not
embedded, and every ``( )Tj`` of it, a lone space, draws a glyph of no width, which PDFium's
text page leaves out. They were handed to pdfminer; they are now read by PDFium, the spaces
from the content, and must give pdfplumber's characters one by one. Pages where the content
does not prove them stay with pdfminer.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from yusuan.extract import pdf
from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_fonts import DictFonts
from yusuan.extract.pdfium_missing import page_shows, text_object_addresses

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
NARRATIVE_2018 = CORPUS / "05_js-shengweiban-2018-bmys" / "narrative.pdf"
NARRATIVE_2017 = CORPUS / "04_js-shengweiban-2017-bmys" / "narrative.pdf"


def _chars(page) -> list[tuple]:
    return [(c["text"], c["fontname"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars]


def _read(path: Path, number: int):
    document = pdfium.PdfDocument(path)
    fonts = DictFonts(path)
    try:
        return pdfium_reader.PdfiumPage(document, number, 0.0, fonts)
    finally:
        fonts.close()
        document.close()


def _plumber(path: Path, number: int) -> list[tuple]:
    with pdfplumber.open(path) as reference:
        expected = reference.pages[number - 1]
        pdf.normalize_media_box(expected)
        return _chars(expected)


@pytest.mark.parametrize(("path", "number"), [(NARRATIVE_2018, 7), (NARRATIVE_2018, 11), (NARRATIVE_2017, 13)])
def test_missing_lone_spaces_are_read_from_the_content_as_pdfminer_reads_them(path, number):
    page = _read(path, number)
    assert page._missing, "the page has text objects missing from the text page"
    ours, theirs = _chars(page), _plumber(path, number)
    assert len(ours) == len(theirs)
    for mine, plumber in zip(ours, theirs, strict=True):
        assert mine[:2] == plumber[:2], (mine, plumber)
        assert all(abs(x - y) <= 1e-3 for x, y in zip(mine[2:], plumber[2:], strict=True)), (mine, plumber)
    assert sum(1 for c in ours if c[:2] == (" ", "TimesNewRomanPSMT")) >= len(page._missing)


def test_one_operator_per_text_object():
    document = pdfium.PdfDocument(NARRATIVE_2018)
    fonts = DictFonts(NARRATIVE_2018)
    try:
        for number in (3, 7):
            page = document[number - 1]
            assert len(text_object_addresses(page.raw)) == len(page_shows(fonts, number))
            page.close()
    finally:
        fonts.close()
        document.close()


def test_a_space_placed_by_the_character_spacing_before_it_stays_with_pdfminer():
    """2017 p.9: ``<...>Tj /TT0 1 Tf 0 Tc ( )Tj`` after ``-0.0007 Tc``: PDFium places the space
    after the CID string's last Tc, pdfminer adds Tc between characters only (0.011 pt
    apart)."""
    with pytest.raises(pdfium_reader.PageNeedsPdfminer):
        _read(NARRATIVE_2017, 9)


def test_a_page_with_spaces_put_back_from_geometry_stays_with_pdfminer():
    """2018 p.3: ``[<...0003>-500<...>]TJ`` in SimHei: a kept space then a TJ adjustment of
    exactly a space's width, which pdfium_spaces would count as a left-out space; pdfminer
    reads none."""
    with pytest.raises(pdfium_reader.PageNeedsPdfminer):
        _read(NARRATIVE_2018, 3)
