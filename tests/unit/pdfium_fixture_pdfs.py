"""The fixture PDFs PDFium opens, for the tests that compare the C reader with the Python one
on every fixture page (the hostile fixtures include a truncated file and others)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

FIXTURES = Path(__file__).parents[1] / "fixtures"


def opens(path: Path) -> bool:
    """PDFium opens it."""
    try:
        pdfium.PdfDocument(path).close()
    except pdfium.PdfiumError:
        return False
    return True


PDFS = sorted(path for path in FIXTURES.rglob("*.pdf") if opens(path))
