"""The PDFium reader's per-character and per-path loops in C give what the Python loops give, bit for bit.

``yusuan/extract/_pdfium_chars.c`` (pdfium_native) replaces ``PdfiumPage._read_chars``'s
and ``path_shapes``' Python loops where it was built. The Python loops are the oracle: every
page of every fixture PDF is read with both, and the page's objects (characters, lines,
rects, curves: every key, floats by their bits, ``repr`` of the lists), the gap checks' trace
and the pages handed to pdfminer (with the reason) must be the same. The fixtures cover embedded fonts upright and turned, /Rotate 90, fonts not embedded
read from their dictionaries, and pages handed over.

CI sets ``YUSUAN_REQUIRE_NATIVE=1`` (.ci/run): there a missing extension fails
``test_extension_built_where_required`` instead of leaving the Python loop silently in use.
"""

from __future__ import annotations

import copy
import gc
import math
import os
import random
import struct
import sys
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfium_fixture_pdfs import FIXTURES, PDFS, read_pages

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

needs_extension = pytest.mark.skipif(not pdfium_native.built(), reason="the C extension was not built (no compiler at install); test_extension_built_where_required guards CI")
# the C loop's character type (a mapping read as the Python loop's dict), where built
CHAR = pdfium_native._native.Char if pdfium_native.built() else dict


def test_extension_built_where_required() -> None:
    if os.environ.get("YUSUAN_REQUIRE_NATIVE") == "1":
        assert pdfium_native.built(), f"the C extension was not built: {pdfium_native.IMPORT_ERROR}"
        assert pdfium_native.enabled()
    else:
        assert pdfium_native.enabled() == (pdfium_native.built() and os.environ.get("YUSUAN_NATIVE", "1") != "0")


def test_a_missing_extension_falls_back_or_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfium_native, "_native", None)
    monkeypatch.delenv("YUSUAN_REQUIRE_NATIVE", raising=False)
    assert not pdfium_native.enabled()
    monkeypatch.setenv("YUSUAN_REQUIRE_NATIVE", "1")
    with pytest.raises(RuntimeError, match="YUSUAN_REQUIRE_NATIVE"):
        pdfium_native.enabled()


@needs_extension
def test_turned_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert not pdfium_native.enabled()
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    assert pdfium_native.enabled()


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


@needs_extension
def test_round4_is_pythons_round() -> None:
    """The C loop's round(x, 4): exact ties (k + 1/2) / 10**4 and their neighbours, the
    coordinates PDFium gives (single-precision values), and random doubles of every scale."""
    generator = random.Random(14)
    values: list[float] = [0.0, -0.0, 0.5, -0.5, 1e-5, -1e-5, 0.00005, -0.00005, 0.00015, 2.675, 1e12, -1e12, 1e300, 5e-324, math.inf, -math.inf]
    for k in range(-20000, 20000):
        tie = (k + 0.5) / 10000
        values += [tie, math.nextafter(tie, math.inf), math.nextafter(tie, -math.inf)]
    for _ in range(200000):
        values.append(struct.unpack("<f", struct.pack("<f", generator.uniform(-2000, 2000)))[0])
        values.append(generator.uniform(-1000, 1000) * 10 ** generator.randint(-8, 12))
        values.append(round(generator.uniform(-900, 900), generator.randint(3, 6)))
    for value in values:
        assert _bits(pdfium_native.round4(value)) == _bits(round(value, 4)), value
    assert math.isnan(pdfium_native.round4(math.nan))


def _read(path: Path, native: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each page's objects (characters, lines, rects, curves, images) and trace (text object addresses numbered by first use: two
    reads place the objects at other addresses), or the reason it is handed to pdfminer."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1" if native else "0")

    def objects_and_trace(page: Any) -> Any:
        ids: dict[int, int] = {}
        trace = [(ids.setdefault(t[0], len(ids)), *t[1:7], ids.setdefault(t[7], len(ids)), t[8]) for t in page._trace]
        return (page.objects, trace)

    return read_pages(path, 100.5, objects_and_trace)


def _same(python: Any, native: Any) -> None:
    """Equal, with every float the same bits (== holds for 0.0 and -0.0) and of the same type
    (a character of the C loop, a Char, where the Python loop makes a dict)."""
    assert type(python) is type(native) or (type(python) is dict and type(native) is CHAR)
    if isinstance(python, float):
        assert _bits(python) == _bits(native)
    elif isinstance(python, dict):
        assert list(python) == list(native)
        for key in python:
            _same(python[key], native[key])
    elif isinstance(python, list | tuple):
        assert len(python) == len(native)
        for a, b in zip(python, native, strict=True):
            _same(a, b)
    else:
        assert python == native


