"""pdfplumber's layout functions that run on every page, rewritten for speed with identical results.

The PDF readers hand every page to pdfplumber's pure-Python layout code (yusuan/extract/pdf.py):
the characters of the page within its box, the words and text lines, the text of every table
cell, the crossings of the rulings. pdfplumber's versions are general (any direction, layout
mode, user settings) and re-derive the same things per call: a ``WordExtractor`` validated
and built for every cell, every clustering sorted twice through a dict of tuples, the
horizontal rulings re-sorted for every vertical one. These functions do the same work for
the settings yusuan uses (pdfplumber's defaults) and return the same objects in the same
order, so every published byte stays the same; ``tests/unit/test_plumber_equivalents.py``
compares each with pdfplumber's own function on real pages of the corpus (pdfplumber's
version is pinned in pyproject.toml: a new version must pass those tests before it is used).

Each function names the pdfplumber function it replaces. Positions are compared exactly as
pdfplumber compares them (the same expressions, the same order of operations), since a
tolerance written ``a <= b + t`` is not always ``a - t <= b`` in floating point.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Sequence
from itertools import chain, groupby
from math import isfinite
from operator import itemgetter
from typing import Any

from pdfplumber.table import cells_to_tables as plumbers_cells_to_tables
from pdfplumber.table import edges_to_intersections as plumbers_edges_to_intersections
from pdfplumber.utils.text import LIGATURES

from yusuan.extract.layout_native import loops

Obj = dict[str, Any]

WORD_X_TOLERANCE = 3  # pdfplumber.utils.text.DEFAULT_X_TOLERANCE
WORD_Y_TOLERANCE = 3  # pdfplumber.utils.text.DEFAULT_Y_TOLERANCE
LINE_PATTERN = re.compile(r" *([^\n]+?) *(\n|$)")  # TextMap.extract_text_lines(strip=True)

_top = itemgetter("top")
_x0 = itemgetter("x0")
_top_bottom = itemgetter("top", "bottom")
_x1 = itemgetter("x1")
_bottom = itemgetter("bottom")
_upright = itemgetter("upright")


def cluster_objects(objects: Sequence[Any], key: Callable[[Any], Hashable], tolerance: float) -> list[list[Any]]:
    """``pdfplumber.utils.cluster_objects(objects, key, tolerance)`` (``preserve_order`` off).

    The distinct values, sorted, are chained into clusters while each is within
    ``tolerance`` of the one before; the clusters come in the order of their values, each
    holding its objects in their given order (pdfplumber sorts by cluster number, stably).
    Here the objects are put straight into their cluster's list instead of sorted."""
    values = list(map(key, objects))
    index, count = _cluster_numbers(values, tolerance)
    if count == 1:  # one cluster (a cell's line, a line's characters): all the objects, in order
        return [list(objects)]
    clusters: list[list[Any]] = [[] for _ in range(count)]
    for obj, number in zip(objects, map(index.__getitem__, values), strict=True):
        clusters[number].append(obj)
    return clusters


def _cluster_index(values: list[Any], tolerance: float) -> dict[Any, int]:
    """pdfplumber's ``make_cluster_dict``: each distinct value's cluster number."""
    return _cluster_numbers(values, tolerance)[0]


def _cluster_numbers(values: list[Any], tolerance: float) -> tuple[dict[Any, int], int]:
    """Each distinct value's cluster number (``make_cluster_dict``), and how many clusters."""
    distinct = sorted(set(values))
    index: dict[Any, int] = {}
    number = 0
    last = None
    for value in distinct:
        if last is not None and not value <= last + tolerance:
            number += 1
        index[value] = number
        last = value
    return index, number + 1 if distinct else 0


# (objects, bbox) -> ``within_bbox(objects, bbox)`` computed in C when the objects are exact
# dicts of float positions and the box's sides floats or small ints, else None
within_box_in_c: Callable[[list[Obj], tuple], list[Obj] | None] | None = loops.within_box if loops else None


