"""The layout loops read a PDFium Char's values by place (``layout_char_field`` in
yusuan/extract/_layout_loops.h): the place of a field name is remembered by the name's
address, for the interned names only. A key that is equal but another object (a str made at
run time), read before and after the interned names filled the memory, must give the same
values; so must a Char read alternately with dicts through the same keys."""

from __future__ import annotations

import pytest
from layout_sample_pages import SAMPLES, pdfium_pages

from yusuan.extract import plumber_equivalents as fast
from yusuan.extract.layout_native import loops

needs_extension = pytest.mark.skipif(
    loops is None,
    reason="the C extension _layout_loops was not built (no compiler at install) or YUSUAN_NATIVE=0",
)


def _fresh(names: tuple[str, ...]) -> tuple[str, ...]:
    """Equal names that are not the interned objects (built at run time)."""
    fresh = tuple("".join(list(name)) for name in names)
    assert all(a == b and a is not b for a, b in zip(fresh, names, strict=True))
    return fresh


def _same(ours: list, theirs: list) -> None:
    assert len(ours) == len(theirs)
    for (top, chars), (their_top, their_chars) in zip(ours, theirs, strict=True):
        assert repr(top) == repr(their_top)
        assert [id(c) for c in chars] == [id(c) for c in their_chars]


@pytest.fixture(scope="module")
def chars() -> list:
    page = next(p for p in pdfium_pages(SAMPLES[0]) if len(p.chars) > 50)
    return sorted(page.chars, key=lambda c: (c["top"], c["x0"]))[:400]


@needs_extension
def test_chars_are_the_readers_char_objects(chars: list) -> None:
    assert type(chars[0]) is not dict  # the C Char the loops read by place


@needs_extension
@pytest.mark.parametrize("keys", [fast._UPRIGHT_KEYS, fast._TURNED_KEYS])
def test_fresh_names_read_the_same_values(chars: list, keys: tuple[str, ...]) -> None:
    fresh = _fresh(keys)
    first = loops.split_line(chars, fresh)  # type: ignore[union-attr]
    interned = loops.split_line(chars, keys)  # type: ignore[union-attr]
    again = loops.split_line(chars, fresh)  # type: ignore[union-attr]
    assert first is not None and interned is not None and again is not None
    _same(first, interned)
    _same(again, interned)


@needs_extension
def test_chars_and_their_dicts_read_alike(chars: list) -> None:
    """The same loop over the Chars and over plain dicts of their values, alternately."""
    dicts = [dict(c) for c in chars]
    for _ in range(3):
        ours = loops.split_line(chars, fast._UPRIGHT_KEYS)  # type: ignore[union-attr]
        theirs = loops.split_line(dicts, fast._UPRIGHT_KEYS)  # type: ignore[union-attr]
        assert ours is not None and theirs is not None
        assert [[chars.index(c) for c in word] for _top, word in ours] == [
            [dicts.index(c) for c in word] for _top, word in theirs
        ]
        assert [repr(top) for top, _w in ours] == [repr(top) for top, _w in theirs]
