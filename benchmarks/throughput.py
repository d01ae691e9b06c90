"""Throughput of the whole ingest flow over N publications, against the library alone.

N publications are copies (hard links) of the samples in raw/ under new document ids. For
each N the same publications go through two runs, each in a fresh child process so that its
peak memory is its own:

* ``library``: yusuan.ingest.run.run_publications without the cache (resolve, parse, write, in
  order; no Prefect);
* ``flow``: the Prefect flow ``yusuan-ingest`` (yusuan.flows.ingest) without the cache, on the
  chosen task runner, against a temporary Prefect server started first (its start-up is
  reported apart).

Each publication is parsed in a worker process forked for it (yusuan/ingest/isolation.py);
its CPU and peak RSS come back in the outcome, so a run's CPU is its own plus its workers'.

Reported: documents/s and pages/s, peak RSS of each child (getrusage) and of the largest
publication worker, optionally the peak
of Python allocations (--tracemalloc, slower), and the share of the flow's time spent in
orchestration three ways: wall clock, 1 - library run time / flow run time (with one worker
the flow does exactly the library's work plus Prefect's); accounted, 1 - time spent inside
the library by the flow's tasks (summed) / flow run time; CPU, 1 - CPU time of the library
run / CPU time of the flow run (its process and the Prefect server's); CPU, accounted,
1 - CPU time of the tasks' threads inside the library (summed) / that flow CPU time. The
accounted figures come from a single run, so other load on the machine disturbs them least.

    python benchmarks/throughput.py --n 10 50 200 [--runner threads] [--workers 1]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "raw" / "sources.csv"


def make_corpus(n: int, folder: Path) -> Path:
    """``folder/sources.csv`` with N publications cycling over raw/sources.csv (files hard-linked)."""
    with SOURCES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_document: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(row)
    originals = list(by_document.values())
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "sources.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for i in range(n):
            lines = originals[i % len(originals)]
            document_id = f"{lines[0]['document_id']}-c{i:04d}"
            for line in lines:
                source = SOURCES.parent / line["path"]
                target = folder / document_id / source.name
                target.parent.mkdir(exist_ok=True)
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copyfile(source, target)
                writer.writerow({**line, "document_id": document_id, "path": f"{document_id}/{source.name}"})
    return manifest


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a running process (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _server_pid() -> int | None:
    from prefect.server.api.server import SubprocessASGIServer

    process = SubprocessASGIServer().server_process
    return process.pid if process else None


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _totals(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "documents": len(outcomes),
        "published": sum(o.get("status") == "published" for o in outcomes),
        "failed": [o["document_id"] for o in outcomes if o.get("status") in ("failed", "blocked")][:5],
        "pages": sum(int(o.get("pages") or 0) for o in outcomes),
        "library_seconds": sum(float(o.get("library_seconds") or 0) for o in outcomes),  # inside the document step
        "resolve_seconds": sum(float(o.get("fetch_seconds") or 0) for o in outcomes),  # hashing / downloading
        "library_cpu_seconds": sum(float(o.get("library_cpu_seconds") or 0) for o in outcomes),  # incl. workers
        "worker_cpu_seconds": sum(float(o.get("worker_cpu_seconds") or 0) for o in outcomes),
        "worker_peak_rss_mib": max((float(o.get("worker_peak_rss_mib") or 0) for o in outcomes), default=0.0),
    }


def child_library(manifest: Path, output: Path, trace: bool) -> dict[str, Any]:
    if trace:
        import tracemalloc

        tracemalloc.start()
    from yusuan.core.schemas import load_registry
    from yusuan.ingest.run import RunOptions, run_publications

    load_registry()
    started, cpu = time.perf_counter(), time.process_time()
    outcomes = run_publications(manifest, output, RunOptions(cache=False))
    totals = _totals(outcomes)
    cpu_seconds = time.process_time() - cpu + totals["worker_cpu_seconds"]
    result = {"seconds": time.perf_counter() - started, "cpu_seconds": cpu_seconds, **totals, "peak_rss_mib": _peak_rss_mib()}
    if trace:
        result["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def child_flow(manifest: Path, output: Path, trace: bool, runner: str, workers: int | None, batch: int | None) -> dict[str, Any]:
    if trace:
        import tracemalloc

        tracemalloc.start()
    began = time.perf_counter()
    from yusuan.flows.settings import apply_quiet_defaults

    apply_quiet_defaults()
    from yusuan.flows.ingest import DEFAULT_BATCH, ingest
    from yusuan.flows.runners import make_task_runner
    from yusuan.flows.settings import shared_api

    from yusuan.core.schemas import load_registry

    load_registry()
    task_runner = make_task_runner(runner, workers)
    size = batch or max(DEFAULT_BATCH, 4 * (workers or os.cpu_count() or 1))
    with shared_api():
        startup = time.perf_counter() - began
        server = _server_pid()
        server_cpu = _process_cpu(server) if server else None
        started, cpu = time.perf_counter(), time.process_time()
        outcomes = ingest.with_options(task_runner=task_runner)(manifest=manifest, output_dir=output, cache=False, batch_size=size)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        cpu += sum(float(o.get("worker_cpu_seconds") or 0) for o in outcomes)  # the publications' workers
        if server_cpu is not None:
            server_cpu = (_process_cpu(server) or server_cpu) - server_cpu
    result = {"seconds": seconds, "cpu_seconds": cpu, "server_cpu_seconds": server_cpu or 0.0, "startup_seconds": startup, **_totals(outcomes), "peak_rss_mib": _peak_rss_mib()}
    if trace:
        result["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child {args[:2]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    noise = [line for line in done.stderr.splitlines() if line.strip()]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr_lines"] = len(noise)
    return result


def same_packages(a: Path, b: Path) -> bool:
    for folder in sorted(p for p in a.iterdir() if p.is_dir()):
        for path in folder.iterdir():
            other = b / folder.name / path.name
            if not other.is_file() or other.read_bytes() != path.read_bytes():
                return False
    return True


def measure(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    corpus = work / f"n{n}"
    manifest = make_corpus(n, corpus / "raw")
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    common = ["--manifest", str(manifest)] + (["--tracemalloc"] if args.tracemalloc else [])
    library = run_child(["--child", "library", "--output", str(corpus / "library"), *common], env)
    flow_args = ["--child", "flow", "--output", str(corpus / "flow"), "--runner", args.runner, *common]
    if args.workers:
        flow_args += ["--workers", str(args.workers)]
    if args.batch:
        flow_args += ["--batch", str(args.batch)]
    flow = run_child(flow_args, env)
    identical = same_packages(corpus / "library", corpus / "flow")
    if not args.keep:
        shutil.rmtree(corpus, ignore_errors=True)
    return {
        "n": n,
        "pages": library["pages"],
        "library": library,
        "flow": flow,
        "identical_packages": identical,
        "orchestration_share": 1 - library["seconds"] / flow["seconds"],
        "orchestration_share_accounted": 1 - flow["library_seconds"] / flow["seconds"],
        "orchestration_share_cpu": 1 - library["cpu_seconds"] / (flow["cpu_seconds"] + flow["server_cpu_seconds"]),
        "orchestration_share_cpu_accounted": 1 - flow["library_cpu_seconds"] / (flow["cpu_seconds"] + flow["server_cpu_seconds"]),
    }


def table(results: list[dict[str, Any]], runner: str, workers: int | None) -> str:
    head = (
        f"runner: {runner}, workers: {workers or os.cpu_count()}, cpus: {os.cpu_count()}, python {sys.version.split()[0]}\n\n"
        "| N | pages | library s | library CPU s | library docs/s | library pages/s | flow s | flow CPU s (+server) | flow docs/s | flow pages/s | server start s "
        "| orchestration (wall) | orchestration (accounted) | orchestration (CPU) | orchestration (CPU, accounted) | peak RSS library MiB | peak RSS flow MiB "
        "| peak RSS of a worker MiB (library / flow) | identical packages |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for r in results:
        lib, flow = r["library"], r["flow"]
        rows.append(
            f"| {r['n']} | {r['pages']} | {lib['seconds']:.1f} | {lib['cpu_seconds']:.1f} | {r['n'] / lib['seconds']:.2f} | {r['pages'] / lib['seconds']:.1f} "
            f"| {flow['seconds']:.1f} | {flow['cpu_seconds']:.1f} (+{flow['server_cpu_seconds']:.1f}) | {r['n'] / flow['seconds']:.2f} | {r['pages'] / flow['seconds']:.1f} | {flow['startup_seconds']:.1f} "
            f"| {100 * r['orchestration_share']:.1f}% | {100 * r['orchestration_share_accounted']:.1f}% | {100 * r['orchestration_share_cpu']:.1f}% | {100 * r['orchestration_share_cpu_accounted']:.1f}% "
            f"| {lib['peak_rss_mib']:.0f} | {flow['peak_rss_mib']:.0f} | {lib['worker_peak_rss_mib']:.0f} / {flow['worker_peak_rss_mib']:.0f} "
            f"| {'yes' if r['identical_packages'] else 'NO'} |"
        )
    return head + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10], help="numbers of publications (default: 10)")
    parser.add_argument("--runner", default="threads", choices=("threads", "processes", "dask"))
    parser.add_argument("--workers", type=int, default=1, help="task runner workers (default 1: the same work as the library run)")
    parser.add_argument("--batch", type=int, default=None, help="publications per batch in the flow")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and packages (in --work)")
    parser.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--child", choices=("library", "flow"), help=argparse.SUPPRESS)
    parser.add_argument("--manifest", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "library":
        print(json.dumps(child_library(args.manifest, args.output, args.tracemalloc)))
        return 0
    if args.child == "flow":
        print(json.dumps(child_flow(args.manifest, args.output, args.tracemalloc, args.runner, args.workers, args.batch)))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="yusuan-throughput-"))
    results = []
    for n in args.n:
        result = measure(n, args, work)
        results.append(result)
        print(table([result], args.runner, args.workers).splitlines()[-1], file=sys.stderr, flush=True)
        if result["library"]["failed"] or result["flow"]["failed"]:
            print(f"  failed or blocked: {result['library']['failed']} / {result['flow']['failed']}", file=sys.stderr)
    print(table(results, args.runner, args.workers))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
