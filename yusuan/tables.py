"""Text lines and grids -> RawTables: find each grid's title, label, unit and compiler,
split header from body, join tables continued over pages or broken by a missing rule,
put back rows printed outside the ruling, keep the notes under a table.

Nothing here parses numbers beyond recognising that a cell looks like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yusuan.model import (
    COVERED_ABOVE,
    COVERED_LEFT,
    Block,
    Finding,
    Grid,
    Origin,
    RawTable,
    TextLine,
)
from yusuan.numbers import clean_cell, find_unit, looks_like_amount
from yusuan.schemas import Registry, TableSpec, normalize_label

CONTEXT_LINES = 8
CODE = re.compile(r"^\d{3,7}$")
ENUMERATOR = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|[(][一二三四五六七八九十\d]+[)])")
NOTE = re.compile(r"^(注|备注|说明)\d*[:：]")
PAGE_NUMBER = re.compile(r"^[-—─\s]*\d{1,3}[-—─\s]*$")
MARKERS = (COVERED_LEFT, COVERED_ABOVE)
Cell = str | None


def text_of(cell: Cell) -> str:
    """The printed text of a grid cell ('' for an empty or covered cell)."""
    return "" if cell is None or cell in MARKERS else cell


@dataclass
class TableContext:
    """Lines printed above a grid, up to the previous grid."""

    lines: list[TextLine] = field(default_factory=list)

    def add(self, line: TextLine) -> None:
        self.lines.append(line)
        del self.lines[:-CONTEXT_LINES]


def blocks_to_raw_tables(blocks: list[Block], registry: Registry) -> tuple[list[RawTable], list[Finding]]:
    tables: list[RawTable] = []
    findings: list[Finding] = []
    context = TableContext()
    unidentified = 0
    note_page: int | None = -1
    for block in (piece for b in blocks for piece in split_at_titles(b, registry)):
        if isinstance(block, TextLine):
            if tables and not context.lines and _is_note(block, note_page, registry):
                tables[-1].notes.append(block.text)
                block.role = "table_note"
                note_page = block.origin.page
            elif tables and all(PAGE_NUMBER.match(ln.text) for ln in context.lines) and _is_loose_row(block, tables[-1]):
                _append_rows(tables[-1], [_words_to_row(block, tables[-1])], [block.origin])
                block.role = "table_row"
            else:
                note_page = -1
                context.add(block)
            continue
        note_page = -1
        rows, meta = _split_meta_rows([[c if c is None else c.strip() for c in row] for row in block.rows], registry)
        origins = block.row_origins[len(block.rows) - len(rows):]
        rows, bounds = drop_empty_columns(rows, block.column_bounds)
        for text in meta:
            context.add(TextLine(text, block.origin))
        spec, title, title_index = _find_title(context.lines, registry)
        if spec is None and tables and _continues(tables[-1], block, rows, bounds, context, registry):
            _append_continuation(tables[-1], rows, bounds, origins, context, registry)
            context = TableContext()
            continue
        if spec is None:
            spec = _spec_from_headers(rows, registry)
        lines_after_title = [ln.text for ln in context.lines[title_index:]]
        if spec is not None or title:
            for line in context.lines[max(0, title_index - 1):]:
                line.role = "table_context"
        header, body = split_header(rows, registry)
        if spec is None:
            unidentified += 1
            table_id = f"unidentified_{unidentified}"
            if any(looks_like_amount(text_of(c)) for r in body for c in r):
                nearest = title or (context.lines[-1].text if context.lines else "")
                findings.append(Finding("table_identified", "warning", f"a table with amounts has no known title (nearest text: {nearest!r}); kept as {table_id}", table_id, block.origin.page, block.origin.file))
        else:
            table_id = spec.id
        tables.append(
            RawTable(
                table_id=table_id,
                title=title,
                label=_label(context.lines[max(0, title_index - 2):], title, registry),
                unit_text=next((u for u in map(find_unit, lines_after_title) if u), ""),
                compiled_by=_compiled_by(lines_after_title, registry),
                header=[list(r) for r in header],
                body=[[as_printed(c) for c in r] for r in body],
                body_origins=list(origins[len(header):]),
                notes=[],
                origin=block.origin,
                sequence=len(tables) + 1,
                column_bounds=bounds,
            )
        )
        context = TableContext()
    for table in tables:
        join_split_rows(table, registry)
        join_wrapped_labels(table, registry)
    return tables, findings


def join_split_rows(table: RawTable, registry: Registry) -> None:
    """One printed row drawn as two grid rows (cells of different heights): the lower row
    holds the amounts, and its label cells are empty or hold the end of a wrapped label
    (1.一般公共预 / 算); the upper row holds the label and no amount."""
    rows, origins = [], []
    for row, origin in zip(table.body, table.body_origins, strict=True):
        if rows and _completes(rows[-1], row, registry):
            rows[-1] = [_join_cells(a, c) for a, c in zip(rows[-1], row, strict=False)]
            continue
        rows.append(list(row))
        origins.append(origin)
    table.body, table.body_origins = rows, origins


def _is_value(text: str) -> bool:
    """An amount, not a subject code (codes are bare 3/5/7-digit integers)."""
    return looks_like_amount(text) and ("." in text or "," in text or not CODE.match(normalize_label(text)))


def _completes(above: list[Cell], row: list[Cell], registry: Registry) -> bool:
    """The two rows are the label half and the amount half of one printed row."""
    above_amounts = any(_is_value(text_of(a)) for a in above)
    row_amounts = any(_is_value(text_of(c)) for c in row)
    above_labels = any(text_of(a) and not _is_value(text_of(a)) for a in above)
    row_labels = [text_of(c) for c in row if text_of(c) and not _is_value(text_of(c))]
    if above_labels and not above_amounts and row_amounts:
        # label above, amounts below (and perhaps the end of a wrapped label)
        if any(CODE.match(normalize_label(t)) for t in row_labels):
            return False
        for a, c in zip(above, row, strict=False):
            if text_of(a) and text_of(c) and not _is_fragment(text_of(c), registry):
                return False
            if text_of(c) and not text_of(a) and a not in (None, COVERED_ABOVE, COVERED_LEFT) and (row_labels or not _is_value(text_of(c))):
                return False
        return True
    if above_amounts and not above_labels and row_labels and not row_amounts:
        # amounts above, label below: the amount cells reach down over the label row
        return all(not (text_of(a) and text_of(c)) for a, c in zip(above, row, strict=False)) and all(
            c in (None, COVERED_ABOVE) for a, c in zip(above, row, strict=False) if _is_value(text_of(a))
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
        texts = [(j, text_of(c)) for j, c in enumerate(row) if text_of(c)]
        if previous is not None and texts and all(
            _is_fragment(piece, registry) and j < len(previous) and text_of(previous[j]) and ENUMERATOR.match(normalize_label(text_of(previous[j])))
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


def _is_fragment(text: str, registry: Registry) -> bool:
    """A short piece of a wrapped cell: no number, code, enumerator, 其中 or total word."""
    norm = normalize_label(text)
    return (
        len(norm) <= 6 and not looks_like_amount(norm) and not CODE.match(norm) and not ENUMERATOR.match(norm)
        and not any(norm.startswith(p) for p in registry.of_which_prefixes) and registry.row_role(norm) == "item"
    )


def text_grids_to_lines(blocks: list[Block], registry: Registry) -> list[Block]:
    """A frame around text (a cover, a boxed paragraph) is not a table: a grid with no number
    and no table header word in any cell becomes the text lines of its rows, so it reaches the
    narrative. (An empty table, as in a blank template, keeps its header words.)"""
    out: list[Block] = []
    for block in blocks:
        cells = [text_of(c) for row in block.rows for c in row] if isinstance(block, Grid) else []
        if isinstance(block, Grid) and not any(looks_like_amount(c) or registry.is_known_header(c) for c in cells if c):
            for row, origin in zip(block.rows, block.row_origins, strict=True):
                text = " ".join(text_of(c).replace("\n", "") for c in row if text_of(c))
                if text:
                    out.append(TextLine(text, origin))
        else:
            out.append(block)
    return out


def split_at_titles(block: Block, registry: Registry) -> list[Block]:
    """A grid drawn around several tables: cut it before every row that is a table title."""
    if not isinstance(block, Grid):
        return [block]
    cuts = [r for r, row in enumerate(block.rows) if r > 0 and _is_title_row(row, registry)]
    if not cuts:
        return [block]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(block.rows)], strict=True):
        pieces.append(Grid(rows=block.rows[start:end], row_origins=block.row_origins[start:end], column_bounds=block.column_bounds))
    return pieces


def _is_title_row(row: list[Cell], registry: Registry) -> bool:
    texts = [text_of(c) for c in row if text_of(c)]
    return len(texts) == 1 and registry.identify_title(texts[0].replace("\n", "")) is not None


def _is_note(line: TextLine, note_page: int | None, registry: Registry) -> bool:
    """A 注：/备注： line right after a table, or the next line of such a note on its page."""
    text = normalize_label(line.text)
    if NOTE.match(text):
        return True
    if note_page == -1 or note_page != line.origin.page or PAGE_NUMBER.match(text):
        return False
    return not (registry.label_pattern.match(text) or registry.identify_title(text))


def _is_loose_row(line: TextLine, table: RawTable) -> bool:
    """A line printed right under a table's ruling, on its page, with amounts in its columns."""
    if len(line.words) < 2 or not table.column_bounds or not table.body_origins or PAGE_NUMBER.match(line.text):
        return False
    last_page = table.body_origins[-1].page or 0
    if line.origin.page not in (last_page, last_page + 1) or not any(looks_like_amount(w.text) for w in line.words):
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    return all(left - 2 <= (w.x0 + w.x1) / 2 <= right + 2 for w in line.words)


