"""Text lines and grids -> RawTables: find each grid's title, label, unit and compiler,
split header from body, join tables continued over pages or broken by a missing rule
(yusuan/layout/continuation.py), repair split rows (yusuan/layout/rows.py), keep the notes under a table.

Nothing here parses numbers beyond recognising that a cell looks like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from yusuan.core.model import Block, Finding, Grid, RawTable, TextLine
from yusuan.core.numbers import find_unit, looks_like_amount
from yusuan.core.schemas import Registry, TableSpec, normalize_label
from yusuan.core.vocabulary import pattern, word
from yusuan.layout.cells import (
    NOTE,
    PAGE_NUMBER,
    Cell,
    as_printed_row,
    is_title_block,
    printed_texts,
    split_header,
    text_of,
    texts_of,
    without_column_numbers,
)
from yusuan.layout.claims import LineClaims
from yusuan.layout.columns import column_map, drop_empty_columns
from yusuan.layout.continuation import (
    append_continuation,
    append_rows,
    continues_table,
    is_loose_row,
    words_to_row,
)
from yusuan.layout.rows import join_split_rows, join_wrapped_labels

CONTEXT_LINES = 8
UNIT_STATEMENT = pattern("unit_statement")


@dataclass
class TableContext:
    """Lines printed above a grid, up to the previous grid."""

    lines: list[TextLine] = field(default_factory=list)

    def add(self, line: TextLine) -> None:
        self.lines.append(line)
        del self.lines[:-CONTEXT_LINES]


def blocks_to_raw_tables(blocks: list[Block], registry: Registry) -> tuple[list[RawTable], list[Finding]]:
    """The tables of a document's blocks (see :func:`read_tables`), without the line claims."""
    tables, findings, _claims = read_tables(blocks, registry)
    return tables, findings


