"""Born-digital PDFs: ruled table grids and the text lines around them, with pdfplumber.

A grid keeps, for every cell covered by a merged neighbour, whether the covering cell starts
to its left or above (so headers spanning columns are read right), and the x-range of each
column (so rows printed outside the ruling, or a table continued on the next page, can be
put back into the right columns). The choice of pdfplumber is measured in
docs/pdf-library-choice.md.

Every step over the objects of a page is kept about linear (a page of 60,000 stacked tiny
characters, or a ruled grid of 100×100 cells, is a few kilobytes): duplicate characters
are found by pdfplumber's clustering without its quadratic re-sort, cells by the
column/row walk of html_positioned.smallest_cells instead of pdfplumber's scan of all later
crossings, frame cells by a sorted index, the characters of a cell by sorted bands
(``extract_table``) instead of testing every character against every row and cell. Pages, characters per page, crossings of rulings,
table slots and decoded stream bytes are bounded by yusuan/core/limits.py.
"""

from __future__ import annotations

import itertools
import logging
import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from math import floor, isfinite
from operator import itemgetter
from typing import Any

import pdfplumber
from pdfplumber.container import Container
from pdfplumber.page import CroppedPage, DerivedPage, FilteredPage, test_proposed_bbox
from pdfplumber.table import Table, TableSettings

from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.core.limits import Limits, current
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
from yusuan.core.progress import page_read
from yusuan.extract import pdf_streams, pdfium_native
from yusuan.extract.close_chars import near, runs_with_close_chars
from yusuan.extract.html_positioned import smallest_cells
from yusuan.extract.layout_native import loops
from yusuan.extract.plumber_equivalents import (
    LIGATURE_LETTERS,
    LIGATURES,
    cells_to_tables,
    cluster_objects,
    edges_to_intersections,
    extract_text,
    extract_text_lines,
    table_edges,
    within_bbox,
)

# pdfminer logs every recoverable oddity of a PDF as a warning: keep runs quiet.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
pdf_streams.install()  # Flate/LZW output bounded by max_stream_bytes


def pdf_to_blocks(source: SourceFile) -> FileExtract:
    with pdf_streams.counting_decoded_bytes():
        try:
            return _pdf_to_blocks(source, current())
        except LimitExceededError as exc:
            raise exc.at(file=source.name) from None


def _pdf_to_blocks(source: SourceFile, limits: Limits) -> FileExtract:
    try:
        pdf = pdfplumber.open(source.path)
    except Exception as exc:  # pdfminer raises many types for broken files
        if (limit := _limit_in(exc)) is not None:
            raise limit from None
        raise ExtractionError(source.name, unreadable_pdf_reason(exc)) from exc
    found = FileExtract(blocks=[])
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            if (limit := _limit_in(exc)) is not None:
                raise limit from None
            raise ExtractionError(source.name, f"not a readable PDF ({type(exc).__name__})") from exc
        limits.check("max_pages", len(pages), source.name, what="pages")
        for number, page in enumerate(pages, start=1):
            try:
                normalize_media_box(page)
                limits.check("max_chars_per_page", len(page.chars), source.name, page=number, what="characters on the page")
                fix_glyph_boxes(page)
                # text printed off the page (hidden copies of other pages' tables) is not read
                visible = visible_part(page)
                hidden = len(page.chars) - len(visible.chars)
                deduped = dedupe_chars(visible)
                page_blocks = page_to_blocks(deduped, source, number, limits)
            except Exception as exc:
                limit = _limit_in(exc)
                if limit is not None:  # pdfplumber wraps pdfminer's errors (PdfminerException)
                    raise limit.at(file=source.name, page=number) from None
                raise ExtractionError(source.name, f"cannot read the page ({type(exc).__name__}: {exc})", page=number) from exc
            record_page(found, number, page, page_blocks, hidden)
            let_go(deduped, visible)
            page.flush_cache()  # the page itself is pdfplumber's (its PDF keeps its pages)
            page_read(number, len(pages))
        found.page_count = len(pages)
        return found


def visible_part(page: pdfplumber.page.Page, visible_objects: dict[str, list[dict]] | None = None) -> CroppedPage:
    """``page.within_bbox(page.bbox)``: the objects printed within the page (text off the
    page is hidden), filtered by the faster ``within_bbox`` of plumber_equivalents, still
    lazily (when its objects are first read). Made without pdfplumber's per-page work
    (``_derived_page``).

    ``visible_objects``: ``within_bbox`` of the page's object lists and box by kind, found by
    the page's reader as it made them (``PdfiumPage.visible_objects``, while the objects were
    in the processor's caches: the crop was the first, cold, read of them here), each taken
    for that very list; the caller vouches that no box moved since."""
    bbox = page.bbox
    test_proposed_bbox(bbox, bbox)  # CroppedPage's own test (strict): a page of no area is refused
    taken = {} if visible_objects is None else {
        id(objects): (objects, visible_objects[kind]) for kind, objects in page.objects.items() if kind in visible_objects
    }

    def crop(objects: list[dict]) -> list[dict]:
        found = taken.get(id(objects))
        if found is not None and found[0] is objects:
            return found[1]
        return within_bbox(objects, bbox)

    return _derived_page(VisiblePart, page, bbox, _crop_fn=crop)


