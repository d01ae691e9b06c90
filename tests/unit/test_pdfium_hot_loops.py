"""The PDFium reader's hot loops give what the plain steps give, on real pages.

The per-character and per-path work of ``yusuan/extract/pdfium.py`` was written out for speed
(issue 14): PDFium's functions called without ctypes' argument conversion
(``pdfium_calls``), glyph widths asked once per font, and a character's box and dict built in
one function instead of ``multiply``, ``glyph_box``, ``apply``, ``snap`` and ``_place``. These
tests hold the written-out code to the plain steps, bit for bit, on corpus pages: upright,
turned a quarter on a page turned by ``/Rotate``, and glyphs turned on an upright page
(``benchmarks/pdfium_objects_equal.py`` compares whole corpora with another tree).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_calls as calls

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
PAGES = [
    (CORPUS / "02_js-renda-2018-bmys" / "bmys.pdf", 12),  # upright tables
    (CORPUS / "03_js-renda-2019-bmys" / "tables.pdf", 2),  # /Rotate 90, glyphs turned a quarter
    (CORPUS / "08_js-jianchayuan-2017-bmys" / "bmys.pdf", 19),  # glyphs turned on an upright page
]


def _turned(path: Path, number: int) -> bool:
    document = pdfium.PdfDocument(path)
    try:
        textpage = document[number - 1].get_textpage()
        matrix = raw.FS_MATRIX()
        turned = False
        for i in range(raw.FPDFText_CountChars(textpage.raw)):
            raw.FPDFText_GetMatrix(textpage.raw, i, matrix)
            turned = turned or bool(matrix.b or matrix.c)
        return turned
    finally:
        document.close()


def _page(path: Path, number: int) -> tuple[pdfium.PdfDocument, reader.PdfiumPage, reader.Matrix]:
    """The page as the reader reads it (every font of these pages is embedded), and its CTM."""
    document = pdfium.PdfDocument(path)
    page = reader.PdfiumPage(document, number, 1234.5)
    x0, y0, x1, y1 = (reader.snap(v) for v in document[number - 1].get_mediabox())
    return document, page, reader.rotation_matrix(page.rotation, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def _characters(document: pdfium.PdfDocument, number: int) -> Iterator[tuple[Any, int, int]]:
    """(text page handle, index, text object handle) of every character of a page."""
    textpage = document[number - 1].get_textpage()
    for i in range(raw.FPDFText_CountChars(textpage.raw)):
        yield textpage.raw, i, raw.FPDFText_GetTextObject(textpage.raw, i)


def test_the_fixture_pages_have_turned_glyphs():
    assert [_turned(path, number) for path, number in PAGES] == [False, True, True]


@pytest.mark.parametrize(("path", "number"), PAGES)
def test_unchecked_calls_answer_as_the_bindings(path, number):
    document = pdfium.PdfDocument(path)
    try:
        matrix, rect, ox, oy = raw.FS_MATRIX(), raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        seen = 0
        for handle, i, text_object in _characters(document, number):
            assert calls.text_unicode(handle, i) == raw.FPDFText_GetUnicode(handle, i)
            assert calls.text_is_generated(handle, i) == raw.FPDFText_IsGenerated(handle, i)
            assert (calls.text_object(handle, i) or 0) == (ctypes.addressof(text_object.contents) if text_object else 0)
            assert calls.text_font_size(handle, i) == raw.FPDFText_GetFontSize(handle, i)
            calls.text_matrix(handle, i, ctypes.byref(matrix))
            calls.text_origin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
            calls.text_loose_box(handle, i, ctypes.byref(rect))
            mine = ((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), ox.value, oy.value, (rect.left, rect.bottom, rect.right, rect.top))
            raw.FPDFText_GetMatrix(handle, i, matrix)
            raw.FPDFText_GetCharOrigin(handle, i, ox, oy)
            raw.FPDFText_GetLooseCharBox(handle, i, rect)
            assert mine == ((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), ox.value, oy.value, (rect.left, rect.bottom, rect.right, rect.top))
            seen += 1
            if not text_object:  # a character the text page generated (a space, a line end)
                continue
            font = raw.FPDFTextObj_GetFont(text_object)
            assert calls.text_object_font(ctypes.c_void_p(ctypes.addressof(text_object.contents))) == ctypes.addressof(font.contents)
            code, size = raw.FPDFText_GetUnicode(handle, i), raw.FPDFText_GetFontSize(handle, i)
            width, expected = ctypes.c_float(), ctypes.c_float()
            ok = calls.font_glyph_width(font, code, ctypes.c_float(size), ctypes.byref(width))
            assert (ok, width.value) == (raw.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(size), expected), expected.value)
        assert seen > 100
    finally:
        document.close()


def _reference_char(page: reader.PdfiumPage, text: str, fontname: str, linear: tuple[float, float, float, float], origin: tuple[float, float], size: float, descent: float, advance: float | None, loose: tuple[float, float, float, float], ctm: reader.Matrix) -> dict[str, Any]:
    """A character as the reader built it before it was written out: the plain steps."""
    char_matrix = reader.multiply((*linear, *origin), ctm)
    x0, y0, x1, y1 = reader.glyph_box(linear, origin, size, descent, advance, loose)
    (ax, ay), (bx, by) = reader.apply(ctm, x0, y0), reader.apply(ctm, x1, y1)
    x0, x1 = sorted((reader.snap(ax), reader.snap(bx)))
    y0, y1 = sorted((reader.snap(ay), reader.snap(by)))
    a, b, c, d = char_matrix[:4]
    return page._place(
        {"object_type": "char", "text": text, "fontname": fontname, "size": y1 - y0, "upright": a * d > 0 and b * c <= 0, "matrix": char_matrix},
        x0, y0, x1, y1,
    )


@pytest.mark.parametrize(("path", "number"), PAGES)
def test_a_character_is_built_as_the_plain_steps_build_it(path, number):
    """Every character of the page, with the font's descent and advance, and again with no
    advance (a glyph whose width PDFium does not give): the same dict, key for key, in the
    same order, the same floats (repr tells -0.0 from 0.0)."""
    document, page, ctm = _page(path, number)
    try:
        matrix, rect, ox, oy = raw.FS_MATRIX(), raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        compared = 0
        for handle, i, text_object in _characters(document, number):
            raw.FPDFText_GetMatrix(handle, i, matrix)
            raw.FPDFText_GetCharOrigin(handle, i, ox, oy)
            raw.FPDFText_GetLooseCharBox(handle, i, rect)
            size = raw.FPDFText_GetFontSize(handle, i)
            font = raw.FPDFTextObj_GetFont(text_object)
            fontname, descent = page._font(font, size)
            code = raw.FPDFText_GetUnicode(handle, i)
            linear, loose = (matrix.a, matrix.b, matrix.c, matrix.d), (rect.left, rect.bottom, rect.right, rect.top)
            for advance in (reader.glyph_width(font, code, size), None):
                expected = _reference_char(page, chr(code), fontname, linear, (ox.value, oy.value), size, descent, advance, loose, ctm)
                got = page._char(chr(code), fontname, linear, ox.value, oy.value, size, descent, advance, *loose, ctm)
                assert repr(got) == repr(expected)
                compared += 1
        assert compared > 200
    finally:
        document.close()


def _reference_shapes(handle: Any, ctm: reader.Matrix) -> list[tuple[str, list[tuple[float, float]]]]:
    """path_shapes as it was before it was written out: the bindings, apply and snap."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, fill, stroke) or (not fill.value and not stroke.value):
        return []
    matrix = reader.multiply(reader.object_matrix(handle), ctm)
    ops: list[tuple[str, tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, i)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = tuple(reader.snap(v) for v in reader.apply(matrix, x.value, y.value))
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            ops.append(("m", point))
            bezier = 0
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:
                ops.append(("c", point))
        else:
            ops.append(("l", point))
            bezier = 0
        if raw.FPDFPathSegment_GetClose(segment):
            ops.append(("h", point))
    shapes = []
    start = 0
    for end in range(1, len(ops) + 1):
        if end == len(ops) or ops[end][0] == "m":
            if ops[start][0] == "m":
                shapes.extend(reader._classify(ops[start:end]))
            start = end
    return shapes


@pytest.mark.parametrize(("path", "number"), PAGES)
def test_a_path_is_read_and_placed_as_the_plain_steps_do(path, number):
    """Every path object of the page: the same shapes and points (with the page's shared
    out-parameters and without), and the same dict as ``_place`` gives."""
    document, page, ctm = _page(path, number)
    try:
        pdf_page = document[number - 1]
        buffers = reader.PathBuffers()
        handles = [raw.FPDFPage_GetObject(pdf_page.raw, i) for i in range(raw.FPDFPage_CountObjects(pdf_page.raw))]
        paths = [h for h in handles if raw.FPDFPageObj_GetType(h) == raw.FPDF_PAGEOBJ_PATH]
        shapes = 0
        for handle in paths:
            expected = _reference_shapes(handle, ctm)
            shapes += len(expected)
            assert repr(list(reader.path_shapes(handle, ctm, buffers))) == repr(expected)
            assert repr(list(reader.path_shapes(handle, ctm))) == repr(expected)
            for shape, points in expected:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                placed = page._place({"object_type": shape}, min(xs), min(ys), max(xs), max(ys))
                placed["pts"] = [(page.mediabox[0] + x, page.mediabox[1] + page.height - y) for x, y in points]
                assert repr(page._path_object(shape, points)) == repr(placed)
        assert shapes > 10
    finally:
        document.close()


@pytest.mark.parametrize(("path", "number"), PAGES)
def test_glyph_widths_asked_once_per_font_are_the_widths_of_each_character(path, number):
    """The page's cache is keyed by font, not text object: every character's own answer
    (its text object's font, asked afresh) is the cached one."""
    document, page, _ctm = _page(path, number)
    try:
        assert page._widths
        for handle, i, text_object in _characters(document, number):
            if not text_object:
                continue
            font = raw.FPDFTextObj_GetFont(text_object)
            code, size = raw.FPDFText_GetUnicode(handle, i), raw.FPDFText_GetFontSize(handle, i)
            key = (ctypes.addressof(font.contents), code, size)
            if key in page._widths:
                assert page._widths[key] == reader.glyph_width(font, code, size)
    finally:
        document.close()
