"""The PDFium reader's characters as C objects (``Char``, yusuan/extract/_char_object.h): a Char
reads as the dict the reader made before it (the same keys in the same order, the same values
bit for bit, pickled and copied as that dict), the layout loops read its fields as they read
the dict's, and a whole reading gives the same blocks with Chars as with dicts.

The oracle is the same C loop told to make dicts (``_pdfium_chars.set_char_objects(False)``),
itself proved against the Python loop by test_pdfium_native.py; and every layout function run
on the same characters as plain dicts."""

from __future__ import annotations

import copy
import gc
import pickle
import sys
from collections.abc import Iterator, Mapping
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


def _made_as(char_objects: bool) -> Iterator[None]:
    pdfium_native._native.set_char_objects(char_objects)
    try:
        yield
    finally:
        pdfium_native._native.set_char_objects(True)


@pytest.fixture
def dicts() -> Iterator[None]:
    """The C loop makes dicts (the oracle) while the test runs."""
    yield from _made_as(False)


def _a_char(**changes: Any) -> dict[str, Any]:
    values = {
        "object_type": "char", "text": "预", "fontname": "ABCDEF+SimSun", "size": 10.5, "upright": True,
        "matrix": (10.5, 0.0, -0.0, 10.5, 72.0, 700.25), "x0": 72.0, "y0": 699.0, "x1": 82.5, "y1": 709.5,
        "width": 10.5, "height": 10.5, "top": 132.5, "bottom": 143.0, "doctop": 1274.5, "page_number": 2,
    }
    values.update(changes)
    return values


def _pages(path: Path) -> list:
    return [page.chars for page in pdfium_pages(path)]


def test_a_page_reads_the_same_as_chars_and_as_dicts() -> None:
    """Every fixture page of the samples: the characters the C loop makes as Chars equal, key by
    key and bit for bit, the dicts it makes otherwise, in the same order; every character of
    the C loop is a Char (the Python branch's rare ones stay dicts)."""
    made = 0
    for path in SAMPLES:
        as_chars = _pages(path)
        gen = _made_as(False)
        next(gen)
        try:
            as_dicts = _pages(path)
        finally:
            next(gen, None)
        assert exact(as_chars) == exact(as_dicts), path
        for chars, dicts in zip(as_chars, as_dicts, strict=True):
            assert all(type(d) is dict for d in dicts)
            made += sum(type(c) is Char for c in chars)
            assert [list(c) for c in chars] == [list(d) for d in dicts]
    assert made > 10_000  # the C loop made them: not a comparison of dicts with dicts


def test_a_char_reads_as_its_dict() -> None:
    values = _a_char()
    char = Char(values)
    assert char == values and values == char and char == Char(values)
    assert (char != values) is False
    assert char != _a_char(x0=72.5) and _a_char(x0=72.5) != char
    assert (char == [1]) is False and char != "char"
    assert len(char) == 16 and list(char) == list(values) and list(char.keys()) == list(values)
    assert list(char.values()) == list(values.values()) and list(char.items()) == list(values.items())
    assert dict(char) == {**char} == values and type(char.copy()) is dict
    assert char["x0"] == 72.0 and char.get("x0") == 72.0 and char.get("nothing") is None and char.get("nothing", 3) == 3
    assert "top" in char and "nothing" not in char and 1 not in char
    assert repr(char) == repr(values)
    assert isinstance(char, Mapping) and not isinstance(char, dict)
    with pytest.raises(KeyError):
        char["nothing"]
    with pytest.raises(TypeError):
        hash(char)


def test_a_char_is_pickled_and_copied_as_its_dict() -> None:
    """A cache or a worker process sees the dict it saw before."""
    char = Char(_a_char())
    for copied in (pickle.loads(pickle.dumps(char)), copy.copy(char), copy.deepcopy(char)):
        assert type(copied) is dict and copied == _a_char() and list(copied) == list(_a_char())


def test_the_matrix_made_when_read_is_the_readers() -> None:
    """A Char of the C loop makes its matrix when it is first read: the same floats, bit for
    bit, as the dict's tuple, and the same tuple when read again."""
    path = SAMPLES[0]
    chars = _pages(path)[0]
    gen = _made_as(False)
    next(gen)
    try:
        dicts = _pages(path)[0]
    finally:
        next(gen, None)
    made = [c for c in chars if type(c) is Char]
    assert made
    for char, plain in zip(chars, dicts, strict=True):
        assert exact(char["matrix"]) == exact(plain["matrix"])
        assert char["matrix"] is char.get("matrix")


def test_the_changes_the_reader_makes() -> None:
    """The reader renames a character's font (PdfiumPage._name_as_pdfminer) and pdf.fix_glyph_boxes
    moves its box: those work; a new key, a deletion or a value that could hold a cycle do not."""
    char = Char(_a_char())
    char["fontname"] = "SimSun"
    char.update(top=1.0, bottom=2.0)
    char.update({"doctop": 3.0})
    assert char == _a_char(fontname="SimSun", top=1.0, bottom=2.0, doctop=3.0)
    for bad in (lambda: char.__setitem__("new", 1), lambda: char.__delitem__("top"), lambda: char.__setitem__("text", [char])):
        with pytest.raises(TypeError):
            bad()
    with pytest.raises(TypeError):
        char.update(new=1)
    with pytest.raises(TypeError):
        Char({**_a_char(), "matrix": [1.0]})
    with pytest.raises(KeyError):
        Char({"text": "a"})


