"""The content-stream tokenizer of ``pdfium_content`` in C, when the extension was built (issue 14).

``pdfium_content`` proves that PDFium's text objects are the content's text-showing
operators by reading the page's content streams: on the shared corpora about 1.5 million
tokens over ~200 pages, each one a regular-expression match and a generator step in Python.
``_pdf_content.c`` reads the same bytes into the same tokens, and its ``operations`` also
runs ``text_shows``' operand loop, handing back only the operators ``text_shows`` acts on;
``shows`` reads and interprets the operators of one content as ``text_shows`` does (stop 25).

The extension is optional (setup.py): without a C compiler the install succeeds and
``pdfium_content`` reads the content in Python, which also stays the oracle
(tests/unit/test_pdf_content_native.py and benchmarks/content_tokens_equal.py compare the
two). ``YUSUAN_NATIVE=0`` selects the Python reader; ``YUSUAN_REQUIRE_NATIVE=1`` (CI) makes a
missing extension an error, as for the PDFium reader's loop (pdfium_native).

Both functions return what they read and the message of the error that ended the reading
(None at the end of the data), so the caller acts on every operator before the error, as
the Python generator does, and then raises ``pdfium_content.Unreadable`` with the message.

``text_object_addresses`` (stop 29) lists a page's text objects in the order of its page
objects, forms' where they stand, for the alignment (pdfium_missing), with PDFium's object
functions called from C instead of through ctypes per object.
"""

from __future__ import annotations

import ctypes
from typing import Any

from yusuan.core import native
from yusuan.extract.pdfium_native import address_of

NATIVE_NAME = "yusuan.extract._pdf_content"
_native: Any
_native, IMPORT_ERROR = native.load(NATIVE_NAME)  # None where the install had no compiler: pdfium_content reads in Python

Tokens = list[tuple[str, Any]]
Operations = list[tuple[str, list[Any]]]


def built() -> bool:
    """The extension was compiled and imports."""
    return _native is not None


def enabled() -> bool:
    """``pdfium_content`` uses the C tokenizer: built, not turned off (``YUSUAN_NATIVE=0``).
    With ``YUSUAN_REQUIRE_NATIVE=1`` a missing extension raises instead of falling back."""
    return native.enabled(_native, NATIVE_NAME, IMPORT_ERROR)


def tokens(data: bytes) -> tuple[Tokens, str | None]:
    """The tokens of ``pdfium_content.tokens`` up to the first error, and its message."""
    assert _native is not None
    return _native.tokens(data)  # type: ignore[no-any-return]


def operations(data: bytes, wanted: frozenset[str]) -> tuple[Operations, str | None]:
    """The operators in ``wanted`` with their operands, in content order, up to the first
    error of the tokens or of the operand loop, and its message (``pdfium_content.operations``)."""
    assert _native is not None
    return _native.operations(data, wanted)  # type: ignore[no-any-return]


def shows(data: bytes, state: tuple[Any, ...], resources: Any, sets_font: Any, form: Any, make_show: Any) -> tuple[list[Any], str | None]:
    """``pdfium_content.text_shows`` over one content: the shows (each ``make_show(...)``, a
    form's those ``form(...)`` returns) up to the first error, and its message. ``state``: the
    text state at the start (font, resources, size, scaling, char_space, word_space);
    ``sets_font(name)``: the ExtGState of that name sets a font; ``form(name, *state)``: the
    shows of the Form XObject of that name drawn in that state, None for another XObject."""
    assert _native is not None
    return _native.shows(data, state, resources, sets_font, form, make_show)  # type: ignore[no-any-return]


_objects_ready = False


def text_object_addresses(page: Any, max_depth: int) -> list[int]:
    """``pdfium_missing.python_text_object_addresses`` in C: the addresses of the text objects
    of a PDFium page (an FPDF_PAGE), a form's inner ones where the form stands while its
    depth is below ``max_depth``."""
    assert _native is not None
    if not _objects_ready:
        _init_objects()
    return _native.text_object_addresses(address_of(page), max_depth)  # type: ignore[no-any-return]


def _init_objects() -> None:
    """Hand PDFium's page object functions to the extension, once (the object types it
    tells apart are PDFium's public numbers, written there)."""
    global _objects_ready
    import pypdfium2.raw as raw

    assert (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_FORM) == (1, 5)
    functions = (raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, raw.FPDFPageObj_GetType)
    _native.init_objects(*(ctypes.cast(function, ctypes.c_void_p).value for function in functions))
    _objects_ready = True