def _words_to_row(line: TextLine, table: RawTable) -> list[Cell]:
    """Put each word of a line into the column whose x-range holds its centre."""
    bounds = table.column_bounds or []
    row: list[str] = [""] * len(bounds)
    for word in line.words:
        centre = (word.x0 + word.x1) / 2
        j = min(range(len(bounds)), key=lambda k: 0 if bounds[k][0] <= centre <= bounds[k][1] else min(abs(centre - bounds[k][0]), abs(centre - bounds[k][1])))
        row[j] = (row[j] + word.text) if row[j] else word.text
    return list(row)


def _split_meta_rows(rows: list[list[Cell]], registry: Registry) -> tuple[list[list[Cell]], list[str]]:
    """Leading grid rows that hold the title, label, compiler or unit are context, not header.

    Such a row is either one cell spanning the table (a title block drawn inside the
    frame) or a few cells that name the compiler or the unit.
    """
    meta: list[str] = []
    while len(rows) > 1 and not any(text_of(c) for c in rows[0]):
        rows = rows[1:]  # a frame row with no text
    while rows:
        raw_cells = [text_of(c) for c in rows[0] if text_of(c)]
        cells = [normalize_label(c) for c in raw_cells]
        spanning = len(cells) == 1 and (len(rows[0]) > 1 or len(rows) > 1) and not looks_like_amount(cells[0]) and _is_title_block(raw_cells[0], registry)
        names_unit = any(find_unit(c) or registry.compiled_by_pattern.match(c) for c in cells)
        if cells and (spanning or (names_unit and len(cells) <= 3 and not any(map(looks_like_amount, cells)))):
            if spanning and registry.identify_title(raw_cells[0].replace("\n", "")):
                meta.append(raw_cells[0].replace("\n", ""))  # a title wrapped inside its cell
            elif spanning:
                meta.extend(part for part in raw_cells[0].split("\n") if part.strip())
            else:
                meta.append(" ".join(c.replace("\n", "") for c in raw_cells))
            rows = rows[1:]
        else:
            break
    return rows, meta


