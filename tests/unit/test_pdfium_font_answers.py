"""The answers of ``DictFonts`` found once per document are the answers found each time.

Stop 25 (issue 14) made ``DictFonts`` remember what depends only on the document: a font
dictionary's entry (and so its pdfminer font and widths) by object number for every page
that lists it, ``candidates`` and ``match`` per page, name and kind, ``resource_font`` per
resources object and name; and ``PdfiumPage._may_be_ideographic_space`` per font of a page.
The oracle here is ``DictFonts`` without any of that (``Unremembered``: a new entry for
every page, every answer worked out again), compared on every page and font name of the
fixture PDFs that have fonts not embedded or embedded CID fonts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfminer.pdftypes import PDFObjRef, resolve1

from yusuan.extract import pdfium as pdfium_reader
from yusuan.extract.pdfium_fonts import DictFont, DictFonts, FontEntry, _embedded, _possible_names

FIXTURES = Path(__file__).parents[1] / "fixtures"
PAGES = sorted((FIXTURES / "corpus-wide-pages").glob("*.pdf"))
# a whole publication with fonts not embedded on many pages (pages read from dictionaries)
JIANCHAYUAN = FIXTURES / "corpus" / "09_js-jianchayuan-2018-bmys" / "bmys.pdf"
SAMPLE_TEXTS = (" ", "\u3000", "0", "6", "-", "表", "预", "算", "A", "\u00a0")


_REMEMBERING_CANDIDATES = DictFonts.candidates


class Unremembered(DictFonts):
    """``DictFonts`` as it was before stop 25: nothing remembered past a page's entries."""

    def match(self, number: int, pdfium_name: bytes, embedded: bool = False) -> DictFont | None:
        return self._match(number, pdfium_name, embedded)

    def candidates(self, number: int, pdfium_name: bytes, embedded: bool) -> list[DictFont]:
        self._candidates.clear()
        return _REMEMBERING_CANDIDATES(self, number, pdfium_name, embedded)

    def resource_font(self, resources: Any, name: str | bytes) -> DictFont | None:
        return self._resource_font(resources, name)

    def _entry(self, ref: Any) -> FontEntry | None:
        spec = resolve1(ref)
        if not isinstance(spec, dict):
            return None
        return FontEntry(
            spec,
            ref.objid if isinstance(ref, PDFObjRef) else None,
            _embedded(spec),
            _possible_names(spec),
        )


def _facts(font: DictFont | None) -> tuple[Any, ...] | None:
    """What the reader asks of a font, by value (two DictFonts make two pdfminer fonts)."""
    if font is None:
        return None
    return (
        type(font.font),
        font.fontname,
        font.names,
        font.embedded,
        font.multibyte,
        font.descent(),
        tuple(font.widths(t) for t in SAMPLE_TEXTS),
    )


def _page_names(fonts: DictFonts, number: int) -> set[bytes]:
    names: set[bytes] = {b"NoSuchFont"}
    for entry in fonts._page_entries(number):
        names |= entry.possible or set()
        built = fonts._built(entry)
        names |= built.names if built is not None else set()
    return names


def _font_resource_names(fonts: DictFonts, number: int) -> tuple[Any, list[Any]]:
    resources = fonts._document_pages()[number - 1].resources
    table = (
        resolve1(resolve1(resources).get("Font")) if isinstance(resolve1(resources), dict) else None
    )
    return resources, (list(table) if isinstance(table, dict) else []) + ["NoSuchResource"]


@pytest.mark.parametrize("path", [*PAGES, JIANCHAYUAN], ids=lambda p: p.name)
def test_remembered_answers_are_the_answers_worked_out_each_time(path: Path):
    fonts, oracle = DictFonts(path), Unremembered(path)
    asked = 0
    try:
        for number in range(1, len(fonts._document_pages()) + 1):
            for name in sorted(_page_names(oracle, number)):
                for embedded in (False, True):
                    for _twice in range(2):
                        expected = [_facts(f) for f in oracle.candidates(number, name, embedded)]
                        assert [
                            _facts(f) for f in fonts.candidates(number, name, embedded)
                        ] == expected
                        assert _facts(fonts.match(number, name, embedded)) == _facts(
                            oracle.match(number, name, embedded)
                        )
                        asked += 1
            resources, resource_names = _font_resource_names(fonts, number)
            oracle_resources = oracle._document_pages()[number - 1].resources
            for resource in resource_names:
                for _twice in range(2):
                    assert _facts(fonts.resource_font(resources, resource)) == _facts(
                        oracle.resource_font(oracle_resources, resource)
                    )
    finally:
        fonts.close()
        oracle.close()
    assert asked


