"""A long PDF's pages over a pool of processes (yusuan/extract/page_pool.py): the FileExtract
is the serial one, errors are the serial ones, a dead worker is a clear error, and the pool
is used only where the rule says."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from yusuan.core.errors import ExtractionError, LimitExceededError
from yusuan.core.limits import current, using
from yusuan.core.model import FileExtract, SourceFile
from yusuan.extract import page_pool, pdfium
from yusuan.ingest.isolation import run_bounded

CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"
# 31 pages, tables and text; pages 2-7, 9-31 partly handed to pdfminer (a font not embedded)
MIXED = CORPUS / "09_js-jianchayuan-2018-bmys" / "bmys.pdf"
TABLES = CORPUS / "02_js-renda-2018-bmys" / "bmys.pdf"  # 31 pages, every one read by PDFium

# The fixture below lets the pool fork beside idle threads left by earlier tests, which
# Python 3.12+ warns about; outside these tests the pool's rule refuses to fork beside them.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")


def _source(path: Path) -> SourceFile:
    return SourceFile(path, "full", "0" * 64)


def _read(path: Path, **settings: int) -> FileExtract:
    with using(current().but(**settings)):
        return pdfium.pdf_to_blocks(_source(path))


@pytest.fixture(autouse=True)
def _threads_of_earlier_tests_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Earlier tests of the suite may leave idle threads behind (a flow's thread pool): by
    the pool's rule they turn it off, and the tests below would compare the serial read with
    itself. Threads started during a test still count (test_when_the_pool_is_used)."""
    earlier = {thread for thread in threading.enumerate() if thread is not threading.main_thread()}
    real = page_pool.fork_is_safe

    def fork_is_safe() -> bool:
        return real() or all(
            thread is threading.main_thread() or thread.name in page_pool.SAFE_THREADS or thread in earlier
            for thread in threading.enumerate()
        )

    monkeypatch.setattr(page_pool, "fork_is_safe", fork_is_safe)


def _read_in_the_pool(path: Path, monkeypatch: pytest.MonkeyPatch, **settings: int) -> FileExtract:
    """``_read``, failing unless the pages were read by the pool."""
    calls = []
    real = page_pool.read_in_parallel

    def counted(*args: object, **kwargs: object) -> FileExtract:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(page_pool, "read_in_parallel", counted)
    found = _read(path, **settings)
    assert len(calls) == 1, "the pages were not read in parallel"
    return found


@pytest.fixture(scope="module")
def serial_mixed() -> FileExtract:
    return _read(MIXED, page_workers=1)


@pytest.mark.parametrize("workers", [2, 3])
def test_pages_in_parallel_give_the_serial_extract(serial_mixed, workers, monkeypatch):
    """Every block (text, cells, boxes, pages), the pages without text, the blank pages and
    the hidden characters, in the same order, with pages read by PDFium and by pdfminer."""
    parallel = _read_in_the_pool(MIXED, monkeypatch, page_workers=workers, parallel_min_pages=2)
    assert serial_mixed.page_count == 31 and len(serial_mixed.blocks) > 100
    assert parallel == serial_mixed


def test_a_wrong_predicted_height_is_read_again_from_the_right_top(serial_mixed):
    """A page pdfminer reads may be taller than PDFium's rounded box: every chunk started from
    a top that is not the serial sum is read again, and the result is still the serial one."""
    document = pdfium._open(_source(MIXED))
    try:
        heights = [h + 0.0001 for h in pdfium._page_heights(document)]  # every prediction off
    finally:
        document.close()
    source, limits = _source(MIXED), current()
    found = page_pool.read_in_parallel(MIXED.name, 31, heights, 2, lambda: pdfium.PageReader(source, limits, 31), lambda done, total: None)
    found.page_count = 31
    assert found == serial_mixed


def test_the_predicted_heights_are_pdfiums():
    document = pdfium._open(_source(TABLES))
    try:
        predicted = pdfium._page_heights(document)
        actual = [pdfium.PdfiumPage(document, number, 0.0).height for number in range(1, len(document) + 1)]
    finally:
        document.close()
    assert predicted == actual


def test_progress_counts_up_to_the_pages():
    seen: list[tuple[int, int]] = []
    source, limits = _source(TABLES), current()
    document = pdfium._open(source)
    heights = pdfium._page_heights(document)
    document.close()
    page_pool.read_in_parallel(TABLES.name, 31, heights, 2, lambda: pdfium.PageReader(source, limits, 31), lambda done, total: seen.append((done, total)))
    assert seen == [(n, 31) for n in range(1, 32)]


def test_a_page_that_fails_in_a_worker_raises_the_serial_error():
    """The first failing page in page order, named with the file, whichever worker failed
    first in time."""
    errors = []
    for workers in (1, 2):
        with pytest.raises(LimitExceededError) as caught:
            _read(TABLES, page_workers=workers, parallel_min_pages=2, max_chars_per_page=500)  # pages 20 (564) and 28 (505)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "bmys.pdf, page 20" in errors[0] and "max_chars_per_page" in errors[0]


