"""What a publication's worker process costs beyond the work itself: worker CPU against a warm process.

A run parses each publication in a worker forked from a warmed fork server
(yusuan/ingest/isolation.py, yusuan/ingest/worker_warmup.py). For each sample publication of
``raw/`` (or ``--manifest``) this measures the median CPU time (user + system) of
``process_document``

- in a bounded worker (``run_bounded``; the worker's own clock, ``WorkerUsage``), and
- in this process, warm (the same publication processed once before),

and prints both and their difference: the worker's overhead (fork, empty per-document caches,
pages copied on write, the result sent back). To compare two trees, run each tree's copy of
this script in turn (the figures move with the machine's load: alternate them).

    python benchmarks/worker_overhead.py [--repeat 5] [--manifest raw/manifest.csv]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from yusuan.ingest.isolation import WorkerUsage, run_bounded
    from yusuan.ingest.sources import read_manifest
    from yusuan.package.process import process_document

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, default=ROOT / "raw" / "manifest.csv")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    documents = read_manifest(args.manifest)
    print("| publication | worker CPU s | warm in-process CPU s | overhead s |\n|---|---:|---:|---:|")
    for document in documents:
        in_worker, in_process = [], []
        process_document(document)  # warm
        for _ in range(args.repeat):
            usage = WorkerUsage()
            run_bounded(process_document, document, usage=usage)
            in_worker.append(usage.cpu_seconds)
            start = time.process_time()
            process_document(document)
            in_process.append(time.process_time() - start)
        worker, warm = statistics.median(in_worker), statistics.median(in_process)
        print(f"| {document.document_id} | {worker:.3f} | {warm:.3f} | {worker - warm:+.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
