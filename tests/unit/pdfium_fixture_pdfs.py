"""The fixture PDFs PDFium opens, for the tests that compare the C reader with the Python one
on every fixture page (the hostile fixtures include a truncated file and others)."""

from __future__ import annotations

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


def read_pages(path: Path, page_size: float, describe: Callable[[Any], Any], fonts: bool = True) -> list[Any]:
    """``describe(page)`` of each page of ``path`` read by ``PdfiumPage`` (with the file's font
    dictionaries unless ``fonts`` is False), or ``("handed over", reason)`` for a page the
    reader hands to pdfminer. The reader's C or Python paths are chosen by the caller
    (``YUSUAN_NATIVE``)."""
    from yusuan.extract import pdfium as reader
    from yusuan.extract.pdfium_fonts import DictFonts

    document = pdfium.PdfDocument(path)
    dictionaries = DictFonts(path) if fonts else None
    pages: list[Any] = []
    try:
        for number in range(1, len(document) + 1):
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
