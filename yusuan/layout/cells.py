"""Grid cells as printed: what counts as text, an amount, a code, a fragment of a wrapped
cell, a title; where a table's header ends and its body starts."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT
from yusuan.core.numbers import CELL_MEMO, clean_cell, find_unit, looks_like_amount
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import pattern

CODE = re.compile(r"^\d{3,7}$")


ENUMERATOR = pattern("row_enumerator")


NOTE = pattern("note")


PAGE_NUMBER = pattern("page_number")


MARKERS = (COVERED_LEFT, COVERED_ABOVE)


Cell = str | None


def text_of(cell: Cell) -> str:
    """The printed text of a grid cell ('' for an empty or covered cell)."""
    return "" if cell is None or cell in MARKERS else cell


def texts_of(cells: Iterable[Cell]) -> list[str]:
    """:func:`text_of` of each cell, in one comprehension: the layout reads every cell of
    every row several times, and a call per cell was most of that (issue 14)."""
    return [c if c and c not in MARKERS else "" for c in cells]


def printed_texts(cells: Iterable[Cell]) -> list[str]:
    """The non-empty :func:`text_of` of the cells, in order, in one comprehension (issue 14)."""
    return [c for c in cells if c and c not in MARKERS]


def indexed_texts(cells: Iterable[Cell]) -> list[tuple[int, str]]:
    """(index, text) of each cell with a non-empty :func:`text_of`, in one comprehension."""
    return [(j, c) for j, c in enumerate(cells) if c and c not in MARKERS]


def as_printed(cell: Cell) -> str | None:
    """A body cell as printed, line breaks from wrapping inside the cell removed.

    None: no cell here (PDF grids only); a covered-cell marker is kept as it is.
    """
    if cell is None or cell in MARKERS:
        return cell
    if "\n" not in cell:  # most cells: one line, the same as below (issue 14)
        return cell.strip()
    return "".join(part.strip() for part in cell.split("\n")).strip()


def as_printed_row(cells: Iterable[Cell]) -> list[Cell]:
    """:func:`as_printed` of each cell, in one comprehension: only a cell of several lines
    calls it (issue 14: a call per body cell)."""
    return [c if c is None or c in MARKERS else c.strip() if "\n" not in c else as_printed(c) for c in cells]


def is_code(text: str | None) -> bool:
    return bool(CODE.match(clean_cell(text)))


@functools.lru_cache(maxsize=CELL_MEMO)
def is_value(text: str) -> bool:
    """An amount, not a subject code (codes are bare 3/5/7-digit integers). Remembered: the
    row repairs ask it of every cell of every pair of rows."""
    return looks_like_amount(text) and ("." in text or "," in text or not CODE.match(normalize_label(text)))


def is_fragment(text: str, registry: Registry) -> bool:
    """A short piece of a wrapped cell: no number, code, enumerator, 其中 or total word."""
    norm = normalize_label(text)
    return (
        len(norm) <= 6 and not looks_like_amount(norm) and not CODE.match(norm) and not ENUMERATOR.match(norm)
        and not any(norm.startswith(p) for p in registry.of_which_prefixes) and registry.row_role(norm) == "item"
    )


def is_title_block(text: str, registry: Registry) -> bool:
    lines = [normalize_label(part) for part in text.split("\n")] + [normalize_label(text)]
    return any(find_unit(t) or registry.identify_title(t) or registry.label_pattern.match(t) or registry.compiled_by_pattern.match(t) for t in lines)


def body_starts(row: list[Cell], registry: Registry) -> bool:
    """The first body row has an amount or a code, or is a lone total / enumerated label in
    the label columns (an empty table prints only 合计). A header row may say 合计 or 小计."""
    cells = [normalize_label(text_of(c)) for c in row if text_of(c).strip()]
    if any(looks_like_amount(c) or CODE.match(c) for c in cells):
        return True
    first_columns = [normalize_label(text_of(c)) for c in row[:2]]
    labels = [c for c in cells if ENUMERATOR.match(c) or registry.row_role(c) in ("total", "subtotal")]
    # a lone total or enumerated label, or one on each side of a two-sided table printed blank
    return bool(labels) and any(c in first_columns for c in labels) and (len(cells) == 1 or all(ENUMERATOR.match(c) for c in cells))


COLUMN_FORMULA = re.compile(r"(\d{1,2})=\d{1,2}(?:[+\-]\d{1,2})+")


def is_column_number_row(row: list[Cell], registry: Registry) -> bool:
    """The row that numbers the columns under a header (栏次 | 1 | 2 | 3, ** | ** | 1 | 2,
    甲 | 乙 | 1 | 2): header furniture, not a row of amounts. Its numbers run 1, 2, 3 … in
    order; the other cells are the markers of schemas/columns.yaml `column_number_marks`.

    Read cell by cell and given up at the first cell that cannot be one (a label, a code,
    an amount): every body row of every table is asked (issue 14)."""
    numbers: list[int] = []
    marks = 0
    for cell in row:
        text = text_of(cell)
        if not text.strip():
            continue
        norm = normalize_label(text)
        formula = COLUMN_FORMULA.fullmatch(norm)  # 3=1+2: column 3 is columns 1 and 2 added
        if norm.isdigit() or formula:
            number = int(formula.group(1) if formula else norm)
            if (numbers and number != numbers[-1] + 1) or (not numbers and number not in (0, 1)):
                return False  # the numbers start at 0 or 1 and run on by one
            numbers.append(number)
        elif any(p.fullmatch(norm) for p in registry.column_number_marks):
            marks += 1
        else:
            return False
    return len(numbers) >= 2 or bool(numbers and marks)


def without_column_numbers(rows: list[list[Cell]], origins: list, registry: Registry) -> tuple[list[list[Cell]], list]:
    """The rows (and their origins) without the column-number rows."""
    keep = [i for i, r in enumerate(rows) if not is_column_number_row(r, registry)]
    return [rows[i] for i in keep], [origins[i] for i in keep]


def split_header(rows: list[list[Cell]], registry: Registry) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """Header rows and body rows (column-number rows already removed)."""
    for index, row in enumerate(rows):
        if body_starts(row, registry):
            return rows[:index], rows[index:]
    return rows, []
