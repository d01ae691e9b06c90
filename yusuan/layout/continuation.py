"""Tables that go on: over a page break, past a missing rule, with rows or wrapped cell text
printed outside the ruling."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

from yusuan.core.model import COVERED_LEFT, Grid, Origin, RawTable, TextLine
from yusuan.core.numbers import CELL_MEMO, clean_cell, find_unit, looks_like_amount
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import word
from yusuan.layout.cells import (
    MARKERS,
    NOTE,
    PAGE_NUMBER,
    Cell,
    as_printed_row,
    is_column_number_row,
    is_fragment,
    is_title_block,
    split_header,
    text_of,
    without_column_numbers,
)
from yusuan.layout.columns import column_map, words_to_row


def continues_table(previous: RawTable, grid: Grid, rows: list[list[Cell]], bounds: list[tuple[float, float]] | None, context_lines: list[TextLine], registry: Registry) -> bool:
    """A grid without a title after a table, at the top of a later page or further down the
    same page with only pieces of the table (or nothing) between, whose columns line up."""
    last_page = (previous.body_origins or [previous.origin])[-1].page
    if last_page is None or grid.origin.page is None or grid.origin.page < last_page:
        return False
    between = [ln for ln in context_lines if not PAGE_NUMBER.match(ln.text)]
    if any(not is_table_text(ln, previous, registry) for ln in between):
        return False
    if any(is_title_block(texts[0], registry) for texts in ([text_of(c) for c in row if text_of(c)] for row in rows[:2]) if len(texts) == 1):
        return False  # a table of its own, titled inside its frame (a header cell may name the unit: 预算数（单位：万元）)
    if previous.column_bounds and bounds:
        mapping = column_map(bounds, previous.column_bounds)
        if mapping is None:
            return False
        # a table with only its first header row so far may be split into more columns below
        return len(set(mapping)) == len(mapping) or not previous.body
    return max(len(r) for r in rows) == previous.width


def is_table_text(line: TextLine, table: RawTable, registry: Registry) -> bool:
    """A line printed between two pieces of a table's ruling that belongs to the table: a row
    with amounts, or a piece of a wrapped cell, inside the table's columns."""
    if is_loose_row(line, table) or is_loose_fragment(line, table, registry):
        return True
    text = normalize_label(line.text)
    if not line.words or not table.column_bounds or not table.body or find_unit(text) or registry.compiled_by_pattern.match(text):
        return False
    if text.endswith(word("title_ending")) or registry.label_pattern.match(text) or NOTE.match(text):
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    last_page = table.body_origins[-1].page if table.body_origins else None
    return last_page is not None and line.origin.page in (last_page, last_page + 1) and all(
        left <= (w.x0 + w.x1) / 2 <= right for w in line.words
    )


SENTENCE = re.compile(r"[，。；：！？]")


def is_loose_row(line: TextLine, table: RawTable) -> bool:
    """A line printed right under a table's ruling, on its page, with amounts in its columns."""
    if len(line.words) < 2 or not table.column_bounds or not table.body_origins or PAGE_NUMBER.match(line.text):
        return False
    if SENTENCE.search(line.text):
        return False  # a sentence (2026 | 年，本部门重点项目…) is no row of amounts
    last_page = table.body_origins[-1].page or 0
    if line.origin.page not in (last_page, last_page + 1) or not any(looks_like_amount(w.text) for w in line.words):
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    return all(left - 2 <= (w.x0 + w.x1) / 2 <= right + 2 for w in line.words)


def is_loose_fragment(line: TextLine, table: RawTable, registry: Registry) -> bool:
    """The end of a cell's text that wrapped past the ruling onto the next page (置更新)."""
    if not line.words or not table.column_bounds or not table.body:
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    return is_fragment(line.text, registry) and all(left <= (w.x0 + w.x1) / 2 <= right for w in line.words)


