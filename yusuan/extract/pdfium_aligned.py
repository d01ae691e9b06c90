"""PDFium's text objects of a page aligned with the text-showing operators of its content,
proved, and what that alignment tells: which font dictionary each PDFium font stands for.

PDFium makes one text object per text-showing operator, in content order, a form's where
it is drawn (pdfium_content). The k-th text object of the page is taken to be the k-th
operator only once that is proved for the whole page:

- the page has as many text objects as operators;
- every object's font is its operator's: over the page, one PDFium font stands for one
  font dictionary and the other way round, and a font not embedded has the dictionary's
  name (PDFium's base name among the names of the dictionary the operator's resource name
  points to; an embedded font's name of non-ASCII bytes PDFium may shorten);
- for an object the text page has, its first character is the one pdfminer reads from the
  operator's first code.

Two uses (pdfium.PdfiumPage): the text objects of a font not embedded that the text page
leaves out are read from their operators (pdfium_missing), and a PDFium font whose name
several differing font dictionaries of the page carry (西安市民政局 2021: a SimSun CID font
of GBK-EUC-H and a SimSun TrueType font, both not embedded) is given the one dictionary
its operators name. The dictionaries cannot be told apart by PDFium's answers (PDFium gives
the base name, no resource name and no character code); the content's operators can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yusuan.extract import pdfium_calls as calls
from yusuan.extract.pdfium_content import Show
from yusuan.extract.pdfium_fonts import DictFont, DictFonts, bare_name
from yusuan.extract.pdfium_missing import NotProved, page_shows, text_object_addresses

# a text object's font (a ctypes pointer or None), its key (address, 0 for none), embedded
ObjectFacts = Callable[[int], tuple[Any, int, bool]]
Aligned = dict[int, tuple[Show, DictFont]]


def aligned_operators(
    fonts: DictFonts, number: int, page: Any, textpage: Any, first_index: dict[int, int], object_facts: ObjectFacts, base_name: Callable[[Any], bytes]
) -> Aligned:
    """Each text object of page ``number`` (by address) with its operator and the operator's
    font dictionary, the alignment proved as the module says. ``first_index`` gives the text
    page index of the first character of each object the text page has (generated
    characters left out). Raises NotProved."""
    shows = page_shows(fonts, number)
    addresses = text_object_addresses(page)
    if len(addresses) != len(shows):
        raise NotProved("not one operator per text object")
    aligned: Aligned = {}
    pairs: dict[int, int] = {}  # PDFium's font (key) -> pdfminer's font object (id)
    reverse: dict[int, int] = {}
    # the dictionary each PDFium font (key) was last proved against: a pair proved once is
    # proved again (the checks below depend on the two alone), so a page of thousands of
    # operators in a few fonts checks each pair once
    proved: dict[int, DictFont] = {}
    unicode_of, get_index = calls.text_unicode, first_index.get
    looked_up: tuple[Any, Any, DictFont | None] = (None, None, None)  # the last operator's resources, name and font
    for address, show in zip(addresses, shows, strict=True):
        assert show.font is not None  # text_shows keeps only operators with a font
        resources, name, font_dict = looked_up
        if show.resources is not resources or show.font != name:  # consecutive operators mostly share their font
            font_dict = fonts.resource_font(show.resources, show.font)
            looked_up = (show.resources, show.font, font_dict)
        font, key, embedded = object_facts(address)
        if font_dict is None:
            raise NotProved("an operator's font is not read")
        if proved.get(key) is not font_dict:
            _check_font(font_dict, font, key, embedded, pairs, reverse, base_name)
            proved[key] = font_dict
        index = get_index(address)
        if index is not None:
            code = unicode_of(textpage, index)
            code = 0x2D if code == 0x02 else code
            expected = font_dict.first_text(show.strings)
            if not expected or ord(expected[0]) != code:
                raise NotProved("a text object's first character is not its operator's")
        aligned[address] = (show, font_dict)
    return aligned


def _check_font(font_dict: DictFont, font: Any, key: int, embedded: bool, pairs: dict[int, int], reverse: dict[int, int], base_name: Callable[[Any], bytes]) -> None:
    """A text object's font (PDFium's ``font``, its ``key``) may be its operator's dictionary:
    one PDFium font for one font dictionary, both ways, over the whole page (``pairs`` and
    ``reverse`` hold the page's pairs so far), and for a font not embedded the dictionary's
    name (PDFium may shorten an embedded font's name of non-ASCII bytes). Raises NotProved."""
    if pairs.setdefault(key, id(font_dict.font)) != id(font_dict.font) or reverse.setdefault(id(font_dict.font), key) != key:
        raise NotProved("a text object's font is not its operator's")
    if not embedded and (not font or bare_name(base_name(font)) not in font_dict.names):
        raise NotProved("a text object's font is not its operator's")


def fonts_by_key(aligned: Aligned, object_facts: ObjectFacts) -> dict[int, DictFont]:
    """The font dictionary each PDFium font of the page (by key) stands for, from a proved
    alignment (one dictionary per font: the alignment proved it)."""
    return {object_facts(address)[1]: font_dict for address, (_show, font_dict) in aligned.items()}


# a character of the text page as the reader made it: its text, font size, advance and
# descent (text space at its size), origin (user space) and the direction of its baseline
# (the matrix's a, b: user space per unit of text space at its size)
Read = tuple[str, float, float, float, float, float, float, float]
TOLERANCE = 1e-4  # text space at the font size: PDFium's single precision, far below a glyph's width
PLACED = 1e-3  # pt: an origin of the text page against where the operator puts the character


@dataclass(frozen=True)
class SpaceLeftOut:
    """A space of an operator that PDFium's text page left out (CloseTempLine deletes a space
    whose predecessor is a space), as pdfminer reads it."""

    after: int  # how many of the object's characters in the text page come before it
    x: float  # origin, user space
    y: float
    size: float
    advance: float  # text space at the size
    descent: float  # text space at the size (negative)


def same_as_operators(aligned: Aligned, chars: dict[int, list[Read]]) -> dict[int, list[SpaceLeftOut]]:
    """Every character the text page has is what pdfminer reads from the operators, object
    by object, in order: each one's text pdfminer's Unicode of its code, its size, advance
    (the code's width) and descent the dictionary's. And pdfminer places each where PDFium
    does: no horizontal scaling, no character spacing carried over from the operator
    before or added after a TJ's opening number (pdfminer adds Tc between characters only),
    no word spacing in a font of several bytes per code (pdfminer applies none there,
    PDFium does to a one-byte space). An object the text page left out whole has no
    characters here (the reader's missing objects). The font name is not compared: the
    reader gives every character of an aligned page its dictionary's name
    (PdfiumPage._name_as_pdfminer).

    A code the text page does not have is accepted only where PDFium is known to leave it
    out: a space that follows a space of the operator. It is placed as pdfminer places it,
    from the origin of the code before: plus that code's advance, the character spacing,
    the word spacing after a space of a one-byte font, minus the TJ numbers between the
    two; and every character the text page has after it must stand where the same steps
    put it (within 1/1,000 pt), which proves the steps. Returns the spaces left out, by
    object. Raises NotProved."""
    left_out: dict[int, list[SpaceLeftOut]] = {}
    for address, found in chars.items():
        entry = aligned.get(address)
        if entry is None:
            raise NotProved("a character outside the page's text objects")
        show, font_dict = entry
        if font_dict.font.is_vertical() or show.scaling != 100.0:
            raise NotProved("a text object written vertically or scaled")
        if show.carried_char_space or (show.leading_number and show.char_space) or (show.word_space and font_dict.multibyte):
            raise NotProved("a text object placed otherwise by pdfminer")
        codes = _codes(show, font_dict)
        if len(codes) == len(found):
            for (cid, text, _adjust), read in zip(codes, found, strict=True):
                _check(font_dict, show, cid, text, read)
        else:
            spaces = _spaces_left_out(show, font_dict, codes, found)
            if spaces:
                left_out[address] = spaces
    return left_out


def _codes(show: Show, font_dict: DictFont) -> list[tuple[int, str, float]]:
    """The operator's codes with pdfminer's text of each and the TJ numbers before it."""
    codes: list[tuple[int, str, float]] = []
    pending = 0.0
    for item in show.items:
        if isinstance(item, float):
            pending += item
            continue
        mapped = font_dict.mapped(item)
        if mapped is None:
            raise NotProved("a code pdfminer does not map")
        for cid, text in mapped:
            codes.append((cid, text, pending))
            pending = 0.0
    return codes


def _check(font_dict: DictFont, show: Show, cid: int, text: str, read: Read) -> None:
    """A character of the text page is pdfminer's character of this code. Raises NotProved."""
    found_text, size, advance, descent = read[:4]
    if found_text != text or abs(size - show.size) > TOLERANCE:
        raise NotProved("a character is not the operator's")
    if abs(advance - font_dict.char_width(cid) * size) > TOLERANCE or abs(descent - font_dict.descent() * size) > TOLERANCE:
        raise NotProved("a character's width or descent is not the dictionary's")


def _spaces_left_out(show: Show, font_dict: DictFont, codes: list[tuple[int, str, float]], found: list[Read]) -> list[SpaceLeftOut]:
    """The spaces of the operator the text page left out, placed and proved as
    ``same_as_operators`` says. Raises NotProved."""
    spaces: list[SpaceLeftOut] = []
    at = 0  # characters of the text page matched so far
    origin: tuple[float, float] | None = None
    for k, (cid, text, adjust) in enumerate(codes):
        if k:  # where pdfminer puts this code: from the code before, as render_string steps
            before_cid = codes[k - 1][0]
            step = font_dict.char_width(before_cid) * show.size + show.char_space - adjust * show.size / 1000
            if before_cid == 32 and not font_dict.multibyte:
                step += show.word_space
            a, b = found[0][6], found[0][7]
            assert origin is not None
            origin = (origin[0] + step * a, origin[1] + step * b)
        if at < len(found) and found[at][0] == text:
            read = found[at]
            _check(font_dict, show, cid, text, read)
            if read[6:8] != found[0][6:8]:
                raise NotProved("the characters of a text object on different baselines")
            if origin is not None and (abs(read[4] - origin[0]) > PLACED or abs(read[5] - origin[1]) > PLACED):
                raise NotProved("a character is not where the operator puts it")
            origin = (read[4], read[5])
            at += 1
        elif k and text == " " and codes[k - 1][1] == " ":
            assert origin is not None
            size = show.size
            spaces.append(SpaceLeftOut(at, origin[0], origin[1], size, font_dict.char_width(cid) * size, font_dict.descent() * size))
        else:
            raise NotProved("the text page left out a character other than a space after a space")
    if at != len(found):
        raise NotProved("the text page has characters the operator does not show")
    return spaces