def within_bbox(objects: list[Obj], bbox: tuple[float, float, float, float]) -> list[Obj]:
    """``pdfplumber.utils.within_bbox``: the objects whose box lies entirely within ``bbox``.

    pdfplumber keeps an object when ``get_bbox_overlap(box, bbox) == box``: the overlap is
    the box itself exactly when each side is inside, and it exists when the box has no
    negative side and is not a point. Where the C loops are built, exact dicts of float
    positions are tested in C (``within_box_in_c``)."""
    if within_box_in_c is not None:
        found = within_box_in_c(objects, bbox)
        if found is not None:  # float positions, a box of floats or small ints: in C
            return found  # type: ignore[no-any-return]
    left, top, right, bottom = bbox
    try:
        boxes = list(map(_BOX, objects))  # one C call per object
    except KeyError:  # an object without a box: tested one by one, as before
        return [
            obj for obj in objects
            if obj["x0"] >= left and obj["top"] >= top and obj["x1"] <= right and obj["bottom"] <= bottom
            and obj["x1"] - obj["x0"] >= 0 and obj["bottom"] - obj["top"] >= 0 and (obj["x1"] - obj["x0"]) + (obj["bottom"] - obj["top"]) > 0
        ]
    return [
        obj for obj, (x0, obj_top, x1, obj_bottom) in zip(objects, boxes, strict=True)
        if x0 >= left and obj_top >= top and x1 <= right and obj_bottom <= bottom
        and x1 - x0 >= 0 and obj_bottom - obj_top >= 0 and (x1 - x0) + (obj_bottom - obj_top) > 0
    ]


_BOX = itemgetter("x0", "top", "x1", "bottom")


# a character's facts the word splitting reads, in one C call per character: the position
# along the line, where the character ends, the position across the line, its top, its text
_UPRIGHT_FACTS = itemgetter("x0", "x1", "top", "top", "text")
_TURNED_FACTS = itemgetter("top", "bottom", "x0", "top", "text")
# the same facts' names, for the C loop (``_layout_loops.split_line``)
_UPRIGHT_KEYS = ("x0", "x1", "top", "top", "text")
_TURNED_KEYS = ("top", "bottom", "x0", "top", "text")
_text = itemgetter("text")
_first = itemgetter(0)


# (ordered characters, their facts' names) -> the words as ``_split_line`` appends them, or
# None for characters the C loop does not read (not dicts, positions not floats): then the
# Python loop runs and raises what it raises. None where the extension is not built.
split_line_in_c: Callable[[list[Obj], tuple[str, ...]], list[tuple[float, list[Obj]]] | None] | None = loops.split_line if loops else None
# characters -> ``_words(characters)`` computed in C when every one is upright with float
# positions and finite tops and x0s (clustered, sorted and cut as below), else None
upright_words_in_c: Callable[[list[Obj]], list[tuple[float, list[Obj]]] | None] | None = loops.upright_words if loops else None
_LIGATURE_LETTERS = frozenset("".join(LIGATURES))
_LIGATURE_LETTER_STRING = "".join(sorted(_LIGATURE_LETTERS))  # the same letters, for the C loops
LIGATURE_LETTERS = _LIGATURE_LETTER_STRING  # (pdf.extract_table hands them to its C loop)
# characters -> ``extract_text(characters)`` computed in C when every one is upright with
# float positions, finite tops and x0s and a str text, else None
cell_text_in_c: Callable[[list[Obj], dict[str, str], str], str | None] | None = loops.cell_text if loops else None
# characters -> ``extract_text_lines(characters)`` computed in C when every one is upright with
# float positions (finite tops and x0s), str texts, and every line is plain, else None
text_lines_in_c: Callable[[list[Obj], dict[str, str], str], list[Obj] | None] | None = loops.text_lines if loops else None


