"""The page pool on the whole path: one long publication read -> package written, alone.

``yusuan run`` of one big file is where the page pool (yusuan/extract/page_pool.py) is meant
to pay. For each publication of the manifests with at least ``--min-pages`` pages in its
PDFs, the whole path (``process_document`` + ``write_package``, as benchmarks/speed.py runs
it) is run with the pool of each size in ``--workers`` (1: serial), every pass in a fresh
process, ``--repeat`` rounds in alternating order. Reports per publication and in total:
wall seconds, CPU seconds of the pass and its page workers, peak RSS of the pass, and
whether every pass wrote the same package bytes.

    python benchmarks/page_pool.py [--workers 1 2] [--repeat 3] [--min-pages 64] [--only ID ...] [--manifest M ...]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.manifests import present  # noqa: E402
from benchmarks.speed import DEFAULT_MANIFESTS, pdf_documents  # noqa: E402
from yusuan.core.model import SourceDocument  # noqa: E402

Pass = tuple[float, float, float, str]  # wall s, CPU s (with page workers), peak RSS MiB, digest


def pages_of(document: SourceDocument) -> int:
    import pypdfium2 as pdfium

    total = 0
    for source in document.files:
        if source.path.suffix.lower() == ".pdf":
            pdf = pdfium.PdfDocument(source.path)
            total += len(pdf)
            pdf.close()
    return total


def whole_path(document: SourceDocument, workers: int) -> Pass:
    """One publication, read -> package written, with a pool of ``workers`` (forced)."""
    from yusuan.core.limits import current, using
    from yusuan.core.schemas import load_registry
    from yusuan.package.process import process_document
    from yusuan.package.writer import write_package

    load_registry()
    import frictionless  # noqa: F401  (imports are not the publication's cost)

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="yusuan-pool-") as folder, using(current().but(page_workers=workers, parallel_min_pages=2)):
        package = write_package(process_document(document), Path(folder))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = time.process_time() - cpu + (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        digest = hashlib.sha256()
        for path in sorted(package.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(package)).encode() + path.read_bytes())
    return wall, used, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, digest.hexdigest()[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, nargs="+", default=present(DEFAULT_MANIFESTS))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-pages", type=int, default=64)
    parser.add_argument("--only", nargs="+", help="only these document ids")
    args = parser.parse_args()
    chosen = [d for d in pdf_documents(args.manifest) if not args.only or d.document_id in args.only]
    long = [(d, n) for d in chosen if (n := pages_of(d)) >= args.min_pages]
    runs: dict[tuple[str, int], list[Pass]] = {}
    for round_ in range(args.repeat):
        for document, _pages in long:
            for count in args.workers if round_ % 2 == 0 else args.workers[::-1]:
                with ProcessPoolExecutor(max_workers=1) as worker:
                    runs.setdefault((document.document_id, count), []).append(worker.submit(whole_path, document, count).result())
    print(f"read -> package written, one publication at a time, medians of {args.repeat} alternating round(s)\n")
    print("| publication | pages | page workers | wall s | CPU s (all processes) | peak RSS, MiB | same bytes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    totals: dict[int, list[float]] = {count: [0.0, 0.0] for count in args.workers}
    for document, pages in long:
        digests = {p[3] for count in args.workers for p in runs[(document.document_id, count)]}
        for count in args.workers:
            passes = runs[(document.document_id, count)]
            wall, cpu, peak = (statistics.median(p[i] for p in passes) for i in range(3))
            totals[count][0] += wall
            totals[count][1] += cpu
            print(f"| {document.document_id} | {pages} | {count} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {'yes' if len(digests) == 1 else 'NO'} |")
    print()
    for count, (wall, cpu) in totals.items():
        print(f"{count} page worker(s): {wall:.1f} s wall, {cpu:.1f} CPU-s in total ({wall / totals[args.workers[0]][0]:.2f}× the wall, {cpu / totals[args.workers[0]][1]:.2f}× the CPU of {args.workers[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
