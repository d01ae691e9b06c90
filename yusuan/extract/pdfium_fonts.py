"""What pdfminer knows of a font that is not embedded, for the PDFium reader.

PDFium draws a font that is neither embedded nor one of the 14 standard fonts with a
substitute, and answers questions about its glyphs (advance, descent, name) from that
substitute. pdfminer takes them from the PDF's font dictionary: ``/Widths``, ``/W`` and
``/DW`` of CID fonts, the FontDescriptor's descent and name, the ``/ToUnicode`` CMap or a
predefined CMap (UniGB-UCS2-H, GBK-EUC-H with the Adobe-GB1 Unicode table). This module
builds pdfminer's font objects of a page from its font dictionaries (pdfminer's parser of
the document, without its content interpreter, which is what costs) so the PDFium reader
can give a character pdfminer's box and name.

PDFium gives no character code, only its Unicode. The code is found back from the
Unicode through the font's own mapping (only a code that pdfminer maps to that same
Unicode is taken), and the reader accepts a character only where the width the dictionary
gives that code is the advance PDFium drew (pdfium.PdfiumPage._dictionary_glyph), with
further page checks for characters PDFium's text page may leave out. Anything else keeps
the page with the pdfplumber reader, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pdfminer.cmapdb import FileUnicodeMap, IdentityCMap
from pdfminer.pdffont import FontMetricsDB, PDFCIDFont, PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral, literal_name
from pdfplumber.page import fix_fontname_bytes

from yusuan.core.limits import current as current_limits
from yusuan.extract.pdf_objects import ScannedDocument
from yusuan.extract.pdf_stream_scan import DEFLATE_MAX_RATIO
from yusuan.extract.pdf_tounicode import fast_tounicode

SUBSET_PREFIX = re.compile(rb"^[A-Z]{6}\+")
# Text encodings in which a CID font's predefined CMap may be keyed (UniGB-UCS2-H: UCS-2,
# GBK-EUC-H: GBK); a code found this way is only taken when pdfminer maps it back to the
# same Unicode.
CODE_ENCODINGS = ("utf-16-be", "gbk")
FONT_FILES = ("FontFile", "FontFile2", "FontFile3")
_NOT_ASKED: Any = object()


def bare_name(name: bytes) -> bytes:
    """A font name without its subset prefix ("ABCDEF+SimSun" -> "SimSun")."""
    return SUBSET_PREFIX.sub(b"", name)


def _name_bytes(value: Any) -> bytes:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, str):  # pdfminer decodes a name that is UTF-8, and keeps others as bytes
        return value.encode("utf-8")
    return value if isinstance(value, bytes) else b""


@dataclass
class DictFont:
    """pdfminer's font object of one font dictionary, with the answers the PDFium reader
    needs: the name pdfplumber gives, the descent, and the width of a character."""

    font: PDFFont
    names: frozenset[bytes]
    embedded: bool
    cache: dict[str, frozenset[float]] = field(default_factory=dict)
    # first_text's answers by the strings an operator shows
    first_texts: dict[tuple[bytes, ...], str | None] = field(default_factory=dict)
    # mapped's answers by string, char_width's by code
    mapped_strings: dict[bytes, tuple[tuple[int, str], ...] | None] = field(default_factory=dict)
    code_widths: dict[int, float] = field(default_factory=dict)

    @property
    def multibyte(self) -> bool:
        return isinstance(self.font, PDFCIDFont)

    @property
    def fontname(self) -> str:
        name = self.font.fontname
        return fix_fontname_bytes(name) if isinstance(name, bytes) else str(name)

    def descent(self) -> float:
        """Descent below the baseline in text space units at size 1 (negative)."""
        return self.font.get_descent()

    def widths(self, text: str) -> frozenset[float]:
        """The widths (text space units at size 1) of the codes that pdfminer maps to this
        text: empty when no code of the font maps to it. Several codes may (WinAnsi maps
        32 and 160 to a space, at other widths): the reader keeps the one whose width is
        the advance PDFium drew the character with."""
        known = self.cache.get(text)
        if known is None:
            known = self.cache[text] = frozenset(self.font.char_width(cid) for cid in self._codes(text))
        return known

    def first_text(self, strings: tuple[bytes, ...]) -> str | None:
        """What pdfminer reads from the first code of an operator showing these strings
        (None: no text for it). Remembered by the strings (the font's decoding and mapping
        are fixed once it is made): the text objects of a page repeat a few strings."""
        known = self.first_texts.get(strings, _NOT_ASKED)
        if known is _NOT_ASKED:
            known = self.first_texts[strings] = first_text(self.font, strings)
        return known  # type: ignore[no-any-return]

    def mapped(self, string: bytes) -> tuple[tuple[int, str], ...] | None:
        """The codes of a string as pdfminer decodes them, each with pdfminer's text of it
        (None: a code pdfminer does not map). Remembered by the string."""
        known = self.mapped_strings.get(string, _NOT_ASKED)
        if known is _NOT_ASKED:
            known = self.mapped_strings[string] = mapped_codes(self.font, string)
        return known  # type: ignore[no-any-return]

    def char_width(self, cid: int) -> float:
        """pdfminer's width of a code (text space units at size 1), remembered by the code."""
        known = self.code_widths.get(cid)
        if known is None:
            known = self.code_widths[cid] = self.font.char_width(cid)
        return known

    def _codes(self, text: str) -> Iterator[int]:
        font = self.font
        if isinstance(font, PDFCIDFont):
            for encoding in CODE_ENCODINGS:
                try:
                    data = text.encode(encoding)
                except UnicodeEncodeError:
                    continue
                cids = list(font.decode(data))
                if len(cids) == 1 and self._maps(cids[0], text):
                    yield cids[0]
            if isinstance(font.unicode_map, FileUnicodeMap) and isinstance(font.cmap, IdentityCMap):
                # a /ToUnicode CMap of an Identity-H font: codes are CIDs (a predefined
                # Unicode table such as Adobe-GB1's also names CIDs no code of the CMap reaches)
                yield from (cid for cid, value in font.unicode_map.cid2unichr.items() if value == text)
        else:
            yield from (code for code in range(256) if self._maps(code, text))

    def _maps(self, cid: int, text: str) -> bool:
        try:
            return self.font.to_unichr(cid) == text
        except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
            return False


