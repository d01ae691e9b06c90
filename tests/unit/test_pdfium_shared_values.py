"""The C loop's characters share their unchanging values with the characters before them
(``_pdfium_chars.c``: ``shared_float``, ``char_text``): the same floats and strings by value
and bits as the Python loop's (tests/unit/test_pdfium_native.py compares every fixture page),
fewer objects made and freed. These tests show the sharing happens, that it is only of
values that cannot change, and that the fixture pages compared reach the text table's
collisions (two codes in one slot)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.unit.pdfium_fixture_pdfs import FIXTURES, PDFS, read_pages
from yusuan.extract import pdfium_native

TEXT_SLOTS = 4096  # _pdfium_chars.c's table of one-character strings

needs_extension = pytest.mark.skipif(
    not pdfium_native.built() or os.environ.get("YUSUAN_NATIVE") == "0",
    reason="the C extension is not used",
)


def _chars(path: Any, monkeypatch: pytest.MonkeyPatch) -> list[list[dict[str, Any]]]:
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    return [
        page for page in read_pages(path, 100.5, lambda page: page.chars) if isinstance(page, list)
    ]


@needs_extension
def test_characters_on_one_line_share_their_floats_and_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = _chars(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf", monkeypatch)
    pairs = [
        (first, second) for chars in pages for first, second in zip(chars, chars[1:], strict=False)
    ]
    same_line = [
        (first, second)
        for first, second in pairs
        if first["top"] == second["top"] and first["size"] == second["size"]
    ]
    assert len(same_line) > 1000
    shared = sum(
        1
        for first, second in same_line
        if first["top"] is second["top"] and first["bottom"] is second["bottom"]
    )
    assert shared > 0.9 * len(same_line)
    every = [char for chars in pages for char in chars]
    assert sum(1 for char in every if char["size"] is char["height"]) > 0.9 * len(
        every
    )  # one float for both
    repeated = {}
    for chars in pages:
        for char in chars:
            if ord(char["text"]) >= 256:
                repeated.setdefault(char["text"], []).append(char["text"])
    assert any(len(texts) > 1 and texts[0] is texts[1] for texts in repeated.values())


@needs_extension
def test_a_shared_value_changed_in_one_dict_leaves_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = _chars(FIXTURES / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf", monkeypatch)
    chars = next(chars for chars in pages if len(chars) > 10)
    first, second = chars[0], chars[1]
    top, text = second["top"], second["text"]
    first["top"] += 1.0  # a new float bound to the key, as fix_glyph_boxes binds its own
    first["text"] += "x"
    assert second["top"] == top and second["text"] == text


def test_the_compared_pages_reach_collisions_of_the_text_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two codes of one slot on one page, one after the other somewhere: the slot's string
    replaced and the equality test (every fixture page, C against Python) sees the texts."""
    monkeypatch.setenv("YUSUAN_NATIVE", "0")
    collided = False
    for path in PDFS:
        for chars in (
            page
            for page in read_pages(path, 100.5, lambda page: page.chars)
            if isinstance(page, list)
        ):
            held: dict[int, str] = {}
            for char in chars:
                code = ord(char["text"][0])
                if code < 256:
                    continue
                slot = code % TEXT_SLOTS
                if held.get(slot, char["text"]) != char["text"]:
                    collided = True
                held[slot] = char["text"]
        if collided:
            break
    assert collided
