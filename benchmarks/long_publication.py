"""A long publication: is reading cost linear in pages, and memory flat?

Real corpus PDFs (tests/fixtures/corpus, in order) are concatenated with pypdfium2 into one
document of ``--pages`` pages (240 by default, the size of a big department's publication),
and its first 1/4, 1/2 and all pages are read by yusuan's PDF reader (blocks of every page),
each in a fresh worker process that reports CPU seconds and peak RSS (ru_maxrss).

The concatenated file carries the fonts and resources of every publication it is made of;
``--source FILE`` takes the pages from one real long publication instead (its first 1/4, 1/2
and all pages), which is what a reader meets in practice.

    python benchmarks/long_publication.py [--pages 240] [--reader pdfium|pdfplumber] [--source FILE]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--reader", choices=["pdfium", "pdfplumber"], default="pdfium")
    parser.add_argument("--source", type=Path, help="take the pages from this one PDF (default: the corpus PDFs concatenated)")
    args = parser.parse_args()
    sources = [args.source] if args.source else sorted(CORPUS.rglob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="yusuan-long-") as folder:
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
