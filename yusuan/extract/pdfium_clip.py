"""Characters hidden by their text object's clip path: not printed, so not read.

A cell label longer than its cell is often drawn whole and clipped at the cell's border
(西安's tables: "西安市人工影响天气服务保障中心" prints up to "服务保"), and HTML converters
leave CSS residue clipped to an empty box (北京: "overflow:hidden; display: inline-…"). PDFium's
text page keeps every such character; the reader drops those the clip path hides.

PDFium gives a page object's clip path (``FPDFPageObj_GetClipPath``) as the paths of every
``W n`` in force when it was drawn, each already taken through the CTM of that moment: in the
coordinates of the object's container (the page's user space, or the Form XObject's space for
an object inside a form), the same space as the object's bounds (``FPDFPageObj_GetBounds``).
The region drawn is the intersection of those paths. The reader bounds each path by the box
of its points (a curve's control points included: a Bézier curve lies within their hull), and
intersects those boxes:

- a rectangle (every clip of the corpus that hides text) is its own box: exact;
- any other path lies inside its box, so a point outside the box is outside the path: what
  falls outside is surely hidden, what falls inside may still be hidden and is kept.

Only paths are read: a clip by text (render modes 4–7) is not (``FPDFClipPath_CountPaths``
counts paths only), nor the clip of an enclosing form object (the text object's own paths
hold its form's BBox); both can only leave a hidden character in, never drop a visible one.

The test is cheap where nothing is clipped, the common page: a text object is looked at only
where its bounds reach outside its clip box (``exceeds_clip``, in the walk, in C as in
Python); then each of its characters is dropped whose glyph box's centre lies outside the clip
box (``within_clip``).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Mapping
from typing import Any

import pypdfium2.raw as raw

from yusuan.extract import pdfium_native

Box = tuple[float, float, float, float]  # left, bottom, right, top
Matrix = tuple[float, float, float, float, float, float]


def clip_box(handle: Any) -> Box | None:
    """The box of a page object's clip region (its clip paths' point boxes intersected) in its
    container's space, None where it has no clip path. Empty (left > right or bottom > top)
    where the paths do not meet: nothing of the object is drawn."""
    clip = raw.FPDFPageObj_GetClipPath(handle)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    box: Box | None = None
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        xs: list[float] = []
        ys: list[float] = []
        for index in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and raw.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue  # a path with no point bounds nothing: left out (keeps the characters)
        found = (min(xs), min(ys), max(xs), max(ys))
        box = found if box is None else (max(box[0], found[0]), max(box[1], found[1]), min(box[2], found[2]), min(box[3], found[3]))
    return box


def exceeds_clip(handle: Any) -> Box | None:
    """The clip box of a page object whose bounds reach outside it (some of it may be hidden),
    else None (nothing of it is clipped: the common object, one look). In C where the
    extension is on (the walk hands every such object to Python, which asks again: a
    third of a second of the path in ctypes calls), else ``python_exceeds_clip``."""
    if pdfium_native.enabled():
        return pdfium_native.exceeds_clip(handle)
    return python_exceeds_clip(handle)


def python_exceeds_clip(handle: Any) -> Box | None:
    """``exceeds_clip`` through ctypes: the oracle of the C function."""
    box = clip_box(handle)
    if box is None:
        return None
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
        return None
    if left.value < box[0] or bottom.value < box[1] or right.value > box[2] or top.value > box[3]:
        return box
    return None


def within_clip(chars: Iterable[Mapping[str, Any]], box: Box, ctm: Matrix, mediabox_x0: float) -> list[Any]:
    """The characters whose glyph box's centre lies inside the clip box (``box``, in the space
    that ``ctm`` takes to the page's display space, where pdfplumber's x is offset by the
    MediaBox's x0): the centre is taken back through the inverse of ``ctm``. A matrix with no
    inverse keeps every character."""
    a, b, c, d, e, f = ctm
    determinant = a * d - b * c
    if determinant == 0:
        return list(chars)
    left, bottom, right, top = box
    kept = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2 - mediabox_x0 - e
        y = (char["y0"] + char["y1"]) / 2 - f
        # (x, y) = (u, v) · [[a, b], [c, d]] solved for the container's (u, v)
        u = (x * d - y * c) / determinant
        v = (y * a - x * b) / determinant
        if left <= u <= right and bottom <= v <= top:
            kept.append(char)
    return kept
