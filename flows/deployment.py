"""The annual ingestion, declared as a Prefect deployment: every 1 March, 06:00 Asia/Shanghai.

Serve it (a long-running process that starts the scheduled runs)::

    prefect server start                                   # terminal 1 (UI on :4200)
    PREFECT_API_URL=http://127.0.0.1:4200/api python -m yusuan.flows.deployment   # terminal 2

and start a run by hand with
``prefect deployment run yusuan-annual/annual -p year=2026``. See docs/scheduling.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.schedules import Cron
from yusuan.flows.ingest import DEFAULT_MANIFEST, ingest
from yusuan.flows.runners import make_task_runner
from yusuan.flows.targets import TARGETS, publish_targets, split_targets

from yusuan import __version__
from yusuan.core.progress import counts_line, run_counts
from yusuan.ingest.sources import read_sources

DEPLOYMENT_NAME = "annual"
CRON = "0 6 1 3 *"  # 06:00 on 1 March: budgets of the year are out, last year's are final
TIMEZONE = "Asia/Shanghai"
DEFAULT_TARGETS = ["folder", "catalogue"]


def _flow_run_name() -> str:
    parameters = flow_run.parameters
    year = parameters.get("year")
    return f"annual {year if year else 'all-years'}" + (" force" if parameters.get("force") else "")


@flow(name="yusuan-annual", flow_run_name=_flow_run_name, log_prints=False)
def annual_ingest(
    year: int | None = None,
    manifest: str = str(DEFAULT_MANIFEST),
    output: str = "output",
    targets: list[str] | None = None,
    force: bool = False,
    runner: str = "threads",
    workers: int | None = None,
    dask_address: str | None = None,
    base_url: str | None = None,
) -> dict[str, int]:
    """Ingest the publications of fiscal ``year`` (all years when empty) listed in ``manifest``.

    Unchanged publications come from the cache; new or changed ones are downloaded, parsed and
    written to ``output``, then handed to each of ``targets`` (unknown ones are skipped with a
    warning). ``runner``: threads, processes or dask (``dask_address`` of a running cluster).
    ``base_url``: where the output folder is served, for the catalogue's absolute URIs.
    """
    logger = get_run_logger()
    targets = DEFAULT_TARGETS if targets is None else targets
    known, unknown = split_targets(targets)
    for name in unknown:
        logger.warning("target %r is not available (known: %s): ignored", name, ", ".join(sorted(TARGETS)))
    read_sources(Path(manifest))  # a bad manifest fails the run here, naming the line
    task_runner = make_task_runner(runner, workers, dask_address)
    outcomes = ingest.with_options(task_runner=task_runner)(manifest=Path(manifest), output_dir=Path(output), year=year, force=force)
    publish_targets(known, outcomes, Path(output), logger, options={"base_url": base_url})
    counts = run_counts(outcomes)
    (logger.warning if counts["failed"] or counts["blocked"] or unknown else logger.info)("%s", counts_line(counts))
    return counts


def build_deployment(name: str = DEPLOYMENT_NAME, **parameters: Any) -> Any:
    """The deployment object (a RunnerDeployment): schedule, default parameters, tags."""
    defaults: dict[str, Any] = {"year": None, "manifest": str(DEFAULT_MANIFEST), "output": "output", "targets": list(DEFAULT_TARGETS)}
    return annual_ingest.to_deployment(
        name=name,
        schedules=[Cron(CRON, timezone=TIMEZONE)],
        parameters={**defaults, **parameters},
        description="Annual ingestion of budget publications (预算/决算) into validated data packages.",
        tags=["yusuan", "annual"],
        version=__version__,
    )


def main() -> None:
    from prefect import serve

    serve(build_deployment())


if __name__ == "__main__":
    main()
