"""The main job as a Prefect flow: the library's one run loop (yusuan.ingest.run) with its two
steps as Prefect tasks.

- ``resolve-sources``: a batch of publications resolved in the flow's process (local files
  hashed, URLs downloaded into the raw archive with conditional requests, politely, per-host
  limits shared by the batch);
- ``ingest-document``: one publication on the task runner (threads, processes or Dask): cache
  lookup, or parse + write its package + record; it returns a small summary, never the rows.

Batching, ordering, the output lock, the cache and the error wording are the loop's, the same
as ``yusuan run --no-prefect``. Only the document step is retried, and only on I/O errors: a
parse error will not change on a retry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
from yusuan.core.progress import Progress, counts_line, run_counts, summary_markdown
from yusuan.ingest.fetch.download import FetchPolicy, RawArchive
from yusuan.ingest.publication import ingest_document
from yusuan.ingest.run import DEFAULT_BATCH, Job, RunOptions, run_publications
from yusuan.ingest.sources import Publication, Resolved, read_sources, resolve_all

DEFAULT_MANIFEST = Path("raw/sources.csv")


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


class PrefectSteps:
    """The run loop's steps as Prefect tasks on the flow's task runner."""

    def __init__(self, fetch_options: dict[str, Any] | None) -> None:
        self.fetch_options = fetch_options

    def resolve(self, batch: list[Publication], archive_dir: Path, policy: FetchPolicy | None, label: str) -> list[Resolved]:
        return resolve_task(batch, archive_dir, label, self.fetch_options)

    def submit(self, document: SourceDocument, job: Job) -> Any:
        return ingest_document_task.submit(document, job.output_dir, job.cache_dir, job.force, job.trust_manifest)

    def completed(self, pending: list[Any]) -> Iterator[Any]:
        return as_completed(pending)


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
    display = Progress(progress)

    def on_outcome(outcome: dict[str, Any]) -> None:
        display.advance(outcome)
        if outcome.get("error"):
            (logger.info if display.mode != "none" else logger.warning)("%s", outcome["error"])

    options = RunOptions(
        only=only, year=year, force=force, archive_dir=archive_dir, cache=cache, batch_size=batch_size,
        allow_outside=allow_outside, trust_manifest=trust_manifest,
        on_start=display.start, on_outcome=on_outcome, on_warning=lambda line: logger.warning("%s", line),
    )
    outcomes = run_publications(Path(manifest), Path(output_dir), options, PrefectSteps(fetch_options))
    display.close(outcomes)
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

