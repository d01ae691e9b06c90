"""A long PDF's pages read by a few worker processes, assembled as one process reads them.

A run already spreads publications over processes (one isolation worker per publication,
several at once on Prefect's runners), so on a machine whose cores are busy with
publications a pool of page readers only adds work. It pays for a long publication read
alone: ``yusuan run`` of one big file, or the tail of a run. So the pool is used only when
(``workers_for``) the PDF has at least ``parallel_min_pages`` pages, ``page_workers`` allows
more than one process, this process may fork safely (no thread but the isolation worker's
watcher, which holds no lock), and — with ``page_workers`` = 0, the default — there are free
cores: the cores this process may use minus the 1-minute load average (rounded), plus the
one this process is using.

How the pages are read (``read_in_parallel``): the pages are cut into contiguous chunks,
about four per worker, handed out in order to whichever worker is free. Each worker is a
fork of this process that opens the file itself (``open_reader``, the same page loop as the
serial read) and sends back each chunk's FileExtract and page heights. The parent adds the
chunks in page order, so the FileExtract is the serial one, block for block.

A page's document top (``doctop``) is the sum of the heights of the pages before it, and it
takes part in the layout (the de-duplication of characters clusters on it), so it must be
the serial float exactly. The heights are predicted from the page tree before any page is
read (PDFium's page size, a few microseconds a page); a chunk is accepted only if the top it
started from is, bit for bit, the sum of the heights its predecessors actually had, in page
order (a page pdfminer reads may be 1/10,000 pt taller than PDFium's rounded box). A chunk
started from another top is read again from the right one, and the pages not read yet are
then predicted from their MediaBox, each page loaded (``measured_heights``: PDFium's page
size is the CropBox's where a page has one).

Errors are the serial ones: a chunk that fails is held until every chunk before it is
accepted (one of them may fail at an earlier page), then its error, naming the file and the
page, is raised; no chunk after a failed one is started. A worker that dies without an
answer is an ExtractionError naming the file and the pages it was reading. A MemoryError in
a worker is raised as MemoryError (the isolation worker reports it as the memory limit).
Workers end with their parent (``PR_SET_PDEATHSIG`` where there is one): a publication
stopped at its time limit takes its page readers with it.

The decoded-bytes count of pdfminer's streams (``max_decoded_bytes``, yusuan/extract/
pdf_streams.py) is kept per process, so a worker counts only what it decodes; the PDFium
reader only gets a file whose streams all inflate within that limit together
(``streams_within_limits``), and pdfminer decodes a stream once per document, so neither
the serial read nor a worker can reach it.

Memory: each worker holds what reading its chunks needs (the document open once, its font
caches) and sends the blocks back; the parent holds the blocks, as it does serially. Peak
memory grows by the workers' own, no more (docs/scheduling.md, measured).
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from yusuan.core.errors import ExtractionError, YusuanError, picklable
from yusuan.core.limits import Limits
from yusuan.core.model import FileExtract

CHUNKS_PER_WORKER = 4  # more chunks than workers: the later pages of a publication are often denser tables
SAFE_THREADS = frozenset({"yusuan-parent-watch"})  # the isolation worker's watcher: sleeps and reads getppid, holds no lock
PR_SET_PDEATHSIG = 1


class RangeReader(Protocol):
    """What a worker reads pages with (yusuan.extract.pdfium.PageReader)."""

    def read(self, first: int, last: int, doctop: float, found: FileExtract, on_page: Callable[[int], None]) -> list[float]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Chunk:
    index: int
    first: int  # pages, 1-based, inclusive
    last: int


@dataclass
class Answer:
    """A worker's answer for one chunk: ``kind`` is done, error, memory or crash."""

    kind: str
    chunk: Chunk
    doctop: float
    found: FileExtract | None = None
    heights: list[float] = field(default_factory=list)
    error: Any = None


def free_cores() -> int:
    """Cores this process may use that the machine's 1-minute load leaves free, counting the
    one this process is using."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1
    return max(1, min(cores, cores - round(load) + 1))


def fork_is_safe() -> bool:
    """No thread but the main one and known lock-free ones: a fork copies no held lock."""
    if not hasattr(os, "fork"):
        return False
    return all(thread is threading.main_thread() or thread.name in SAFE_THREADS for thread in threading.enumerate())


def workers_for(pages: int, limits: Limits) -> int:
    """How many processes read this PDF's pages (1: this one, no pool); the rule above."""
    if pages < max(2, limits.parallel_min_pages) or limits.page_workers == 1 or not fork_is_safe():
        return 1
    wanted = limits.page_workers or free_cores()
    return max(1, min(wanted, pages))


def chunks(pages: int, workers: int) -> list[Chunk]:
    """Contiguous page ranges, about CHUNKS_PER_WORKER per worker, in page order."""
    size = max(1, math.ceil(pages / (workers * CHUNKS_PER_WORKER)))
    return [Chunk(index, first, min(first + size - 1, pages)) for index, first in enumerate(range(1, pages + 1, size))]


def sum_in_order(heights: list[float], stop: int) -> float:
    """The document top of page ``stop + 1``: the heights added one by one from zero, as the
    serial loop adds them (a float sum depends on its order)."""
    doctop = 0.0
    for height in heights[:stop]:
        doctop += height
    return doctop


