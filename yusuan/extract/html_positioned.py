"""Web pages that are a PDF converted to positioned boxes, read like a born-digital PDF.

Some portals publish a whole budget publication as a PDF turned into HTML: every printed page
is a fixed-size container (``width:595pt;height:842pt``), every text run an absolutely
positioned element with ``left``/``top`` in its style, and the table ruling is drawn by empty
positioned elements with one border (``height:0;border-bottom:0.5pt solid``) — there is no
<table> element. Read as flowing text, such a page gives one line per run and no table.

This reader rebuilds what the PDF reader (``yusuan/extract/pdf.py``) sees:

* **Pages.** A page is an element with a fixed width and height in absolute units (at least
  an inch each way) and no ``left``/``top`` of its own, holding positioned text runs. The
  page is recognised by this structure, never by class names or the file name. Pages are
  numbered in document order; a page container with nothing printed is a blank page (a page
  holding only a picture is a page without text, as for a scanned PDF page). Text of the web
  page outside the page containers (the portal's menus, breadcrumbs, share buttons) is not
  read: it is not part of the publication.
* **Text runs** have a box: ``left``, ``top``, the ``width`` when the style gives one (else
  estimated from the text: a CJK character is one em, other characters half an em, which is
  what the PDF twins of these pages measure) and the font size as height. Runs whose centre
  lies outside their page are counted as hidden, like text printed off a PDF page. Runs on the
  same line (tops within 3 pt, pdfplumber's tolerance) make one text line, left to right,
  with a space where the gap between two runs is wider than 3 pt; ``TextLine.words`` keeps the
  words with their x-range (split at gaps wider than 0.6 em, like the PDF reader), because
  continuation logic puts loose words into columns by position.
* **Ruling.** Every drawn border of a positioned empty element is an edge (a ``border-bottom``
  at ``top + height``, a ``border-right`` at ``left + width`` …; a thin filled box is a line
  too). Edges are snapped and joined with pdfplumber's own ``merge_edges`` and crossed with
  ``edges_to_intersections`` using the tolerances of ``page.find_tables()``; cells and tables
  are then found with the same rules as pdfplumber's ``intersections_to_cells`` (the smallest
  box closed by edges from each crossing) and ``cells_to_tables`` (cells sharing a corner),
  written here without their quadratic scans. Cells that frame other cells are dropped, as
  in the PDF reader.
* **Grids.** A run belongs to the cell that holds its centre (cells are found through a grid
  of slots, not by testing every run against every cell); a cell's lines are joined with line
  breaks. A cell covered by a merged neighbour is ``COVERED_LEFT`` when the covering cell
  starts in the same row, ``COVERED_ABOVE`` when it starts above, and ``Grid.column_bounds``
  gives the x-range of every column, as ``table_to_grid`` does for PDFs. A one-row box drawn
  around words of a running line is not a table.
* **Order and provenance.** Blocks are ordered top to bottom on each page (then left to
  right); the origin of a block is (file, sha256, page number, order on the page).

Resources are bounded: at most 200,000 positioned elements per file, and per page at most
250,000 crossings of ruling lines, a bounded search for cells and a bounded grid of slots;
beyond that the file is refused with a clear ExtractionError rather than read for minutes.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from pdfplumber.table import edges_to_intersections, merge_edges

from yusuan.core.errors import ExtractionError
from yusuan.core.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Block,
    FileExtract,
    Grid,
    Origin,
    SourceFile,
    TextLine,
    Word,
)
from yusuan.extract.layout_native import loops

MAX_ELEMENTS = 200_000  # positioned elements (text runs and rules) in one file
MAX_CROSSINGS = 250_000  # vertical x horizontal ruling lines on one page
MAX_SEARCH = 2_000_000  # steps of the smallest-cell search on one page
MAX_SLOTS = 1_000_000  # slots of the grid that maps a point of a page to its cell
MIN_PAGE = 72.0  # pt: a page container is at least an inch wide and high
MAX_LENGTH = 100_000.0  # pt (35 m): a longer length in a style is not read
MIN_RUNS = 3  # positioned text runs a publication must hold
MIN_RULES = 2  # rule elements a publication must hold
MIN_SHARE = 0.5  # share of the page's readable text that lies in page containers

# pdfplumber's defaults for page.find_tables() and page.extract_text_lines()
SNAP = 3.0
JOIN = 3.0
EDGE_MIN = 3.0
CROSSING_TOLERANCE = 3.0
LINE_TOLERANCE = 3.0  # tops within this are one line
SPACE_GAP = 3.0  # a wider gap between two runs of a line is a space

UNITS = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "q": 72 / 101.6, "pc": 12.0}
LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*(pt|px|in|cm|mm|q|pc)?\s*(?:!important)?\s*$", re.IGNORECASE)
BORDER_STYLES = {"solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"}
NO_BORDER = {"none", "hidden"}
BORDER_WIDTHS = {"thin": 0.75, "medium": 2.25, "thick": 3.75}
SIDES = ("top", "right", "bottom", "left")
CLEAR = {"transparent", "none", "initial", "inherit", "unset", "rgba(0,0,0,0)", "rgba(0, 0, 0, 0)"}
HIDDEN_STYLE = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden)", re.IGNORECASE)
SKIPPED = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed", "svg", "math", "select", "option", "button", "input", "textarea", "map", "area", "audio", "video", "canvas"}
PICTURES = {"img", "svg", "canvas", "picture", "object", "embed"}
WIDE = {"W", "F", "A"}  # East Asian widths drawn one em wide by a CJK font
DEFAULT_SIZE = 12.0  # pt: 16 px, the browser default font size

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class Piece:
    """A stretch of a run's text without white space, with its estimated x-range."""

    x0: float
    x1: float
    text: str
    run: int


