"""The packed trace read in C gives what its Python readers give, and the reader's handles make no cycles.

``pdfium_native.traced`` (C) makes the gap checks' tuples that ``unpack_trace`` (Python, the
oracle) makes from the C loop's packed records, and ``pdfium_native.advances_differ`` (C) asks
the loose boxes that ``PdfiumPage._advances_differ`` asks of ``unchecked_advances``: both are
compared on every page of every fixture PDF, while its text page is open, and on made-up
records (odd floats, flags, an empty trace, a trace cut short). ``base_font_name`` (a buffer
of a type made once) reads every font name as ``create_string_buffer`` read it, and the
addresses the reader takes of PDFium's handles leave no pointer in a reference cycle.
"""

from __future__ import annotations

import ctypes
import gc
import math
import struct
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from pdfium_fixture_pdfs import FIXTURES, PDFS, read_pages

from yusuan.extract import pdf as plumber_reader
from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

needs_extension = pytest.mark.skipif(
    not pdfium_native.built(), reason="the C extension was not built (no compiler at install)"
)


def _bits(value: Any) -> Any:
    """A value with every float as its bits, for comparing bit for bit."""
    if isinstance(value, float):
        return ("float", struct.pack("<d", value))
    if isinstance(value, tuple | list):
        return (type(value).__name__, [_bits(item) for item in value])
    return (type(value).__name__, value)