def read_in_parallel(
    file: str,
    pages: int,
    predicted_heights: list[float],
    workers: int,
    open_reader: Callable[[], RangeReader],
    page_read: Callable[[int, int], None],
    measured_heights: Callable[[], list[float]] | None = None,
) -> FileExtract:
    """The FileExtract of ``pages`` pages read by ``workers`` forked processes (see above);
    ``page_read(done, pages)`` is called as pages are read, in any order, counting up.
    ``measured_heights``, a slower and surer prediction, replaces the first one for the pages
    not read yet once a chunk had to be read again (a file whose page size is not its
    MediaBox's, say)."""
    plan = chunks(pages, workers)
    heights = list(predicted_heights)  # the actual ones replace the predicted ones as chunks come back
    read = [False] * pages
    queue: deque[tuple[Chunk, float | None]] = deque((chunk, None) for chunk in plan)
    answers: dict[int, Answer] = {}
    found = FileExtract(blocks=[])
    accepted, exact_top, first_failed, done = 0, 0.0, len(plan), 0
    with _pool(min(workers, len(plan)), open_reader) as conns:
        idle, busy = list(conns), {}
        while accepted < len(plan):
            while idle and queue and queue[0][0].index < first_failed:
                chunk, top = queue.popleft()
                top = sum_in_order(heights, chunk.first - 1) if top is None else top
                conn = idle.pop()
                conn.send((chunk, top))
                busy[conn] = chunk
            if not busy:  # cannot be: a failed chunk is accepted (and raised) before this
                raise RuntimeError(f"{file}: the page pool has nothing to wait for, {accepted} of {len(plan)} chunks accepted")
            for conn in wait(list(busy)):
                message = _receive(conn, file, busy[conn])
                if message[0] == "page":
                    done += 1
                    page_read(min(done, pages), pages)
                    continue
                answer: Answer = message[1]
                del busy[conn]
                idle.append(conn)
                answers[answer.chunk.index] = answer
                if answer.kind == "done":
                    heights[answer.chunk.first - 1 : answer.chunk.first - 1 + len(answer.heights)] = answer.heights
                    read[answer.chunk.first - 1 : answer.chunk.first - 1 + len(answer.heights)] = [True] * len(answer.heights)
            first_failed = min((a.chunk.index + 1 for a in answers.values() if a.kind != "done"), default=len(plan))
            while accepted in answers:
                answer = answers.pop(accepted)
                if answer.doctop != exact_top:  # started from a predicted top that was not the serial one
                    queue.appendleft((answer.chunk, exact_top))
                    if measured_heights is not None:
                        heights = [h if done_ else m for h, m, done_ in zip(heights, measured_heights(), read, strict=True)]
                        measured_heights = None
                    break
                if answer.kind != "done":
                    _raise(answer, file)
                _add(found, answer.found)
                for height in answer.heights:
                    exact_top += height
                accepted += 1
    return found


def _add(found: FileExtract, part: FileExtract | None) -> None:
    """A chunk's pages after the earlier ones, as record_page would have added them."""
    assert part is not None
    found.blocks.extend(part.blocks)
    found.pages_without_text.extend(part.pages_without_text)
    found.blank_pages.extend(part.blank_pages)
    found.hidden_chars.update(part.hidden_chars)


def _raise(answer: Answer, file: str) -> None:
    if answer.kind == "error":
        raise answer.error
    if answer.kind == "memory":
        raise MemoryError(f"{file}: pages {answer.chunk.first}-{answer.chunk.last}")
    raise ExtractionError(file, f"the worker reading pages {answer.chunk.first}-{answer.chunk.last} failed: {answer.error}", page=answer.chunk.first)


def _receive(conn: Connection, file: str, chunk: Chunk) -> tuple[Any, ...]:
    try:
        return conn.recv()
    except (EOFError, OSError):
        raise ExtractionError(file, f"the worker reading pages {chunk.first}-{chunk.last} ended without an answer (killed: out of memory?)", page=chunk.first) from None


@contextlib.contextmanager
def _pool(workers: int, open_reader: Callable[[], RangeReader]) -> Iterator[list[Connection]]:
    """``workers`` forked processes, each serving chunks over its pipe until told to stop;
    on leaving, the workers are stopped (killed if the parent leaves on an error) and reaped."""
    pids: list[int] = []
    conns: list[Connection] = []
    ok = False
    try:
        for _ in range(workers):
            parent_end, child_end = Pipe(duplex=True)
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                parent_end.close()
                for other in conns:
                    other.close()
                _serve(child_end, open_reader)
            child_end.close()
            pids.append(pid)
            conns.append(parent_end)
        yield conns
        ok = True
    finally:
        for conn in conns:
            with contextlib.suppress(OSError):
                if ok:
                    conn.send(None)
            conn.close()
        for pid in pids:
            if not ok:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _end_with_parent() -> None:
    """Die when the parent dies (Linux: the kernel sends SIGKILL): a publication killed at its
    time limit leaves no page reader behind. Elsewhere the worker ends at its next send."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl
        os._exit(1)


def _serve(conn: Connection, open_reader: Callable[[], RangeReader]) -> None:
    """A worker's life: read the chunks it is sent, answer each, exit at None (os._exit: a
    fork must not run the parent's exit handlers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to answer; it stops the workers
    _end_with_parent()
    reader: RangeReader | None = None
    code = 0
    try:
        while (task := conn.recv()) is not None:
            chunk, doctop = task
            answer = Answer("done", chunk, doctop)
            try:
                reader = reader or open_reader()
                part = FileExtract(blocks=[])
                answer.heights = reader.read(chunk.first, chunk.last, doctop, part, lambda number: conn.send(("page", number)))
                answer.found = part
            except MemoryError:
                answer.kind = "memory"
            except YusuanError as exc:
                answer.kind, answer.error = "error", exc if picklable(exc) else YusuanError(str(exc))
            except BaseException as exc:  # a bug: its traceback goes to the parent's message
                answer.kind, answer.error = "crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
            conn.send(("answer", answer))
    except BaseException:
        code = 1
    finally:
        if reader is not None:
            with contextlib.suppress(BaseException):
                reader.close()
        os._exit(code)