class TextMapOnUse:
    """A derived page whose ``get_textmap`` (the ``lru_cache`` of its text map pdfplumber's
    constructors make for every page, a reference cycle) is made when first read: the layout
    never reads it; ``let_go`` drops it, ``close`` clears it as pdfplumber's pages do."""

    @property
    def get_textmap(self) -> Any:
        cached = self.__dict__.get("get_textmap")
        if cached is None:
            cached = self.__dict__["get_textmap"] = lru_cache()(self._get_textmap)  # type: ignore[attr-defined]
        return cached

    @get_textmap.setter
    def get_textmap(self, cached: Any) -> None:
        self.__dict__["get_textmap"] = cached


class VisiblePart(TextMapOnUse, CroppedPage):
    """pdfplumber's ``CroppedPage`` made by ``_derived_page`` (``visible_part``)."""


class DedupedPage(TextMapOnUse, FilteredPage):
    """pdfplumber's ``FilteredPage`` made by ``_derived_page`` (``dedupe_chars``)."""


def _derived_page(kind: type[DerivedPage], parent: pdfplumber.page.Page, bbox: tuple, **attributes: Any) -> Any:
    """A derived page of ``kind`` with what ``DerivedPage.__init__`` copies from its parent,
    ``bbox`` and these ``attributes``, without that constructor's per-page work: a cache
    flushed on an object that has none yet, and an ``lru_cache`` (``update_wrapper``) of the
    text map the layout never reads (35 µs of the two pages a page read made; 0.1 CPU-s a
    pass)."""
    page = kind.__new__(kind)
    page.__dict__.update(
        parent_page=parent, root_page=parent.root_page, pdf=parent.pdf, page_obj=parent.page_obj,
        page_number=parent.page_number, initial_doctop=parent.initial_doctop, rotation=parent.rotation,
        mediabox=parent.mediabox, cropbox=parent.cropbox, bbox=bbox, **attributes,
    )
    return page


def record_page(found: FileExtract, number: int, page: pdfplumber.page.Page, page_blocks: list, hidden: int) -> None:
    """Add a page's blocks to the file's, and say whether its text was hidden, or it had none
    (an image or drawing only, or blank). Both PDF readers end a page with this."""
    if hidden:
        found.hidden_chars[number] = hidden
    if not page_blocks:
        (found.pages_without_text if page.images or page.curves else found.blank_pages).append(number)
    found.blocks.extend(page_blocks)


def let_go(*pages: pdfplumber.page.Page) -> None:
    """Break the reference cycles every pdfplumber page makes with itself (its ``get_textmap``
    is an ``lru_cache`` of its own bound method; a page's ``root_page`` is the page itself)
    and drop its object lists, once the page is read: its characters are then freed at once,
    not at the garbage collector's next full collection (which, with fewer collections while
    a file is read, came late enough to raise the peak memory; ``yusuan/core/collector.py``). Only for pages made for this read:
    a page of pdfplumber's ``PDF.pages`` may be read again."""
    for page in pages:
        attributes = page.__dict__
        for name in _CACHED:  # page.flush_cache(): these are instance attributes only
            attributes.pop(name, None)
        attributes.pop("get_textmap", None)
        if attributes.get("root_page") is page:
            del attributes["root_page"]


_CACHED = tuple(Container.cached_properties)  # the attributes pdfplumber's flush_cache deletes


