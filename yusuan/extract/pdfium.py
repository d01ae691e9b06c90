"""Born-digital PDFs read with PDFium (pypdfium2): the default PDF reader.

PDFium parses a page about 10 times faster than pdfminer (docs/pdf-library-choice.md,
docs/speed.md), so this reader takes the characters and the painted paths of a page from
PDFium and gives them to the same table and line code as the pdfplumber reader
(yusuan/extract/pdf.py: ``page_to_blocks``), as pdfplumber objects with pdfminer's
geometry. Reading a page the same way is what keeps every published amount identical
(benchmarks/reader_equality.py compares both readers over the shared corpora):

- a character's box is pdfminer's: from its origin, the font's descent, the font size and
  its advance (PDFium's loose box gives the advance and the descent; its top comes from
  the font's ascent, pdfminer's from descent + size, so the top is rebuilt);
- a path is split into subpaths and each is classed as pdfminer classes it (a line, an
  axis-aligned rectangle, else a curve), in the page's display coordinates (``/Rotate``
  applied as pdfminer's interpreter applies it), paths inside Form XObjects through the
  form's matrix; a path neither stroked nor filled (a clipping path) is not drawn;
- page boxes, document tops (``doctop``) and the MediaBox offset are pdfplumber's.

The guards of the pdfplumber reader stay: the page and character limits, the bounded
stream decoding (``stream_scan`` inflates every stream once, bounded, before PDFium sees
the file; a file past the limit is handed to the pdfplumber reader, which names the page),
the encrypted-PDF message, and the isolation worker around the whole publication.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.fontmetrics import FONT_METRICS
from pdfplumber.page import Page, _invert_box, _normalize_box

from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.core.limits import Limits, current
from yusuan.core.model import FileExtract, SourceFile
from yusuan.core.progress import page_read
from yusuan.extract import page_pool, pdf_streams, pdfium_native
from yusuan.extract import pdf as plumber_reader
from yusuan.extract import pdfium_calls as calls
from yusuan.extract.pdf_stream_scan import streams_within_limits
from yusuan.extract.pdfium_aligned import (
    Aligned,
    Read,
    aligned_operators,
    fonts_by_key,
    same_as_operators,
)
from yusuan.extract.pdfium_clip import exceeds_clip, within_clip
from yusuan.extract.pdfium_fonts import DictFont, DictFonts
from yusuan.extract.pdfium_ink import advance_within_ink, ink_box
from yusuan.extract.pdfium_missing import NotProved, glyphs
from yusuan.extract.pdfium_spaces import LeftOut, gap_is_spacing, spaces_after, two_byte_codes
from yusuan.extract.plumber_equivalents import within_bbox

Matrix = tuple[float, float, float, float, float, float]
# a character as the gap checks see it: its text object's address, its origin, advance
# (text space at its size), matrix (a, b, c, d), font size, whether it is a space, and the
# text object (its address again, 0 for none: the handle is made from it where needed), and
# its index in the text page
Traced = tuple[int, float, float, float, tuple[float, float, float, float], float, bool, int, int]
# the same seen from the next character: the address, where the next character of the
# object should start (origin + advance), the direction (a, b), the size, a space, the text
# object's address, whether its advance is to be confirmed by the next origin, and its index
# in the text page
Previous = tuple[int, float, float, tuple[float, float], float, bool, int, bool, int]
Obj = dict[str, Any]
# characters PDFium's text page may generate (a space between words, a line end, the mark
# of a hyphen ending a line, a soft hyphen): skipped when FPDFText_IsGenerated says so
ROTATION_DEGREES = {0: 0, 1: 90, 2: 180, 3: 270}  # FPDFPage_GetRotation's answers (pypdfium2's RotationToDegrees)
GENERATED_CODES = frozenset((0x20, 0x0D, 0x0A, 0x02, 0xFFFE))
TEXT, PATH = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH

MISSING_NOT_EMBEDDED = "a text object is missing from the text page of a page with a font not embedded"


class PageNeedsPdfminer(Exception):
    """PDFium's text page misses text of this page that pdfminer reads."""


PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
SECURITY_ERROR = 5  # FPDF_ERR_SECURITY (unsupported security handler)


def pdf_to_blocks(source: SourceFile) -> FileExtract:
    """Tables and text lines of a PDF, read with PDFium (same blocks as yusuan.extract.pdf)."""
    limits = current()
    with pdf_streams.counting_decoded_bytes():
        return _bounded(source, limits)


def _bounded(source: SourceFile, limits: Limits) -> FileExtract:
    try:
        if not streams_within_limits(source.path, limits):
            # a stream inflates past a limit: the pdfplumber reader refuses it naming the page
            return plumber_reader.pdf_to_blocks(source)
        return _pdf_to_blocks(source, limits)
    except LimitExceededError as exc:
        raise exc.at(file=source.name) from None


def _open(source: SourceFile) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(source.path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == PASSWORD_ERROR:
            reason = "encrypted PDF that needs a password to open; a publication must open without one (ask the issuer for an unprotected copy)"
        elif code == SECURITY_ERROR:
            reason = "encrypted PDF with a method the reader does not support (unsupported security handler)"
        else:
            reason = f"not a readable PDF ({exc})"
        raise ExtractionError(source.name, reason) from exc


class PlumberPages:
    """The pdfplumber reader's pages of the same file, opened on first need: for a page whose
    text PDFium's text page misses (PageNeedsPdfminer)."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.pdf: pdfplumber.PDF | None = None

    def page(self, number: int) -> Page:
        if self.pdf is None:
            try:
                self.pdf = pdfplumber.open(self.source.path)
            except Exception as exc:
                if (limit := plumber_reader._limit_in(exc)) is not None:
                    raise limit from None
                raise ExtractionError(self.source.name, plumber_reader.unreadable_pdf_reason(exc)) from exc
        page = self.pdf.pages[number - 1]
        plumber_reader.normalize_media_box(page)
        return page

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _pdf_to_blocks(source: SourceFile, limits: Limits) -> FileExtract:
    document = _open(source)
    try:
        count = len(document)
        limits.check("max_pages", count, source.name, what="pages")
        workers = page_pool.workers_for(count, limits)
        if workers > 1:
            found = page_pool.read_in_parallel(
                source.name, count, _page_heights(document), workers,
                lambda: PageReader(source, limits, count), page_read, lambda: _media_box_heights(document),
            )
        else:
            found = FileExtract(blocks=[])
            reader = PageReader(source, limits, count, document)
            try:
                reader.read(1, count, 0.0, found, lambda number: page_read(number, count))
            finally:
                reader.close()
        found.page_count = count
        return found
    finally:
        document.close()


def _page_heights(document: pdfium.PdfDocument) -> list[float]:
    """Each page's height as PdfiumPage will give it, from the page tree alone (no content
    parsed: a few microseconds a page): where a page's document top starts is the sum of the
    heights before it. A page handed to pdfminer may have another height (pdfminer does not
    round the MediaBox); the page pool checks every height it used against the page read."""
    return [snap(document.get_page_size(index)[1]) for index in range(len(document))]


def _media_box_heights(document: pdfium.PdfDocument) -> list[float]:
    """Each page's height from its MediaBox and /Rotate, as PdfiumPage computes it (the page
    size of ``_page_heights`` is the CropBox's where there is one): slower, each page loaded."""
    heights = []
    for index in range(len(document)):
        page = document[index]
        try:
            _box, normalized = media_box(page)
            inverted = _invert_box(normalized, normalized[3] - normalized[1])
            heights.append(inverted[3] - inverted[1])
        finally:
            page.close()
    return heights


def media_box(page: pdfium.PdfPage) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """The page's MediaBox as pdfplumber reads it: its corners ordered (snapped), and that box
    turned by the page's /Rotate (PdfiumPage's boxes and height, and ``_media_box_heights``)."""
    return ordered_media_box(page.get_mediabox(), page.get_rotation() % 360)


def ordered_media_box(mediabox: tuple[float, float, float, float], rotation: int) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """``media_box`` of a page whose MediaBox (as pypdfium2's ``get_mediabox`` gives it) and
    rotation (degrees, 0-359) are known."""
    raw_box = tuple(snap(v) for v in mediabox)
    box = (min(raw_box[0], raw_box[2]), min(raw_box[1], raw_box[3]), max(raw_box[0], raw_box[2]), max(raw_box[1], raw_box[3]))
    return box, _normalize_box(box, rotation)


