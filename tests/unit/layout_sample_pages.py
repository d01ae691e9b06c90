"""The fixture pages the layout-equivalence tests run on, as the two readers give them
(shared by test_plumber_equivalents.py and test_plumber_equivalents_tables.py)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2
from pdfium_fixture_pdfs import swept_pages

from yusuan.extract import pdf as layout
from yusuan.extract.pdfium import PageNeedsPdfminer, PdfiumPage

FIXTURES = Path(__file__).parents[1] / "fixtures"
# tables with merged headers, narrative, a page with text off the page (gz-weijian p116),
# turned pages, pages that go to the pdfplumber reader
SAMPLES = sorted((FIXTURES / "corpus-wide-pages").glob("*.pdf")) + [
    FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf",
    FIXTURES / "corpus" / "13_sh-putuo-wanli-2025-bmys" / "bmys.pdf",
]


def pdfium_pages(path: Path, every: bool = False) -> list:
    """The swept pages (``swept_pages``: all of a short sample), or every page, the PDFium
    reader reads itself (glyph boxes fixed), in page order."""
    document = pypdfium2.PdfDocument(path)
    pages, doctop = [], 0.0
    try:
        for number in range(1, len(document) + 1) if every else swept_pages(len(document)):
            try:
                page = PdfiumPage(document, number, doctop)
            except PageNeedsPdfminer:
                continue
            doctop += page.height
            layout.fix_glyph_boxes(page)
            pages.append(page)
    finally:
        document.close()
    return pages


def plumber_pages(path: Path) -> list:
    """The first four pages as the pdfplumber reader reads them, parsed before the file closes."""
    with pdfplumber.open(path) as pdf:
        pages = list(pdf.pages[:4])
        for page in pages:
            layout.fix_glyph_boxes(page)
            page.objects  # noqa: B018  (parsed before the file closes)
        return pages


def sample_pages(path: Path) -> list:
    """A sample's pages as the tests compare them: every swept page PDFium reads, and for the two
    corpus PDFs also their first four pages as the pdfplumber reader reads them."""
    found = pdfium_pages(path)
    if path.parent.name != "corpus-wide-pages":
        found += plumber_pages(path)
    return found


def char(
    text: str, x0: float, top: float, width: float = 6.0, height: float = 10.0, upright: bool = True
) -> dict:
    """A made character as the layout functions read it (its box, document top and
    direction), for the tests that build pages of their own."""
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + height,
        "doctop": top,
        "upright": upright,
    }
