"""The alignment of a page's text objects with its operators, and the proof of its characters
against them, made with fewer calls per operator and per character (stop 28, issue 14):
the same answers as the code before, kept here as the oracle.

``aligned_operators`` proves a PDFium font against its operator's dictionary once per pair
and page, looks a resource name up again only when the operator's font changes, and asks
``DictFont`` for remembered first texts; ``same_as_operators`` reads codes, texts and widths
remembered by ``DictFont``; ``PdfiumPage._operator_reads`` asks an object's facts and descent
once per run of its characters; the first text page index of each object is taken from the
reader's trace (``traced_first_indexes``) once every character is read. Each is compared
with the code it replaced on every page of the fixture PDFs that open pdfminer's fonts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfminer.pdffont import PDFUnicodeNotDefined

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_aligned
from yusuan.extract import pdfium_calls as calls
from yusuan.extract.pdfium_aligned import Aligned, NotProved, Read, SpaceLeftOut
from yusuan.extract.pdfium_content import Show
from yusuan.extract.pdfium_fonts import DictFont, DictFonts, bare_name, first_text, mapped_codes
from yusuan.extract.pdfium_missing import page_shows, text_object_addresses

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = FIXTURES / "corpus"
# the fixture PDFs with fonts not embedded (the pages that open pdfminer's fonts)
PDFS = [
    *sorted((FIXTURES / "corpus-wide-pages").glob("*.pdf")),
    CORPUS / "05_js-shengweiban-2018-bmys" / "narrative.pdf",
    CORPUS / "09_js-jianchayuan-2018-bmys" / "bmys.pdf",
    CORPUS / "11_js-gaoyuan-2018-bmys" / "bmys.pdf",
]


# --- the code before (stop 27), the oracle -------------------------------------------------


def _old_first_text(font: DictFont, show: Show) -> str | None:
    for string in show.strings:
        for cid in font.font.decode(string):
            try:
                return font.font.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
                return None
    return None


def _old_aligned_operators(
    fonts: DictFonts,
    number: int,
    page: Any,
    textpage: Any,
    first_index: dict[int, int],
    object_facts: Callable[[int], tuple[Any, int, bool]],
    base_name: Callable[[Any], bytes],
) -> Aligned:
    shows = page_shows(fonts, number)
    addresses = text_object_addresses(page)
    if len(addresses) != len(shows):
        raise NotProved("not one operator per text object")
    aligned: Aligned = {}
    pairs: dict[int, int] = {}
    reverse: dict[int, int] = {}
    for address, show in zip(addresses, shows, strict=True):
        font_dict = fonts.resource_font(show.resources, show.font)
        font, key, embedded = object_facts(address)
        if font_dict is None:
            raise NotProved("an operator's font is not read")
        if (
            pairs.setdefault(key, id(font_dict.font)) != id(font_dict.font)
            or reverse.setdefault(id(font_dict.font), key) != key
        ):
            raise NotProved("a text object's font is not its operator's")
        if not embedded and (not font or bare_name(base_name(font)) not in font_dict.names):
            raise NotProved("a text object's font is not its operator's")
        index = first_index.get(address)
        if index is not None:
            code = calls.text_unicode(textpage, index)
            code = 0x2D if code == 0x02 else code
            expected = _old_first_text(font_dict, show)
            if not expected or ord(expected[0]) != code:
                raise NotProved("a text object's first character is not its operator's")
        aligned[address] = (show, font_dict)
    return aligned


def _old_codes(show: Show, font_dict: DictFont) -> list[tuple[int, str, float]]:
    font = font_dict.font
    codes: list[tuple[int, str, float]] = []
    pending = 0.0
    for item in show.items:
        if isinstance(item, float):
            pending += item
            continue
        for cid in font.decode(item):
            try:
                codes.append((cid, font.to_unichr(cid), pending))
            except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
                raise NotProved("a code pdfminer does not map") from None
            pending = 0.0
    return codes


def _old_check(font_dict: DictFont, show: Show, cid: int, text: str, read: Read) -> None:
    found_text, size, advance, descent = read[:4]
    if found_text != text or abs(size - show.size) > pdfium_aligned.TOLERANCE:
        raise NotProved("a character is not the operator's")
    if (
        abs(advance - font_dict.font.char_width(cid) * size) > pdfium_aligned.TOLERANCE
        or abs(descent - font_dict.descent() * size) > pdfium_aligned.TOLERANCE
    ):
        raise NotProved("a character's width or descent is not the dictionary's")


def _old_spaces_left_out(
    show: Show, font_dict: DictFont, codes: list[tuple[int, str, float]], found: list[Read]
) -> list[SpaceLeftOut]:
    font = font_dict.font
    spaces: list[SpaceLeftOut] = []
    at = 0
    origin: tuple[float, float] | None = None
    for k, (cid, text, adjust) in enumerate(codes):
        if k:
            before_cid = codes[k - 1][0]
            step = (
                font.char_width(before_cid) * show.size
                + show.char_space
                - adjust * show.size / 1000
            )
            if before_cid == 32 and not font_dict.multibyte:
                step += show.word_space
            a, b = found[0][6], found[0][7]
            assert origin is not None
            origin = (origin[0] + step * a, origin[1] + step * b)
        if at < len(found) and found[at][0] == text:
            read = found[at]
            _old_check(font_dict, show, cid, text, read)
            if read[6:8] != found[0][6:8]:
                raise NotProved("the characters of a text object on different baselines")
            if origin is not None and (
                abs(read[4] - origin[0]) > pdfium_aligned.PLACED
                or abs(read[5] - origin[1]) > pdfium_aligned.PLACED
            ):
                raise NotProved("a character is not where the operator puts it")
            origin = (read[4], read[5])
            at += 1
        elif k and text == " " and codes[k - 1][1] == " ":
            assert origin is not None
            size = show.size
            spaces.append(
                SpaceLeftOut(
                    at,
                    origin[0],
                    origin[1],
                    size,
                    font.char_width(cid) * size,
                    font_dict.descent() * size,
                )
            )
        else:
            raise NotProved("the text page left out a character other than a space after a space")
    if at != len(found):
        raise NotProved("the text page has characters the operator does not show")
    return spaces


def _old_same_as_operators(
    aligned: Aligned, chars: dict[int, list[Read]]
) -> dict[int, list[SpaceLeftOut]]:
    left_out: dict[int, list[SpaceLeftOut]] = {}
    for address, found in chars.items():
        entry = aligned.get(address)
        if entry is None:
            raise NotProved("a character outside the page's text objects")
        show, font_dict = entry
        if font_dict.font.is_vertical() or show.scaling != 100.0:
            raise NotProved("a text object written vertically or scaled")
        if (
            show.carried_char_space
            or (show.leading_number and show.char_space)
            or (show.word_space and font_dict.multibyte)
        ):
            raise NotProved("a text object placed otherwise by pdfminer")
        codes = _old_codes(show, font_dict)
        if len(codes) == len(found):
            for (cid, text, _adjust), read in zip(codes, found, strict=True):
                _old_check(font_dict, show, cid, text, read)
        else:
            spaces = _old_spaces_left_out(show, font_dict, codes, found)
            if spaces:
                left_out[address] = spaces
    return left_out


def _old_operator_reads(
    page: reader.PdfiumPage, by_object: dict[int, list[Any]]
) -> tuple[dict[int, list[Read]], dict[int, tuple[float, float, float, float]]]:
    read: dict[int, list[Read]] = {}
    linear_of: dict[int, tuple[float, float, float, float]] = {}
    for address, x, y, advance, linear, size, _space, _object, _index in page._trace:
        found = read.setdefault(address, [])
        char = by_object[address][len(found)]
        font = page._object_facts(address)[0] if address else None
        found.append(
            (
                char["text"],
                size,
                advance,
                page._descent(font, size) if font else 0.0,
                x,
                y,
                linear[0],
                linear[1],
            )
        )
        linear_of.setdefault(address, linear)
    return read, linear_of


# --- the comparisons ---------------------------------------------------------------------


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "answer", call()
    except NotProved as exc:
        return "not proved", str(exc)


def _changed(
    first: dict[int, int],
    facts: Callable[[int], tuple[Any, int, bool]],
    base_name: Callable[[Any], bytes],
) -> list[tuple[Any, ...]]:
    """The alignment's arguments changed so that it is refused: another first character of
    every object, one PDFium font for every object, another name of every font."""

    def one_font(address: int) -> tuple[Any, int, bool]:
        font, _key, embedded = facts(address)
        return font, 1, embedded

    return [
        ({address: index + 1 for address, index in first.items()}, facts, base_name),
        (first, one_font, base_name),
        (first, facts, lambda font: b"NoSuchFont"),
    ]


def _comparable(outcome: tuple[str, Any]) -> tuple[str, Any]:
    """An alignment's outcome to compare: the refusal's message, or each object's operator
    (each implementation reads the operators anew: by value) and its font dictionary (one
    per document: by identity)."""
    kind, found = outcome
    if kind == "not proved":
        return outcome
    return kind, {address: (show, id(font_dict)) for address, (show, font_dict) in found.items()}


@pytest.fixture
def compared(monkeypatch):
    """Every alignment, operator proof and operator read the reader makes, each also made by
    the code before on the same arguments; counts of what was compared."""
    counts = {
        "aligned": 0,
        "proved": 0,
        "not proved": 0,
        "traced": 0,
        "same_as_operators": 0,
        "reads": 0,
        "pages": 0,
    }
    new_aligned, new_same, new_reads = (
        reader.aligned_operators,
        reader.same_as_operators,
        reader.PdfiumPage._operator_reads,
    )
    new_traced = reader.traced_first_indexes

    def traced_first_indexes(trace):
        counts["traced"] += 1
        return new_traced(trace)

    def aligned_operators(fonts, number, page, textpage, first, facts, base_name):
        expected_first = reader.first_indexes(textpage)
        assert first == expected_first, "the trace's first indexes are the text page's"
        # the new code first: the fonts it remembers must not change the old code's answer
        mine = _outcome(lambda: new_aligned(fonts, number, page, textpage, first, facts, base_name))
        theirs = _outcome(
            lambda: _old_aligned_operators(
                fonts, number, page, textpage, expected_first, facts, base_name
            )
        )
        assert _comparable(mine) == _comparable(theirs)
        counts["aligned"] += 1
        counts["proved" if mine[0] == "answer" else "not proved"] += 1
        for changed in _changed(first, facts, base_name):  # the same refusals as before
            arguments = (fonts, number, page, textpage, *changed)
            mine_changed = _outcome(lambda arguments=arguments: new_aligned(*arguments))
            assert _comparable(mine_changed) == _comparable(
                _outcome(lambda arguments=arguments: _old_aligned_operators(*arguments))
            )
            counts["not proved"] += mine_changed[0] == "not proved"
        if mine[0] == "not proved":
            raise NotProved(mine[1])
        return mine[1]

    def same_as_operators(aligned, read):
        mine = _outcome(lambda: new_same(aligned, read))
        assert mine == _outcome(lambda: _old_same_as_operators(aligned, read))
        counts["same_as_operators"] += 1
        if mine[0] == "not proved":
            raise NotProved(mine[1])
        return mine[1]

    def operator_reads(self, by_object):
        mine = new_reads(self, by_object)
        assert mine == _old_operator_reads(self, by_object)
        counts["reads"] += 1
        return mine

    monkeypatch.setattr(reader, "traced_first_indexes", traced_first_indexes)
    monkeypatch.setattr(reader, "aligned_operators", aligned_operators)
    monkeypatch.setattr(reader, "same_as_operators", same_as_operators)
    monkeypatch.setattr(reader.PdfiumPage, "_operator_reads", operator_reads)
    return counts


def _read_every_page(path: Path, counts: dict[str, int]) -> None:
    document, fonts = pdfium.PdfDocument(path), DictFonts(path)
    try:
        for number in range(1, len(document) + 1):
            with contextlib.suppress(reader.PageNeedsPdfminer):
                reader.PdfiumPage(document, number, 0.0, fonts)
            counts["pages"] += 1
    finally:
        fonts.close()
        document.close()


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_the_alignment_and_the_proof_are_the_code_befores(path: Path, compared):
    _read_every_page(path, compared)
    assert compared["pages"]


def test_the_fixtures_reach_every_comparison(compared):
    for path in PDFS:
        _read_every_page(path, compared)
    assert compared["proved"] > 20 and compared["not proved"] > 0
    assert compared["traced"] > 10, "the first indexes are taken from the trace on most pages"
    assert compared["same_as_operators"] > 5 and compared["reads"] > 5


def _every_font(path: Path) -> list[DictFont]:
    fonts = DictFonts(path)
    try:
        return [
            font
            for number in range(1, len(fonts._document_pages()) + 1)
            for font in fonts.page_fonts(number)
        ]
    finally:
        fonts.close()


def _strings_of(_font: DictFont) -> list[bytes]:
    """Strings of one and two bytes of every code the font maps, and some it does not."""
    one = [bytes((b,)) for b in range(256)]
    two = [bytes((a, b)) for a in (0x00, 0x20, 0x4E, 0xB1, 0xD5, 0xFF) for b in range(0, 256, 7)]
    return [*one, *two, b"", b"\x00\x00\x00", b"ab", b"\xa3\xa8\xa3\xa9"]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_remembered_codes_texts_and_widths_are_pdfminers(path: Path):
    fonts = _every_font(path)
    assert fonts
    for font in fonts:
        for _twice in range(2):
            for string in _strings_of(font):
                assert font.mapped(string) == mapped_codes(font.font, string)
                assert font.first_text((string,)) == _old_first_text(
                    font, Show("F", None, 1.0, (string,), False, 100.0, 0.0, 0.0)
                )
                assert font.first_text((b"", string)) == first_text(font.font, (b"", string))
                codes = mapped_codes(font.font, string) or ()
                for cid, _text in codes:
                    assert font.char_width(cid) == font.font.char_width(cid)
            for cid in (0, 1, 32, 0x4E00, 0xFFFF, 70000):
                assert font.char_width(cid) == font.font.char_width(cid)


def test_an_unmapped_code_maps_nothing_and_is_remembered_so():
    font, unmapped = next(
        (font, string)
        for path in PDFS
        for font in _every_font(path)
        for string in _strings_of(font)
        if string and mapped_codes(font.font, string) is None
    )
    assert font.mapped(unmapped) is None and unmapped in font.mapped_strings
    assert font.first_text((unmapped,)) is None