def test_a_font_listed_by_several_pages_is_made_once_with_one_widths_cache():
    fonts = DictFonts(JIANCHAYUAN)
    try:
        by_objid: dict[Any, set[int]] = {}
        for number in range(1, len(fonts._document_pages()) + 1):
            for entry in fonts._page_entries(number):
                if entry.objid:
                    by_objid.setdefault(entry.objid, set()).add(id(entry))
        assert by_objid and all(len(ids) == 1 for ids in by_objid.values())
        shared = [
            objid
            for objid in by_objid
            if sum(
                1
                for n in range(1, len(fonts._document_pages()) + 1)
                for e in fonts._page_entries(n)
                if e.objid == objid
            )
            > 1
        ]
        assert shared  # the same font object on several pages: one entry, one DictFont
    finally:
        fonts.close()


def test_a_candidates_list_changed_by_its_caller_does_not_change_the_next_answer():
    fonts = DictFonts(PAGES[0])
    try:
        name = next(iter(sorted(_page_names(fonts, 1) - {b"NoSuchFont"})))
        first = fonts.candidates(1, name, False) + fonts.candidates(1, name, True)
        fonts.candidates(1, name, False).clear()
        fonts.candidates(1, name, True).clear()
        assert fonts.candidates(1, name, False) + fonts.candidates(1, name, True) == first
    finally:
        fonts.close()


def _unremembered_ideographic(self: pdfium_reader.PdfiumPage, font: Any) -> bool:
    if self._font_dictionaries is None:
        return True
    found = self._font_dictionaries.candidates(
        self.page_number, pdfium_reader.base_font_name(font), embedded=True
    )
    return not found or any(f.multibyte and f.widths("\u3000") for f in found)


def _read_all(path: Path) -> list[Any]:
    document, fonts = pdfium.PdfDocument(path), DictFonts(path)
    pages: list[Any] = []
    try:
        for number in range(1, len(document) + 1):
            try:
                page = pdfium_reader.PdfiumPage(document, number, 0.0, fonts)
            except pdfium_reader.PageNeedsPdfminer as exc:
                pages.append(str(exc))
            else:
                pages.append(repr(page.objects))
    finally:
        fonts.close()
        document.close()
    return pages


@pytest.mark.parametrize("path", [*PAGES, JIANCHAYUAN], ids=lambda p: p.name)
def test_pages_read_with_remembered_answers_are_the_pages_read_without(
    path: Path, monkeypatch: pytest.MonkeyPatch
):
    remembered = _read_all(path)
    monkeypatch.setattr(
        pdfium_reader.PdfiumPage, "_may_be_ideographic_space", _unremembered_ideographic
    )
    monkeypatch.setattr(DictFonts, "match", Unremembered.match)
    monkeypatch.setattr(DictFonts, "candidates", Unremembered.candidates)
    monkeypatch.setattr(DictFonts, "resource_font", Unremembered.resource_font)
    monkeypatch.setattr(DictFonts, "_entry", Unremembered._entry)
    assert _read_all(path) == remembered


class _Page:
    """What ``_may_be_ideographic_space`` reads of a page (a PdfiumPage's fonts are closed with it)."""

    def __init__(self, fonts: DictFonts, number: int) -> None:
        self._font_dictionaries = fonts
        self.page_number = number
        self._ideographic: dict[int, bool] = {}


def _text_fonts(page: Any) -> list[Any]:
    """The fonts of the page's text objects, inside Form XObjects too: the reader walks into
    forms (``PdfiumPage._walk``), and some pages (首都绿化委员会办公室's tables.pdf) hold all their
    text in one form."""
    import pypdfium2.raw as raw

    def objects(handles: Any, depth: int) -> list[Any]:
        found = []
        for handle in handles:
            kind = raw.FPDFPageObj_GetType(handle)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                found.append(raw.FPDFTextObj_GetFont(handle))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 16:
                count = raw.FPDFFormObj_CountObjects(handle)
                found += objects((raw.FPDFFormObj_GetObject(handle, i) for i in range(count)), depth + 1)
        return found

    return objects((raw.FPDFPage_GetObject(page.raw, i) for i in range(raw.FPDFPage_CountObjects(page.raw))), 0)


@pytest.mark.parametrize("path", [*PAGES, JIANCHAYUAN], ids=lambda p: p.name)
def test_the_ideographic_space_is_decided_per_font_as_each_time(path: Path):
    document, fonts = pdfium.PdfDocument(path), DictFonts(path)
    answers = set()
    try:
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            remembered, oracle = _Page(fonts, number), _Page(fonts, number)
            for font in _text_fonts(page) * 2:
                expected = _unremembered_ideographic(oracle, font)  # type: ignore[arg-type]
                assert (
                    pdfium_reader.PdfiumPage._may_be_ideographic_space(remembered, font) == expected
                )  # type: ignore[arg-type]
                answers.add(expected)
            page.close()
    finally:
        fonts.close()
        document.close()
    assert answers
