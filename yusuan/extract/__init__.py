"""Readers that turn source files into text lines and table grids (cells as printed)."""

from __future__ import annotations

from yusuan.core.collector import fewer_collections
from yusuan.core.errors import ExtractionError
from yusuan.core.limits import current
from yusuan.core.model import ExtractedDocument, FileExtract, SourceDocument, SourceFile
from yusuan.extract.docx import docx_to_blocks
from yusuan.extract.grid_blocks import OLE_MAGIC, ZIP_MAGIC, file_head, looks_like_html
from yusuan.extract.html import html_to_blocks
from yusuan.extract.image import image_to_blocks
from yusuan.extract.pdfium import (
    pdf_to_blocks,  # PDFium; yusuan.extract.pdf is the pdfplumber reader
)
from yusuan.extract.text import text_to_blocks
from yusuan.extract.xlsx import xlsx_to_blocks

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
OFFICE_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".docx", ".doc"})


def file_to_blocks(source: SourceFile) -> FileExtract:
    """Blocks of one file, with its pages without a text layer and its page count."""
    if not source.path.is_file():
        raise ExtractionError(source.name, "file not found")
    size = source.path.stat().st_size
    if size == 0:
        raise ExtractionError(source.name, "the file is empty")
    current().check("max_file_bytes", size, source.name, what="bytes in the file")
    suffix = source.path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ExtractionError(source.name, f"unsupported file type {suffix!r}")
    if suffix in OFFICE_SUFFIXES and is_html_file(source):
        reader = html_to_blocks  # a web page saved with a spreadsheet or Word name
    with fewer_collections():  # a file's many small objects hold no cycles (core/collector.py)
        return reader(source)


def is_html_file(source: SourceFile) -> bool:
    """The file is read as a web page (by its name, or an office name with a page inside)."""
    suffix = source.path.suffix.lower()
    if READERS.get(suffix) is html_to_blocks:
        return True
    if suffix not in OFFICE_SUFFIXES or not source.path.is_file():
        return False
    head = file_head(source.path)
    return not head.startswith((ZIP_MAGIC, OLE_MAGIC)) and looks_like_html(head)


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
