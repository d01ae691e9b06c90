"""The text-showing operators of a content stream (yusuan/extract/pdfium_content.py).

PDFium makes one text object per ``Tj``, ``'``, ``"`` with a non-empty string and per ``TJ``
with at least one non-empty string; the reader aligns the k-th operator with the k-th text
object. The streams below are written as Word and other producers of the corpora write them.
"""

from __future__ import annotations

from typing import Any

import pytest

from yusuan.extract.pdfium_content import Unreadable, name_key, text_shows, tokens


class Lookup:
    """Resources of a test: one Form XObject ``/Fm1`` and ExtGStates ``/GS0`` (no font) and
    ``/GS9`` (a font)."""

    def __init__(self, form: bytes = b"") -> None:
        self.form_content = form

    def form(self, resources: Any, name: str | bytes) -> tuple[bytes, Any] | None:
        return (self.form_content, {"form": True}) if name == "Fm1" else None

    def sets_font(self, resources: Any, name: str | bytes) -> bool:
        return name != "GS0"


def shows(content: bytes, form: bytes = b""):
    return text_shows(content, {"page": True}, Lookup(form))


def test_literal_strings_are_decoded():
    found = [value for kind, value in tokens(rb"(a\(b\)c) (x(y)z) (\101\n\\) (line\
join) <48 65 6C6C 6F> <7>") if kind == "operand"]
    assert found == [b"a(b)c", b"x(y)z", b"A\n\\", b"linejoin", b"Hello", b"\x70"]


def test_names_numbers_and_operators():
    assert list(tokens(b"/TT0 1 Tf -0.0007 Tc [(a)-500(b)]TJ /A#20B .5 true")) == [
        ("operand", "TT0"), ("operand", 1.0), ("op", "Tf"), ("operand", -0.0007), ("op", "Tc"),
        ("[", None), ("operand", b"a"), ("operand", -500.0), ("operand", b"b"), ("]", None), ("op", "TJ"),
        ("operand", "A B"), ("operand", 0.5), ("operand", None),
    ]
    assert name_key(b"\xb7\xc2") == b"\xb7\xc2"  # not UTF-8: kept as bytes, as pdfminer keys it


def test_one_show_per_operator_that_makes_a_text_object():
    found = shows(b"""BT /TT0 1 Tf 9 0 0 9 90 51.86 Tm ( )Tj ()Tj [-250]TJ [(1)-500( )]TJ
        T* (2)' 1 0.5 (3)" ET""")
    assert [s.strings for s in found] == [(b" ",), (b"1", b" "), (b"2",), (b"3",)]
    assert [s.kerned for s in found] == [False, True, False, False]
    assert found[-1].word_space == 1.0 and found[-1].char_space == 0.5
    assert all(s.font == "TT0" and s.size == 1.0 for s in found)


def test_no_font_no_object():
    assert shows(b"BT (a)Tj ET") == []


def test_the_graphics_state_restores_the_font():
    found = shows(b"BT /F1 12 Tf ET q BT /F2 8 Tf (a)Tj ET Q BT (b)Tj ET")
    assert [(s.font, s.size) for s in found] == [("F2", 8.0), ("F1", 12.0)]


def test_a_form_is_read_where_it_is_drawn_with_its_resources():
    found = shows(b"BT /F1 9 Tf (a)Tj ET /Fm1 Do /Im0 Do BT (c)Tj ET", form=b"BT /F3 7 Tf (b)Tj ET")
    assert [(s.strings, s.font, s.resources) for s in found] == [
        ((b"a",), "F1", {"page": True}), ((b"b",), "F3", {"form": True}), ((b"c",), "F1", {"page": True}),
    ]


def test_the_character_spacing_carried_from_the_operator_before():
    found = shows(b"BT /F1 1 Tf -0.0007 Tc 16 0 0 16 120 400 Tm <0387>Tj /TT0 1 Tf 0 Tc ( )Tj 5 0 Td ( )Tj [-10( )]TJ ET")
    assert [s.carried_char_space for s in found] == [0.0, -0.0007, 0.0, 0.0]
    assert [s.leading_number for s in found] == [False, False, False, True]


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 1 Tf (a)Tj ET BI /W 1 /H 1 ID \x00\xff EI",  # an inline image
        b"/GS9 gs BT /F1 1 Tf (a)Tj ET",  # an ExtGState that sets the font
        b"BT /F1 1 Tf (a Tj ET",  # an unbalanced string
        b"BT /F1 Tf (a)Tj ET",  # Tf without its size
        b"BT /F1 1 Tf [(a) [(b)]]TJ ET",  # a nested array
    ],
)
def test_what_is_not_read_with_certainty_is_refused(content):
    with pytest.raises(Unreadable):
        shows(content)


def test_an_extgstate_without_a_font_is_read_on():
    assert len(shows(b"/GS0 gs BT /F1 1 Tf (a)Tj ET")) == 1
