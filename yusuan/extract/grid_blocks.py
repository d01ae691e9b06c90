"""What the cell-based readers (spreadsheet, DOCX, HTML) share: the magic numbers that tell
their containers apart, and a table of cells as blocks (a grid, or text when it is a single row
or column).
"""

from __future__ import annotations

from yusuan.core.model import COVERED_ABOVE, COVERED_LEFT, Block, Grid, Origin, TextLine

Cell = str | None

MARKERS = (COVERED_LEFT, COVERED_ABOVE)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: XLS (and DOC)
ZIP_MAGIC = b"PK\x03\x04"


def file_head(path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(2048)

def looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype", b"<html", b"<?xml", b"<table", b"<meta", b"<head", b"<body", b"<!--")) or b"<table" in text



def rows_to_blocks(rows: list[list[Cell]], origins: list[Origin]) -> list[Block]:
    """A table as a grid; a single row, or a single column, is text (a frame, a unit line).

    Shared by the spreadsheet, DOCX and HTML readers.
    """
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [j for j in range(width) if any(_text(r[j]) for r in rows)]
    if not used:
        return []
    if len(rows) == 1 or len(used) == 1:
        lines: list[Block] = []
        for row, origin in zip(rows, origins, strict=True):
            texts = [_text(c) for c in row if _text(c)]
            if len(rows) > 1 or len(texts) == 1:
                lines.extend(TextLine(part.strip(), origin) for t in texts for part in t.split("\n") if part.strip())
            elif texts:
                lines.append(TextLine("  ".join(t.replace("\n", " ") for t in texts), origin))
        return lines
    return [Grid(rows=rows, row_origins=origins)]


def _text(cell: Cell) -> str:
    return "" if cell is None or cell in MARKERS else cell.strip()
