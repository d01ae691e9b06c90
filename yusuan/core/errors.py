"""Exceptions for problems a user or developer must fix (bad input files, bad schemas).

Problems *inside* a publication (a sum that does not add up, an unknown code) are not
exceptions: they are recorded as check results and findings and travel with the data.
"""

from __future__ import annotations

import pickle


class YusuanError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero."""


class SchemaError(YusuanError):
    """A file in schemas/ is invalid or inconsistent."""


class ManifestError(YusuanError):
    """The manifest of publications is invalid (missing column, bad year, checksum mismatch)."""


class ExtractionError(YusuanError):
    """A source file cannot be read (empty, truncated, not a publication)."""

    def __init__(self, file: str, message: str, page: int | None = None, table: str | None = None):
        where = file
        if page is not None:
            where += f", page {page}"
        if table:
            where += f", table {table}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.message = message
        self.page = page
        self.table = table

    def __reduce__(self):  # picklable: sent back from a worker process (yusuan/ingest/isolation.py)
        return (type(self), (self.file, self.message, self.page, self.table))


class LimitExceededError(ExtractionError):
    """A file asks for more memory or time than any real publication needs (yusuan/core/limits.py).

    Raised per publication (the run goes on with the next one); names the file, the page or
    sheet when known, the limit and its value, so that a genuine giant can be let through by
    raising that one limit.
    """

    def __init__(self, file: str, limit: str, value: int | float, found: int | float | None = None, page: int | None = None, table: str | None = None, what: str = ""):
        detail = what or limit.removeprefix("max_").replace("_", " ")
        if found is None:
            message = f"resource limit exceeded: {detail} ({limit}={value:,})"
        else:
            message = f"resource limit exceeded: {found:,} {detail}, more than {limit}={value:,}"
        super().__init__(file, message, page=page, table=table)
        self.limit = limit
        self.value = value
        self.found = found
        self.what = what

    def at(self, file: str | None = None, page: int | None = None, table: str | None = None) -> LimitExceededError:
        """The same error, placed in a file / page (raised deep in a library, placed by the reader)."""
        return LimitExceededError(file or self.file, self.limit, self.value, self.found, page if page is not None else self.page, table or self.table, self.what)

    def __reduce__(self):  # picklable across the worker process boundary
        return (LimitExceededError, (self.file, self.limit, self.value, self.found, self.page, self.table, self.what))

_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F]} | {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


def one_line(text: str) -> str:
    """``text`` with control characters escaped (a newline in a file name is shown as ``\\n``),
    so that a message stays the one line a log reader or a script expects."""
    return str(text).translate(_CONTROL)


def describe_os_error(exc: OSError, context: str = "") -> str:
    """One line for an operating-system error: the file, what went wrong, and for a full disk
    what to do."""
    import errno

    where = one_line(str(exc.filename)) if exc.filename else context
    if exc.errno == errno.ENOSPC:
        return f"{where or 'the output folder'}: no space left on the device; free some space and run again (packages already written are kept, unchanged ones are not parsed again)"
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{where}: {reason}" if where else reason


def picklable(value: object) -> bool:
    """Whether ``value`` survives a trip through pickle: an error raised in a worker process
    is sent back as itself only then (yusuan/ingest/isolation.py, yusuan/extract/page_pool.py),
    otherwise as a YusuanError with its message."""
    try:
        pickle.loads(pickle.dumps(value))
    except Exception:
        return False
    return True