def _is_title_block(text: str, registry: Registry) -> bool:
    lines = [normalize_label(part) for part in text.split("\n")] + [normalize_label(text)]
    return any(find_unit(t) or registry.identify_title(t) or registry.label_pattern.match(t) or registry.compiled_by_pattern.match(t) for t in lines)


def _find_title(lines: list[TextLine], registry: Registry) -> tuple[TableSpec | None, str, int]:
    """The nearest line above the grid that names a known table, or up to three lines that
    do together (a title wrapped over lines) when the first of them names nothing alone."""
    for index in range(len(lines) - 1, -1, -1):
        single = registry.identify_title(lines[index].text)
        for span in (3, 2):
            first = index - span + 1
            if first >= 0 and registry.identify_title(lines[first].text) is None:
                joined = "".join(ln.text for ln in lines[first : index + 1])
                spec = registry.identify_title(joined)
                if spec is not None and spec != single:
                    return spec, joined, first
        if single is not None:
            return single, lines[index].text, index
    title_like = [i for i, ln in enumerate(lines) if normalize_label(ln.text).endswith("表")]
    if title_like:
        return None, lines[title_like[-1]].text, title_like[-1]
    return None, "", len(lines)


def _spec_from_headers(rows: list[list[Cell]], registry: Registry) -> TableSpec | None:
    """Tables without a title that are recognised by their header (the list of units)."""
    if not rows:
        return None
    first = {normalize_label(text_of(c)) for c in rows[0] if text_of(c)}
    for spec in registry.tables:
        if spec.headers and {normalize_label(h) for h in spec.headers} <= first:
            return spec
    return None


