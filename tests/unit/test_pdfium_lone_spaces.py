"""The lone spaces read inside the C walk are the ones the Python walk reads, bit for bit.

PDFium's text page leaves out a text object that draws only a space (Word writes one per
space); ``PdfiumPage._text_object`` puts it back as pdfminer reads it. Since stop 25 the
page-object walk in C (``_pdfium_chars.walk``, ``lone_space``) builds the common one itself:
an embedded (or standard) font, upright, PDFium's geometry that of one space, the font's
name and descent already known to the page; on a page with a font not embedded, only of a
font the page found to have no ideographic space. Everything else still goes to the Python
branch, which stays the fallback (``YUSUAN_NATIVE=0``) and the oracle here: every fixture
page and made pages (scaled, mirrored, flipped, inside a Form XObject, under /Rotate 90,
turned) read both ways give the same characters and the same ``_lone_spaces`` notes.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfium_fixture_pdfs import PDFS, exact, read_pages

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

needs_extension = pytest.mark.skipif(
    not pdfium_native.built(), reason="the C extension was not built (no compiler at install)"
)


class Counts:
    """Lone spaces read by the Python branch and in all, over the pages read."""

    def __init__(self) -> None:
        self.python = 0
        self.total = 0
        self.substituted_in_c = 0


def _read(
    path: Path,
    native: bool,
    monkeypatch: pytest.MonkeyPatch,
    counts: Counts | None = None,
    fonts: bool = True,
) -> list[Any]:
    """Each page's objects and lone spaces (text object addresses numbered by first use), or
    the reason it is handed to pdfminer."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")
    python_branch = reader.PdfiumPage._text_object

    def counted(page: Any, handle: Any, ctm: Any) -> None:
        before = len(page._lone_spaces)
        python_branch(page, handle, ctm)
        if counts is not None:
            counts.python += len(page._lone_spaces) - before

    monkeypatch.setattr(reader.PdfiumPage, "_text_object", counted)

    def objects_and_spaces(page: Any) -> Any:
        ids: dict[int, int] = {}
        spaces = [
            (ids.setdefault(address, len(ids)), exact(char)) for address, char in page._lone_spaces
        ]
        if counts is not None:
            counts.total += len(spaces)
            counts.substituted_in_c += len(spaces) if page._substituted else 0
        return (exact(page.objects), spaces)

    try:
        return read_pages(path, 12.5, objects_and_spaces, fonts)
    finally:
        monkeypatch.setattr(reader.PdfiumPage, "_text_object", python_branch)


@needs_extension
def test_every_fixture_page_has_the_same_lone_spaces_both_ways(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every page of every fixture PDF: the same objects and lone spaces from the Python walk
    and the C walk, and most lone spaces read in C, including on pages with a font not
    embedded (fails if the C branch is never taken)."""
    native = Counts()
    for path in PDFS:
        assert _read(path, False, monkeypatch) == _read(path, True, monkeypatch, native), path
    assert native.total > 1000
    assert native.python < native.total / 10
    assert native.substituted_in_c > 0


def _pdf(content: bytes, rotate: int = 0, form: bytes = b"") -> bytes:
    """A one-page PDF of Helvetica text (a standard font: read as an embedded one) drawing
    ``content``, with a Form XObject /X (``form``, moved by 7.25, 3.5) it may draw."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Rotate %d /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>"
        % rotate,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 300] /Matrix [1 0 0 1 7.25 3.5] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
        % (len(form), form),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _shows(*shown: tuple[bytes, bytes, bytes]) -> bytes:
    """Text objects of (size, matrix, text), each in its own BT/ET."""
    return b" ".join(b"BT /F1 %s Tf %s Tm (%s) Tj ET" % shows for shows in shown)


