"""Task runners for the ingest flow: threads, processes, or a Dask cluster.

``make_task_runner("threads" | "processes" | "dask", workers, address)``. Threads share one
interpreter (the PDF parser holds the GIL, so they mostly overlap I/O); processes use every
core of one machine; Dask runs on a cluster given its scheduler address
(``tcp://host:8786``), or on a temporary local cluster without one (needs ``prefect-dask``).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from yusuan.core.errors import YusuanError

RUNNERS = ("threads", "processes", "dask")


def make_task_runner(kind: str = "threads", workers: int | None = None, address: str | None = None) -> Any:
    if kind not in RUNNERS:
        raise YusuanError(f"task runner {kind!r} is not one of {', '.join(RUNNERS)}")
    if workers is not None and workers < 1:
        raise YusuanError(f"workers must be at least 1, not {workers}")
    count = workers or os.cpu_count() or 1
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=count)
    if kind == "processes":
        try:
            from prefect.task_runners import ProcessPoolTaskRunner
        except ImportError:  # Prefect before 3.4
            raise YusuanError("this Prefect version has no ProcessPoolTaskRunner: use threads or dask") from None
        return ProcessPoolTaskRunner(max_workers=count)
    if "DASK_LOGGING__DISTRIBUTED" not in os.environ:  # distributed logs every connection at INFO
        os.environ["DASK_LOGGING__DISTRIBUTED"] = "warning"  # for worker processes started later
        logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise YusuanError("the dask task runner needs prefect-dask: pip install prefect-dask") from None
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": count, "threads_per_worker": 1, "processes": True, "dashboard_address": None})
