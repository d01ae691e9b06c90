"""The C loop's character and path dicts are copies of one dict with their keys in place
(_pdfium_chars.c, ``char_template``/``path_template``): each is a dict of its own, with the
Python loop's keys in its order, and, as before, left untracked by the garbage collector."""

from __future__ import annotations

import gc
import os
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfium_fixture_pdfs import PDFS

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

CHAR_KEYS = [
    "object_type",
    "text",
    "fontname",
    "size",
    "upright",
    "matrix",
    "x0",
    "y0",
    "x1",
    "y1",
    "width",
    "height",
    "top",
    "bottom",
    "doctop",
    "page_number",
]
PATH_KEYS = [
    "object_type",
    "x0",
    "y0",
    "x1",
    "y1",
    "width",
    "height",
    "top",
    "bottom",
    "doctop",
    "page_number",
    "pts",
]


def _first_page_read(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The first fixture page PDFium reads with the C loop."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    for path in PDFS:
        document = pdfium.PdfDocument(path)
        try:
            for number in range(1, len(document) + 1):
                try:
                    page = reader.PdfiumPage(document, number, 0.0)
                except reader.PageNeedsPdfminer:
                    continue
                if page.chars and (page.lines or page.rects):
                    return page
        finally:
            document.close()
    raise AssertionError("no fixture page with characters and rulings")


@pytest.mark.skipif(
    not pdfium_native.built() or os.environ.get("YUSUAN_NATIVE") == "0",
    reason="the C extension is not used",
)
def test_dicts_are_their_own_with_the_keys_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _first_page_read(monkeypatch)
    chars, paths = page.chars, page.lines + page.rects
    assert all(list(char) == CHAR_KEYS for char in chars)
    assert all(list(path) == PATH_KEYS for path in paths)
    assert all(value is not None for char in chars for value in char.values())
    assert all(value is not None for path in paths for value in path.values())
    assert any(not gc.is_tracked(char) for char in chars)  # those made in C, as before
    chars[0]["text"] = "changed"
    paths[0]["x0"] = -1.0
    again = _first_page_read(monkeypatch)
    assert again.chars[0]["text"] != "changed" and again.chars[1] is not chars[1]
    assert all(value is not None for path in again.lines + again.rects for value in path.values())