def first_text(font: PDFFont, strings: tuple[bytes, ...]) -> str | None:
    """What pdfminer reads from the first code of these strings (None: no text for it)."""
    for string in strings:
        for cid in font.decode(string):
            try:
                return font.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
                return None
    return None


def mapped_codes(font: PDFFont, string: bytes) -> tuple[tuple[int, str], ...] | None:
    """The codes of a string as pdfminer decodes them, each with pdfminer's text of it
    (None: a code pdfminer does not map)."""
    found = []
    for cid in font.decode(string):
        try:
            found.append((cid, font.to_unichr(cid)))
        except (PDFUnicodeNotDefined, KeyError, ValueError, IndexError):
            return None
    return tuple(found)


class DictFonts:
    """The font dictionaries of a PDF's pages, read with pdfminer's parser on first need
    (only files with a page that uses a font not embedded open it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._pages: list[PDFPage] | None = None
        self._manager = PDFResourceManager(caching=True)
        self._by_page: dict[int, list[FontEntry]] = {}
        # a font dictionary's entry by object number, shared by every page that lists it
        # (pdfminer's font of an object number is one font: PDFResourceManager caches it)
        self._by_objid: dict[Any, FontEntry | None] = {}
        self._candidates: dict[tuple[int, bytes, bool], list[DictFont]] = {}
        self._matches: dict[tuple[int, bytes, bool], DictFont | None] = {}
        self._by_resource: dict[tuple[Any, Any], DictFont] = {}
        # resource_font's answer by the resources object passed (kept alive with it, so its
        # id is not reused) and the name
        self._resource_answers: dict[tuple[int, Any], tuple[Any, DictFont | None]] = {}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def match(self, number: int, pdfium_name: bytes, embedded: bool = False) -> DictFont | None:
        """The one font dictionary (not embedded, or embedded) of page ``number`` (1-based)
        that PDFium's font of this name stands for; None when there is none, or several
        that differ. Asked once per page, name and kind (the answer depends on nothing else)."""
        key = (number, pdfium_name, embedded)
        if key not in self._matches:
            self._matches[key] = self._match(number, pdfium_name, embedded)
        return self._matches[key]

    def _match(self, number: int, pdfium_name: bytes, embedded: bool) -> DictFont | None:
        found = self.candidates(number, pdfium_name, embedded)
        if not found:
            return None
        first = found[0]
        same = all(type(f.font) is type(first.font) and f.font.widths == first.font.widths and f.fontname == first.fontname and f.descent() == first.descent() for f in found)
        if not same:
            return None
        if isinstance(first.font, PDFCIDFont) and any(getattr(f.font, "cmap", None) is not getattr(first.font, "cmap", None) for f in found):
            return None
        return first

    def candidates(self, number: int, pdfium_name: bytes, embedded: bool) -> list[DictFont]:
        """Every font dictionary of page ``number`` that PDFium's font of this name may
        stand for (a page may hold a simple and a CID font of one name). Only those
        dictionaries are given to pdfminer (``FontEntry.may_be``): building a font parses its
        ToUnicode CMap or its TrueType file, and most fonts of a page are never asked for.
        Found once per page, name and kind; a new list each call."""
        key = (number, pdfium_name, embedded)
        found = self._candidates.get(key)
        if found is None:
            wanted = bare_name(pdfium_name)
            found = self._candidates[key] = [
                font
                for font in (self._built(entry) for entry in self._page_entries(number) if entry.embedded == embedded and entry.may_be(wanted))
                if font is not None and wanted in font.names
            ]
        return list(found)

    def page_fonts(self, number: int) -> list[DictFont]:
        """Every font dictionary of page ``number`` pdfminer reads, forms' included."""
        return [font for font in map(self._built, self._page_entries(number)) if font is not None]

    def _page_entries(self, number: int) -> list[FontEntry]:
        known = self._by_page.get(number)
        if known is None:
            pages = self._document_pages()
            known = self._by_page[number] = list(self._entries(pages[number - 1].resources, depth=0)) if number <= len(pages) else []
        return known

    def _built(self, entry: FontEntry) -> DictFont | None:
        """pdfminer's font of the entry, made on first need (None: a broken dictionary, the
        page goes to pdfminer, which says why)."""
        if entry.font is _UNBUILT:
            try:
                font = self._made(entry.objid, entry.spec)
            except Exception:
                entry.font = None
            else:
                entry.font = DictFont(font, _names(entry.spec, font), entry.embedded)
        return entry.font  # type: ignore[return-value]

    def _made(self, objid: Any, spec: dict[str, Any]) -> PDFFont:
        """pdfminer's font of this dictionary (``PDFResourceManager.get_font``), its ToUnicode
        CMap read by pdf_tounicode where it is plain (the same map, less CPU), and its
        TrueType program left undecoded where pdfminer would not read it
        (``unread_font_program``)."""
        with fast_tounicode(), unread_font_program(spec):
            return self._manager.get_font(objid, spec)

    def page_content(self, number: int) -> tuple[bytes, Any] | None:
        """Page ``number``'s content streams (decoded, joined by a line feed as PDFium
        parses them as one) and its resources; None when pdfminer's parser cannot give them."""
        pages = self._document_pages()
        if not 0 < number <= len(pages):
            return None
        page = pages[number - 1]
        try:
            return b"\n".join(stream.get_data() for stream in page.contents if isinstance(stream, PDFStream)), page.resources
        except Exception:  # a stream pdfminer cannot decode: the page goes to the pdfplumber reader, which says why
            return None

    def resource_font(self, resources: Any, name: str | bytes) -> DictFont | None:
        """The font of this resource name (Tf's operand), as pdfminer reads it. Found once per
        resources object and name (a page's operators name a few fonts thousands of times)."""
        key = (id(resources), name)
        known = self._resource_answers.get(key)
        if known is None:
            known = self._resource_answers[key] = (resources, self._resource_font(resources, name))
        return known[1]

    def _resource_font(self, resources: Any, name: str | bytes) -> DictFont | None:
        fonts = resolve1(resolve1(resources).get("Font")) if isinstance(resolve1(resources), dict) else None
        ref = fonts.get(name) if isinstance(fonts, dict) else None
        spec = resolve1(ref)
        if not isinstance(spec, dict):
            return None
        key = (ref.objid if isinstance(ref, PDFObjRef) else id(spec), name)
        known = self._by_resource.get(key)
        if known is None:
            try:
                font = self._made(ref.objid if isinstance(ref, PDFObjRef) else None, spec)
            except Exception:  # a broken dictionary: the page goes to pdfminer, which says why
                return None
            known = self._by_resource[key] = DictFont(font, _names(spec, font), _embedded(spec))
        return known

    def form(self, resources: Any, name: str | bytes) -> tuple[bytes, Any] | None:
        """A Form XObject's content (decoded) and resources; None for another XObject."""
        resources = resolve1(resources)
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        stream = resolve1(xobjects.get(name)) if isinstance(xobjects, dict) else None
        if not isinstance(stream, PDFStream) or _name_bytes(stream.get("Subtype")) != b"Form":
            return None
        return stream.get_data(), stream.get("Resources")

    def sets_font(self, resources: Any, name: str | bytes) -> bool:
        """The ExtGState of this name has a /Font (or cannot be read)."""
        resources = resolve1(resources)
        states = resolve1(resources.get("ExtGState")) if isinstance(resources, dict) else None
        state = resolve1(states.get(name)) if isinstance(states, dict) else None
        return not isinstance(state, dict) or "Font" in state

    def _document_pages(self) -> list[PDFPage]:
        if self._pages is None:
            self._file = open(self.path, "rb")  # noqa: SIM115 - kept open while the pages are read
            try:
                data = self._file.read()
                self._file.seek(0)
                self._pages = list(PDFPage.create_pages(ScannedDocument(PDFParser(self._file), data)))
            except Exception:  # unreadable for pdfminer: no font is matched, the pages go to the pdfplumber reader, which says why
                self._pages = []
        return self._pages

    def _entries(self, resources: Any, depth: int) -> Iterator[FontEntry]:
        """The font dictionaries of these resources and of the forms they hold, in order."""
        resources = resolve1(resources)
        if not isinstance(resources, dict) or depth > 16:
            return
        fonts = resolve1(resources.get("Font"))
        if isinstance(fonts, dict):
            for ref in fonts.values():
                entry = self._entry(ref)
                if entry is not None:
                    yield entry
        xobjects = resolve1(resources.get("XObject"))
        if isinstance(xobjects, dict):
            for ref in xobjects.values():
                stream = resolve1(ref)
                if isinstance(stream, PDFStream) and _name_bytes(stream.get("Subtype")) == b"Form":
                    yield from self._entries(stream.get("Resources"), depth + 1)

    def _entry(self, ref: Any) -> FontEntry | None:
        """The entry of a font resource (None: not a dictionary); one per object number for
        the whole document, so its font and widths are made once."""
        objid = ref.objid if isinstance(ref, PDFObjRef) else None
        if objid and objid in self._by_objid:  # pdfminer's cache takes no object number 0
            return self._by_objid[objid]
        spec = resolve1(ref)
        entry = FontEntry(spec, objid, _embedded(spec), _possible_names(spec)) if isinstance(spec, dict) else None
        if objid:
            self._by_objid[objid] = entry
        return entry