def _label(lines: list[TextLine], title: str, registry: Registry) -> str:
    for text in [title] + [ln.text for ln in lines]:
        norm = normalize_label(text)
        match = registry.title_noise[0].match(norm)
        if match and registry.label_pattern.match(match.group(0).rstrip(":：、.")):
            return match.group(0).rstrip(":：、.")
    return ""


def _compiled_by(lines: list[str], registry: Registry) -> str:
    for text in lines:
        for part in re.split(r"\s{2,}", text.strip()):
            match = registry.compiled_by_pattern.match(normalize_label(part))
            if match:
                return match.group(2)
    return ""


def _continues(previous: RawTable, grid: Grid, rows: list[list[Cell]], bounds: list[tuple[float, float]] | None, context: TableContext, registry: Registry) -> bool:
    """A grid without a title after a table, at the top of a later page or further down the
    same page with only pieces of the table (or nothing) between, whose columns line up."""
    last_page = (previous.body_origins or [previous.origin])[-1].page
    if last_page is None or grid.origin.page is None or grid.origin.page < last_page:
        return False
    between = [ln for ln in context.lines if not PAGE_NUMBER.match(ln.text)]
    if any(not _is_table_text(ln, previous, registry) for ln in between):
        return False
    if any(_is_title_block(text_of(c), registry) for row in rows[:2] for c in row if text_of(c)):
        return False  # a table of its own, titled inside its frame
    if previous.column_bounds and bounds:
        mapping = _column_map(bounds, previous.column_bounds)
        if mapping is None:
            return False
        # a table with only its first header row so far may be split into more columns below
        return len(set(mapping)) == len(mapping) or not previous.body
    return max(len(r) for r in rows) == previous.width


def _is_table_text(line: TextLine, table: RawTable, registry: Registry) -> bool:
    """A line printed between two pieces of a table's ruling that belongs to the table: a row
    with amounts, or a piece of a wrapped cell, inside the table's columns."""
    if _is_loose_row(line, table) or _is_loose_fragment(line, table, registry):
        return True
    text = normalize_label(line.text)
    if not line.words or not table.column_bounds or not table.body or find_unit(text) or registry.compiled_by_pattern.match(text):
        return False
    if text.endswith("表") or registry.label_pattern.match(text) or NOTE.match(text):
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    last_page = table.body_origins[-1].page if table.body_origins else None
    return last_page is not None and line.origin.page in (last_page, last_page + 1) and all(
        left <= (w.x0 + w.x1) / 2 <= right for w in line.words
    )


