"""The main job: every publication of a manifest -> a validated data package in output/.

One task per document (extract, normalise, check), then one write per package. Only the
write is retried, and only on I/O errors: a parse error will not change on a retry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

from yusuan.errors import YusuanError
from yusuan.manifest import read_manifest
from yusuan.model import SourceDocument
from yusuan.package import write_package
from yusuan.pipeline import DocumentResult, process_document
from yusuan.report import run_summary_markdown


def _retry_on_io_error(task: Any, task_run: Any, state: Any) -> bool:
    return isinstance(state.result(raise_on_failure=False), OSError)


@task(name="process-document", task_run_name="process {document.document_id}", cache_policy=NONE)
def process_document_task(document: SourceDocument) -> DocumentResult:
    return process_document(document)


@task(name="write-package", task_run_name="write {result.document.document_id}", cache_policy=NONE, retries=2, retry_delay_seconds=2, retry_condition_fn=_retry_on_io_error)
def write_package_task(result: DocumentResult, output_dir: Path) -> Path:
    return write_package(result, output_dir)


@flow(name="yusuan-ingest", flow_run_name="ingest {manifest}", log_prints=False)
def ingest(manifest: Path = Path("raw/manifest.csv"), output_dir: Path = Path("output"), only: list[str] | None = None) -> list[dict[str, Any]]:
    """Process every publication of the manifest; a failing document does not stop the others."""
    documents = [d for d in read_manifest(Path(manifest)) if not only or d.document_id in only]
    futures = [(doc, process_document_task.submit(doc)) for doc in documents]
    outcomes: list[dict[str, Any]] = []
    for document, future in futures:
        outcome: dict[str, Any] = {"document_id": document.document_id}
        try:
            result = future.result()
            outcome.update(result.summary())
            outcome["path"] = str(write_package_task(result, Path(output_dir)))
        except YusuanError as exc:
            outcome.update(error=str(exc))
            get_run_logger().error("%s", exc)
        outcomes.append(outcome)
    create_markdown_artifact(key="yusuan-ingest-summary", markdown=run_summary_markdown(outcomes), description="Documents processed by this run")
    return outcomes