@contextmanager
def unread_font_program(spec: Any) -> Iterator[None]:
    """pdfminer makes the CID font of ``spec`` inside this block without inflating its
    embedded TrueType program where the program is not read (``idle_font_program``).

    ``PDFCIDFont.__init__`` decodes a descriptor's ``/FontFile2`` and reads its table
    directory (``TrueTypeFont``) for one use only: the Unicode map of a font without a
    ``/ToUnicode`` (an Adobe-Identity or Adobe-UCS one). With a ``/ToUnicode`` the parsed
    program is thrown away, and the stream object is kept as ``font.fontfile``, the same
    object either way. So the stream is given an empty decoded body for the time the font is
    made (``TrueTypeFont`` of no bytes reads no table and raises nothing) and put back
    undecoded afterwards: whatever asks it later decodes it as before. On the shared corpora
    every CID font with an embedded program made for the reader has a ``/ToUnicode``
    (106 programs, ~0.09 CPU-s of inflating)."""
    stream = idle_font_program(spec)
    if stream is None:
        yield
        return
    stream.data = _NO_PROGRAM
    try:
        yield
    finally:
        if stream.data is _NO_PROGRAM:
            stream.data = None


_NO_PROGRAM = b""


def idle_font_program(spec: Any) -> PDFStream | None:
    """The ``/FontFile2`` stream that pdfminer's ``get_font(objid, spec)`` would decode and
    then not read, where decoding it provably gives bytes and raises nothing; None otherwise.

    pdfminer's path is followed as ``PDFResourceManager.get_font`` takes it: a CIDFontType0 or
    CIDFontType2 dictionary is the CID font's own; a Type0's first descendant, with the
    Type0's ``/Encoding`` and ``/ToUnicode`` copied over it, is. The program is not read when
    that dictionary has a ``/ToUnicode`` (``PDFCIDFont.__init__`` builds its Unicode map from
    the TrueType file only in the branch taken without one). Decoding it cannot fail when
    the stream is not decoded yet, not encrypted and filtered by Flate alone without a
    predictor, and cannot pass ``max_stream_bytes`` when ``DEFLATE_MAX_RATIO`` times its
    length does not (``inflate`` then never raises; a damaged body becomes bytes or nothing).
    Its bytes are not counted against ``max_decoded_bytes`` while it stays undecoded: the
    PDFium reader only reads a file all of whose streams together are within that limit
    (``streams_within_limits``), so no count of the file's streams can pass it either way.
    Anything else (another kind of font, a dictionary not as expected) is None: pdfminer
    decodes the program as before."""
    try:
        cid_spec = _cid_font_spec(spec)
        if cid_spec is None or "ToUnicode" not in cid_spec:
            return None
        descriptor = resolve1(cid_spec.get("FontDescriptor"))
        stream = resolve1(descriptor.get("FontFile2")) if isinstance(descriptor, dict) else None
        if not isinstance(stream, PDFStream) or stream.data is not None or stream.rawdata is None or stream.decipher is not None:
            return None
        filters = stream.get_filters()
        if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE or (filters[0][1] and "Predictor" in filters[0][1]):
            return None
        if len(stream.rawdata) * DEFLATE_MAX_RATIO > current_limits().max_stream_bytes:
            return None
        return stream
    except Exception:  # a dictionary pdfminer reads otherwise: it decodes the program as before
        return None


