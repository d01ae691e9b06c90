"""Born-digital PDFs: ruled table grids and the text lines around them, with pdfplumber.

A grid keeps, for every cell covered by a merged neighbour, whether the covering cell starts
to its left or above (so headers spanning columns are read right), and the x-range of each
column (so rows printed outside the ruling, or a table continued on the next page, can be
put back into the right columns). The choice of pdfplumber is measured in
docs/pdf-library-choice.md.
"""

from __future__ import annotations

import logging
from bisect import bisect_right

import pdfplumber
from pdfplumber.table import Table

from yusuan.errors import ExtractionError
from yusuan.model import (
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

# pdfminer logs every recoverable oddity of a PDF as a warning: keep runs quiet.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdf_to_blocks(source: SourceFile) -> FileExtract:
    try:
        pdf = pdfplumber.open(source.path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractionError(source.name, unreadable_pdf_reason(exc)) from exc
    found = FileExtract(blocks=[])
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise ExtractionError(source.name, f"not a readable PDF ({type(exc).__name__})") from exc
        for number, page in enumerate(pages, start=1):
            try:
                normalize_media_box(page)
                fix_glyph_boxes(page)
                # text printed off the page (hidden copies of other pages' tables) is not read
                visible = page.within_bbox(page.bbox)
                hidden = len(page.chars) - len(visible.chars)
                page_blocks = page_to_blocks(visible.dedupe_chars(), source, number)
            except Exception as exc:
                raise ExtractionError(source.name, f"cannot read the page ({type(exc).__name__}: {exc})", page=number) from exc
            if hidden:
                found.hidden_chars[number] = hidden
            if not page_blocks:
                (found.pages_without_text if page.images or page.curves else found.blank_pages).append(number)
            found.blocks.extend(page_blocks)
            page.flush_cache()
        found.page_count = len(pages)
        return found


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
    offset = page.mediabox[1]  # pdfplumber's top = height - y1 + the MediaBox's top
    for char in page.chars:
        matrix = char.get("matrix")
        if not matrix or not char.get("upright") or matrix[1] or matrix[2] or matrix[0] <= 0 or matrix[3] <= 0:
            continue
        size = char["size"]
        baseline = page.height - matrix[5] + offset
        if char["top"] > baseline - 0.5 * size:
            top, bottom = baseline - ASCENT * size, baseline + (1 - ASCENT) * size
            char.update(top=top, bottom=bottom, doctop=page.initial_doctop + top, y0=page.height - bottom + offset, y1=page.height - top + offset)


def table_to_grid(table: Table) -> Grid:
    """Cells as printed, covered cells marked, and the x-range of every column."""
    rows = [list(r) for r in table.extract()]
    tops = sorted({cell[1] for cell in table.cells})
    lefts = sorted({cell[0] for cell in table.cells})
    x1 = table.bbox[2]
    for r, row in enumerate(table.rows):
        # the slot's own height: from the row's top to the next row's top (a row that holds a
        # tall merged cell has a box reaching over the rows below)
        top = row.bbox[1]
        index = bisect_right(tops, top + 0.5) - 1
        bottom = next((t for t in tops if t > top + 2), table.bbox[3])  # rules drawn a hair apart are one
        for j, cell in enumerate(row.cells):
            if cell is not None or rows[r][j] is not None:
                continue
            cover = _covering_cell(table, (row.bbox[0], top, row.bbox[2], bottom), j, lefts)
            if cover is None:
                continue
            if bisect_right(tops, cover[1] + 0.5) - 1 != index:
                rows[r][j] = COVERED_ABOVE
            elif cover[0] < lefts[j] - 1:  # starts in this row, to the left: a span over columns
                rows[r][j] = COVERED_LEFT
    bounds = [(lefts[j], lefts[j + 1] if j + 1 < len(lefts) else x1) for j in range(len(lefts))]
    return Grid(rows=rows, row_origins=[], column_bounds=bounds if len(bounds) == len(rows[0]) else None)


def _covering_cell(table: Table, row_box: tuple, column: int, lefts: list[float]) -> tuple | None:
    x0 = lefts[column] if column < len(lefts) else table.bbox[2]
    x1 = lefts[column + 1] if column + 1 < len(lefts) else table.bbox[2]
    cx, cy = (x0 + x1) / 2, (row_box[1] + row_box[3]) / 2
    return next((c for c in table.cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)


def _contains(outer: tuple, inner: tuple) -> bool:
    return outer != inner and outer[0] <= inner[0] + 1 and outer[1] <= inner[1] + 1 and outer[2] >= inner[2] - 1 and outer[3] >= inner[3] - 1


def _without_frames(page: pdfplumber.page.Page, table: Table) -> Table | None:
    """Drop 'cells' that are frames around other cells (a page border drawn as a box): their
    text would repeat the whole table, and a title inside the frame belongs to no cell."""
    cells = [c for c in table.cells if sum(_contains(c, other) for other in table.cells) < 2]
    if len(cells) == len(table.cells):
        return table
    return Table(page, cells) if cells else None


def page_to_blocks(page: pdfplumber.page.Page, source: SourceFile, number: int) -> list[Block]:
    """Tables (ruled grids) and the text lines outside them, top to bottom."""
    if not page.chars:
        return []
    tables = [_without_frames(page, t) for t in page.find_tables()]
    tables = [t for t in tables if t is not None]
    placed: list[tuple[float, float, Block]] = []
    one_row: list[tuple[Table, Grid]] = []
    kept: list[Table] = []
    for table in tables:
        grid = table_to_grid(table)
        if len(grid.rows) == 1:
            one_row.append((table, grid))  # kept below unless it is a box drawn inside a line of text
        elif grid.rows:
            kept.append(table)
            placed.append((min(c[1] for c in table.cells), table.bbox[0], grid))
    # text inside a table's frame but in no cell (a title drawn within the frame) stays text
    lines = _outside(page.extract_text_lines(return_chars=True), kept)
    for table, grid in one_row:
        if not any(_crosses(line, table.bbox) for line in lines):
            kept.append(table)
            placed.append((table.bbox[1], table.bbox[0], grid))
    lines = _outside(lines, kept)
    right_margin = max((line["x1"] for line in lines), default=0)
    for line in lines:
        text = line["text"].strip()
        char_width = (line["x1"] - line["x0"]) / max(len(text), 1)
        continues = line["x1"] >= right_margin - 1.5 * char_width and len(text) > 10
        placed.append((line["top"], line["x0"], TextLine(text, None, continues=continues, words=_words(line["chars"]))))  # type: ignore[arg-type]
    placed.sort(key=lambda item: (round(item[0]), item[1]))
    blocks: list[Block] = []
    for index, (_top, _x0, block) in enumerate(placed, start=1):
        origin = Origin(source.name, source.sha256, number, index)
        if isinstance(block, Grid):
            block.row_origins = [origin] * len(block.rows)
        else:
            block.origin = origin
        blocks.append(block)
    return blocks


def _outside(lines: list[dict], tables: list[Table]) -> list[dict]:
    """The lines whose centre lies in no cell of these tables."""
    boxes = [cell for t in tables for cell in t.cells]
    return [
        line for line in lines
        if not any(x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= (line["top"] + line["bottom"]) / 2 <= bottom for x0, top, x1, bottom in boxes)
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
    """Split a line's characters into words at gaps wider than about one character."""
    words: list[Word] = []
    current: list[dict] = []
    for char in chars:
        if char["text"].isspace():
            continue
        if current and char["x0"] - current[-1]["x1"] > max(current[-1]["size"] * 0.6, 2):
            words.append(Word(current[0]["x0"], current[-1]["x1"], "".join(c["text"] for c in current)))
            current = []
        current.append(char)
    if current:
        words.append(Word(current[0]["x0"], current[-1]["x1"], "".join(c["text"] for c in current)))
    return tuple(words)
