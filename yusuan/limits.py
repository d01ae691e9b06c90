"""Resource limits: the most any single publication may ask of the reader.

A budget publication is a few hundred pages, a few thousand characters a page, tables of a
few thousand cells. A hostile (or broken) file of a few kilobytes can ask for far more: a
sheet-wide merged range, millions of empty cells or paragraphs, colspan=100000, a stream
that inflates a thousandfold, a page of 60,000 stacked characters. Each reader checks the
relevant limit *before* the expensive step, and raises ``LimitExceededError`` (a
``YusuanError``: the publication fails with a one-line reason, the run goes on).

The defaults are one to two orders of magnitude above the largest real publication
measured (the shared corpora, docs/security.md):

=========================  ==============  ===============================================
limit                      default         bounds
=========================  ==============  ===============================================
max_file_bytes             512 MiB         any source file (checked before it is opened)
max_pages                  10,000          PDF pages, workbook sheets
max_chars_per_page         200,000         characters on one PDF page (before dedupe)
max_crossings_per_page     1,000,000       vertical × horizontal rulings of one PDF page
max_cells_per_sheet        2,000,000       cells stored in one XLSX/XLS sheet
max_cells_per_table        1,000,000       slots of one PDF/HTML/DOCX table (spans expanded)
max_merged_area            2,000,000       cells covered by merged ranges in one sheet
max_paragraphs             500,000         paragraphs of a DOCX body
max_depth                  200             element nesting read from HTML / DOCX
max_xml_bytes              512 MiB         uncompressed size of one part of an XLSX/DOCX zip
max_stream_bytes           256 MiB         one decoded PDF stream (Flate, LZW)
max_decoded_bytes          2 GiB           all decoded PDF streams of one file together
time_limit_s               600             one publication in a worker (yusuan/isolation.py)
memory_limit_bytes         6 GiB           address space of that worker (RLIMIT_AS)
=========================  ==============  ===============================================

What is *not* bounded by these limits but only by the worker's time and memory limit:
pdfminer's parsing of the object tree and content streams (linear, bounded by the file
size and ``max_stream_bytes``), images (never decoded), and libxml2's own parsing (which
refuses nesting deeper than 256 and text nodes over 10 MB by itself).

Limits are a frozen dataclass rather than a YAML file: they travel to the worker process
by pickling, need no file I/O there, and are type-checked. The active limits are held in a
context variable; ``using(Limits(max_paragraphs=10))`` overrides them for a block (tests,
or a caller that knows its publication is a giant).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, replace

from yusuan.errors import LimitExceededError

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 512 * MiB
    max_pages: int = 10_000
    max_chars_per_page: int = 200_000
    max_crossings_per_page: int = 1_000_000
    max_cells_per_sheet: int = 2_000_000
    max_cells_per_table: int = 1_000_000
    max_merged_area: int = 2_000_000
    max_paragraphs: int = 500_000
    max_depth: int = 200
    max_xml_bytes: int = 512 * MiB
    max_stream_bytes: int = 256 * MiB
    max_decoded_bytes: int = 2 * GiB
    time_limit_s: float = 600.0
    memory_limit_bytes: int = 6 * GiB

    def but(self, **changes: int | float) -> Limits:
        """A copy with some limits changed: ``DEFAULT_LIMITS.but(max_pages=5)``."""
        return replace(self, **changes)

    def check(self, limit: str, found: int | float, file: str, page: int | None = None, table: str | None = None, what: str = "") -> None:
        """Raise LimitExceededError if ``found`` is over the limit named ``limit``."""
        value = getattr(self, limit)
        if found > value:
            raise LimitExceededError(file, limit, value, found, page=page, table=table, what=what)


DEFAULT_LIMITS = Limits()
_ACTIVE: contextvars.ContextVar[Limits] = contextvars.ContextVar("yusuan_limits", default=DEFAULT_LIMITS)


def current() -> Limits:
    """The limits in force (the defaults unless a caller set others with ``using``)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)