@dataclass
class Run:
    """A positioned text run: its box on the page and its text in pieces."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    pieces: tuple[Piece, ...]

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass
class Line:
    """Runs printed on one line, left to right."""

    pieces: list[Piece]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return self.pieces[0].x0

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def text(self) -> str:
        parts: list[str] = []
        for previous, piece in zip([None, *self.pieces], self.pieces, strict=False):
            if previous is not None and (piece.run == previous.run or piece.x0 - previous.x1 > SPACE_GAP):
                parts.append(" ")
            parts.append(piece.text)
        return "".join(parts)


@dataclass
class Page:
    """What one page container holds."""

    number: int
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    pictures: int = 0
    hidden: int = 0


@dataclass
class Table:
    """Cells of one ruled table (boxes as pdfplumber gives them); ``frames`` are the indices
    of cells found to frame other cells, which do not count. The measures are computed once,
    after the frames are known (``Slots.place``)."""

    cells: list[Box]
    frames: set[int] = field(default_factory=set)

    @cached_property
    def live(self) -> list[tuple[int, Box]]:
        return [(i, c) for i, c in enumerate(self.cells) if i not in self.frames]

    @cached_property
    def bbox(self) -> Box:
        cells = [c for _i, c in self.live]
        return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))

    @cached_property
    def row_count(self) -> int:
        return len({c[1] for _i, c in self.live})


# ---------------------------------------------------------------- entry point


def read_positioned(root, source: SourceFile, flow_chars: int) -> FileExtract | None:
    """Blocks of a page that is a PDF converted to positioned boxes, or None for any other
    page (which the flow reader then reads as before).

    ``flow_chars`` is the number of characters the flow reader found in the page: the page
    containers must hold most of them, so a web page with a small positioned banner is still
    read as a web page.
    """
    pages = find_pages(root, source.name)
    runs = sum(len(p.runs) for p in pages)
    rules = sum(len(p.edges) for p in pages)
    if runs < MIN_RUNS or rules < MIN_RULES:
        return None
    chars = sum(len(piece.text) for p in pages for r in p.runs for piece in r.pieces) + sum(p.hidden for p in pages)
    if chars < MIN_SHARE * flow_chars:
        return None
    found = FileExtract(blocks=[], page_count=len(pages))
    for page in pages:
        blocks = page_to_blocks(page, source)
        if page.hidden:
            found.hidden_chars[page.number] = page.hidden
        if not blocks:
            (found.pages_without_text if page.pictures else found.blank_pages).append(page.number)
        found.blocks.extend(blocks)
    return found


# ---------------------------------------------------------------- the page containers


def parse_style(style: str | None) -> dict[str, str]:
    """Inline style declarations, property names lower-cased (the last one wins, as in CSS)."""
    declarations: dict[str, str] = {}
    for part in (style or "").split(";"):
        name, colon, value = part.partition(":")
        if colon and name.strip():
            declarations[name.strip().lower()] = value.strip()
    return declarations


def length(value: str | None) -> float | None:
    """A CSS length in points (``px`` is 0.75 pt; a bare number is px, as browsers read it in
    quirks mode); None for ``auto``, percentages, absurd sizes (beyond MAX_LENGTH, where
    arithmetic on positions stops being exact) and anything else."""
    match = LENGTH.match(value or "")
    if not match or len(match.group(1)) > 20:
        return None
    number = float(match.group(1)) * UNITS[(match.group(2) or "px").lower()]
    return number if abs(number) <= MAX_LENGTH else None


def _is_hidden(element) -> bool:
    return element.get("hidden") is not None or bool(HIDDEN_STYLE.search(element.get("style") or ""))


def _is_page(style: dict[str, str]) -> tuple[float, float] | None:
    """The size of a page container: a fixed width and height, not itself placed by left/top."""
    if "left" in style or "top" in style:
        return None
    width, height = length(style.get("width")), length(style.get("height"))
    if width is None or height is None or width < MIN_PAGE or height < MIN_PAGE:
        return None
    return width, height


def _is_placed(style: dict[str, str]) -> bool:
    """Placed by left/top: absolutely positioned, or left to a stylesheet to position (left
    and top do nothing on an element in the flow, so a converter writing them means them)."""
    position = style.get("position", "absolute").lower()
    return position in ("absolute", "fixed") and length(style.get("left")) is not None and length(style.get("top")) is not None


def find_pages(root, name: str) -> list[Page]:
    """The page containers of a web page in document order, with their runs and edges.

    A walk with an explicit stack (no recursion over a hostile page's depth) that counts the
    positioned elements and stops with an error past MAX_ELEMENTS. Blank page containers are
    kept only when they look like the pages that hold text (same parent and size).
    """
    candidates: list[tuple[Page, object]] = []
    count = 0
    stack: list[tuple[object, Page | None, float, float, float]] = [(root, None, 0.0, 0.0, DEFAULT_SIZE)]
    while stack:
        element, page, ox, oy, font = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or _is_hidden(element):
            continue
        if page is not None and tag in PICTURES:
            page.pictures += 1  # a picture of a table is not read, but the page is not blank
            continue
        if tag in SKIPPED:
            continue
        style = parse_style(element.get("style")) if element.get("style") else {}
        font = length(style.get("font-size")) or font  # inherited by the runs inside
        size = _is_page(style) if style else None
        if size is not None:
            page = Page(number=0, width=size[0], height=size[1])
            candidates.append((page, element))
            ox = oy = 0.0
        elif page is not None and style and _is_placed(style):
            count += 1
            if count > MAX_ELEMENTS:
                raise ExtractionError(name, f"more than {MAX_ELEMENTS} positioned elements: not read as a converted PDF")
            ox, oy = ox + (length(style["left"]) or 0.0), oy + (length(style["top"]) or 0.0)
            _add_element(page, element, style, font, ox, oy)
        stack.extend((child, page, ox, oy, font) for child in reversed(element))
    return _pages_of_the_publication(candidates)


def _pages_of_the_publication(candidates: list[tuple[Page, object]]) -> list[Page]:
    """Containers with text, and blank ones that are their siblings of the same size."""
    with_text = [(p, e) for p, e in candidates if p.runs]
    kinds = {(id(e.getparent()), round(p.width), round(p.height)) for p, e in with_text}
    pages = [p for p, e in candidates if p.runs or (id(e.getparent()), round(p.width), round(p.height)) in kinds]
    for number, page in enumerate(pages, start=1):
        page.number = number
    return pages


def _add_element(page: Page, element, style: dict[str, str], font: float, left: float, top: float) -> None:
    """A positioned element is a text run or a rule (drawn borders, no text). A run with a
    width and height of its own draws its borders too (a converter may draw a cell as a
    bordered box holding its text); without them its box is not known."""
    text = _own_text(element)
    width, height = _size(style.get("width")), _size(style.get("height"))
    if text.strip(" \t\r\n\f\v\xa0\u3000"):
        _add_run(page, text, font if font > 0 else DEFAULT_SIZE, style, left, top)
        if width is None or height is None:
            return
    page.edges.extend(_rule_edges(style, left, top, width or 0.0, height or 0.0))


def _size(value: str | None) -> float | None:
    """A width or height: a negative one is invalid CSS and draws nothing."""
    size = length(value)
    return None if size is None or size < 0 else size


def _own_text(element) -> str:
    """The text of a run: its own and that of its unpositioned descendants (a run may wrap
    spans), not that of positioned descendants, which are runs of their own."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() not in SKIPPED and not _is_hidden(child):
            child_style = parse_style(child.get("style")) if child.get("style") else {}
            if not (child_style and _is_placed(child_style)):
                parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _add_run(page: Page, text: str, size: float, style: dict[str, str], left: float, top: float) -> None:
    """Pieces of a run with estimated positions; a run centred off the page is hidden."""
    advances = [_advance(ch, size) for ch in text]
    total = sum(advances)
    width = _size(style.get("width"))
    scale = width / total if width and width > 0 and total > 0 else 1.0
    x1 = left + total * scale
    bottom = top + size
    if not (0 <= (left + x1) / 2 <= page.width and 0 <= (top + bottom) / 2 <= page.height):
        page.hidden += sum(1 for ch in text if not ch.isspace())
        return
    number = len(page.runs)
    pieces: list[Piece] = []
    x = left
    start: float | None = None
    chars: list[str] = []
    for ch, advance in zip(text, advances, strict=True):
        if ch.isspace():
            if chars and start is not None:
                pieces.append(Piece(start, x, "".join(chars), number))
            chars, start = [], None
        else:
            if start is None:
                start = x
            chars.append(ch)
        x += advance * scale
    if chars and start is not None:
        pieces.append(Piece(start, x, "".join(chars), number))
    page.runs.append(Run(left, x1, top, bottom, size, tuple(pieces)))


def _advance(ch: str, size: float) -> float:
    """Estimated width of a character: one em for CJK (and ambiguous) widths, half an em else."""
    return size if unicodedata.east_asian_width(ch) in WIDE else size / 2


def _border(style: dict[str, str], side: str) -> bool:
    """Whether the border of one side is drawn (a width above 0 and a visible style)."""
    width: float | None = None
    drawn: bool | None = None
    for name in ("border", f"border-{side}"):
        if name in style:
            width, drawn = _border_shorthand(style[name])
        for part, index in (("width", SIDES.index(side)), ("style", SIDES.index(side))):
            for key in ((f"border-{part}",) if name == "border" else (f"border-{side}-{part}",)):
                if key not in style:
                    continue
                values = style[key].split()
                value = _side_value(values, index) if name == "border" else style[key].strip()
                if part == "width":
                    width = BORDER_WIDTHS.get(value.lower(), length(value))
                else:
                    drawn = value.lower() in BORDER_STYLES
    return bool(drawn) and (width is None or width > 0)


def _border_shorthand(value: str) -> tuple[float | None, bool]:
    """(width, drawn) of a ``border`` shorthand: drawn only with a visible style keyword."""
    width: float | None = None
    drawn = False
    for token in value.lower().split():
        if token in BORDER_STYLES:
            drawn = True
        elif token in NO_BORDER:
            drawn = False
        elif token in BORDER_WIDTHS:
            width = BORDER_WIDTHS[token]
        elif length(token) is not None:
            width = length(token)
    return width, drawn


def _side_value(values: list[str], index: int) -> str:
    """The value for one side of a 1- to 4-value CSS property (top, right, bottom, left)."""
    if not values:
        return ""
    if len(values) == 1:
        return values[0]
    if len(values) == 2:
        return values[index % 2]
    if len(values) == 3:
        return values[1] if index == 3 else values[index]
    return values[index]


def _rule_edges(style: dict[str, str], left: float, top: float, width: float, height: float) -> list[dict]:
    """Edges drawn by an empty positioned element: its drawn borders, or the element itself
    when it is a thin filled box (a line drawn as a background)."""
    edges: list[dict] = []
    if _border(style, "top"):
        edges.append(_edge(left, top, left + width, top))
    if _border(style, "bottom"):
        edges.append(_edge(left, top + height, left + width, top + height))
    if _border(style, "left"):
        edges.append(_edge(left, top, left, top + height))
    if _border(style, "right"):
        edges.append(_edge(left + width, top, left + width, top + height))
    background = (style.get("background-color") or style.get("background") or "").strip().lower()
    if not edges and background and background not in CLEAR and min(width, height) <= 2 and max(width, height) > 0:
        if width >= height:
            edges.append(_edge(left, top + height / 2, left + width, top + height / 2))
        else:
            edges.append(_edge(left + width / 2, top, left + width / 2, top + height))
    return [e for e in edges if e["width"] >= 1 or e["height"] >= 1]  # pdfplumber's prefilter


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    """An edge as pdfplumber's table functions expect it."""
    return {
        "object_type": "rule", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
        "width": x1 - x0, "height": bottom - top, "orientation": "h" if bottom == top else "v",
    }


# ---------------------------------------------------------------- ruling -> tables


def find_tables(edges: list[dict], name: str, page: int) -> list[Table]:
    """Ruled tables of a page, top to bottom, by pdfplumber's lattice rules."""
    if not edges:
        return []
    merged = merge_edges(edges, SNAP, SNAP, JOIN, JOIN)
    merged = [e for e in merged if (e["height"] if e["orientation"] == "v" else e["width"]) >= EDGE_MIN]
    verticals = sum(e["orientation"] == "v" for e in merged)
    if verticals * (len(merged) - verticals) > MAX_CROSSINGS:
        raise ExtractionError(name, f"more than {MAX_CROSSINGS} crossings of ruling lines: not read", page=page)
    intersections = edges_to_intersections(merged, CROSSING_TOLERANCE, CROSSING_TOLERANCE)
    cells = smallest_cells(intersections, name, page)
    return [Table(cells) for cells in cells_to_tables(cells)]


def smallest_cells(intersections: dict, name: str, page: int | None, tolerance: float = CROSSING_TOLERANCE, max_steps: int = MAX_SEARCH) -> list[Box]:
    """For every crossing, the smallest box closed by edges with it as top-left corner.

    The result of pdfplumber's ``intersections_to_cells``, which scans all later crossings
    for each crossing; here a crossing only looks down its own column and along its own row,
    and stops where its edges end (``tolerance``: that of the crossings). Also used for PDF
    pages (yusuan/extract/pdf.py): same cells, in the same order, in about linear time.

    Two crossings are joined by an edge when they share one (pdfplumber compares the edges'
    boxes): each distinct box gets a number once, looked up by the edge object, so the sets
    compared are small sets of numbers; the crossings are numbered in sorted order and their
    facts kept in lists, so a point is hashed once, not once per fact.

    Where the C loops are built (``layout_native``), crossings at finite float points with
    edges of finite float positions are searched in C, the same way (an edge's box number by
    its four positions, the corner by bisection in the sorted points); the rest here.
    """
    if loops is not None:
        found = loops.smallest_cells(intersections, tolerance, min(max_steps, sys.maxsize))
        if found is not None:
            return found  # type: ignore[no-any-return]
    points = sorted(intersections)
    index = {point: i for i, point in enumerate(points)}
    count = len(points)
    box_of: dict[int, int] = {}  # id(edge) -> number of its box (edges of one box: one number)
    boxes: dict[tuple, int] = {}
    v_sets: list = [None] * count
    h_sets: list = [None] * count
    down_to = [0.0] * count
    right_to = [0.0] * count
    def number_of(edge: dict) -> int:
        """The number of this edge's box."""
        number = box_of.get(id(edge))
        if number is None:
            number = box_of[id(edge)] = boxes.setdefault((edge["x0"], edge["top"], edge["x1"], edge["bottom"]), len(boxes))
        return number

    for i, point in enumerate(points):
        crossing = intersections[point]
        verticals, horizontals = crossing["v"], crossing["h"]
        if len(verticals) == 1:  # most crossings: one edge each way
            edge = verticals[0]
            v_sets[i] = {number_of(edge)}
            down_to[i] = edge["bottom"] + tolerance
        else:
            v_sets[i] = {number_of(edge) for edge in verticals}
            down_to[i] = max(edge["bottom"] for edge in verticals) + tolerance
        if len(horizontals) == 1:
            edge = horizontals[0]
            h_sets[i] = {number_of(edge)}
            right_to[i] = edge["x1"] + tolerance
        else:
            h_sets[i] = {number_of(edge) for edge in horizontals}
            right_to[i] = max(edge["x1"] for edge in horizontals) + tolerance
    columns: dict = {}
    rows: dict = {}
    column_of = [None] * count
    row_of = [None] * count
    column_at = [0] * count
    row_at = [0] * count
    for i, (x, y) in enumerate(points):
        column = columns.setdefault(x, [])
        column_of[i], column_at[i] = column, len(column)
        column.append(i)
        row = rows.setdefault(y, [])
        row_of[i], row_at[i] = row, len(row)
        row.append(i)
    steps = 0
    cells = []
    for i, (x, y) in enumerate(points):
        point_v, point_h, bottom_limit, right_limit = v_sets[i], h_sets[i], down_to[i], right_to[i]
        row, column = row_of[i], column_of[i]
        first_right, row_end = row_at[i] + 1, len(row)
        found = None
        for below_at in range(column_at[i] + 1, len(column)):
            below = column[below_at]
            below_y = points[below][1]
            if below_y > bottom_limit:
                break
            if point_v.isdisjoint(v_sets[below]):
                continue
            below_h = h_sets[below]
            for right_at in range(first_right, row_end):
                right = row[right_at]
                steps += 1
                if steps > max_steps:
                    raise ExtractionError(name, "the ruling is too tangled to find its cells: not read", page=page)
                right_x = points[right][0]
                if right_x > right_limit:
                    break
                if point_h.isdisjoint(h_sets[right]):
                    continue
                corner = index.get((right_x, below_y))
                if corner is not None and not v_sets[corner].isdisjoint(v_sets[right]) and not h_sets[corner].isdisjoint(below_h):
                    found = (x, y, right_x, below_y)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """Cells that share a corner, directly or through others, form a table (pdfplumber's
    ``cells_to_tables``, with a union-find instead of repeated scans); tables of one cell are
    dropped; tables come top to bottom, then left to right."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


# ---------------------------------------------------------------- the slots of a page


class Slots:
    """Map a point of the page to the cell holding it: the page is cut at every cell edge into
    slots, and every slot knows its cell. A point is found with two bisections."""

    def __init__(self, tables: list[Table], name: str, page: int):
        self.xs = sorted({x for t in tables for c in t.cells for x in (c[0], c[2])})
        self.ys = sorted({y for t in tables for c in t.cells for y in (c[1], c[3])})
        if len(self.xs) * len(self.ys) > MAX_SLOTS:
            raise ExtractionError(name, f"more than {MAX_SLOTS} ruled slots: not read", page=page)
        self.x_index = {x: i for i, x in enumerate(self.xs)}
        self.y_index = {y: i for i, y in enumerate(self.ys)}
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        self.work = 0
        self.name, self.page = name, page

    def place(self, tables: list[Table]) -> None:
        """Give each slot to the smallest cell over it; a cell over two or more other cells is a
        frame (a page border drawn as a box) and is dropped from its table."""
        order = sorted(((t, i) for t, table in enumerate(tables) for i in range(len(table.cells))), key=lambda ti: _area(tables[ti[0]].cells[ti[1]]))
        for t, i in order:
            slots = list(self._slots(tables[t].cells[i]))
            if len({self.owner[s] for s in slots if s in self.owner}) >= 2:
                tables[t].frames.add(i)
                continue
            for s in slots:
                self.owner.setdefault(s, (t, i))

    def _slots(self, cell: Box) -> Iterator[tuple[int, int]]:
        ix0, ix1 = self.x_index[cell[0]], self.x_index[cell[2]]
        iy0, iy1 = self.y_index[cell[1]], self.y_index[cell[3]]
        self.work += (ix1 - ix0) * (iy1 - iy0)
        if self.work > 4 * MAX_SLOTS:
            raise ExtractionError(self.name, "too many overlapping ruled cells: not read", page=self.page)
        for i in range(ix0, ix1):
            for j in range(iy0, iy1):
                yield i, j

    def at(self, x: float, y: float) -> tuple[int, int] | None:
        """(table, cell) holding a point; edges belong to the cell right of and below them."""
        i, j = bisect_right(self.xs, x) - 1, bisect_right(self.ys, y) - 1
        if i < 0 or j < 0 or i >= len(self.xs) - 1 or j >= len(self.ys) - 1:
            return None
        return self.owner.get((i, j))

    def cover(self, x: float, y: float) -> tuple[int, int] | None:
        """(table, cell) over the slot that starts at a cell corner."""
        i, j = self.x_index.get(x), self.y_index.get(y)
        return None if i is None or j is None else self.owner.get((i, j))


def _area(cell: Box) -> float:
    return (cell[2] - cell[0]) * (cell[3] - cell[1])


# ---------------------------------------------------------------- a page -> blocks


def page_to_blocks(page: Page, source: SourceFile) -> list[Block]:
    """Tables and the text lines outside them, top to bottom (as pdf.page_to_blocks)."""
    if not page.runs:
        return []
    tables = find_tables(page.edges, source.name, page.number)
    slots = Slots(tables, source.name, page.number)
    slots.place(tables)
    in_cell: dict[tuple[int, int], list[Run]] = {}
    loose: list[Run] = []
    for run in page.runs:
        owner = slots.at(*run.centre)
        if owner is not None:
            in_cell.setdefault(owner, []).append(run)
        else:
            loose.append(run)
    # a one-row box drawn around words of a running line is not a table (pdf._crosses)
    outside = loose + [r for (t, _i), runs in in_cell.items() if tables[t].row_count == 1 for r in runs]
    lines = group_lines(outside)
    tops = [line.top for line in lines]
    tallest = max((line.bottom - line.top for line in lines), default=0)
    kept = [t for t, table in enumerate(tables) if table.live and (table.row_count > 1 or not _crossed(table.bbox, lines, tops, tallest))]
    placed: list[tuple[float, float, Block]] = []
    for t in kept:
        table = tables[t]
        placed.append((table.bbox[1], table.bbox[0], table_to_grid(table, t, slots, in_cell)))
    dropped = [r for (t, _i), runs in in_cell.items() if t not in kept for r in runs]
    lines = group_lines(loose + dropped)
    for line, continues in zip(lines, runs_on(lines), strict=True):
        placed.append((line.top, line.x0, TextLine(line.text, None, continues=continues, words=line_words(line))))  # type: ignore[arg-type]
    placed.sort(key=lambda item: (round(item[0]), item[1]))
    blocks: list[Block] = []
    for index, (_top, _x0, block) in enumerate(placed, start=1):
        origin = Origin(source.name, source.sha256, page.number, index)
        if isinstance(block, Grid):
            block.row_origins = [origin] * len(block.rows)
        else:
            block.origin = origin
        blocks.append(block)
    return blocks


def runs_on(lines: list[Line]) -> list[bool]:
    """Whether each line runs to the right margin, so that its paragraph goes on below.

    As in the PDF reader: the line ends within 1.5 characters of the page's widest line. A
    converted page draws a justified line at its natural width, though, so a wrapped line
    with digits (or one that could not break inside a number) stops up to a few characters
    short of the margin: a line that ends within 4 em of the margin goes on too when the
    next line follows at normal spacing and starts at the page's left text edge (a new
    paragraph is indented, or is a heading).
    """
    right_margin = max((line.x1 for line in lines), default=0)
    left_edge = min((line.x0 for line in lines), default=0)
    flags: list[bool] = []
    for k, line in enumerate(lines):
        text = line.text
        char_width = (line.x1 - line.x0) / max(len(text), 1)
        continues = line.x1 >= right_margin - 1.5 * char_width and len(text) > 10
        if not continues and len(text) > 10 and k + 1 < len(lines):
            below = lines[k + 1]
            continues = line.x1 >= right_margin - 4 * line.size and below.x0 <= left_edge + 1 and below.top - line.top <= 2.5 * line.size
        flags.append(continues)
    return flags


def _crossed(box: Box, lines: list[Line], tops: list[float], tallest: float) -> bool:
    """A line of text runs through a one-row box and beyond it (pdf._crosses). ``lines`` come
    top to bottom (``tops`` are theirs): only those that reach into the box's height are
    looked at."""
    x0, top, x1, bottom = box
    start = bisect_left(tops, top - tallest)
    for line in lines[start:]:
        if line.top >= bottom:
            break
        overlap = min(line.bottom, bottom) - max(line.top, top)
        if overlap >= 0.5 * min(line.bottom - line.top, bottom - top) and line.x0 < x1 and line.x1 > x0 and (line.x0 < x0 - 2 or line.x1 > x1 + 2):
            return True
    return False


def group_lines(runs: list[Run]) -> list[Line]:
    """Runs whose tops lie within 3 pt of the previous one's form a line (pdfplumber's
    clustering); the pieces of a line go left to right. Lines come top to bottom."""
    lines: list[Line] = []
    current: list[Run] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        if current and run.top - current[-1].top > LINE_TOLERANCE:
            lines.append(_line(current))
            current = []
        current.append(run)
    if current:
        lines.append(_line(current))
    return [line for line in lines if line.pieces]


def _line(runs: list[Run]) -> Line:
    pieces = sorted((p for r in runs for p in r.pieces), key=lambda p: (p.x0, p.run))
    return Line(pieces, min(r.top for r in runs), max(r.bottom for r in runs), max(r.size for r in runs))


def line_words(line: Line) -> tuple[Word, ...]:
    """Words of a line: pieces closer than 0.6 em (at least 2 pt) join, as pdf._words does
    with characters."""
    words: list[Word] = []
    current: list[Piece] = []
    for piece in line.pieces:
        if current and piece.x0 - current[-1].x1 > max(line.size * 0.6, 2):
            words.append(Word(current[0].x0, current[-1].x1, "".join(p.text for p in current)))
            current = []
        current.append(piece)
    if current:
        words.append(Word(current[0].x0, current[-1].x1, "".join(p.text for p in current)))
    return tuple(words)


def table_to_grid(table: Table, t: int, slots: Slots, in_cell: dict[tuple[int, int], list[Run]]) -> Grid:
    """Cells as printed, covered cells marked, and the x-range of every column
    (pdf.table_to_grid): rows are the distinct tops of the cells, columns their distinct
    lefts; a position where no cell starts is covered by the cell over its slot."""
    tops = sorted({c[1] for _i, c in table.live})
    lefts = sorted({c[0] for _i, c in table.live})
    starts = {(c[1], c[0]): i for i, c in table.live}
    rows: list[list[str | None]] = []
    for top in tops:
        row: list[str | None] = []
        for left in lefts:
            index = starts.get((top, left))
            if index is not None:
                runs = in_cell.get((t, index), [])
                row.append("\n".join(line.text for line in group_lines(runs)))
                continue
            cover = slots.cover(left, top)
            if cover is None or cover[0] != t:
                row.append(None)
            else:
                row.append(COVERED_LEFT if table.cells[cover[1]][1] == top else COVERED_ABOVE)
        rows.append(row)
    x1 = table.bbox[2]
    bounds = [(lefts[j], lefts[j + 1] if j + 1 < len(lefts) else x1) for j in range(len(lefts))]
    return Grid(rows=rows, row_origins=[], column_bounds=bounds)