def _compared_while_open(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Every page of ``path`` read by the C loop, its packed trace compared both ways while
    its text page is open; how many pages had unasked boxes, and how many of those differ."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    seen = {"pages": 0, "unasked": 0, "differ": 0}
    read_char_runs = pdfium_native.read_char_runs

    def comparing(page: Any, handle: Any, ctm: Any) -> Any:
        found = read_char_runs(page, handle, ctm)
        packed = found[1]
        assert _bits(pdfium_native.traced(packed)) == _bits(pdfium_native.unpack_trace(packed))
        unchecked = pdfium_native.unchecked_advances(packed)
        differ = pdfium_native.advances_differ(handle, packed)
        assert differ == reader.PdfiumPage._advances_differ(handle, unchecked)
        seen["pages"] += 1
        seen["unasked"] += bool(unchecked)
        seen["differ"] += differ
        return found

    monkeypatch.setattr(pdfium_native, "read_char_runs", comparing)
    read_pages(path, 0.0, lambda page: None)
    return seen


@needs_extension
@pytest.mark.parametrize("path", PDFS, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_every_fixture_page_trace_reads_the_same_in_c(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _compared_while_open(path, monkeypatch)


@needs_extension
def test_the_fixtures_have_boxes_that_differ_and_boxes_that_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The comparison above sees both answers of advances_differ (else it would prove less)."""
    total = {"pages": 0, "unasked": 0, "differ": 0}
    for name in ("01_js-renda-2017-bmys/bmys.pdf", "02_js-renda-2018-bmys/bmys.pdf"):
        for key, count in _compared_while_open(FIXTURES / "corpus" / name, monkeypatch).items():
            total[key] += count
    assert total["differ"] > 0
    assert total["unasked"] > total["differ"]


def _record(address: int, values: tuple[float, ...], index: int, flags: int) -> bytes:
    return pdfium_native.RECORD.pack(address, *values, index, flags)


@needs_extension
def test_odd_records_unpack_as_in_python() -> None:
    """Floats of every kind (-0.0, NaN, infinities, subnormals), the largest address, negative
    and large indexes, every flag; the address is one int object twice, as in Python."""
    odd = (0.0, -0.0, math.nan, math.inf, -math.inf, 5e-324, 1e308, -1.5, 0.1)
    packed = b"".join(
        _record(address, tuple(odd[(k + j) % len(odd)] for j in range(8)), index, flags)
        for k, (address, index, flags) in enumerate(
            [
                (0, 0, 0),
                (2**64 - 1, -1, 1),
                (123456789, 2**31 - 1, 2),
                (42, -(2**31), 3),
                (7, 5, 0xFFFFFFFF),
            ]
        )
    )
    made, oracle = pdfium_native.traced(packed), pdfium_native.unpack_trace(packed)
    assert _bits(made) == _bits(oracle)
    assert all(entry[0] is entry[7] for entry in made)
    assert pdfium_native.traced(b"") == [] == pdfium_native.unpack_trace(b"")


@needs_extension
def test_a_trace_cut_short_is_refused() -> None:
    packed = _record(1, (1.0,) * 8, 0, 0)
    with pytest.raises(ValueError, match="whole records"):
        pdfium_native.traced(packed[:-1])
    with pytest.raises(TypeError):
        pdfium_native.traced(bytearray(packed))  # type: ignore[arg-type]
    document = pdfium.PdfDocument(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf")
    try:
        page = document[0]
        textpage = page.get_textpage()
        try:
            with pytest.raises(ValueError, match="whole records"):
                pdfium_native.advances_differ(textpage.raw, packed + b"\0")
            assert pdfium_native.advances_differ(textpage.raw, b"") is False
        finally:
            textpage.close()
            page.close()
    finally:
        document.close()


def _fonts_of(page: Any) -> list[Any]:
    """PDFium's fonts of the page's text objects (forms not entered)."""
    fonts = []
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        handle = raw.FPDFPage_GetObject(page.raw, index)
        if raw.FPDFPageObj_GetType(handle) == raw.FPDF_PAGEOBJ_TEXT:
            font = raw.FPDFTextObj_GetFont(handle)
            if font:
                fonts.append(font)
    return fonts


def _name_as_before(font: Any) -> bytes:
    length = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFFont_GetBaseFontName(font, buffer, length)
    return buffer.value


@pytest.mark.parametrize("small", [False, True], ids=["buffer", "longer than the buffer"])
def test_font_names_read_as_before(small: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every font of the fixture PDFs' first pages, by the buffer of a type made once and (a
    buffer of four bytes) by the fallback for a name longer than it."""
    if small:
        monkeypatch.setattr(reader, "NAME_BUFFER", ctypes.c_char * 4)
    names = 0
    for path in PDFS:
        document = pdfium.PdfDocument(path)
        try:
            if len(document) == 0:
                continue
            page = document[0]
            try:
                for font in _fonts_of(page):
                    assert reader.base_font_name(font) == _name_as_before(font)
                    names += 1
            finally:
                page.close()
        finally:
            document.close()
    assert names > 100


def test_an_address_taken_makes_no_cycle() -> None:
    """``address_of`` is the cast's address, and leaves the pointer out of any cycle (a cast
    stores its source in a dict the source then holds: a pointer a page, in the collector)."""
    pointer = ctypes.cast(123456, raw.FPDF_PAGE)
    assert pdfium_native.address_of(pointer) == 123456
    assert pointer._objects is None  # type: ignore[attr-defined]
    assert pdfium_native.address_of(raw.FPDF_PAGE()) == 0
    assert ctypes.cast(ctypes.cast(123456, raw.FPDF_PAGE), ctypes.c_void_p).value == 123456


POINTERS = {"LP_struct_fpdf_page_t__", "LP_struct_fpdf_textpage_t__"}


@pytest.mark.parametrize("native", [False, True], ids=["python", "c"])
def test_pages_read_leave_no_pdfium_pointer_in_a_cycle(
    native: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of embedded and not embedded fonts read and let go as the reader lets them go
    (pdf.let_go): no page or text page pointer of PDFium is left for the collector."""
    if native and not pdfium_native.built():
        pytest.skip("the C extension was not built")
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")
    names = (
        "corpus/02_js-renda-2018-bmys/bmys.pdf",
        "corpus-wide-pages/yt-xinfang-2026-bmys-p12.pdf",
        "corpus/03_js-renda-2019-bmys/tables.pdf",
    )
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for name in names:
            read_pages(FIXTURES / name, 0.0, plumber_reader.let_go)
        gc.collect()
        left = [type(found).__name__ for found in gc.garbage if type(found).__name__ in POINTERS]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
