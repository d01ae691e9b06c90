"""Tables a publication's contents page declares empty.

Some templates list every table on a contents page with a column saying whether it is left
empty and why (西安: 报表 | 报表名称 | 是否空表 | 公开空表理由, "表11 … 是 不涉及"). The empty
table itself then prints only its header, with no note under it. The declaration is the
publication's own word that the table is empty by design: it is attached to the table it names
(``RawTable.declared_empty``), so the table is read as declared empty, not as a table the
parser could not read, and a table the contents call empty that prints amounts is a finding.

The contents grid is read before ``text_grids_to_lines`` turns it into text lines (it holds no
amount). The words are vocabulary in ``schemas/vocabulary.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from yusuan.core.model import Block, Grid, RawTable
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import pattern, word, words
from yusuan.layout.cells import text_of

REASON_HEADER = pattern("contents_reason_header")


@dataclass(frozen=True)
class EmptyDeclaration:
    """One contents row that says its table is empty."""

    label: str  # the table's label as the contents print it, normalised (表11)
    title: str  # the table's name as the contents print it
    printed: str  # the row as printed: 表11 | 2021年…支出表 | 是否空表 是 | 公开空表理由 不涉及
    page: int
    file: str

    def describe(self) -> str:
        return f"declared empty on the contents page (p.{self.page}): {self.printed}"


@dataclass(frozen=True)
class _Columns:
    title: int
    flag: int
    reason: int | None
    label: int | None


def _columns(row: list[str]) -> _Columns | None:
    """The columns of a contents header row, or None when the row is not one."""
    cells = [normalize_label(c) for c in row]
    if word("contents_empty_header") not in cells or word("contents_title_header") not in cells:
        return None
    title = cells.index(word("contents_title_header"))
    reason = next((j for j, c in enumerate(cells) if REASON_HEADER.fullmatch(c)), None)
    label = next((j for j in range(title) if cells[j]), None)
    return _Columns(title=title, flag=cells.index(word("contents_empty_header")), reason=reason, label=label)


def _printed(header: list[str], row: list[str], cols: _Columns) -> str:
    """A declaring row as printed, its flag and reason with their headers."""
    parts = [row[j].strip() for j in (cols.label, cols.title) if j is not None and j < len(row) and row[j].strip()]
    for j in (cols.flag, cols.reason):
        if j is not None and j < len(row) and row[j].strip():
            parts.append(f"{header[j].strip()} {row[j].strip()}")
    return " | ".join(parts)


def empty_declarations(blocks: list[Block], registry: Registry) -> list[EmptyDeclaration]:
    """The contents rows of a publication's grids that declare their table empty."""
    found: list[EmptyDeclaration] = []
    yes = set(words("contents_yes"))
    for block in blocks:
        if not isinstance(block, Grid):
            continue
        # only the first rows are looked at (a contents header is at the top): most grids are not one
        top = [[text_of(c) or "" for c in row] for row in block.rows[:3]]
        header = next(((i, cols) for i, row in enumerate(top) if (cols := _columns(row))), None)
        if header is None:
            continue
        rows = [[text_of(c) or "" for c in row] for row in block.rows]
        start, cols = header
        for row, origin in zip(rows[start + 1 :], block.row_origins[start + 1 :], strict=True):
            if cols.flag >= len(row) or normalize_label(row[cols.flag]) not in yes:
                continue
            title = row[cols.title].strip() if cols.title < len(row) else ""
            printed_label = row[cols.label] if cols.label is not None and cols.label < len(row) else ""
            label = registry.label_of(printed_label) or registry.label_of(title)
            if title or label:
                found.append(EmptyDeclaration(label, title, _printed(rows[start], row, cols), origin.page, origin.file))
    return found


def _declared_table(declaration: EmptyDeclaration, tables: list[RawTable], registry: Registry) -> RawTable | None:
    """The one table a declaration names: by its title's table kind, then by its label."""
    spec = registry.identify_title(declaration.title) if declaration.title else None
    same_kind = [t for t in tables if spec is not None and t.table_id == spec.id]
    labelled = [t for t in (same_kind or tables) if declaration.label and normalize_label(t.label) == declaration.label]
    if len(labelled) == 1:
        return labelled[0]
    if len(same_kind) == 1 and not labelled:
        return same_kind[0]
    return None


def mark_declared_empty(tables: list[RawTable], declarations: list[EmptyDeclaration], registry: Registry) -> None:
    """Attach each declaration to the table it names (left alone when it names none or many)."""
    for declaration in declarations:
        table = _declared_table(declaration, tables, registry)
        if table is not None and not table.declared_empty:
            table.declared_empty = declaration.describe()