@needs_extension
@pytest.mark.parametrize("path", PDFS, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_every_fixture_page_reads_the_same_in_c(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _read(path, native=False, monkeypatch=monkeypatch)
    native = _read(path, native=True, monkeypatch=monkeypatch)
    assert python == native
    assert repr(python) == repr(native)
    _same(python, native)


@needs_extension
def test_the_fixtures_cover_every_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages compared above reach every branch of the C loop: characters built in C,
    upright and turned (embedded fonts), characters of fonts not embedded handed back to
    Python, and pages handed to pdfminer (else the comparison would prove less)."""
    seen: dict[str, int] = {"embedded": 0, "not embedded": 0}
    python_branch = pdfium_native.uncommon_char

    def counting(page: Any, *args: Any) -> Any:
        embedded = page._text_objects[args[5]][2]
        seen["embedded" if embedded else "not embedded"] += 1
        return python_branch(page, *args)

    monkeypatch.setattr(pdfium_native, "uncommon_char", counting)
    read = [
        _read(FIXTURES / name, native=True, monkeypatch=monkeypatch)
        for name in ("corpus/03_js-renda-2019-bmys/tables.pdf", "corpus-wide-pages/yt-xinfang-2026-bmys-p12.pdf", "corpus/05_js-shengweiban-2018-bmys/narrative.pdf")
    ]
    assert seen["not embedded"] > 0
    # glyphs turned in user space (the trace's b or c), their fonts embedded: built in C now
    turned = sum(1 for pages in read for page in pages if page[0] != "handed over" for traced in page[1] if traced[4][1] or traced[4][2])
    assert turned > 100 and seen["embedded"] == 0
    assert any(page[0] == "handed over" for page in read[2])
    # an upright page of embedded fonts: most of its characters are built in C
    seen.update({"embedded": 0, "not embedded": 0})
    upright = _read(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf", native=True, monkeypatch=monkeypatch)
    assert sum(len(page[0].get("char", [])) for page in upright if page[0] != "handed over") > 10 * (seen["embedded"] + seen["not embedded"] + 1)


@needs_extension
def test_an_error_of_the_python_branch_passes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """PageNeedsPdfminer raised for an uncommon character leaves the C loop (no crash, no
    half-read page): this page has a font not embedded. Page 2 of tables.pdf, its glyphs
    turned a quarter in embedded fonts, is read in C without the Python branch."""

    def refuse(*_args: Any) -> Any:
        raise reader.PageNeedsPdfminer("refused by the test")

    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    monkeypatch.setattr(pdfium_native, "uncommon_char", refuse)
    document = pdfium.PdfDocument(FIXTURES / "corpus-wide-pages" / "yt-xinfang-2026-bmys-p12.pdf")
    try:
        with pytest.raises(reader.PageNeedsPdfminer, match="refused by the test"):
            reader.PdfiumPage(document, 1, 0.0)
    finally:
        document.close()
    document = pdfium.PdfDocument(FIXTURES / "corpus" / "03_js-renda-2019-bmys" / "tables.pdf")
    try:
        assert reader.PdfiumPage(document, 2, 0.0).chars
    finally:
        document.close()


@needs_extension
@pytest.mark.parametrize(("name", "number"), [("02_js-renda-2018-bmys/bmys.pdf", 12), ("03_js-renda-2019-bmys/tables.pdf", 2)], ids=["upright", "turned"])
def test_reading_a_page_again_and_again_keeps_no_objects(name: str, number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """References counted right: reading a page of 150 characters or more 30 times more leaves
    the number of allocated blocks where it was (a leak of one object a character would add
    4,500 or more; the Python loop's own delta is a few dozen either way). The floats and strings the
    loop shares from one character to the next (``shared_float``, ``char_text``) are a bounded
    few: made on the first read, found again on the others. Glyphs upright, and turned."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    document = pdfium.PdfDocument(FIXTURES / "corpus" / name)
    try:
        assert len(reader.PdfiumPage(document, number, 0.0).chars) > 150
        gc.collect()
        before = sys.getallocatedblocks()
        for _ in range(30):
            reader.PdfiumPage(document, number, 0.0)
        gc.collect()
        assert sys.getallocatedblocks() - before < 500
    finally:
        document.close()


def _nested_forms_pdf(levels: int) -> bytes:
    """A one-page PDF whose content strokes a line and draws Form XObject 1, which strokes a
    line and draws form 2, and so on ``levels`` deep; each form moves its content 5 pt up
    (/Matrix), so the line drawn inside k forms lies at y = 10 + 5k."""
    drawing = b"10 10 m 190 10 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s /X Do\nendstream" % (len(drawing) + 6, drawing),
    ]
    for level in range(levels):
        number = 5 + level
        inner = drawing + (b" /X Do" if level < levels - 1 else b"")
        resources = b"/Resources << /XObject << /X %d 0 R >> >> " % (number + 1) if level < levels - 1 else b""
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [1 0 0 1 0 5] %s/Length %d >>\nstream\n%s\nendstream" % (resources, len(inner), inner))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@needs_extension
@pytest.mark.parametrize("native", [False, True], ids=["python walk", "c walk"])
def test_forms_are_walked_sixteen_deep(native: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both walks enter Form XObjects to the same depth: a form met at depth 16 is not
    entered, so of a page's line and 20 nested forms' lines the page, and the first 16
    forms' lines are read (17), at y = 10, 15, ..., 90 (pdfplumber's y0, from the bottom)."""
    path = tmp_path / "nested.pdf"
    path.write_bytes(_nested_forms_pdf(20))
    (objects, _trace), = _read(path, native=native, monkeypatch=monkeypatch)
    assert [line["y0"] for line in objects["line"]] == [10.0 + 5 * k for k in range(17)]
    assert [(line["x0"], line["x1"]) for line in objects["line"]] == [(10.0, 190.0)] * 17


@needs_extension
def test_the_walk_in_c_covers_every_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture pages compared above reach every branch of the C walk: pages walked in C,
    text objects handed back to Python (lone spaces, fonts not embedded), images handed back,
    and paths found only inside Form XObjects (walked in C, none handed back)."""
    walks: list[int] = []
    handed: list[int] = []
    native_walk, python_branch = pdfium_native.walk, reader.PdfiumPage._handed_back

    def counting_walk(page: Any, *args: Any, **kwargs: Any) -> None:
        walks.append(page.page_number)
        native_walk(page, *args, **kwargs)

    def counting_branch(page: Any, address: int, kind: int, *args: Any) -> None:
        handed.append(kind)
        python_branch(page, address, kind, *args)

    monkeypatch.setattr(pdfium_native, "walk", counting_walk)
    monkeypatch.setattr(reader.PdfiumPage, "_handed_back", counting_branch)
    in_forms = _read(FIXTURES / "corpus-wide-pages" / "sz-shenji-2026-bmys-p13-p21-p22-p24.pdf", native=True, monkeypatch=monkeypatch)
    assert walks == [1, 2, 3, 4]
    assert all(len(objects.get("line", [])) + len(objects.get("rect", [])) > 10 for objects, _trace in in_forms)
    assert pdfium.raw.FPDF_PAGEOBJ_PATH not in handed and pdfium.raw.FPDF_PAGEOBJ_FORM not in handed
    images = _read(FIXTURES / "corpus-wide-pages" / "cs-xinfang-2026-bmys-p5-p6-p7.pdf", native=True, monkeypatch=monkeypatch)
    assert sum(len(objects.get("image", [])) for objects, _trace in images) == 2
    assert handed.count(pdfium.raw.FPDF_PAGEOBJ_IMAGE) == 2
    handed.clear()
    _read(FIXTURES / "corpus-wide-pages" / "yt-xinfang-2026-bmys-p12.pdf", native=True, monkeypatch=monkeypatch)
    assert pdfium.raw.FPDF_PAGEOBJ_TEXT in handed


@needs_extension
def test_an_error_of_the_python_branch_leaves_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """PageNeedsPdfminer raised for an object handed back leaves the C walk (no crash, no
    half-read page), here from inside a Form XObject."""

    def refuse(*_args: Any) -> Any:
        raise reader.PageNeedsPdfminer("refused by the test")

    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    monkeypatch.setattr(reader.PdfiumPage, "_handed_back", refuse)
    document = pdfium.PdfDocument(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf")
    try:
        with pytest.raises(reader.PageNeedsPdfminer, match="refused by the test"):
            reader.PdfiumPage(document, 22, 0.0)
    finally:
        document.close()


@needs_extension
def test_walking_pages_of_forms_and_paths_again_and_again_keeps_no_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    """References counted right in the walk: pages of paths inside Form XObjects (and an
    image) read 20 times more leave the number of allocated blocks where it was (a leak of
    one object a path or text object would add tens of thousands)."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    shenji = pdfium.PdfDocument(FIXTURES / "corpus-wide-pages" / "sz-shenji-2026-bmys-p13-p21-p22-p24.pdf")
    renda = pdfium.PdfDocument(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf")
    try:
        def read() -> int:
            return sum(len(objs) for page in (reader.PdfiumPage(shenji, 1, 0.0), reader.PdfiumPage(renda, 22, 0.0)) for objs in page.objects.values())

        assert read() > 600
        gc.collect()
        before = sys.getallocatedblocks()
        for _ in range(20):
            read()
        gc.collect()
        assert sys.getallocatedblocks() - before < 500
    finally:
        shenji.close()
        renda.close()


def _fixed_both_ways(chars: list[dict[str, Any]], height: float, offset: float, doctop: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Copies of the characters with their boxes fixed by the Python loop and by the C one,
    and how many characters the C loop handed back to Python."""
    from yusuan.extract import pdf as layout

    python, native = copy.deepcopy(chars), copy.deepcopy(chars)
    layout._fix_glyph_boxes(python, height, offset, doctop)
    handed: list[int] = []

    def one(char: dict[str, Any]) -> None:
        handed.append(1)
        layout._fix_glyph_boxes([char], height, offset, doctop)

    pdfium_native.fix_glyph_boxes(native, height, offset, doctop, layout.ASCENT, one)
    return python, native, len(handed)


@needs_extension
@pytest.mark.parametrize("name", ["cq-jingxin-2026-bmys-p28.pdf", "cq-shangwu-2026-bmys-p16-p17.pdf", "yt-xinfang-2026-bmys-p4.pdf"])
def test_glyph_boxes_fixed_in_c_as_in_python(name: str) -> None:
    """pdf.fix_glyph_boxes's loop in C gives the Python loop's characters, bit for bit, on
    pages of both readers: the 重庆 pages (fonts whose descent is the whole size: boxes
    rebuilt) read by pdfminer, a page whose pdfminer matrices are ints (handed back to the
    Python loop), and PDFium's characters of the same pages."""
    import pdfplumber

    from yusuan.extract import pdf as layout

    path = FIXTURES / "corpus-wide-pages" / name
    changed = handed_back = 0
    with pdfplumber.open(path) as document:
        for page in document.pages:
            layout.normalize_media_box(page)
            python, native, handed = _fixed_both_ways(page.chars, page.height, page.mediabox[1], page.initial_doctop)
            _same(python, native)
            changed += sum(a != b for a, b in zip(page.chars, native, strict=True))
            handed_back += handed
    pdfium_document = pdfium.PdfDocument(path)
    try:
        for number in range(1, len(pdfium_document) + 1):
            try:
                page = reader.PdfiumPage(pdfium_document, number, 100.5)
            except reader.PageNeedsPdfminer:
                continue
            python, native, handed = _fixed_both_ways(page.chars, page.height, page.mediabox[1], page.initial_doctop)
            _same(python, native)
            assert handed == 0  # PDFium's characters are floats
    finally:
        pdfium_document.close()
    if name.startswith("cq-"):
        assert changed > 100
    else:
        assert handed_back > 400


@needs_extension
def test_glyph_boxes_fixed_in_c_on_odd_characters() -> None:
    """The C loop's tests in the Python loop's order on characters made to reach each of
    them: boxes rebuilt or not at the edge, no matrix, not upright, turned, mirrored, NaN,
    ints, a missing size."""
    base = {"matrix": (10.0, 0.0, 0.0, 10.0, 50.0, 700.0), "upright": True, "size": 10.0, "top": 95.0, "bottom": 105.0, "doctop": 95.0, "y0": 695.0, "y1": 705.0}
    baseline = 792.0 - 700.0  # 92: rebuilt where top > 92 - 5
    odd: list[dict[str, Any]] = [
        base,
        {**base, "top": 87.0},
        {**base, "top": math.nextafter(87.0, math.inf)},
        {**base, "top": 80.0},
        {key: value for key, value in base.items() if key != "matrix"},
        {**base, "matrix": None},
        {**base, "upright": False},
        {key: value for key, value in base.items() if key != "upright"},
        {**base, "matrix": (0.0, 10.0, -10.0, 0.0, 50.0, 700.0)},
        {**base, "matrix": (-10.0, 0.0, 0.0, 10.0, 50.0, 700.0)},
        {**base, "matrix": (10.0, -0.0, 0.0, 10.0, 50.0, 700.0)},
        {**base, "matrix": (10.0, 0.0, 0.0, 10.0, 50.0, math.nan)},
        {**base, "top": math.nan},
        {**base, "matrix": (10, 0, 0, 10, 50, 700)},
        {key: value for key, value in base.items() if key != "size"} | {"upright": False},
    ]
    python, native, handed = _fixed_both_ways(odd, 792.0, 0.0, 1000.0)
    _same(python, native)
    assert handed == 3  # a matrix None, a matrix of ints, no size: the Python loop
    assert python[0]["top"] == baseline - 0.8 * 10.0 and python[3] == odd[3] and python[1] == odd[1]
