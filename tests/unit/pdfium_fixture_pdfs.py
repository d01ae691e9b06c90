"""The fixture PDFs PDFium opens, for the tests that compare the C reader with the Python one
on every fixture page (the hostile fixtures include a truncated file and others)."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

FIXTURES = Path(__file__).parents[1] / "fixtures"


def opens(path: Path) -> bool:
    """PDFium opens it."""
    try:
        pdfium.PdfDocument(path).close()
    except pdfium.PdfiumError:
        return False
    return True


PDFS = sorted(path for path in FIXTURES.rglob("*.pdf") if opens(path))

EVERY_PAGE = os.environ.get("YUSUAN_TEST_EVERY_PAGE") == "1"
"""``YUSUAN_TEST_EVERY_PAGE=1`` makes the sweeps read every page of every fixture PDF."""


def swept_pages(count: int) -> list[int]:
    """The page numbers (1-based) a sweep over a fixture PDF of ``count`` pages reads: its
    first four pages and every fourth page after them, or every page with
    ``YUSUAN_TEST_EVERY_PAGE=1``. The fixture corpus repeats a few layouts over 547 pages,
    each swept by several tests both ways (C and Python); reading every page of all of them
    is the benchmarks' work (``benchmarks/pdfium_objects_equal.py``, ``reader_equality.py``,
    ``layout_equality.py`` over both shared corpora)."""
    if EVERY_PAGE:
        return list(range(1, count + 1))
    return [number for number in range(1, count + 1) if number <= 4 or number % 4 == 0]


def read_pages(path: Path, page_size: float, describe: Callable[[Any], Any], fonts: bool = True) -> list[Any]:
    """``describe(page)`` of each swept page of ``path`` (``swept_pages``) read by ``PdfiumPage`` (with the file's font
    dictionaries unless ``fonts`` is False), or ``("handed over", reason)`` for a page the
    reader hands to pdfminer. The reader's C or Python paths are chosen by the caller
    (``YUSUAN_NATIVE``)."""
    from yusuan.extract import pdfium as reader
    from yusuan.extract.pdfium_fonts import DictFonts

    document = pdfium.PdfDocument(path)
    dictionaries = DictFonts(path) if fonts else None
    pages: list[Any] = []
    try:
        for number in swept_pages(len(document)):
            try:
                page = reader.PdfiumPage(document, number, page_size, dictionaries)
            except reader.PageNeedsPdfminer as exc:
                pages.append(("handed over", str(exc)))
                continue
            pages.append(describe(page))
    finally:
        if dictionaries is not None:
            dictionaries.close()
        document.close()
    return pages


def exact(value: Any) -> Any:
    """A value with every float as its bits (0.0 and -0.0 told apart, a NaN equal to itself)
    and every other value with its type, for comparing two readings bit for bit. A character
    the C reader made (a Char, a mapping) reads as the dict the Python reader makes."""
    if isinstance(value, float):
        return ("float", struct.pack("<d", value))
    if isinstance(value, Mapping):
        return ("dict", [(key, exact(item)) for key, item in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [exact(item) for item in value])
    return (type(value).__name__, value)
