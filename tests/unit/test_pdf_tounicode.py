"""pdf_tounicode reads a ToUnicode CMap into the map pdfminer's CMapParser makes of it.

The oracle is pdfminer's own parser: every CMap here, written by hand for each rule of the
plain subset and each way out of it, cut at every byte, changed at random, and every
ToUnicode CMap of the fixture PDFs, is read by both into fresh maps, which must be equal
(``attrs`` and ``cid2unichr``, or the same error). ``benchmarks/tounicode_equal.py`` does the
same over both corpora.
"""

from __future__ import annotations

import random
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pdfminer.cmapdb import CMapParser, FileUnicodeMap

from benchmarks.tounicode_equal import tounicode_streams
from yusuan.extract import pdf_tounicode
from yusuan.extract.pdf_tounicode import FastCMapParser, fast_tounicode, read_plain
from yusuan.extract.pdfium_fonts import DictFonts

FIXTURES = Path(__file__).parents[1] / "fixtures"

WORD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0003> <0020>
<0011> <002E>
<01F4> <9884>
endbfchar
2 beginbfrange
<0013> <001C> <0030>
<0024> <0026> [<0041> <0042> <D83DDE00>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""

WRITTEN = {
    "word": WORD,
    "no end of line after the last keyword": WORD.rstrip(),
    "ends right after endbfchar": b"begincmap 1 beginbfchar <01> <0041> endbfchar",
    "ends right after endbfchar and a space": b"begincmap 1 beginbfchar <01> <0041> endbfchar ",
    "ends inside a name": b"begincmap /CMapName /Ab",
    "no begincmap": b"1 beginbfchar <01> <0041> endbfchar\n",
    "a non-breaking space after a space": b"2 beginbfchar <01> <0020> <01> <00A0> endbfchar\n",
    "a space after a non-breaking space": b"2 beginbfchar <01> <00A0> <01> <0020> endbfchar\n",
    "hex strings with white space inside": b"1 beginbfchar <0 1> <00\n41> endbfchar\n",
    "an odd hex string": b"1 beginbfchar <012> <0041> endbfchar\n",
    "an empty hex string": b"2 beginbfchar <> <0041> <02> <> endbfchar\n",
    "lower-case hex": b"1 beginbfrange <00fe> <0101> <00e0> endbfrange\n",
    "a range over a byte's end": b"1 beginbfrange <00FE> <0102> <00FF> endbfrange\n",
    "a range with a prefix": b"1 beginbfrange <01> <03> <0041D83DDE00> endbfrange\n",
    "a range past 32 bits": b"1 beginbfrange <01> <03> <FFFFFFFF> endbfrange\n",
    "a range array shorter than the range": b"1 beginbfrange <01> <03> [<0041> <0042>] endbfrange\n",
    "a range of different lengths": b"1 beginbfrange <01> <0003> <0041> endbfrange\n",
    "a range of a number": b"1 beginbfrange 1 <03> <0041> endbfrange\n",
    "a range to a name": b"1 beginbfrange <01> <01> /A endbfrange\n",
    "a range array of names": b"1 beginbfrange <01> <02> [/A /B] endbfrange\n",
    "a char entry of a number": b"2 beginbfchar 1 <0041> <02> <0042> endbfchar\n",
    "an odd count of char entries": b"3 beginbfchar <01> <0041> <02> endbfchar\n",
    "a comment in a block": b"2 beginbfchar <01> <0041> % a note\n<02> <0042> endbfchar\n",
    "a comment at the end": b"1 beginbfchar <01> <0041> endbfchar\n% the end",
    "keywords after endcmap": b"begincmap endcmap 1 beginbfchar <01> <0041> endbfchar begincmap 1 beginbfchar <02> <0042> endbfchar\n",
    "def with one operand": b"begincmap /CMapType def\n",
    "def after other keywords": b"begincmap /CMapType 2 dict begin def\n",
    "a name with #": b"/CMap#20Name /X def\n",
    "a name not UTF-8": b"/\xff\xfe /X def\n",
    "a name of UTF-8": b"/\xe5\xad\x97 /X def\n",
    "an empty name": b"/ /X def\n",
    "a string with an escape": b"/Registry (Ad\\)obe) def\n",
    "a string with parentheses": b"/Registry (Ad(o)be) def\n",
    "a number with a sign": b"/Supplement -1 def\n",
    "a number with a point": b"/Supplement 1.5 def\n",
    "a number before a keyword": b"12dict begin /CMapType 2 def\n",
    "true": b"/Vertical true def\n",
    "braces": b"/Proc {1 2} def\n",
    "usecmap": b"/Identity-H usecmap\n1 beginbfchar <01> <0041> endbfchar\n",
    "a cid range": b"1 begincidrange <01> <03> 5 endcidrange\n",
    "a cid char": b"1 begincidchar <01> 5 endcidchar\n",
    "a zero byte": b"1 beginbfchar <01>\x00<0041> endbfchar\n",
    "a hex string closing a dictionary": b"/Info << /A <00>>> def\n",
    "a dictionary of an odd count": b"/Info << /A >> def\n",
    "nested arrays": b"1 beginbfrange <01> <02> [[<0041>] <0042>] endbfrange\n",
    "a keyword in an array": b"1 beginbfrange <01> <02> [<0041> x <0042>] endbfrange\n",
    "an unclosed array": b"1 beginbfrange <01> <02> [<0041> <0042> endbfrange\n",
    "a closing bracket alone": b"] 1 beginbfchar <01> <0041> endbfchar\n",
    "notdef ranges": b"1 beginnotdefrange <00> <1F> 1 endnotdefrange 1 beginbfchar <01> <0041> endbfchar\n",
    "empty": b"",
    "only white space": b" \r\n\t\x0c",
}


def _read(parser: Any, data: bytes) -> tuple[Any, ...]:
    cmap = FileUnicodeMap()
    try:
        parser(cmap, BytesIO(data)).run()
    except Exception as exc:  # noqa: BLE001 - both parsers must raise the same
        return ("error", type(exc).__name__, str(exc))
    return (cmap.attrs, cmap.cid2unichr)


def _plain(data: bytes) -> bool:
    try:
        read_plain(data)
    except Exception:  # noqa: BLE001 - NotPlain, or an error pdfminer's parser raises again
        return False
    return True


@pytest.mark.parametrize("data", WRITTEN.values(), ids=WRITTEN.keys())
def test_a_written_cmap_is_read_as_pdfminer_reads_it(data: bytes):
    assert _read(FastCMapParser, data) == _read(CMapParser, data)


def test_the_plain_subset_is_read_without_pdfminers_parser():
    plain = {name for name, data in WRITTEN.items() if _plain(data)}
    assert {
        "word",
        "no end of line after the last keyword",
        "ends right after endbfchar",
        "ends inside a name",
        "a non-breaking space after a space",
        "a space after a non-breaking space",
        "a comment in a block",
        "keywords after endcmap",
        "a name not UTF-8",
        "a number before a keyword",
    } <= plain
    assert not plain & {
        "an odd hex string",
        "a name with #",
        "a string with an escape",
        "true",
        "braces",
        "usecmap",
        "a cid range",
        "a zero byte",
        "a hex string closing a dictionary",
        "a keyword in an array",
        "a range array shorter than the range",
        "def with one operand",
        "a range past 32 bits",
    }


def test_the_word_cmap_maps_as_written():
    cmap = read_plain(WORD)
    assert cmap.cid2unichr == {
        3: " ",
        0x11: ".",
        0x1F4: "预",
        **{0x13 + i: str(i) for i in range(10)},
        0x24: "A",
        0x25: "B",
        0x26: "\U0001f600",
    }
    assert cmap.attrs["CMapType"] == 2 and cmap.attrs["CIDSystemInfo"] == {
        "Registry": b"Adobe",
        "Ordering": b"UCS",
        "Supplement": 0,
    }


@pytest.mark.parametrize(
    "name", ["word", "keywords after endcmap", "a comment in a block", "a range with a prefix"]
)
def test_a_cmap_cut_at_every_byte_is_read_as_pdfminer_reads_it(name: str):
    data = WRITTEN[name]
    for cut in range(len(data) + 1):
        assert _read(FastCMapParser, data[:cut]) == _read(CMapParser, data[:cut]), cut


def test_cmaps_changed_at_random_are_read_as_pdfminer_reads_them():
    pieces = [
        b" ",
        b"\n",
        b"<",
        b">",
        b"<<",
        b">>",
        b"[",
        b"]",
        b"(",
        b")",
        b"/",
        b"#",
        b"%",
        b"0",
        b"7F",
        b"endbfchar",
        b"beginbfrange",
        b"def",
        b"endcmap",
        b"begincmap",
        b"\x00",
        b"\\",
    ]
    rng = random.Random(25)
    sources = [
        WRITTEN[name] for name in ("word", "keywords after endcmap", "a range with a prefix")
    ]
    for _ in range(1500):
        data = bytearray(rng.choice(sources))
        for _change in range(rng.randint(1, 3)):
            at = rng.randrange(len(data) + 1)
            if rng.random() < 0.5 and at < len(data):
                del data[at : at + rng.randint(1, 4)]
            else:
                data[at:at] = rng.choice(pieces)
        assert _read(FastCMapParser, bytes(data)) == _read(CMapParser, bytes(data)), bytes(data)


def test_every_tounicode_cmap_of_the_fixture_pdfs_is_read_as_pdfminer_reads_it():
    count = 0
    for path in sorted(FIXTURES.rglob("*.pdf")):
        for data in tounicode_streams(path):
            assert _read(FastCMapParser, data) == _read(CMapParser, data), path
            count += 1
    assert count > 100


def test_a_map_not_fresh_or_not_a_file_is_read_by_pdfminer(monkeypatch: pytest.MonkeyPatch):
    calls = []
    monkeypatch.setattr(
        pdf_tounicode, "read_plain", lambda data: calls.append(data) or FileUnicodeMap()
    )
    cmap = FileUnicodeMap()
    cmap.cid2unichr[9] = "x"
    FastCMapParser(cmap, BytesIO(WORD)).run()
    assert not calls and cmap.cid2unichr[3] == " " and cmap.cid2unichr[9] == "x"


def test_the_fast_parser_is_put_back_after_the_block():
    import pdfminer.pdffont

    with fast_tounicode():
        assert pdfminer.pdffont.CMapParser is FastCMapParser
    assert pdfminer.pdffont.CMapParser is CMapParser
    with pytest.raises(RuntimeError), fast_tounicode():
        raise RuntimeError
    assert pdfminer.pdffont.CMapParser is CMapParser


def test_fonts_made_by_dictfonts_read_their_cmaps_with_the_fast_parser(
    monkeypatch: pytest.MonkeyPatch,
):
    taken = []
    original = pdf_tounicode.read_plain
    monkeypatch.setattr(
        pdf_tounicode, "read_plain", lambda data: taken.append(data) or original(data)
    )
    path = FIXTURES / "corpus" / "09_js-jianchayuan-2018-bmys" / "bmys.pdf"
    fonts = DictFonts(path)
    try:
        for number in range(1, 4):
            fonts.page_fonts(number)
    finally:
        fonts.close()
    assert taken
