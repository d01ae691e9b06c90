"""Readers that turn source files into text lines and table grids (cells as printed)."""

from __future__ import annotations

from yusuan.errors import ExtractionError
from yusuan.extract.docx import docx_to_blocks
from yusuan.extract.html import html_to_blocks
from yusuan.extract.image import image_to_blocks
from yusuan.extract.pdfium import (
    pdf_to_blocks,  # PDFium; yusuan.extract.pdf is the pdfplumber reader
)
from yusuan.extract.text import text_to_blocks
from yusuan.extract.xlsx import xlsx_to_blocks
from yusuan.limits import current
from yusuan.model import ExtractedDocument, FileExtract, SourceDocument, SourceFile

READERS = {
    ".pdf": pdf_to_blocks,
    ".txt": text_to_blocks,
    ".png": image_to_blocks,
    ".jpg": image_to_blocks,
    ".jpeg": image_to_blocks,
    ".xlsx": xlsx_to_blocks,
    ".xlsm": xlsx_to_blocks,
    ".xls": xlsx_to_blocks,  # told apart by content: XLS, XLSX or an HTML page saved as .xls
    ".docx": docx_to_blocks,
    ".doc": docx_to_blocks,  # a .doc that is DOCX or HTML inside is read; a Word 97-2003 file is refused
    ".html": html_to_blocks,
    ".htm": html_to_blocks,
}


def file_to_blocks(source: SourceFile) -> FileExtract:
    """Blocks of one file, with its pages without a text layer and its page count."""
    if not source.path.is_file():
        raise ExtractionError(source.name, "file not found")
    size = source.path.stat().st_size
    if size == 0:
        raise ExtractionError(source.name, "the file is empty")
    current().check("max_file_bytes", size, source.name, what="bytes in the file")
    reader = READERS.get(source.path.suffix.lower())
    if reader is None:
        raise ExtractionError(source.name, f"unsupported file type {source.path.suffix!r}")
    return reader(source)


def document_to_blocks(document: SourceDocument) -> ExtractedDocument:
    """All files of a publication in manifest order (narrative before tables, as listed)."""
    extracted = ExtractedDocument(document=document, blocks=[])
    for source in document.files:
        found = file_to_blocks(source)
        extracted.blocks.extend(found.blocks)
        extracted.pages_without_text.extend((source.name, page) for page in found.pages_without_text)
        extracted.hidden_chars.extend((source.name, page, count) for page, count in found.hidden_chars.items())
        extracted.blank_pages.extend((source.name, page) for page in found.blank_pages)
        extracted.page_count += found.page_count
    return extracted
