"""The text-showing operators interpreted in C give what the Python interpreter gives
(``pdf_content_native.shows``, ``pdfium_content.native_text_shows``).

``pdfium_content.text_shows`` lists the operators that make PDFium text objects, with the
text state each one is drawn in; where the extension ``_pdf_content`` was built the whole
content is read and interpreted in C (the operands of the path and colour operators are
never made into Python objects), the ExtGStates and forms looked up in Python. The Python
interpreter (``python_text_shows`` with ``YUSUAN_NATIVE=0``) is the oracle: written streams
that take every branch of ``_operator`` (each operator, each error, the graphics-state
stack, forms nested to the depth limit, ExtGStates with and without a font), streams made at
random and cut anywhere, and every page of every fixture PDF with its real resources (forms
and ExtGStates read by pdfminer) must give the same shows (same ``repr``: a float is not an
int, a str name not bytes) or the same error, with the same lookups of forms.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from pdfium_fixture_pdfs import EVERY_PAGE, swept_pages

from yusuan.extract import pdf_content_native as native
from yusuan.extract import pdfium_content
from yusuan.extract.pdfium_content import Unreadable, text_shows
from yusuan.extract.pdfium_fonts import DictFonts

FIXTURES = Path(__file__).parents[1] / "fixtures"
pytestmark = pytest.mark.skipif(not native.built(), reason="the C extension was not built (no compiler at install)")


class Lookup:
    """Resources of a test: Form XObjects ``/Fm1`` (drawing ``/Fm2``), ``/Fm2`` and ``/Deep``
    (drawing itself), ExtGStates ``/GS0`` (no font) and any other (a font); every lookup noted."""

    def __init__(self, forms: dict[str, bytes] | None = None) -> None:
        self.forms = forms if forms is not None else {"Fm1": b"q /F2 8 Tf (in form) Tj /Fm2 Do Q (after) Tj", "Fm2": b"BT [(f2) 3 (x)] TJ ET", "Deep": b"(d) Tj /Deep Do"}
        self.asked: list[tuple[str, Any, Any]] = []

    def form(self, resources: Any, name: str | bytes) -> tuple[bytes, Any] | None:
        self.asked.append(("form", resources, name))
        content = self.forms.get(name) if isinstance(name, str) else None
        return None if content is None else (content, {"form": name})

    def sets_font(self, resources: Any, name: str | bytes) -> bool:
        self.asked.append(("gs", resources, name))
        return name != "GS0"


def _read(content: bytes, setting: str, monkeypatch: pytest.MonkeyPatch, lookup: Any = None, resources: Any = None) -> tuple[str, list[Any]]:
    """What text_shows gives (repr of the shows, or the error) and the forms it looked up."""
    monkeypatch.setenv("YUSUAN_NATIVE", setting)
    lookup = lookup if lookup is not None else Lookup()
    try:
        found = repr(text_shows(content, resources if resources is not None else {"page": 1}, lookup))
    except Unreadable as exc:
        found = f"Unreadable: {exc}"
    forms = [entry for entry in getattr(lookup, "asked", []) if entry[0] == "form"]
    return found, forms


def _same(content: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    expected = _read(content, "0", monkeypatch)
    assert _read(content, "1", monkeypatch) == expected, content
    return expected[0]


WRITTEN = [
    b"BT /F1 12 Tf 1 0 0 1 72 720 Tm (Hello) Tj ET",
    b"(no font) Tj /F1 9 Tf () Tj [] TJ [()] TJ [() 5] TJ (a) Tj",
    b"/F1 10 Tf 2 Tc 3 Tw 120 Tz [-50 (a) 20 (b)] TJ (c) Tj BT (d) Tj 1 2 Td (e) Tj 1 2 TD (f) Tj T* (g) Tj 1 0 0 1 0 0 Tm (h) Tj",
    b"/F1 10 Tf 1 Tc (a) ' 4 5 (b) \" (c) Tj 7 (d) \" 6 Tc 50 Tz [(x)] TJ [(y)] TJ",
    b"/F1 10 Tf q /F2 20 Tf 5 Tc 7 Tw 80 Tz (in) Tj Q (out) Tj Q Q (unbalanced Q ignored) Tj q q /F3 1 Tf Q (one level) Tj Q (two) Tj",
    b"/F1 10 Tf /Fm1 Do (after form) Tj /Image Do (x) Tj",
    b"/F1 10 Tf 3 Tc (a) Tj /Fm2 Do (carried over the form) Tj",
    b"/F1 10 Tf /Deep Do",
    b"/GS0 gs /F1 10 Tf (a) Tj /GS0 gs (b) Tj /GS1 gs (c) Tj",
    b"/F1 10 Tf (a) Tj 5 gs",
    b"/F1 10 Tf (a) Tj gs",
    b"/F1 10 Tf (a) Tj BI /W 1 ID x EI",
    b"/F1 10 Tf (a) Tj 5 Do",
    b"/F1 10 Tf (a) Tj Do",
    b"12 Tf (a) Tj",
    b"Tf (a) Tj",
    b"/F1 Tf (a) Tj",
    b"/F1 /F2 Tf (a) Tj",
    b"/F1 10 Tf Tz",
    b"/F1 10 Tf /x Tc",
    b"/F1 10 Tf 1 (a) \"",
    b"/F1 10 Tf (a) 1 2 \"",
    b"/F1 10 Tf (a) TJ",
    b"/F1 10 Tf TJ",
    b"/F1 10 Tf [(a) /N] TJ",
    b"/F1 10 Tf [(a) true] TJ",
    b"/F1 10 Tf /N Tj",
    b"/F1 10 Tf null Tj",
    b"/F1 10 Tf << /A 1 >> Tj",
    b"/F1 10 Tf [(a) << >> (b)] TJ",
    b"/F1 10 Tf Tj ' (a) (b) Tj",
    b"/F1 10 Tf (a) Tj (unbalanced",
    b"/F1 10 Tf (a) Tj [ (b) Tj ]",
    b"/F1 10 Tf (a) Tj [[(b)]] TJ",
    b"/F1 10 Tf (a) Tj ] (b) Tj",
    b"/F1 10 Tf (a) Tj ) (b) Tj",
    b"/F1 10 Tf 1 0 0 RG 0 0 m 10 10 l S [1 2] 0 d (a) Tj 0.5 g 1 2 3 4 re f (b) Tj",
    b"/F#31 10 Tf (a) Tj /\xb7\xc2 11 Tf <4142> Tj",
    b"/F1 -0.0 Tf -0.0 Tc (a) Tj 99999999999999999999999999999999999999999999999 Tw (b) Tj",
    b"%comment\n/F1 10 Tf\r(a)\x00Tj\x0c(b)'%x",
    # operands before the operators that read none (BT, Td, TD, Tm, T*, q, Q, BI): read dry only
    b"/F1 10 Tf 3 Tc (a) Tj [(x) 2 /N true] (s) <41> 1.5 null BT (b) Tj (t) 1 /N Td (c) Tj [(u)] TD (d) Tj 1 2 3 Tm (e) Tj",
    b"/F1 10 Tf (v) /F2 9 q /F3 8 Tf (f) Tj << /A 1 >> 7 Q (g) Tj (w) [3] T* (h) Tj /F9 BT /W 1 BI",
    b"/F1 10 Tf (a) Tj 99999999999999999999999999999999999999999999999 -.5 +3. Tm (b) Tj /\xb7\xc2 (\\101) q (c) Tj Q",
    b"",
]

PIECES = [
    b" ", b"\n", b"(a)", b"(b c)", b"()", b"<41>", b"[", b"]", b"<<", b">>", b"/F1", b"/F2", b"/Fm1", b"/Fm2", b"/Deep",
    b"/GS0", b"/GS1", b"/Image", b"1", b"-2", b"0.5", b"true", b"Tf", b"Tj", b"TJ", b"'", b'"', b"q", b"Q", b"BT", b"ET",
    b"Td", b"TD", b"Tm", b"T*", b"Tz", b"Tc", b"Tw", b"Do", b"gs", b"re", b"cm", b"(", b")", b"BI", b"EI",
]


@pytest.mark.parametrize("content", WRITTEN)
def test_written_streams(content: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(content, monkeypatch)


def test_written_streams_read_as_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the same as Python: what the operators mean (read by hand)."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    lookup = Lookup()
    found = text_shows(b"/F1 10 Tf 2 Tc 50 Tz [-5 (a) 3 () (b)] TJ (c) Tj BT /Fm2 Do Q q /F2 7 Tf Q (d)'", {"page": 1}, lookup)
    assert [(s.font, s.size, s.strings, s.kerned, s.scaling, s.char_space, s.carried_char_space, s.leading_number) for s in found] == [
        ("F1", 10.0, (b"a", b"b"), True, 50.0, 2.0, 0.0, True),
        ("F1", 10.0, (b"c",), False, 50.0, 2.0, 1.0, False),  # Tc times Tz carried from the TJ
        ("F1", 10.0, (b"f2", b"x"), True, 50.0, 2.0, 0.0, False),  # the form: placed anew (BT)
        ("F1", 10.0, (b"d",), False, 50.0, 2.0, 0.0, False),  # after Q: F1 again; ' places anew
    ]
    assert found[0].items == (-5.0, b"a", 3.0, b"", b"b")
    assert found[2].resources == {"page": 1}  # Tf's resources: the page's, carried into the form
    assert [entry[2] for entry in lookup.asked if entry[0] == "form"] == ["Fm2"]


def test_streams_made_at_random(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261201)
    outcomes = set()
    for _ in range(3000):
        content = b" ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        found = _same(content, monkeypatch)
        outcomes.add(found if found.startswith("Unreadable") else "shows" if found != "[]" else "none")
    for content in WRITTEN:  # every stream cut anywhere
        for end in range(len(content)):
            _same(content[:end], monkeypatch)
    assert {"shows", "none"} < outcomes and len(outcomes) > 10  # shows, none and many kinds of error


def test_an_extgstate_is_looked_up_once_per_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    lookup = Lookup()
    shows = text_shows(b"/F1 10 Tf /GS0 gs (a) Tj /GS0 gs (b) Tj /GS0 gs", {"page": 1}, lookup)
    assert len(shows) == 2
    assert [entry for entry in lookup.asked if entry[0] == "gs"] == [("gs", {"page": 1}, "GS0")]


def test_an_error_of_a_lookup_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(Lookup):
        def sets_font(self, resources: Any, name: str | bytes) -> bool:
            raise KeyError(name)

    for setting in ("0", "1"):
        monkeypatch.setenv("YUSUAN_NATIVE", setting)
        with pytest.raises(KeyError):
            text_shows(b"/F1 10 Tf (a) Tj /GS0 gs (b) Tj", {}, Broken())


def test_no_reference_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The interpreter's state holds references (fonts, resources, the q stack): all given back,
    whether the content is read to its end or stops at an error."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    resources, font = {"page": 1}, b"\xb7\xc2"
    content = b"/\xb7\xc2 10 Tf q q (a) Tj q /Fm2 Do "
    before = (sys.getrefcount(resources), sys.getrefcount(font))
    for _ in range(200):
        text_shows(content + b"Q", resources, Lookup())
        with pytest.raises(Unreadable):
            text_shows(content + b"(unbalanced", resources, Lookup())
        with pytest.raises(Unreadable):
            text_shows(content + b"BI", resources, Lookup())
    assert (sys.getrefcount(resources), sys.getrefcount(font)) == before


def test_every_page_of_the_fixture_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every swept page (``swept_pages``) of every fixture PDF with its own resources (forms and ExtGStates read by
    pdfminer's parser, as the reader reads them): the same shows or the same error."""
    pages = shows = 0
    for path in sorted(FIXTURES.rglob("*.pdf")):
        if path.stat().st_size == 0:
            continue
        fonts = DictFonts(path)
        try:
            for number in swept_pages(len(fonts._document_pages())):
                content = fonts.page_content(number)
                if content is None:
                    continue
                expected = _read(content[0], "0", monkeypatch, fonts, content[1])
                assert _read(content[0], "1", monkeypatch, fonts, content[1]) == expected, f"{path.name} page {number}"
                pages += 1
                shows += expected[0].count("Show(")
        finally:
            fonts.close()
    assert pages > (300 if EVERY_PAGE else 200)
    assert shows > 10_000


def test_the_python_interpreter_where_the_extension_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    monkeypatch.setattr(native, "shows", lambda content, *args: calls.append(content) or ([], None))
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert len(text_shows(b"/F1 1 Tf (a) Tj", {}, Lookup())) == 1
    assert calls == []
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    assert text_shows(b"/F1 1 Tf (a) Tj", {}, Lookup()) == []
    assert calls == [b"/F1 1 Tf (a) Tj"]
    assert pdfium_content.python_text_shows is not pdfium_content.native_text_shows
