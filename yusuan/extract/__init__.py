"""Readers that turn source files into text lines and table grids (cells as printed)."""

from __future__ import annotations

from yusuan.errors import ExtractionError
from yusuan.extract.pdf import pdf_to_blocks
from yusuan.extract.text import text_to_blocks
from yusuan.model import ExtractedDocument, SourceDocument, SourceFile

READERS = {".pdf": pdf_to_blocks, ".txt": text_to_blocks}


def file_to_blocks(source: SourceFile) -> tuple[list, list[tuple[str, int]], int]:
    """Blocks of one file, its pages without a text layer, and its page count."""
    if not source.path.is_file():
        raise ExtractionError(source.name, "file not found")
    if source.path.stat().st_size == 0:
        raise ExtractionError(source.name, "the file is empty")
    reader = READERS.get(source.path.suffix.lower())
    if reader is None:
        raise ExtractionError(source.name, f"unsupported file type {source.path.suffix!r}")
    return reader(source)


def document_to_blocks(document: SourceDocument) -> ExtractedDocument:
    """All files of a publication in manifest order (narrative before tables, as listed)."""
    blocks: list = []
    no_text: list[tuple[str, int]] = []
    pages = 0
    for source in document.files:
        file_blocks, file_no_text, file_pages = file_to_blocks(source)
        blocks.extend(file_blocks)
        no_text.extend(file_no_text)
        pages += file_pages
    return ExtractedDocument(document=document, blocks=blocks, pages_without_text=no_text, page_count=pages)