def _column_map(bounds: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[int] | None:
    """For each column, the target column its left rule falls in, or None if one does not."""
    mapping = []
    for x0, _x1 in bounds:
        hits = [k for k, (t0, t1) in enumerate(target) if t0 - 3 <= x0 < t1]
        if not hits:
            return None
        mapping.append(min(hits, key=lambda k: abs(target[k][0] - x0)))
    return mapping


def _is_loose_fragment(line: TextLine, table: RawTable, registry: Registry) -> bool:
    """The end of a cell's text that wrapped past the ruling onto the next page (置更新)."""
    if not line.words or not table.column_bounds or not table.body:
        return False
    left, right = table.column_bounds[0][0], table.column_bounds[-1][1]
    return _is_fragment(line.text, registry) and all(left <= (w.x0 + w.x1) / 2 <= right for w in line.words)


def _append_continuation(table: RawTable, rows: list[list[Cell]], bounds: list[tuple[float, float]] | None, origins: list[Origin], context: TableContext, registry: Registry) -> None:
    _append_loose_lines(table, [ln for ln in context.lines if not PAGE_NUMBER.match(ln.text)])
    if table.column_bounds and bounds and not table.body and len(bounds) > len(table.column_bounds):
        _widen_header(table, bounds)
    if table.column_bounds and bounds:
        mapping = _column_map(bounds, table.column_bounds) or list(range(len(bounds)))
        placed = []
        for row in rows:
            new: list[Cell] = [""] * len(table.column_bounds)
            for j, cell in enumerate(row):
                if text_of(cell):
                    k = mapping[j]
                    new[k] = (text_of(new[k]) + text_of(cell)) if text_of(new[k]) else cell
                elif j < len(row) and mapping[j] < len(new) and not text_of(new[mapping[j]]) and cell in MARKERS:
                    new[mapping[j]] = cell
            placed.append(new)
        rows = placed
    if table.body and rows and _ends_a_wrapped_cell(rows[0], table.body[-1]):
        table.body[-1] = [text_of(a) + text_of(b) if text_of(b) else a for a, b in zip(table.body[-1], rows[0], strict=False)]
        rows, origins = rows[1:], origins[1:]
    if not table.body:  # the title and frame on one page, the table itself on the next
        header, _body = split_header(rows, registry)
        table.header.extend(header)
        rows, origins = rows[len(header):], origins[len(header):]
    header_keys = [[normalize_label(text_of(c)) for c in r] for r in table.header]
    start = 0
    while start < len(rows) and [normalize_label(text_of(c)) for c in rows[start]] in header_keys:
        start += 1  # the header repeated on the new page
    _append_rows(table, rows[start:], origins[start:])


def _ends_a_wrapped_cell(row: list[Cell], last: list[Cell | None]) -> bool:
    """The first row on a new page holds only the last characters of cells of the row that
    ended the previous page (当年收入 / 小计)."""
    texts = [(j, text_of(c)) for j, c in enumerate(row) if text_of(c)]
    return bool(texts) and all(len(t) <= 3 and not looks_like_amount(t) and j < len(last) and text_of(last[j]) for j, t in texts)


def _append_loose_lines(table: RawTable, lines: list[TextLine]) -> None:
    """Rows printed outside the ruling: a line with amounts is a row; a line without is a
    piece of a wrapped cell, of the row below it if one follows, else of the row above."""
    pending: list[list[Cell]] = []
    for line in lines:
        row = _words_to_row(line, table)
        line.role = "table_row"
        if any(looks_like_amount(text_of(c)) for c in row):
            for piece in pending:
                row = [text_of(a) + text_of(b) if text_of(a) else b for a, b in zip(piece, row, strict=False)]
            pending = []
            _append_rows(table, [row], [line.origin])
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


def _widen_header(table: RawTable, bounds: list[tuple[float, float]]) -> None:
    """The table so far is a header row over wide columns; the next grid splits them: spread
    each header cell over the new columns below it."""
    mapping = _column_map(bounds, table.column_bounds or []) or []
    header = []
    for row in table.header:
        new: list[Cell] = []
        for k, old in enumerate(mapping):
            first = mapping.index(old) == k
            new.append(row[old] if first else COVERED_LEFT)
        header.append(new)
    table.header = header
    table.column_bounds = list(bounds)


def _append_rows(table: RawTable, rows: list[list[Cell]], origins: list[Origin]) -> None:
    for row, origin in zip(rows, origins, strict=False):
        table.body.append([as_printed(c) for c in row])
        table.body_origins.append(origin)


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


def as_printed(cell: Cell) -> str | None:
    """A body cell as printed, line breaks from wrapping inside the cell removed.

    None: no cell here (PDF grids only); a covered-cell marker is kept as it is.
    """
    if cell is None or cell in MARKERS:
        return cell
    return "".join(part.strip() for part in cell.split("\n")).strip()


def is_code(text: str | None) -> bool:
    return bool(CODE.match(clean_cell(text)))


def body_starts(row: list[Cell], registry: Registry) -> bool:
    """The first body row has an amount or a code, or is a lone total / enumerated label in
    the label columns (an empty table prints only 合计). A header row may say 合计 or 小计."""
    cells = [normalize_label(text_of(c)) for c in row if text_of(c).strip()]
    if any(looks_like_amount(c) or CODE.match(c) for c in cells):
        return True
    first_columns = [normalize_label(text_of(c)) for c in row[:2]]
    labels = [c for c in cells if (ENUMERATOR.match(c) or registry.row_role(c) in ("total", "subtotal")) and c in first_columns]
    return bool(labels) and len(cells) == 1


def split_header(rows: list[list[Cell]], registry: Registry) -> tuple[list[list[Cell]], list[list[Cell]]]:
    for index, row in enumerate(rows):
        if body_starts(row, registry):
            return rows[:index], rows[index:]
    return rows, []
