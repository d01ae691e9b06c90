"""PdfiumPage opens its page and text page as PDFium's handles (``pdfium.load_page``,
``load_textpage``), not through pypdfium2's helper objects: the same page, rotation and
MediaBox as the helpers give, the same errors, and the helper still used where the document
has a form environment. The C loop's memo of a font's facts (``_pdfium_chars.c``,
``memo_object``) leaves the page's text object cache as the Python loop fills it."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from tests.unit.pdfium_fixture_pdfs import FIXTURES, PDFS, exact, read_pages
from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

needs_extension = pytest.mark.skipif(
    not pdfium_native.built(), reason="the C extension was not built"
)


def _bits(values: tuple[Any, ...]) -> list[Any]:
    """Each value with its type, a float as its bits."""
    return [(type(v), struct.pack("<d", v) if isinstance(v, float) else v) for v in values]


@pytest.mark.parametrize("path", PDFS, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_rotation_and_media_box_are_the_helpers(path: Path) -> None:
    """On every page of every fixture PDF, ``page_rotation`` and ``page_media_box`` of the
    raw handle are pypdfium2's ``get_rotation`` and ``get_mediabox``, bit for bit and type
    for type (the helper's fallback box is of ints)."""
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            helper = document[index]
            handle = reader.load_page(document, index)
            try:
                assert reader.page_rotation(handle) == helper.get_rotation()
                assert _bits(reader.page_media_box(handle)) == _bits(helper.get_mediabox())
                assert reader.ordered_media_box(
                    reader.page_media_box(handle), reader.page_rotation(handle) % 360
                ) == reader.media_box(helper)
            finally:
                raw.FPDF_ClosePage(handle)
                helper.close()
    finally:
        document.close()


def _one_page_pdf(page_keys: bytes, catalog_keys: bytes = b"") -> bytes:
    """A one-page PDF of a Helvetica word and a stroked line, its page dictionary given
    ``page_keys`` (a MediaBox, a Rotate) and its catalog ``catalog_keys``."""
    content = b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET 10 10 m 190 10 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_keys,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R %s /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        % page_keys,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, 450, -90])
def test_a_page_without_a_media_box_and_turned_reads_as_through_the_helpers(rotate: int) -> None:
    """A page with no MediaBox (the helper's fallback box, ANSI A) and every /Rotate: the
    same rotation, boxes and height as the helpers give."""
    document = pdfium.PdfDocument(_one_page_pdf(b"/Rotate %d" % rotate))
    try:
        helper = document[0]
        handle = reader.load_page(document, 0)
        try:
            assert (
                reader.page_media_box(handle) == helper.get_mediabox() == reader.FALLBACK_MEDIABOX
            )
            assert reader.page_rotation(handle) == helper.get_rotation()
        finally:
            raw.FPDF_ClosePage(handle)
            helper.close()
        page = reader.PdfiumPage(document, 1, 0.0)
        assert page.rotation == helper_rotation(document)
        assert [c["text"] for c in page.chars] == list("Hello")
    finally:
        document.close()


def helper_rotation(document: pdfium.PdfDocument) -> int:
    page = document[0]
    try:
        return page.get_rotation() % 360
    finally:
        page.close()


def test_a_page_past_the_last_fails_as_through_the_helpers() -> None:
    """The helper's error, message included, where PDFium cannot load the page."""
    document = pdfium.PdfDocument(_one_page_pdf(b"/MediaBox [0 0 200 200]"))
    try:
        with pytest.raises(pdfium.PdfiumError, match="^Failed to load page.$"):
            document[1]
        with pytest.raises(pdfium.PdfiumError, match="^Failed to load page.$"):
            reader.load_page(document, 1)
        with pytest.raises(pdfium.PdfiumError, match="^Failed to load page.$"):
            reader.PdfiumPage(document, 2, 0.0)
    finally:
        document.close()


def _objects(document: pdfium.PdfDocument) -> Any:
    return exact(reader.PdfiumPage(document, 1, 0.0).objects)


def test_a_document_with_forms_is_read_through_the_helper_alike() -> None:
    """A document with a form environment (its pages need FORM_OnAfterLoadPage, which the
    helper calls) is read through pypdfium2's page helper, with the same objects as without
    one; the page is closed (the document closes after it without a complaint)."""
    data = _one_page_pdf(b"/MediaBox [0 0 200 200] /Rotate 90", b"/AcroForm << /Fields [] >> ")
    plain = pdfium.PdfDocument(data)
    with_forms = pdfium.PdfDocument(data)
    try:
        with_forms.init_forms()
        assert with_forms.formenv is not None and plain.formenv is None
        assert _objects(with_forms) == _objects(plain)
        assert not with_forms._kids  # the helper page was closed, and left the document's kids
    finally:
        with_forms.close()
        plain.close()


@needs_extension
@pytest.mark.parametrize(
    "name", ["corpus/02_js-renda-2018-bmys/bmys.pdf", "corpus/03_js-renda-2019-bmys/tables.pdf"]
)
def test_the_c_loop_fills_the_text_object_cache_as_python_does(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every text object's facts in the page's cache (``_text_objects``), after the C loop,
    are the Python loop's (font key and embedded, objects numbered by first use), and each
    is the very tuple the page keeps for its font (``_font_facts``): the C loop's memo of
    the last font's facts hands on that tuple, as the dict lookup it saves would."""

    def facts(page: Any) -> Any:
        objects: dict[int, int] = {}
        fonts: dict[int, int] = {}
        entries = []
        for address, (font, key, embedded) in page._text_objects.items():
            assert page._font_facts[key] is page._text_objects[address]
            entries.append(
                (
                    objects.setdefault(address, len(objects)),
                    fonts.setdefault(key, len(fonts)),
                    embedded,
                    font is None,
                )
            )
        return entries

    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    python = read_pages(FIXTURES / name, 0.0, facts)
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    native = read_pages(FIXTURES / name, 0.0, facts)
    assert python == native
    assert sum(len(page) for page in native if page and page[0] != "handed over") > 100
