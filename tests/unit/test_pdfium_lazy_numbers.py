"""A Char's x0, x1 and width held as doubles, their floats made when first read
(``_pdfium_chars.set_lazy_numbers``, stop 33): the layout loops read the doubles without making
the floats, and every result is the one of Chars made with their floats (the oracle,
``set_lazy_numbers(False)``), bit for bit.

Each comparison reads its page afresh both ways: reading a Char as a dict (``dict(c)``, ``exact``)
makes its floats, after which the loops read the floats, not the doubles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from layout_sample_pages import SAMPLES, pdfium_pages
from pdfium_fixture_pdfs import PDFS, exact

from yusuan.core.model import SourceFile
from yusuan.extract import close_chars, pdfium_native, plumber_equivalents
from yusuan.extract import pdf as layout
from yusuan.extract import pdfium as reader
from yusuan.extract.layout_native import loops

pytestmark = pytest.mark.skipif(not pdfium_native.built() or loops is None, reason="the C extensions were not built")

Char: Any = pdfium_native._native.Char if pdfium_native.built() else dict


@contextmanager
def _lazy(on: bool) -> Iterator[None]:
    pdfium_native._native.set_lazy_numbers(on)
    try:
        yield
    finally:
        pdfium_native._native.set_lazy_numbers(True)


@pytest.fixture
def eager() -> Iterator[None]:
    """Chars made with their x0, x1 and width floats (the oracle) while the test runs."""
    with _lazy(False):
        yield


def _read(path: Path, lazy: bool, function: Callable[[list], Any]) -> list:
    """function on the characters of each swept page of path, the pages read afresh with lazy
    numbers or without; the results as ``exact`` values."""
    with _lazy(lazy):
        pages = [page.chars for page in pdfium_pages(path)]
    return [exact(function(chars)) for chars in pages if any(type(c) is Char for c in chars)]


def _centres(chars: list) -> tuple:
    found = layout.CharCentres(chars)
    return (found.middles, found.centres, found.order)


FUNCTIONS: dict[str, Callable[[list], Any]] = {
    "within_bbox": lambda cs: plumber_equivalents.within_bbox(cs, (0.0, 0.0, 400.0, 500.0)),
    "extract_text_lines": plumber_equivalents.extract_text_lines,
    "extract_text": plumber_equivalents.extract_text,
    "runs_with_close_chars": lambda cs: close_chars.runs_with_close_chars(cs, 1),
    "unique_chars": layout.unique_chars,
    "char_centres": _centres,
    "words": layout._words,
    "line_words": loops.line_words if loops is not None else None,
    "upright_words": lambda cs: loops.upright_words(cs) if all(c["upright"] for c in cs) else None,
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_the_layout_loops_read_the_doubles_as_the_floats(name: str) -> None:
    """Every layout function on fresh pages of lazy Chars gives what it gives on Chars made with
    their floats, bit for bit, on every sample with pages PDFium reads (the others' pages go to
    pdfminer: no Char)."""
    compared = []
    for path in SAMPLES:
        lazy = _read(path, True, FUNCTIONS[name])
        if lazy:
            assert lazy == _read(path, False, FUNCTIONS[name]), path.name
            compared.append(path.name)
    assert len(compared) >= len(SAMPLES) // 2, compared


def test_the_loops_make_no_float_they_do_not_hand_on() -> None:
    """The crop, the centres and the duplicate runs read x0 and x1 as doubles; a float, once made,
    is kept (the same object on the next reading)."""
    chars = next(chars for chars in (page.chars for page in pdfium_pages(SAMPLES[0])) if len(chars) > 20)
    assert loops.within_box(chars, (0.0, 0.0, 600.0, 900.0)) is not None
    assert loops.char_centres(chars) is not None
    assert loops.close_char_runs(chars, 1) is not None
    first, again = chars[5]["x0"], chars[5]["x0"]
    assert first is again  # made on the first reading, kept


def test_a_lazy_char_reads_as_its_eager_twin() -> None:
    """The same page read both ways: every character the same mapping, bit for bit; a value
    changed by the reader replaces the double (the loops then read the new value)."""
    path = SAMPLES[-1]
    with _lazy(False):
        eager_chars = [page.chars for page in pdfium_pages(path)]
    lazy_chars = [page.chars for page in pdfium_pages(path)]
    assert exact(lazy_chars) == exact(eager_chars)
    chars = next(chars for chars in (page.chars for page in pdfium_pages(path)) if len(chars) > 4)
    assert loops.char_centres(chars) is not None
    chars[2]["x0"] = 96
    assert loops.char_centres(chars) is None  # an int: the Python code's, as for a dict
    chars[2]["x0"] = 96.0
    assert loops.char_centres(chars) is not None
    assert chars[2]["x0"] == 96.0


@pytest.mark.parametrize("key", ["x0", "x1", "top", "bottom"])
def test_a_changed_side_is_read_as_changed(key: str) -> None:
    """A side changed after reading (pdf.fix_glyph_boxes moves top and bottom) is read by the
    loops as its new value, not as the double it was made with: the centres of lazy Chars so
    changed are those of their dicts so changed."""
    chars = next(chars for chars in (page.chars for page in pdfium_pages(SAMPLES[0])) if len(chars) > 20)
    chars = [c for c in chars if type(c) is Char][:20]
    plain = [dict(c) for c in next(cs for cs in (page.chars for page in pdfium_pages(SAMPLES[0])) if len(cs) > 20) if type(c) is Char][:20]
    for i in (3, 11):
        chars[i][key] = plain[i][key] = plain[i][key] + 7.25
    chars[5].update({key: plain[5][key] - 3.5})
    plain[5][key] -= 3.5
    assert exact(_centres(chars)) == exact(_centres(plain))
    assert exact(loops.within_box(chars, (0.0, 0.0, 400.0, 500.0))) == exact(loops.within_box(plain, (0.0, 0.0, 400.0, 500.0)))


@pytest.mark.parametrize("path", PDFS[:8], ids=lambda path: path.parent.name)
def test_a_whole_reading_gives_the_same_blocks(path: Path, eager: None) -> None:
    """pdf_to_blocks of a fixture PDF: the same blocks with floats made with the Chars (this
    fixture) and with lazy numbers."""
    source = SourceFile(path, "full", "0" * 64)
    with_floats = reader.pdf_to_blocks(source)
    pdfium_native._native.set_lazy_numbers(True)
    with_doubles = reader.pdf_to_blocks(source)
    assert with_doubles == with_floats
