"""Text objects of a font not embedded that PDFium's text page leaves out, read from the
page's content (pdfium_content).

A text object whose glyph boxes have no width is missing from PDFium's text page; with a
font not embedded that is a space or a code the substitute font has no glyph for, and
PDFium gives no code. The k-th PDFium text object of the page is the k-th text-showing
operator of its content (pdfium_content), and that alignment is proved for the whole page
before any code is taken from it (pdfium_aligned: as many objects as operators, each
object's font its operator's, first characters agreeing).

A missing object is then read as pdfminer reads it where one code is shown (its Unicode
and width from the font dictionary, at the object's origin and matrix, upright,
horizontal scaling 100 %) and pdfminer places it where PDFium does (no character spacing
between it and where the operator before ended, nor after a TJ's opening number: pdfminer
adds Tc between characters only). Anything else — several codes, whose positions would need the
text state between them, a code pdfminer cannot map — keeps the page with the pdfplumber
reader.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as raw
from pdfminer.pdffont import PDFUnicodeNotDefined

from yusuan.extract import pdfium_calls as calls
from yusuan.extract.pdfium_content import Show, Unreadable, text_shows
from yusuan.extract.pdfium_fonts import DictFont, DictFonts

MAX_FORM_DEPTH = 16  # as the reader walks forms (pdfium.PdfiumPage._walk)


class NotProved(Exception):
    """The missing objects of the page cannot be read with certainty."""


@dataclass(frozen=True)
class Glyph:
    """A missing object's one character as pdfminer reads it."""

    text: str
    fontname: str
    descent: float  # text space at size 1 (negative)
    width: float  # text space at size 1


def text_object_addresses(page: Any) -> list[int]:
    """The addresses of the page's text objects in the order of its page objects, a form's
    where the form stands (the order the reader walks them)."""
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


def first_text(font: DictFont, show: Show) -> str | None:
    """What pdfminer reads from the operator's first code (None: no text for it)."""
    for string in show.strings:
        for cid in font.font.decode(string):
            try:
                return font.font.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
                return None
    return None


def one_glyph(font: DictFont, show: Show) -> Glyph:
    """The one character of a missing object as pdfminer reads it. Raises NotProved."""
    cids = [cid for string in show.strings for cid in font.font.decode(string)]
    if len(cids) != 1:
        raise NotProved("a missing text object of several codes")
    if show.scaling != 100.0 or font.font.is_vertical():
        raise NotProved("a missing text object scaled or written vertically")
    if show.carried_char_space or (show.leading_number and show.char_space):
        # pdfminer places the character a character spacing away from PDFium's origin
        raise NotProved("a missing text object placed by the character spacing")
    try:
        text = font.font.to_unichr(cids[0])
    except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
        raise NotProved("a missing text object of a code pdfminer does not map") from None
    return Glyph(text, font.fontname, font.descent(), font.font.char_width(cids[0]))
