"""The content tokenizer in C gives what the Python tokenizer gives (yusuan/extract/_pdf_content.c).

``pdf_content_native`` replaces ``pdfium_content.tokens`` and ``text_shows``' operand loop
where the extension was built. The Python reader is the oracle: written streams that take
every branch of the tokenizer (each escape, a hex string with white space and an odd digit,
names with ``#`` escapes and non-UTF-8 bytes, every number spelling the regular expression
takes or leaves to a word, every error), thousands of streams made of those pieces at
random and cut anywhere, and every page and form of every fixture PDF are read by both:
the tokens, the operations with their operands and the error message must have the same
``repr`` (a float is not an int, a str name not bytes).

CI sets ``YUSUAN_REQUIRE_NATIVE=1`` (.ci/run): there a missing extension fails
``test_extension_built_where_required``.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from pdfium_fixture_pdfs import EVERY_PAGE, swept_pages

from benchmarks.content_tokens_equal import streams
from yusuan.extract import pdf_content_native as native
from yusuan.extract import pdfium_content
from yusuan.extract.pdfium_content import (
    OPERATORS,
    Unreadable,
    python_operations,
    python_tokens,
    text_shows,
)

FIXTURES = Path(__file__).parents[1] / "fixtures"
needs_extension = pytest.mark.skipif(not native.built(), reason="the C extension was not built (no compiler at install); test_extension_built_where_required guards CI")

WRITTEN = [
    rb"BT /F1 12 Tf 1 0 0 1 72 720 Tm (Hello) Tj ET",
    rb"(a\(b\)c) (x(y)z) (\101\n\\) (line\
join) (cr\
lf) (cr\
) <48 65 6C6C 6F> <7> <> < > <4\x00 1>",
    rb"(\0\01\012\0123\777\8\9\q\r\t\b\f\)) (\\) (a\
b)",
    b"(a\\\r\nb) (a\\\rb) (a\\\nb) (\xff\x00\x80)",
    rb"/TT0 1 Tf /A#20B /#4 /#4g /##41 /A#2 / /a/b /\xb7\xc2 /\xe5\xae\x8b /#e5#ae#8b /#FF",
    rb"1 -1 +1 .5 -.5 +.5 5. -5. 1.5 0.000 007 1.2.3 -- - + . +- 12a a12 1e5 0x10 3.14159265358979323846264338327950288",
    b"1\x002 3\t4\x0c5\r6\n7 8%comment 9\n10%c\r11",
    rb"true false null truex nullx True [true] tru",
    rb"[(a)-500(b)]TJ [1 2 [3]] TJ",
    rb"] Tj",
    rb"[ (a) Tj ]",
    rb"<< /A 1 >> BDC (x) Tj EMC { } [ << ]",
    rb"q 1 0 0 1 0 0 cm /Fm1 Do Q BI /W 1 /H 1 ID \x00\xff EI",
    rb"(unbalanced",
    b"(ends with a backslash\\",
    rb"<4g>",
    rb"< 41",
    rb">",
    rb"a > b",
    rb")",
    rb"/F1 9 Tf (x)' 1 2 (y)" + b'" T* Tz Tc Tw gs BT Td TD Tm',
    b"",
    b"   \n",
    b"%only a comment",
    b"99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999 Tz",
    b"0." + b"0" * 400 + b"1 Tc",
]

PIECES = [
    b" ", b"\n", b"\r", b"\r\n", b"\x00", b"\t", b"\x0c", b"%c\n", b"(", b")", b"\\", b"\\\r", b"\\\n", b"\\1", b"\\12",
    b"\\123", b"\\9", b"\\(", b"<", b">", b"<<", b">>", b"<41 4>", b"[", b"]", b"{", b"}", b"/", b"/F#31", b"/#", b"#",
    b"1", b"-", b"+", b".", b"5", b"0.5", b"-.25", b"e", b"Tj", b"TJ", b"Tf", b"Tz", b"q", b"Q", b"BT", b"ET", b"Do",
    b"true", b"null", b"\xb7", b"\xe5\xae\x8b", b"'", b'"', b"a",
]


def _same(data: bytes) -> None:
    assert repr(native.tokens(data)) == repr(python_tokens(data)), data
    assert repr(native.operations(data, OPERATORS)) == repr(python_operations(data)), data


def test_extension_built_where_required() -> None:
    if os.environ.get("YUSUAN_REQUIRE_NATIVE") == "1":
        assert native.built(), f"the C extension was not built: {native.IMPORT_ERROR}"
        assert native.enabled()
    else:
        assert native.enabled() == (native.built() and os.environ.get("YUSUAN_NATIVE", "1") != "0")


def test_a_missing_extension_falls_back_or_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_native", None)
    monkeypatch.delenv("YUSUAN_REQUIRE_NATIVE", raising=False)
    assert not native.enabled()
    assert pdfium_content.operations(b"BT (a) Tj ET") == ([("BT", []), ("Tj", [b"a"])], None)
    monkeypatch.setenv("YUSUAN_REQUIRE_NATIVE", "1")
    with pytest.raises(RuntimeError, match="YUSUAN_REQUIRE_NATIVE"):
        native.enabled()


@needs_extension
def test_turned_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    monkeypatch.setattr(native, "operations", lambda data, wanted: calls.append(data) or ([], None))
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    assert pdfium_content.operations(b"BT (a) Tj ET") == ([("BT", []), ("Tj", [b"a"])], None)
    assert calls == []
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    pdfium_content.operations(b"BT (a) Tj ET")
    assert calls == [b"BT (a) Tj ET"]


@needs_extension
@pytest.mark.parametrize("data", WRITTEN)
def test_written_streams(data: bytes) -> None:
    _same(data)


@needs_extension
def test_written_streams_read_as_printed() -> None:
    """Not only the same as Python: what the PDF specification says (read by hand)."""
    assert native.tokens(rb"(\101\777\
x) <4 1 7> /A#20B#e5#ae#8b /#b7 5. -.5 12a true") == (
        [("operand", b"A\xffx"), ("operand", b"\x41\x70"), ("operand", "A B宋"), ("operand", b"\xb7"), ("operand", 5.0), ("operand", -0.5), ("op", "12a"), ("operand", None)],
        None,
    )
    assert native.operations(b"1 0 0 RG 0 0 m [(a) -2 (b)] TJ [(x)", OPERATORS) == ([("TJ", [[b"a", -2.0, b"b"]])], None)
    assert native.tokens(b"(a) )")[1] == "an unreadable token at byte 4"
    assert native.operations(b"[ (a) Tj ]", OPERATORS)[1] == "operator Tj inside an array"


@needs_extension
def test_streams_made_at_random() -> None:
    rng = random.Random(20261130)
    for _ in range(4000):
        data = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        _same(data)
    for data in WRITTEN:  # every stream cut anywhere
        for end in range(len(data)):
            _same(data[:end])


def _fixture_streams() -> list[tuple[str, bytes]]:
    found = []
    for path in sorted(FIXTURES.rglob("*.pdf")):
        if path.stat().st_size == 0:
            continue
        every = list(streams(path))
        found.extend((f"{path.name} {every[number - 1][0]}", every[number - 1][1]) for number in swept_pages(len(every)))
    return found


@needs_extension
def test_every_page_and_form_of_the_fixture_pdfs() -> None:
    found = _fixture_streams()
    assert len(found) > (400 if EVERY_PAGE else 200)
    tokens_read = 0
    for label, data in found:
        expected = python_tokens(data)
        assert repr(native.tokens(data)) == repr(expected), label
        assert repr(native.operations(data, OPERATORS)) == repr(python_operations(data)), label
        tokens_read += len(expected[0])
    assert tokens_read > (1_000_000 if EVERY_PAGE else 700_000)


class Lookup:
    def form(self, resources: Any, name: str | bytes) -> tuple[bytes, Any] | None:
        return None

    def sets_font(self, resources: Any, name: str | bytes) -> bool:
        return True


def test_an_error_after_the_operators_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operators before an unreadable token are acted on first (a Tf without its name
    fails before a later unbalanced string), with either reader."""
    for setting in ("0", "1"):
        monkeypatch.setenv("YUSUAN_NATIVE", setting)
        with pytest.raises(Unreadable, match="Tf without a font name"):
            text_shows(b"BT 12 Tf (a) Tj (unbalanced", {}, Lookup())
        with pytest.raises(Unreadable, match="an unbalanced string"):
            text_shows(b"BT /F1 12 Tf (a) Tj (unbalanced", {}, Lookup())