def _words(chars: list[Obj]) -> list[tuple[float, list[Obj]]]:
    """``WordExtractor().iter_extract_tuples(chars)`` with pdfplumber's defaults: each word's
    top and characters, in pdfplumber's order.

    Runs of characters of one uprightness are cut into lines (upright: clustered by top,
    read by x0; turned: clustered by x0, read by top and bottom), lines into words at a
    space, an empty character (a word of its own) or a gap (``char_begins_new_word``: the
    next character starts before the previous one or more than 3 pt after its end, or is
    more than 3 pt off its line; both tolerances are 3). A character's facts are read once,
    as one tuple, and the previous character's kept in locals: the same comparisons as
    pdfplumber's, without a dict lookup for each of them. Where the C loops are built, a page
    of upright characters is clustered, sorted and cut in C (``upright_words_in_c``)."""
    if upright_words_in_c is not None:
        found = upright_words_in_c(chars)
        if found is not None:  # all upright, positions floats, tops and x0s finite: in C
            return found  # type: ignore[no-any-return]
    words: list[tuple[float, list[Obj]]] = []
    append = words.append
    in_c = split_line_in_c
    for upright, run in groupby(chars, _upright):
        if upright:
            lines = cluster_objects(list(run), _top, WORD_Y_TOLERANCE)
            order, facts, keys = _x0, _UPRIGHT_FACTS, _UPRIGHT_KEYS
        else:
            lines = cluster_objects(list(run), _x0, WORD_X_TOLERANCE)
            order, facts, keys = _top_bottom, _TURNED_FACTS, _TURNED_KEYS
        for line in lines:
            ordered = sorted(line, key=order) if len(line) > 1 else line
            found = in_c(ordered, keys) if in_c is not None else None
            if found is None:
                _split_line(ordered, facts, append)
            else:
                words += found
    return words


def _split_line(ordered: list[Obj], facts: Callable[[Obj], tuple], append: Callable[[tuple[float, list[Obj]]], None]) -> None:
    """Cut a line's characters (in reading order) into words, each passed to ``append`` as
    (its top, its characters): ``_words``' loop over one line. ``split_line_in_c`` runs the
    same loop in C where it is built (``tests/unit/test_layout_loops_native.py`` compares the
    two); this one is the oracle and the fallback."""
    current: list[Obj] = []
    top = 0.0  # the smallest top of the current word's characters (the first one of them)
    last_along = last_end = last_across = 0.0  # the previous character's (read only within a word)
    for char, (along, end, across, char_top, text) in zip(ordered, map(facts, ordered), strict=True):
        if text.isspace():
            if current:
                append((top, current))
            current = []
        elif text == "":  # pdfplumber: ``text in split_at_punctuation`` with ""
            if current:
                append((top, current))
            append((char_top, [char]))
            current = []
        elif current and (along < last_along or along > last_end + WORD_X_TOLERANCE or abs(across - last_across) > WORD_Y_TOLERANCE):
            append((top, current))
            current = [char]
            top = char_top
        elif current:
            current.append(char)
            if char_top < top:
                top = char_top
        else:
            current = [char]
            top = char_top
        last_along, last_end, last_across = along, end, across
    if current:
        append((top, current))


def _word_text(chars: list[Obj]) -> str:
    """A word's letters: each character's text, a ligature (a text that is one of
    pdfplumber's LIGATURES keys) spelt out. Without a ligature letter anywhere, the texts
    joined."""
    joined = "".join(map(_text, chars))
    if _LIGATURE_LETTERS.isdisjoint(joined):
        return joined
    return "".join(LIGATURES.get(c["text"], c["text"] or "") for c in chars)


