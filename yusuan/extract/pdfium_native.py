"""The PDFium reader's per-character loop and page-object walk in C, when the extension was built (issue 14).

``PdfiumPage._read_chars`` asks PDFium five or six things per character through ctypes and
builds a dict per character: a sixth of the whole path's time, 1.6 million characters on the
shared corpora. ``_pdfium_chars.c`` runs the same loop over a text page in C and builds the
same dict, as a ``Char`` (a C object with the dict's sixteen values, read as that dict:
``_char_object.h``; the layout loops read its fields directly), for the common character
(an embedded font, upright, its advance known) and for
a glyph of an embedded font turned in user space (its loose box asked in C); every other
character comes back to ``uncommon_char`` below, the Python loop's branches for it.

The page-object walk (``PdfiumPage._walk``) runs there too, one call per page (``walk``):
the usual text objects' characters and the painted paths' dicts are placed in C, every
other object goes back to the Python walk's branch in its place; and so does
``pdf.fix_glyph_boxes``'s loop over a page's characters (``fix_glyph_boxes``).

The extension is optional (setup.py): built where a C compiler and the Python headers are
(``pip install -e .`` or ``pip install .``), else the reader runs its Python loop, which
also stays the oracle (tests/unit/test_pdfium_native.py compares the two on every fixture
page). ``YUSUAN_NATIVE=0`` selects the Python loop; ``YUSUAN_REQUIRE_NATIVE=1`` (CI) makes
a missing extension an error instead of a silent fallback.

The C code is not linked against libpdfium: the addresses of PDFium's functions are taken
from pypdfium2's bindings (the library and version pypdfium2 loaded) and passed once.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable, Mapping
from typing import Any

import pypdfium2.raw as raw

from yusuan.core import native
from yusuan.extract import layout_native
from yusuan.extract import pdfium_calls as calls

# pdfium.py's types, named here without importing it (pdfium imports this module)
Matrix = tuple[float, float, float, float, float, float]
Obj = dict[str, Any]
PdfiumPage = Any
Traced = tuple[int, float, float, float, tuple[float, float, float, float], float, bool, int, int]

NATIVE_NAME = "yusuan.extract._pdfium_chars"
_native: Any
_native, IMPORT_ERROR = native.load(NATIVE_NAME)  # None where the install had no compiler: the Python loop reads the page
if _native is not None:
    _native.init(*(
        ctypes.cast(function, ctypes.c_void_p).value
        for function in (
            raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetTextObject,
            raw.FPDFText_GetMatrix, raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize,
            raw.FPDFTextObj_GetFont, raw.FPDFFont_GetGlyphWidth, raw.FPDFText_GetLooseCharBox,
        )
    ))
    _native.init_paths(*(
        ctypes.cast(function, ctypes.c_void_p).value
        for function in (
            raw.FPDFPath_CountSegments, raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint,
            raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose,
        )
    ))
    _native.init_walk(*(
        ctypes.cast(function, ctypes.c_void_p).value
        for function in (
            raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject,
            raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetMatrix, raw.FPDFPath_GetDrawMode,
        )
    ))
    _native.init_clip(*(
        ctypes.cast(function, ctypes.c_void_p).value
        for function in (raw.FPDFPageObj_GetClipPath, raw.FPDFClipPath_CountPaths, raw.FPDFClipPath_CountPathSegments, raw.FPDFClipPath_GetPathSegment)
    ))
    _native.init_spaces(*(ctypes.cast(function, ctypes.c_void_p).value for function in (raw.FPDFTextObj_GetFontSize, raw.FPDFPageObj_GetBounds)))
    # the object types the C walk tells apart (PDFium's public numbers, written there)
    assert (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM) == (1, 2, 3, 5)
    # the characters the C loop makes are Chars (``_char_object.h``): mappings read as the
    # dicts they replace; the layout loops read their fields directly once told the type
    Mapping.register(_native.Char)
    if layout_native._native is not None:
        layout_native._native.register_char_type(_native.Char)

# one trace record of the C loop: text object address, x, y, advance (0.0 for none), a, b, c,
# d, font size, text page index, flags (1: a space, 2: an advance whose loose box is unasked)
RECORD = struct.Struct("<QddddddddiI")
SPACE, UNCHECKED = 1, 2
# one run of the C loop: text object address, its characters' start and end in the page's
# list, whether its font is embedded, unused
RUN = struct.Struct("<QqqiI")
# whether the walk reads a page's characters by their runs (``walk``'s ``runs``) where they are
# contiguous on a page of embedded fonts; False: grouped at once, as ``read_chars`` gives them
# (the tests' oracle, and the other half of a timing in one process)
walk_reads_runs = True


def address_of(handle: Any) -> int:
    """The address a PDFium handle (a ctypes pointer) holds, 0 for NULL. Not by
    ``ctypes.cast(handle, c_void_p)``: a cast keeps its source in a dict that the source then
    holds too, so every page's and text page's pointer ended in a reference cycle, left for
    the collector (and a cast costs ten times as much)."""
    return ctypes.addressof(handle.contents) if handle else 0


def exceeds_clip(handle: Any) -> tuple[float, float, float, float] | None:
    """pdfium_clip.exceeds_clip in C: the clip box of a page object whose bounds reach outside
    it, else None."""
    return _native.exceeds_clip(address_of(handle))


def built() -> bool:
    """The extension was compiled and imports."""
    return _native is not None


def enabled() -> bool:
    """The reader uses the C loop: built, not turned off (``YUSUAN_NATIVE=0``). With
    ``YUSUAN_REQUIRE_NATIVE=1`` a missing extension raises instead of falling back."""
    return native.enabled(_native, NATIVE_NAME, IMPORT_ERROR)


def round4(value: float) -> float:
    """The C loop's rounding (Python's ``round(value, 4)``), for the tests that prove it."""
    assert _native is not None
    return float(_native.round4(value))


def read_chars(page: PdfiumPage, handle: Any, ctm: Matrix) -> tuple[dict[int, list[Obj]], bytes]:
    """The characters of the text page grouped by text object address, as
    ``PdfiumPage._read_chars`` gives them (their glyph boxes fixed as ``PdfiumPage._char``
    fixes them, at ``page.glyph_ascent``), and the packed trace (``unpack_trace``)."""
    chars, packed, runs, _contiguous = read_char_runs(page, handle, ctm)
    return group_runs(chars, runs), packed


def read_char_runs(page: PdfiumPage, handle: Any, ctm: Matrix) -> tuple[list[Obj], bytes, bytes, bool]:
    """``read_chars`` before its characters are grouped by text object: all of them in one
    list in the text page's order, the packed trace, the runs of each text object (``RUN``:
    ``group_runs`` of them is ``read_chars``' dict), and whether they are contiguous (no
    object has two runs). A page of Chinese draws each character in its own text object:
    grouped, it was a list and two dict entries per character, made, copied (``_chars_of``),
    looked up by the walk and freed; the walk reads the runs instead (``walk``)."""
    assert _native is not None
    address = address_of(handle)
    mediabox = page.mediabox
    rect = raw.FS_RECTF()  # one per page, as the Python loop's: a failed call leaves the last box
    return _native.read_chars(  # type: ignore[no-any-return]
        address, raw.FPDFText_CountChars(handle), ctm,
        (mediabox[0], mediabox[1], page._page_height, page.initial_doctop), page.page_number,
        page._text_objects, page._object_facts, page._font_facts, page._fonts, page._font, page._widths,
        lambda i, code, key, a, b, c, d, x, y, size: uncommon_char(page, handle, ctm, rect, i, code, key, (a, b, c, d), x, y, size),
        ctypes.addressof(rect), page.glyph_ascent,
    )


def group_runs(chars: list[Obj], runs: bytes) -> dict[int, list[Obj]]:
    """The characters grouped by text object address as ``PdfiumPage._read_chars`` groups
    them (its ``by_object``), from ``read_char_runs``' list and runs (in C)."""
    assert _native is not None
    return _native.group_runs(chars, runs)  # type: ignore[no-any-return]


