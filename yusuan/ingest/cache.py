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

Plain Python, no Prefect. :func:`ingest_document` is the whole per-publication step
(cache lookup, parse, write, record) that the flow and :func:`run_incremental` call.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from yusuan import __version__
from yusuan.core.errors import YusuanError, describe_os_error, one_line
from yusuan.core.hashing import sha256_of
from yusuan.core.model import SourceDocument
from yusuan.core.schemas import schemas_dir
from yusuan.ingest.isolation import run_bounded
from yusuan.package.integrity import file_problems
from yusuan.package.process import process_document
from yusuan.package.writer import PublishBlockedError, write_package

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
        kept = {k: v for k, v in outcome.items() if k not in ("status", "parsed", "cached", "library_seconds", "library_cpu_seconds", "fetch", "fetch_seconds")}
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
    hit.update(status=CACHED if status == PUBLISHED else status, parsed=False, cached=True, library_seconds=0.0, library_cpu_seconds=0.0, **extra)
    return hit


def ingest_document(
    document: SourceDocument,
    output_dir: Path,
    cache_dir: Path | None = None,
    force: bool = False,
    trust_manifest: bool = False,
) -> Outcome:
    """The whole step for one publication: cache lookup, or parse + write + record.

    A manifest whose fiscal year or kind the document contradicts (a 2025 budget listed as
    2052, a 决算 listed as 预算) fails that publication, unless ``trust_manifest``; such a
    failure is not cached (the next run may trust the manifest, or it is corrected).

    Returns a small summary (the DocumentResult is dropped as soon as the package is written):
    ``status`` is ``published``, ``cached`` (package up to date), ``blocked`` (structural
    errors, not written) or ``failed`` (unreadable); ``parsed`` / ``cached`` say what happened.
    Library errors become ``error``; an OSError (disk full, permissions) is raised so that a
    caller can retry, and is never cached.
    """
    output_dir = Path(output_dir)
    results = ResultCache(Path(cache_dir)) if cache_dir else None
    key = cache_key(document) if results else None
    if results and not force:
        hit = results.lookup(document, output_dir, key)
        if hit is not None:
            return as_cached(hit)
    outcome: Outcome = {"document_id": document.document_id, "parsed": True, "cached": False}
    started, cpu = time.perf_counter(), time.thread_time()
    try:
        result = parse_document(document)
        conflict = None if trust_manifest else identity_conflict(result)
        if conflict:
            raise IdentityConflictError(f"{document.document_id}: {conflict}; correct the manifest, or pass --trust-manifest to publish with the manifest's values")
        summary = result.summary()
        summary["pages"] = result.resources["document"][0].get("page_count", 0)
        outcome.update(summary)
        try:
            outcome["path"] = str(write_package(result, output_dir))
            outcome["status"] = PUBLISHED
        finally:
            del result  # keep only the summary
    except PublishBlockedError as exc:
        outcome.update(status=BLOCKED, error=one_line(str(exc)))
    except IdentityConflictError as exc:
        outcome.update(status=FAILED, error=one_line(str(exc)))
        results = None  # not cached: see above
    except YusuanError as exc:
        outcome.update(status=FAILED, error=one_line(str(exc)))
    outcome["library_seconds"] = round(time.perf_counter() - started, 6)
    outcome["library_cpu_seconds"] = round(time.thread_time() - cpu, 6)
    if results:
        results.store(document, output_dir, outcome, key)
    return outcome


class IdentityConflictError(YusuanError):
    """The document's printed year or kind contradicts the manifest."""


def identity_conflict(result: Any) -> str:
    """What the document says against the manifest's year and kind ("" when they agree)."""
    return "; ".join(
        c["message"] for c in result.resources["checks"]
        if c["check_id"] == "identity_matches_manifest" and c["status"] == "failed" and c["severity"] in ("warning", "error")
    )


def parse_document(document: SourceDocument) -> Any:
    """process_document in a worker process with the time and memory limits of
    yusuan/limits.py (yusuan/isolation.py): one runaway file fails alone."""
    return run_bounded(process_document, document)