def extract_text(chars: list[Obj]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with its defaults (no layout): the words,
    their lines clustered by top (tolerance 3), joined by spaces and newlines. Where the C
    loops are built, upright characters are read in C (``cell_text_in_c``)."""
    if cell_text_in_c is not None:
        found = cell_text_in_c(chars, LIGATURES, _LIGATURE_LETTER_STRING)
        if found is not None:  # upright characters of float positions: the same text, in C
            return found  # type: ignore[no-any-return]
    if not chars:
        return ""
    first = chars[0]
    uprights = list(map(_upright, chars))
    tops = list(map(_top, chars))
    if first["upright"] and uprights.count(first["upright"]) == len(uprights) and tops.count(first["top"]) == len(tops):
        # upright characters on one top (most table cells): one run, one line, without the
        # clustering (equal values, or the same object, are one distinct value)
        ordered = sorted(chars, key=_x0) if len(chars) > 1 else chars
        found = split_line_in_c(ordered, _UPRIGHT_KEYS) if split_line_in_c is not None else None
        if found is None:
            words = []
            _split_line(ordered, _UPRIGHT_FACTS, words.append)
        else:
            words = found
    else:
        words = _words(chars)
    if len(words) == 1:  # one line of one word (most table cells)
        return _word_text(words[0][1])
    lines = cluster_objects(words, _first, WORD_Y_TOLERANCE)
    return "\n".join(" ".join(_word_text(word) for _top_value, word in line) for line in lines)


def extract_text_lines(chars: list[Obj]) -> list[Obj]:
    """``page.extract_text_lines(return_chars=True)`` (strip, no layout) of a page with
    these characters: each line's text, box and characters.

    pdfplumber builds a text map (one entry per letter, words of a line joined by one
    space, lines by a newline, lines being runs of words whose tops cluster together within
    3 pt, in the words' order) and finds the lines in its string with a pattern
    (``_lines_by_pattern``). Here each line's string and characters are built first; when
    every line is *plain* (not empty, no newline in it, no space at either end, not all
    whitespace) the pattern would match each line whole, so the lines are those strings
    and characters as they are; otherwise the pattern is run on the whole text map. Where
    the C loops are built, upright characters whose lines are all plain are read in C
    (``text_lines_in_c``)."""
    if text_lines_in_c is not None:
        found = text_lines_in_c(chars, LIGATURES, _LIGATURE_LETTER_STRING)
        if found is not None:
            return found  # type: ignore[no-any-return]
    words = _words(chars)
    if not words:
        return []
    index = _cluster_index([top for top, _chars in words], WORD_Y_TOLERANCE)
    lines = []
    for _cluster, line in groupby(words, lambda word: index[word[0]]):
        letters: list[str] = []  # pieces of the line's string
        owners: list[Obj] = []  # the character of each letter (the spaces between words have none)
        length = 0
        for _top_value, word in line:
            if length:
                letters.append(" ")
                length += 1
            spelt = _word_text(word)
            if len(spelt) == len(word):  # every character one letter (none is empty: those are words alone)
                letters.append(spelt)
                owners.extend(word)
                length += len(spelt)
                continue
            for char in word:
                for letter in LIGATURES.get(char["text"], char["text"]):
                    letters.append(letter)
                    owners.append(char)
                    length += 1
        text = "".join(letters)
        if not text or text[0] == " " or text[-1] == " " or "\n" in text or not text.strip():
            return _lines_by_pattern(words, index)
        lines.append(_line(text, owners))
    return lines


def _line(text: str, chars: list[Obj]) -> Obj:
    """A text line as pdfplumber's ``extract_text_lines`` returns it."""
    return {
        "text": text,
        "x0": min(map(_x0, chars)),
        "top": min(map(_top, chars)),
        "x1": max(map(_x1, chars)),
        "bottom": max(map(_bottom, chars)),
        "chars": chars,
    }


def _lines_by_pattern(words: list[tuple[float, list[Obj]]], index: dict[Any, int]) -> list[Obj]:
    """The text lines of these words (their tops' cluster numbers in ``index``) found as
    pdfplumber finds them: the text map's string searched with its pattern, the letters'
    characters in a parallel list (a word whose characters are one letter each, most
    words, added whole)."""
    letters: list[str] = []  # pieces of the text map's string
    owners: list[Obj | None] = []  # the character of each letter of that string
    for number, (_cluster, line) in enumerate(groupby(words, lambda word: index[word[0]])):
        if number:
            letters.append("\n")
            owners.append(None)
        length = 0
        for _top_value, word in line:
            if length:
                letters.append(" ")
                owners.append(None)
                length += 1
            spelt = _word_text(word)
            if len(spelt) == len(word):
                letters.append(spelt)
                owners.extend(word)
                length += len(spelt)
                continue
            for char in word:
                for letter in LIGATURES.get(char["text"], char["text"]):
                    letters.append(letter)
                    owners.append(char)
                    length += 1
    text = "".join(letters)
    lines = []
    for match in LINE_PATTERN.finditer(text):
        found = match.group(1)
        if not found.strip():
            continue
        lines.append(_line(found, [c for c in owners[match.start(1) : match.end(1)] if c is not None]))
    return lines


def edges_to_intersections(edges: list[Obj], x_tolerance: float = 1, y_tolerance: float = 1) -> dict[tuple[float, float], dict[str, list[Obj]]]:
    """``pdfplumber.table.edges_to_intersections``: the crossings of vertical and horizontal
    edges, with the edges through each, in pdfplumber's order.

    pdfplumber tests every vertical edge (sorted by x0, top) against every horizontal one
    (sorted by top, x0, once per vertical edge). Here the horizontal edges are sorted once,
    and a vertical edge is tested only against those whose top lies within its length and a
    point more; the test itself is pdfplumber's, so the crossings and their order are the
    same (the horizontal edges tested keep their sorted order)."""
    intersections: dict[tuple[float, float], dict[str, list[Obj]]] = {}
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    if any(t != t for t in tops) or any(v["top"] != v["top"] or v["bottom"] != v["bottom"] for v in verticals):
        return plumbers_edges_to_intersections(edges, x_tolerance, y_tolerance)  # NaN: no order to search in
    margin = y_tolerance + 1  # wider than the test: floating-point rounding cannot exclude a crossing
    for v in verticals:
        v_top, v_bottom, v_x = v["top"], v["bottom"], v["x0"]
        for h in horizontals[bisect_left(tops, v_top - margin) : bisect_right(tops, v_bottom + margin)]:
            if v_top <= h["top"] + y_tolerance and v_bottom >= h["top"] - y_tolerance and v_x >= h["x0"] - x_tolerance and v_x <= h["x1"] + x_tolerance:
                vertex = (v_x, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


# (lines, rects, curves, snap, join, min_length, prefilter) -> ``table_edges`` of a page with
# these objects computed in C when they are exact dicts of finite float positions (a curve's
# points exact tuples of two finite floats), else None
table_edges_in_c: Callable[..., list[Obj] | None] | None = loops.table_edges if loops else None
EDGE_KEYS = ("x0", "top", "x1", "bottom", "width", "height", "orientation")


def table_edges(page: Any, snap_tolerance: float = 3, join_tolerance: float = 3, min_length: float = 3, min_length_prefilter: float = 1) -> list[Obj]:
    """``TableFinder(page).get_edges()`` with the default settings (rulings from the page's
    lines, rectangles and curves; snapped, joined, short ones dropped): the same edges in the
    same order, as dicts of their position, size and orientation only.

    pdfplumber copies every rectangle's whole dict four times (one per side), and again for
    every edge it snaps or extends; only the position, the length and the orientation of an
    edge decide the table cells, so only they are kept here, each computed with pdfplumber's
    own expression (a snapped x0 is ``x0 + (mean - x0)``, not the mean). Inside, an edge is
    a tuple (``EDGE_KEYS``' values); the edges returned are made dicts once, at the end.
    Where the C loops are built, a page of exact dicts of finite float positions is read in C
    (``table_edges_in_c``, its means taken with this Python's own ``sum``)."""
    if table_edges_in_c is not None:
        found = table_edges_in_c(page.lines, page.rects, page.curves, snap_tolerance, join_tolerance, min_length, min_length_prefilter)
        if found is not None:
            return found  # type: ignore[no-any-return]
    verticals: list[Edge] = []
    horizontals: list[Edge] = []
    for edge in _page_edges(page):
        if edge[6] == "v":
            if edge[5] >= min_length_prefilter:
                verticals.append(edge)
        elif edge[6] == "h" and edge[4] >= min_length_prefilter:
            horizontals.append(edge)
    snapped = _snap(verticals, 0, snap_tolerance) + _snap(horizontals, 1, snap_tolerance)

    def group(edge: Edge) -> tuple[str, float]:
        return ("h", edge[1]) if edge[6] == "h" else ("v", edge[0])

    merged: list[Edge] = []
    for (orientation, _position), items in groupby(sorted(snapped, key=group), key=group):
        merged.extend(_join(list(items), orientation, join_tolerance))
    return [dict(zip(EDGE_KEYS, e, strict=True)) for e in merged if e[5 if e[6] == "v" else 4] >= min_length]


Edge = tuple  # (x0, top, x1, bottom, width, height, orientation): EDGE_KEYS' values
_LINE_BOX = itemgetter("x0", "top", "x1", "bottom", "width", "height")
_RECT_BOX = itemgetter("x0", "top", "x1", "bottom", "width", "height")


def _page_edges(page: Any) -> list[Edge]:
    """``page.edges``: lines, then the four sides of each rectangle, then curve segments."""
    edges: list[Edge] = []
    append = edges.append
    for x0, top, x1, bottom, width, height in map(_LINE_BOX, page.lines):
        append((x0, top, x1, bottom, width, height, "h" if top == bottom else "v"))
    for x0, top, x1, bottom, width, height in map(_RECT_BOX, page.rects):
        append((x0, top, x1, top, width, 0, "h"))
        append((x0, top + height, x1, bottom, width, 0, "h"))
        append((x0, top, x0, bottom, 0, height, "v"))
        append((x1, top, x1, bottom, 0, height, "v"))
    for curve in page.curves:
        points = curve["pts"]
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), abs(ax - bx), abs(ay - by), "v" if ax == bx else ("h" if ay == by else None)))
    return edges


