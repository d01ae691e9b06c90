"""A page's life in the PDFium reader: made, read, recorded and freed before the next one."""

from __future__ import annotations

import weakref
from pathlib import Path

from yusuan.core.limits import DEFAULT_LIMITS
from yusuan.core.model import FileExtract, SourceFile
from yusuan.extract import pdfium

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
SAMPLE = CORPUS / "02_js-renda-2018-bmys" / "bmys.pdf"


def test_a_page_is_freed_before_the_next_one_is_made(monkeypatch):
    """Each page (and with it its characters) is gone by reference counting alone when its
    blocks are recorded, not held by the loop until the next page was read."""
    made: list[weakref.ref] = []

    class Watched(pdfium.PdfiumPage):
        def __init__(self, *args, **kwargs) -> None:
            assert all(ref() is None for ref in made), (
                "an earlier page is alive while the next is made"
            )
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))

    monkeypatch.setattr(pdfium, "PdfiumPage", Watched)
    source = SourceFile(path=SAMPLE, role="full", sha256="")
    alive_after_read: list[int] = []
    reader = pdfium.PageReader(source, DEFAULT_LIMITS, 4)
    try:
        reader.read(
            1,
            4,
            0.0,
            FileExtract(blocks=[]),
            lambda _number: alive_after_read.append(sum(ref() is not None for ref in made)),
        )
    finally:
        reader.close()
    assert len(made) == 4
    assert alive_after_read == [0, 0, 0, 0]