def unreadable_pdf_reason(exc: Exception) -> str:
    """Why pdfplumber cannot open a file, in words: pdfplumber wraps pdfminer's exception
    (often without a message) in PdfminerException."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF that needs a password to open; a publication must open without one (ask the issuer for an unprotected copy)"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF with a method the reader does not support ({cause or type(cause).__name__})"
    return f"not a readable PDF ({type(cause).__name__}: {cause})" if str(cause) else f"not a readable PDF ({type(cause).__name__})"


def _limit_in(exc: BaseException) -> LimitExceededError | None:
    """The LimitExceededError behind an exception of pdfplumber (which wraps pdfminer's)."""
    seen = 0
    current_exc: BaseException | None = exc
    while current_exc is not None and seen < 10:
        if isinstance(current_exc, LimitExceededError):
            return current_exc
        wrapped = next((a for a in current_exc.args if isinstance(a, BaseException)), None)
        current_exc = wrapped or current_exc.__cause__ or current_exc.__context__
        seen += 1
    return None


def normalize_media_box(page: pdfplumber.page.Page) -> None:
    """A MediaBox written upside down ([0 595.276 841.89 0], seen in 西安 2021) makes pdfminer
    move everything on the page below it (it translates by the box's first y), so the whole
    page reads as hidden text; viewers draw it normally. Order the corners before the page
    is parsed."""
    box = page.page_obj.mediabox
    if box and len(box) == 4 and (box[0] > box[2] or box[1] > box[3]):
        page.page_obj.mediabox = [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]


ASCENT = 0.8  # of the font size above the baseline, for a glyph box rebuilt from its baseline


def fix_glyph_boxes(page: pdfplumber.page.Page) -> None:
    """Rebuild the box of a character whose font declares a broken descent.

    pdfminer derives a glyph's box from the font's descent; a font that declares a descent
    of the whole font size (seen for the digits and colons of 重庆 tables) puts its glyphs
    entirely below their baseline, so "2026" and the title "年部门支出总体情况表" printed on
    one baseline fall on two lines. A horizontal glyph whose box starts less than half the
    font size above its baseline gets the box a normal font would give it.
    """
    if getattr(page, "glyph_boxes_fixed", False):  # made so by its reader (PdfiumPage._char)
        return
    offset = page.mediabox[1]  # pdfplumber's top = height - y1 + the MediaBox's top
    height = page.height  # a property of the page's box: read once, not per character
    doctop = page.initial_doctop
    if pdfium_native.enabled():  # the same loop in C; a character not of floats comes back
        pdfium_native.fix_glyph_boxes(page.chars, height, offset, doctop, ASCENT, lambda char: _fix_glyph_boxes([char], height, offset, doctop))
    else:
        _fix_glyph_boxes(page.chars, height, offset, doctop)


def _fix_glyph_boxes(chars: list[dict[str, Any]], height: float, offset: float, doctop: float) -> None:
    """fix_glyph_boxes's loop (and the oracle of the C one, pdfium_native)."""
    for char in chars:
        matrix = char.get("matrix")
        if not matrix or not char.get("upright") or matrix[1] or matrix[2] or matrix[0] <= 0 or matrix[3] <= 0:
            continue
        size = char["size"]
        baseline = height - matrix[5] + offset
        if char["top"] > baseline - 0.5 * size:
            top, bottom = baseline - ASCENT * size, baseline + (1 - ASCENT) * size
            char.update(top=top, bottom=bottom, doctop=doctop + top, y0=height - bottom + offset, y1=height - top + offset)


def table_to_grid(table: Table, centres: CharCentres | None = None) -> Grid:
    """Cells as printed, covered cells marked, and the x-range of every column.

    ``centres``: those of the page's characters, when the page's tables share them. Where
    the C loops are built, a table of float cells on a page of upright float characters is
    read in one C step (``table_grid_in_c``: the same rows, texts, marks and bounds)."""
    if table_grid_in_c is not None and centres is not None and centres.chars is table.page.chars and centres.ordered and centres.across:
        found = table_grid_in_c(table.cells, centres.chars, centres.middles, centres.centres, centres.order, LIGATURES, LIGATURE_LETTERS, COVERED_ABOVE, COVERED_LEFT)
        if found is not None:
            rows, bounds = found
            return Grid(rows=rows, row_origins=[], column_bounds=bounds)
    table_rows = table.rows  # a property that sorts the cells again on every use
    rows = extract_table(table, table_rows, centres)
    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    box = table.bbox  # a property computed from all the cells: read once
    x1 = box[2]
    ordered = all(map(isfinite, tops))  # no NaN: the sorted tops can be searched by bisection
    for r, row in enumerate(table_rows):
        # the slot's own height: from the row's top to the next row's top (a row that holds a
        # tall merged cell has a box reaching over the rows below)
        top = row.bbox[1]
        index = bisect_right(tops, top + 0.5) - 1
        if ordered:  # the first top more than 2 pt below (rules drawn a hair apart are one)
            after = bisect_right(tops, top + 2)
            bottom = tops[after] if after < len(tops) else box[3]
        else:
            bottom = next((t for t in tops if t > top + 2), box[3])
        for j, cell in enumerate(row.cells):
            if cell is not None or rows[r][j] is not None:
                continue
            cover = _covering_cell(table, box, (row.bbox[0], top, row.bbox[2], bottom), j, lefts)
            if cover is None:
                continue
            if bisect_right(tops, cover[1] + 0.5) - 1 != index:
                rows[r][j] = COVERED_ABOVE
            elif cover[0] < lefts[j] - 1:  # starts in this row, to the left: a span over columns
                rows[r][j] = COVERED_LEFT
    bounds = [(lefts[j], lefts[j + 1] if j + 1 < len(lefts) else x1) for j in range(len(lefts))]
    return Grid(rows=rows, row_origins=[], column_bounds=bounds if len(bounds) == len(rows[0]) else None)


class CharCentres:
    """The centres of a page's characters, and their indices sorted by their vertical centre
    (ties by their order on the page) with those centres: computed once per page, shared by
    its tables. ``ordered``: whether the middles are all finite, so ``keys`` is sorted;
    ``across``: whether the centres are. Where the C loops are built
    (``layout_native``), ``char_centres`` computes the same lists for characters whose
    positions are floats and whose centres are all finite; otherwise the Python below."""

    def __init__(self, chars: list[dict]) -> None:
        self.chars = chars
        found = loops.char_centres(chars) if loops else None
        if found is not None:  # computed in C: the same floats, finite, the same order
            self.middles, self.centres, self.order, self.keys = found
            self.ordered = self.across = True
            return
        self.middles = [(top + bottom) / 2 for top, bottom in map(_TOP_BOTTOM, chars)]
        self.centres = [(x0 + x1) / 2 for x0, x1 in map(_X0_X1, chars)]
        middles = self.middles
        self.ordered = all(map(isfinite, middles))
        self.across = all(map(isfinite, self.centres))  # the centres can be sorted by themselves
        if self.ordered:  # the indices by their middle, ties in order: the tuples' order
            self.order = sorted(range(len(chars)), key=middles.__getitem__)
        else:  # NaN has no order: sort the (middle, index) tuples as before
            self.order = [i for _m, i in sorted(zip(middles, range(len(chars)), strict=True))]
        self.keys = list(map(middles.__getitem__, self.order))


_TOP_BOTTOM = itemgetter("top", "bottom")
_X0_X1 = itemgetter("x0", "x1")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def extract_table(table: Table, table_rows: list | None = None, centres: CharCentres | None = None) -> list[list[str | None]]:
    """``table.extract()``: the same text per cell, without testing every character of the
    page against every row and every character of a row against every cell (rows ×
    characters: cubic in the side of a ruled grid). A character belongs to a row or cell
    whose box holds its centre (top and left edges in, bottom and right edges out), as in
    pdfplumber; the characters of a cell keep the page's order. The characters' centres are
    computed once per page (``centres``, for the page's chars) and looked up by index.

    The row's characters are those whose middle lies in the row's band (bisected in the
    sorted middles); a cell as high as its row (most cells) holds the characters of the band
    whose centre lies in its columns, without testing their middles again."""
    chars = table.page.chars
    if centres is None or centres.chars is not chars:
        centres = CharCentres(chars)
    table_rows = table.rows if table_rows is None else table_rows
    if table_text_in_c is not None and centres.ordered and centres.across:
        found = table_text_in_c([(row.bbox, row.cells) for row in table_rows], chars, centres.middles, centres.centres, centres.order, LIGATURES, LIGATURE_LETTERS)
        if found is not None:  # finite float cells, upright float characters: the same texts, in C
            return found  # type: ignore[no-any-return]
    middles, lefts_of, order, keys = centres.middles, centres.centres, centres.order, centres.keys
    char_at = chars.__getitem__
    rows: list[list[str | None]] = []
    for row in table_rows:  # a cell lies within its row's box: the row's band holds its characters
        _x0, top, _x1, bottom = row.bbox
        band = order[bisect_left(keys, top) : bisect_left(keys, bottom)]
        if centres.across:  # sorted by centre alone: equal centres are all in a cell or all out
            indices = sorted(band, key=lefts_of.__getitem__)
            lefts = list(map(lefts_of.__getitem__, indices))
        else:  # NaN has no order: the (centre, index) tuples sorted as before
            across = sorted(zip(map(lefts_of.__getitem__, band), band, strict=True))
            lefts = list(map(_FIRST, across))
            indices = list(map(_SECOND, across))
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, cell_top, x1, cell_bottom = cell
            within = indices[bisect_left(lefts, x0) : bisect_left(lefts, x1)]
            if not (centres.ordered and cell_top == top and cell_bottom == bottom):  # the band is not the cell's
                within = [i for i in within if cell_top <= middles[i] < cell_bottom]
            if within:
                within.sort()
                texts.append(extract_text(list(map(char_at, within))))
            else:
                texts.append("")
        rows.append(texts)
    return rows


# (rows as (box, cells), the page's chars, middles, centres and order by middle, ligatures,
# their letters) -> ``extract_table``'s rows of texts computed in C, for finite float cells
# and characters every cell of which ``extract_text`` reads in C; else None. None where the
# extension is not built.
table_text_in_c: Callable[..., list[list[str | None]] | None] | None = loops.table_text if loops else None
# (the table's cells, the page's chars, middles, centres and order by middle, ligatures, their
# letters, the two covered marks) -> ``table_to_grid``'s rows and column bounds computed in C,
# for cells of finite floats none zero and characters every cell of which ``extract_text``
# reads in C; else None. None where the extension is not built.
table_grid_in_c: Callable[..., tuple[list[list], list[tuple[float, float]]] | None] | None = loops.table_grid if loops else None


def _covering_cell(table: Table, box: tuple, row_box: tuple, column: int, lefts: list[float]) -> tuple | None:
    x0 = lefts[column] if column < len(lefts) else box[2]
    x1 = lefts[column + 1] if column + 1 < len(lefts) else box[2]
    cx, cy = (x0 + x1) / 2, (row_box[1] + row_box[3]) / 2
    return next((c for c in table.cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)


def _without_frames(page: pdfplumber.page.Page, table: Table, max_steps: int = 10_000_000) -> Table | None:
    """Drop 'cells' that are frames around other cells (a page border drawn as a box): their
    text would repeat the whole table, and a title inside the frame belongs to no cell.

    A frame is a cell that contains two others (another cell within it, 1 pt of play on each
    side). The cells that may lie inside a cell are found in an index (left edges, then
    tops, sorted) and counting stops at two, so a ruled grid costs a few comparisons per
    cell, not one per pair of cells. Where the C loops are built (``layout_native``), the same
    search over finite float cells runs in C."""
    cells = table.cells
    found = loops.frame_cells(cells, min(max_steps, sys.maxsize)) if loops else None
    frames = set(found) if found is not None else _frames(cells, max_steps)
    if not frames:
        return table
    kept = [c for i, c in enumerate(cells) if i not in frames]
    return Table(page, kept) if kept else None


def _frames(cells: list[tuple], max_steps: int) -> set[int]:
    """The indices of the frame cells (``_without_frames``): the Python search, the oracle
    of the C loop ``frame_cells`` (finite float cells), and the one that raises at the limit."""
    by_left: dict[float, list[tuple[float, int]]] = {}
    for i, cell in enumerate(cells):
        by_left.setdefault(cell[0], []).append((cell[1], i))
    lefts = sorted(by_left)
    for group in by_left.values():
        group.sort()
    steps = 0
    frames: set[int] = set()
    for i, outer in enumerate(cells):
        inside = 0
        x0, top, x1, bottom = outer
        for left in lefts[bisect_left(lefts, x0 - 1) : bisect_right(lefts, x1 + 1)]:
            group = by_left[left]
            for _top, j in group[bisect_left(group, (top - 1, -1)) : bisect_right(group, (bottom + 1, len(cells)))]:
                steps += 1
                inner = cells[j]
                if inner != outer and x0 <= inner[0] + 1 and top <= inner[1] + 1 and x1 >= inner[2] - 1 and bottom >= inner[3] - 1:
                    inside += 1
                    if inside >= 2:
                        break
            steps += 1
            if inside >= 2:
                frames.add(i)
                break
        if steps > max_steps:
            raise LimitExceededError("", "max_crossings_per_page", max_steps, steps, what="comparisons to find frame cells")
    return frames


def find_tables(page: pdfplumber.page.Page, limits: Limits) -> list[Table]:
    """``page.find_tables()`` with its default settings: the same tables, with the crossings
    of the rulings bounded and the cells found in about linear time."""
    edges = table_edges(page)  # TableFinder(page).get_edges(): the same rulings, lighter
    verticals = list(map(_ORIENTATION, edges)).count("v")
    limits.check("max_crossings_per_page", verticals * (len(edges) - verticals), "", what="crossings of vertical and horizontal rulings")
    x_tolerance, y_tolerance = _INTERSECTION_TOLERANCES
    cells = ruling_cells(edges, x_tolerance, y_tolerance, max(x_tolerance, y_tolerance), 4 * limits.max_crossings_per_page)
    return [Table(page, group) for group in cells_to_tables(cells)]


_ORIENTATION = itemgetter("orientation")
_DEFAULT_SETTINGS = TableSettings.resolve(None)  # pdfplumber's defaults: resolved once, only read
_INTERSECTION_TOLERANCES = (_DEFAULT_SETTINGS.intersection_x_tolerance, _DEFAULT_SETTINGS.intersection_y_tolerance)


# (edges, x_tolerance, y_tolerance, tolerance, max_steps) -> ``ruling_cells`` computed in C
# for exact dicts of finite float rulings (no crossing at -0.0) within max_steps, else None
ruling_cells_in_c: Callable[[list[dict], float, float, float, int], list[tuple] | None] | None = loops.ruling_cells if loops else None


def ruling_cells(edges: list[dict], x_tolerance: float, y_tolerance: float, tolerance: float, max_steps: int) -> list[tuple]:
    """The cells closed by these rulings: ``smallest_cells`` of their crossings
    (``edges_to_intersections``), pdfplumber's ``intersections_to_cells``. Where the C loops
    are built, exact dicts of finite float rulings are read in C in one step
    (``ruling_cells_in_c``), without the dict of crossings the two steps hand each other;
    the two steps in Python are the fallback, the oracle, and raise at ``max_steps``."""
    if ruling_cells_in_c is not None:
        found = ruling_cells_in_c(edges, x_tolerance, y_tolerance, tolerance, min(max_steps, sys.maxsize))
        if found is not None:
            return found
    intersections = edges_to_intersections(edges, x_tolerance, y_tolerance)
    return smallest_cells(intersections, "", None, tolerance=tolerance, max_steps=max_steps)


def _slots(table: Table) -> int:
    """Slots of the table's grid (distinct tops × distinct lefts): pdfplumber builds them all."""
    cells = table.cells
    return len(set(map(_SECOND, cells))) * len(set(map(_FIRST, cells)))


def dedupe_chars(page: pdfplumber.page.Page) -> FilteredPage:
    """``page.dedupe_chars()`` (defaults: tolerance 1, same font and size): the same
    characters in the same order, without its final ``sorted(key=chars.index)``, which is
    quadratic (11 s for 6,000 characters, minutes for 24,000)."""
    objects = dict(page.objects)
    objects["char"] = unique_chars(objects.get("char", []))
    return _derived_page(DedupedPage, page, page.bbox, filter_fn=_keep, _objects=objects)


def _keep(_obj: dict) -> bool:
    """The filter of ``dedupe_chars``' page (its objects are set: not called by the layout)."""
    return True


def unique_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber.utils.dedupe_chars, with the original order kept without re-sorting.

    Of several characters with the same text, font and size within ``tolerance`` of each
    other (clustered by doctop, then by x0), the first at the smallest (doctop, x0) is kept.
    pdfplumber sorts the characters by that key and restores the order with
    ``chars.index`` (the first *equal* character): the kept one is always the first of its
    equal copies (clustering and sorting are stable), so its own position is the same, and
    the result is the page's characters without the dropped copies. Only the characters of
    the lines where two x0s lie within the tolerance can be copies
    (``close_chars.runs_with_close_chars``, a few C passes); the others are not grouped.

    A list that holds one object twice goes pdfplumber's way (``_unique_chars_sorted``).
    Only the suspects need that test when the tolerance is not negative: the two listings of
    one object have the same doctop and x0, so they fall in one run whose x0s have
    neighbours within the tolerance (a difference of 0), and both are suspects.
    """
    suspects = runs_with_close_chars(chars, tolerance) if tolerance >= 0 else None
    if suspects is None:  # a position not a finite number, or a negative tolerance: all grouped
        if not _distinct(chars):
            return _unique_chars_sorted(chars, tolerance)
        dropped = _copies(chars, tolerance)
    elif suspects:
        suspected = list(map(chars.__getitem__, suspects))
        if not _distinct(suspected):  # one object listed twice: pdfplumber's way
            return _unique_chars_sorted(chars, tolerance)
        dropped = _copies(suspected, tolerance)
    else:
        return list(chars)
    return [char for char in chars if id(char) not in dropped] if dropped else list(chars)


def _distinct(objects: list) -> bool:
    """Whether no object is listed twice (by identity: characters are dicts, equal or not)."""
    return len(set(map(id, objects))) == len(objects)


def _copies(chars: list[dict], tolerance: float) -> set[int]:
    """The ids of the characters ``unique_chars`` drops: grouped by text, font and size,
    clustered by doctop and x0, all but the first at the smallest (doctop, x0) of a cluster.
    A group of one needs no clustering, nor does a cluster of one."""
    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    groups: defaultdict[tuple, list[dict]] = defaultdict(list)
    for char in chars:
        groups[key(char)].append(char)
    dropped: set[int] = set()
    for copies in groups.values():
        if len(copies) == 1:
            continue
        if not near(sorted(map(_doctop, copies)), tolerance):
            continue  # every doctop a cluster of its own (the clustering's own test)
        for y_cluster in cluster_objects(copies, _doctop, tolerance):
            if len(y_cluster) == 1 or not near(sorted(map(_x0, y_cluster)), tolerance):
                continue  # the same character repeated along a line, not drawn twice
            for x_cluster in cluster_objects(y_cluster, _x0, tolerance):
                if len(x_cluster) > 1:
                    first = min(x_cluster, key=position)
                    dropped.update(id(char) for char in x_cluster if char is not first)
    return dropped


_doctop = itemgetter("doctop")
_x0 = itemgetter("x0")


def _unique_chars_sorted(chars: list[dict], tolerance: float) -> list[dict]:
    """unique_chars by sorting, for a list that holds one object more than once."""
    key = itemgetter("upright", "text", "fontname", "size")
    position = itemgetter("doctop", "x0")
    order = {id(char): index for index, char in reversed(list(enumerate(chars)))}
    kept = []
    for _key, group in itertools.groupby(sorted(chars, key=key), key=key):
        for y_cluster in cluster_objects(list(group), _doctop, tolerance):
            for x_cluster in cluster_objects(y_cluster, _x0, tolerance):
                kept.append(min(x_cluster, key=position))
    return sorted(kept, key=lambda char: order[id(char)])


def page_to_blocks(page: pdfplumber.page.Page, source: SourceFile, number: int, limits: Limits | None = None) -> list[Block]:
    """Tables (ruled grids) and the text lines outside them, top to bottom."""
    if not page.chars:
        return []
    limits = limits or current()
    name = source.name  # a property (the path's name): read once, not per table and block
    found = find_tables(page, limits)
    most = limits.max_cells_per_table
    for table in found:
        if len(table.cells) ** 2 > most:  # its slots are at most cells²: only such a table can be over the limit
            limits.check("max_cells_per_table", _slots(table), name, page=number, what="slots in a ruled table")
    tables = [_without_frames(page, t, limits.max_crossings_per_page) for t in found]
    tables = [t for t in tables if t is not None]
    placed: list[tuple[float, float, Block]] = []
    one_row: list[tuple[Table, Grid]] = []
    kept: list[Table] = []
    kept_grids: list[tuple[Table, Grid]] = []
    for table, grid in zip(tables, page_grids(page, tables), strict=True):
        if len(grid.rows) == 1:
            one_row.append((table, grid))  # kept below unless it is a box drawn inside a line of text
        elif grid.rows:
            kept.append(table)
            kept_grids.append((table, grid))
            placed.append((min(map(_SECOND, table.cells)), table.bbox[0], grid))
    # text inside a table's frame but in no cell (a title drawn within the frame) stays text,
    # unless it lies in the frame's top row (see ``into_open_top_row``)
    lines = _outside(extract_text_lines(page.chars), kept)  # page.extract_text_lines(return_chars=True)
    lines = into_open_top_row(lines, kept_grids)
    added: list[Table] = []
    for table, grid in one_row:
        box = table.bbox  # a property computed from all the cells: read once, not per line
        if not any(_crosses(line, box) for line in lines):
            added.append(table)
            placed.append((box[1], box[0], grid))
    if added:  # the lines outside every kept table: those outside the others already are
        lines = _outside(lines, added)
    right_margin = max((line["x1"] for line in lines), default=0)
    for line in lines:
        text = line["text"].strip()
        char_width = (line["x1"] - line["x0"]) / max(len(text), 1)
        continues = line["x1"] >= right_margin - 1.5 * char_width and len(text) > 10
        placed.append((line["top"], line["x0"], TextLine(text, None, continues=continues, words=_words(line["chars"]))))  # type: ignore[arg-type]
    placed.sort(key=lambda item: (round(item[0]), item[1]))
    blocks: list[Block] = []
    sha256 = source.sha256
    for index, (_top, _x0, block) in enumerate(placed, start=1):
        origin = Origin(name, sha256, number, index)
        if isinstance(block, Grid):
            block.row_origins = [origin] * len(block.rows)
        else:
            block.origin = origin
        blocks.append(block)
    return blocks


def into_open_top_row(lines: list[dict], tables: list[tuple[Table, Grid]]) -> list[dict]:
    """The lines that are not the header text of a grid's top row left open on the right.

    A table printed across pages with an overflow page (上海 数据局's 收入总表: 项目 | 收入预算
    over the columns of pp.8–9 and of p.10) draws its top header cell without a right rule:
    that cell is no cell of the grid, so its text was read as a line after the grid and
    ended up in a body row. A line whose centre lies at the height of the top row, within
    the grid's columns, all of whose words lie either in the row's open stretch (the slots
    with no cell from some column to the last) or in a cell of the row that holds the same
    text (read twice: the line runs through it), is that row's text: its words in the
    open stretch go into the stretch's first slot (one open cell; the columns to its right
    take its text as their group header). ``tables``: each table with its grid, whose top
    row is changed in place."""
    open_rows = [found for table, grid in tables if (found := _open_top_row(table, grid)) is not None]
    if not lines or not open_rows:  # the common page: every top row is closed
        return lines
    kept = []
    for line in lines:
        for grid, start, band in open_rows:
            words = _top_row_words(line, grid, start, band)
            if words:
                row = grid.rows[0]
                row[start] = (row[start] or "") + "".join(words)  # a second line of the open cell follows the first
                break
        else:
            kept.append(line)
    return kept


def _open_top_row(table: Table, grid: Grid) -> tuple[Grid, int, tuple[float, float]] | None:
    """The grid, the first slot of its top row's open stretch (slots with no cell from there
    to the last, after cells only) and the row's height band (from the frame's top to the
    next row's top), or None where the top row is closed."""
    row, bounds = grid.rows[0], grid.column_bounds
    start = len(row)
    while start > 0 and row[start - 1] is None:
        start -= 1
    if not bounds or len(bounds) != len(row) or start in (0, len(row)) or None in row[:start]:
        return None
    tops = sorted({cell[1] for cell in table.cells})
    if not all(map(isfinite, tops)):
        return None
    return grid, start, (tops[0], next((t for t in tops if t > tops[0] + 2), table.bbox[3]))


