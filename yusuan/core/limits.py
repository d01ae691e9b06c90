"""Resource limits: the most any single publication may ask of the reader.

A budget publication is a few hundred pages, a few thousand characters a page, tables of a
few thousand cells. A hostile (or broken) file of a few kilobytes can ask for far more: a
sheet-wide merged range, millions of empty cells or paragraphs, colspan=100000, a stream
that inflates a thousandfold, a page of 60,000 stacked characters. Each reader checks the
relevant limit *before* the expensive step, and raises ``LimitExceededError`` (a
``YusuanError``: the publication fails with a one-line reason, the run goes on).

The defaults are one to three orders of magnitude above the largest value measured in the
shared corpora (84 PDFs and 4 HTML pages of 80 publications, 2026-11; "largest real"):

=========================  ==============  =============  ==================================
limit                      default         largest real   bounds
=========================  ==============  =============  ==================================
max_file_bytes             256 MiB         3.4 MB         any source file (before opening)
max_pages                  10,000          241            PDF pages, workbook sheets
max_chars_per_page         100,000         4,235          characters on a PDF page
max_crossings_per_page     1,000,000       29,016         vertical × horizontal rulings
max_cells_per_sheet        2,000,000       —              cells stored in an XLSX/XLS sheet
max_cells_per_table        1,000,000       1,134          slots of a PDF/HTML/DOCX table or
                                                          sheet (spans expanded)
max_merged_area            2,000,000       —              cells under merged ranges, a sheet
max_paragraphs             500,000         —              paragraphs of a DOCX (w:p, a:p)
max_depth                  200             12             nesting of HTML / DOCX elements
max_xml_bytes              512 MiB         0.4 MB         one uncompressed XLSX/DOCX part
max_stream_bytes           256 MiB         1.0 MB         one decoded PDF stream
max_decoded_bytes          1 GiB           9.1 MB         decoded PDF streams of one file
time_limit_s               600             22 s CPU       one publication in a worker
memory_limit_bytes         4 GiB           0.49 GB peak   its address space (RLIMIT_AS)
=========================  ==============  =============  ==================================

("—": no spreadsheet or DOCX in the corpora; the test fixtures hold a few hundred cells.)

Two settings travel with the limits although they bound nothing: ``page_workers`` and
``parallel_min_pages`` say when a long PDF's pages are read by a pool of processes
(yusuan/extract/page_pool.py, docs/scheduling.md). The pool is off by default (it costs
CPU for wall time); ``YUSUAN_LIMITS=page_workers=0`` uses it when cores are free,
``page_workers=2,parallel_min_pages=2`` forces it.

What is *not* bounded by these limits but only by the worker's time and memory limit:
pdfminer's parsing of the object tree and content streams (linear, bounded by the file
size and ``max_stream_bytes``), images (never decoded), libxml2's own parsing (which
refuses nesting deeper than 256 and text nodes over 10 MB by itself), xlrd's reading of
an XLS sheet, and two steps of the PDF reader that stay above linear within a bounded
page: the search for the cell covering a merged slot of a table (empty slots × cells, at
most ``max_cells_per_table`` slots) and the test of text lines against table cells
(lines × cells).

Limits are a frozen dataclass rather than a YAML file: they travel to the worker process
by pickling, need no file I/O there, and are type-checked. The active limits are held in a
context variable; ``using(Limits(max_paragraphs=10))`` overrides them for a block (tests,
or a caller that knows its publication is a giant); the environment variable
``YUSUAN_LIMITS="time_limit_s=1200,max_pages=20000"`` changes the defaults of a run.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

from yusuan.core.errors import LimitExceededError, YusuanError

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 256 * MiB
    max_pages: int = 10_000
    max_chars_per_page: int = 100_000
    max_crossings_per_page: int = 1_000_000
    max_cells_per_sheet: int = 2_000_000
    max_cells_per_table: int = 1_000_000
    max_merged_area: int = 2_000_000
    max_paragraphs: int = 500_000
    max_depth: int = 200
    max_xml_bytes: int = 512 * MiB
    max_stream_bytes: int = 256 * MiB
    max_decoded_bytes: int = 1 * GiB
    time_limit_s: float = 600.0
    memory_limit_bytes: int = 4 * GiB
    # not limits but the same kind of setting (travels to the worker, YUSUAN_LIMITS changes it):
    # how many processes read one long PDF's pages (yusuan/extract/page_pool.py); 0 = as many
    # as there are free cores, 1 = never in parallel (the default: the pool trades CPU for
    # wall time, docs/scheduling.md)
    page_workers: int = 1
    parallel_min_pages: int = 64  # a PDF of fewer pages is read in one process

    def but(self, **changes: int | float) -> Limits:
        """A copy with some limits changed: ``DEFAULT_LIMITS.but(max_pages=5)``."""
        return replace(self, **changes)

    def check(self, limit: str, found: int | float, file: str, page: int | None = None, table: str | None = None, what: str = "") -> None:
        """Raise LimitExceededError if ``found`` is over the limit named ``limit``."""
        value = getattr(self, limit)
        if found > value:
            raise LimitExceededError(file, limit, value, found, page=page, table=table, what=what)


DEFAULT_LIMITS = Limits()
ENVIRONMENT = "YUSUAN_LIMITS"


def from_environment(text: str | None = None) -> Limits:
    """The defaults with the changes given in ``YUSUAN_LIMITS`` (``name=value`` pairs separated
    by commas, e.g. ``time_limit_s=1200,max_pages=20000``): a portal with a genuine giant
    raises one limit without touching code. An unknown name or a value that is not a positive
    number is a one-line error."""
    return _parsed(os.environ.get(ENVIRONMENT, "") if text is None else text)


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> Limits:
    """The limits a YUSUAN_LIMITS text gives (parsed once per text: current() runs per decoded stream)."""
    changes: dict[str, int | float] = {}
    names = {f.name: f.type for f in fields(Limits)}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        name = name.strip()
        if name not in names:
            raise YusuanError(f"{ENVIRONMENT}: unknown limit {name!r} (known: {', '.join(names)})")
        try:
            number = float(value) if names[name] in (float, "float") else int(value.replace("_", ""))
        except ValueError:
            raise YusuanError(f"{ENVIRONMENT}: {name}={value.strip()!r} is not a number") from None
        if number <= 0:
            raise YusuanError(f"{ENVIRONMENT}: {name} must be positive")
        changes[name] = number
    return DEFAULT_LIMITS.but(**changes)


_ACTIVE: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("yusuan_limits", default=None)


def current() -> Limits:
    """The limits in force: those a caller set with ``using``, else the defaults with the
    changes of ``YUSUAN_LIMITS``."""
    return _ACTIVE.get() or from_environment()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)