def _cid_font_spec(spec: Any) -> dict[str, Any] | None:
    """The dictionary ``PDFCIDFont`` is made of when pdfminer's ``get_font`` makes ``spec``
    (only the keys that decide whether the program is read); None: not a CID font."""
    if not isinstance(spec, dict):
        return None
    subtype = _subtype(spec)
    if subtype in ("CIDFontType0", "CIDFontType2"):
        return spec
    if subtype != "Type0":
        return None
    descendants = resolve1(spec.get("DescendantFonts"))
    first = resolve1(descendants[0]) if isinstance(descendants, list | tuple) and descendants else None
    if not isinstance(first, dict) or _subtype(first) not in ("CIDFontType0", "CIDFontType2"):
        return None
    merged = dict(first)
    for key in ("Encoding", "ToUnicode"):
        if key in spec:
            merged[key] = resolve1(spec[key])
    return merged


def _subtype(spec: dict[str, Any]) -> str:
    """pdfminer's reading of a font's ``/Subtype`` (``Type1`` when there is none)."""
    return literal_name(spec["Subtype"]) if "Subtype" in spec else "Type1"


_UNBUILT: Any = object()


@dataclass
class FontEntry:
    """A font dictionary of a page, and pdfminer's font of it once made (``DictFonts._built``)."""

    spec: dict[str, Any]
    objid: Any
    embedded: bool
    # every name the font's ``DictFont.names`` can hold, read from the dictionary alone
    # (None: not known)
    possible: frozenset[bytes] | None
    font: Any = _UNBUILT  # DictFont, None for a dictionary pdfminer cannot read, or _UNBUILT

    def may_be(self, wanted: bytes) -> bool:
        """The font's names may hold ``wanted`` (a bare name): False only where they cannot."""
        return self.possible is None or wanted in self.possible