def _snap(edges: list[Edge], at: int, tolerance: float) -> list[Edge]:
    """``pdfplumber.utils.snap_objects``: each cluster of positions (x0: ``at`` 0, top: 1)
    moved to its mean."""
    snapped: list[Edge] = []
    append = snapped.append
    for cluster in cluster_objects(edges, itemgetter(at), tolerance):
        mean = sum(e[at] for e in cluster) / len(cluster)
        for edge in cluster:
            value = mean - edge[at]
            x0, top, x1, bottom, width, height, orientation = edge
            if at == 0:  # move_object(edge, "h", value)
                append((x0 + value, top, x1 + value, bottom, width, height, orientation))
            else:  # move_object(edge, "v", value)
                append((x0, top + value, x1, bottom + value, width, height, orientation))
    return snapped


def _join(edges: list[Edge], orientation: str, tolerance: float) -> list[Edge]:
    """``pdfplumber.table.join_edge_group``: edges on one line that touch or overlap (within
    ``tolerance``) become one, extended as ``resize_object`` extends it."""
    start, end = (0, 2) if orientation == "h" else (1, 3)
    ordered = sorted(edges, key=itemgetter(start)) if len(edges) > 1 else edges
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge[start] <= last[end] + tolerance:
            if edge[end] > last[end]:
                value = edge[end]
                x0, top, _x1, bottom, width, height, kind = last
                if orientation == "h":  # x1 moved: the width from x0
                    joined[-1] = (x0, top, value, bottom, value - x0, height, kind)
                else:  # bottom moved: the height grows by the move
                    joined[-1] = (x0, top, _x1, value, width, height + (value - bottom), kind)
        else:
            joined.append(edge)
    return joined


