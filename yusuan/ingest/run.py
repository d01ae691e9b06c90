"""The one run loop: every publication of a sources manifest -> its package, in batches.

Every way of running the main job goes through :func:`run_publications`: ``yusuan run``
with Prefect (the flow in flows/ingest.py passes a :class:`Steps` that turns each step into a
Prefect task), ``yusuan run --no-prefect`` and the library (the default :class:`InlineSteps`).
So the manifest reader, the selection, the output lock, the cache, the error wording and the
order of the outcomes are the same on every path.

1. the manifest is read by the one strict reader (:func:`yusuan.ingest.sources.read_sources`);
2. publications are taken in batches; a batch is resolved (local files hashed, URLs
   downloaded into the raw archive), then every resolved publication is submitted to
   :func:`yusuan.ingest.publication.ingest_document`;
3. while a batch runs, the next one is resolved; at most two batches are in flight, so
   memory does not grow with the number of publications.

A failed download or an unreadable publication is reported and the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from yusuan.core.errors import describe_os_error, one_line
from yusuan.core.model import SourceDocument
from yusuan.core.output_lock import output_lock
from yusuan.ingest.attachments import FOUND_FILE, found_text
from yusuan.ingest.cache import Outcome, ResultCache, as_cached, default_cache_dir
from yusuan.ingest.fetch.download import FetchPolicy, RawArchive
from yusuan.ingest.publication import failed_outcome, ingest_document
from yusuan.ingest.sources import (
    Publication,
    Resolved,
    default_archive_dir,
    read_sources,
    resolve,
    resolve_all,
    select,
)

DEFAULT_BATCH = 32


class Pending(Protocol):
    """A submitted publication: its outcome, or the exception that ended it."""

    def result(self) -> Outcome: ...


@dataclass(frozen=True)
class Job:
    """What the per-publication step needs besides the document."""

    output_dir: Path
    cache_dir: Path | None
    force: bool
    trust_manifest: bool


class Steps(Protocol):
    """How the loop's two steps run: inline here, as Prefect tasks in flows/ingest.py."""

    def resolve(self, batch: list[Publication], archive_dir: Path, policy: FetchPolicy | None, label: str) -> list[Resolved]: ...

    def submit(self, document: SourceDocument, job: Job) -> Pending: ...

    def completed(self, pending: list[Pending]) -> Iterator[Pending]: ...


@dataclass
class _Done:
    outcome: Outcome | None = None
    error: BaseException | None = None

    def result(self) -> Outcome:
        if self.error is not None:
            raise self.error
        assert self.outcome is not None
        return self.outcome


class InlineSteps:
    """Both steps in this process, one publication after the other (parsing itself still runs
    in a bounded worker process: yusuan/ingest/isolation.py)."""

    def resolve(self, batch: list[Publication], archive_dir: Path, policy: FetchPolicy | None, label: str) -> list[Resolved]:
        archive = RawArchive(archive_dir) if any(p.is_remote for p in batch) else None
        return list(resolve_all(batch, archive, policy))

    def submit(self, document: SourceDocument, job: Job) -> Pending:
        try:
            return _Done(ingest_document(document, job.output_dir, job.cache_dir, job.force, job.trust_manifest))
        except Exception as exc:  # an I/O error or a bug: reported by the loop, the others go on
            return _Done(error=exc)

    def completed(self, pending: list[Pending]) -> Iterator[Pending]:
        return iter(pending)


@dataclass
class RunOptions:
    """The choices of a run (the options of ``yusuan run``)."""

    only: Iterable[str] | None = None
    year: int | None = None
    force: bool = False
    archive_dir: Path | None = None
    cache: bool = True
    policy: FetchPolicy | None = None
    batch_size: int = DEFAULT_BATCH
    allow_outside: bool = False
    trust_manifest: bool = False
    on_start: Callable[[int], None] | None = None
    on_outcome: Callable[[Outcome], None] | None = None
    on_warning: Callable[[str], None] | None = None


def error_text(document_id: str, exc: BaseException) -> str:
    """The one wording of a publication that ended in an exception after any retries."""
    if isinstance(exc, OSError):
        return describe_os_error(exc, document_id)
    return one_line(f"{document_id}: {type(exc).__name__}: {exc}")


