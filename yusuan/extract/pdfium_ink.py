"""A character of a font not embedded whose substitute glyph's ink reaches past its advance.

PDFium's loose box of a character (``FPDFText_GetLooseCharBox``, ``GetLooseBounds`` in
``cpdf_textpage.cpp``) is the box of its advance — from the origin over the width PDFium
gives the character's code (``CPDF_TextObject::GetCharWidth``: the PDF's ``/W``, ``/DW`` or
``/Widths``, the same widths pdfminer reads) — **united with the glyph's tight box**
(``char_box``, ``FPDFText_GetCharBox``: the ink of the glyph PDFium draws). For a font that
is not embedded the glyph is a substitute's, and its ink may reach past the advance
(STSongStd-Light's digits drawn with a wider substitute: a '1' of advance 4.158 pt whose ink
ends 4.266 pt from the origin). The loose box then spans the ink, not the advance, and the
reader's check "the loose box spans the dictionary's width" fails although the width is
the dictionary's.

``advance_within_ink`` decides such a character by the same union: the loose box must be
exactly (within 1/100 pt) the union of the advance box of the dictionary's width and the
ink box, along the baseline, and the ink must be what reaches the loose box's far side
(otherwise the loose box spans the advance, and the plain check decides). Two more facts
must hold, or the page is handed over as before:

- the dictionary gives every code that pdfminer maps to PDFium's Unicode one width (no
  choice between codes is left to the loose box);
- PDFium's own width for its code of that Unicode (``FPDFFont_GetGlyphWidth``: the code
  found through the inverse of PDFium's mapping, ``CharCodeFromUnicode``, and its width
  from the same dictionary) is that width.

So the width is the one both libraries give the Unicode; what the ink hides is only a
drawn advance shorter than the ink, which the two facts above leave no room for.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw

# user space, as the reader's loose-box check (1/100 pt)
TOLERANCE = 0.01


def ink_box(textpage: Any, index: int) -> tuple[float, float, float, float] | None:
    """PDFium's tight box of a character (left, bottom, right, top): the ink of the glyph
    it draws. None when PDFium gives none."""
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    if not raw.FPDFText_GetCharBox(textpage, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)):
        return None
    return left.value, bottom.value, right.value, top.value


def advance_within_ink(origin_x: float, a: float, advance: float, loose: tuple[float, float], ink: tuple[float, float]) -> bool:
    """An upright glyph (matrix a, b = c = 0) whose loose box along the baseline
    (``loose``: left, right) is the union of its advance box — from ``origin_x`` over
    ``advance`` (text space at its size) times ``a`` — and its ink (``ink``: left, right),
    with the ink reaching the far side: the advance is consistent with the loose box but
    not measured by it."""
    end = origin_x + advance * a
    adv_left, adv_right = (end, origin_x) if end < origin_x else (origin_x, end)
    ink_left, ink_right = ink
    if ink_right < ink_left:
        return False
    left, right = min(adv_left, ink_left), max(adv_right, ink_right)
    if abs(left - loose[0]) > TOLERANCE or abs(right - loose[1]) > TOLERANCE:
        return False
    # the far side of the advance (right for a > 0, left for a < 0) is covered by the ink
    if a > 0:
        return ink_right > adv_right + TOLERANCE
    return ink_left < adv_left - TOLERANCE