# (cells) -> ``cells_to_tables`` computed in C for a list of distinct tuples of four finite
# floats, else None
cells_to_tables_in_c: Callable[[list[tuple]], list[list[tuple]] | None] | None = loops.cells_to_tables if loops else None


def cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """``pdfplumber.table.cells_to_tables``: the cells grouped into tables (cells that share a
    corner, directly or through others), each table's cells in pdfplumber's order, tables top
    to bottom then left to right, tables of one cell dropped.

    pdfplumber's sweeps, as they are: the remaining cells are swept again and again, each
    cell that shares a corner with the table so far joining it, until a sweep adds none;
    then the next table starts at the first remaining cell. The order they join in is what
    the tables hold. Here a sweep keeps the cells that stay in a new list instead of
    removing each joining cell from the old one (``list.remove``: a search and a shift per
    cell), and a cell's four corners are tested without a generator. Where the C loops are
    built (``layout_native``), the same sweeps run in C for distinct cells of four finite
    floats (``cells_to_tables_in_c``)."""
    if cells_to_tables_in_c is not None and type(cells) is list:
        found = cells_to_tables_in_c(cells)
        if found is not None:
            return found
    if len(set(cells)) != len(cells) or not all(map(isfinite, chain.from_iterable(cells))):
        return plumbers_cells_to_tables(cells)  # a cell listed twice, or NaN: pdfplumber's own sweeps
    tables = []
    remaining = list(cells)
    current: list[tuple] = []
    corners: set[tuple] = set()
    while remaining:
        before = len(current)
        staying = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            if not current or (x0, top) in corners or (x0, bottom) in corners or (x1, top) in corners or (x1, bottom) in corners:
                corners.update(((x0, top), (x0, bottom), (x1, top), (x1, bottom)))
                current.append(cell)
            else:
                staying.append(cell)
        remaining = staying
        if len(current) == before:  # a sweep that added nothing: the table is complete
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]
