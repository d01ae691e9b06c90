"""Scale-out: the ingest flow on a local Dask cluster (2 workers) and on a process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # servers, browsers or whole runs: left out of `pytest -m "not slow"`

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ["fj-quanzhou-12345-2026-dwys", "js-renda-2018-bmys", "js-renda-2019-bmys"]


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", folder, ignore=shutil.ignore_patterns("archive"))
    return folder


def _check_packages(outcomes, output: Path, reference: dict[str, dict] | None = None) -> None:
    assert [(o["document_id"], o["status"]) for o in outcomes] == [(d, "published") for d in DOCUMENTS]
    for outcome in outcomes:
        descriptor = json.loads((output / outcome["document_id"] / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["check_summary"]["amounts"] == outcome["amounts"]
        assert outcome["quality_status"] in ("passed", "warnings")  # js-renda-2018 has a real text error


def test_flow_on_a_local_dask_cluster_with_two_workers(harness, raw, tmp_path, monkeypatch):
    import threading

    import prefect_dask  # noqa: F401  (a test dependency: fail, never skip)
    import yusuan.flows.ingest
    from distributed import LocalCluster, get_worker
    from yusuan.flows.ingest import run_ingest

    log = tmp_path / "workers.log"  # the task is pickled by value: record in a file, not a list
    real = yusuan.flows.ingest.ingest_document

    def on_worker(document, *args, **kwargs):
        with log.open("a", encoding="utf-8") as handle:  # get_worker() raises outside a Dask worker
            handle.write(f"{get_worker().address} {threading.current_thread().name}\n")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(yusuan.flows.ingest, "ingest_document", on_worker)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        outcomes = run_ingest(raw / "sources.csv", tmp_path / "output", runner="dask", dask_address=cluster.scheduler_address, batch_size=2)
        _check_packages(outcomes, tmp_path / "output")
        workers = log.read_text(encoding="utf-8").splitlines()
        assert len(workers) == 3 and {w.split()[0] for w in workers} <= set(cluster.scheduler_info["workers"])
        monkeypatch.setattr(yusuan.flows.ingest, "ingest_document", real)
        # the same packages, byte for byte, as a run on threads
        threads = run_ingest(raw / "sources.csv", tmp_path / "threads", runner="threads", workers=2)
        _check_packages(threads, tmp_path / "threads")
    for document_id in DOCUMENTS:
        for path in sorted((tmp_path / "threads" / document_id).iterdir()):
            assert path.read_bytes() == (tmp_path / "output" / document_id / path.name).read_bytes(), path.name


def test_flow_on_a_process_pool(harness, raw, tmp_path):
    from yusuan.flows.ingest import run_ingest

    outcomes = run_ingest(raw / "sources.csv", tmp_path / "output", runner="processes", workers=2)
    _check_packages(outcomes, tmp_path / "output")
    again = run_ingest(raw / "sources.csv", tmp_path / "output", runner="processes", workers=2)
    assert [o["status"] for o in again] == ["cached"] * 3


def test_unknown_runner_is_a_one_line_error(raw, tmp_path):
    from yusuan.flows.ingest import run_ingest

    from yusuan.core.errors import YusuanError

    with pytest.raises(YusuanError, match="task runner 'gpu' is not one of threads, processes, dask"):
        run_ingest(raw / "sources.csv", tmp_path / "output", runner="gpu")