# words the text page has (so the font's name and descent at 10 and 9 pt are known to the
# page), then lone spaces: upright, twice as large (12.5 pt: a size the page has not met,
# so the first goes to Python, the second is read in C), mirrored, flipped, a second
# space of one object; inside the form, and under /Rotate 90 (a CTM of ints)
UPRIGHT = _shows(
    (b"10", b"1 0 0 1 20 200", b"Ab"),
    (b"10", b"1 0 0 1 33.3 200", b" "),
    (b"10", b"1 0 0 1 40 200", b"cd"),
    (b"9", b"1 0 0 1 20 180", b"xy"),
    (b"12.5", b"2 0 0 2 20 150", b" "),
    (b"12.5", b"2 0 0 2 60 150", b" "),
    (b"9", b"-1 0 0 1 120 150", b" "),
    (b"9", b"1 0 0 -1 150 150", b" "),
    (b"9", b"1 0 0 1 60 100", b"  "),
)
FORM = _shows((b"10", b"1 0 0 1 20 50", b"Q"), (b"10", b"1 0 0 1 31.5 50", b" "))


@needs_extension
@pytest.mark.parametrize("rotate", [0, 90])
def test_made_lone_spaces_are_read_the_same_in_c(
    rotate: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "spaces.pdf"
    path.write_bytes(_pdf(UPRIGHT + b" /X Do", rotate=rotate, form=FORM))
    counts = Counts()
    python, native = _read(path, False, monkeypatch), _read(path, True, monkeypatch, counts)
    assert python == native
    ((_objects, spaces),) = native
    assert len(spaces) == 6  # the two-space object is on the text page
    assert counts.python == 1  # the first at 12.5 pt, whose name and descent the page had not asked


@needs_extension
@pytest.mark.parametrize(
    "matrix", [b"0 1 -1 0 200 100", b"1 0 0.3 1 20 100"], ids=["turned", "slanted"]
)
def test_a_turned_or_slanted_space_goes_to_python(
    matrix: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a lone space by _text_object's rules (its matrix's b or c is not 0): the C walk
    hands it to Python, which hands the page over (no font dictionaries), both ways alike."""
    path = tmp_path / "turned.pdf"
    path.write_bytes(_pdf(_shows((b"10", b"1 0 0 1 20 200", b"Ab"), (b"10", matrix, b" "))))
    python, native = (
        _read(path, False, monkeypatch, fonts=False),
        _read(path, True, monkeypatch, fonts=False),
    )
    assert python == native == [("handed over", "a text object is missing from the text page")]


@needs_extension
def test_without_lone_spaces_the_walk_hands_them_all_to_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``walk(..., lone_spaces=False)`` is the walk before: every such object goes to the
    Python branch, with the same result."""
    path = tmp_path / "spaces.pdf"
    path.write_bytes(_pdf(UPRIGHT + b" /X Do", form=FORM))
    walk = pdfium_native.walk

    def without(*args: Any, **kwargs: Any) -> None:
        walk(*args, lone_spaces=False, runs=kwargs.get("runs"))

    counts = Counts()
    expected = _read(path, True, monkeypatch)
    monkeypatch.setattr(pdfium_native, "walk", without)
    assert _read(path, True, monkeypatch, counts) == expected
    assert counts.python == counts.total == 6


@needs_extension
def test_reading_lone_spaces_again_and_again_keeps_no_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """References counted right in ``lone_space``: the page read 30 times more leaves the
    number of allocated blocks where it was (a leaked character dict per space would add
    hundreds)."""
    path = tmp_path / "spaces.pdf"
    path.write_bytes(_pdf(UPRIGHT * 4 + b" /X Do", form=FORM))
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    document = pdfium.PdfDocument(path)
    try:

        def read() -> int:
            return len(reader.PdfiumPage(document, 1, 0.0)._lone_spaces)

        assert read() == 21
        gc.collect()
        before = sys.getallocatedblocks()
        for _ in range(30):
            read()
        gc.collect()
        assert sys.getallocatedblocks() - before < 200
    finally:
        document.close()
