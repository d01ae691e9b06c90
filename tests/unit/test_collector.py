"""Fewer garbage collections while a file is read (yusuan/core/collector.py): the process's
thresholds are raised only while a reader runs and always put back, with nested and
concurrent readers."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

import yusuan.extract as extract
from yusuan.core.collector import READING_THRESHOLD, fewer_collections
from yusuan.core.model import SourceFile


@pytest.fixture(autouse=True)
def _process_thresholds():
    found = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*found)


def test_the_threshold_is_raised_inside_and_put_back_after():
    with fewer_collections():
        assert gc.get_threshold() == (READING_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_put_back_after_an_error():
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a reader failed")
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_readers_put_back_the_process_setting_once():
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] == READING_THRESHOLD
        assert gc.get_threshold()[0] == READING_THRESHOLD  # the outer reader still runs
    assert gc.get_threshold() == (700, 10, 10)


def test_a_process_that_collects_less_often_or_never_is_left_so():
    gc.set_threshold(50_000, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 50_000
    gc.set_threshold(0, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_readers_in_threads_that_end_in_any_order_leave_the_setting_as_found():
    started, release = threading.Barrier(5), threading.Event()
    seen: list[int] = []

    def read(wait: float) -> None:
        with fewer_collections():
            started.wait()
            release.wait(wait)
            seen.append(gc.get_threshold()[0])

    threads = [threading.Thread(target=read, args=(0.01 * i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    release.set()
    for thread in threads:
        thread.join()
    assert seen == [READING_THRESHOLD] * 4
    assert gc.get_threshold() == (700, 10, 10)


def test_a_file_is_read_with_fewer_collections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "a.txt"
    path.write_text("预算\n", encoding="utf-8")
    during: list[int] = []
    real = extract.READERS[".txt"]

    def reader(source: SourceFile):
        during.append(gc.get_threshold()[0])
        return real(source)

    monkeypatch.setitem(extract.READERS, ".txt", reader)
    extract.file_to_blocks(SourceFile(path, "full", "0" * 64))
    assert during == [READING_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_a_read_page_leaves_no_cycle_holding_its_characters(reader: str):
    """Pages let go once read (pdf.let_go): their characters are freed by reference
    counting, so fewer collections do not keep them alive until a full collection."""
    from yusuan.extract import pdf, pdfium

    read = {"pdfium": pdfium.pdf_to_blocks, "pdfplumber": pdf.pdf_to_blocks}[reader]
    path = Path(__file__).parents[1] / "fixtures" / "corpus" / "02_js-renda-2018-bmys" / "bmys.pdf"
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        found = read(SourceFile(path, "full", "0" * 64))
        assert found.blocks
        del found
        gc.collect()
        kept = [o for o in gc.garbage if isinstance(o, dict) and o.get("object_type") == "char"]
        pages = [o for o in gc.garbage if type(o).__module__.startswith(("pdfplumber", "yusuan"))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not kept
    # pdfplumber's own pages (the pdfplumber reader) are its PDF's, cyclic by pdfplumber's design
    made_here = [type(p).__name__ for p in pages if type(p).__name__ in ("PdfiumPage", "CroppedPage", "FilteredPage", "VisiblePart", "DedupedPage")]
    assert not made_here


def test_a_read_publication_is_interpreted_with_fewer_collections(monkeypatch: pytest.MonkeyPatch):
    """The stages after the reader (tables, normalize, checks) make as many small acyclic
    objects as the reader: they run with the same raised threshold, put back after."""
    import yusuan.package.process as process
    from yusuan.core.model import ExtractedDocument, SourceDocument
    from yusuan.core.schemas import load_registry

    during: list[int] = []

    def grids_to_lines(blocks, registry):
        during.append(gc.get_threshold()[0])
        raise RuntimeError("stop here")

    monkeypatch.setattr(process, "text_grids_to_lines", grids_to_lines)
    document = SourceDocument("d", "issuer", "region", 2024, "budget", ())
    with pytest.raises(RuntimeError, match="stop here"):
        process.extracted_to_result(ExtractedDocument(document, []), load_registry())
    assert during == [READING_THRESHOLD]
    assert gc.get_threshold() == (700, 10, 10)
