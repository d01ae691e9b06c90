"""Gaps between the characters PDFium's text page gives, proved to hide nothing or a counted
run of spaces (yusuan/extract/pdfium_spaces.py, issue 14).

Two real pages, read before by pdfminer because a gap in a text object could hide a
character PDFium's text page left out, are now read by PDFium and must give pdfplumber's
characters, one by one:

- cq-shangwu-2026-bmys-p16-p17.pdf (表五, a page with a font not embedded): gaps after a
  digit where PDFium generated a space for a TJ adjustment, at the next digit's origin;
- yt-xinfang-2026-bmys-p12.pdf (公开表4 turned a quarter): headers spaced out with runs of
  spaces (``本  年  收  入  合  计``) in an embedded SimSun of two-byte codes, of which the
  text page keeps only the first space of each run.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from yusuan.extract import pdf
from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_fonts import DictFonts
from yusuan.extract.pdfium_spaces import gap_is_spacing, spaces_after

PAGES = Path(__file__).parents[1] / "fixtures" / "corpus-wide-pages"
SHANGWU = PAGES / "cq-shangwu-2026-bmys-p16-p17.pdf"
YANTAI_SPACED = PAGES / "yt-xinfang-2026-bmys-p12.pdf"


def _chars(page) -> list[tuple]:
    return [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars]


def _read_both(path: Path, number: int) -> tuple[pdfium_reader.PdfiumPage, list[tuple], list[tuple]]:
    document = pdfium.PdfDocument(path)
    fonts = DictFonts(path)
    try:
        page = pdfium_reader.PdfiumPage(document, number, 0.0, fonts)
        ours = _chars(page)
    finally:
        fonts.close()
        document.close()
    with pdfplumber.open(path) as reference:
        expected = reference.pages[number - 1]
        pdf.normalize_media_box(expected)
        pdf.fix_glyph_boxes(expected)  # as the reader makes PDFium's characters (PdfiumPage._char)
        return page, ours, _chars(expected)


def _assert_same(ours: list[tuple], theirs: list[tuple]) -> None:
    """Text equal, positions within 1/1,000 pt (benchmarks/pdfium_handover.py --compare)."""
    assert len(ours) == len(theirs)
    for mine, plumber in zip(ours, theirs, strict=True):
        assert mine[0] == plumber[0], (mine, plumber)
        assert all(abs(x - y) <= 1e-3 for x, y in zip(mine[1:], plumber[1:], strict=True)), (mine, plumber)


@pytest.mark.parametrize("number", [1, 2])
def test_a_gap_behind_a_space_pdfium_generated_is_read_as_spacing(number):
    page, ours, theirs = _read_both(SHANGWU, number)
    assert page._substituted, "the page has a font not embedded"
    assert not page._put_back
    _assert_same(ours, theirs)


def test_spaces_the_text_page_left_out_are_put_back_as_pdfminer_reads_them():
    page, ours, theirs = _read_both(YANTAI_SPACED, 1)
    assert page._substituted
    assert sum(found.count for found in page._put_back) == 31  # pdfminer reads 235 characters, PDFium's text page 204
    _assert_same(ours, theirs)
    text = "".join(c[0] for c in ours)
    assert "本  年  收  入  合  计" in text


# a trace entry (pdfium.Traced): object address, origin x, y, advance at its size, glyph
# matrix, size, a space, the text object, index in the text page
UPRIGHT = (1.0, 0.0, 0.0, 1.0)


def _entry(x: float, advance: float, space: bool, index: int, address: int = 7) -> tuple:
    return (address, x, 100.0, advance, UPRIGHT, 9.4, space, None, index)


def _header(tc: float = 0.0) -> list[tuple]:
    """``本`` ``␣`` (one of two spaces kept) ``年``, a 9.4 pt font of 1 em ideographs and
    half-em spaces, character spacing ``tc``."""
    return [_entry(10.0, 9.4, False, 0), _entry(19.4 + tc, 4.7, True, 1), _entry(19.4 + tc + 2 * (4.7 + tc), 9.4, False, 2)]


def test_a_run_of_spaces_is_counted_from_the_step_of_the_object():
    found = spaces_after(_header(), 1, tw_not_applied=True)
    assert found is not None and (found.at, found.count) == (1, 1)
    assert found.step == pytest.approx((4.7, 0.0))


def test_the_character_spacing_is_part_of_the_step():
    found = spaces_after(_header(tc=0.3), 1, tw_not_applied=True)
    assert found is not None and found.count == 1
    assert found.step == pytest.approx((5.0, 0.0))


def test_the_word_spacing_must_be_proved_zero():
    trace = _header()
    assert spaces_after(trace, 1, tw_not_applied=False) is None
    # a kept space of the object followed by its neighbour one step on proves Tw = 0
    confirmed = [*trace, _entry(trace[-1][1] + 9.4, 4.7, True, 3), _entry(trace[-1][1] + 9.4 + 4.7, 9.4, False, 4)]
    found = spaces_after(confirmed, 1, tw_not_applied=False)
    assert found is not None and found.count == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda t: [t[0], t[1], (*t[2][:1], t[2][1] + 0.5, *t[2][2:])],  # not a whole multiple of the step
        lambda t: [(*t[0][:1], t[0][1] - 0.2, *t[0][2:]), t[1], t[2]],  # a TJ adjustment before the space: Tc not known
        lambda t: [t[0], t[1], (*t[2][:8], 5)],  # something stands between them in the text page
        lambda t: [t[0], t[1], (*t[2][:2], 101.0, *t[2][3:])],  # not on the baseline
        lambda t: [t[1], (*t[2][:8], 2)],  # no other neighbours to give the character spacing
    ],
)
def test_a_run_that_is_not_proved_is_not_counted(change):
    trace = change(_header())
    assert spaces_after(trace, len(trace) - 2, tw_not_applied=True) is None


@pytest.mark.parametrize(
    ("previous_index", "index", "space", "strict", "expected"),
    [
        (3, 4, False, False, True),  # neighbours in the text page: nothing between, nothing deleted
        (3, 4, True, False, False),  # after a space, deleted spaces are not told from spacing
        (3, 4, False, True, False),  # a quarter-turned glyph of a font not embedded
    ],
)
def test_a_gap_between_neighbours_after_a_character_is_spacing(previous_index, index, space, strict, expected):
    assert gap_is_spacing(None, previous_index, index, 0.0, 0.0, space, strict) is expected