def _fetch_counts(resolved: Resolved) -> dict[str, int]:
    return {"downloaded": resolved.downloaded, "not_modified": resolved.not_modified, "local": resolved.local}


def _batches(items: list[Publication], size: int) -> Iterator[list[Publication]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def run_publications(manifest: Path, output_dir: Path, options: RunOptions | None = None, steps: Steps | None = None) -> list[Outcome]:
    """Process every publication of the manifest (of ``options.year``, or the ``only`` ids).

    Unchanged publications come from the cache unless ``force``; a failing publication does
    not stop the others. Returns one summary per publication, in manifest order.
    """
    options = options or RunOptions()
    steps = steps or InlineSteps()
    manifest, output_dir = Path(manifest), Path(output_dir)
    warn = options.on_warning or (lambda message: None)
    everything = read_sources(manifest, allow_outside=options.allow_outside)
    missing = sorted(set(options.only or ()) - {p.document_id for p in everything})
    if missing:
        warn(f"not in {manifest}: {', '.join(missing)}")
    publications = select(everything, options.only, options.year)
    archive_root = Path(options.archive_dir) if options.archive_dir else default_archive_dir(manifest)
    job = Job(output_dir, default_cache_dir(output_dir) if options.cache else None, options.force, options.trust_manifest)
    order = {p.document_id: i for i, p in enumerate(publications)}
    if options.on_start:
        options.on_start(len(publications))
    outcomes: list[Outcome] = []
    found: list[dict[str, str]] = []  # drafted lines of publications linked from pages

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if options.on_outcome:
            options.on_outcome(outcome)

    def collect(running: list[tuple[Resolved, Pending]]) -> None:
        by_pending = {id(pending): resolved for resolved, pending in running}
        for pending in steps.completed([pending for _, pending in running]):
            resolved = by_pending[id(pending)]
            try:
                outcome = pending.result()
            except Exception as exc:
                outcome = failed_outcome(resolved.document_id, error_text(resolved.document_id, exc))
            report({**outcome, "fetch": _fetch_counts(resolved), "fetch_seconds": round(resolved.seconds, 6)})

    with output_lock(output_dir) as cleaned:
        for line in cleaned:
            warn(line)
        batches = list(_batches(publications, max(1, options.batch_size)))
        running: list[tuple[Resolved, Pending]] = []
        for number, batch in enumerate(batches, start=1):
            remote = sum(p.is_remote for p in batch)
            label = f"batch {number}/{len(batches)}: {len(batch)} publications" + (f", {remote} to download" if remote else "")
            submitted = []
            for resolved in steps.resolve(batch, archive_root, options.policy, label):
                found += resolved.found
                if resolved.document is None:
                    report(failed_outcome(resolved.document_id, resolved.error, fetch=_fetch_counts(resolved), fetch_seconds=round(resolved.seconds, 6)))
                    continue
                submitted.append((resolved, steps.submit(resolved.document, job)))
            collect(running)  # the previous batch, while this one runs
            running = submitted
        collect(running)
        if found:
            where = write_found(output_dir, found)
            warn(f"{len(found)} linked publication(s) of other units or levels found and not merged: drafted manifest lines in {where}")
    outcomes.sort(key=lambda o: order.get(o["document_id"], len(order)))
    return outcomes


def write_found(output_dir: Path, lines: list[dict[str, str]]) -> Path:
    """The drafted manifest lines of the publications pages link (yusuan/ingest/attachments.py)
    as ``found_publications.csv`` in the output folder, replaced whole (written beside, renamed)."""
    target = output_dir / FOUND_FILE
    temp = target.with_name(f".{FOUND_FILE}.part")
    temp.write_text(found_text(lines), encoding="utf-8")
    os.replace(temp, target)
    return target


def all_from_cache(manifest: Path, output_dir: Path, *, only: Iterable[str] | None = None, year: int | None = None, allow_outside: bool = False) -> list[Outcome] | None:
    """The outcomes of a run over unchanged inputs, straight from the cache, or None if any
    publication would have to be downloaded (URLs), parsed or written.

    Deciding this costs hashing the local files and reading one small JSON per publication,
    so a re-run over unchanged inputs need not start an orchestrator at all.
    """
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