def _possible_names(spec: dict[str, Any]) -> frozenset[bytes] | None:
    """Every name ``_names`` can give pdfminer's font of this dictionary, read without making
    it (None: not known, the font is made): the BaseFont of the dictionary and of a Type0
    font's descendant, and every name pdfminer's ``fontname`` can take — "unknown" (no
    descriptor or no FontName), the FontName of either one's FontDescriptor, or of the
    standard font's metrics pdfminer takes for either one's BaseFont (``PDFType1Font``:
    Arial is given Helvetica's). A superset: the names are checked on the font made."""
    descendant = _descendant(spec)
    if descendant and _name_bytes(descendant.get("Subtype")) not in (b"CIDFontType0", b"CIDFontType2"):
        return None  # pdfminer would read the descendant as another kind of font
    names = {_name_bytes(spec.get("BaseFont")), _name_bytes(descendant.get("BaseFont")), b"unknown"}
    for source in (spec, descendant):
        descriptor = resolve1(source.get("FontDescriptor"))
        if isinstance(descriptor, dict):
            # pdfminer's fontname: literal_name of a name (whose bytes, not UTF-8, become the
            # text "b'...'")
            value = resolve1(descriptor.get("FontName"))
            names.add(_name_bytes(literal_name(value) if isinstance(value, PSLiteral) else value))
        if "BaseFont" in source:
            try:
                metrics, _widths = FontMetricsDB.get_metrics(literal_name(source["BaseFont"]))
            except KeyError:
                continue
            names.add(_name_bytes(metrics.get("FontName")))
    return frozenset(bare_name(n) for n in names if n)


def _descendant(spec: dict[str, Any]) -> dict[str, Any]:
    descendants = resolve1(spec.get("DescendantFonts"))
    if isinstance(descendants, list) and descendants:
        first = resolve1(descendants[0])
        if isinstance(first, dict):
            return first
    return {}


def _embedded(spec: dict[str, Any]) -> bool:
    source = _descendant(spec) if _name_bytes(spec.get("Subtype")) == b"Type0" else spec
    descriptor = resolve1(source.get("FontDescriptor"))
    return isinstance(descriptor, dict) and any(key in descriptor for key in FONT_FILES)


def _names(spec: dict[str, Any], font: PDFFont) -> frozenset[bytes]:
    """The names PDFium may give this font: BaseFont, the descendant's BaseFont and the
    FontDescriptor's FontName, without subset prefixes."""
    names = {_name_bytes(spec.get("BaseFont")), _name_bytes(_descendant(spec).get("BaseFont"))}
    names.add(_name_bytes(font.fontname))
    return frozenset(bare_name(n) for n in names if n)