def runs_by_object(chars: list[Obj], runs: bytes, grouped: Mapping[int, list[Obj]]) -> dict[int, list[Obj]]:
    """Every text object's characters (``PdfiumPage._chars_of``) from contiguous runs: the list
    ``grouped`` holds for an object where it holds one (the same list), else the run's."""
    found: dict[int, list[Obj]] = {}
    for address, start, end, _embedded, _unused in RUN.iter_unpack(runs):
        known = grouped.get(address)
        found[address] = known if known is not None else chars[start:end]
    return found


def path_shapes(handle: Any, matrix: Matrix, x: ctypes.c_float, y: ctypes.c_float) -> list[tuple[str, list[tuple[float, float]]]]:
    """``pdfium.path_shapes``'s segment loop and ``_classify`` in C, for a painted path whose
    matrix times the CTM is ``matrix``; ``x`` and ``y`` are the page's point out-parameters
    (PathBuffers), used by the C loop as by the Python one."""
    assert _native is not None
    return _native.path_shapes(address_of(handle), matrix, ctypes.addressof(x), ctypes.addressof(y))  # type: ignore[no-any-return]


def path_objects(handle: Any, matrix: Matrix, x: ctypes.c_float, y: ctypes.c_float, place: tuple[float, float, float, float, int]) -> list[tuple[str, Obj]]:
    """``path_shapes`` with each shape's dict as ``PdfiumPage._path_object`` makes it, at
    ``place`` (the page's height, MediaBox x0 and top, document top, page number)."""
    assert _native is not None
    return _native.path_shapes(address_of(handle), matrix, ctypes.addressof(x), ctypes.addressof(y), place)  # type: ignore[no-any-return]


