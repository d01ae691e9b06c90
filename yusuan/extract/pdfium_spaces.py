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
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as raw
from pdfminer.cmapdb import IdentityCMap

from yusuan.extract.pdfium_fonts import DictFont

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


# a character of the page's trace (pdfium.Traced): text object address, origin x and y,
# advance (text space at its size), matrix (a, b, c, d), size, a space, the text object,
# its index in the text page
Traced = tuple[int, float, float, float, tuple[float, float, float, float], float, bool, Any, int]
# positions are PDFium's single-precision origins: a whole multiple is taken within this
EXACT = 1e-3


@dataclass(frozen=True)
class LeftOut:
    """Spaces the text page left out after the kept space ``trace[at]``: ``count`` of them,
    each ``step`` (user space) further than the one before."""

    at: int
    count: int
    step: tuple[float, float]


def spaces_after(trace: list[Traced], at: int, tw_not_applied: bool) -> LeftOut | None:
    """The spaces left out between the kept space ``trace[at]`` and the next character of
    its text object ``trace[at + 1]``, when their number is proved; None otherwise.

    PDFium deletes the second and later of consecutive spaces and keeps the origins of the
    rest, computed from the real codes (CPDF_TextObject: each advance, plus the character
    spacing Tc, plus the word spacing Tw after a one-byte space, less a TJ adjustment). The
    count is proved when:

    - the two are neighbours in the text page (nothing generated or kept between them) on
      one baseline, with one glyph matrix that is upright or turned a quarter;
    - the step of a space is known: its advance plus Tc, Tc being the one spacing every
      other pair of neighbouring characters of the object shows (all alike within
      1/1,000 pt: no TJ adjustment there), plus Tw, which must be proved to be zero:
      ``tw_not_applied`` (a CID font of two-byte codes, where neither PDFium nor pdfminer
      applies it) or a kept space of the object followed by its neighbour exactly one
      step on;
    - the distance between the two is a whole multiple (two or more) of that step within
      1/1,000 pt.
    """
    space = trace[at]
    after = trace[at + 1] if at + 1 < len(trace) else None
    if after is None or after[0] != space[0] or not space[6] or after[8] != space[8] + 1 or after[4] != space[4]:
        return None
    direction = _direction(space[4])
    if direction is None:
        return None
    along, across = _along(space, after, direction)
    step = _space_step(trace, at, direction, tw_not_applied)
    if step is None or step <= EXACT or abs(across) > EXACT:
        return None
    spaces = round(along / step)
    if spaces < 2 or abs(along - spaces * step) > EXACT:
        return None
    return LeftOut(at, spaces - 1, (step * direction[0], step * direction[1]))


def _direction(linear: tuple[float, float, float, float]) -> tuple[float, float] | None:
    """The unit vector of the baseline of an upright or quarter-turned glyph matrix."""
    a, b, c, d = linear
    if b == 0 and c == 0 and a and d:
        return (1.0 if a > 0 else -1.0, 0.0)
    if a == 0 and d == 0 and b and c:
        return (0.0, 1.0 if b > 0 else -1.0)
    return None


def _along(first: Traced, second: Traced, direction: tuple[float, float]) -> tuple[float, float]:
    """How far the second origin is from the first along the baseline, and across it."""
    dx, dy = second[1] - first[1], second[2] - first[2]
    return dx * direction[0] + dy * direction[1], dy * direction[0] - dx * direction[1]


def _space_step(trace: list[Traced], at: int, direction: tuple[float, float], tw_not_applied: bool) -> float | None:
    """The distance from a kept space of a text object to where the next space would start
    (user space, along the baseline), from the other characters of the object."""
    space = trace[at]
    address, linear = space[0], space[4]
    start, end = at, at
    while start > 0 and trace[start - 1][0] == address:
        start -= 1
    while end + 1 < len(trace) and trace[end + 1][0] == address:
        end += 1
    scale = abs(linear[0] or linear[1])
    spacings: list[float] = []
    space_distances: list[float] = []
    for first, second in zip(trace[start:end], trace[start + 1 : end + 1], strict=True):
        if second[8] != first[8] + 1 or first[4] != linear or second[4] != linear:
            continue
        along, across = _along(first, second, direction)
        if abs(across) > EXACT:
            continue
        if first[6]:
            if first[3] == space[3]:
                space_distances.append(along)
        else:
            spacings.append(along - first[3] * scale)
    if not spacings or max(spacings) - min(spacings) > EXACT:
        return None
    tc = sum(spacings) / len(spacings)
    step = space[3] * scale + tc
    if tw_not_applied or any(abs(d - step) <= EXACT for d in space_distances):
        return step
    return None


def two_byte_codes(font: DictFont) -> bool:
    """A CID font whose CMap is Identity-H or Identity-V: every code, the space's too, is
    two bytes, so the word spacing Tw applies to none (PDFium adds it after a one-byte
    space only, pdfminer never for a multibyte font)."""
    return font.multibyte and isinstance(getattr(font.font, "cmap", None), IdentityCMap)
