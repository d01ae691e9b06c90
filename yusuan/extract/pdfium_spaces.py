"""Which gaps between the characters PDFium's text page gives can be proved to hide nothing.

On a page with a font not embedded, the PDFium reader hands the page to pdfminer where its
text page may have left a character out (pdfium.characters_left_out): a gap inside a text
object, or a text object that reaches further than the space it ends with. Most gaps are
only spacing (TJ adjustments, character spacing Tc), and the page is then read by pdfminer
for nothing, at about ten times the cost.

PDFium's text page (CPDF_TextPage) leaves a character of a text object out in these ways:

- ``CloseTempLine`` deletes a space whose predecessor in the line's buffer is a space, a
  space of the document or one the text page generated (the second and later of
  consecutive spaces);
- inside a text object, a TJ adjustment or a character spacing of at least half a space
  makes the text page generate a space (``FPDFText_IsGenerated``) before the next
  character; a space of the document that follows it is then deleted as above;
- a character of the same code and font drawn within 7 % of the size of one of the seven
  characters before it is dropped as a duplicate (a fake bold).

So after a character that is not a space, a space can only be left out behind a generated
one, and a generated character takes a place in the text page. Where the next character
of the same text object is the very next character of the text page, nothing was put
between them and nothing was deleted after the first (a deletion needs a space before it):
the gap is spacing. The duplicate rule is not told by a gap (the dropped character sits
where an earlier one is) and is not checked here, as on every page the reader reads.

A gap after a space is not decided here: the spaces deleted after it and a TJ adjustment
cannot be told apart from the positions alone (the adjustments Word writes are not whole
spaces), so such a page stays with pdfminer. ``docs/speed.md`` ("Spaces the text page
leaves out") gives the counts.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw

# how close a generated space must start to the character after it (PDFium places it at
# that character's origin, computed the same way): far below any advance
SAME_ORIGIN = 1e-3


def gap_is_spacing(textpage: Any, previous_index: int, index: int, x: float, y: float, previous_is_space: bool, previous_strict: bool) -> bool:
    """A gap between two characters of one text object (text page indices
    ``previous_index`` and ``index``, the second at origin ``x, y``) hides no character.

    The first must not be a space (after a space, deleted spaces and spacing are not told
    apart), nor a glyph whose advance the next origin must confirm (``previous_strict``: a
    font not embedded turned a quarter). Between them in the text page there may only be
    generated spaces placed at the second one's origin: PDFium places a space it generates
    for a TJ adjustment or a character spacing at the origin of the character that follows
    the spacing, so that character is the second one, and a space of the document deleted
    behind the generated one would have stood there instead."""
    if previous_is_space or previous_strict:
        return False
    return all(_generated_at(textpage, j, x, y) for j in range(previous_index + 1, index))


def _generated_at(textpage: Any, index: int, x: float, y: float) -> bool:
    if not raw.FPDFText_IsGenerated(textpage, index):
        return False
    ox, oy = ctypes.c_double(), ctypes.c_double()
    if not raw.FPDFText_GetCharOrigin(textpage, index, ox, oy):
        return False
    return abs(ox.value - x) <= SAME_ORIGIN and abs(oy.value - y) <= SAME_ORIGIN
