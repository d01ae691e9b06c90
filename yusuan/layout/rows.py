"""Repairs of a table's rows once it is assembled: one printed row drawn as two grid rows,
label cells wrapped over grid rows."""

from __future__ import annotations

from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT, RawTable
from yusuan.core.schemas import Registry, normalize_label
from yusuan.layout.cells import (
    CODE,
    ENUMERATOR,
    Cell,
    indexed_texts,
    is_fragment,
    is_value,
    text_of,
    texts_of,
)

RowRead = tuple[list[str], bool]  # a row's cell texts, and whether one of them is an amount


def join_split_rows(table: RawTable, registry: Registry) -> None:
    """One printed row drawn as two grid rows (cells of different heights): the lower row
    holds the amounts, and its label cells are empty or hold the end of a wrapped label
    (1.一般公共预 / 算); the upper row holds the label and no amount. Each row is read once,
    as the lower row of one pair and the upper row of the next (issue 14)."""
    rows, origins = [], []
    above_read: RowRead = ([], False)
    for row, origin in zip(table.body, table.body_origins, strict=True):
        read = _read(row)
        if rows and _completes(rows[-1], row, registry, above_read, read):
            rows[-1] = [_join_cells(a, c) for a, c in zip(rows[-1], row, strict=False)]
            above_read = _read(rows[-1])
            continue
        rows.append(list(row))
        origins.append(origin)
        above_read = read
    table.body, table.body_origins = rows, origins


def _read(row: list[Cell]) -> RowRead:
    """A row's cell texts, and whether one of them is an amount."""
    texts = texts_of(row)
    return texts, any(map(is_value, texts))


def _completes(above: list[Cell], row: list[Cell], registry: Registry, above_read: RowRead | None = None, row_read: RowRead | None = None) -> bool:
    """The two rows are the label half and the amount half of one printed row (``_read`` of
    each, when given, is their reading already made).

    Exactly one of them holds amounts: two rows of amounts (most pairs of a table) or two
    without are told apart before their labels are read (issue 14)."""
    above_texts, above_amounts = above_read or _read(above)
    row_texts, row_amounts = row_read or _read(row)
    if above_amounts == row_amounts:
        return False
    above_labels = any(t and not is_value(t) for t in above_texts)
    row_labels = [t for t in row_texts if t and not is_value(t)]
    if above_labels and not above_amounts and row_amounts:
        # label above, amounts below (and perhaps the end of a wrapped label)
        if any(CODE.match(normalize_label(t)) for t in row_labels):
            return False
        for a, a_text, c_text in zip(above, above_texts, row_texts, strict=False):
            if a_text and c_text and not is_fragment(c_text, registry):
                return False
            if c_text and not a_text and a not in (None, COVERED_ABOVE, COVERED_LEFT) and (row_labels or not is_value(c_text)):
                return False
        return True
    if above_amounts and not above_labels and row_labels and not row_amounts:
        # amounts above, label below: the amount cells reach down over the label row
        return all(not (a_text and c_text) for a_text, c_text in zip(above_texts, row_texts, strict=False)) and all(
            c in (None, COVERED_ABOVE) for a_text, c in zip(above_texts, row, strict=False) if is_value(a_text)
        )
    return False


def _join_cells(above: Cell, cell: Cell) -> Cell:
    if text_of(above) and text_of(cell):
        return text_of(above) + text_of(cell)
    return cell if text_of(cell) else above


def join_wrapped_labels(table: RawTable, registry: Registry) -> None:
    """Label cells wrapped over two grid rows (padding drawn as cells): the lower row holds
    only short pieces of text (九、医疗卫生与计划生育支 / 出) under enumerated labels; join them
    to the row above."""
    previous: list[str | None] | None = None
    keep_rows, keep_origins = [], []
    for row, origin in zip(table.body, table.body_origins, strict=True):
        texts = indexed_texts(row)
        if previous is not None and texts and all(
            is_fragment(piece, registry) and j < len(previous) and text_of(previous[j]) and ENUMERATOR.match(normalize_label(text_of(previous[j])))
            for j, piece in texts
        ):
            for j, piece in texts:
                previous[j] = text_of(previous[j]) + piece
            continue
        if texts:
            previous = row
        keep_rows.append(row)
        keep_origins.append(origin)
    table.body, table.body_origins = keep_rows, keep_origins
