"""Count what an XLSX or DOCX asks for before a library builds it in memory.

openpyxl and python-docx build every cell, merged cell and paragraph as Python objects:
a 20 KB workbook with one sheet-wide merged range becomes 17 billion MergedCells, a
440 KB document of 4 M empty paragraphs 2.8 GB of elements. The zip's parts are XML, so the
tags can be counted first, streaming (1 MiB at a time, never the whole part in memory),
and the file refused by yusuan/core/limits.py before the library is called.

A zip member is inflated to at most its declared size (zipfile checks it), so
``max_xml_bytes`` checked on the declared sizes bounds what the library will read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from yusuan.core.limits import Limits

CHUNK = 1 << 20
MAX_TAG = 4096  # the longest tag whose attributes are read (a mergeCell)
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^<>]*?\bref=\"([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?\"")
PARAGRAPH = re.compile(rb"<(?:\w+:)?p[\s>/]")
SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^<>]*>")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^<>]*>")
ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")


def check_members(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Every part's declared uncompressed size within max_xml_bytes."""
    for info in archive.infolist():
        limits.check("max_xml_bytes", info.file_size, name, what=f"bytes uncompressed in {info.filename}")


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The part in pieces that each end before a '<' (no tag is cut in two)."""
    carry = b""
    with archive.open(member) as handle:
        while True:
            data = handle.read(CHUNK)
            if not data:
                break
            buffer = carry + data
            cut = buffer.rfind(b"<")
            if cut < 0 or len(buffer) - cut > MAX_TAG:
                carry = b""
                yield buffer
            else:
                carry = buffer[cut:]
                yield buffer[:cut]
    if carry:
        yield carry


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return {key.split(b":")[-1]: value for key, value in ATTRIBUTE.findall(tag)}


def worksheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part) of the workbook's sheets, in workbook order."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return [(n, n) for n in sorted(names) if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    targets: dict[bytes, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for tag in RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels")):
            attributes = _attributes(tag)
            target = attributes.get(b"Target", b"").decode("utf-8", "replace")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attributes.get(b"Id", b"")] = target
    parts = []
    for tag in SHEET.findall(archive.read("xl/workbook.xml")):
        attributes = _attributes(tag)
        part = targets.get(attributes.get(b"id", b""), "")
        if part in names:
            parts.append((attributes.get(b"name", b"").decode("utf-8", "replace"), part))
    return parts


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The main document part, as the package relationships name it (word/document.xml)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for tag in RELATIONSHIP.findall(archive.read("_rels/.rels")):
            attributes = _attributes(tag)
            if attributes.get(b"Type", b"").endswith(b"/officeDocument"):
                target = attributes.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None


def check_workbook(path: Path, name: str, limits: Limits) -> None:
    """Sheets, stored cells per sheet and merged area per sheet of an XLSX, within limits."""
    with zipfile.ZipFile(path) as archive:
        check_members(archive, name, limits)
        sheets = worksheet_parts(archive)
        limits.check("max_pages", len(sheets), name, what="sheets")
        for number, (sheet, part) in enumerate(sheets, start=1):
            cells = merged = 0
            for chunk in _chunks(archive, part):
                cells += len(CELL.findall(chunk))
                for first_col, first_row, last_col, last_row in MERGE.findall(chunk):
                    rows = int(last_row or first_row) - int(first_row)
                    cols = _column(last_col or first_col) - _column(first_col)
                    merged += (abs(rows) + 1) * (abs(cols) + 1)
                limits.check("max_cells_per_sheet", cells, name, page=number, what=f"cells stored in sheet {sheet!r}")
                limits.check("max_merged_area", merged, name, page=number, what=f"cells covered by merged ranges in sheet {sheet!r}")


def check_document(path: Path, name: str, limits: Limits) -> None:
    """Paragraphs of a DOCX body (and its parts' sizes) within limits."""
    with zipfile.ZipFile(path) as archive:
        check_members(archive, name, limits)
        part = main_part(archive)
        if part is None:
            return  # python-docx reports a package without a main document
        paragraphs = 0
        for chunk in _chunks(archive, part):
            paragraphs += len(PARAGRAPH.findall(chunk))
            limits.check("max_paragraphs", paragraphs, name, what="paragraphs")