# pypdfium2's PdfPage.get_mediabox's box where the page has none (ANSI A)
FALLBACK_MEDIABOX = (0, 0, 612, 792)


def load_page(document: pdfium.PdfDocument, index: int) -> Any:
    """The page's FPDF_PAGE, loaded as pypdfium2's ``PdfDocument.get_page`` loads it (the same
    error where PDFium cannot), without its helper object: the helper's life (a weak
    finalizer, the document's and the tracker's sets, its repr captured) cost the reader
    more than the calls themselves. Closed by ``raw.FPDF_ClosePage``. For a document with
    a form environment, whose pages need ``FORM_OnAfterLoadPage``, use ``get_page``."""
    handle = raw.FPDF_LoadPage(document.raw, index)
    if not handle:
        raise pdfium.PdfiumError("Failed to load page.")
    return handle


def load_textpage(page: Any) -> Any:
    """The FPDF_TEXTPAGE of a page's FPDF_PAGE, as ``PdfPage.get_textpage`` loads it (the same
    error where PDFium cannot), without its helper object; closed by ``raw.FPDFText_ClosePage``."""
    handle = raw.FPDFText_LoadPage(page)
    if not handle:
        raise pdfium.PdfiumError("Failed to load text page.")
    return handle


def page_rotation(page: Any) -> int:
    """``PdfPage.get_rotation`` of a page's FPDF_PAGE: its clockwise rotation in degrees."""
    rotation = raw.FPDFPage_GetRotation(page)
    if rotation == -1:
        raise pdfium.PdfiumError("Failed to get page rotation.")
    return ROTATION_DEGREES[rotation]


def page_media_box(page: Any) -> tuple[float, float, float, float]:
    """``PdfPage.get_mediabox`` of a page's FPDF_PAGE: its MediaBox as single-precision
    numbers, ``FALLBACK_MEDIABOX`` where it has none."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return FALLBACK_MEDIABOX
    return (left.value, bottom.value, right.value, top.value)


class PageReader:
    """Reads pages of one PDF in order, as the serial loop always did: PDFium, or pdfminer
    for a page PDFium's text page misses (PageNeedsPdfminer), each page's blocks recorded in a
    FileExtract. One reader per process: the page pool's workers each open their own."""

    def __init__(self, source: SourceFile, limits: Limits, count: int, document: pdfium.PdfDocument | None = None) -> None:
        self.source, self.limits, self.count = source, limits, count
        self.owns_document = document is None
        self.document = _open(source) if document is None else document
        self.plumber = PlumberPages(source)
        self.fonts = DictFonts(source.path)

    def read(self, first: int, last: int, doctop: float, found: FileExtract, on_page: Callable[[int], None]) -> list[float]:
        """Pages first..last (1-based), the first one's top at ``doctop`` in the document;
        returns each page's height (what the document top of the next page adds)."""
        heights: list[float] = []
        for number in range(first, last + 1):
            height = self._read_page(number, doctop, found)
            doctop += height
            heights.append(height)
            on_page(number)
        return heights

    def _read_page(self, number: int, doctop: float, found: FileExtract) -> float:
        """Read page ``number`` (its top at ``doctop``), record its blocks in ``found`` and
        return its height. The page's objects (a Char or dict per character) die when this returns:
        freed while they are still in the processor's caches, and before the next page is
        made, whose objects then reuse their memory. Held by the loop until the next page
        was read, they were freed cold and the reader took 5-6 % longer (docs/speed.md,
        stop 28)."""
        source, limits = self.source, self.limits
        try:
            try:
                page: Page = PdfiumPage(self.document, number, doctop, self.fonts)
            except PageNeedsPdfminer:
                page = self.plumber.page(number)
            height = page.height
            limits.check("max_chars_per_page", len(page.chars), source.name, page=number, what="characters on the page")
            plumber_reader.fix_glyph_boxes(page)
            visible = plumber_reader.visible_part(page, getattr(page, "visible_objects", None))
            hidden = len(page.chars) - len(visible.chars)
            deduped = plumber_reader.dedupe_chars(visible)
            page_blocks = plumber_reader.page_to_blocks(deduped, source, number, limits)
        except LimitExceededError as exc:
            raise exc.at(file=source.name, page=number) from None
        except ExtractionError:
            raise
        except Exception as exc:
            if (limit := plumber_reader._limit_in(exc)) is not None:  # pdfplumber wraps pdfminer's errors
                raise limit.at(file=source.name, page=number) from None
            raise ExtractionError(source.name, f"cannot read the page ({type(exc).__name__}: {exc})", page=number) from exc
        plumber_reader.record_page(found, number, page, page_blocks, hidden)
        if isinstance(page, PdfiumPage):  # made for this read
            plumber_reader.let_go(deduped, visible, page)
        else:  # pdfplumber's page, which its PDF keeps and may give again
            plumber_reader.let_go(deduped, visible)
            page.flush_cache()
        return height

    def close(self) -> None:
        self.plumber.close()
        self.fonts.close()
        if self.owns_document:
            self.document.close()


def rotation_matrix(rotation: int, mediabox: tuple[float, float, float, float]) -> Matrix:
    """pdfminer's CTM for a page (PDFPageInterpreter.process_page): the page turned by
    ``/Rotate`` and moved to the MediaBox's origin."""
    x0, y0, x1, y1 = mediabox
    if rotation == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector order, as pdfminer's mult_matrix)."""
    a0, b0, c0, d0, e0, f0 = m
    a1, b1, c1, d1, e1, f1 = n
    return (a0 * a1 + b0 * c1, a0 * b1 + b0 * d1, c0 * a1 + d0 * c1, c0 * b1 + d0 * d1, e0 * a1 + f0 * c1 + e1, e0 * b1 + f0 * d1 + f1)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


