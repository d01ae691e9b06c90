"""PDFium's text objects aligned with the content's operators (yusuan/extract/pdfium_aligned.py,
issue 14): pages the PDFium reader used to hand to pdfminer, now read by PDFium where the
operators prove every character, and still handed over where they do not.

Real pages: 西安市民政局 2021 p.56 (two SimSun dictionaries not embedded that differ, told
apart by the operators; an embedded SimSun subset's ideographic space missing from the text
page), 江苏省检察院 2018 p.5 (Word's TJ adjustments: gaps the geometry does not prove, every
character checked against its operator's code), 重庆市经信委 2026 p.28 (a ``(  )Tj`` of two
spaces of which the text page keeps one: handed over). The reference is pdfplumber's reading
of the same page, character by character.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from yusuan.extract import pdf
from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_aligned import NotProved, same_as_operators
from yusuan.extract.pdfium_fonts import DictFonts

FIXTURES = Path(__file__).parents[1] / "fixtures"
XIAN = FIXTURES / "corpus-wide-pages" / "xa-minzheng-2021-bmys-p56.pdf"
CHONGQING = FIXTURES / "corpus-wide-pages" / "cq-jingxin-2026-bmys-p28.pdf"
JIANGSU = FIXTURES / "corpus" / "09_js-jianchayuan-2018-bmys" / "bmys.pdf"


@pytest.fixture(autouse=True)
def clip_paths_left_to_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests compare the PDFium reader's characters with pdfminer's, which applies no
    clip path: the clip rule (pdfium_clip, the characters a clip path hides are dropped) is
    turned off, which leaves the reader as it was before it."""
    monkeypatch.setattr(pdfium_reader, "exceeds_clip", lambda handle: None)


def _key(char: dict) -> tuple:
    return (char["text"], char["fontname"], char["upright"], char["x0"], char["x1"], char["top"], char["bottom"], char["size"])


def _same(ours: list[dict], theirs: list[dict]) -> None:
    assert len(ours) == len(theirs)
    for mine, plumber in zip(map(_key, ours), map(_key, theirs), strict=True):
        assert mine[:3] == plumber[:3], (mine, plumber)
        assert all(abs(x - y) <= 1e-3 for x, y in zip(mine[3:], plumber[3:], strict=True)), (mine, plumber)


def _plumber_chars(path: Path, number: int) -> list[dict]:
    with pdfplumber.open(path) as reference:
        page = reference.pages[number - 1]
        pdf.normalize_media_box(page)
        pdf.fix_glyph_boxes(page)  # as the reader makes PDFium's characters (PdfiumPage._char)
        return list(page.chars)


@pytest.fixture
def opened():
    handles: list = []

    def open_page(path: Path, number: int):
        document, fonts = pdfium.PdfDocument(path), DictFonts(path)
        handles.append((document, fonts))
        return pdfium_reader.PdfiumPage(document, number, 0.0, fonts), fonts

    yield open_page
    for document, fonts in handles:
        fonts.close()
        document.close()


def test_two_dictionaries_of_one_name_are_told_apart_by_the_operators(opened):
    page, fonts = opened(XIAN, 1)
    simsun = [f for f in fonts.page_fonts(1) if not f.embedded and b"SimSun" in f.names]
    assert len(simsun) == 2 and fonts.match(1, b"SimSun") is None, "the page's two SimSun dictionaries differ"
    told = {id(d.font) for d in page._content_font_keys.values()}
    assert {id(f.font) for f in simsun} <= told, "each SimSun dictionary stands for a PDFium font of its own"
    assert any(c["text"] == "\u3000" for c in page.chars), "the ideographic space missing from the text page is read"
    _same(page.chars, _plumber_chars(XIAN, 1))


def test_gaps_the_geometry_does_not_prove_are_proved_by_the_operators(opened, monkeypatch):
    page, _fonts = opened(JIANGSU, 5)
    _same(page.chars, _plumber_chars(JIANGSU, 5))
    # without the operators' proof the page goes to pdfminer, as before
    monkeypatch.setattr(pdfium_reader.PdfiumPage, "_same_as_operators", lambda self, by_object, ctm: False)
    with pytest.raises(pdfium_reader.PageNeedsPdfminer):
        opened(JIANGSU, 5)


def test_a_space_the_text_page_left_out_after_a_space_is_put_back_from_the_operator(opened, monkeypatch):
    page, _fonts = opened(CHONGQING, 1)
    _same(page.chars, _plumber_chars(CHONGQING, 1))
    # the geometry alone does not see it (the object's bounds end where the second space
    # starts): without the operators the page would lose the space
    monkeypatch.setattr(pdfium_reader.PdfiumPage, "_same_as_operators", lambda self, by_object, ctm: True)
    blind, _fonts = opened(CHONGQING, 1)
    assert len(blind.chars) == len(page.chars) - 1


def test_a_space_left_out_is_placed_as_pdfminer_places_it(opened):
    page, _fonts = opened(CHONGQING, 1)
    aligned = page._aligned
    assert isinstance(aligned, dict)
    read = _read_from_trace(page)
    left_out = same_as_operators(aligned, {a: chars for a, chars in read.items()})
    ((address, (space,)),) = left_out.items()
    assert [c[0] for c in read[address]] == [" "] and space.after == 1
    theirs = [c for c in _plumber_chars(CHONGQING, 1) if c["text"] == " " and abs(c["x0"] - read[address][0][4]) < 20]
    assert len(theirs) == 2, "pdfminer reads the operator's two spaces"
    x0 = min(theirs, key=lambda c: c["x0"])["x0"] + space.advance * read[address][0][6]  # the second starts where the first ends
    assert abs(max(c["x0"] for c in theirs) - x0) <= 1e-3
    assert abs(space.x - read[address][0][4] - space.advance * read[address][0][6]) <= 1e-3


def _read_from_trace(page) -> dict[int, list[tuple]]:
    """What the reader hands same_as_operators, from a page read (its PDFium handles closed);
    the texts from the characters made, which are the text page's where nothing was put back
    in the middle of an object (the pages of these tests)."""
    read: dict[int, list[tuple]] = {}
    for address, x, y, advance, linear, size, _space, _object, _index in page._trace:
        font = page._text_objects[address][0]
        found = read.setdefault(address, [])
        text = page._chars_of[address][len(found)]["text"] if address in page._chars_of else ""
        found.append((text, size, advance, page._descent(font, size), x, y, linear[0], linear[1]))
    return read


def test_a_character_that_is_not_its_operators_is_not_proved(opened):
    page, _fonts = opened(XIAN, 1)
    aligned = page._aligned  # made while the page was read (its PDFium handles are closed now)
    assert isinstance(aligned, dict)
    read = _read_from_trace(page)
    assert same_as_operators(aligned, read) == {}, "no character of this page's objects is left out"
    address = next(iter(read))
    first = read[address][0]
    for changed in ((first[0] + "x", *first[1:]), (first[0], first[1], first[2] + 0.01, *first[3:]), (*first[:3], first[3] - 0.01, *first[4:])):
        with pytest.raises(NotProved):
            same_as_operators(aligned, {**read, address: [changed, *read[address][1:]]})
    with pytest.raises(NotProved):  # a character the operator does not show
        same_as_operators(aligned, {**read, address: read[address] + read[address][:1]})
