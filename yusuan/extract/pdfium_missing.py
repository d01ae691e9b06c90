"""Text objects of a font not embedded that PDFium's text page leaves out, read from the
page's content (pdfium_content).

A text object whose glyph boxes have no width is missing from PDFium's text page; with a
font not embedded that is a space or a code the substitute font has no glyph for, and
PDFium gives no code. The k-th PDFium text object of the page is the k-th text-showing
operator of its content (pdfium_content), and that alignment is proved for the whole page
before any code is taken from it (pdfium_aligned: as many objects as operators, each
object's font its operator's, first characters agreeing).

A missing object is then read as pdfminer reads it (each code's Unicode and width from the
font dictionary, at the object's origin and matrix, horizontal scaling 100 %), each code
where pdfminer's ``render_string`` steps put it from PDFium's origin: PDFium's origin has
a TJ's opening number and the character spacing carried over from the operator before
(PDFium adds Tc after every character, pdfminer between characters only: its first
character is that far back), pdfminer adds Tc after the opening number; then each code's
advance, the character spacing, the word spacing after a space of one byte and the TJ
numbers between. Anything else (a code pdfminer cannot map, a font written vertically or
scaled) keeps the page with the pdfplumber reader.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as raw
from pdfminer.pdffont import PDFUnicodeNotDefined

from yusuan.extract import pdf_content_native
from yusuan.extract import pdfium_calls as calls
from yusuan.extract.pdfium_content import Show, Unreadable, text_shows
from yusuan.extract.pdfium_fonts import DictFont, DictFonts

MAX_FORM_DEPTH = 16  # as the reader walks forms (pdfium.PdfiumPage._walk)


class NotProved(Exception):
    """The missing objects of the page cannot be read with certainty."""


@dataclass(frozen=True)
class Glyph:
    """A character of a missing object as pdfminer reads it."""

    text: str
    fontname: str
    descent: float  # text space at size 1 (negative)
    width: float  # text space at size 1
    offset: float  # text space: how far along the baseline from the object's origin


def text_object_addresses(page: Any) -> list[int]:
    """The addresses of the page's text objects in the order of its page objects, a form's
    where the form stands (the order the reader walks them): in C where the content
    extension is used (``pdf_content_native.text_object_addresses``, one call per page
    instead of ctypes calls per object), else ``python_text_object_addresses``."""
    if pdf_content_native.enabled():
        return pdf_content_native.text_object_addresses(page, MAX_FORM_DEPTH)
    return python_text_object_addresses(page)


def python_text_object_addresses(page: Any) -> list[int]:
    """``text_object_addresses`` through ctypes: the fallback and the oracle."""
    found: list[int] = []
    count = raw.FPDFPage_CountObjects(page)
    _collect((calls.page_object(page, i) for i in range(count)), found, 0)
    return found


def _collect(handles: Iterator[Any], found: list[int], depth: int) -> None:
    for handle in handles:
        kind = calls.object_type(handle)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            found.append(ctypes.addressof(handle.contents))
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            count = raw.FPDFFormObj_CountObjects(handle)
            _collect((calls.form_object(handle, i) for i in range(count)), found, depth + 1)


def page_shows(fonts: DictFonts, number: int) -> list[Show]:
    """The text-showing operators of page ``number``. Raises NotProved."""
    content = fonts.page_content(number)
    if content is None:
        raise NotProved("the page's content is not read")
    try:
        return text_shows(content[0], content[1], fonts)
    except Unreadable as exc:
        raise NotProved(str(exc)) from None


def glyphs(font: DictFont, show: Show) -> list[Glyph]:
    """The characters of a missing object as pdfminer reads them, each placed along the
    baseline from PDFium's origin as pdfminer's ``render_string_horizontal`` places it (the
    same steps in the same order: a TJ number moves back by its thousandths of the size, the
    character spacing comes before every character but the first and after a TJ's number,
    the word spacing after a space of a font of one-byte codes). Raises NotProved."""
    if show.scaling != 100.0 or font.font.is_vertical():
        raise NotProved("a missing text object scaled or written vertically")
    word_space = 0.0 if font.multibyte else show.word_space
    found: list[Glyph] = []
    # PDFium's origin is after the character spacing of the operator before (carried over),
    # which pdfminer adds between characters only: its first character is that far back
    x = -show.carried_char_space
    need_char_space = False
    for item in show.items:
        if isinstance(item, float):
            if found:
                x -= item * (0.001 * show.size)  # pdfminer's dxscale at scaling 1
            # a TJ's opening number is in PDFium's origin already; pdfminer adds the
            # character spacing after it, PDFium does not
            need_char_space = True
            continue
        cids = font.font.decode(item)
        if not cids and not found:
            raise NotProved("a missing text object opening with an empty string")
        for cid in cids:
            if need_char_space:
                x += show.char_space
            try:
                text = font.font.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
                raise NotProved("a missing text object of a code pdfminer does not map") from None
            width = font.font.char_width(cid)
            found.append(Glyph(text, font.fontname, font.descent(), width, x))
            x += width * show.size
            if cid == 32 and word_space:
                x += word_space
            need_char_space = True
    if not found:
        raise NotProved("a missing text object of no code")
    return found
