"""The PDFium reader on pages with a font that is not embedded (issue 14).

The fixture yt-xinfang-2026-bmys-p9-p10-p15.pdf (three pages of a real publication, see
tests/fixtures/corpus-wide-pages/NOTES.md) prints its table titles and page numbers in
STSongStd-Light, a CID font that is not embedded (Type0, /Encoding UniGB-UCS2-H, no
/ToUnicode). Its dictionary, as written in the file on every page:
/W [1 [207] 17 26 462], /DW 1000, FontDescriptor /FontName /STSongStd-Light /Descent -120.
Before, PDFium drew it with a substitute and the reader handed these pages to pdfplumber;
now they are read by PDFium with the dictionary's widths and must equal pdfplumber's.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from yusuan.core.hashing import sha256_of
from yusuan.core.model import FileExtract, Grid, SourceFile, TextLine
from yusuan.extract import pdf
from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_fonts import DictFonts, bare_name

FIXTURES = Path(__file__).parents[1] / "fixtures"
YANTAI = FIXTURES / "corpus-wide-pages" / "yt-xinfang-2026-bmys-p9-p10-p15.pdf"
# a page whose STSongStd-Light digits PDFium's substitute draws at other advances than the
# dictionary's 462: still handed over
JIANGSU_TABLES = FIXTURES / "corpus" / "05_js-shengweiban-2018-bmys" / "tables.pdf"


def test_the_dictionary_of_a_font_not_embedded_is_read_as_the_file_writes_it():
    fonts = DictFonts(YANTAI)
    try:
        for page in (1, 2, 3):
            song = fonts.match(page, b"STSongStd-Light")
            assert song is not None and song.multibyte and not song.embedded
            assert song.fontname == "STSongStd-Light"
            assert song.descent() == pytest.approx(-0.120)
            assert sorted(song.widths(" ")) == [pytest.approx(0.207)]  # CID 1
            assert sorted(song.widths("6")) == [pytest.approx(0.462)]  # CIDs 17-26: the digits
            assert sorted(song.widths("表")) == [pytest.approx(1.0)]  # /DW
            assert song.widths("\U0001f600") == frozenset()  # no code of the font maps to it
        assert fonts.match(1, b"NoSuchFont") is None
    finally:
        fonts.close()


def test_subset_prefixes_are_not_part_of_the_name():
    assert bare_name(b"ABCDEE+SimSun") == b"SimSun"
    assert bare_name(b"STSongStd-Light") == b"STSongStd-Light"


def _key(char: dict) -> tuple:
    return (char["text"], char["fontname"], *(char[k] for k in ("x0", "x1", "top", "bottom")))


def _same(a: tuple, b: tuple) -> bool:
    """Text and font name equal, positions within one unit of the 1/10,000 pt the reader
    rounds to (PDFium computes in single precision)."""
    return a[:2] == b[:2] and all(abs(x - y) <= 1.5e-4 for x, y in zip(a[2:], b[2:], strict=True))


def test_pages_with_a_font_not_embedded_are_read_by_pdfium_as_pdfplumber_reads_them():
    document = pdfium.PdfDocument(YANTAI)
    fonts = DictFonts(YANTAI)
    try:
        with pdfplumber.open(YANTAI) as reference:
            for number in range(1, len(document) + 1):
                page = pdfium_reader.PdfiumPage(document, number, 0.0, fonts)
                assert page._substituted, "the page uses STSongStd-Light (not embedded)"
                expected = reference.pages[number - 1]
                pdf.normalize_media_box(expected)
                ours = [_key(c) for c in page.chars]
                theirs = [_key(c) for c in expected.chars]
                assert any(f == "STSongStd-Light" for _t, f, *_ in ours)
                assert len(ours) == len(theirs)
                for mine, plumber in itertools.zip_longest(ours, theirs):
                    assert _same(mine, plumber), (number, mine, plumber)
    finally:
        fonts.close()
        document.close()


def _blocks(found: FileExtract) -> list:
    """The blocks of a file: text lines (text, origin, first word's x0) and grids (cells,
    row origins, column ranges), positions to 1/100 pt as tests/golden/test_golden_readers.py."""
    out: list = [(found.page_count, found.pages_without_text, found.blank_pages, found.hidden_chars)]
    for block in found.blocks:
        if isinstance(block, TextLine):
            out.append(("line", re.sub(r"\s+", "", block.text), block.origin, round(block.words[0].x0, 2) if block.words else None))
        else:
            assert isinstance(block, Grid)
            columns = [tuple(round(v, 2) for v in bounds) for bounds in block.column_bounds or []]
            out.append(("grid", [[re.sub(r"\s+", "", c) if c else c for c in row] for row in block.rows], block.row_origins, columns))
    return out


def test_the_file_gives_the_pdfplumber_readers_blocks_without_handing_a_page_over(monkeypatch):
    handed: list[int] = []
    original = pdfium_reader.PlumberPages.page
    monkeypatch.setattr(pdfium_reader.PlumberPages, "page", lambda self, number: handed.append(number) or original(self, number))
    source = SourceFile(YANTAI, "full", sha256_of(YANTAI))
    new, old = _blocks(pdfium_reader.pdf_to_blocks(source)), _blocks(pdf.pdf_to_blocks(source))
    assert handed == []
    assert len(new) > 10 and new == old


def test_a_page_whose_substitute_disagrees_with_the_dictionary_is_still_handed_over():
    document = pdfium.PdfDocument(JIANGSU_TABLES)
    fonts = DictFonts(JIANGSU_TABLES)
    try:
        with pytest.raises(pdfium_reader.PageNeedsPdfminer, match="advance"):
            pdfium_reader.PdfiumPage(document, 15, 0.0, fonts)
    finally:
        fonts.close()
        document.close()


@pytest.mark.parametrize(
    ("x", "strict", "expected"),
    [
        (10.0, False, False),  # starts where the previous ends
        (10.5, False, False),  # character spacing below a tenth of the size
        (12.0, False, True),  # a gap: a character may be missing
        (9.0, False, False),  # kerning back
        (9.0, True, True),  # quarter-turned, dictionary advance not confirmed
    ],
)
def test_a_gap_in_a_text_object_is_found(x, strict, expected):
    previous = (1, 10.0, 0.0, (1.0, 0.0), 10.0, False, None, strict)
    assert pdfium_reader.skipped(previous, 1, x, 0.0) is expected
