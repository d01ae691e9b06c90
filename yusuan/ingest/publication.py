"""One publication, start to end: the cache lookup, or parse (in a bounded worker) + write
the package + record the outcome. The run loop (:mod:`yusuan.ingest.run`) calls it for every
publication, inline or as a Prefect task (flows/ingest.py); it returns a small summary, never
the parsed rows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from yusuan.core.errors import YusuanError, one_line
from yusuan.core.model import SourceDocument
from yusuan.ingest.cache import (
    BLOCKED,
    FAILED,
    PUBLISHED,
    Outcome,
    ResultCache,
    as_cached,
    cache_key,
)
from yusuan.ingest.isolation import WorkerUsage, run_bounded
from yusuan.package.process import process_document
from yusuan.package.writer import PublishBlockedError, publish_package


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
    usage = WorkerUsage()
    try:
        result = parse_document(document, usage)
        conflict = None if trust_manifest else identity_conflict(result)
        if conflict:
            raise IdentityConflictError(f"{document.document_id}: {conflict}; correct the manifest, or pass --trust-manifest to publish with the manifest's values")
        completed = result  # with the package's validation once written (or blocked by it)
        try:
            path, completed = publish_package(result, output_dir)
            outcome["path"] = str(path)
            outcome["status"] = PUBLISHED
        except PublishBlockedError as exc:
            completed = exc.result or result
            raise
        finally:
            summary = completed.summary()
            summary["pages"] = completed.resources["document"][0].get("page_count", 0)
            outcome.update(summary)
            del result, completed  # keep only the summary
    except PublishBlockedError as exc:
        outcome.update(status=BLOCKED, error=one_line(str(exc)))
    except IdentityConflictError as exc:
        outcome.update(status=FAILED, error=one_line(str(exc)))
        results = None  # not cached: see above
    except YusuanError as exc:
        outcome.update(status=FAILED, error=one_line(str(exc)))
    outcome["library_seconds"] = round(time.perf_counter() - started, 6)
    outcome["library_cpu_seconds"] = round(time.thread_time() - cpu + usage.cpu_seconds, 6)  # this thread + its worker
    outcome["worker_cpu_seconds"] = round(usage.cpu_seconds, 6)
    outcome["worker_peak_rss_mib"] = round(usage.peak_rss_mib, 1)
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


def parse_document(document: SourceDocument, usage: WorkerUsage | None = None) -> Any:
    """process_document in a worker process with the time and memory limits of
    yusuan/core/limits.py (yusuan/ingest/isolation.py): one runaway file fails alone.
    ``usage`` receives the worker's CPU and peak memory."""
    return run_bounded(process_document, document, usage=usage)


def failed_outcome(document_id: str, error: str, **extra: Any) -> Outcome:
    return {"document_id": document_id, "status": FAILED, "parsed": False, "cached": False, "error": one_line(error), **extra}