def read_tables(blocks: list[Block], registry: Registry) -> tuple[list[RawTable], list[Finding], LineClaims]:
    """The tables of a document's blocks, the findings about them, and the text lines the
    tables took (titles, labels, unit lines, notes, loose rows): the narrative reads the rest."""
    tables: list[RawTable] = []
    findings: list[Finding] = []
    claims = LineClaims()
    context = TableContext()
    unidentified = 0
    note_page: int | None = -1
    for block in (piece for b in blocks for piece in split_at_titles(b, registry)):
        if isinstance(block, TextLine):
            if tables and not context.lines and _is_note(block, note_page, registry):
                tables[-1].notes.append(block.text)
                claims.claim(block, "table_note")
                note_page = block.origin.page
            elif tables and all(PAGE_NUMBER.match(ln.text) for ln in context.lines) and is_loose_row(block, tables[-1]):
                append_rows(tables[-1], [words_to_row(block, tables[-1])], [block.origin])
                claims.claim(block, "table_row")
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
        if spec is None and tables and continues_table(tables[-1], block, rows, bounds, context.lines, registry):
            for line in append_continuation(tables[-1], rows, bounds, origins, context.lines, registry):
                claims.claim(line, "table_row")
            context = TableContext()
            continue
        if spec is None and tables and is_further_part(tables[-1], context.lines, registry):
            for line in context.lines:
                claims.claim(line, "table_context")  # the label printed again
            append_rows(tables[-1], rows, origins)  # in its own columns: the template's parts differ
            context = TableContext()
            continue
        label = _label(context.lines[max(0, title_index - 2):], title, registry)
        if spec is not None and tables and repeats_title(tables[-1], spec, title, label, block, rows, registry):
            for line in context.lines[max(0, title_index - 1):]:
                claims.claim(line, "table_context")  # the title, label and unit line printed again
            append_continuation(tables[-1], rows, bounds, origins, [], registry)
            context = TableContext()
            continue
        if spec is None:
            spec = _spec_from_headers(rows, registry)
        lines_after_title = [ln.text for ln in context.lines[title_index:]]
        if spec is not None or title:
            for line in context.lines[max(0, title_index - 1):]:
                claims.claim(line, "table_context")
        rows, origins = without_column_numbers(rows, origins, registry)
        header, body = split_header(rows, registry)
        if spec is None:
            unidentified += 1
            table_id = f"unidentified_{unidentified}"
            if any(looks_like_amount(text_of(c)) for r in body for c in r):
                nearest = title or (context.lines[-1].text if context.lines else "")
                findings.append(Finding("table_identified", "warning", f"a table with amounts has no known title (nearest text: {nearest!r}); kept as {table_id}", table_id, block.origin.page, block.origin.file, table_sequence=len(tables) + 1))
        else:
            table_id = spec.id
        tables.append(
            RawTable(
                table_id=table_id,
                title=title,
                label=label,
                unit_text=next((u for u in map(find_unit, lines_after_title) if u), "") or unit_in_header(header),
                compiled_by=_compiled_by(lines_after_title, registry),
                header=[list(r) for r in header],
                body=[as_printed_row(r) for r in body],
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
    return tables, findings, claims


def repeats_title(previous: RawTable, spec: TableSpec, title: str, label: str, grid: Grid, rows: list[list[Cell]], registry: Registry) -> bool:
    """A table continued on the next page under its title printed again (深圳, 烟台, 湖州 print
    title, label and unit line on every page): the same table, title and label on the page
    after the table's last row, and its header printed again (or, for an amount table, the
    same number of columns). The label may be left out on the later page where the header is
    printed again cell for cell (西安 自然资源 2022: 表2 over p.42 only, 序号 16–18 on p.43). A
    performance table whose next page starts a new project (项目名称 of another project) is a
    table of its own."""
    last = (previous.body_origins or [previous.origin])[-1]
    if previous.table_id != spec.id or registry.normalize_title(previous.title) != registry.normalize_title(title):
        return False
    if last.page is None or grid.origin.page != last.page + 1 or grid.origin.file != last.file:
        return False
    header = [[normalize_label(text_of(c)) for c in r] for r in previous.header]
    repeated = bool(header) and [[normalize_label(text_of(c)) for c in r] for r in rows[: len(header)]] == header
    if (label or previous.label) and label != previous.label and (label or not repeated):
        return False  # another label; a page that prints no label goes on under the same header (西安 2022 表2 p.43)
    if spec.kind != "amounts":
        return repeated
    return repeated or max((len(r) for r in rows), default=0) == previous.width


PROSE_CELL = re.compile(r"^[、，。；：,;．]|[，。；]")
YEAR_CELL = re.compile(r"(?:19|20)\d{2}")


def text_grids_to_lines(blocks: list[Block], registry: Registry) -> list[Block]:
    """A frame around text (a cover, a boxed paragraph) is not a table: a grid with no number
    and no table header word in any cell, or a one- or two-row grid with a cell that is
    sentence punctuation (局机关设办公室 | 、 | 机关党总支 | 、), becomes the text lines of its rows,
    so it reaches the narrative. (An empty table, as in a blank template, keeps its header
    words.)"""
    out: list[Block] = []
    last_grid: Grid | None = None
    for block in blocks:
        cells = [text for row in block.rows for text in texts_of(row)] if isinstance(block, Grid) else []
        # a one-row grid without a number is words boxed in running text (长沙: 主要是 | 单位 | 为完成…),
        # unless it is a piece of the table above (a long cell run over the page: its columns line up)
        piece = isinstance(block, Grid) and _lines_up(block, last_grid)
        prose = isinstance(block, Grid) and not any(_money(c) for c in _without_years(cells)) and (
            (len(block.rows) <= 2 and any(PROSE_CELL.search(c.strip()) for c in cells if c.strip())) or len(block.rows) == 1
        )
        if isinstance(block, Grid) and not piece and (prose or not any(looks_like_amount(c) or registry.is_known_header(c) for c in cells if c)):
            for row, origin in zip(block.rows, block.row_origins, strict=True):
                text = joined_cells([text_of(c).replace("\n", "") for c in row if text_of(c)])
                if text:
                    out.append(TextLine(text, origin))
        else:
            out.append(block)
            if isinstance(block, Grid):
                last_grid = block
    return out


def joined_cells(cells: list[str]) -> str:
    """The cells of a boxed line of text as one line: pieces of one run of Chinese text join
    without a space (1935. | 36 -> 1935.36); a space is kept only between Latin letters."""
    out = ""
    for cell in (c.strip() for c in cells):
        if out and out[-1].isascii() and out[-1].isalpha() and cell[:1].isascii() and cell[:1].isalpha():
            out += " "
        out += cell
    return out


def _without_years(cells: list[str]) -> list[str]:
    """The non-empty cells of a grid's rows but the years of a sentence split into cells
    (长沙: 单位， | 2026 | 年预算无机关运行经费 | 。): a year is a number followed by 年."""
    return [c for c, after in zip(cells, cells[1:] + [""], strict=True) if c and not (YEAR_CELL.fullmatch(c.strip()) and after.lstrip().startswith(word("year_word")))]


def _money(text: str) -> bool:
    """A cell that reads as an amount, not as the number of a list item (1, (2), 10)."""
    return looks_like_amount(text) and not re.fullmatch(r"\(?\d{1,2}\)?", normalize_label(text))


def _lines_up(grid: Grid, previous: Grid | None) -> bool:
    """The grid has the columns of the table just before it, on the same or the next page,
    or some of them: see :func:`is_right_part`."""
    if previous is None or not grid.column_bounds or not previous.column_bounds:
        return False
    page, last = grid.origin.page, previous.row_origins[-1].page
    if page is None or last is None or page not in (last, last + 1):
        return False
    if len(grid.column_bounds) != len(previous.column_bounds):
        return is_right_part(grid.column_bounds, previous.column_bounds)
    mapping = column_map(grid.column_bounds, previous.column_bounds)
    return mapping is not None and len(set(mapping)) == len(mapping)


RULE_TOLERANCE = 2.0  # points: the same rule drawn on two pages of one table


def is_right_part(bounds: list[tuple[float, float]], table: list[tuple[float, float]]) -> bool:
    """Columns of the table's right part: two or more, each on the table's own vertical
    rules, out to its right edge, with the table's first columns missing. Those are cells
    that span rows and run over the page break (a project, its funds, 绩效指标): they have no
    top rule on the new page, so only the rows to their right close into a grid. 北京 文旅局
    p.143 prints one indicator row under the end of a project begun on p.142, 西安 审计局 p.40
    the last indicator of a project begun on p.39. A grid that keeps the table's first column
    is not one (烟台 prints the title, 西安 the label again above such a page, and the table
    reader decides what it is)."""
    rules = [x0 for x0, _x1 in table] + [table[-1][1]]
    own = [x0 for x0, _x1 in bounds] + [bounds[-1][1]]
    on_rules = all(any(abs(x - rule) <= RULE_TOLERANCE for rule in rules) for x in own)
    left_missing = own[0] > rules[0] + RULE_TOLERANCE
    return len(bounds) >= 2 and on_rules and left_missing and abs(own[-1] - rules[-1]) <= RULE_TOLERANCE


def split_at_titles(block: Block, registry: Registry) -> list[Block]:
    """A grid drawn around several tables: cut it before every row that is a table title."""
    if not isinstance(block, Grid):
        return [block]
    cuts = [r for r, row in enumerate(block.rows) if r > 0 and _is_title_row(row, registry)]
    # the table's label on a row of its own above its title (公开02表 / 收入总表, both inside the
    # frame) is that title's, not a table before it
    cuts = [r for r in cuts if not _only_labels(block.rows[max((c for c in cuts if c < r), default=0):r], registry)]
    # a label printed after one table's body, right above the next title (公开03表 at the foot of
    # the first table, inside the frame), is the next table's: the cut moves up over it
    cuts = [_above_labels(block.rows, r, previous, registry) for r, previous in zip(cuts, [0, *cuts], strict=False)]
    if not cuts:
        return [block]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(block.rows)], strict=True):
        if any(text_of(c) for row in block.rows[start:end] for c in row):  # an empty ruled row above a title is no table
            pieces.append(Grid(rows=block.rows[start:end], row_origins=block.row_origins[start:end], column_bounds=block.column_bounds))
    return pieces


def _above_labels(rows: list[list[Cell]], cut: int, previous: int, registry: Registry) -> int:
    """The cut before a title row moved up over the rows right above it that print only a table
    label (empty rows between them and the title included), never up to the previous cut."""
    moved = start = cut
    while start - 1 > previous and _only_labels(rows[start - 1 : start], registry):
        start -= 1
        if any(text_of(c) for c in rows[start]):
            moved = start  # up to the topmost label row, not over empty rows above it
    return moved


def _only_labels(rows: list[list[Cell]], registry: Registry) -> bool:
    """Rows that print nothing but a table label (公开02表), or nothing at all."""
    texts = [normalize_label(t) for row in rows for t in printed_texts(row)]
    return all(registry.label_pattern.match(t) for t in texts)


def _is_title_row(row: list[Cell], registry: Registry) -> bool:
    texts = printed_texts(row)
    return len(texts) == 1 and registry.identify_title(texts[0].replace("\n", "")) is not None


def _is_note(line: TextLine, note_page: int | None, registry: Registry) -> bool:
    """A 注：/备注： line right after a table, or the next line of such a note on its page."""
    text = normalize_label(line.text)
    if NOTE.match(text):
        return True
    if note_page == -1 or note_page != line.origin.page or PAGE_NUMBER.match(text):
        return False
    return not (registry.label_pattern.match(text) or registry.identify_title(text))


def _split_meta_rows(rows: list[list[Cell]], registry: Registry) -> tuple[list[list[Cell]], list[str]]:
    """Leading grid rows that hold the title, label, compiler or unit are context, not header.

    Such a row is either one cell spanning the table (a title block drawn inside the
    frame) or a few cells that name the compiler or the unit.
    """
    meta: list[str] = []
    while rows:
        while len(rows) > 1 and not any(text_of(c) for c in rows[0]):
            rows = rows[1:]  # a frame row with no text, above or between the title rows
        raw_cells = [text_of(c) for c in rows[0] if text_of(c)]
        cells = [normalize_label(c) for c in raw_cells]
        spanning = len(cells) == 1 and (len(rows[0]) > 1 or len(rows) > 1) and not looks_like_amount(cells[0]) and is_title_block(raw_cells[0], registry)
        # a cell that is a unit statement (单位：万元), not a header that names its unit (预算数（单位：万元）)
        names_unit = any((find_unit(c) and UNIT_STATEMENT.match(c)) or registry.compiled_by_pattern.match(c) for c in cells)
        if cells and (spanning or (names_unit and len(cells) <= 3 and not any(map(looks_like_amount, cells)))):
            parts = [part for part in raw_cells[0].split("\n") if part.strip()]
            if spanning and registry.identify_title(raw_cells[0].replace("\n", "")) and not any(_title_furniture(part, registry) for part in parts[1:]):
                meta.append(raw_cells[0].replace("\n", ""))  # a title wrapped inside its cell
            elif spanning:
                meta.extend(parts)
            else:
                meta.append(" ".join(c.replace("\n", "") for c in raw_cells))
            rows = rows[1:]
        else:
            break
    return rows, meta


def _find_title(lines: list[TextLine], registry: Registry) -> tuple[TableSpec | None, str, int]:
    """The nearest line above the grid that names a known table, or up to three lines that
    do together (a title wrapped over lines) when the first of them names nothing alone or
    the last is a bracketed suffix (一般公共预算支出明细表 / （按支出经济分类科目）). A unit,
    compiled-by or label line under a title is not the end of a wrapped title."""
    for index in range(len(lines) - 1, -1, -1):
        single = registry.identify_title(lines[index].text)
        suffix = normalize_label(lines[index].text).startswith("(")
        for span in (3, 2) if single is not None or not _title_furniture(lines[index].text, registry) else ():
            first = index - span + 1
            if first >= 0 and (suffix or registry.identify_title(lines[first].text) is None):
                joined = "".join(ln.text for ln in lines[first : index + 1])
                spec = registry.identify_title(joined)
                if spec is not None and spec != single:
                    return spec, joined, first
        if single is not None:
            return single, lines[index].text, index
    title_like = [i for i, ln in enumerate(lines) if normalize_label(ln.text).endswith(word("title_ending"))]
    if title_like:
        return None, lines[title_like[-1]].text, title_like[-1]
    return None, "", len(lines)


def _title_furniture(text: str, registry: Registry) -> bool:
    """A line printed by a title that is no part of it: the unit, who compiled the table, its label."""
    norm = normalize_label(text)
    return bool(find_unit(text) or registry.compiled_by_pattern.match(norm) or registry.label_pattern.fullmatch(norm))


def _spec_from_headers(rows: list[list[Cell]], registry: Registry) -> TableSpec | None:
    """Tables without a title that are recognised by their header (the list of units): each
    of the spec's header patterns matches a cell of the first row. A titleless table with an
    amount column is never taken for a table of another kind (a list of units)."""
    if not rows:
        return None
    first = {normalize_label(text_of(c)) for c in rows[0] if text_of(c)}
    for spec in registry.tables:
        if spec.headers and all(any(_header_pattern(h).fullmatch(cell) for cell in first) for h in spec.headers):
            if spec.kind != "amounts" and any(registry.measure(cell) for cell in first):
                continue
            return spec
    return None


@lru_cache(maxsize=64)
def _header_pattern(header: str) -> re.Pattern[str]:
    """A spec's header (source_tables.yaml ``headers``: a pattern on the normalised cell)."""
    return re.compile(header)


def is_further_part(previous: RawTable, context_lines: list[TextLine], registry: Registry) -> bool:
    """A titleless grid whose only line above is the label of the performance table before it
    printed again (表15) is a further part of that table, in columns of its own: 西安 prints the
    indicators of its 部门整体支出绩效目标表 (一级指标 | 二级指标 | 指标内容 | 指标值) on the next page,
    under 表15 again, after the tasks and funds (6 columns)."""
    spec = registry.by_id.get(previous.table_id)
    if spec is None or spec.kind != "performance_target" or not previous.label:
        return False
    lines = [ln for ln in context_lines if not PAGE_NUMBER.match(ln.text)]
    return len(lines) == 1 and normalize_label(lines[0].text) == normalize_label(previous.label)


def _label(lines: list[TextLine], title: str, registry: Registry) -> str:
    """The label in the title, or on the nearest line above it that starts with one."""
    for text in [title] + [ln.text for ln in reversed(lines)]:
        label = registry.label_of(text)
        if label:
            return label
    return ""


HEADER_UNIT = pattern("header_unit")


def unit_in_header(header: list[list[Cell]]) -> str:
    """The money unit printed in a header cell (预算数（单位：万元）, 金额（万元）), when the
    table prints no unit line; '' if none or if the header names two units."""
    units = {m.group(1) for row in header for c in row for m in [HEADER_UNIT.search(normalize_label(text_of(c)).replace("(", "（").replace(")", "）"))] if m}
    return units.pop() if len(units) == 1 else ""


def _compiled_by(lines: list[str], registry: Registry) -> str:
    for text in lines:
        for part in re.split(r"\s{2,}", text.strip()):
            match = registry.compiled_by_pattern.match(normalize_label(part))
            if match:
                return match.group(2)
    return ""