def append_continuation(table: RawTable, rows: list[list[Cell]], bounds: list[tuple[float, float]] | None, origins: list[Origin], context_lines: list[TextLine], registry: Registry) -> list[TextLine]:
    """Rows of a table continued on a new page appended to it; returns the loose lines above
    them that the table took (claimed by the caller): rows or pieces of cells, and unit lines.

    A unit line printed over a later part (单位：元 over the overflow column of 上海 数据局's
    收入总表, p.10) is the table's unit, not the end of a cell: the unit of a table printed
    across pages is the unit printed on any of its pages (the first one printed is kept)."""
    loose = [ln for ln in context_lines if not PAGE_NUMBER.match(ln.text)]
    units = {id(ln): unit for ln in loose if (unit := find_unit(ln.text))}
    if units and not table.unit_text:
        table.unit_text = next(iter(units.values()))
    append_loose_lines(table, [ln for ln in loose if id(ln) not in units])
    if table.column_bounds and bounds and not table.body and len(bounds) > len(table.column_bounds):
        widen_header(table, bounds)
    if table.column_bounds and bounds:
        mapping = column_map(bounds, table.column_bounds) or list(range(len(bounds)))
        placed = []
        for row in rows:
            new: list[Cell] = [""] * len(table.column_bounds)
            for j, cell in enumerate(row):
                if cell and cell not in MARKERS:  # text_of(cell), non-empty
                    k = mapping[j]
                    held = text_of(new[k])
                    new[k] = held + cell if held else cell
                elif j < len(row) and mapping[j] < len(new) and not text_of(new[mapping[j]]) and cell in MARKERS:
                    new[mapping[j]] = cell
            placed.append(new)
        rows = placed
    header_keys = [[normalize_label(text_of(c)) for c in r] for r in table.header]
    # the table's usual decimals (read over the whole body) only where the first row holds a
    # number, and only when asked
    with_number = bool(rows) and any(looks_like_amount(text_of(c)) for c in rows[0])
    decimals = (lambda: usual_decimals(table.body)) if with_number else (lambda: None)
    if table.body and rows and ends_a_wrapped_cell(rows[0], table.body[-1], decimals) and [normalize_label(text_of(c)) for c in rows[0]] not in header_keys:
        # (a header row printed again, 收 入 | 支 出 over their columns, is short too: not a cell's end)
        table.body[-1] = as_printed_row([text_of(a) + text_of(b) if text_of(b) else a for a, b in zip(table.body[-1], rows[0], strict=False)])
        rows, origins = rows[1:], origins[1:]
    if not table.body:  # the title and frame on one page, the table itself on the next
        rows, origins = without_column_numbers(rows, origins, registry)
        header, _body = split_header(rows, registry)
        table.header.extend(header)
        rows, origins = rows[len(header):], origins[len(header):]
        header_keys = [[normalize_label(text_of(c)) for c in r] for r in table.header]
    start = 0
    while start < len(rows) and ([normalize_label(text_of(c)) for c in rows[start]] in header_keys or is_column_number_row(rows[start], registry)):
        start += 1  # the header (and its column numbers) repeated on the new page
    append_rows(table, rows[start:], origins[start:])
    return loose


def ends_a_wrapped_cell(row: list[Cell], last: list[Cell | None], decimals: Callable[[], int | None] = lambda: None) -> bool:
    """The first row on a new page holds only the last characters of cells of the row that
    ended the previous page (当年收入 / 小计), or the last digits of an amount the page break
    cut (`12,437.3` | `6`: 杭州 公安局 表2, a unit row printed over two pages). A cut amount is
    the evidence that the row goes on, so beside it the end of the label may be long
    (`杭州市机动` | `车驾驶员考试服务中心`); without one, only a short piece is an end: a row
    with a label of its own and no amounts is a row (a heading).

    ``decimals`` gives the table's usual number of decimals (:func:`usual_decimals`, read
    over the whole body); it is asked only when a piece of the row may end an amount above
    it, not on every new page of a long table (issue 14: 4 % of the path when asked always)."""
    texts = [(j, text_of(c)) for j, c in enumerate(row) if text_of(c)]
    if not texts or any(j >= len(last) or not text_of(last[j]) for j, _t in texts):
        return False
    if all(len(t) <= 3 and not looks_like_amount(t) for _j, t in texts):
        return True
    pieces = [(j, t) for j, t in texts if CUT_PIECE.match(t) and looks_like_amount(text_of(last[j]))]
    if not pieces:
        return False
    usual = decimals()
    cut = [j for j, t in pieces if completes_cut_amount(text_of(last[j]), t, usual)]
    return bool(cut) and all(j in cut or not looks_like_amount(t) for j, t in texts)