def walk(
    page: PdfiumPage, handle: Any, ctm: Matrix, found: dict[str, list[Obj]], other: Callable[[int, int, Matrix, int], None], lone_spaces: bool = False, runs: tuple[list[Obj], bytes] | None = None
) -> None:
    """``PdfiumPage._walk`` over the whole page (``handle``: its FPDF_PAGE), Form XObjects
    included, in one call: the usual text objects' characters extended onto the page's
    ``_ordered_chars`` and the painted paths' dicts appended to ``found`` in C; with
    ``lone_spaces``, also the text objects the text page left out that are lone spaces of an
    embedded font (``PdfiumPage._text_object``'s last branch; on a page with a font not
    embedded, ``_substituted``, only of a font its ``_ideographic`` cache says has no
    ideographic space), their characters appended to ``_ordered_chars`` and noted in
    ``_lone_spaces`` (their glyph boxes fixed as ``read_chars`` fixes them). Every other object (a text object not one of those, an image,
    a path or form whose matrix PDFium does not give) goes to ``other(address, kind, ctm,
    depth)``, the Python walk's branch for it, in its place in the order.

    ``runs``: ``read_char_runs``' characters and contiguous runs, the page's ``_by_object``
    being empty (not made). A text object that is the next run's, of an embedded font, takes
    its characters from the run; ``_by_object`` is made of the runs left (``group_runs``) at
    the first text object of the text page out of that order, before a form or path goes to
    ``other``, and at the end (the characters no object took): each time as it would be then."""
    assert _native is not None
    place = (page._page_height, page.mediabox[0], page.mediabox[1], page.initial_doctop, page.page_number)
    spaces = (page._lone_spaces, page._font_facts, page._fonts, page._ideographic if page._substituted else None) if lone_spaces else None
    _native.walk(address_of(handle), ctm, page._text_objects, page._by_object, page._ordered_chars, found, place, other, spaces, page.glyph_ascent, runs)


def fix_glyph_boxes(chars: list[Obj], height: float, offset: float, doctop: float, ascent: float, one: Callable[[Obj], None]) -> None:
    """``pdf.fix_glyph_boxes``'s loop over a page's characters in C (the same tests and
    arithmetic); a character whose matrix, size or top is not floats goes to ``one``."""
    assert _native is not None
    _native.fix_glyph_boxes(chars, height, offset, doctop, ascent, one)


def unpack_trace(packed: bytes) -> list[Traced]:
    """The trace of the Python loop (``Traced`` tuples) from the C loop's records."""
    return [
        (address, x, y, advance, (a, b, c, d), size, bool(flags & SPACE), address, index)
        for address, x, y, advance, a, b, c, d, size, index, flags in RECORD.iter_unpack(packed)
    ]


def traced(packed: bytes) -> list[Traced]:
    """``unpack_trace``'s tuples made in C (the page's trace is unpacked on a page with a
    font not embedded, where the gap checks read it; ``unpack_trace`` stays the oracle)."""
    assert _native is not None
    return _native.unpack_trace(packed)  # type: ignore[no-any-return]


def advances_differ(handle: Any, packed: bytes) -> bool:
    """``PdfiumPage._advances_differ`` of the text page ``handle`` over ``unchecked_advances``
    of the packed trace, in C: the records' loose boxes asked there, no list made."""
    assert _native is not None
    return bool(_native.advances_differ(address_of(handle), packed))


def unchecked_advances(packed: bytes) -> list[tuple[int, float, float]]:
    """The Python loop's ``unchecked``: (index, advance, a) of each character whose loose box
    was not asked."""
    return [(index, advance, a) for _address, _x, _y, advance, a, _b, _c, _d, _size, index, flags in RECORD.iter_unpack(packed) if flags & UNCHECKED]


def uncommon_char(page: PdfiumPage, handle: Any, ctm: Matrix, rect: Any, i: int, code: int, address: int, linear: tuple[float, float, float, float], x: float, y: float, size: float) -> tuple[Obj, float | None]:
    """A character the C loop does not build (a font not embedded; an embedded font's
    upright glyph whose advance is unknown): the branches of ``PdfiumPage._read_chars`` after the facts are read, the
    same calls in the same order (kept in step with that loop; the equality test covers
    both). ``rect`` is the page's loose box out-parameter. Returns the character and its
    advance (None for none)."""
    font, font_key, embedded = page._text_objects[address]
    a, b, c, d = linear
    rect_out = ctypes.byref(rect)
    if embedded:
        named = page._fonts.get((font_key, size))
        fontname, descent = named if named is not None else page._font(font, size)
        advance = page._widths.get((font_key, code, size), False)
        if advance is False:
            advance = page._glyph_width(font, font_key, code, size)
        calls.text_loose_box(handle, i, rect_out)
        if advance is not None and b == 0 and c == 0 and abs((rect.right - rect.left) - advance * abs(a)) > 0.01:
            page._doubtful = True  # PDFium's Unicode may not be the code's (U+0020 for U+3000)
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
    else:
        calls.text_loose_box(handle, i, rect_out)
        fontname, descent, advance = page._dictionary_glyph(font, chr(code), size, linear, rect, handle, i, x)
        if a == 0 and d == 0 and b:
            rect.bottom, rect.top = sorted((y, y + advance * b))
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
    return page._char(chr(code), fontname, linear, x, y, size, descent, advance, left, bottom, right, top, ctm), advance