def _top_row_words(line: dict, grid: Grid, start: int, band: tuple[float, float]) -> list[str]:
    """The words of ``line`` in the open stretch of ``grid``'s top row (from slot ``start``)
    where the line is that row's text (see ``into_open_top_row``), else none."""
    row, bounds = grid.rows[0], grid.column_bounds or []
    if not band[0] <= (line["top"] + line["bottom"]) / 2 <= band[1] or line["x0"] < bounds[0][0] - 1 or line["x1"] > bounds[-1][1] + 1:
        return []
    opened: list[str] = []
    for found in _words(line["chars"]):
        middle = (found.x0 + found.x1) / 2
        column = next((j for j, (x0, x1) in enumerate(bounds) if x0 <= middle <= x1), None)
        if column is None:
            return []
        if column >= start:
            opened.append(found.text)
            continue
        while column > 0 and row[column] in (COVERED_LEFT, COVERED_ABOVE):
            column -= 1
        if found.text not in "".join((row[column] or "").split()):
            return []  # text of its own in a cell's slot: not this row's
    return opened


def page_grids(page: pdfplumber.page.Page, tables: list[Table]) -> list[Grid]:
    """``table_to_grid`` of each of the page's tables, the page's character centres
    (``CharCentres``) shared by them. Where the C loops are built, the tables of a page of
    float characters are read in one C step (``page_grids_in_c``) that computes the centres
    once into C arrays, where ``CharCentres`` made four Python lists that each table's C step
    read back into arrays; a table (or a page) it leaves out goes the way of
    ``table_to_grid`` with ``CharCentres``, the oracle."""
    if not tables:
        return []
    chars = page.chars
    found = None
    if page_grids_in_c is not None and all(table.page.chars is chars for table in tables):
        found = page_grids_in_c([table.cells for table in tables], chars, LIGATURES, LIGATURE_LETTERS, COVERED_ABOVE, COVERED_LEFT)
    if found is None:
        found = [None] * len(tables)
    centres: CharCentres | None = None
    grids: list[Grid] = []
    for table, grid in zip(tables, found, strict=True):
        if grid is None:
            centres = centres or CharCentres(chars)
            grids.append(table_to_grid(table, centres))
        else:
            rows, bounds = grid
            grids.append(Grid(rows=rows, row_origins=[], column_bounds=bounds))
    return grids


