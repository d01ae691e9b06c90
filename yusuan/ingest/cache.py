"""Incremental runs: a publication whose files and code are unchanged is not parsed again.

The cache key of a publication is the sha256 of its metadata, its files' roles, names and
sha256s, and the code version (``yusuan.__version__`` plus a hash of ``schemas/`` and of the
library's source), so a new file, an edited schema or a code change all mean a new key.

An entry is one small JSON file per publication and output folder::

    <cache root>/<hash of the output folder>/<document_id>.json
        {"key": ..., "code_version": ..., "outcome": {...summary...}, "package_sha256": ...}

It is a hit only if the key matches and, for a published document, the package it wrote is
still in the output folder, unchanged (sha256 of its datapackage.json and the size of every
file the descriptor lists). Failures of the publication itself (blocked, unreadable) are
cached too, so an unchanged broken publication is not parsed every year; download failures
and I/O errors are not.

Plain Python, no Prefect. The per-publication step that uses it is
:func:`yusuan.ingest.publication.ingest_document`; the run loop is :mod:`yusuan.ingest.run`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from yusuan import __version__
from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument
from yusuan.core.schema_files import schemas_dir
from yusuan.package.integrity import file_problems

Outcome = dict[str, Any]

LIBRARY_DIR = Path(__file__).resolve().parents[1]  # the whole yusuan package
PUBLISHED, CACHED, BLOCKED, FAILED = "published", "cached", "blocked", "failed"
CACHE_FOLDER = ".cache"
SUMMARY_FIELDS = ("quality_status", "tables", "amounts", "checks_passed", "checks_failed", "checks_errors", "checks_warnings", "checks_notes", "checks_not_run", "pages")


def _tree_digest(digest: Any, root: Path, pattern: str) -> None:
    for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")


@cache
def code_version() -> str:
    """``<__version__>+<hash of schemas/ and the library source>``: changes with any code change."""
    digest = hashlib.sha256(__version__.encode("utf-8") + b"\0")
    _tree_digest(digest, schemas_dir(), "*")
    _tree_digest(digest, LIBRARY_DIR, "*.py")
    return f"{__version__}+{digest.hexdigest()[:16]}"


def cache_key(document: SourceDocument, version: str | None = None) -> str:
    payload = {
        "code_version": version or code_version(),
        "document_id": document.document_id,
        "issuer": document.issuer,
        "region": document.region,
        "fiscal_year": document.fiscal_year,
        "kind": document.kind,
        "source": document.source,
        "metadata_source": document.metadata_source,
        "files": [[f.role, f.name, f.sha256] for f in document.files],
    }
    if document.findings:  # what the ingest stage found is published with the package
        payload["findings"] = [[f.check_id, f.severity, f.message] for f in document.findings]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def package_intact(folder: Path, descriptor_sha256: str) -> bool:
    """The package in ``folder`` is the one recorded: same datapackage.json, and every file it
    lists (CSV, Parquet, quality reports) has the sha256 the descriptor gives for it. A file
    edited in place, even to the same size, makes the package stale and it is written again."""
    descriptor_path = folder / "datapackage.json"
    try:
        data = descriptor_path.read_bytes()
        if hashlib.sha256(data).hexdigest() != descriptor_sha256:
            return False
        return not file_problems(folder)
    except OSError:
        return False


class ResultCache:
    """Cached outcomes of publications, one JSON file each, per output folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _entry_path(self, document_id: str, output_dir: Path) -> Path:
        scope = hashlib.sha256(str(Path(output_dir).resolve()).encode("utf-8")).hexdigest()[:16]
        return self.root / scope / f"{document_id}.json"

    def lookup(self, document: SourceDocument, output_dir: Path, key: str | None = None) -> Outcome | None:
        """The cached outcome if the key matches and its package is intact, else None."""
        path = self._entry_path(document.document_id, output_dir)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("key") != (key or cache_key(document)):
            return None
        package_sha = entry.get("package_sha256")
        if package_sha and not package_intact(Path(output_dir) / document.document_id, package_sha):
            return None
        return dict(entry["outcome"])

    def store(self, document: SourceDocument, output_dir: Path, outcome: Outcome, key: str | None = None) -> None:
        """Record an outcome (atomically: temp file + rename)."""
        path = self._entry_path(document.document_id, output_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        package_sha = None
        if outcome.get("status") == PUBLISHED:
            package_sha = sha256_of(Path(outcome["path"]) / "datapackage.json")
        kept = {k: v for k, v in outcome.items() if k not in ("status", "parsed", "cached", "library_seconds", "library_cpu_seconds", "worker_cpu_seconds", "worker_peak_rss_mib", "fetch", "fetch_seconds")}
        kept["status"] = outcome["status"]
        entry = {
            "key": key or cache_key(document),
            "code_version": code_version(),
            "document_id": document.document_id,
            "files": [{"name": f.name, "role": f.role, "sha256": f.sha256} for f in document.files],
            "package_sha256": package_sha,
            "outcome": kept,
        }
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{document.document_id}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def forget(self, document_id: str, output_dir: Path) -> None:
        self._entry_path(document_id, output_dir).unlink(missing_ok=True)


def as_cached(hit: Outcome, **extra: Any) -> Outcome:
    """A cached outcome as a run reports it: nothing parsed, a published package ``cached``."""
    status = hit.get("status")
    hit.update(status=CACHED if status == PUBLISHED else status, parsed=False, cached=True, library_seconds=0.0, library_cpu_seconds=0.0, worker_cpu_seconds=0.0, worker_peak_rss_mib=0.0, **extra)
    return hit


def default_cache_dir(output_dir: Path) -> Path:
    """The cache of an output folder: a hidden folder inside it, so that it goes where the
    packages go (and a read-only manifest folder is never written to)."""
    return Path(output_dir) / CACHE_FOLDER