class PdfiumPage(Page):
    """A pdfplumber Page whose objects come from PDFium: pdfplumber's cropping, filtering,
    text lines and table functions work on it unchanged."""

    # pdf.fix_glyph_boxes made as each character is (``_char`` and the C loop): the ascent
    # of a rebuilt box, and the note that the page's characters need no other pass (None
    # and False: the characters as PDFium's geometry gives them, fixed later; the tests'
    # oracle)
    glyph_ascent: float | None = plumber_reader.ASCENT
    glyph_boxes_fixed = True
    # ``within_bbox`` of each of the page's object lists (by kind, as ``objects``) and its box,
    # found as the page is made (None where a later pass may still move a box):
    # pdf.visible_part's crop
    visible_objects: dict[str, list[Obj]] | None = None
    # the C loop's characters and their contiguous runs by text object (pdfium_native.
    # read_char_runs) where ``_by_object`` is made from them by the walk; None where
    # ``_read_chars`` grouped them itself
    _char_runs: tuple[list[Obj], bytes] | None = None

    def __init__(self, document: pdfium.PdfDocument, number: int, initial_doctop: float, fonts: DictFonts | None = None) -> None:
        self.pdf = None  # type: ignore[assignment]
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]
        self.page_number = number
        self.initial_doctop = initial_doctop
        # the page and its text page as PDFium's handles, closed below (load_page); through
        # pypdfium2's helper only where the document has forms
        helper = document[number - 1] if document.formenv else None
        page = helper.raw if helper is not None else load_page(document, number - 1)
        try:
            self.rotation = page_rotation(page) % 360
            box, normalized = ordered_media_box(page_media_box(page), self.rotation)
            self._mb_height = normalized[3] - normalized[1]
            self.mediabox = _invert_box(normalized, self._mb_height)
            self.cropbox = self.mediabox
            self.bbox = self.mediabox
            self.get_textmap = lru_cache()(self._get_textmap)
            self._page_height = self.height
            self._box = box
            ctm = rotation_matrix(self.rotation, box)
            textpage = load_textpage(page)
            # the page's handles, for the fonts told apart by the content's operators
            # (_content_fonts), during this constructor only
            self._handles = (page, textpage)
            self._content_font_keys: dict[int, DictFont] | None = None
            self._aligned: Aligned | NotProved | None = None
            try:
                self._fonts: dict[tuple[int, float], tuple[str, float]] = {}
                self._font_names: dict[int, str] = {}  # _font's names by font key, asked once per font
                self._embedded_fonts: dict[int, bool] = {}
                self._dict_fonts: dict[int, DictFont | None] = {}
                self._widths: dict[tuple[int, int, float], float | None] = {}
                self._text_objects: dict[int, tuple[Any, int, bool]] = {}
                self._font_facts: dict[int, tuple[Any, int, bool]] = {}
                self._ideographic: dict[int, bool] = {}  # _may_be_ideographic_space by font key (its address), once per font of the page; the C walk reads it
                self._font_dictionaries = fonts
                self._by_object = self._text_chars(textpage, ctm)
                found = self._graphics(page, ctm)
                if self._missing:
                    self._read_missing(page, textpage)
                if isinstance(self._aligned, dict):
                    self._name_as_pdfminer(self._aligned)
                found["char"] = [char for chars in self._by_object.values() for char in chars]  # left over: none expected
                found["char"][:0] = self._ordered_chars
                # the crop of pdf.visible_part, made while the objects are still in the
                # processor's caches (before PDFium frees the text page and the page); read
                # only where no later pass moves a box (glyph_boxes_fixed)
                if self.glyph_boxes_fixed:
                    self.visible_objects = {kind: within_bbox(objs, self.bbox) for kind, objs in found.items() if objs}
            finally:
                self._handles = None  # type: ignore[assignment]  # closed below: not to be used again
                raw.FPDFText_ClosePage(textpage)
            self._objects = {kind: objs for kind, objs in found.items() if objs}
        finally:
            if helper is not None:
                helper.close()
            else:
                raw.FPDF_ClosePage(page)

    def _place(self, obj: Obj, x0: float, y0: float, x1: float, y1: float) -> Obj:
        """pdfplumber's coordinates of a box given in pdfminer's (display space, origin at the
        MediaBox's corner): process_object's top/bottom/doctop and MediaBox offset."""
        mb_x0, mb_top = self.mediabox[0], self.mediabox[1]
        height = self.height
        top = (height - y1) + mb_top
        obj.update(
            x0=x0 + mb_x0, y0=y0, x1=x1 + mb_x0, y1=y1, width=x1 - x0, height=y1 - y0,
            top=top, bottom=(height - y0) + mb_top, doctop=self.initial_doctop + top, page_number=self.page_number,
        )
        return obj

    def _text_chars(self, handle: Any, ctm: Matrix) -> dict[int, list[Obj]]:
        """The characters of the text page, grouped by the text object that draws them (in
        the text page's order within an object).

        On a page with a font not embedded (read from its dictionary), a gap between two
        characters of one text object, or a text object that reaches further than the
        space it ends with, hands the page over: PDFium's text page was seen to leave out
        the second and later of consecutive spaces (pdfminer keeps them all), and no
        character code is known to tell a dropped character from spacing. So does a
        character of an embedded font whose loose box is not its width (PDFium's Unicode
        may not be the code's)."""
        self._put_back: list[LeftOut] = []
        # text objects of a font not embedded missing from the text page: (position in
        # the characters in content order, the object, its CTM), read by _read_missing
        self._missing: list[tuple[int, Any, Matrix]] = []
        self._lone_spaces: list[tuple[int, Obj]] = []  # spaces put back by _text_object, by object
        self._proved_by_operators = False  # every character checked against its operator, spaces left out put back
        by_object = self._read_chars(handle, ctm)
        if self._substituted and (self._doubtful or self._content_font_keys):
            # what the geometry did not prove, or fonts told apart by the content: proved
            # from the content's operators (pdfium_aligned.same_as_operators), else handed over
            if not self._same_as_operators(by_object, ctm):
                raise PageNeedsPdfminer("a character PDFium's text page may have left out or mapped otherwise, on a page with a font not embedded")
            self._put_back = []  # the spaces left out are put back from the operators
            self._proved_by_operators = True
        if self._put_back:
            self._put_spaces_back(by_object, ctm)
        # for _name_as_pdfminer: the walk pops the lists out of by_object but changes none of
        # them from here on (it extends the characters in order with them), so the lists
        # themselves are kept, not copies of them (a copy a text object: 2 % of the reader);
        # from the runs, where the walk makes by_object, when first read (``_chars_of``)
        self._object_chars: dict[int, list[Obj]] | None = dict(by_object) if self._char_runs is None else None
        return by_object

    @property
    def _chars_of(self) -> dict[int, list[Obj]]:
        """Every text object's characters of the text page (by address), the lists of
        ``_read_chars``' dict: on a page read by runs, made from them when first read (after
        the walk: the lists ``_by_object`` still holds, the runs' characters for the others;
        nothing changes a list of such a page)."""
        if self._object_chars is None:
            assert self._char_runs is not None
            chars, runs = self._char_runs
            self._object_chars = pdfium_native.runs_by_object(chars, runs, self._by_object)
        return self._object_chars

    def _put_spaces_back(self, by_object: dict[int, list[Obj]], ctm: Matrix) -> None:
        """The spaces the text page left out (pdfium_spaces.spaces_after), as pdfminer gives
        them: after the kept space they follow, each one step further, with the kept space's
        font, size and advance, and a box from descent to descent + size."""
        trace = self._trace
        for left_out in sorted(self._put_back, key=lambda found: -found.at):
            address, x, y, advance, linear, size, _space, _object, _index = trace[left_out.at]
            chars = by_object[address]
            position = sum(1 for entry in trace[: left_out.at] if entry[0] == address)
            kept = chars[position]
            descent = self._descent(self._object_facts(address)[0], size)
            spaces = []
            for n in range(1, left_out.count + 1):
                origin = (x + n * left_out.step[0], y + n * left_out.step[1])
                spaces.append(self._char(" ", kept["fontname"], linear, *origin, size, descent, advance, *_advance_box(origin, advance, linear), ctm))
            chars[position + 1 : position + 1] = spaces

    def _descent(self, font: Any, size: float) -> float:
        """The descent the reader gave the characters of this font at this size."""
        if self._embedded(font):
            return self._font(font, size)[1]
        facts = self._dictionary_font(font)
        return facts.descent() * size if facts is not None else 0.0

    def _two_byte_codes(self, address: int) -> bool:
        """The font of the text object at this address is a CID font of two-byte codes
        (Identity-H/V, one dictionary of its name on the page): the word spacing Tw applies to
        none of its spaces, in PDFium (a space of one byte only) as in pdfminer (not a
        multibyte font)."""
        font = self._object_facts(address)[0] if address else None
        if not font or self._font_dictionaries is None:
            return False
        facts = self._font_dictionaries.match(self.page_number, base_font_name(font), embedded=self._embedded(font))
        return facts is not None and two_byte_codes(facts)

    def _glyph_width(self, font: Any, font_key: int, code: int, size: float) -> float | None:
        """glyph_width, asked of PDFium once per font, code and size of the page (the width
        depends on nothing else: FPDFFont_GetGlyphWidth reads the font's width of the code
        its Unicode maps to; a Chinese page draws each character in its own text object, so
        a cache per text object missed 99 % of the time)."""
        key = (font_key, code, size)
        known = self._widths.get(key, False)
        if known is False:
            known = self._widths[key] = glyph_width(font, code, size)
        return known  # type: ignore[return-value]

    def _dictionary_glyph(self, font: Any, text: str, size: float, linear: tuple[float, float, float, float], loose: Any, textpage: Any = None, index: int = -1, x: float = 0.0) -> tuple[str, float, float]:
        """Name, descent and advance of a character of a font not embedded, from the PDF's
        font dictionary as pdfminer reads it (pdfium_fonts).

        PDFium gives no character code, only its Unicode, and its loose box spans the
        advance of the substitute's glyph. A character is read only where the two agree
        with the dictionary: among the codes that pdfminer maps to PDFium's Unicode, the one
        whose dictionary width is the drawn advance is taken. None (a substitute of other
        metrics, such as STSongStd-Light's digits, or PDFium's Unicode not pdfminer's: a
        space for a full-width bracket) hands the page over. For a character turned a
        quarter, whose loose box is not measured against the dictionary, the width must be
        unambiguous, and the next character of its text object must start where that width
        ends (``skipped``: PDFium places it by the real code's width). A loose box that
        spans the substitute glyph's ink rather than the advance is decided by
        ``_ink_reaches_past`` (pdfium_ink), given the character's text page and index."""
        facts = self._dictionary_font(font)
        widths = facts.widths(text) if facts is not None else frozenset()
        if facts is None or not widths:
            raise PageNeedsPdfminer("a character of a font not embedded that its dictionary does not map")
        a, b, c, _d = linear
        if b == 0 and c == 0 and a:
            drawn = (loose.right - loose.left) / abs(a)
            spanned = frozenset(w for w in widths if abs(w * size - drawn) * abs(a) <= 0.01)
            if not spanned and len(widths) == 1 and self._ink_reaches_past(font, text, size, a, x, loose, textpage, index, next(iter(widths))):
                spanned = widths
            widths = spanned
        if len(widths) != 1:
            raise PageNeedsPdfminer("PDFium's advance of a character of a font not embedded is not its dictionary's")
        self._substituted = True
        return facts.fontname, facts.descent() * size, next(iter(widths)) * size

    def _ink_reaches_past(self, font: Any, text: str, size: float, a: float, x: float, loose: Any, textpage: Any, index: int, width: float) -> bool:
        """The loose box of an upright character of a font not embedded spans the ink of
        PDFium's substitute glyph, which reaches past the advance, and is consistent with
        the dictionary's ``width`` (the only one of the codes pdfminer maps to the text),
        which is also PDFium's own width for its code of that Unicode (pdfium_ink)."""
        if textpage is None or len(text) != 1:
            return False
        own = glyph_width(font, ord(text), size)
        if own is None or abs(own - width * size) * abs(a) > 0.01:
            return False
        ink = ink_box(textpage, index)
        return ink is not None and advance_within_ink(x, a, width * size, (loose.left, loose.right), (ink[0], ink[2]))

    def _may_be_ideographic_space(self, font: Any) -> bool:
        """The embedded font has a code pdfminer maps to U+3000 (a CID font's ideographic
        space), or its dictionary is not known: a text object of it missing from the text
        page is not surely a space. Decided once per font of the page (a page of Word's
        lone spaces asks it for every space)."""
        if self._font_dictionaries is None:
            return True
        address = pdfium_native.address_of(font)
        known = self._ideographic.get(address)
        if known is None:
            found = self._font_dictionaries.candidates(self.page_number, base_font_name(font), embedded=True)
            known = self._ideographic[address] = not found or any(f.multibyte and f.widths("\u3000") for f in found)
        return known

    def _dictionary_font(self, font: Any) -> DictFont | None:
        address = pdfium_native.address_of(font)
        if address not in self._dict_fonts:
            found = None
            if font and self._font_dictionaries is not None:
                name = base_font_name(font)
                found = self._font_dictionaries.match(self.page_number, name)
                if found is None and len(self._font_dictionaries.candidates(self.page_number, name, embedded=False)) > 1:
                    # several dictionaries of this name that differ: the one the text
                    # objects' operators name, where the content proves it
                    found = self._content_fonts().get(address)
            self._dict_fonts[address] = found
        return self._dict_fonts[address]

    def _alignment(self, traced: bool = False) -> Aligned:
        """The page's text objects aligned with its content's operators (pdfium_aligned),
        made once per page. ``traced``: the characters are all read, so the first index of
        each object is found in the trace (``traced_first_indexes``) rather than asked of
        the text page again. Raises NotProved."""
        if self._aligned is None:
            fonts = self._font_dictionaries
            page, textpage = self._handles
            objects, object_facts = self._text_objects, self._object_facts

            def facts(address: int) -> tuple[Any, int, bool]:  # a text object's facts, known from its characters mostly
                return objects.get(address) or object_facts(address)

            try:
                if fonts is None:
                    raise NotProved("no font dictionaries")
                first = traced_first_indexes(self._trace) if traced else first_indexes(textpage)
                self._aligned = aligned_operators(fonts, self.page_number, page, textpage, first, facts, base_font_name)
            except NotProved as exc:
                self._aligned = exc
        if isinstance(self._aligned, NotProved):
            raise self._aligned
        return self._aligned

    def _content_fonts(self) -> dict[int, DictFont]:
        """The font dictionary of each PDFium font of the page (by key), from the page's text
        objects aligned with its content's operators; empty where the alignment is not
        proved (the page then goes to pdfminer as before)."""
        if self._content_font_keys is None:
            try:
                self._content_font_keys = fonts_by_key(self._alignment(), self._object_facts)
            except NotProved:
                self._content_font_keys = {}
        return self._content_font_keys

    def _same_as_operators(self, by_object: dict[int, list[Obj]], ctm: Matrix) -> bool:
        """Every character of the text page is what pdfminer reads from the content's
        operators (pdfium_aligned.same_as_operators): text, size, advance and descent,
        object by object, and where the operator puts it; the spaces after a space the text
        page left out are put back as pdfminer gives them."""
        read, linear_of = self._operator_reads(by_object)
        try:
            aligned = self._alignment(traced=True)
            left_out = same_as_operators(aligned, read)
        except NotProved:
            return False
        for address, spaces in left_out.items():
            chars, linear, fontname = by_object[address], linear_of[address], aligned[address][1].fontname
            for inserted, space in enumerate(spaces):
                origin = (space.x, space.y)
                char = self._char(" ", fontname, linear, space.x, space.y, space.size, space.descent, space.advance, *_advance_box(origin, space.advance, linear), ctm)
                chars.insert(space.after + inserted, char)
        return True

    def _operator_reads(self, by_object: dict[int, list[Obj]]) -> tuple[dict[int, list[Read]], dict[int, tuple[float, float, float, float]]]:
        """The characters of the text page as same_as_operators compares them (Read), by
        text object, and each object's linear part of its matrix."""
        read: dict[int, list[Read]] = {}
        linear_of: dict[int, tuple[float, float, float, float]] = {}
        objects = self._text_objects
        last: tuple[int, float] | None = None  # the object and size of the character before
        found: list[Read] = []
        chars: list[Obj] = []
        descent = 0.0
        for address, x, y, advance, linear, size, _space, _object, _index in self._trace:
            if (address, size) != last:  # the object's facts and descent, once per run of its characters
                found, chars = read.setdefault(address, []), by_object[address]
                font = (objects.get(address) or self._object_facts(address))[0] if address else None
                descent = self._descent(font, size) if font else 0.0
                linear_of.setdefault(address, linear)
                last = (address, size)
            found.append((chars[len(found)]["text"], size, advance, descent, x, y, linear[0], linear[1]))
        return read, linear_of

    def _name_as_pdfminer(self, aligned: Aligned) -> None:
        """On a page whose text objects are aligned with its operators, every character takes
        the font name pdfminer gives it, its operator's font dictionary's (PDFium's name of an
        embedded font may differ: bytes that are not ASCII come back as U+FFFD, some
        without the subset prefix), as the characters read from the content have."""
        for address, chars in self._chars_of.items():
            entry = aligned.get(address)
            if entry is not None:
                for char in chars:
                    char["fontname"] = entry[1].fontname
        for address, char in self._lone_spaces:
            entry = aligned.get(address)
            if entry is not None:
                char["fontname"] = entry[1].fontname

    def _read_chars(self, handle: Any, ctm: Matrix) -> dict[int, list[Obj]]:
        """The characters of the text page, grouped by the address of the text object that
        draws them (0: none).

        The hot loop of the reader (1.6 million characters on the corpora): PDFium is asked
        five or six things per character through ``pdfium_calls`` (no ctypes argument
        conversion, out-parameters made once), and the facts of a text object (its font,
        whether that is embedded) and of a font at a size (name, descent) are asked once.
        Where the C extension is built (pdfium_native), the same loop runs in C; this one is
        the fallback and the oracle."""
        if pdfium_native.enabled():
            return self._read_chars_native(handle, ctm)
        count = raw.FPDFText_CountChars(handle)
        matrix, rect = raw.FS_MATRIX(), raw.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        matrix_out, rect_out, ox_out, oy_out = ctypes.byref(matrix), ctypes.byref(rect), ctypes.byref(ox), ctypes.byref(oy)
        unicode_of, is_generated, object_of = calls.text_unicode, calls.text_is_generated, calls.text_object
        matrix_of, origin_of, loose_box_of, size_of = calls.text_matrix, calls.text_origin, calls.text_loose_box, calls.text_font_size
        fonts, widths, make_char = self._fonts, self._widths, self._char
        pending_high = 0
        self._substituted = False  # a font not embedded is read from its dictionary on this page
        self._doubtful = False  # a character the text page may have left out or mapped otherwise
        trace: list[Traced] = []
        self._trace = trace  # kept for the spaces put back (_put_spaces_back)
        unchecked: list[tuple[int, float, float]] = []  # advances whose loose box is not asked yet
        by_object: dict[int, list[Obj]] = {}
        # per text object (by address): its font, the font's key (address, 0: none), embedded
        objects = self._text_objects
        for i in range(count):
            code = unicode_of(handle, i)
            if code in GENERATED_CODES and is_generated(handle, i):
                continue
            if code == 0x02:  # PDFium's mark for a hyphen that ends a line: the document prints "-"
                code = 0x2D
            if 0xD800 <= code < 0xDC00:  # high surrogate: the character is completed by the next
                pending_high = code
                continue
            if pending_high and 0xDC00 <= code < 0xE000:
                code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
            address = object_of(handle, i) or 0
            known = objects.get(address)
            if known is None:  # the font of a text object, asked once per object
                known = objects[address] = self._object_facts(address)
            font, font_key, embedded = known
            matrix_of(handle, i, matrix_out)
            origin_of(handle, i, ox_out, oy_out)
            size = size_of(handle, i)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            linear = (a, b, c, d)
            x, y = ox.value, oy.value
            if embedded:
                named = fonts.get((font_key, size))
                fontname, descent = named if named is not None else self._font(font, size)
                advance = widths.get((font_key, code, size), False)
                if advance is False:
                    advance = self._glyph_width(font, font_key, code, size)
                if advance is not None and b == 0 and c == 0 and a and d:
                    # upright with an advance (most characters): glyph_box replaces every side
                    # of the loose box, which serves only to check the advance, and that
                    # check only counts on a page with a font not embedded: made at the end
                    # on such a page (``_advances_differ``), the box not asked before
                    unchecked.append((i, advance, a))
                    left = bottom = right = top = 0.0
                else:
                    loose_box_of(handle, i, rect_out)
                    if advance is not None and b == 0 and c == 0 and abs((rect.right - rect.left) - advance * abs(a)) > 0.01:
                        self._doubtful = True  # PDFium's Unicode may not be the code's (U+0020 for U+3000)
                    left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            else:
                loose_box_of(handle, i, rect_out)
                fontname, descent, advance = self._dictionary_glyph(font, chr(code), size, linear, rect, handle, i, x)
                if a == 0 and d == 0 and b:
                    # turned a quarter: glyph_box keeps the loose box along the baseline,
                    # which spans the substitute glyph's advance; the dictionary's is pdfminer's
                    rect.bottom, rect.top = sorted((y, y + advance * b))
                left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
            # what the gap checks need, evaluated only on a page with a font not embedded
            trace.append((address, x, y, advance or 0.0, linear, size, code == 0x20, address, i))
            char = make_char(chr(code), fontname, linear, x, y, size, descent, advance, left, bottom, right, top, ctm)
            group = by_object.get(address)
            if group is None:
                by_object[address] = [char]
            else:
                group.append(char)
        if self._substituted and not self._doubtful and self._advances_differ(handle, unchecked):
            self._doubtful = True
        if self._substituted and characters_left_out(trace, self._object_embedded, handle, self._put_back, self._two_byte_codes):
            self._doubtful = True
        return by_object

    def _read_chars_native(self, handle: Any, ctm: Matrix) -> dict[int, list[Obj]]:
        """``_read_chars`` by the C loop (pdfium_native): the same characters, caches and
        flags; the trace is kept packed and unpacked only if it is read (``_trace``). Where the
        characters' runs by text object are contiguous on a page of embedded fonts, they are
        kept (``_char_runs``) and an empty dict is returned: the walk groups what it must."""
        self._substituted = False
        self._doubtful = False
        chars, packed, runs, contiguous = pdfium_native.read_char_runs(self, handle, ctm)
        self._trace_list, self._trace_packed = None, packed
        if self._substituted and not self._doubtful and pdfium_native.advances_differ(handle, packed):
            self._doubtful = True
        if self._substituted and characters_left_out(self._trace, self._object_embedded, handle, self._put_back, self._two_byte_codes):
            self._doubtful = True
        if contiguous and not self._substituted and pdfium_native.walk_reads_runs:
            # nothing reads or changes the groups before the walk, which makes them from the
            # runs as far as it needs them (pdfium_native.walk)
            self._char_runs = (chars, runs)
            return {}
        return pdfium_native.group_runs(chars, runs)

    @property
    def _trace(self) -> list[Traced]:
        """The characters as the gap checks see them (Traced), in text page order: the C
        loop's packed records are unpacked on first use (most pages never read them)."""
        if self._trace_list is None:
            self._trace_list = pdfium_native.traced(self._trace_packed)
        return self._trace_list

    @_trace.setter
    def _trace(self, trace: list[Traced]) -> None:
        self._trace_list = trace

    @staticmethod
    def _advances_differ(handle: Any, unchecked: list[tuple[int, float, float]]) -> bool:
        """An upright character of an embedded font (text page index, advance, matrix's a)
        whose loose box does not span its advance: PDFium's Unicode may not be the code's
        (U+0020 for U+3000)."""
        rect = raw.FS_RECTF()
        rect_out = ctypes.byref(rect)
        for i, advance, a in unchecked:
            calls.text_loose_box(handle, i, rect_out)
            if abs((rect.right - rect.left) - advance * abs(a)) > 0.01:
                return True
        return False

    def _object_facts(self, address: int) -> tuple[Any, int, bool]:
        """A text object's font (a ctypes pointer, None when the object has none), the font's
        key (its address, 0 for none) and whether it is embedded (or a standard font).

        An object of the text page has them in ``_text_objects`` already (the very tuple
        found here by its font): the alignment with the operators asks for every object
        again, and PDFium's font of it was a ctypes call each time."""
        known = self._text_objects.get(address)
        if known is not None:
            return known
        key = calls.text_object_font(ctypes.c_void_p(address)) or 0 if address else 0
        facts = self._font_facts.get(key)
        if facts is None:  # once per font of the page
            font = ctypes.cast(key, raw.FPDF_FONT) if key else None
            facts = self._font_facts[key] = (font, key, self._embedded(font))
        return facts

    def _object_embedded(self, address: int) -> bool:
        """Whether the font of the text object at this address is embedded (or standard)."""
        known = self._text_objects.get(address)
        if known is None:
            known = self._text_objects[address] = self._object_facts(address)
        return known[2]

    def _char(self, text: str, fontname: str, linear: tuple[float, float, float, float], x: float, y: float, size: float, descent: float, advance: float | None, left: float, bottom: float, right: float, top: float, ctm: Matrix) -> Obj:
        """A pdfplumber character from its user-space geometry: origin (x, y), PDFium's loose
        box (left, bottom, right, top).

        The steps of ``multiply``, ``glyph_box``, ``apply``, ``snap`` and ``_place`` written
        out in one function, with the same arithmetic in the same order (so the same bits):
        this runs once per character. With ``glyph_ascent`` (pdf.ASCENT), the box of a glyph
        whose font's descent puts it below its baseline is rebuilt here as
        ``pdf.fix_glyph_boxes`` rebuilds it, which then passes the page by
        (``glyph_boxes_fixed``): one pass over the characters instead of two."""
        a, b, c, d = linear
        a1, b1, c1, d1, e1, f1 = ctm
        char_matrix = (a * a1 + b * c1, a * b1 + b * d1, c * a1 + d * c1, c * b1 + d * d1, x * a1 + y * c1 + e1, x * b1 + y * d1 + f1)
        # glyph_box: pdfminer's box in user space
        if b == 0 and c == 0 and d:
            base = y + descent * d
            end = base + size * d
            bottom, top = (end, base) if end < base else (base, end)
            if advance is not None and a:
                end = x + advance * a
                left, right = (end, x) if end < x else (x, end)
        elif a == 0 and d == 0 and c:
            base = x + descent * c
            end = base + size * c
            left, right = (end, base) if end < base else (base, end)
        # to display space, on pdfminer's grid (snap), the two corners sorted as sorted() does
        x0, x1 = round(a1 * left + c1 * bottom + e1, 4), round(a1 * right + c1 * top + e1, 4)
        y0, y1 = round(b1 * left + d1 * bottom + f1, 4), round(b1 * right + d1 * top + f1, 4)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        ca, cb, cc, cd = char_matrix[:4]
        mb_x0, mb_top = self.mediabox[0], self.mediabox[1]
        height = self._page_height
        top, bottom, size = (height - y1) + mb_top, (height - y0) + mb_top, y1 - y0
        upright = ca * cd > 0 and cb * cc <= 0
        ascent = self.glyph_ascent
        if ascent is not None and upright and not (cb or cc or ca <= 0 or cd <= 0):
            # pdf._fix_glyph_boxes for this character, as it is made (its tests in its
            # order, its operations; size and height keep the box's height before it)
            baseline = height - char_matrix[5] + mb_top
            if top > baseline - 0.5 * size:
                top, bottom = baseline - ascent * size, baseline + (1 - ascent) * size
                y0, y1 = height - bottom + mb_top, height - top + mb_top
        return {
            "object_type": "char", "text": text, "fontname": fontname, "size": size, "upright": upright, "matrix": char_matrix,
            "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1, "width": x1 - x0, "height": size,
            "top": top, "bottom": bottom, "doctop": self.initial_doctop + top, "page_number": self.page_number,
        }

    def _font(self, font: Any, size: float) -> tuple[str, float]:
        """A font's name (BaseFont, subset prefix included, as pdfminer gives it) and its
        descent at this size (the FontDescriptor's, negative, as pdfminer uses it)."""
        address = pdfium_native.address_of(font)
        key = (address, size)
        known = self._fonts.get(key)
        if known is None:
            name, descent = "", 0.0
            if font:
                name = self._font_names.get(address)  # the name is the font's at every size
                if name is None:
                    name = self._font_names[address] = base_font_name(font).decode("utf-8", "replace")
                value = ctypes.c_float()
                if name in FONT_METRICS:  # a standard font: pdfminer takes its metrics from the AFM
                    descent = -abs(float(FONT_METRICS[name][0]["Descent"])) * size / 1000  # type: ignore[arg-type]
                elif raw.FPDFFont_GetDescent(font, ctypes.c_float(size), value):
                    descent = -abs(value.value)
            known = self._fonts[key] = (name, descent)
        return known

    def _embedded(self, font: Any) -> bool:
        """Embedded, or a standard font whose metrics pdfminer and PDFium both know (AFM)."""
        address = pdfium_native.address_of(font)
        known = self._embedded_fonts.get(address)
        if known is None:
            known = bool(font) and (bool(raw.FPDFFont_GetIsEmbedded(font)) or self._font(font, 1.0)[0] in FONT_METRICS)
            self._embedded_fonts[address] = known
        return known

    def _text_object(self, handle: Any, ctm: Matrix) -> None:
        """The characters of one text object, in content order.

        PDFium's text page leaves out a text object that draws only a space (Word writes one
        per space), which pdfminer reads: a lone space is put back as pdfminer gives it. A
        font that is not embedded is drawn by PDFium with a substitute whose advances and
        names are not the PDF's: its characters are read from the font dictionary
        (``_dictionary_glyph``); a font whose dictionary cannot be matched, or a page with
        any other text object missing from the text page, goes to the pdfplumber reader.

        A missing text object of a font not embedded may be a space or a code the substitute
        has no glyph for: it is noted and read from the page's content once every object is
        known (``_read_missing``). On a page with a font not embedded, a missing one of an
        embedded CID font that has an ideographic space (U+3000) is read from the content
        the same way (PDFium leaves out a lone U+3000 as well, and it is not told apart from
        a space by PDFium's geometry), and so is a missing object of an embedded font that
        PDFium's geometry does not show to be a lone space.

        A text object whose bounds reach outside its clip path keeps only the characters
        the clip path shows (pdfium_clip: the walks, in C and Python, hand every such object
        to this method)."""
        address = ctypes.addressof(handle.contents) if handle else 0
        chars = self._by_object.pop(address, None)
        font, _key, embedded = self._text_objects.get(address) or self._object_facts(address)
        if not embedded and self._dictionary_font(font) is None:
            raise PageNeedsPdfminer("a font is not embedded")
        clip = exceeds_clip(handle) if handle else None
        if chars is not None:
            self._ordered_chars.extend(chars if clip is None else within_clip(chars, clip, ctm, self.mediabox[0]))
            return
        ideographic = embedded and self._substituted and self._may_be_ideographic_space(font)
        if self._font_dictionaries is not None and (not embedded or ideographic):
            # read once every object is known, from the page's content (_read_missing):
            # a font not embedded, or an embedded CID font whose ideographic space the
            # text page leaves out like a space, on a page with a font not embedded
            self._missing.append((len(self._ordered_chars), handle, ctm))
            return
        if not embedded or ideographic:
            raise PageNeedsPdfminer(MISSING_NOT_EMBEDDED)
        size = ctypes.c_float()
        raw.FPDFTextObj_GetFontSize(handle, size)
        space = glyph_width(font, 0x20, size.value)
        left, _bottom, right, _top = object_bounds(handle)
        matrix = object_matrix(handle)
        if not space or matrix[1] or matrix[2] or right - left > 0.5 * space * abs(matrix[0]):
            if self._font_dictionaries is not None:
                # not a lone space by PDFium's geometry (a subset font without a width for
                # U+0020): read from the page's content, as above
                self._missing.append((len(self._ordered_chars), handle, ctm))
                return
            raise PageNeedsPdfminer("a text object is missing from the text page")
        fontname, descent = self._font(font, size.value)
        x, y = matrix[4], matrix[5]
        linear = (matrix[0], matrix[1], matrix[2], matrix[3])
        char = self._char(" ", fontname, linear, x, y, size.value, descent, space, x, y, x + space * matrix[0], y + size.value * matrix[3], ctm)
        if clip is not None and not within_clip((char,), clip, ctm, self.mediabox[0]):
            return  # a space its clip path hides
        self._ordered_chars.append(char)
        self._lone_spaces.append((address, char))

    def _read_missing(self, page: Any, textpage: Any) -> None:
        """The text objects of a font not embedded that the text page left out, read from
        the page's content as pdfminer reads them (pdfium_missing: the k-th text object is
        the k-th text-showing operator, proved by the count, one PDFium font for one font
        dictionary both ways, the name of a font not embedded, and the first character of
        every object the text page has), put among the characters in content order: each
        character where pdfminer's steps put it from the object's origin, its box pdfminer's
        (``text_space_box``), whatever the object's matrix. What is not proved hands the
        page over."""
        fonts = self._font_dictionaries
        if fonts is None or self._put_back:
            # spaces put back by pdfium_spaces are proved from the text page's geometry,
            # which a TJ adjustment of exactly a space's width after a kept space imitates
            # (seen on two pages of the corpus that also have missing objects); such a
            # page is left to pdfminer
            raise PageNeedsPdfminer(MISSING_NOT_EMBEDDED)
        try:
            at = self._alignment(traced=True)
            read_glyphs = [glyphs(font_dict, show) for show, font_dict in (at[ctypes.addressof(handle.contents)] for _position, handle, _ctm in self._missing)]
            for (position, handle, ctm), found in zip(reversed(self._missing), reversed(read_glyphs), strict=True):
                show = at[ctypes.addressof(handle.contents)][0]
                size = ctypes.c_float()
                raw.FPDFTextObj_GetFontSize(handle, size)
                a, b, c, d, x, y = object_matrix(handle)
                if abs(size.value - show.size) > 1e-4:
                    raise NotProved("a missing text object of another size than its operator's")
                linear = (a, b, c, d)
                chars = []
                for glyph in found:
                    origin = (x + glyph.offset * a, y + glyph.offset * b)
                    advance, descent = glyph.width * size.value, glyph.descent * size.value
                    box = text_space_box(linear, origin, descent, size.value, advance)
                    chars.append(self._char(glyph.text, glyph.fontname, linear, *origin, size.value, descent, advance, *box, ctm))
                clip = exceeds_clip(handle)
                self._ordered_chars[position:position] = chars if clip is None else within_clip(chars, clip, ctm, self.mediabox[0])
            if not self._proved_by_operators and any(len(found) > 1 for found in read_glyphs):
                # Word's runs of spaces: the text page may also have kept only the first
                # space of such a run in an object it has, so every character it has must
                # be its operator's (pdfium_aligned.same_as_operators), and the spaces it
                # left out are put back as pdfminer gives them
                self._put_back_from_operators(at)
        except NotProved:
            raise PageNeedsPdfminer(MISSING_NOT_EMBEDDED) from None

    def _put_back_from_operators(self, aligned: Aligned) -> None:
        """After the walk: every character of the text page proved against its operator
        (``same_as_operators``), and the spaces after a space that the text page left out
        put among the characters in content order, each after the character before it in
        its object. Raises NotProved."""
        read, linear_of = self._operator_reads(self._chars_of)
        ctm = rotation_matrix(self.rotation, self._box)
        for address, spaces in same_as_operators(aligned, read).items():
            chars, linear, fontname = self._chars_of[address], linear_of[address], aligned[address][1].fontname
            for space in reversed(spaces):
                before = chars[space.after - 1]
                at = next((i for i, char in enumerate(self._ordered_chars) if char is before), None)
                if at is None:
                    continue  # the character before it is hidden by its clip path (pdfium_clip): left out with it
                origin = (space.x, space.y)
                char = self._char(" ", fontname, linear, space.x, space.y, space.size, space.descent, space.advance, *_advance_box(origin, space.advance, linear), ctm)
                self._ordered_chars.insert(at + 1, char)

    def _graphics(self, page: Any, ctm: Matrix) -> dict[str, list[Obj]]:
        """The page's objects walked in content order (``page``: its FPDF_PAGE): paths and
        images into the dict returned, characters onto ``_ordered_chars``."""
        found: dict[str, list[Obj]] = {"line": [], "rect": [], "curve": [], "image": []}
        self._ordered_chars: list[Obj] = []
        if pdfium_native.enabled():  # the same walk in C, one call for the page
            handed_back = lambda address, kind, ctm, depth: self._handed_back(address, kind, ctm, found, depth)  # noqa: E731
            pdfium_native.walk(self, page, ctm, found, handed_back, lone_spaces=True, runs=self._char_runs)
            return found
        count = raw.FPDFPage_CountObjects(page)
        get = calls.page_object
        self._walk((get(page, i) for i in range(count)), ctm, found, depth=0)
        return found

    def _handed_back(self, address: int, kind: int, ctm: Matrix, found: dict[str, list[Obj]], depth: int) -> None:
        """An object the C walk leaves to Python (pdfium_native.walk): a text object that is
        not the usual one (``_text_object``), an image, a path or form whose matrix PDFium
        does not give (the Python walk of that one object)."""
        handle = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
        if kind == TEXT:
            self._text_object(handle, ctm)
        else:
            self._walk((handle,), ctm, found, depth)

    def _walk(self, handles: Iterable[Any], ctm: Matrix, found: dict[str, list[Obj]], depth: int) -> None:
        type_of, text_object, path_object = calls.object_type, self._text_object, self._path_object
        by_object, text_objects, ordered = self._by_object, self._text_objects, self._ordered_chars
        buffers = PathBuffers()
        # with the C loop, the path objects' dicts are built there too (_path_object's place)
        place = (self._page_height, self.mediabox[0], self.mediabox[1], self.initial_doctop, self.page_number) if buffers.native else None
        for handle in handles:
            kind = type_of(handle)
            if kind == TEXT:
                # the usual text object, of an embedded font, whose characters the text page
                # has: its characters in content order (else _text_object sees to it)
                address = ctypes.addressof(handle.contents)
                facts = text_objects.get(address)
                if facts is not None and facts[2] and exceeds_clip(handle) is None:
                    chars = by_object.pop(address, None)
                    if chars is not None:
                        ordered.extend(chars)
                        continue
                text_object(handle, ctm)
            elif kind == PATH:
                if place is not None:
                    matrix = painted_matrix(handle, ctm, buffers)
                    if matrix is not None:
                        for shape, obj in pdfium_native.path_objects(handle, matrix, buffers.x, buffers.y, place):
                            found[shape].append(obj)
                    continue
                for shape, points in path_shapes(handle, ctm, buffers):
                    found[shape].append(path_object(shape, points))
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = object_bounds(handle)
                (ax, ay), (bx, by) = apply(ctm, left, bottom), apply(ctm, right, top)
                found["image"].append(self._place({"object_type": "image"}, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 16:
                form = multiply(object_matrix(handle), ctm)
                count = raw.FPDFFormObj_CountObjects(handle)
                get = calls.form_object
                self._walk((get(handle, i) for i in range(count)), form, found, depth + 1)

    def _path_object(self, shape: str, points: list[tuple[float, float]]) -> Obj:
        """A line, rect or curve dict: ``_place`` of the points' box, written out (a page has
        thousands of ruling segments), then the points as pdfplumber's point2coord gives them
        (display x, top-based y)."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        height = self._page_height
        mb_x0, mb_top = self.mediabox[0], self.mediabox[1]
        top = (height - y1) + mb_top
        return {
            "object_type": shape, "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": top, "bottom": (height - y0) + mb_top, "doctop": self.initial_doctop + top, "page_number": self.page_number,
            "pts": [(mb_x0 + x, mb_top + height - y) for x, y in points],
        }


def _advance_box(origin: tuple[float, float], advance: float, linear: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A loose box spanning a glyph's advance from its origin along its baseline (what
    glyph_box takes from PDFium's loose box for a glyph turned a quarter)."""
    x, y = origin
    ex, ey = x + advance * linear[0], y + advance * linear[1]
    return min(x, ex), min(y, ey), max(x, ex), max(y, ey)


def text_space_box(linear: tuple[float, float, float, float], origin: tuple[float, float], descent: float, size: float, advance: float) -> tuple[float, float, float, float]:
    """pdfminer's box of a character in user space (LTChar: its text-space box, from the
    descent to descent + size over the advance, through the character's matrix, and the
    box around the four corners, as apply_matrix_rect takes it), for any matrix: turned,
    slanted (an italic made by a skewed matrix) or upright."""
    a, b, c, d = linear
    corners = [(a * u + c * v + origin[0], b * u + d * v + origin[1]) for u in (0.0, advance) for v in (descent, descent + size)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def characters_left_out(
    trace: list[Traced], embedded: Callable[[int], bool], textpage: Any = None, put_back: list[LeftOut] | None = None, two_byte_codes: Callable[[int], bool] | None = None
) -> bool:
    """PDFium's text page may have left out a character of this page: a gap inside a text
    object (``skipped``) or a text object that reaches further than the space it ends with
    (``spaces_left_out``). ``embedded`` tells whether the font of the text object at an
    address (0: none) is embedded or standard. A gap proved to be spacing
    (pdfium_spaces.gap_is_spacing) is not, nor one proved to hold a counted run of spaces
    (pdfium_spaces.spaces_after), which is added to ``put_back``."""
    previous: Previous | None = None
    for at, (address, x, y, advance, (a, b, c, _d), size, space, handle, index) in enumerate(trace):
        if previous is not None and (_left_out_between(textpage, previous, address, x, y, index) if previous[0] == address else spaces_left_out(previous)):
            found = spaces_after(trace, at - 1, two_byte_codes(previous[6])) if put_back is not None and two_byte_codes is not None and previous[0] == address and previous[5] else None
            if found is None:
                return True
            put_back.append(found)
        strict = bool(b or c) and not embedded(handle)
        previous = (address, x + advance * a, y + advance * b, (a, b), size, space, handle, strict, index)
    return previous is not None and spaces_left_out(previous)


def _left_out_between(textpage: Any, previous: Previous, address: int, x: float, y: float, index: int) -> bool:
    """A gap (``skipped``) that is not proved to be spacing (pdfium_spaces.gap_is_spacing;
    without the text page, none is)."""
    if not skipped(previous, address, x, y):
        return False
    return textpage is None or not gap_is_spacing(textpage, previous[8], index, x, y, previous[5], previous[7])


def skipped(previous: Previous | tuple[Any, ...], address: int, x: float, y: float) -> bool:
    """A character of the same text object starts further along the baseline than the
    previous one ends (by more than a tenth of the font size): a gap where PDFium may have
    left a character out. For a ``strict`` previous character (a font not embedded turned
    a quarter, whose advance PDFium's loose box does not confirm) the next one must start
    where its advance ends: PDFium places it by the real code's width."""
    _, ex, ey, (a, b), size, _space, _handle, strict = previous[:8]
    norm = (a * a + b * b) ** 0.5
    if not norm:
        return False
    dx, dy = x - ex, y - ey
    along, across = (dx * a + dy * b) / norm, (dy * a - dx * b) / norm
    if strict and abs(along) > 0.01 * size * norm:
        return True
    return abs(across) < 0.01 * size * norm and along > 0.1 * size * norm


def spaces_left_out(previous: Previous) -> bool:
    """The last character PDFium gives of a text object is a space and the object reaches
    further along the baseline than that space's advance: PDFium left out the spaces that
    follow it (the bounds of a text object span every advance, spaces included)."""
    _, ex, ey, (a, b), size, space, handle, _strict = previous[:8]
    if not space:
        return False
    if not handle or (a and b) or not (a or b):
        return True  # no object, or a slanted one: not measured
    left, bottom, right, top = object_bounds(ctypes.cast(handle, raw.FPDF_PAGEOBJECT))
    reach = (right - ex) if a > 0 else (ex - left) if a < 0 else (top - ey) if b > 0 else (ey - bottom)
    return reach > 0.01 * size * abs(a or b)


def first_indexes(textpage: Any) -> dict[int, int]:
    """The text page index of the first character of each text object (by address) as the
    reader's trace gives it (``PdfiumPage._read_chars``): characters PDFium generated and
    the high half of a surrogate pair left out."""
    first: dict[int, int] = {}
    unicode_of, is_generated, object_of = calls.text_unicode, calls.text_is_generated, calls.text_object
    for i in range(raw.FPDFText_CountChars(textpage)):
        code = unicode_of(textpage, i)
        if (code in GENERATED_CODES and is_generated(textpage, i)) or 0xD800 <= code < 0xDC00:
            continue
        first.setdefault(object_of(textpage, i) or 0, i)
    return first


def traced_first_indexes(trace: list[Traced]) -> dict[int, int]:
    """``first_indexes`` from the reader's trace of the page's characters once they are all
    read: the trace leaves out the same characters (generated, high surrogates) and keeps
    each one's text page index, so no character is asked of PDFium again."""
    return {entry[0]: entry[8] for entry in reversed(trace)}


def snap(value: float) -> float:
    """A coordinate on pdfminer's grid: PDFium computes in single precision, pdfminer in
    double from the decimals of the content stream. Rounded to 1/10,000 pt, a position the
    document wrote as a short decimal comes out as pdfminer's, so gaps that are exactly a
    tolerance (a 3 pt gap between two words of a title) are decided the same way."""
    return round(value, 4)


# a buffer for a font's BaseFont (``base_font_name``): one ctypes array type made once, where
# create_string_buffer made a new array type for each length not alive at the time (a class
# made and collected again: 0.08 CPU-s of the reader on the corpora)
NAME_BUFFER = ctypes.c_char * 256


def base_font_name(font: Any) -> bytes:
    """A PDFium font's BaseFont as its bytes (FPDFFont_GetBaseFontName, the terminating zero
    left off)."""
    length = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = NAME_BUFFER() if length <= NAME_BUFFER._length_ else ctypes.create_string_buffer(length)
    raw.FPDFFont_GetBaseFontName(font, buffer, length)
    return buffer.value


def glyph_width(font: Any, code: int, size: float) -> float | None:
    """The advance of a character in text space at this size: the width the PDF's font
    dictionary gives its code (/W, /Widths), as pdfminer uses it; PDFium's loose box takes
    the advance of the glyph of the font program (a substitute for a font not embedded)."""
    if not font:
        return None
    width = ctypes.c_float()
    if not calls.font_glyph_width(font, code, ctypes.c_float(size), ctypes.byref(width)) or width.value <= 0:
        return None
    return width.value


def glyph_box(linear: tuple[float, float, float, float], origin: tuple[float, float], size: float, descent: float, advance: float | None, loose: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """pdfminer's box of a glyph in user space.

    pdfminer spans a glyph from the font's descent (the FontDescriptor's) to descent + font
    size along the glyph's up direction, and over its advance. PDFium's loose box spans the
    same advance but its height comes from the font program's metrics, so only the advance
    is taken from it. A glyph drawn at an angle other than a multiple of 90° keeps PDFium's
    box."""
    a, b, c, d = linear
    left, bottom, right, top = loose
    if b == 0 and c == 0 and d:
        base = origin[1] + descent * d
        bottom, top = sorted((base, base + size * d))
        if advance is not None and a:
            left, right = sorted((origin[0], origin[0] + advance * a))
    elif a == 0 and d == 0 and c:
        base = origin[0] + descent * c
        left, right = sorted((base, base + size * c))
    return left, bottom, right, top


def object_matrix(handle: Any, matrix: Any = None) -> Matrix:
    """A page object's matrix (``matrix``: an FS_MATRIX to reuse as the out-parameter)."""
    if matrix is None:
        matrix = raw.FS_MATRIX()
    if not calls.object_matrix(handle, ctypes.byref(matrix)):
        return (1, 0, 0, 1, 0, 0)
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


class PathBuffers:
    """The out-parameters of ``path_shapes``, made once per page rather than per path, and
    whether its loop runs in C (``native``, asked once per page: pdfium_native.enabled)."""

    def __init__(self) -> None:
        self.native = pdfium_native.enabled()
        self.fill, self.stroke, self.x, self.y = ctypes.c_int(), ctypes.c_int(), ctypes.c_float(), ctypes.c_float()
        self.matrix = raw.FS_MATRIX()
        self.fill_out, self.stroke_out = ctypes.byref(self.fill), ctypes.byref(self.stroke)
        self.x_out, self.y_out = ctypes.byref(self.x), ctypes.byref(self.y)


def object_bounds(handle: Any) -> tuple[float, float, float, float]:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    raw.FPDFPageObj_GetBounds(handle, left, bottom, right, top)
    return left.value, bottom.value, right.value, top.value


def painted_matrix(handle: Any, ctm: Matrix, b: PathBuffers) -> Matrix | None:
    """A path object's matrix times the CTM, or None for a path neither stroked nor filled
    (a clipping path, "n": pdfminer paints nothing)."""
    if not calls.path_draw_mode(handle, b.fill_out, b.stroke_out) or (not b.fill.value and not b.stroke.value):
        return None
    return multiply(object_matrix(handle, b.matrix), ctm)


def path_shapes(handle: Any, ctm: Matrix, buffers: PathBuffers | None = None) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """The subpaths of a painted path object as pdfminer classes them (converter.paint_path):
    ("line" | "rect" | "curve", points in pdfminer's display space).

    Four PDFium calls per segment (``pdfium_calls``, out-parameters made once per path);
    each point is turned by the path's matrix and snapped (``apply`` and ``snap`` written
    out, the same arithmetic)."""
    b = buffers or PathBuffers()
    matrix = painted_matrix(handle, ctm, b)
    if matrix is None:
        return  # a clipping path ("n"): pdfminer paints nothing
    if b.native:  # the same loop and classes in C (pdfium_native)
        yield from pdfium_native.path_shapes(handle, matrix, b.x, b.y)
        return
    m0, m1, m2, m3, m4, m5 = matrix
    ops: list[tuple[str, tuple[float, float]]] = []
    x, y, x_out, y_out = b.x, b.y, b.x_out, b.y_out
    segment_of, point_of, type_of, closes = calls.path_segment, calls.segment_point, calls.segment_type, calls.segment_close
    moveto, bezierto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
    bezier = 0
    for i in range(calls.path_count_segments(handle)):
        segment = segment_of(handle, i)
        point_of(segment, x_out, y_out)
        px, py = x.value, y.value
        point = (round(m0 * px + m2 * py + m4, 4), round(m1 * px + m3 * py + m5, 4))
        kind = type_of(segment)
        if kind == moveto:
            ops.append(("m", point))
            bezier = 0
        elif kind == bezierto:
            bezier += 1
            if bezier % 3 == 0:  # a curve segment is three points; pdfminer keeps its end point
                ops.append(("c", point))
        else:
            ops.append(("l", point))
            bezier = 0
        if closes(segment):
            ops.append(("h", point))
    start = 0
    for end in range(1, len(ops) + 1):
        if end == len(ops) or ops[end][0] == "m":
            if ops[start][0] == "m":
                yield from _classify(ops[start:end])
            start = end


def _classify(path: list[tuple[str, tuple[float, float]]]) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    shape = "".join(op for op, _ in path)
    points = [p if op != "h" else path[0][1] for op, p in path]
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points.pop()
    if shape in {"mlh", "ml"}:
        yield "line", points[:2]
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        closed = points[0] == points[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            yield "rect", [points[0], points[2]]
        else:
            yield "curve", points
    else:
        yield "curve", points
