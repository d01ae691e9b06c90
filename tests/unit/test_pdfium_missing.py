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
from yusuan.extract.pdfium_content import Show
from yusuan.extract.pdfium_fonts import DictFonts
from yusuan.extract.pdfium_missing import NotProved, glyphs, page_shows, text_object_addresses

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
NARRATIVE_2018 = CORPUS / "05_js-shengweiban-2018-bmys" / "narrative.pdf"
NARRATIVE_2017 = CORPUS / "04_js-shengweiban-2017-bmys" / "narrative.pdf"
JIANCHAYUAN_2018 = CORPUS / "09_js-jianchayuan-2018-bmys" / "bmys.pdf"
GAOYUAN_2017 = CORPUS / "10_js-gaoyuan-2017-bmys" / "bmys.pdf"


@pytest.fixture(autouse=True)
def clip_paths_left_to_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests compare the PDFium reader's characters with pdfminer's, which applies no
    clip path: the clip rule (pdfium_clip, the characters a clip path hides are dropped) is
    turned off, which leaves the reader as it was before it."""
    monkeypatch.setattr(pdfium_reader, "exceeds_clip", lambda handle: None)


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


def test_a_space_placed_by_the_character_spacing_before_it_is_read_as_pdfminer_reads_it():
    """2017 p.9: ``<...>Tj /TT0 1 Tf 0 Tc ( )Tj`` after ``-0.0007 Tc``: PDFium places the space
    after the CID string's last Tc, pdfminer adds Tc between characters only (0.011 pt
    apart): the space is placed that far back from PDFium's origin."""
    page = _read(NARRATIVE_2017, 9)
    assert page._missing
    assert _same_as_plumber(NARRATIVE_2017, 9, page)


def test_a_page_with_spaces_put_back_from_geometry_stays_with_pdfminer():
    """2018 p.3: ``[<...0003>-500<...>]TJ`` in SimHei: a kept space then a TJ adjustment of
    exactly a space's width, which pdfium_spaces would count as a left-out space; pdfminer
    reads none."""
    with pytest.raises(pdfium_reader.PageNeedsPdfminer):
        _read(NARRATIVE_2018, 3)


def _same_as_plumber(path: Path, number: int, page) -> bool:
    ours, theirs = _chars(page), _plumber(path, number)
    return len(ours) == len(theirs) and all(
        mine[:2] == plumber[:2] and all(abs(x - y) <= 1e-3 for x, y in zip(mine[2:], plumber[2:], strict=True)) for mine, plumber in zip(ours, theirs, strict=True)
    )


@pytest.mark.parametrize(
    ("path", "number"),
    [
        (JIANCHAYUAN_2018, 23),  # lone spaces slanted by their matrix (1, 0, 0.333, 1): an italic
        (GAOYUAN_2017, 11),  # Word's runs of spaces in one TJ, with Tc and TJ numbers
        (GAOYUAN_2017, 17),  # runs of spaces, and slanted lone spaces
    ],
)
def test_missing_runs_and_slanted_objects_are_read_as_pdfminer_reads_them(path, number):
    page = _read(path, number)
    assert page._missing
    assert _same_as_plumber(path, number, page)


def test_spaces_the_text_page_left_out_on_a_page_of_missing_runs_are_put_back(monkeypatch):
    """GAOYUAN_2017 p.11: an object of 74 spaces of which the text page keeps the first, on a
    page whose missing runs are read from the content: without the operators' check the page
    would lose 73 spaces."""
    assert _same_as_plumber(GAOYUAN_2017, 11, _read(GAOYUAN_2017, 11))
    monkeypatch.setattr(pdfium_reader.PdfiumPage, "_put_back_from_operators", lambda self, aligned: None)
    assert not _same_as_plumber(GAOYUAN_2017, 11, _read(GAOYUAN_2017, 11))


def test_a_slanted_box_is_pdfminers_box_around_four_corners():
    from pdfminer.utils import apply_matrix_rect

    linear, origin, descent, size, advance = (1.0, 0.0, 0.333, 1.0), (244.25, 504.67), -2.5, 15.96, 7.98
    expected = apply_matrix_rect((*linear, *origin), (0, descent, advance, descent + size))
    assert pdfium_reader.text_space_box(linear, origin, descent, size, advance) == pytest.approx(expected, abs=1e-9)
    turned = (0.0, 1.0, -1.0, 0.0)
    assert pdfium_reader.text_space_box(turned, origin, descent, size, advance) == pytest.approx(apply_matrix_rect((*turned, *origin), (0, descent, advance, descent + size)), abs=1e-9)


class _OneByteFont:
    """A font of one-byte codes, each 500 thousandths wide, mapping codes to Latin-1."""

    fontname = "F"
    multibyte = False

    class font:  # noqa: N801 - stands for pdfminer's font object
        @staticmethod
        def decode(data: bytes) -> list[int]:
            return list(data)

        @staticmethod
        def to_unichr(cid: int) -> str:
            return chr(cid)

        @staticmethod
        def char_width(cid: int) -> float:
            return 0.5

        @staticmethod
        def is_vertical() -> bool:
            return False

    @staticmethod
    def descent() -> float:
        return -0.2


def _show(items: tuple, char_space: float = 0.0, word_space: float = 0.0, leading: bool = False, carried: float = 0.0) -> Show:
    strings = tuple(item for item in items if isinstance(item, bytes) and item)
    return Show("F", None, 10.0, strings, any(isinstance(i, float) for i in items), 100.0, char_space, word_space, carried, leading, items)


def test_glyphs_are_placed_by_pdfminers_steps():
    # ( ) 5 px advance, Tc 0.5 between characters, Tw 1 after a space, TJ -100: 1 pt further
    found = glyphs(_OneByteFont(), _show((b"  ", -100.0, b"a"), char_space=0.5, word_space=1.0))  # type: ignore[arg-type]
    assert [g.text for g in found] == [" ", " ", "a"]
    assert [g.offset for g in found] == pytest.approx([0.0, 5.0 + 1.0 + 0.5, 2 * (5.0 + 1.0 + 0.5) + 1.0])
    # a TJ's opening number is in PDFium's origin already
    assert glyphs(_OneByteFont(), _show((-300.0, b"ab"), leading=True))[1].offset == pytest.approx(5.0)  # type: ignore[arg-type]


def test_glyphs_after_a_character_spacing_are_placed_as_pdfminer_places_them():
    # the operator before added Tc 0.2 after its last character (PDFium): pdfminer did not
    assert glyphs(_OneByteFont(), _show((b" ",), carried=0.2))[0].offset == pytest.approx(-0.2)  # type: ignore[arg-type]
    # pdfminer adds Tc after a TJ's opening number, PDFium's origin does not have it
    assert glyphs(_OneByteFont(), _show((-300.0, b" "), char_space=0.1, leading=True))[0].offset == pytest.approx(0.1)  # type: ignore[arg-type]


def test_glyphs_placed_otherwise_by_pdfminer_are_refused():
    with pytest.raises(NotProved):
        glyphs(_OneByteFont(), _show((b"", -300.0, b" ")))  # type: ignore[arg-type]
