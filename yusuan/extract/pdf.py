"""Born-digital PDFs: ruled table grids and the text lines around them, with pdfplumber.

The choice of pdfplumber is measured in docs/pdf-library-choice.md.
"""

from __future__ import annotations

import logging

import pdfplumber

from yusuan.errors import ExtractionError
from yusuan.model import Block, Grid, Origin, SourceFile, TextLine

# pdfminer logs every recoverable oddity of a PDF as a warning: keep runs quiet.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdf_to_blocks(source: SourceFile) -> tuple[list[Block], list[tuple[str, int]], int]:
    try:
        pdf = pdfplumber.open(source.path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractionError(source.name, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    blocks: list[Block] = []
    no_text: list[tuple[str, int]] = []
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise ExtractionError(source.name, f"not a readable PDF ({type(exc).__name__})") from exc
        for number, page in enumerate(pages, start=1):
            try:
                page_blocks = page_to_blocks(page.dedupe_chars(), source, number)
            except Exception as exc:
                raise ExtractionError(source.name, f"cannot read the page ({type(exc).__name__}: {exc})", page=number) from exc
            if not page_blocks:
                no_text.append((source.name, number))
            blocks.extend(page_blocks)
            page.flush_cache()
        return blocks, no_text, len(pages)


def page_to_blocks(page: pdfplumber.page.Page, source: SourceFile, number: int) -> list[Block]:
    """Tables (ruled grids) and the text lines outside them, top to bottom."""
    if not page.chars:
        return []
    tables = page.find_tables()
    placed: list[tuple[float, float, Block]] = []
    for table in tables:
        rows = table.extract()
        if not rows:
            continue
        x0, top, _x1, _bottom = table.bbox
        placed.append((top, x0, Grid(rows=[list(r) for r in rows], row_origins=[])))
    boxes = [t.bbox for t in tables]
    lines = [
        line for line in page.extract_text_lines(return_chars=False)
        if not any(x0 <= (line["x0"] + line["x1"]) / 2 <= x1 and top <= (line["top"] + line["bottom"]) / 2 <= bottom for x0, top, x1, bottom in boxes)
    ]
    right_margin = max((line["x1"] for line in lines), default=0)
    for line in lines:
        text = line["text"].strip()
        char_width = (line["x1"] - line["x0"]) / max(len(text), 1)
        continues = line["x1"] >= right_margin - 1.5 * char_width and len(text) > 10
        placed.append((line["top"], line["x0"], TextLine(text, None, continues=continues)))  # type: ignore[arg-type]
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
