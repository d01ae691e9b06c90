"""The C loop's character and path dicts are copies of one dict with their keys in place
(_pdfium_chars.c, ``char_template``/``path_template``): each is a dict of its own, with the
Python loop's keys in its order, and, as before, left untracked by the garbage collector."""

from __future__ import annotations

import gc
import os
from typing import Any

import pytest
from pdfium_fixture_pdfs import PDFS, read_pages

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


def _pages_read(monkeypatch: pytest.MonkeyPatch, path: Any) -> list[Any]:
    """The pages of one fixture PDF PDFium reads with the C loop (those handed to pdfminer
    left out)."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    return [page for page in read_pages(path, 0.0, lambda page: page) if not isinstance(page, tuple)]


@pytest.mark.skipif(
    not pdfium_native.built() or os.environ.get("YUSUAN_NATIVE") == "0",
    reason="the C extension is not used",
)
def test_dicts_are_their_own_with_the_keys_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    with_rulings = next(path for path in PDFS if any(page.chars and (page.lines or page.rects) for page in _pages_read(monkeypatch, path)))
    pages = [page for path in PDFS for page in _pages_read(monkeypatch, path)]
    chars = [char for page in pages for char in page.chars]
    paths = [path for page in pages for path in page.lines + page.rects]
    assert chars and paths
    assert all(list(char) == CHAR_KEYS for char in chars)
    assert all(list(path) == PATH_KEYS for path in paths)
    assert all(value is not None for char in chars for value in char.values())
    assert all(value is not None for path in paths for value in path.values())
    assert any(not gc.is_tracked(char) for char in chars)  # those made in C, as before
    first = next(page for page in _pages_read(monkeypatch, with_rulings) if page.chars and (page.lines or page.rects))
    first.chars[0]["text"] = "changed"
    (first.lines + first.rects)[0]["x0"] = -12345.5
    again = _pages_read(monkeypatch, with_rulings)
    assert all(char["text"] != "changed" for page in again for char in page.chars)
    assert all(path["x0"] != -12345.5 for page in again for path in page.lines + page.rects)
    assert not {id(char) for page in again for char in page.chars} & {id(char) for char in first.chars + chars}