class _Dies:
    """A real page reader whose process is killed when it reaches a given page (a worker lost
    to the kernel's out-of-memory killer, say)."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.reader = pdfium.PageReader(_source(TABLES), current(), 31)

    def read(self, first, last, doctop, found, on_page):
        if first <= self.page <= last:
            os.kill(os.getpid(), signal.SIGKILL)
        return self.reader.read(first, last, doctop, found, on_page)

    def close(self) -> None:
        self.reader.close()


def test_a_worker_that_dies_is_a_clear_error_naming_file_and_pages():
    document = pdfium._open(_source(TABLES))
    heights = pdfium._page_heights(document)
    document.close()
    with pytest.raises(ExtractionError, match=r"bmys\.pdf, page 17: the worker reading pages 17-20 ended without an answer"):
        page_pool.read_in_parallel("bmys.pdf", 31, heights, 2, lambda: _Dies(18), lambda done, total: None)


def test_when_the_pool_is_used():
    limits = current().but(parallel_min_pages=64)
    assert page_pool.workers_for(63, limits.but(page_workers=2)) == 1  # short: one process
    assert page_pool.workers_for(64, limits.but(page_workers=2)) == 2
    assert page_pool.workers_for(241, limits.but(page_workers=1)) == 1  # turned off
    assert page_pool.workers_for(241, limits.but(page_workers=3)) == 3
    assert page_pool.workers_for(241, limits) == 1  # off by default: the pool costs CPU
    assert 1 <= page_pool.workers_for(241, limits.but(page_workers=0)) <= len(os.sched_getaffinity(0))  # auto: the free cores
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, name="someone-else")
    other.start()
    try:  # a thread that may hold a lock: no fork
        assert page_pool.workers_for(241, limits.but(page_workers=2)) == 1
    finally:
        stop.set()
        other.join()


def test_chunks_cover_the_pages_in_order():
    plan = page_pool.chunks(241, 2)
    assert [c.index for c in plan] == list(range(len(plan))) and len(plan) == 8
    assert [p for c in plan for p in range(c.first, c.last + 1)] == list(range(1, 242))
    assert page_pool.chunks(3, 2) == [page_pool.Chunk(0, 1, 1), page_pool.Chunk(1, 2, 2), page_pool.Chunk(2, 3, 3)]


def test_the_isolation_worker_runs_the_pool(serial_mixed):
    """The publication's worker (a daemon process of the fork server, with its watcher
    thread) may fork page readers, and its answer is the serial one."""
    forced = current().but(page_workers=2, parallel_min_pages=2)
    assert run_bounded(page_pool.workers_for, 31, forced, limits=forced, name="x") == 2
    assert run_bounded(pdfium.pdf_to_blocks, _source(MIXED), limits=forced, name="x") == serial_mixed


def test_a_crop_box_is_not_the_media_box_and_the_result_is_still_serial(tmp_path, monkeypatch):
    """PDFium's page size is the CropBox's; the document tops are the MediaBox's. The first
    chunk read again brings the MediaBox heights in for every page not read yet."""
    import pypdfium2

    cropped = tmp_path / "cropped.pdf"
    pdf = pypdfium2.PdfDocument(TABLES)
    for index in range(len(pdf)):
        page = pdf[index]
        left, bottom, right, top = page.get_mediabox()
        page.set_cropbox(left + 20, bottom + 30, right - 20, top - 30)
        page.close()
    pdf.save(cropped)
    pdf.close()
    document = pdfium._open(_source(cropped))
    try:
        assert pdfium._page_heights(document) != pdfium._media_box_heights(document)
    finally:
        document.close()
    assert _read_in_the_pool(cropped, monkeypatch, page_workers=2, parallel_min_pages=2) == _read(cropped, page_workers=1)


class _Sleeps:
    """A page reader that says where it runs and then waits (a page that takes forever)."""

    def __init__(self, folder: Path) -> None:
        (folder / str(os.getpid())).touch()

    def read(self, first, last, doctop, found, on_page):
        import time

        time.sleep(120)
        return []

    def close(self) -> None:
        pass


def _pool_of_sleepers(folder: Path) -> None:
    page_pool.read_in_parallel("x.pdf", 31, [842.0] * 31, 2, lambda: _Sleeps(folder), lambda done, total: None)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_page_workers_end_with_their_parent(tmp_path):
    """A publication's worker killed at its time limit takes its page readers with it."""
    import multiprocessing
    import time

    parent = multiprocessing.get_context("fork").Process(target=_pool_of_sleepers, args=(tmp_path,))
    parent.start()
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    parent.kill()
    parent.join()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
