"""A page's text objects listed in C (``pdf_content_native.text_object_addresses``) as the
ctypes walk lists them (``pdfium_missing.python_text_object_addresses``, the oracle).

The alignment with the content's operators (pdfium_aligned) takes the k-th text object of
the page in the order of its page objects, a form's inner objects where the form stands, to
a depth of 16 forms. Every page of every fixture PDF is listed both ways (the same addresses
in the same order); the depth limit is checked at every depth on the pages with forms, a
page without objects gives an empty list, and the function selects the C walk where the
extension is used, the Python one where it is not.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from yusuan.extract import pdf_content_native as native
from yusuan.extract import pdfium_missing
from yusuan.extract.pdfium_missing import MAX_FORM_DEPTH, python_text_object_addresses

FIXTURES = Path(__file__).parents[1] / "fixtures"
pytestmark = pytest.mark.skipif(
    not native.built(), reason="the C extension was not built (no compiler at install)"
)


def _pages():
    for path in sorted(FIXTURES.rglob("*.pdf")):
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            continue
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    yield path, index, page
                finally:
                    page.close()
        finally:
            document.close()


def _has_form(page) -> bool:
    return any(
        raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, i)) == raw.FPDF_PAGEOBJ_FORM
        for i in range(raw.FPDFPage_CountObjects(page.raw))
    )


def test_every_fixture_page_lists_the_same_text_objects():
    pages = objects = with_forms = 0
    for path, index, page in _pages():
        expected = python_text_object_addresses(page.raw)
        assert native.text_object_addresses(page.raw, MAX_FORM_DEPTH) == expected, (path, index)
        pages += 1
        objects += len(expected)
        if _has_form(page):
            with_forms += 1
            for depth in range(MAX_FORM_DEPTH + 1):
                assert native.text_object_addresses(page.raw, depth) == _python_to_depth(
                    page.raw, depth
                ), (path, index, depth)
    assert pages > 300 and objects > 10_000 and with_forms > 0, (pages, objects, with_forms)


def _python_to_depth(page, depth: int) -> list[int]:
    found: list[int] = []
    count = raw.FPDFPage_CountObjects(page)
    handles = (pdfium_missing.calls.page_object(page, i) for i in range(count))
    saved = pdfium_missing.MAX_FORM_DEPTH
    pdfium_missing.MAX_FORM_DEPTH = depth
    try:
        pdfium_missing._collect(handles, found, 0)
    finally:
        pdfium_missing.MAX_FORM_DEPTH = saved
    return found


def test_a_page_without_objects_lists_none():
    document = pdfium.PdfDocument.new()
    page = document.new_page(100, 100)
    try:
        assert (
            native.text_object_addresses(page.raw, MAX_FORM_DEPTH)
            == []
            == python_text_object_addresses(page.raw)
        )
    finally:
        page.close()
        document.close()


def test_no_page_is_refused():
    with pytest.raises(ValueError):
        native.text_object_addresses(None, MAX_FORM_DEPTH)


def test_the_c_walk_is_used_where_the_extension_is(monkeypatch: pytest.MonkeyPatch):
    path, _index, page = next(_pages())
    calls = []
    monkeypatch.setattr(
        native, "text_object_addresses", lambda page, depth: calls.append(depth) or [1]
    )
    assert pdfium_missing.text_object_addresses(page.raw) == [1] and calls == [MAX_FORM_DEPTH]
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert pdfium_missing.text_object_addresses(page.raw) == python_text_object_addresses(page.raw)
