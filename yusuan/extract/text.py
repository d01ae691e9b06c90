"""Text exports of publications: one line per paragraph, table cells separated by TAB."""

from __future__ import annotations

from yusuan.core.errors import ExtractionError
from yusuan.core.model import Block, FileExtract, Grid, Origin, SourceFile, TextLine


def decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(name, "not a UTF-8 or GB18030 text file")


def text_to_blocks(source: SourceFile) -> FileExtract:
    text = decode(source.path.read_bytes(), source.name)
    if "\x00" in text:
        raise ExtractionError(source.name, "binary content in a text file")
    blocks: list[Block] = []
    grid: Grid | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        origin = Origin(source.name, source.sha256, None, number)
        if "\t" in line:
            cells: list[str | None] = [cell.strip() for cell in line.split("\t")]
            if grid is None:
                grid = Grid(rows=[], row_origins=[])
                blocks.append(grid)
            grid.rows.append(cells)
            grid.row_origins.append(origin)
            continue
        grid = None
        if line.strip():
            blocks.append(TextLine(line.strip(), origin))
    return FileExtract([line for block in blocks for line in _contents_grid_to_lines(block)])


def _is_contents_row(row: list[str | None]) -> bool:
    cells = [c for c in row if c]
    return len(cells) <= 2 and bool(cells) and cells[-1].isdigit() and len(cells[-1]) <= 3


def _contents_grid_to_lines(block: Block) -> list[Block]:
    """TAB lines that are contents entries ("第一部分 单位概况<TAB>1") or a lone TAB line are text."""
    if isinstance(block, Grid) and (len(block.rows) == 1 or all(map(_is_contents_row, block.rows))):
        return [TextLine(" ".join(c for c in row if c), origin) for row, origin in zip(block.rows, block.row_origins, strict=True)]
    return [block]
