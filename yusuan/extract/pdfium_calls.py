"""PDFium's functions of the reader's hot loops, called without ctypes' argument conversion.

pypdfium2's bindings (``pypdfium2.raw``) declare the argument types of every function, so each
call converts and checks every argument (a handle, an index, a pointer to a struct): measured
about 0.3 µs of a 0.7–0.9 µs call. The PDFium reader makes six such calls per character and
four per path segment, some 10 million on the shared corpora. These are the **same C
functions** (their addresses are taken from pypdfium2's bindings, so the library and its
version are the ones pypdfium2 loaded) declared with their result type only. The caller passes
exactly what the C signature takes, as ctypes passes it without declared types:

- a handle as a ctypes pointer (what ``pypdfium2.raw`` returns) or a ``c_void_p`` — never a bare
  Python int, which ctypes would pass as a 32-bit C ``int``;
- an ``int`` index as a Python int; a ``float`` as ``c_float``;
- an out-parameter as ``ctypes.byref`` of a struct or number made once per page.

A handle returned as ``c_void_p`` comes back as a Python int (None for NULL): a key, to be
wrapped in ``c_void_p`` before it is passed on. Everything else goes through ``pypdfium2.raw``.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw


def unchecked(function: Any, restype: Any) -> Any:
    """The C function behind a ``pypdfium2.raw`` binding, called with its arguments as given."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    call = ctypes.CFUNCTYPE(restype)(address)
    call.argtypes = None
    return call


# text page (FPDF_TEXTPAGE, int index, ...)
text_unicode = unchecked(raw.FPDFText_GetUnicode, ctypes.c_uint)
text_is_generated = unchecked(raw.FPDFText_IsGenerated, ctypes.c_int)
text_object = unchecked(raw.FPDFText_GetTextObject, ctypes.c_void_p)  # an int key, None for NULL
text_matrix = unchecked(raw.FPDFText_GetMatrix, ctypes.c_int)  # (page, i, FS_MATRIX*)
text_origin = unchecked(raw.FPDFText_GetCharOrigin, ctypes.c_int)  # (page, i, double*, double*)
text_loose_box = unchecked(raw.FPDFText_GetLooseCharBox, ctypes.c_int)  # (page, i, FS_RECTF*)
text_font_size = unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)

# text object (FPDF_PAGEOBJECT) and font (FPDF_FONT)
text_object_font = unchecked(raw.FPDFTextObj_GetFont, ctypes.c_void_p)  # an int key, None for NULL
font_glyph_width = unchecked(raw.FPDFFont_GetGlyphWidth, ctypes.c_int)  # (font, uint32 code, c_float size, float*)

# page objects and path segments
page_object = unchecked(raw.FPDFPage_GetObject, raw.FPDF_PAGEOBJECT)
form_object = unchecked(raw.FPDFFormObj_GetObject, raw.FPDF_PAGEOBJECT)
object_type = unchecked(raw.FPDFPageObj_GetType, ctypes.c_int)
object_matrix = unchecked(raw.FPDFPageObj_GetMatrix, ctypes.c_int)  # (object, FS_MATRIX*)
path_draw_mode = unchecked(raw.FPDFPath_GetDrawMode, ctypes.c_int)  # (path, int*, int*)
path_count_segments = unchecked(raw.FPDFPath_CountSegments, ctypes.c_int)
path_segment = unchecked(raw.FPDFPath_GetPathSegment, raw.FPDF_PATHSEGMENT)
segment_point = unchecked(raw.FPDFPathSegment_GetPoint, ctypes.c_int)  # (segment, float*, float*)
segment_type = unchecked(raw.FPDFPathSegment_GetType, ctypes.c_int)
segment_close = unchecked(raw.FPDFPathSegment_GetClose, ctypes.c_int)