# (the tables' cells, the page's chars, ligatures, their letters, the two covered marks) ->
# for each table ``table_grid_in_c``'s (rows, column bounds) or None, the page's centres
# computed once in C; None for characters ``char_centres`` would not read. None where the
# extension is not built.
page_grids_in_c: Callable[..., list[tuple[list[list], list[tuple[float, float]]] | None] | None] | None = loops.page_grids if loops else None


def _outside(lines: list[dict], tables: list[Table]) -> list[dict]:
    """The lines whose centre lies in no cell of these tables (borders included). A line's
    centre is computed once, and only the cells of its band of the page are tried: each
    cell is listed in the bands of ``_BAND`` pt its height spans, so a line is tested
    against the cells around its height, not against every cell left of it. Where the C
    loops are built (``layout_native``) and the page is not huge, every cell is tested in C
    (a cell the bands leave out cannot hold the centre: the same lines)."""
    boxes = [cell for t in tables for cell in t.cells]
    if not boxes:
        return list(lines)
    if loops is not None and len(lines) * len(boxes) <= _PAIRS_IN_C:
        found = loops.outside(lines, boxes)  # every box tested, in C: the same lines
        if found is not None:
            return found  # type: ignore[no-any-return]
    if not all(map(isfinite, chain.from_iterable(boxes))):  # no band to put it in
        return _outside_by_scan(lines, boxes)
    bands: dict[int, list[tuple]] = {}
    for box in boxes:
        for band in range(floor(box[1] / _BAND), floor(box[3] / _BAND) + 1):
            bands.setdefault(band, []).append(box)
    kept = []
    for line in lines:
        x, y = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
        candidates = bands.get(floor(y / _BAND), ()) if isfinite(y) else boxes
        if not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in candidates):
            kept.append(line)
    return kept


