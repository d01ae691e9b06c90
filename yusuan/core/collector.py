"""Fewer garbage collections while a file is read (issue 14).

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