def failed_outcome(document_id: str, error: str, **extra: Any) -> Outcome:
    return {"document_id": document_id, "status": FAILED, "parsed": False, "cached": False, "error": one_line(error), **extra}


def run_incremental(
    manifest: Path,
    output_dir: Path,
    *,
    only: Iterable[str] | None = None,
    year: int | None = None,
    force: bool = False,
    archive_dir: Path | None = None,
    cache: bool = True,
    policy: Any = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    allow_outside: bool = False,
    trust_manifest: bool = False,
) -> list[Outcome]:
    """The main job without an orchestrator: every publication of a sources manifest, in order.

    Downloads go to ``archive_dir`` (default: ``archive/`` beside the manifest); the cache
    lives in the output folder (:func:`default_cache_dir`). The output folder is locked for
    the run (:func:`yusuan.core.output_lock.output_lock`). Only summaries are kept; ``on_outcome``
    is called after each publication (progress display).
    """
    from yusuan.core.output_lock import output_lock
    from yusuan.ingest.fetch.download import RawArchive
    from yusuan.ingest.sources import default_archive_dir, read_sources, select

    publications = select(read_sources(Path(manifest), allow_outside=allow_outside), only, year)
    archive_root = Path(archive_dir) if archive_dir else default_archive_dir(Path(manifest))
    archive = RawArchive(archive_root) if any(p.is_remote for p in publications) else None
    cache_dir = default_cache_dir(output_dir) if cache else None
    if on_start:
        on_start(len(publications))
    with output_lock(output_dir):
        return _run_resolved(publications, archive, policy, output_dir, cache_dir, force, on_outcome, trust_manifest)


def all_from_cache(manifest: Path, output_dir: Path, *, only: Iterable[str] | None = None, year: int | None = None, allow_outside: bool = False) -> list[Outcome] | None:
    """The outcomes of a run over unchanged inputs, straight from the cache, or None if any
    publication would have to be downloaded (URLs), parsed or written.

    Deciding this costs hashing the local files and reading one small JSON per publication,
    so a re-run over unchanged inputs need not start an orchestrator at all.
    """
    from yusuan.ingest.sources import read_sources, resolve, select

    publications = select(read_sources(Path(manifest), allow_outside=allow_outside), only, year)
    if not publications or any(p.is_remote for p in publications):
        return None
    results = ResultCache(default_cache_dir(output_dir))
    outcomes = []
    for publication in publications:
        resolved = resolve(publication)
        hit = results.lookup(resolved.document, Path(output_dir)) if resolved.document else None
        if hit is None:
            return None
        outcomes.append(as_cached(hit, fetch={"downloaded": 0, "not_modified": 0, "local": len(publication.entries)}, fetch_seconds=round(resolved.seconds, 6)))
    return outcomes


def default_cache_dir(output_dir: Path) -> Path:
    """The cache of an output folder: a hidden folder inside it, so that it goes where the
    packages go (and a read-only manifest folder is never written to)."""
    return Path(output_dir) / CACHE_FOLDER


def _run_resolved(publications: list[Any], archive: Any, policy: Any, output_dir: Path, cache_dir: Path | None, force: bool, on_outcome: Callable[[Outcome], None] | None, trust_manifest: bool = False) -> list[Outcome]:
    from yusuan.ingest.sources import resolve_all

    outcomes = []
    for resolved in resolve_all(publications, archive, policy):
        fetch = {"downloaded": resolved.downloaded, "not_modified": resolved.not_modified, "local": resolved.local}
        if resolved.document is None:
            outcome = failed_outcome(resolved.document_id, resolved.error)
        else:
            try:
                outcome = ingest_document(resolved.document, output_dir, cache_dir, force, trust_manifest)
            except OSError as exc:
                outcome = failed_outcome(resolved.document_id, describe_os_error(exc, resolved.document_id))
        outcome.update(fetch=fetch, fetch_seconds=round(resolved.seconds, 6))
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes
