"""Fewer garbage collections while a file is read, and smaller ones while a package is
written (issue 14).

A reader makes hundreds of thousands of small objects that live until the file is read, and
almost none of them are in a reference cycle: a dict per character, a tuple per matrix, a
list per line. With
CPython's default first threshold (700 new container objects), the young generation is
collected every few hundred characters, and each collection walks objects that all survive
and are then walked again in the older generations. Measured on 15 publications of the
corpora (the whole path, `docs/speed.md`, stop 22): 1,943 collections took 1.2 of ~10.8
CPU-s; with the first threshold at 10,000 while files are read, 546 took 0.75 CPU-s, and the
peak RSS was the same (216 against 217 MiB). The objects made and their values are not
changed: only when the collector looks. The stages after the reader (tables, normalize,
checks: ``package.process.extracted_to_result``) run with it too (stop 25: their CPU 7.62
and 7.69 -> 6.26 and 7.08 in alternating runs of ``benchmarks/after_reading.py``); package
writing gained nothing measurable and runs with the process's thresholds.

The thresholds are the process's, and packages may be read from several threads: the first
reader to enter raises the threshold, the last to leave puts back what it found, so nested
and concurrent readers never leave the process with a changed setting.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

READING_THRESHOLD = 10_000  # new container objects between two young-generation collections

_lock = threading.Lock()
_readers = 0
_found: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections(threshold: int = READING_THRESHOLD) -> Iterator[None]:
    """The young generation collected every ``threshold`` new objects (never less often
    than the process asked for) while the block runs; the process's thresholds after it."""
    global _readers, _found
    with _lock:
        if _readers == 0:
            _found = gc.get_threshold()
            first, *older = _found
            if 0 < first < threshold:  # 0: collection turned off by the process, left so
                gc.set_threshold(threshold, *older)
        _readers += 1
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0 and _found is not None:
                gc.set_threshold(*_found)
                _found = None


_heap_lock = threading.Lock()
_writers = 0  # packages being written (packages are written from several threads: flows/ingest.py)
_froze = False  # whether the first of them froze the heap (and the last must put it back)


@contextmanager
def heap_frozen() -> Iterator[None]:
    """The objects made before a package is written left out of the cyclic collector's walks
    while it is written (``gc.freeze``), and put back as they were after it (``gc.unfreeze``)
    (issue 14).

    Writing a package makes many short-lived containers (a list per column, a tuple per key,
    sets of distinct cells), and each collection they set off walks its generation; a full
    collection walks the whole heap: the reader's and the result stage's caches, the schemas,
    Frictionless, everything else alive. Measured over the 80 publications of both corpora
    (results made and written one by one, ``gc.callbacks``): the collector took 0.32–0.40 CPU-s
    inside package writing (two full collections) and 0.48–0.65 elsewhere; with this window,
    0.21–0.24 (no full collection, the collection before the window included) and 0.28–0.33.

    What the collector does is not changed, only what it walks while the package is written:
    the young generations are collected first (``gc.collect(1)``: their survivors promoted and
    counted as the collector counts them, so its thresholds for full collections stay true),
    then every object alive is frozen. Containers made while writing are collected as usual;
    a cycle among the frozen objects that becomes garbage meanwhile is found by the first full
    collection after the window. No value is touched, so the bytes written are the same.
    Nested and concurrent writers: the first in freezes, the last out unfreezes. A process
    whose objects are frozen already (a worker forked after ``ingest/worker_warmup.py``) is
    left as it is: ``gc.unfreeze`` would put back its frozen objects too."""
    global _writers, _froze
    with _heap_lock:
        if _writers == 0 and gc.isenabled() and gc.get_freeze_count() == 0:
            gc.collect(1)
            gc.freeze()
            _froze = True
        _writers += 1
    try:
        yield
    finally:
        with _heap_lock:
            _writers -= 1
            if _writers == 0 and _froze:
                gc.unfreeze()
                _froze = False