def test_glyph_boxes_fixed_in_python_for_chars(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdf.fix_glyph_boxes on a page whose boxes were not fixed as it was read (the oracle's
    setting): Chars go to its Python loop, and come out as the dicts do."""
    monkeypatch.setattr(reader.PdfiumPage, "glyph_ascent", None)
    monkeypatch.setattr(reader.PdfiumPage, "glyph_boxes_fixed", False)
    as_chars = _pages(SAMPLES[0])
    gen = _made_as(False)
    next(gen)
    try:
        as_dicts = _pages(SAMPLES[0])
    finally:
        next(gen, None)
    assert exact(as_chars) == exact(as_dicts)


def _centres(chars: list) -> tuple:
    found = layout.CharCentres(chars)
    return (found.middles, found.centres, found.order)


def _same_both_ways(chars: list, function: Any) -> Any:
    """function on the Chars and on the same characters as plain dicts: the same result."""
    plain = [dict(c) for c in chars]
    found = function(chars)
    assert exact(found) == exact(function(plain))
    return found


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_the_layout_loops_read_chars_as_dicts(path: Path) -> None:
    """Every layout function in C on a page's Chars gives what it gives on their dicts, and
    reads them in C (not handed to the Python code)."""
    bbox = (0.0, 0.0, 400.0, 500.0)
    for chars in _pages(path):
        if not chars or not all(type(c) is Char for c in chars):
            continue
        _same_both_ways(chars, lambda cs: plumber_equivalents.within_bbox(cs, (0.0, 0.0, 400.0, 500.0)))
        _same_both_ways(chars, plumber_equivalents.extract_text_lines)
        _same_both_ways(chars, plumber_equivalents.extract_text)
        _same_both_ways(chars, lambda cs: close_chars.runs_with_close_chars(cs, 1))
        _same_both_ways(chars, layout.unique_chars)
        _same_both_ways(chars, _centres)
        _same_both_ways(chars, layout._words)
        assert loops.within_box(chars, bbox) is not None
        assert loops.char_centres(chars) is not None
        assert loops.close_char_runs(chars, 1) is not None
        if all(c["upright"] for c in chars):
            assert loops.upright_words(chars) is not None
        assert loops.line_words(chars) is not None


def test_chars_next_to_dicts() -> None:
    """A page's Chars with a dict of the Python branch among them (PdfiumPage._char makes one for
    an uncommon glyph): read in C the same as all dicts."""
    chars = next(chars for chars in _pages(SAMPLES[0]) if len(chars) > 20)
    mixed = [dict(c) if i % 7 == 3 else c for i, c in enumerate(chars)]
    assert {type(c) for c in mixed} == {dict, Char}
    _same_both_ways(mixed, plumber_equivalents.extract_text_lines)
    _same_both_ways(mixed, lambda cs: close_chars.runs_with_close_chars(cs, 1))
    _same_both_ways(mixed, lambda cs: plumber_equivalents.within_bbox(cs, (0.0, 0.0, 600.0, 900.0)))
    assert loops.char_centres(mixed) is not None and loops.within_box(mixed, (0.0, 0.0, 600.0, 900.0)) is not None


def test_a_char_with_a_value_the_loops_do_not_read_goes_to_python() -> None:
    """A Char whose position is not a float (changed after reading) is left to the Python code,
    as a dict with one is."""
    chars = [Char(_a_char(x0=72.0 + 12 * i, x1=82.5 + 12 * i)) for i in range(4)]
    assert loops.char_centres(chars) is not None
    chars[2]["x0"] = 96
    assert loops.char_centres(chars) is None
    assert loops.char_centres([dict(c) for c in chars]) is None
    _same_both_ways(chars, _centres)


@pytest.mark.parametrize("path", PDFS[:8], ids=lambda path: path.parent.name)
def test_a_whole_reading_gives_the_same_blocks(path: Path, dicts: None) -> None:
    """pdf_to_blocks of a fixture PDF: the same blocks with dicts (this fixture) and with Chars."""
    source = SourceFile(path, "full", "0" * 64)
    with_dicts = reader.pdf_to_blocks(source)
    pdfium_native._native.set_char_objects(True)
    with_chars = reader.pdf_to_blocks(source)
    assert with_chars == with_dicts


def test_reading_chars_again_and_again_keeps_no_objects() -> None:
    """References counted right in the Char type: a page's Chars read every way (the matrix made,
    as dicts, pickled, changed, compared) 30 times leave the number of allocated blocks where it
    was (a leak of one object a character would add thousands)."""
    chars = [c for c in next(chars for chars in _pages(SAMPLES[0]) if len(chars) > 150) if type(c) is Char]

    def use_them() -> None:
        for char in chars:
            char["matrix"], char.get("x0"), char.get("nothing", 0), "top" in char, list(char), len(char)
            assert char == dict(char) == {**char} == pickle.loads(pickle.dumps(char))
            char.update(fontname=char["fontname"])
            char.items(), char.values(), char.keys(), repr(char)
            with pytest.raises(KeyError):
                char["nothing"]
            with pytest.raises(TypeError):
                char["nothing"] = 1

    use_them()
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(30):
        use_them()
    gc.collect()
    assert sys.getallocatedblocks() - before < 500
