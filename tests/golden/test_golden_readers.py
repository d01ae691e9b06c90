"""The PDFium reader (the default) reads the golden PDFs as the pdfplumber reader does.

Both readers are run on the golden publications (tests/golden/<id>/ with a PDF in
tests/fixtures/corpus):

- through the whole library path, every row of every resource (amounts with value, label,
  code, measure, side, unit, yuan, page and table; sections, checks, ...) must be identical;
- at the reader's output, the blocks must be the same: the same text lines and words, the
  same grids cell by cell, the same row origins (file, page, block), column ranges and
  blank, image-only and hidden-text pages. Positions are compared to 1/100 pt (PDFium
  computes in single precision) and text without white space: where two words are exactly
  3 pt apart (pdfplumber's tolerance for a space) pdfminer's last bit of floating-point
  noise decides whether a space is put between them, and PDFium's differs.

benchmarks/reader_equality.py makes the first comparison on both shared corpora.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.reader_equality import differences, reader_outputs
from yusuan.core.model import FileExtract, Grid, TextLine
from yusuan.extract import pdf, pdfium
from yusuan.ingest.sources import read_manifest

GOLDEN = Path(__file__).parent
MANIFEST = GOLDEN.parent / "fixtures" / "corpus" / "manifest.csv"
GOLDEN_IDS = {p.name for p in GOLDEN.iterdir() if (p / "amounts.csv").is_file()}
DOCUMENTS = [d for d in read_manifest(MANIFEST) if d.document_id in GOLDEN_IDS and any(f.path.suffix.lower() == ".pdf" for f in d.files)]
PDFS = [f for d in DOCUMENTS for f in d.files if f.path.suffix.lower() == ".pdf"]


def _bare(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", "", text)


def same(a: object, b: object) -> bool:
    """Equal, numbers within 1/100 pt."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 0.01
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def comparable(found: FileExtract) -> list:
    """The blocks of a file, text without white space."""
    out: list = [("pages", found.page_count, found.pages_without_text, found.blank_pages, found.hidden_chars)]
    for block in found.blocks:
        if isinstance(block, TextLine):
            words = "".join(w.text for w in block.words)
            out.append(("line", _bare(block.text), block.origin, block.continues, _bare(words), block.words[0].x0 if block.words else None))
        else:
            assert isinstance(block, Grid)
            out.append(("grid", [[_bare(cell) for cell in row] for row in block.rows], block.row_origins, block.column_bounds))
    return out


@pytest.fixture(autouse=True)
def clip_paths_left_to_pdfminer(monkeypatch):
    """pdfminer does not apply clip paths, the PDFium reader drops the characters they hide
    (yusuan/extract/pdfium_clip.py; js-gaoyuan-2017 p.20: a chart label's 项目 the chart
    clips): the readers are compared with that rule off, which leaves the PDFium reader as it
    was before it (the C walk hands such objects to ``_text_object``, which then keeps all)."""
    monkeypatch.setattr(pdfium, "exceeds_clip", lambda handle: None)


def test_the_golden_publications_have_pdfs():
    assert len(DOCUMENTS) >= 7 and len(PDFS) >= 8


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.document_id for d in DOCUMENTS])
def test_both_readers_publish_the_same_rows(document):
    old, new = reader_outputs(document, "pdfplumber"), reader_outputs(document, "pdfium")
    assert "resources" in old and old["resources"]["amounts"]
    assert differences(old, new) == []


@pytest.mark.parametrize("source", PDFS, ids=[f"{f.path.parent.name}/{f.path.name}" for f in PDFS])
def test_both_readers_read_the_same_blocks(source):
    old, new = comparable(pdf.pdf_to_blocks(source)), comparable(pdfium.pdf_to_blocks(source))
    assert len(new) == len(old)
    for before, after in zip(old, new, strict=True):
        assert same(after, before), (before, after)
