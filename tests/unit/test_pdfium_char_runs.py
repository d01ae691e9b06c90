"""The walk reads a page's characters by their runs (issue 14, stop 34): ``read_char_runs``
gives the characters in one list with each text object's run, and the walk takes the next
run's characters for its object, making ``_by_object`` of the runs left only where it must
(an object of the text page out of the runs' order, a form or path handed to Python, the
characters no object took). Compared with the page read the way before: the runs grouped at
once (``group_runs``, the dict the Python loop builds), ``walk_reads_runs`` False."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pdfium_fixture_pdfs import FIXTURES, PDFS, exact, read_pages

from yusuan.extract import pdfium as reader
from yusuan.extract import pdfium_native

needs_extension = pytest.mark.skipif(not pdfium_native.built(), reason="the C extension was not built (no compiler at install)")

# the fixture PDFs of the runs' cases: Chinese pages of a text object per character, pages
# with lone spaces, with fonts not embedded (the wide corpus' pages), and two publications
SAMPLES = [path for path in PDFS if path.parent.name == "corpus-wide-pages"] + [
    path for path in PDFS if path.parent.name in ("01_js-renda-2017-bmys", "12_sh-putuo-wanli-2024-bmys")
]


@contextmanager
def _runs(on: bool) -> Iterator[None]:
    """The walk reading the runs (True) or the runs grouped at once (False)."""
    before = pdfium_native.walk_reads_runs
    pdfium_native.walk_reads_runs = on
    try:
        yield
    finally:
        pdfium_native.walk_reads_runs = before


def _described(page: Any) -> tuple:
    """What a page read gives: its characters in order and its other objects, bit for bit,
    the characters the walk left in ``_by_object``, the lone spaces and every object's
    characters (``_chars_of``), in their order (the addresses are PDFium's of one reading)."""
    objects = {kind: exact(list(found)) for kind, found in page.objects.items()}
    left = [exact(chars) for chars in page._by_object.values()]
    spaces = [exact(char) for _address, char in page._lone_spaces]
    chars_of = [exact(chars) for chars in page._chars_of.values()]
    return objects, left, spaces, chars_of


def _read(path: Path, on: bool, transform: Callable[[tuple], tuple] | None = None) -> list:
    """Every swept page of ``path`` described, the runs read (``on``) or grouped at once, each
    page's runs changed by ``transform`` first."""
    read = pdfium_native.read_char_runs
    with _runs(on):
        if transform is not None:
            pdfium_native.read_char_runs = lambda *args: transform(read(*args))  # type: ignore[assignment]
        try:
            return read_pages(path, 0.0, _described)
        finally:
            pdfium_native.read_char_runs = read  # type: ignore[assignment]


@needs_extension
@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: str(path.relative_to(FIXTURES)))
def test_a_page_read_by_runs_is_the_page_read_grouped(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    assert _read(path, True) == _read(path, False)


def _reversed(found: tuple) -> tuple:
    """The runs in the opposite order: every object of the text page out of the runs' order."""
    chars, packed, runs, contiguous = found
    size = pdfium_native.RUN.size
    return chars, packed, b"".join(runs[at : at + size] for at in range(len(runs) - size, -1, -size)), contiguous


def _not_embedded(found: tuple) -> tuple:
    """Every run said to be of a font not embedded: the walk asks the page's facts instead."""
    chars, packed, runs, contiguous = found
    unpacked = [pdfium_native.RUN.pack(address, start, end, 0, unused) for address, start, end, _embedded, unused in pdfium_native.RUN.iter_unpack(runs)]
    return chars, packed, b"".join(unpacked), contiguous


def _with_a_run_no_object_takes(found: tuple) -> tuple:
    """A run of the page's first characters for an address no object of the page has: left
    over (in ``_by_object`` after the walk), as the grouped dict leaves it."""
    chars, packed, runs, contiguous = found
    if not chars:
        return found
    return chars, packed, runs + pdfium_native.RUN.pack(8, 0, min(2, len(chars)), 1, 0), contiguous


@needs_extension
@pytest.mark.parametrize("transform", [_reversed, _not_embedded, _with_a_run_no_object_takes], ids=lambda f: f.__name__)
def test_the_walk_makes_by_object_where_the_runs_are_not_its_order(transform: Callable[[tuple], tuple], monkeypatch: pytest.MonkeyPatch) -> None:
    """With runs the walk does not take in order, it gives what it gives with them grouped at
    once (the Python loop's dict of the same runs)."""
    monkeypatch.setenv("YUSUAN_NATIVE", "1")
    path = SAMPLES[0]
    by_runs = _read(path, True, transform)
    grouped = _read(path, False, transform)
    assert by_runs == grouped
    if transform is _with_a_run_no_object_takes:
        assert any(left for _objects, left, _spaces, _chars_of in (page for page in by_runs if isinstance(page, tuple) and len(page) == 4))


@needs_extension
def test_group_runs_is_the_python_loops_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    """``group_runs`` of the C loop's runs groups as the Python loop does: the same addresses in
    the same order, the same characters."""
    seen: list[tuple] = []

    def describe(page: Any) -> Any:
        return [exact(chars) for chars in page._chars_of.values()]

    for native in ("1", "0"):
        monkeypatch.setenv("YUSUAN_NATIVE", native)
        with _runs(False):
            seen.append(tuple(read_pages(SAMPLES[0], 0.0, describe)))
    assert seen[0] == seen[1]


def test_group_runs_merges_the_runs_of_one_object() -> None:
    """Two runs of one address (not contiguous): one list, the characters in the runs' order."""
    if not pdfium_native.built():
        pytest.skip("the C extension was not built")
    chars: list[Any] = [{"text": text} for text in "abcde"]
    runs = b"".join(pdfium_native.RUN.pack(*run) for run in [(16, 0, 2, 1, 0), (32, 2, 3, 1, 0), (16, 3, 5, 1, 0)])
    grouped = pdfium_native.group_runs(chars, runs)
    assert list(grouped) == [16, 32]
    assert [c["text"] for c in grouped[16]] == ["a", "b", "d", "e"]
    assert [c["text"] for c in grouped[32]] == ["c"]
    with pytest.raises(ValueError):
        pdfium_native.group_runs(chars, runs + pdfium_native.RUN.pack(48, 4, 9, 1, 0))


@needs_extension
def test_a_page_reads_by_runs_where_it_can() -> None:
    """The runs are read on the corpus' Chinese pages (else the tests above prove nothing)."""
    by_runs = read_pages(SAMPLES[0], 0.0, lambda page: page._char_runs is not None)
    assert any(found is True for found in by_runs)
    assert reader.PdfiumPage._char_runs is None
