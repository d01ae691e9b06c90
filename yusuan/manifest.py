"""Read the manifest of publications (raw/manifest.csv) into SourceDocuments."""

from __future__ import annotations

import csv
import hashlib
from collections import OrderedDict
from pathlib import Path

from yusuan.errors import ManifestError
from yusuan.model import SourceDocument, SourceFile

REQUIRED_COLUMNS = ("document_id", "issuer", "region", "fiscal_year", "kind", "file", "role", "sha256")
KINDS = ("单位预算", "部门预算", "单位决算", "部门决算")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(path: Path, verify: bool = True) -> list[SourceDocument]:
    """One SourceDocument per document_id; file paths are relative to the manifest's folder.

    Raises ManifestError naming the line for a missing column, a bad year or kind, a
    missing file or (with ``verify``) a checksum that does not match.
    """
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ManifestError(f"{path}: missing columns {', '.join(missing)}")
        rows = list(reader)
    grouped: OrderedDict[str, list[tuple[int, dict[str, str]]]] = OrderedDict()
    for number, row in enumerate(rows, start=2):
        grouped.setdefault(row["document_id"].strip(), []).append((number, row))
    return [_document(path, doc_id, entries, verify) for doc_id, entries in grouped.items()]


def _document(
    manifest: Path, doc_id: str, entries: list[tuple[int, dict[str, str]]], verify: bool
) -> SourceDocument:
    line, first = entries[0]
    where = f"{manifest}:{line}"
    if not doc_id:
        raise ManifestError(f"{where}: empty document_id")
    try:
        year = int(first["fiscal_year"])
    except ValueError:
        raise ManifestError(f"{where}: fiscal_year {first['fiscal_year']!r} is not a year") from None
    if not 1990 <= year <= 2100:
        raise ManifestError(f"{where}: fiscal_year {year} is out of range")
    if first["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind {first['kind']!r} is not one of {', '.join(KINDS)}")
    files = []
    for number, row in entries:
        file_path = (manifest.parent / row["file"]).resolve()
        if not file_path.is_file():
            raise ManifestError(f"{manifest}:{number}: file {row['file']} not found")
        expected = (row["sha256"] or "").strip().lower()
        if verify and expected and sha256_of(file_path) != expected:
            raise ManifestError(f"{manifest}:{number}: sha256 of {row['file']} does not match the manifest")
        files.append(SourceFile(path=file_path, role=(row["role"] or "").strip() or "full", sha256=expected or sha256_of(file_path)))
    return SourceDocument(
        document_id=doc_id,
        issuer=first["issuer"].strip(),
        region=first["region"].strip(),
        fiscal_year=year,
        kind=first["kind"].strip(),
        files=tuple(files),
        source=(first.get("source") or "").strip(),
    )
