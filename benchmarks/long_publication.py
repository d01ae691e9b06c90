"""A long publication: is reading cost linear in pages, and memory flat?

Real corpus PDFs (tests/fixtures/corpus, in order) are concatenated with pypdfium2 into one
document of ``--pages`` pages (240 by default, the size of a big department's publication),
and its first 1/4, 1/2 and all pages are read by yusuan's PDF reader (blocks of every page),
each in a fresh worker process that reports CPU seconds and peak RSS (ru_maxrss).

The concatenated file carries the fonts and resources of every publication it is made of;
``--source FILE`` takes the pages from one real long publication instead (its first 1/4, 1/2
and all pages), which is what a reader meets in practice.

    python benchmarks/long_publication.py [--pages 240] [--reader pdfium|pdfplumber] [--source FILE]

``--workers 1 2`` reads all the pages with the PDFium reader's page pool
(yusuan/extract/page_pool.py) of that many processes (1: serial, no pool), each in a fresh
process, ``--repeat`` times in alternating order, and reports the wall time, the CPU of the
reading process and its page workers together, the peak RSS of the reading process and of its
largest page worker, and whether every pass gave the serial extract:

    python benchmarks/long_publication.py --source ../shared/corpus-wide/12_sz-sthj-2026-bmys/publication.pdf \
        --pages 241 --workers 1 2 --repeat 3
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def concatenate(sources: list[Path], pages: int, target: Path) -> int:
    """The first ``pages`` pages of these PDFs, in order, as one PDF."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for path in sources:
        if len(out) >= pages:
            break
        source = pdfium.PdfDocument(path)
        take = min(len(source), pages - len(out))
        out.import_pages(source, list(range(take)))
        source.close()
    out.save(target)
    count = len(out)
    out.close()
    return count


def read(path: Path, reader: str) -> tuple[int, float, float]:
    from yusuan.core.model import SourceFile
    from yusuan.extract import pdf, pdfium

    function = {"pdfium": pdfium.pdf_to_blocks, "pdfplumber": pdf.pdf_to_blocks}[reader]
    start = time.process_time()
    found = function(SourceFile(path, "full", "0" * 64))
    return found.page_count, time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_with_pool(path: Path, workers: int) -> tuple[int, float, float, float, float, str]:
    """All pages with the page pool of ``workers`` processes (forced: parallel_min_pages=2);
    wall s, CPU s of this process and its page workers, peak RSS MiB of this process and of
    its largest page worker (ru_maxrss of the reaped children), a digest of the extract."""
    import hashlib

    from yusuan.core.limits import current, using
    from yusuan.core.model import SourceFile
    from yusuan.extract import pdfium

    start, cpu = time.perf_counter(), time.process_time()
    with using(current().but(page_workers=workers, parallel_min_pages=2)):
        found = pdfium.pdf_to_blocks(SourceFile(path, "full", "0" * 64))
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    digest = hashlib.sha256(repr((found.blocks, found.pages_without_text, found.blank_pages, found.hidden_chars)).encode()).hexdigest()[:12]
    return found.page_count, wall, total_cpu, own_peak, children.ru_maxrss / 1024, digest


def pool_table(path: Path, workers: list[int], repeat: int) -> None:
    """Each worker count in a fresh process, ``repeat`` rounds in alternating order; medians."""
    import statistics

    runs: dict[int, list[tuple[int, float, float, float, float, str]]] = {w: [] for w in workers}
    for round_ in range(repeat):
        for count in (workers if round_ % 2 == 0 else workers[::-1]):
            with ProcessPoolExecutor(max_workers=1) as worker:
                runs[count].append(worker.submit(read_with_pool, path, count).result())
    digests = {r[5] for rs in runs.values() for r in rs}
    print(f"{repeat} round(s), medians; every pass the same extract: {'yes' if len(digests) == 1 else 'NO'}\n")
    print("| page workers | pages | wall s | CPU s (all processes) | pages per wall-s | peak RSS reader, MiB | peak RSS largest page worker, MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for count, rs in runs.items():
        pages = rs[0][0]
        wall, cpu = statistics.median(r[1] for r in rs), statistics.median(r[2] for r in rs)
        own, child = statistics.median(r[3] for r in rs), statistics.median(r[4] for r in rs)
        print(f"| {count} | {pages} | {wall:.2f} | {cpu:.2f} | {pages / wall:.0f} | {own:.0f} | {child:.0f} |" if count > 1 else f"| 1 (serial) | {pages} | {wall:.2f} | {cpu:.2f} | {pages / wall:.0f} | {own:.0f} | — |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--reader", choices=["pdfium", "pdfplumber"], default="pdfium")
    parser.add_argument("--source", type=Path, help="take the pages from this one PDF (default: the corpus PDFs concatenated)")
    parser.add_argument("--workers", type=int, nargs="+", help="read all pages with the page pool of these sizes (1: serial)")
    parser.add_argument("--repeat", type=int, default=1, help="with --workers: rounds (medians)")
    args = parser.parse_args()
    sources = [args.source] if args.source else sorted(CORPUS.rglob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="yusuan-long-") as folder:
        if args.workers:
            path = Path(folder) / "long.pdf"
            concatenate(sources, args.pages, path)
            pool_table(path, args.workers, args.repeat)
            return 0
        print(f"reader {args.reader}; pages from {len(sources)} PDF(s)\n")
        print("| pages | CPU s | pages per CPU-s | CPU ms per page | peak RSS of the worker, MiB |\n|---:|---:|---:|---:|---:|")
        for share in (4, 2, 1):
            path = Path(folder) / f"long-{share}.pdf"
            concatenate(sources, args.pages // share, path)
            with ProcessPoolExecutor(max_workers=1) as worker:
                pages, seconds, peak = worker.submit(read, path, args.reader).result()
            print(f"| {pages} | {seconds:.1f} | {pages / seconds:.1f} | {1000 * seconds / pages:.0f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
