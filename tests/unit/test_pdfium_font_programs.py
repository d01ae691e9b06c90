"""The fonts DictFonts makes without inflating a TrueType program pdfminer would not read.

``pdfium_fonts.unread_font_program`` lets pdfminer make a CID font whose ``/FontFile2`` is
never read (it has a ``/ToUnicode``) without decoding that program. The oracle is pdfminer's
own ``get_font`` on a fresh parse of the same file, with its own CMap parser: every font
dictionary of every page of the fixture PDFs is made both ways and must be the same font
(kind, names, metrics, widths, CMaps, Unicode map, the program stream's bytes when asked).
The edge cases are dictionaries written here: each condition under which the program is
still decoded as before, and the stream put back undecoded when the font cannot be made.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from benchmarks.font_programs_equal import Compared, compare
from yusuan.core.limits import current, using
from yusuan.extract.pdf_stream_scan import DEFLATE_MAX_RATIO
from yusuan.extract.pdfium_fonts import idle_font_program, unread_font_program

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_every_font_of_the_fixture_pdfs_is_made_as_pdfminer_makes_it():
    total = Compared()
    for path in sorted(FIXTURES.rglob("*.pdf")):
        total.add(compare(path))
    assert not total.differences, total.differences[:5]
    assert total.made > 200 and total.unread > 100, (total.made, total.unread)


def _program(data: bytes = b"\x00\x01\x00\x00" + bytes(40), **attrs: Any) -> PDFStream:
    raw = zlib.compress(data)
    return PDFStream({"Filter": LIT("FlateDecode"), "Length": len(raw), **attrs}, raw)


def _type0(
    program: PDFStream, *, tounicode: bool = True, subtype: str = "CIDFontType2"
) -> dict[str, Any]:
    descendant = {
        "Type": LIT("Font"),
        "Subtype": LIT(subtype),
        "BaseFont": LIT("SimSun"),
        "CIDSystemInfo": {"Registry": b"Adobe", "Ordering": b"Identity", "Supplement": 0},
        "FontDescriptor": {"FontName": LIT("SimSun"), "Descent": -141, "FontFile2": program},
        "W": [1, [500, 600]],
        "DW": 1000,
    }
    spec: dict[str, Any] = {
        "Type": LIT("Font"),
        "Subtype": LIT("Type0"),
        "BaseFont": LIT("SimSun"),
        "Encoding": LIT("Identity-H"),
        "DescendantFonts": [descendant],
    }
    if tounicode:
        spec["ToUnicode"] = PDFStream({}, b"1 beginbfchar <0001> <4E00> endbfchar")
    return spec


def test_a_type0_font_with_tounicode_is_made_without_decoding_its_program():
    program = _program()
    spec = _type0(program)
    assert idle_font_program(spec) is program
    with unread_font_program(spec):
        font = PDFResourceManager().get_font(None, spec)
    assert program.data is None and program.rawdata is not None
    assert font.to_unichr(1) == "\u4e00" and font.char_width(2) == 0.6
    assert font.fontfile.get_data() == b"\x00\x01\x00\x00" + bytes(40)


def test_a_cid_font_of_its_own_with_tounicode_is_made_without_decoding_its_program():
    program = _program()
    spec = dict(_type0(program)["DescendantFonts"][0], ToUnicode=PDFStream({}, b""))
    assert idle_font_program(spec) is program


@pytest.mark.parametrize(
    "change",
    [
        "no ToUnicode",
        "a predictor",
        "two filters",
        "another filter",
        "decoded already",
        "encrypted",
        "past the stream limit's bound",
        "not a CID descendant",
        "no descendant list",
        "not a stream",
    ],
)
def test_a_program_is_decoded_as_before_where_reading_it_is_not_ruled_out(change: str):
    program = _program()
    spec = _type0(
        program,
        tounicode=change != "no ToUnicode",
        subtype="Type1" if change == "not a CID descendant" else "CIDFontType2",
    )
    if change == "a predictor":
        program.attrs["DecodeParms"] = {"Predictor": 12, "Columns": 4}
    elif change == "two filters":
        program.attrs["Filter"] = [LIT("FlateDecode"), LIT("FlateDecode")]
    elif change == "another filter":
        program.attrs["Filter"] = LIT("ASCIIHexDecode")
    elif change == "decoded already":
        program.get_data()
    elif change == "encrypted":
        program.set_objid(7, 0)
        program.decipher = lambda objid, genno, data, attrs: data
    elif change == "no descendant list":
        spec["DescendantFonts"] = spec["DescendantFonts"][0]
    elif change == "not a stream":
        spec["DescendantFonts"][0]["FontDescriptor"]["FontFile2"] = b"not a stream"
    limits = current()
    if change == "past the stream limit's bound":
        limits = replace(limits, max_stream_bytes=len(program.rawdata) * DEFLATE_MAX_RATIO - 1)
    with using(limits):
        assert idle_font_program(spec) is None


def test_a_program_just_within_the_bound_is_left_undecoded():
    program = _program()
    limits = replace(current(), max_stream_bytes=len(program.rawdata) * DEFLATE_MAX_RATIO)
    with using(limits):
        assert idle_font_program(_type0(program)) is program


def test_the_program_is_put_back_undecoded_when_the_font_cannot_be_made():
    program = _program()
    spec = _type0(program)
    del spec["DescendantFonts"][0]["CIDSystemInfo"]
    spec["DescendantFonts"][0]["CIDSystemInfo"] = {
        "Registry": 5
    }  # int has no decode: pdfminer raises
    with pytest.raises(AttributeError), unread_font_program(spec):
        PDFResourceManager().get_font(None, spec)
    assert program.data is None and program.rawdata is not None
    assert program.get_data() == b"\x00\x01\x00\x00" + bytes(40)


def test_a_broken_dictionary_is_left_to_pdfminer():
    assert idle_font_program({"Subtype": LIT("Type0"), "DescendantFonts": [None]}) is None
    assert idle_font_program("not a dictionary") is None
    assert (
        idle_font_program(
            {
                "Subtype": LIT("Type0"),
                "DescendantFonts": [{"Subtype": LIT("CIDFontType2"), "FontDescriptor": 3}],
                "ToUnicode": 1,
            }
        )
        is None
    )


def _truetype_mapping(code: int, gid: int) -> bytes:
    """A TrueType file of one table, a cmap (Windows Unicode, format 6) mapping ``code`` to
    glyph ``gid``: what pdfminer reads a font's Unicode from when it has no ToUnicode."""
    subtable = struct.pack(">HHHHHH", 6, 12, 0, code, 1, gid)
    cmap = struct.pack(">HHHHL", 0, 1, 3, 1, 12) + subtable
    return (
        b"\x00\x01\x00\x00"
        + struct.pack(">HHHH", 1, 0, 0, 0)
        + struct.pack(">4sLLL", b"cmap", 0, 28, len(cmap))
        + cmap
    )


def test_a_font_without_tounicode_reads_its_unicode_from_its_program_as_before():
    data = _truetype_mapping(0x4E00, 1)
    oracle = PDFResourceManager().get_font(None, _type0(_program(data), tounicode=False))
    assert oracle.to_unichr(1) == "\u4e00"
    program = _program(data)
    spec = _type0(program, tounicode=False)
    with unread_font_program(spec):
        font = PDFResourceManager().get_font(None, spec)
    assert font.to_unichr(1) == "\u4e00" and program.data == data
