"""The main job: every publication of a sources manifest -> a validated data package in output/.

The flow only sequences library calls (yusuan.ingest.sources, yusuan.ingest.cache):

1. publications are taken in batches; a batch is resolved in the flow's process
   (``resolve-sources``: local files hashed, URLs downloaded into the raw archive with
   conditional requests, politely, per-host limits shared by the whole batch);
2. every resolved publication becomes one ``ingest-document`` task on the task runner
   (threads, processes or Dask): cache lookup, or parse + write its package + record;
   it returns a small summary, never the parsed rows;
3. while a batch runs, the next one is resolved; at most two batches are in flight, so
   memory does not grow with the number of publications.

A failed download or an unreadable publication is reported and the others go on. Only the
document step is retried, and only on I/O errors: a parse error will not change on a retry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from yusuan.flows.runners import make_task_runner
from yusuan.flows.settings import apply_quiet_defaults, shared_api

from yusuan.core.model import SourceDocument
from yusuan.core.output_lock import output_lock
from yusuan.core.progress import Progress, counts_line, run_counts, summary_markdown
from yusuan.ingest.cache import default_cache_dir, failed_outcome, ingest_document
from yusuan.ingest.fetch.download import FetchPolicy, RawArchive
from yusuan.ingest.sources import (
    Publication,
    Resolved,
    default_archive_dir,
    read_sources,
    resolve_all,
    select,
)

DEFAULT_MANIFEST = Path("raw/sources.csv")
DEFAULT_BATCH = 32


def _retry_on_io_error(task: Any, task_run: Any, state: Any) -> bool:
    return isinstance(state.result(raise_on_failure=False), OSError)


@task(name="resolve-sources", task_run_name="resolve {label}", cache_policy=NONE)
def resolve_task(publications: list[Publication], archive_dir: Path, label: str, fetch_options: dict[str, Any] | None = None, fetch_workers: int = 4) -> list[Resolved]:
    """Local files hashed and checked, URL files downloaded (or found unchanged) into the archive."""
    archive = RawArchive(archive_dir) if any(p.is_remote for p in publications) else None
    policy = FetchPolicy(**fetch_options) if fetch_options else None
    return list(resolve_all(publications, archive, policy, max_workers=fetch_workers))


@task(name="ingest-document", task_run_name="{document.document_id}", cache_policy=NONE, retries=2, retry_delay_seconds=2, retry_condition_fn=_retry_on_io_error)
def ingest_document_task(document: SourceDocument, output_dir: Path, cache_dir: Path | None, force: bool, trust_manifest: bool = False) -> dict[str, Any]:
    """Cached outcome, or parse + write the package; returns only the summary."""
    return ingest_document(document, output_dir, cache_dir, force, trust_manifest)


def _flow_run_name() -> str:
    parameters = flow_run.parameters
    name = f"ingest {Path(str(parameters.get('manifest') or DEFAULT_MANIFEST)).name}"
    if parameters.get("year"):
        name += f" {parameters['year']}"
    if parameters.get("only"):
        name += f" ({len(parameters['only'])} selected)"
    if parameters.get("force"):
        name += " force"
    return name


def _fetch_counts(resolved: Resolved) -> dict[str, int]:
    return {"downloaded": resolved.downloaded, "not_modified": resolved.not_modified, "local": resolved.local}


def _batches(items: list[Publication], size: int) -> Iterable[list[Publication]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@flow(name="yusuan-ingest", flow_run_name=_flow_run_name, log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 1))
def ingest(
    manifest: Path = DEFAULT_MANIFEST,
    output_dir: Path = Path("output"),
    only: list[str] | None = None,
    year: int | None = None,
    force: bool = False,
    archive_dir: Path | None = None,
    cache: bool = True,
    progress: str = "none",
    batch_size: int = DEFAULT_BATCH,
    fetch_options: dict[str, Any] | None = None,
    allow_outside: bool = False,
    trust_manifest: bool = False,
) -> list[dict[str, Any]]:
    """Process every publication of the manifest (of ``year``, or the ``only`` ids).

    Unchanged publications come from the cache unless ``force``; a failing publication does
    not stop the others. ``fetch_options`` are FetchPolicy fields (e.g. ``min_interval``).
    Returns one summary per publication, in manifest order.
    """
    logger = get_run_logger()
    manifest, output_dir = Path(manifest), Path(output_dir)
    everything = read_sources(manifest, allow_outside=allow_outside)
    missing = sorted(set(only or ()) - {p.document_id for p in everything})
    if missing:
        logger.warning("not in %s: %s", manifest, ", ".join(missing))
    publications = select(everything, only, year)
    archive_root = Path(archive_dir) if archive_dir else default_archive_dir(manifest)
    cache_dir = default_cache_dir(output_dir) if cache else None
    order = {p.document_id: i for i, p in enumerate(publications)}
    display = Progress(progress)
    display.start(len(publications))
    outcomes: list[dict[str, Any]] = []

    def report(outcome: dict[str, Any]) -> None:
        outcomes.append(outcome)
        display.advance(outcome)
        if outcome.get("error"):
            (logger.info if display.mode != "none" else logger.warning)("%s", outcome["error"])

    def collect(running: list[tuple[Resolved, Any]]) -> None:
        by_future = {future: resolved for resolved, future in running}
        for future in as_completed(list(by_future)):
            resolved = by_future[future]
            try:
                outcome = future.result()
            except Exception as exc:  # an I/O error after the retries, or a bug: report, go on
                logger.error("%s: %s: %s", resolved.document_id, type(exc).__name__, exc)
                outcome = failed_outcome(resolved.document_id, f"{type(exc).__name__}: {exc}")
            report({**outcome, "fetch": _fetch_counts(resolved), "fetch_seconds": round(resolved.seconds, 6)})

    with output_lock(output_dir) as cleaned:
        for line in cleaned:
            logger.warning("%s", line)
        batches = list(_batches(publications, max(1, batch_size)))
        running: list[tuple[Resolved, Any]] = []
        for number, batch in enumerate(batches, start=1):
            remote = sum(p.is_remote for p in batch)
            label = f"batch {number}/{len(batches)}: {len(batch)} publications" + (f", {remote} to download" if remote else "")
            submitted = []
            for resolved in resolve_task(batch, archive_root, label, fetch_options):
                if resolved.document is None:
                    report(failed_outcome(resolved.document_id, resolved.error, fetch=_fetch_counts(resolved), fetch_seconds=round(resolved.seconds, 6)))
                    continue
                future = ingest_document_task.submit(resolved.document, output_dir, cache_dir, force, trust_manifest)
                submitted.append((resolved, future))
            collect(running)  # the previous batch, while this one runs
            running = submitted
        collect(running)
        display.close(outcomes)
    outcomes.sort(key=lambda o: order.get(o["document_id"], len(order)))
    counts = run_counts(outcomes)
    create_markdown_artifact(key="yusuan-ingest-summary", markdown=summary_markdown(outcomes), description=counts_line(counts))
    logger.info("%s", counts_line(counts))
    return outcomes


def run_ingest(
    manifest: Path = DEFAULT_MANIFEST,
    output_dir: Path = Path("output"),
    only: list[str] | None = None,
    *,
    year: int | None = None,
    force: bool = False,
    archive_dir: Path | None = None,
    cache: bool = True,
    progress: str = "none",
    runner: str = "threads",
    workers: int | None = None,
    dask_address: str | None = None,
    batch_size: int | None = None,
    fetch_options: dict[str, Any] | None = None,
    allow_outside: bool = False,
    trust_manifest: bool = False,
) -> list[dict[str, Any]]:
    """The ingest flow on the chosen task runner (what the CLI calls).

    The manifest is checked first, so a bad line is a one-line ManifestError before any
    Prefect server is started.
    """
    read_sources(Path(manifest), allow_outside=allow_outside)
    apply_quiet_defaults()
    task_runner = make_task_runner(runner, workers, dask_address)
    size = batch_size or max(DEFAULT_BATCH, 4 * (workers or os.cpu_count() or 1))
    with shared_api():
        return ingest.with_options(task_runner=task_runner)(
            manifest=Path(manifest), output_dir=Path(output_dir), only=only, year=year, force=force,
            archive_dir=archive_dir, cache=cache, progress=progress, batch_size=size, fetch_options=fetch_options, allow_outside=allow_outside, trust_manifest=trust_manifest,
        )

