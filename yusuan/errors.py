"""Exceptions for problems a user or developer must fix (bad input files, bad schemas).

Problems *inside* a publication (a sum that does not add up, an unknown code) are not
exceptions: they are recorded as check results and findings and travel with the data.
"""

from __future__ import annotations


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
        self.page = page
        self.table = table
