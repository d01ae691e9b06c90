"""Pieces of the PDFium reader that must give pdfminer's / pdfplumber's answer exactly."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils import dedupe_chars

from benchmarks.hostile_pages import write_pdf
from yusuan.core.limits import DEFAULT_LIMITS
from yusuan.core.model import SourceFile
from yusuan.extract import pdf, pdfium
from yusuan.extract.pdf import unique_chars
from yusuan.extract.pdf_stream_scan import STREAM_START, streams_within_limits

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"


def test_unique_chars_keeps_what_pdfplumber_keeps():
    """On a real page with every character drawn twice more (once exactly, once 0.5 pt
    off, as bold is faked), the same characters survive in the same order."""
    with pdfplumber.open(CORPUS / "02_js-renda-2018-bmys" / "bmys.pdf") as pdf:
        chars = pdf.pages[5].chars
        doubled = [c for char in chars for c in (char, dict(char), {**char, "x0": char["x0"] + 0.5, "doctop": char["doctop"] + 0.5})]
        for sample in (chars, doubled):
            assert [id(c) for c in unique_chars(sample)] == [id(c) for c in dedupe_chars(sample)]


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([("m", (0, 0)), ("l", (10, 0))], "line"),
        ([("m", (0, 0)), ("l", (10, 0)), ("h", (10, 0))], "line"),
        ([("m", (0, 0)), ("l", (10, 0)), ("l", (10, 5)), ("l", (0, 5)), ("h", (0, 5))], "rect"),  # re / m l l l h
        ([("m", (0, 0)), ("l", (10, 0)), ("l", (10, 5)), ("l", (0, 5)), ("l", (0, 0)), ("h", (0, 0))], "rect"),  # closed by a redundant l
        ([("m", (0, 0)), ("l", (10, 1)), ("l", (10, 5)), ("l", (0, 5)), ("h", (0, 5))], "curve"),  # not square
        ([("m", (0, 0)), ("c", (10, 10))], "curve"),
    ],
)
def test_paths_are_classed_as_pdfminer_classes_them(ops, expected):
    shapes = list(pdfium._classify(ops))
    assert [shape for shape, _points in shapes] == [expected]
    if expected == "rect":
        assert shapes[0][1] == [(0, 0), (10, 5)]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotation_matrix_is_pdfminers(rotation):
    """pdfminer's CTM for /Rotate (PDFPageInterpreter.process_page), written out."""
    box = (10.0, 20.0, 610.0, 860.0)
    expected = {0: (1, 0, 0, 1, -10, -20), 90: (0, -1, 1, 0, -20, 610), 180: (-1, 0, 0, -1, 610, 860), 270: (0, 1, -1, 0, 860, -10)}
    assert pdfium.rotation_matrix(rotation, box) == expected[rotation]


def test_a_standard_font_is_read_by_pdfium_and_another_font_not_embedded_by_pdfplumber(tmp_path, monkeypatch):
    """Helvetica's metrics are known to both (AFM): PDFium reads the page. A font neither
    embedded nor standard is drawn by PDFium with a substitute: the page goes to pdfplumber."""
    standard = write_pdf(tmp_path / "helvetica.pdf", b"BT /F1 12 Tf 72 720 Td (budget 2026) Tj ET")
    other = tmp_path / "stsong.pdf"
    other.write_bytes(standard.read_bytes().replace(b"/Helvetica", b"/STSongStd"))  # same length: the xref holds
    read_by = []
    original = pdfium.PlumberPages.page
    monkeypatch.setattr(pdfium.PlumberPages, "page", lambda self, number: read_by.append(number) or original(self, number))
    for path, fallback in ((standard, []), (other, [1])):
        read_by.clear()
        source = SourceFile(path, "full", "0" * 64)
        found = pdfium.pdf_to_blocks(source)
        assert read_by == fallback
        # STSongStd without /Widths: pdfminer draws every glyph at the same place, and the
        # second "2" is dropped as a copy of the first, as the pdfplumber reader does
        assert [b.text for b in found.blocks] == [b.text for b in pdf.pdf_to_blocks(source).blocks] == [["budget 2026"], ["budget 206"]][len(fallback)]


def test_the_stream_scan_finds_the_streams_its_first_pattern_found():
    """STREAM_START puts the literal first (searched as a literal, 40 times faster over the
    corpora) and the letter check after it: the same matches as the pattern it replaced,
    on the edge cases and on a real file."""
    before = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
    samples = [
        b"stream\nat the start",
        b"1 0 obj<<>>stream\r\nxx\r\nendstream\nendobj",
        b">>stream\rA endstream\rB xstream\nC 9stream\n D stream E streamx\n F stream\r\n",
        b"Zstream\n stream\n\nstreamstream\n",
        (CORPUS / "09_js-jianchayuan-2018-bmys" / "bmys.pdf").read_bytes(),
    ]
    for data in samples:
        assert [m.span() for m in STREAM_START.finditer(data)] == [m.span() for m in before.finditer(data)]
    assert len(list(STREAM_START.finditer(samples[2]))) == 3


def test_the_stream_scan_finds_a_stream_past_the_limit(tmp_path):
    small = write_pdf(tmp_path / "small.pdf", b"BT /F1 12 Tf 72 720 Td (budget) Tj ET")
    bomb = write_pdf(tmp_path / "bomb.pdf", b"", raw_stream=zlib.compress(b"0" * (4 << 20), 9))
    limits = DEFAULT_LIMITS.but(max_stream_bytes=1 << 20)
    assert streams_within_limits(small, limits)
    assert not streams_within_limits(bomb, limits)
    assert not streams_within_limits(bomb, DEFAULT_LIMITS.but(max_decoded_bytes=1 << 20))
    assert streams_within_limits(bomb, DEFAULT_LIMITS)