# the end of an amount the page break cut: its last digits, or its point and decimals
CUT_PIECE = re.compile(r"^\.?\d+$")


def completes_cut_amount(held: str, piece: str, decimals: int | None) -> bool:
    """``piece`` (digits, or a point and digits) ends the amount ``held``: with it the amount
    has the table's usual number of decimals, without it fewer."""
    if decimals is None or not CUT_PIECE.match(piece) or not looks_like_amount(held):
        return False
    return decimals_of(held) < decimals and looks_like_amount(held + piece) and decimals_of(held + piece) == decimals


def decimals_of(text: str) -> int:
    value = clean_cell(text).rstrip(")%")
    return len(value.rsplit(".", 1)[1]) if "." in value else 0


def usual_decimals(body: list[list[Cell | None]]) -> int | None:
    """The number of decimals most amounts of the table print (2 for `1,234.56`); None
    without amounts."""
    counts = Counter(d for row in body for c in row if (d := amount_decimals(text_of(c))) is not None)
    return counts.most_common(1)[0][0] if counts else None


@functools.lru_cache(maxsize=CELL_MEMO)
def amount_decimals(text: str) -> int | None:
    """The decimals of an amount as printed (:func:`decimals_of`); None for a text that is
    no amount. Remembered: a long table's body is read again on its later pages, and its
    cells (0.00, the same amounts in several columns) repeat."""
    return decimals_of(text) if looks_like_amount(text) else None


def append_loose_lines(table: RawTable, lines: list[TextLine]) -> None:
    """Rows printed outside the ruling: a line with amounts is a row; a line without is a
    piece of a wrapped cell, of the row below it if one follows, else of the row above."""
    pending: list[list[Cell]] = []
    for line in lines:
        row = words_to_row(line, table)
        if any(looks_like_amount(text_of(c)) for c in row):
            for piece in pending:
                row = [text_of(a) + text_of(b) if text_of(a) else b for a, b in zip(piece, row, strict=False)]
            pending = []
            append_rows(table, [row], [line.origin])
        elif table.body and not pending and table.body_origins[-1].page == line.origin.page and any(
            looks_like_amount(text_of(c)) for c in table.body[-1]
        ) and lines.index(line) > 0:
            last = table.body[-1]
            for j, piece in enumerate(row):
                if text_of(piece) and j < len(last):
                    last[j] = text_of(last[j]) + text_of(piece)
        else:
            pending.append(row)
    if pending and table.body:
        last = table.body[-1]
        for piece in pending:
            for j, text in enumerate(piece):
                if text_of(text) and j < len(last):
                    last[j] = text_of(last[j]) + text_of(text)


def widen_header(table: RawTable, bounds: list[tuple[float, float]]) -> None:
    """The table so far is a header row over wide columns; the next grid splits them: spread
    each header cell over the new columns below it."""
    mapping = column_map(bounds, table.column_bounds or []) or []
    header = []
    for row in table.header:
        new: list[Cell] = []
        for k, old in enumerate(mapping):
            first = mapping.index(old) == k
            new.append(row[old] if first else COVERED_LEFT)
        header.append(new)
    table.header = header
    table.column_bounds = list(bounds)


def append_rows(table: RawTable, rows: list[list[Cell]], origins: list[Origin]) -> None:
    for row, origin in zip(rows, origins, strict=False):
        table.body.append(as_printed_row(row))
        table.body_origins.append(origin)