_BAND = 16.0  # pt: about a table row
# lines x cells up to which the C loop tests every cell (a few ms at most); beyond, the bands
_PAIRS_IN_C = 2_000_000


def _outside_by_scan(lines: list[dict], boxes: list[tuple]) -> list[dict]:
    """``_outside`` testing every cell (for boxes that are not all finite numbers)."""
    return [
        line for line in lines
        if not any(
            x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= (line["top"] + line["bottom"]) / 2 <= bottom
            for x0, top, x1, bottom in boxes
        )
    ]


def _crosses(line: dict, box: tuple) -> bool:
    """A line of text runs through a one-row box and beyond it: the box is drawn around
    words of the running text (an underlined or boxed figure, as in 长沙's narrative), and its
    text is the line's."""
    x0, top, x1, bottom = box
    overlap = min(line["bottom"], bottom) - max(line["top"], top)
    inside_height = overlap >= 0.5 * min(line["bottom"] - line["top"], bottom - top)
    return inside_height and line["x0"] < x1 and line["x1"] > x0 and (line["x0"] < x0 - 2 or line["x1"] > x1 + 2)


def _words(chars: list[dict]) -> tuple[Word, ...]:
    """Split a line's characters into words at gaps wider than about one character. A
    character's facts are read with one call, the previous one's kept in locals. Where the C
    loops are built (``layout_native``), a line of float positions is cut in C."""
    found = loops.line_words(chars) if loops else None
    if found is not None:
        return tuple([Word(x0, x1, text) for x0, x1, text in found])
    words: list[Word] = []
    texts: list[str] = []  # the current word's
    first = last = size = 0.0  # its x0, and the x1 and size of its last character
    for text, x0, x1, char_size in map(_WORD_FACTS, chars):
        if text.isspace():
            continue
        if texts and x0 - last > max(size * 0.6, 2):
            words.append(Word(first, last, "".join(texts)))
            texts = []
        if not texts:
            first = x0
        texts.append(text)
        last, size = x1, char_size
    if texts:
        words.append(Word(first, last, "".join(texts)))
    return tuple(words)


_WORD_FACTS = itemgetter("text", "x0", "x1", "size")
