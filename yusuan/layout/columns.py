"""Column geometry of PDF grids: empty and sliver columns, columns that line up across
pages, words put back into the column their x-position falls in."""

from __future__ import annotations

from yusuan.core.model import RawTable, TextLine
from yusuan.layout.cells import Cell, text_of

SLIVER_WIDTH = 12.0  # points: cell padding drawn as rectangles makes columns this narrow


def drop_empty_columns(rows: list[list[Cell]], bounds: list[tuple[float, float]] | None) -> tuple[list[list[Cell]], list[tuple[float, float]] | None]:
    """Columns with no text in any row (frame margins, cell padding, padding TABs) carry
    nothing; a sliver column left by cell padding joins the neighbour it never clashes with."""
    if not rows:  # a grid that held only the title: its columns are still the table's
        return rows, bounds
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [j for j in range(width) if any(text_of(r[j]) for r in rows)]
    kept_bounds = None
    if bounds and len(bounds) == width and keep:
        # a kept column reaches to the next kept one: its text may sit anywhere in that span
        right_edges = [bounds[k][0] for k in keep[1:]] + [bounds[-1][1]]
        kept_bounds = [(bounds[j][0], right) for j, right in zip(keep, right_edges, strict=True)]
    rows = [[r[j] for j in keep] for r in rows]
    if kept_bounds and bounds:
        rows, kept_bounds = _merge_slivers(rows, kept_bounds, [bounds[j][1] - bounds[j][0] < SLIVER_WIDTH for j in keep])
    return rows, kept_bounds


def _merge_slivers(rows: list[list[Cell]], bounds: list[tuple[float, float]], slivers: list[bool]) -> tuple[list[list[Cell]], list[tuple[float, float]]]:
    """A sliver column joins the neighbour whose text never clashes with its own; a sliver
    whose text clashes on the left is the overflow of that cell's text (267.8 | 0)."""
    j = 0
    while j < len(bounds) and len(bounds) > 1:
        if not slivers[j]:
            j += 1
            continue
        for other in (j + 1, j - 1):
            clash = [r for r in rows if text_of(r[j]) and 0 <= other < len(bounds) and text_of(r[other])]
            overflow = other == j - 1 and all(len(text_of(r[j])) <= 2 for r in clash)
            if 0 <= other < len(bounds) and (not clash or overflow):
                keep, drop = min(j, other), max(j, other)
                for r in rows:
                    r[keep] = text_of(r[keep]) + text_of(r[drop]) if text_of(r[keep]) and text_of(r[drop]) else (r[j] if text_of(r[j]) else r[other])
                    del r[drop]
                bounds[keep:drop + 1] = [(bounds[keep][0], bounds[drop][1])]
                slivers[keep:drop + 1] = [slivers[other]]
                break
        else:
            j += 1
    return rows, bounds


def column_map(bounds: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[int] | None:
    """For each column, the target column whose left rule is nearest to its own, or None if
    one has no target rule near it. Columns fitted to each page's content move by a few
    points from page to page (广州: 681 on one page, 685 on the next), so the nearest rule
    wins, within half the target column's width. A grid with more columns than the target
    splits some of them: each column goes to the target column its left rule falls in."""
    if len(bounds) != len(target):
        return _containing(bounds, target)
    mapping = []
    lefts = [t0 for t0, _t1 in target]
    for x0, _x1 in bounds:
        distances = [abs(t0 - x0) for t0 in lefts]
        nearest = distances.index(min(distances))  # the first nearest, as min(key=...) finds it (issue 14: no call per pair)
        t0, t1 = target[nearest]
        if abs(t0 - x0) > max(3.0, 0.5 * (t1 - t0)) and not t0 - 3 <= x0 < t1:
            return None
        mapping.append(nearest)
    return mapping


def _containing(bounds: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[int] | None:
    mapping = []
    for x0, _x1 in bounds:
        hits = [k for k, (t0, t1) in enumerate(target) if t0 - 3 <= x0 < t1]
        if not hits:
            return None
        mapping.append(min(hits, key=lambda k: abs(target[k][0] - x0)))
    return mapping


def words_to_row(line: TextLine, table: RawTable) -> list[Cell]:
    """Put each word of a line into the column whose x-range holds its centre."""
    bounds = table.column_bounds or []
    row: list[str] = [""] * len(bounds)
    for word in line.words:
        centre = (word.x0 + word.x1) / 2
        j = min(range(len(bounds)), key=lambda k: 0 if bounds[k][0] <= centre <= bounds[k][1] else min(abs(centre - bounds[k][0]), abs(centre - bounds[k][1])))
        row[j] = (row[j] + word.text) if row[j] else word.text
    return list(row)
